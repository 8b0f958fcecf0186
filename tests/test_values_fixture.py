"""The values-style survey fixture: regenerable bit for bit, and shaped as its README says."""

from __future__ import annotations

import numpy as np
import pyreadstat
import pytest

from milresearch.sample.values import CODEBOOK_NAME, SAV_NAME, write_values_survey
from milresearch.storage import sha256_file

ROWS = 4761
ITEMS = ["Q201", "Q202", "Q203", "Q204", "Q205", "Q206", "Q207", "Q208", "Q66", "Q67"]


@pytest.fixture(scope="module")
def fixture_dir(fixtures_path):
    return fixtures_path / "values_survey"


@pytest.fixture(scope="module")
def sav(fixture_dir):
    frame, meta = pyreadstat.read_sav(str(fixture_dir / SAV_NAME), apply_value_formats=False)
    return frame, meta


def test_regenerating_gives_the_same_bytes(tmp_path, fixture_dir):
    written = write_values_survey(tmp_path)
    assert sorted(p.name for p in written) == sorted([SAV_NAME, CODEBOOK_NAME])
    for path in written:
        assert sha256_file(path) == sha256_file(fixture_dir / path.name), path.name


def test_rows_and_countries(sav):
    frame, meta = sav
    assert len(frame) == ROWS
    assert frame["D_INTERVIEW"].is_unique
    assert sorted(frame["B_COUNTRY"].unique()) == [398, 417, 586, 762]
    assert meta.variable_value_labels["B_COUNTRY"] == {
        398.0: "Kazakhstan",
        417.0: "Kyrgyzstan",
        762.0: "Tajikistan",
        586.0: "Pakistan",
    }
    sizes = frame.groupby("B_COUNTRY").size()
    assert sizes.between(1100, 1300).all()
    psus = frame.groupby("B_COUNTRY")["psu_id"].nunique()
    assert (psus == 60).all()


def test_missing_codes_and_answers(sav):
    frame, meta = sav
    answers = frame[ITEMS].to_numpy()
    assert set(np.unique(answers[answers < 0])) == {-1, -2, -3, -4, -5}
    share_missing = (frame[ITEMS] < 0).mean()
    assert share_missing.between(0.01, 0.08).all()
    assert meta.variable_value_labels["Q202"][1.0] == "Daily"
    assert meta.variable_value_labels["Q66"][-1.0] == "Don't know"
    assert not frame.drop(columns="D_INTERVIEW").duplicated().any()


def test_age_duration_and_weights(sav):
    frame, _ = sav
    age = frame["Q262"]
    assert (age == -2).any()
    assert age[age >= 0].min() == 18
    assert age.max() <= 90
    median = frame["duration"].median()
    assert 30 <= median <= 60
    speeders = frame["duration"] < 0.4 * frame.groupby("B_COUNTRY")["duration"].transform("median")
    assert 0.01 <= speeders.mean() <= 0.06
    weight = frame["W_WEIGHT"]
    assert (weight > 0).all()
    assert weight.groupby(frame["B_COUNTRY"]).mean().round(3).eq(1.0).all()
    assert weight.std() > 0.1


def test_codebook_loads_and_cleans(fixture_dir):
    from milresearch.clean.log import CleaningLog
    from milresearch.clean.survey import clean_survey
    from milresearch.ingest.codebook import load_codebook
    from milresearch.ingest.readers import read_raw
    from milresearch.settings import ReportRules, SurveyRules

    book = load_codebook(fixture_dir / CODEBOOK_NAME)
    assert book.dataset.country is None and book.dataset.synthetic
    assert book.variables["duration"].unit == "minutes"
    assert book.scales["frequency"].share == (1,)
    assert book.scales["confidence"].share == (1, 2)
    assert len(book.battery("media_use")) == 8 and len(book.battery("trust")) == 2
    raw = read_raw(book)
    clean = clean_survey(raw, book, CleaningLog(), SurveyRules(), ReportRules())
    data = clean.data
    assert len(data) == ROWS
    assert sorted(data["country"].unique()) == ["KAZ", "KGZ", "PAK", "TJK"]
    minutes = raw.frame["duration"].to_numpy()
    assert np.allclose(data["duration_sec"].to_numpy(), minutes * 60)
    assert set(clean.missing["reason"]) == {
        "hard_to_say",
        "refused",
        "not_applicable",
        "not_asked",
        "invalid",
    }
