"""Stage fingerprints: each stage's key follows the code it runs, and nothing else."""

import json
import shutil
import subprocess
import sys

import pytest

from milresearch import stages
from milresearch.stages import PACKAGE_DIR, STAGES, stage_fingerprint, stage_modules


@pytest.mark.parametrize("stage", list(STAGES))
def test_the_declared_code_covers_every_module_the_stage_imports(stage):
    # The real import, in a fresh interpreter: what the read of the source must not miss.
    code = (
        "import importlib, json, sys\n"
        f"for m in {list(STAGES[stage])!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'milresearch')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    imported = set(json.loads(out.stdout))
    assert imported <= set(stage_modules(stage))


def test_no_stage_runs_the_sample_generators_or_the_build_machinery():
    for stage in STAGES:
        found = stage_modules(stage)
        assert not [m for m in found if m.startswith("milresearch.sample")]
        assert "milresearch.build.runner" not in found
        assert "milresearch.cli" not in found


@pytest.fixture
def package(tmp_path):
    copy = tmp_path / "milresearch"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _keys(package):
    return {stage: stage_fingerprint(stage, package) for stage in STAGES}


def _append(path, code):
    path.write_text(path.read_text(encoding="utf-8") + code, encoding="utf-8")


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_docstrings_comments_and_generators_change_no_key(package):
    before = _keys(package)
    _append(package / "sample" / "survey.py", "\nCHANGED = 1\n")
    charts = package / "reports" / "charts.py"
    _edit(charts, '"""', '"""An edited docstring. ')
    _append(charts, "\n# a comment\n\n")
    _edit(package / "clean" / "survey.py", '"""', '"""A reworded docstring. ')
    assert _keys(package) == before


def test_a_chart_edit_changes_the_report_key_only(package):
    before = _keys(package)
    _append(package / "reports" / "charts.py", "\nCHANGED = 1\n")
    after = _keys(package)
    assert after["report"] != before["report"]
    assert after["analysis"] == before["analysis"]
    assert after["clean"] == before["clean"]


def test_a_cleaning_edit_changes_the_cleaning_key_and_not_the_reports(package):
    before = _keys(package)
    _append(package / "clean" / "survey.py", "\nCHANGED = 1\n")
    after = _keys(package)
    assert after["clean"] != before["clean"]
    assert after["report"] == before["report"]


def test_declared_data_beside_the_code_is_part_of_the_key(package):
    before = _keys(package)
    _edit(package / "reports" / "messages.yml", "Contents", "Table of contents")
    _edit(package / "analysis" / "scales.yml", "share: [4, 5]", "share: [5]")
    after = _keys(package)
    assert after["report"] != before["report"]
    assert after["analysis"] != before["analysis"]


def test_a_long_lived_process_sees_edits(package):
    first = stage_fingerprint("report", package)
    path = package / "reports" / "labels.py"
    _append(path, "\nCHANGED = 2\n")
    assert stage_fingerprint("report", package) != first
    assert stages.module_path("milresearch.reports.labels", package) == path


def _fresh_process(monkeypatch, cache):
    """As a new process would start: nothing read yet, the cache file at ``cache``."""
    monkeypatch.setattr(stages, "SOURCE_CACHE", cache)
    monkeypatch.setattr(stages, "_SOURCES", {})
    monkeypatch.setattr(stages, "_LOADED", {})


def test_a_second_run_reads_the_sources_from_the_cache_and_gets_the_same_keys(
    tmp_path, monkeypatch
):
    cache = tmp_path / "stages.cache"
    _fresh_process(monkeypatch, cache)
    first = {stage: stage_fingerprint(stage) for stage in STAGES}
    assert json.loads(cache.read_text())["sources"]
    _fresh_process(monkeypatch, cache)

    def parse(data):
        raise AssertionError("parsed a source the cache holds")

    monkeypatch.setattr(stages, "_parse", parse)
    assert {stage: stage_fingerprint(stage) for stage in STAGES} == first


@pytest.mark.parametrize("stored", ["not json", '{"parser": "another", "sources": {}}', "[]"])
def test_a_cache_that_is_broken_or_from_another_parser_is_ignored(tmp_path, monkeypatch, stored):
    cache = tmp_path / "stages.cache"
    _fresh_process(monkeypatch, cache)
    expected = stage_fingerprint("analysis")
    cache.write_text(stored)
    _fresh_process(monkeypatch, cache)
    if stored.startswith('{"parser"'):
        # Another parser's entry for a real source, with a wrong digest: it must not be used.
        source = (PACKAGE_DIR / "analysis" / "steps.py").read_bytes()
        entry = {"imports": [], "digest": "00" * 32}
        key = stages.hashlib.sha256(source).hexdigest()
        cache.write_text(json.dumps({"parser": "another", "sources": {key: entry}}))
    assert stage_fingerprint("analysis") == expected


def test_the_cache_keeps_this_runs_sources_and_drops_the_oldest_others(tmp_path, monkeypatch):
    cache = tmp_path / "stages.cache"
    stale = [f"{i:064x}" for i in range(200)]  # entries of sources edited since, oldest first
    entry = {"imports": [], "digest": "00" * 32}
    cache.write_text(
        json.dumps({"parser": stages._parser(), "sources": dict.fromkeys(stale, entry)})
    )
    _fresh_process(monkeypatch, cache)
    monkeypatch.setattr(stages, "_CACHE_ENTRIES", 100)
    stage_fingerprint("clean")
    read = {key.hex() for key in stages._SOURCES}
    kept = list(json.loads(cache.read_text())["sources"])
    assert read <= set(kept) and len(kept) == 100 > len(read)  # some stale entries went
    assert [k for k in kept if k in stale] == stale[len(stale) - (100 - len(read)) :]
