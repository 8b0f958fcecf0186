"""The cleaning step end to end on a small raw folder: outputs, log counts, atomicity."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from milresearch.clean.manifest import (
    CATALOG_FILE,
    CONTENT_FILE,
    LOG_FILE,
    MANIFEST_FILE,
    OUTPUTS,
    SURVEY_FILE,
    SURVEY_MISSING_FILE,
    is_up_to_date,
    read_manifest,
)
from milresearch.clean.step import run_clean
from milresearch.errors import DataError
from milresearch.ingest.codebook import find_codebooks
from milresearch.paths import RAW_DIR
from milresearch.settings import SETTINGS_FILE
from tests.waiting import wait_for


@pytest.fixture
def raw(tmp_path, fixtures_path):
    raw = tmp_path / "raw"
    (raw / "survey").mkdir(parents=True)
    for name in ("mini.sav", "mini.codebook.yml"):
        shutil.copy(fixtures_path / "survey" / name, raw / "survey" / name)
    shutil.copytree(
        fixtures_path / "content",
        raw / "content",
        # One small content delivery: the CSV fixture and its codebook.
        ignore=shutil.ignore_patterns(
            "claimreview.json", "mini_content_xlsx*", "mini_content_jsonl*"
        ),
    )
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    return raw


def test_clean_writes_every_table_and_counts_every_rule(raw, tmp_path):
    processed = tmp_path / "processed"
    result = run_clean(raw, processed)
    # Besides the outputs, only the hidden cache of cleaned datasets (no staging leftovers).
    assert sorted(p.name for p in processed.iterdir()) == sorted([*OUTPUTS, ".cache"])
    assert (result.survey_rows, result.content_rows) == (11, 12)
    survey = pd.read_parquet(processed / "survey.parquet")
    assert set(survey["country"]) == {"KAZ"}
    assert {
        "qc_speeder",
        "qc_straightliner",
        "qc_near_duplicate",
        "qc_out_of_range",
        "qc_exclude",
    } <= set(survey)
    log = pd.DataFrame(json.loads((processed / "cleaning_log.json").read_text()))
    counts = log.groupby(["stage", "rule"])["rows"].sum()
    assert counts[("survey", "exact_duplicate_removed")] == 1
    assert counts[("survey", "qc_exclude")] == 4
    assert counts[("content", "duplicate_url")] == 1
    assert counts[("content", "verdict_unmapped")] == 1
    manifest = json.loads((processed / "manifest.json").read_text())
    assert manifest["synthetic"] is True
    assert set(manifest["data_keys"]) == {"KAZ", "ALL"}
    assert is_up_to_date(raw, processed, SETTINGS_FILE)


def test_a_failed_clean_leaves_the_last_good_output(raw, tmp_path):
    processed = tmp_path / "processed"
    run_clean(raw, processed)
    before = {name: (processed / name).read_bytes() for name in OUTPUTS}
    book = raw / "survey" / "mini.codebook.yml"
    book.write_text(
        book.read_text(encoding="utf-8").replace("source: Q3", "source: Q3X"), encoding="utf-8"
    )
    with pytest.raises(DataError, match="'Q3X'"):
        run_clean(raw, processed)
    assert {name: (processed / name).read_bytes() for name in OUTPUTS} == before
    assert not is_up_to_date(raw, processed, SETTINGS_FILE)
    assert not list(processed.glob(".clean-*"))


def test_a_second_clean_reuses_unchanged_datasets_and_writes_the_same_outputs(processed, tmp_path):
    # The session's clean is the first one: a copy of the raw folder is the same input.
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    fresh = {name: (processed / name).read_bytes() for name in OUTPUTS}
    shutil.copytree(processed, tmp_path / "second")
    again = run_clean(raw, tmp_path / "second")
    # Every dataset, the clusters and the catalog.
    assert len(again.cached) == len(find_codebooks(raw)) + 2
    for name in (SURVEY_FILE, SURVEY_MISSING_FILE, CONTENT_FILE, CATALOG_FILE):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "second" / name), pd.read_parquet(processed / name)
        )
    assert (tmp_path / "second" / LOG_FILE).read_bytes() == fresh[LOG_FILE]
    before = json.loads(fresh[MANIFEST_FILE])["data_keys"]
    analysed = json.loads(fresh[MANIFEST_FILE])["analysis_keys"]
    assert read_manifest(tmp_path / "second")["data_keys"] == before
    assert set(analysed) == set(before) and not set(analysed.values()) & set(before.values())

    book = raw / "sample/survey/kgz_mil_2025.codebook.yml"
    book.write_text(book.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    third = run_clean(raw, tmp_path / "second")
    assert "survey-kgz_mil_2025" not in third.cached
    assert "survey-kaz_mil_2025" in third.cached and "content-clusters" in third.cached
    after = read_manifest(tmp_path / "second")
    # The report lists its inputs' SHA-256, so even a comment makes KGZ (and ALL) stale, only them;
    # its analysis reads no hash, so the comment keeps every analysis key.
    assert {c for c in before if after["data_keys"][c] != before[c]} == {"KGZ", "ALL"}
    assert after["analysis_keys"] == analysed

    # The fieldwork dates are metadata the analysis reads: KGZ's analysis key changes, only it.
    book.write_text(
        book.read_text(encoding="utf-8").replace("2025-04-14", "2025-04-15"), encoding="utf-8"
    )
    run_clean(raw, tmp_path / "second")
    keys = read_manifest(tmp_path / "second")["analysis_keys"]
    assert {c for c in analysed if keys[c] != analysed[c]} == {"KGZ", "ALL"}

    # An initiative's record edited: the catalog is read again, and the surveys are not.
    record = raw / "catalog/camgdp_sources/Adil_Qala.md"
    record.write_text(record.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    fourth = run_clean(raw, tmp_path / "second")
    assert "catalog" not in fourth.cached and "survey-kgz_mil_2025" in fourth.cached


def test_every_missing_answer_in_the_processed_survey_has_its_reason(processed):
    """Items a country did not ask are "not_asked" for each of its respondents, like 98/99."""
    survey = pd.read_parquet(processed / SURVEY_FILE)
    reasons = pd.read_parquet(processed / SURVEY_MISSING_FILE)
    items = [c for c in survey if c.startswith(("use_", "trust_", "mil_", "hl_", "fc_"))]
    empty = survey.melt(id_vars=["resp_id", "country"], value_vars=items).query("value.isna()")
    given = reasons[reasons["variable"].isin(items)]
    key = ["resp_id", "country", "variable"]
    merged = empty[key].merge(given[key + ["reason"]], on=key, how="left")
    assert merged["reason"].notna().all()
    assert len(given) == len(empty)
    tkm = reasons[(reasons["country"] == "TKM") & (reasons["reason"] == "not_asked")]
    n_tkm = int((survey["country"] == "TKM").sum())
    assert tkm["variable"].astype(str).value_counts().to_dict() == {
        "fc_use": n_tkm,
        "trust_russian_media": n_tkm,
        "trust_western_media": n_tkm,
    }


def test_a_clean_removes_what_an_interrupted_run_left_behind(processed, tmp_path):
    out = tmp_path / "processed"
    shutil.copytree(processed, out)
    left = [
        out / ".clean-x1y2z3" / "survey.parquet",
        out / ".cache" / ".survey-kaz_mil_2025-abc123" / "data.parquet",
        out / ".cache" / ".survey-kaz_mil_2025.old" / "data.parquet",
        out / ".cache" / "analysis" / "KAZ" / "0123abcd" / ".0.parquet.k3j2.tmp",
        out / ".survey.parquet.a1b2.tmp",
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half written")
    run_clean(RAW_DIR, out)
    assert [p for p in left if p.exists()] == []
    assert (out / ".cache" / "survey-kaz_mil_2025").is_dir()  # a real entry is kept


def test_a_clean_stops_at_once_while_a_build_holds_the_folder(tmp_path):
    import subprocess
    import sys

    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from milresearch.clean.step import processed_lock\n"
        "with processed_lock(Path(sys.argv[1]), 'build'):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder, str(tmp_path)],
        text=True,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(DataError, match=rf"another build is running \(pid {proc.pid}\)"):
            run_clean(RAW_DIR, tmp_path)
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_a_clean_killed_outright_leaves_nothing_the_next_clean_keeps(tmp_path):
    import signal
    import subprocess
    import sys

    out = tmp_path / "processed"
    command = [
        str(Path(sys.executable).parent / "milresearch"),
        "clean",
        "--processed-dir",
        str(out),
        "--quiet",
    ]
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # SIGKILL, as the out-of-memory killer sends, once the cache has begun to fill.
        wait_for(lambda: any((out / ".cache").glob("*")), every=0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    done = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    hidden = [p.relative_to(out) for p in out.rglob(".*") if p.name not in (".cache", "lock")]
    assert hidden == []
    assert (out / "manifest.json").exists()
