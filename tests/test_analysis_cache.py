"""The analysis cache: a cached report equals a computed one, and is shared by languages."""

import json
import shutil

import pandas as pd
import pytest

from milresearch.analysis.cache import CACHE_DIR, AnalysisCache
from milresearch.reports import country, regional


@pytest.fixture
def processed_copy(processed, tmp_path):
    copy = tmp_path / "processed"
    shutil.copytree(processed, copy, ignore=shutil.ignore_patterns(".cache"))
    return copy


def _all_frames(report):
    return {name: dict(report.analysis(name)) for name in report.sections}


@pytest.mark.parametrize("which", ["TJK", "ALL"])
def test_cached_frames_equal_computed_ones_and_every_language_reads_them(processed_copy, which):
    def open_(lang, cache):
        if which == "ALL":
            return regional.open_report(processed_copy, lang, cache=cache)
        return country.open_report(processed_copy, which, lang, cache=cache)

    # Computed once, with nothing cached yet: these frames and this HTML are the reference.
    first = open_(lang="en", cache=True)
    computed = _all_frames(first)
    assert first.cache.hits == []
    computed_html = {name: str(first.section(name).html) for name in first.sections}
    russian = open_(lang="ru", cache=True)
    cached = _all_frames(russian)
    # Every step came from the cache: the Russian report computed nothing.
    assert sorted(russian.cache.hits) == sorted(russian.sections)
    for name, frames in computed.items():
        assert list(cached[name]) == list(frames)
        for key, frame in frames.items():
            pd.testing.assert_frame_equal(cached[name][key], frame, check_exact=True)
    # A report rendered from cached frames reads exactly as one rendered from computed ones.
    english_again = open_(lang="en", cache=True)
    for name in english_again.sections:
        assert str(english_again.section(name).html) == computed_html[name]
    assert sorted(english_again.cache.hits) == sorted(english_again.sections)


def test_the_key_follows_the_data_and_the_threshold(tmp_path):
    keys = {
        AnalysisCache.for_report(tmp_path, "KAZ", data, min_n).key
        for data, min_n in (("a", 30), ("b", 30), ("a", 50))
    }
    assert len(keys) == 3
    assert AnalysisCache.for_report(tmp_path, "KAZ", "", 30) is None


def test_a_report_keys_its_analysis_on_the_analysis_key_not_the_data_key(processed_copy):
    path = processed_copy / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))

    def key_with(edited: dict, field: str | None = None) -> str:
        edited = json.loads(json.dumps(edited))
        if field:
            edited[field]["TKM"] = "edited"
        path.write_text(json.dumps(edited), encoding="utf-8")
        return country.open_report(processed_copy, "TKM", "en").cache.key

    before = key_with(manifest)
    # A raw file's new hash (data key only) keeps the analysis; new rows (analysis key) do not.
    assert key_with(manifest, "data_keys") == before
    assert key_with(manifest, "analysis_keys") != before
    # Data cleaned before analysis keys existed: the data key stands in for it.
    del manifest["analysis_keys"]
    assert key_with(manifest, "data_keys") != key_with(manifest)


def test_a_frame_that_would_not_come_back_exactly_is_not_cached(tmp_path):
    cache = AnalysisCache(tmp_path, "k")
    odd = pd.DataFrame({"value": [object(), object()]})
    calls = []

    def compute():
        calls.append(1)
        return {"odd": odd}

    cache.frames("step", compute)
    cache.frames("step", compute)
    assert len(calls) == 2
    assert cache.hits == []


def test_a_damaged_entry_is_recomputed(tmp_path):
    cache = AnalysisCache(tmp_path, "k")
    frame = pd.DataFrame({"group": [1, "all"], "date": [pd.Timestamp("2026-01-01").date(), None]})
    cache.frames("step", lambda: {"f": frame})
    again = cache.frames("step", lambda: {"f": frame.head(0)})
    pd.testing.assert_frame_equal(again["f"], frame)
    (tmp_path / "k" / "step" / "0.parquet").write_bytes(b"not parquet")
    recomputed = cache.frames("step", lambda: {"f": frame.head(1)})
    assert len(recomputed["f"]) == 1
    assert cache.hits == ["step"]


def test_entries_of_older_keys_are_removed(tmp_path):
    frame = pd.DataFrame({"x": [1]})
    AnalysisCache(tmp_path, "old").frames("step", lambda: {"f": frame})
    AnalysisCache(tmp_path, "new").frames("step", lambda: {"f": frame})
    assert [p.name for p in tmp_path.iterdir()] == ["new"]
    assert CACHE_DIR.startswith(".cache")
