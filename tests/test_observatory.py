"""The observatory: declared recommendations and assessments, the evidence map, and the pages."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from milresearch.analysis.observatory import country_catalog, evidence_grid, tracker_grid
from milresearch.build.observatory import write_pages
from milresearch.build.pdf import CHROMIUM, chromium
from milresearch.clean.catalog import clean_catalog, load_vocabulary
from milresearch.clean.log import CleaningLog
from milresearch.errors import DataError
from milresearch.indicators.table import declared_indicators
from milresearch.ingest.observatory import load_observatory
from milresearch.paths import RAW_DIR

SHIPPED = RAW_DIR / "observatory"


def _observatory(tmp_path: Path, assessments: dict[str, list[dict]]) -> Path:
    """A copy of the shipped declarations with these assessments in the status files."""
    folder = tmp_path / "observatory"
    shutil.copytree(SHIPPED, folder)
    for country, items in assessments.items():
        text = yaml.safe_dump({"country": country, "assessments": items}, allow_unicode=True)
        (folder / "status" / f"{country}.yml").write_text(text, encoding="utf-8")
    return folder


def _assessment(**changes) -> dict:
    item = {
        "recommendation": "forum2025-6a",
        "status": "limited",
        "date": "2026-03-01",
        "evidence_url": "https://example.org/report",
        "assessed_by": "A. Coordinator",
    }
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


def test_the_shipped_declarations_load_and_record_no_assessment():
    obs = load_observatory(SHIPPED, declared_indicators(RAW_DIR / "indicators"))
    recs = obs["recommendations"]
    forum = {r["id"][len("forum2025-") :][0] for r in recs if r["source"] == "forum2025"}
    assert forum == set("1234567")
    by_addressee = pd.Series([r["addressee"] for r in recs if r["source"] == "internews_lmc"])
    assert by_addressee.value_counts().to_dict() == {
        "academia_civil_society": 7,
        "state_bodies": 6,
        "online_platforms": 6,
        "mass_media": 5,
    }
    assert all(
        r["text"]["en"] and r["text"]["ru"] and r["text"]["en"] != r["text"]["ru"] for r in recs
    )
    assert list(obs["statuses"]) == [
        "no_evidence",
        "not_started",
        "limited",
        "substantial",
        "complete",
    ]
    assert obs["assessments"] == []  # invent no statuses


def test_the_evidence_map_names_loaded_indicators_with_a_rationale_each():
    obs = load_observatory(SHIPPED, declared_indicators(RAW_DIR / "indicators"))
    mapping = obs["evidence_map"]
    assert list(mapping["categories"]) == ["R", "O", "A", "M", "X"]
    assert mapping["label"]["en"] == "Proxy evidence, not a ROAM-X assessment"
    names = {e["indicator"] for e in mapping["evidence"]}
    assert {"rsf_score", "fiw_d1", "internet_users_pct", "vdem_v2smgovshut"} <= names
    assert all(e["rationale"]["en"] and e["rationale"]["ru"] for e in mapping["evidence"])


@pytest.mark.parametrize(
    ("item", "where", "says"),
    [
        (
            _assessment(recommendation="forum2025-99"),
            "assessments[1].recommendation",
            "unknown recommendation",
        ),
        (_assessment(status="done"), "assessments[1].status", "unknown status 'done'"),
        (_assessment(evidence_url=None), "assessments[1].evidence_url", "evidence URL"),
        (
            _assessment(evidence_url="javascript:alert(1)"),
            "assessments[1].evidence_url",
            "evidence URL",
        ),
        (_assessment(assessed_by=" "), "assessments[1].assessed_by", "assessed_by"),
        (_assessment(date="March 2026"), "assessments[1].date", "not a date"),
        (_assessment(score=3), "assessments[1]", "unknown key(s) score"),
    ],
)
def test_a_bad_assessment_is_refused_naming_file_item_and_key(tmp_path, item, where, says):
    folder = _observatory(tmp_path, {"KAZ": [item]})
    with pytest.raises(DataError) as err:
        load_observatory(folder, {})
    assert err.value.where == where and says in str(err.value) and "KAZ.yml" in str(err.value)


def test_two_assessments_on_one_date_and_a_misnamed_file_are_refused(tmp_path):
    folder = _observatory(tmp_path, {"KAZ": [_assessment(), _assessment(status="complete")]})
    with pytest.raises(DataError, match="assessed twice on 2026-03-01"):
        load_observatory(folder, {})
    folder = _observatory(tmp_path / "b", {})
    (folder / "status" / "KAZ.yml").write_text("country: UZB\nassessments: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="does not match the file name"):
        load_observatory(folder, {})


def test_the_tracker_keeps_history_and_shows_the_change(tmp_path):
    folder = _observatory(
        tmp_path,
        {
            "KGZ": [
                _assessment(status="not_started", date="2025-11-01"),
                _assessment(status="substantial", date="2026-06-01", assessed_by="B. Coordinator"),
                _assessment(recommendation="lmc-state-1", status="limited", date="2026-01-10"),
            ]
        },
    )
    obs = load_observatory(folder, {})
    grid = tracker_grid(obs, ["KGZ", "KAZ"])
    cell = grid["forum2025-6a", "KGZ"]
    assert (cell.status, cell.previous, cell.change, cell.assessed_by) == (
        "substantial",
        "not_started",
        "up",
        "B. Coordinator",
    )
    assert [h["date"] for h in cell.history] == ["2025-11-01", "2026-06-01"]
    assert grid["lmc-state-1", "KGZ"].change == "none"
    assert grid["forum2025-6a", "KAZ"].status == "no_evidence"


def test_the_evidence_grid_lists_what_exists_and_leaves_the_rest_empty():
    obs = {
        "evidence_map": {
            "categories": {"R": {}, "A": {}},
            "evidence": [
                {
                    "indicator": "rsf_score",
                    "category": "R",
                    "label": {"en": "RSF", "ru": "RSF"},
                    "publisher": "RSF",
                    "rationale": {"en": "r", "ru": "r"},
                }
            ],
        }
    }
    indicators = pd.DataFrame(
        {
            "country": ["KAZ", "KAZ", "UZB"],
            "indicator": ["rsf_score"] * 3,
            "year": [2002, 2025, 2024],
            "value": [50.0, 39.3, None],
            "value_text": [None, None, None],
            "citation": ["RSF 2002", "RSF 2025", "RSF 2024"],
        }
    )
    grid = evidence_grid(obs, indicators, ["KAZ", "UZB"])
    (item,) = grid["R", "KAZ"]
    assert (item.first_year, item.last_year, item.value, item.citation) == (
        2002,
        2025,
        39.3,
        "RSF 2025",
    )
    assert grid["R", "UZB"] == [] and grid["A", "KAZ"] == []


def test_a_country_with_few_entries_is_called_thin():
    catalog = pd.DataFrame(
        {
            "entry_id": list("abcdef"),
            "name": list("ABCDEF"),
            "url": [""] * 6,
            "countries": [["KAZ"]] * 5 + [["TKM", "KAZ"]],
            "categories": [["local_ngo"]] * 4 + [["independent_media"]] * 2,
            "types": [["civil_society"]] * 4 + [["media"]] * 2,
        }
    )
    tkm = country_catalog(catalog, "TKM", load_vocabulary())
    assert (tkm.entries, tkm.best, tkm.thin) == (1, ("KAZ", 6), True)
    assert list(tkm.outlets) == ["independent_media"]
    kaz = country_catalog(catalog, "KAZ", load_vocabulary())
    assert not kaz.thin and kaz.by_category == [("local_ngo", 4), ("independent_media", 2)]
    assert list(kaz.short_list["name"])[-2:] == ["E", "F"]  # outlets last
    pak = country_catalog(catalog, "PAK", load_vocabulary())  # no entry at all
    assert (pak.entries, pak.by_category, pak.outlets, pak.thin) == (0, [], {}, True)


HOSTILE = """\
entries:
  - organisation: "<script>window.__xss = 1</script>Evil NGO"
    name: "<img src=x onerror=\\"window.__xss = 2\\">Fact-check school"
    countries: [Tajikistan]
    category: fact_checking
    mil_components: [evaluate]
    languages: [Tajik]
    url: "javascript:window.__xss = 3"
    description: "Teaches <b>verification</b> & \\"lateral reading\\" to students"
    licence: CC BY 4.0
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """The three pages from the shipped catalog plus a hostile entry, and one assessment."""
    work = tmp_path_factory.mktemp("observatory")
    catalog_dir = work / "raw" / "catalog"
    shutil.copytree(RAW_DIR / "catalog", catalog_dir)
    (catalog_dir / "entries" / "ours.yml").write_text(HOSTILE, encoding="utf-8")
    processed = work / "processed"
    processed.mkdir()
    clean_catalog(catalog_dir, CleaningLog()).to_parquet(processed / "catalog.parquet")
    folder = _observatory(
        work,
        {
            "TJK": [
                _assessment(
                    status="not_started",
                    date="2025-12-01",
                    note="<script>window.__xss = 4</script>",
                ),
                _assessment(status="limited", date="2026-05-01"),
            ]
        },
    )
    obs = load_observatory(folder, declared_indicators(RAW_DIR / "indicators"))
    (processed / "observatory.json").write_text(json.dumps(obs), encoding="utf-8")
    from milresearch.indicators import load_indicators

    load_indicators(RAW_DIR / "indicators").to_parquet(processed / "indicators.parquet")
    state: dict = {}
    written = write_pages(processed, work / "reports", state)
    assert written == ["catalog.html", "evidence.html", "tracker.html"]
    assert (
        write_pages(processed, work / "reports", state) == []
    )  # nothing changed: nothing written
    (processed / "observatory.json").write_text(
        json.dumps(obs | {"assessments": []}), encoding="utf-8"
    )
    assert write_pages(processed, work / "reports", dict(state)) == written  # an input changed
    (processed / "observatory.json").write_text(json.dumps(obs), encoding="utf-8")
    write_pages(processed, work / "reports", state, force=True)
    return work / "reports" / "html"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run `make test`, which installs it")
    with chromium() as opened:
        yield opened


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    seen: dict[str, list] = {"errors": [], "requests": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.slow
@pytest.mark.parametrize("name", ["catalog.html", "tracker.html", "evidence.html"])
def test_each_page_is_self_contained_escaped_and_bilingual(pages, browser, name):
    page, seen = _open(browser, pages / name)
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
    assert page.evaluate("window.__xss") is None
    english = page.locator("h1").inner_text()
    page.get_by_role("button", name="Русский").click()
    russian = page.locator("h1").inner_text()
    assert english != russian and any("а" <= ch <= "я" for ch in russian.casefold())
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scroll
    page.close()


@pytest.mark.slow
def test_the_catalog_searches_and_filters_offline(pages, browser):
    page, _ = _open(browser, pages / "catalog.html")
    total = page.locator("li.mr-entry").count()
    assert total >= 161 and page.locator("#shown").inner_text() == str(total)
    page.fill("#q", "nemolchi")
    visible = page.locator("li.mr-entry:visible h3")
    assert visible.count() >= 1 and all(
        "molchi" in t.casefold() for t in visible.all_inner_texts()
    )
    page.click("#reset")
    page.select_option("#f-country", "TJK")
    page.select_option("#f-category", "fact_checking")
    assert page.locator("li.mr-entry:visible").count() == 1
    entry = page.locator("li.mr-entry:visible")
    # Every text field is shown as text: the markup in the entry is visible, none of it runs.
    assert "<script>window.__xss = 1</script>Evil NGO" in entry.inner_text()
    assert '<img src=x onerror="window.__xss = 2">Fact-check school' in entry.inner_text()
    assert "<b>verification</b>" in entry.inner_text()
    assert entry.locator("img, script, b").count() == 0
    assert entry.locator("h3 a").count() == 0  # a javascript: URL is not made a link
    page.select_option("#f-language", "ru")
    assert page.locator("li.mr-entry:visible").count() == 0
    assert page.locator("#none").is_visible() and page.locator("#shown").inner_text() == "0"
    page.close()


@pytest.mark.slow
def test_the_tracker_shows_the_latest_status_and_its_history(pages, browser):
    page, _ = _open(browser, pages / "tracker.html")
    cell = page.locator("tr#forum2025-6a td").nth(2)  # KAZ, KGZ, TJK
    assert "Limited progress" in cell.inner_text() and "up from Not started" in cell.inner_text()
    history = page.locator("table.mr-history tbody tr")
    assert history.count() == 2
    assert "<script>window.__xss = 4</script>" in history.first.inner_text() or (
        "<script>" in history.nth(1).inner_text()
    )
    assert page.locator(".mr-obs-empty").count() == 0
    page.close()


def test_the_documented_examples_are_valid_assessments(tmp_path):
    import re

    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL).group(1)
    commented = (SHIPPED / "status" / "KAZ.yml").read_text(encoding="utf-8")
    template = "\n".join(line[2:] for line in commented.splitlines() if line.startswith("#   "))
    for text in (example, "country: KAZ\nassessments:\n" + template):
        folder = _observatory(tmp_path / str(len(text)), {})
        (folder / "status" / "KAZ.yml").write_text(text, encoding="utf-8")
        (assessment,) = load_observatory(folder, {})["assessments"]
        assert assessment["country"] == "KAZ" and assessment["status"] == "limited"
