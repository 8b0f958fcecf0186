"""What the processed data was made from: the file names and the up-to-date check.

Kept free of pandas and the cleaning code so that a build with nothing to do starts fast.
"""

from __future__ import annotations

import json
from pathlib import Path

from milresearch import __version__, storage

SURVEY_FILE = "survey.parquet"
SURVEY_MISSING_FILE = "survey_missing.parquet"
CONTENT_FILE = "content.parquet"
INDICATORS_FILE = "indicators.parquet"
CATALOG_FILE = "catalog.parquet"
OBSERVATORY_FILE = "observatory.json"
LOG_FILE = "cleaning_log.json"
MANIFEST_FILE = "manifest.json"
CACHE_DIR = ".cache"
"""The processed folder's caches (cleaning steps, analysis) and its lock."""
LOCK_FILE = f"{CACHE_DIR}/lock"
"""Held by a clean, and by a build from its clean to its last report."""
OUTPUTS = (
    SURVEY_FILE,
    SURVEY_MISSING_FILE,
    CONTENT_FILE,
    INDICATORS_FILE,
    CATALOG_FILE,
    OBSERVATORY_FILE,
    LOG_FILE,
    MANIFEST_FILE,
)


def processed_lock(processed_dir: Path, what: str):
    """The processed folder's lock: one clean or build at a time (see ``storage.folder_lock``)."""
    return storage.folder_lock(processed_dir, what, LOCK_FILE)


def source_fingerprint() -> str:
    """Hash of the code cleaning runs (the ``clean`` stage): a change makes outputs stale."""
    from milresearch.stages import stage_fingerprint

    return stage_fingerprint("clean")


def input_files(raw_dir: Path) -> list[Path]:
    """Every file under ``raw_dir`` that cleaning reads (data, codebooks, indicators)."""
    skip = {".gitkeep", ".DS_Store"}
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.name not in skip)


def input_hashes(raw_dir: Path, settings_path: Path | None = None) -> dict[str, str]:
    """SHA-256 of every input, keyed by its path relative to the raw folder."""
    hashes = {str(p.relative_to(raw_dir)): storage.sha256_file(p) for p in input_files(raw_dir)}
    if settings_path is not None and settings_path.exists():
        hashes["<settings>"] = storage.sha256_file(settings_path)
    return hashes


def read_manifest(processed_dir: Path) -> dict:
    """The manifest of the processed data, or an empty dict when there is none."""
    path = processed_dir / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def is_up_to_date(raw_dir: Path, processed_dir: Path, settings_path: Path) -> bool:
    """True when processed data exists and was made from exactly the current inputs."""
    if not all((processed_dir / f).exists() for f in OUTPUTS):
        return False
    recorded = read_manifest(processed_dir)
    return (
        recorded.get("inputs") == input_hashes(raw_dir, settings_path)
        and recorded.get("package_version") == __version__
        and recorded.get("source") == source_fingerprint()
    )
