"""The cleaning step end to end on a small raw folder: outputs, log counts, atomicity."""

import json
import shutil

import pandas as pd
import pytest

from milresearch.clean import run_clean
from milresearch.errors import DataError
from milresearch.manifest import OUTPUTS, is_up_to_date
from milresearch.paths import RAW_DIR
from milresearch.settings import SETTINGS_FILE


@pytest.fixture
def raw(tmp_path, fixtures_path):
    raw = tmp_path / "raw"
    (raw / "survey").mkdir(parents=True)
    for name in ("mini.sav", "mini.codebook.yml"):
        shutil.copy(fixtures_path / "survey" / name, raw / "survey" / name)
    shutil.copytree(
        fixtures_path / "content",
        raw / "content",
        ignore=shutil.ignore_patterns("claimreview.json"),
    )
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    return raw


def test_clean_writes_every_table_and_counts_every_rule(raw, tmp_path):
    processed = tmp_path / "processed"
    result = run_clean(raw, processed)
    assert sorted(p.name for p in processed.iterdir()) == sorted(OUTPUTS)
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
