"""The report notebooks on the full synthetic sample: real kernels, papermill and nbconvert."""

import base64
import io
import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

from milresearch.build.runner import build_reports
from milresearch.build.tasks import COUNTRY_NOTEBOOK, REGIONAL_NOTEBOOK, ReportTask
from milresearch.paths import NOTEBOOKS_DIR, PROCESSED_DIR
from milresearch.reports import country as report

pytestmark = pytest.mark.slow


def _build(tmp_path, tasks):
    summary = build_reports(tasks, reports_dir=tmp_path / "reports", timeout=300, workers=2)
    assert [r.error for r in summary.failed] == []
    return {
        t.name + ("" if "min_n" not in t.parameters else f"_{t.parameters['min_n']}"): (
            tmp_path / "reports" / "html" / t.lang / f"{t.name}.html"
        )
        for t in tasks
    }


@pytest.mark.parametrize("notebook", [COUNTRY_NOTEBOOK, REGIONAL_NOTEBOOK])
def test_default_processed_dir_is_the_projects_when_opened_in_lab(notebook):
    default = pm.inspect_notebook(str(NOTEBOOKS_DIR / notebook))["processed_dir"]["default"]
    assert (NOTEBOOKS_DIR / default.strip("\"'")).resolve() == PROCESSED_DIR.resolve()


def test_both_notebooks_run_top_to_bottom_with_default_parameters(built_reports):
    # The session's build passes country, lang and min_n at their defaults.
    paths = {"KAZ": built_reports["en/KAZ"], "regional": built_reports["en/regional"]}
    country = paths["KAZ"].read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in country
    assert "Media and information literacy in Kazakhstan" in country
    sections = re.findall(r'<h2 class="mr-section" id="sec-(\w+)"', country)
    assert sections == [
        "findings",
        "context",
        "method",
        "change",
        "media",
        "trust",
        "mil",
        "discernment",
        "factcheck",
        "stakeholders",
        "content",
        "catalog",
        "tracker",
        "quality",
    ]
    assert "RSF World Press Freedom Index 2025" in country
    assert "<script" not in country
    regional = paths["regional"].read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in regional
    assert re.findall(r'<h2 class="mr-section" id="sec-(\w+)"', regional) == [
        "findings",
        "countries",
        "change",
        "context",
        "harmonisation",
        "claims",
    ]
    assert (paths["KAZ"].parents[1] / "index.html").exists()


def test_no_suppressed_value_reaches_the_rendered_html(processed, built_reports, tmp_path):
    shown = report.open_report(processed, "TJK", "en", min_n=0).analysis("media")["estimates"]
    values = [f"{p * 100:.1f}" for p in shown["proportion"]] + [
        f"{lo * 100:.1f}–{hi * 100:.1f}"
        for lo, hi in zip(shown["ci_low"], shown["ci_high"], strict=True)
    ]
    params = {"country": "TJK", "processed_dir": str(processed)}
    # The control, the session's build with the usual threshold: the intervals are there.
    normal = built_reports["en/TJK"].read_text(encoding="utf-8")
    assert all(v in normal for v in values if "–" in v)
    paths = _build(
        tmp_path, [ReportTask("TJK", "en", COUNTRY_NOTEBOOK, {**params, "min_n": 100000}, "b")]
    )
    hidden = paths["TJK_100000"].read_text(encoding="utf-8")
    leaked = [v for v in values if "–" in v and v in hidden]
    assert leaked == []
    assert "suppressed" in hidden
    assert "Estimates with an unweighted or effective base below 100000 are suppressed." in hidden
    # Counts of public content are shown whatever the threshold (it protects respondents);
    # shares and scores within small groups of items are not.
    counts = (
        "platforms",
        "lang_script",
        "verdict",
        "sources",
        "topics",
        "claims",
        "telegram_channels",
        "telegram_sources",
        "telegram_bridges",
        "telegram_claims",
    )
    shares = ("verdicts_by_platform", "verdicts_by_lang")
    csvs = re.findall(r'download="TJK_([a-z_]+)\.csv" href="data:text/csv;base64,([^"]+)"', hidden)
    counted = {name: pd.read_csv(io.BytesIO(base64.b64decode(data))) for name, data in csvs}
    assert set(counts + shares) <= set(counted)
    for name in counts:
        column = next(c for c in ("n", "Items", "Posts", "Forwards") if c in counted[name])
        assert counted[name][column].notna().all(), name
    for name in shares:
        assert counted[name].select_dtypes("number").isna().all().all(), name
    # Every other table of estimates too: only the tables that hold no estimate keep numbers.
    # The catalog table counts public records of organisations, not respondents.
    not_estimates = {
        "context",
        "method",
        "cleaning_log",
        "unmapped",
        "suppressed",
        "comments",
        "catalog",
        *counts,
    }
    estimates = set(counted) - not_estimates
    assert {
        "media",
        "media_by_age_group",
        "trust",
        "mil",
        "mil_index",
        "discernment",
        "discernment_by_self_assessment",
        "fc",
        "stakeholders",
    } <= estimates
    leaked = [n for n in estimates if counted[n].select_dtypes("number").notna().any().any()]
    assert leaked == []


def test_the_explore_notebook_runs_top_to_bottom_and_shows_its_results(processed, tmp_path):
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "explore.ipynb"),
        str(out),
        parameters={"processed_dir": str(processed)},
        cwd=str(NOTEBOOKS_DIR),
        kernel_name="python3",
        execution_timeout=120,
        progress_bar=False,
    )
    shown = [
        "".join(o.get("data", {}).get("text/plain", ""))
        for c in nbformat.read(out, as_version=4).cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ]
    assert any(s.startswith("'F = ") and "p = " in s for s in shown)
    assert any("use_telegram" in s and "age_group" in s for s in shown)


@pytest.mark.parametrize("notebook", ["country_report.ipynb", "regional_report.ipynb"])
def test_report_notebooks_have_a_heading_per_section_for_lab_only(notebook):
    nb = nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4)
    sections = [c for c in nb.cells if c.cell_type == "code" and ".section(" in c.source]
    headings = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(headings) >= len(sections) > 3
    # Headings are English: they serve JupyterLab and are removed from every built report.
    assert all("explore" in c.metadata.get("tags", []) for c in headings)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
