"""The catalog of MIL initiatives: reading the declared sources, their mess, users' own entries."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from milresearch.clean.catalog import clean_catalog, load_vocabulary, map_category, map_language
from milresearch.clean.log import CleaningLog
from milresearch.errors import DataError
from milresearch.ingest.catalog import unescape_markdown
from milresearch.paths import RAW_DIR

DECLARATION = """\
sources:
  site:
    folder: site
    format: markdown
    skip: [_index.md]
    fields: {name: title, countries: countries, categories: category, languages: language,
             date_start: date_start, updated: date,
             description: description}
    name: A test site
    citation: Test (2026)
    licence: CC BY-SA 4.0
  own:
    folder: entries
    format: entries
    name: Our own entries
"""

RECORD = """---
title: "{title}"
countries: {countries}
category: ["{category}"]
language: ["Russian", "Kazakh"]
date_start: [2017]
date: {date}
---

Founded in 2017, [{title}]({url}) works on media literacy.
"""

ESCAPED = """\\-\\--\\
title: "Adolat"\\
countries: \\[\\"Uzbekistan"\\]\\
category: \\["government"\\]\\
language: \\["Uzbek", "English"\\]\\
date: 2023-07-19\\
description:\\
Uzbekistan's national legislation database\\
\\-\\--\\
\\
Founded in 2018, \\[National Legal Information Center "Adolat"\\]
(https://lex.uz/) is a state institution.
"""


def _catalog(tmp_path: Path, records: dict[str, str | bytes], entries: str | None = None) -> Path:
    root = tmp_path / "catalog"
    (root / "site").mkdir(parents=True)
    (root / "entries").mkdir()
    (root / "catalog.yml").write_text(DECLARATION, encoding="utf-8")
    for name, text in records.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (root / "site" / name).write_bytes(data)
    if entries is not None:
        (root / "entries" / "ours.yml").write_text(entries, encoding="utf-8")
    return root


def _record(
    title="NeMolchiKZ",
    countries='["Kazakhstan"]',
    category="Local NGO",
    date="2023-07-30",
    url="https://nemolchi.kz/",
) -> str:
    return RECORD.format(title=title, countries=countries, category=category, date=date, url=url)


def _rules(log: CleaningLog) -> pd.Series:
    return log.to_frame().groupby("rule")["rows"].sum()


def test_bom_and_escaped_front_matter_are_read(tmp_path):
    root = _catalog(
        tmp_path,
        {
            "a.md": b"\xef\xbb\xbf" + _record().encode(),
            "adolat.md": ESCAPED,
            "_index.md": "---\ntitle: Sources\n---\n",
        },
    )
    log = CleaningLog()
    frame = clean_catalog(root, log)
    assert sorted(frame["name"]) == ["Adolat", "NeMolchiKZ"]
    adolat = frame[frame["name"] == "Adolat"].iloc[0]
    assert list(adolat["countries"]) == ["UZB"]
    assert list(adolat["categories"]) == ["government"]
    assert adolat["url"] == "https://lex.uz/"  # the link's ( on the next line
    assert adolat["description"] == "Uzbekistan's national legislation database"
    assert list(adolat["languages"]) == ["uz", "en"]
    rules = _rules(log)
    assert rules["bom_removed"] == 1 and rules["escaped_front_matter"] == 1
    assert rules["rows_read"] == 2  # the site's _index.md page is skipped


def test_unescape_markdown_undoes_an_editors_escapes():
    assert unescape_markdown('\\-\\--\\\ncountries: \\[\\"A"\\]\\') == '---\ncountries: ["A"]'


def test_near_duplicates_keep_the_latest_and_log_the_pair(tmp_path):
    root = _catalog(
        tmp_path,
        {
            "NeMolchiKZ.md": _record(date="2023-07-30"),
            "NeMolchiKz.md": _record(
                title="NeMolchiKz", date="2022-01-01", url="http://www.nemolchi.kz"
            ),
            # One programme page, two countries: two entries, not a duplicate.
            "lsms_kz.md": _record(title="LSMS Kazakhstan", url="https://worldbank.org/lsms"),
            "lsms_kg.md": _record(
                title="LSMS Kyrgyzstan",
                countries='["Kyrgyzstan"]',
                url="https://worldbank.org/lsms",
            ),
        },
    )
    log = CleaningLog()
    frame = clean_catalog(root, log)
    assert sorted(frame["name"]) == ["LSMS Kazakhstan", "LSMS Kyrgyzstan", "NeMolchiKZ"]
    dropped = log.to_frame().query("rule == 'near_duplicate'")["detail"].tolist()
    assert dropped == [
        "site/NeMolchiKz.md dropped: the same initiative as site/NeMolchiKZ.md (kept)"
    ]


def test_categories_map_to_the_vocabulary_and_unknown_ones_are_logged(tmp_path):
    root = _catalog(
        tmp_path,
        {
            "a.md": _record(category="INGO"),
            "b.md": _record(title="B", category="state media", url="https://b.kz"),
            "c.md": _record(title="C", category="Think tank", url="https://c.kz"),
        },
    )
    log = CleaningLog()
    frame = clean_catalog(root, log).set_index("name")
    assert list(frame.loc["NeMolchiKZ", "categories"]) == ["international_ngo"]
    assert list(frame.loc["NeMolchiKZ", "types"]) == ["international"]
    assert list(frame.loc["B", "categories"]) == ["state_affiliated_media"]
    assert list(frame.loc["C", "categories"]) == ["Think tank"]
    unmapped = log.to_frame().query("rule == 'category_unmapped'")["detail"].tolist()
    assert unmapped == ["site/c.md: 'Think tank' kept as written; add it to clean/catalog.yml"]


def test_countries_outside_the_scope_are_dropped_and_logged(tmp_path):
    root = _catalog(tmp_path, {"a.md": _record(countries='["Kazakhstan", "Mongolia"]')})
    log = CleaningLog()
    frame = clean_catalog(root, log)
    assert list(frame.loc[0, "countries"]) == ["KAZ"]
    assert _rules(log)["country_outside_scope"] == 1


def test_a_key_given_twice_keeps_the_first(tmp_path):
    text = _record().replace('title: "NeMolchiKZ"', 'title: "First"\ntitle: "Second"')
    log = CleaningLog()
    frame = clean_catalog(_catalog(tmp_path, {"a.md": text}), log)
    assert frame.loc[0, "name"] == "First"
    assert _rules(log)["duplicate_key"] == 1


ENTRY = """\
entries:
  - organisation: MediaNet
    name: MIL school for teachers
    countries: [Kazakhstan, KGZ]
    category: mil_education
    mil_components: [access, evaluate]
    target_groups: [teachers]
    languages: [Russian, kk]
    donor: UNESCO
    date_start: 2021
    url: https://example.org/school
    licence: CC BY 4.0
"""


def test_users_entries_follow_the_schema(tmp_path):
    frame = clean_catalog(_catalog(tmp_path, {}, ENTRY), CleaningLog())
    row = frame.iloc[0]
    assert (row["organisation"], row["name"], row["donor"]) == (
        "MediaNet",
        "MIL school for teachers",
        "UNESCO",
    )
    assert list(row["countries"]) == ["KAZ", "KGZ"]
    assert list(row["types"]) == ["project"]
    assert list(row["mil_components"]) == ["access", "evaluate"]
    assert list(row["languages"]) == ["ru", "kk"]
    assert row["date_start"] == 2021 and pd.isna(row["date_end"])
    assert row["licence"] == "CC BY 4.0" and row["source_name"] == "Our own entries"


@pytest.mark.parametrize(
    ("edit", "where", "says"),
    [
        (("    donor: UNESCO\n", "    funder: UNESCO\n"), "entries[1]", "unknown key(s) funder"),
        (("[access, evaluate]", "[access, analyse]"), "entries[1].mil_components", "'analyse'"),
        (("Kazakhstan, KGZ", "Kazakhstan, Atlantis"), "entries[1].countries", "'Atlantis'"),
        (("mil_education", "think_tank"), "entries[1].category", "'think_tank'"),
        (
            ("organisation: MediaNet\n    name", "name"),
            "entries[1].organisation",
            "no organisation",
        ),
        (("date_start: 2021", "date_start: soon"), "entries[1].date_start", "not a year"),
    ],
)
def test_a_bad_entry_is_refused_naming_file_entry_and_key(tmp_path, edit, where, says):
    root = _catalog(tmp_path, {}, ENTRY.replace(*edit))
    with pytest.raises(DataError) as err:
        clean_catalog(root, CleaningLog())
    assert err.value.where == where
    assert says in str(err.value) and "ours.yml" in str(err.value)


def test_a_project_without_a_catalog_gets_an_empty_table(tmp_path):
    frame = clean_catalog(tmp_path / "nothing", CleaningLog())
    assert frame.empty and "countries" in frame


def test_vocabulary_spellings_are_unique_and_typed():
    vocab = load_vocabulary()
    seen: dict[str, str] = {}
    for key, spec in vocab["categories"].items():
        assert spec["type"] in vocab["types"] and spec["en"] and spec["ru"]
        for spelling in spec.get("spellings", []):
            assert seen.setdefault(spelling.casefold(), key) == key, spelling
    assert map_category("State-affiliated media") == "state_affiliated_media"
    assert map_language("Kyrgyz") == "ky" and map_language("казахский") == "kk"


def test_the_shipped_camgdp_records_clean_to_160_or_more_entries(tmp_path):
    # A copy: the shipped raw folder is read-only and must stay untouched.
    root = tmp_path / "catalog"
    shutil.copytree(RAW_DIR / "catalog", root)
    log = CleaningLog()
    frame = clean_catalog(root, log)
    rules = _rules(log)
    assert rules["rows_read"] == 170  # 171 files, less the site's index page
    assert len(frame) >= 160 and frame["entry_id"].is_unique
    assert rules["escaped_front_matter"] == 2 and rules["bom_removed"] > 50
    vocab = set(load_vocabulary()["categories"])
    unmapped = {c for cs in frame["categories"] for c in cs if c not in vocab}
    logged = log.to_frame().query("rule == 'category_unmapped'")
    assert len(unmapped) == 0 or len(logged) > 0
    assert all(len(c) > 0 for c in frame["countries"])
    assert (frame["citation"].str.contains("CAMGDP")).all()
