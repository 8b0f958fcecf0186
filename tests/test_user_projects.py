"""A new user's projects: their own survey or content, any subset of inputs, never the sample.

The values-style fixture (``fixtures/values_survey``) stands in for a real international survey:
numeric codes, negative missing codes, frequency and confidence scales, no MIL or headline
items, 18+, duration in minutes. Each project is built the way a user builds it: the command
line, real kernels, real nbconvert.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from milresearch.analysis.questionnaire import default_concept
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import project_codebooks, run_clean
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.paths import RAW_DIR
from milresearch.reports import country as country_report
from milresearch.reports import regional as regional_report
from milresearch.reports.i18n import t

VALUES = Path(__file__).resolve().parent / "fixtures" / "values_survey"
BANNER = re.compile(r"SYNTHETIC DATA|СИНТЕТИЧЕСКИЕ ДАННЫЕ")


def _values_project(root: Path, edit=None, synthetic: bool = False) -> Path:
    """A raw folder with the real indicators and the values survey, declared as the user would."""
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    (raw / "wvs").mkdir()
    shutil.copy(VALUES / "values.sav", raw / "wvs" / "values.sav")
    book = yaml.safe_load((VALUES / "values.codebook.yml").read_text(encoding="utf-8"))
    book["dataset"]["synthetic"] = synthetic
    if edit is not None:
        edit(book)
    text = yaml.safe_dump(book, allow_unicode=True, sort_keys=False)
    (raw / "wvs" / "values.codebook.yml").write_text(text, encoding="utf-8")
    return raw


def _build(raw: Path, root: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "milresearch"),
        "build",
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(root / "processed"),
        "--reports-dir",
        str(root / "reports"),
        "--workers",
        "2",
        "--quiet",
        "--lang",
        "en",
        *extra,
    ]
    return subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


def _text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.slow
def test_a_values_survey_project_builds_every_report_with_its_own_items(tmp_path):
    raw = _values_project(tmp_path)
    result = _build(raw, tmp_path, "--lang", "en,ru")
    assert result.returncode == 0, result.stderr[-3000:]
    html = tmp_path / "reports" / "html"
    pages = sorted(html.glob("*/*.html"))
    assert len(pages) == 2 * (len(COUNTRY_CODES) + 1)
    for page in pages:
        assert not BANNER.search(page.read_text(encoding="utf-8")), page
    kaz = _text(html / "en" / "KAZ.html")
    for label in (
        "Confidence in the press",
        "Confidence in television",
        "Social media",
        "Talking with friends or colleagues",
        "E-mail",
        "by sex",
    ):
        assert label in kaz
    assert t("notasked.mil", "en") in kaz
    assert t("notasked.discernment", "en") in kaz
    # The codebook's own age bands, written as ranges (en dash).
    assert "Age 18–24" in kaz and "16-24" not in kaz and "16–24" not in kaz
    assert "Доверие к прессе" in _text(html / "ru" / "KAZ.html")
    assert t("nosurvey", "en", country="Turkmenistan") in _text(html / "en" / "TKM.html")
    # Exclusions: under 5% of the delivery, and the number the report prints is the table's.
    survey = pd.read_parquet(tmp_path / "processed" / "survey.parquet")
    assert survey["qc_exclude"].mean() < 0.05
    excluded = int(survey.loc[survey["country"] == "KAZ", "qc_exclude"].sum())
    shown = re.search(r"Excluded by quality checks (\d[\d,]*)", kaz)
    assert shown is not None and int(shown.group(1).replace(",", "")) == excluded


@pytest.mark.slow
def test_a_content_only_project_builds_and_the_banner_names_the_synthetic_part(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    shutil.copytree(RAW_DIR / "sample" / "content", raw / "checks")  # declared synthetic
    # One country and the regional report: what the banner says does not vary by country.
    result = _build(raw, tmp_path, "--lang", "en", "--countries", "KAZ")
    assert result.returncode == 0, result.stderr[-3000:]
    kaz = _text(tmp_path / "reports" / "html" / "en" / "KAZ.html")
    assert t("banner.part.content", "en") in kaz
    assert t("banner.part.survey", "en") not in kaz
    assert t("nosurvey", "en", country="Kazakhstan") in kaz
    regional = _text(tmp_path / "reports" / "html" / "en" / "regional.html")
    assert t("regional.no_survey", "en") in regional


def test_the_sample_is_left_out_once_a_project_has_its_own_codebook(tmp_path):
    raw = _values_project(tmp_path)
    shutil.copytree(RAW_DIR / "sample", raw / "sample")
    log = CleaningLog()
    books = project_codebooks(raw, log)
    assert [b.dataset.name for b in books] == ["values_survey"]
    skipped = [e for e in log.entries if e.rule == "sample_skipped"]
    assert len(skipped) == 1 and skipped[0].rows == len(
        list((raw / "sample").rglob("*.codebook.yml"))
    )
    shutil.rmtree(raw / "wvs")
    assert {b.dataset.name for b in project_codebooks(raw)} >= {"kaz_mil_2025", "uzb_mil_2025"}


def _drop(concept: str):
    def edit(book: dict) -> None:
        for name, spec in list(book["variables"].items()):
            declared = spec.get("concept") if isinstance(spec, dict) else None
            if (declared or default_concept(name)) == concept:
                del book["variables"][name]

    return edit


def _render_everything(processed: Path, countries=COUNTRY_CODES) -> dict[str, str]:
    """Every section's HTML of each country's English report, and of the regional one."""
    pages = {}
    for code in countries:
        report = country_report.open_report(processed, code, "en", cache=False)
        pages[code] = " ".join(str(report.section(s).html) for s in report.sections)
    report = regional_report.open_report(processed, "en", cache=False)
    pages["ALL"] = " ".join(str(report.section(s).html) for s in report.sections)
    return pages


@pytest.mark.slow
@pytest.mark.parametrize(
    ("concept", "said"),
    [("media_use", "notasked.media"), ("trust", "notasked.trust"), ("demographic", None)],
)
def test_every_report_builds_without_each_sections_items(tmp_path, concept, said):
    raw = _values_project(tmp_path, edit=_drop(concept))
    run_clean(raw, tmp_path / "processed")
    pages = _render_everything(tmp_path / "processed")
    if said is not None:
        assert t(said, "en") in pages["KAZ"]
    assert "Traceback" not in " ".join(pages.values())


@pytest.mark.slow
def test_a_custom_section_shows_its_items_under_its_title(tmp_path):
    def edit(book: dict) -> None:
        book["sections"] = {
            "institutions": {
                "title": {"en": "Confidence in institutions", "ru": "Доверие к институтам"}
            }
        }
        for name in ("conf_press", "conf_tv"):
            book["variables"][name]["concept"] = "institutions"

    raw = _values_project(tmp_path, edit=edit)
    run_clean(raw, tmp_path / "processed")
    # One country and the regional report: the section is declared once for every country.
    pages = _render_everything(tmp_path / "processed", ["KAZ"])
    assert "Confidence in institutions" in pages["KAZ"]
    assert "Confidence in the press" in pages["KAZ"]
    assert t("notasked.trust", "en") in pages["KAZ"]


@pytest.mark.slow
@pytest.mark.parametrize("concept", ["mil_skill", "discernment", "factcheck", "training"])
def test_sample_reports_build_without_each_mil_sections_items(tmp_path, concept):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    for path in sorted((RAW_DIR / "sample" / "survey").glob("kaz_*")):
        shutil.copy(path, raw / path.name)
    # Only the latest wave drops the items: the 2023 wave still asked them, and the report,
    # which describes the latest wave, must say they were not asked.
    book_path = raw / "kaz_mil_2025.codebook.yml"
    book = yaml.safe_load(book_path.read_text(encoding="utf-8"))
    if concept == "discernment":
        book["variables"] = {
            k: v
            for k, v in book["variables"].items()
            if not (isinstance(v, dict) and "veracity" in v)
        }
    else:
        _drop(concept)(book)
    book_path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), "utf-8")
    run_clean(raw, tmp_path / "processed")
    report = country_report.open_report(tmp_path / "processed", "KAZ", "en", cache=False)
    page = " ".join(str(report.section(s).html) for s in report.sections)
    expected = {"mil_skill": "notasked.mil", "discernment": "notasked.discernment"}
    if concept in expected:
        assert t(expected[concept], "en") in page
    assert report.section("media").frames["estimates"]["item"].str.startswith("use_").all()


def test_check_says_which_sections_a_codebook_fills_and_what_it_ignores(tmp_path):
    from milresearch.ingest.coverage import describe_project

    def edit(book: dict) -> None:
        book["variables"]["hobby"] = {"source": "Q275", "type": "integer"}
        del book["variables"]["education"]  # its source column now serves 'hobby'

    lines = describe_project(_values_project(tmp_path, edit=edit))
    text = "\n".join(lines)
    assert "fills Media diet: info_newspaper, info_tv" in text
    assert "fills Trust: conf_press, conf_tv" in text
    assert "leaves MIL skills empty" in text
    assert "ignores 'hobby' in reports: no concept" in text
    assert "real data" in text


def test_a_codebook_declares_the_vendors_region_spellings(tmp_path):
    # The fixture's PSU labels ("398-037") stand in for a vendor's own region spellings.
    capitals = {"398": "KZ-75", "417": "KG-GB", "762": "TJ-DU", "586": "PK-IS"}

    def edit(book: dict) -> None:
        book["variables"]["region"] = {"source": "psu_id", "type": "region"}
        del book["variables"]["psu"]

    raw = _values_project(tmp_path, edit=edit)
    run_clean(raw, tmp_path / "undeclared")
    before = pd.read_parquet(tmp_path / "undeclared" / "survey.parquet")
    assert before["region"].isna().all()
    spellings = sorted(before["region_raw"].dropna().unique())

    def declare(book: dict) -> None:
        edit(book)
        book["variables"]["region"]["regions"] = {s: capitals[s[:3]] for s in spellings}

    raw = _values_project(tmp_path / "second", edit=declare)
    result = run_clean(raw, tmp_path / "declared")
    after = pd.read_parquet(tmp_path / "declared" / "survey.parquet")
    assert (after["region"] == after["region_raw"].str[:3].map(capitals)).all()
    unmapped = [e.rows for e in result.log.entries if e.rule == "region_unmapped"]
    assert unmapped and sum(unmapped) == 0


def test_a_region_code_that_is_not_iso_3166_2_is_refused(tmp_path):
    from milresearch.errors import DataError
    from milresearch.ingest.codebook import load_codebook

    def edit(book: dict) -> None:
        book["variables"]["region"] = {
            "source": "psu_id",
            "type": "region",
            "regions": {"Almaty": "Almaty"},
        }
        del book["variables"]["psu"]

    raw = _values_project(tmp_path, edit=edit)
    with pytest.raises(DataError, match="regions.Almaty.*not an ISO 3166-2 code"):
        load_codebook(raw / "wvs" / "values.codebook.yml")
