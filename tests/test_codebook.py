from pathlib import Path

import pytest
import yaml

from milresearch.errors import DataError
from milresearch.ingest.codebook import find_codebooks, load_codebook
from milresearch.paths import ROOT


def _write(tmp_path: Path, book: dict) -> Path:
    path = tmp_path / "x.codebook.yml"
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    return path


def _base(survey_fixtures) -> dict:
    return yaml.safe_load((survey_fixtures / "mini.codebook.yml").read_text(encoding="utf-8"))


def test_fixture_codebook_loads_into_typed_objects(survey_fixtures):
    book = load_codebook(survey_fixtures / "mini.codebook.yml")
    assert book.dataset.format == "spss"
    assert book.dataset.synthetic is True
    assert len(book.variables) == 18
    assert book.variables["trust_1"].scale.name == "trust4"
    assert book.variables["trust_1"].scale.label(2, "ru") == "Скорее доверяю"
    assert book.missing == {98: "hard_to_say", 99: "refused"}
    assert book.battery("trust") == [f"trust_{i}" for i in range(1, 6)]
    assert book.data_path == survey_fixtures / "mini.sav"


def test_age_declares_no_missing_codes_so_98_stays_valid(survey_fixtures):
    book = load_codebook(survey_fixtures / "mini.codebook.yml")
    assert book.missing_for(book.variables["age"]) == {}
    assert book.missing_for(book.variables["trust_1"]) == {98: "hard_to_say", 99: "refused"}


def test_codebook_is_frozen(survey_fixtures):
    book = load_codebook(survey_fixtures / "mini.codebook.yml")
    with pytest.raises(AttributeError):
        book.dataset.format = "csv"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["dataset"].update(colour="red"), "unknown key(s) 'colour'"),
        (lambda b: b.update(extra=1), "unknown key(s) 'extra'"),
        (lambda b: b["variables"]["age"].update(units="years"), "unknown key(s) 'units'"),
        (lambda b: b["variables"]["sex"].update(scale="gender"), "'gender' is not declared"),
        (lambda b: b["variables"]["age"].update(type="number"), "unknown type 'number'"),
        (lambda b: b["variables"]["age"].update(source="Q2"), "already used by"),
        (lambda b: b["dataset"].update(format="sas"), "unknown format 'sas'"),
        (lambda b: b["dataset"].update(country="KZX"), "'KZX' is not a study country"),
        (lambda b: b["variables"].pop("resp_id"), "required variable 'resp_id'"),
        (lambda b: b["scales"]["sex"].update({98: {"en": "Other"}}), "also valid codes"),
        (lambda b: b["scales"]["sex"].update({3: {"en": True}}), "are not text"),
        (lambda b: b["variables"]["age"].update(range=[100, 16]), "is not [min, max]"),
        (lambda b: b["missing"].update({97: "skipped"}), "unknown missing reason"),
        (lambda b: b["dataset"].update(header_rows=1, names_row=2), "names_row is past"),
        (lambda b: b["scales"]["sex"][1].update(ru="Женский"), "stands for two codes"),
        (lambda b: b["dataset"].update(header_rows="two"), "'two' is not a whole number"),
        (lambda b: b["dataset"].update(encoding="utf-99"), "unknown encoding 'utf-99'"),
        (lambda b: b["dataset"].update(synthetic="no"), "'no' is not true or false"),
        (lambda b: b["variables"]["age"].update(concept="hobbies"), "unknown concept 'hobbies'"),
        (lambda b: b["variables"]["age"].update(name="duration"), "unknown key(s) 'name'"),
    ],
)
def test_inconsistent_codebooks_are_clear_errors(tmp_path, survey_fixtures, change, message):
    book = _base(survey_fixtures)
    change(book)
    with pytest.raises(DataError) as err:
        load_codebook(_write(tmp_path, book))
    assert message in str(err.value)
    assert "x.codebook.yml" in str(err.value)


def test_a_codebook_without_country_needs_a_fixed_country(tmp_path, survey_fixtures):
    book = _base(survey_fixtures)
    book["variables"].pop("country")
    with pytest.raises(DataError, match="no country"):
        load_codebook(_write(tmp_path, book))
    book["dataset"]["country"] = "KAZ"
    assert load_codebook(_write(tmp_path, book)).dataset.country == "KAZ"


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.codebook.yml"
    path.write_text("dataset: [unclosed", encoding="utf-8")
    with pytest.raises(DataError, match="not valid YAML"):
        load_codebook(path)


def test_every_shipped_codebook_passes_the_schema():
    books = find_codebooks(ROOT / "data" / "raw")
    kinds = sorted(b.dataset.kind for b in books)
    # Six countries' 2025 surveys, and an earlier wave of four of them.
    assert kinds.count("survey") == 10
    waves = sorted(b.dataset.wave_id for b in books if b.dataset.kind == "survey")
    assert waves == ["2023"] * 4 + ["2025"] * 6
    assert all(b.dataset.synthetic for b in books)
    assert all(b.data_path.exists() for b in books)


def test_a_codebook_that_is_not_utf8_is_a_clear_error(tmp_path, survey_fixtures):
    path = tmp_path / "x.codebook.yml"
    text = (survey_fixtures / "mini_cp1251.codebook.yml").read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1251", errors="replace"))
    with pytest.raises(
        DataError, match="not UTF-8 text.*x.codebook.yml|x.codebook.yml.*not UTF-8"
    ):
        load_codebook(path)


def test_a_key_given_twice_is_refused_not_silently_overwritten(tmp_path, survey_fixtures):
    text = (survey_fixtures / "mini.codebook.yml").read_text(encoding="utf-8")
    twice = text.replace("missing:\n", "missing:\n  98: refused\n", 1)
    assert twice != text
    path = tmp_path / "x.codebook.yml"
    path.write_text(twice, encoding="utf-8")
    with pytest.raises(DataError, match="98.*appears twice"):
        load_codebook(path)


def test_citation_and_design_may_be_given_per_language(tmp_path, survey_fixtures):
    book = _base(survey_fixtures)
    old = load_codebook(survey_fixtures / "mini.codebook.yml").dataset.description
    assert isinstance(old, str)  # a codebook with one text keeps working
    book["dataset"]["description"] = {"en": "MIL survey 2026", "ru": "Опрос о МИГ, 2026"}
    book["dataset"]["sample_design"] = {"en": "two-stage", "ru": "двухступенчатая"}
    loaded = load_codebook(_write(tmp_path, book)).dataset
    assert loaded.description == {"en": "MIL survey 2026", "ru": "Опрос о МИГ, 2026"}
    book["dataset"]["description"] = ["MIL survey"]
    with pytest.raises(DataError, match="dataset.description"):
        load_codebook(_write(tmp_path, book))
