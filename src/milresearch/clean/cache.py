"""Cleaned datasets kept between runs, so that editing one raw file re-cleans only that file.

Each entry is stored under a key made from everything the cleaned result depends on: the data
file, its codebook, the cleaning settings and the package's own source. A changed input gives
a new key, and the old entry is replaced. Entries hold the cleaned tables and the cleaning-log
entries the step recorded, so a cached run writes the same log as a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from milresearch import storage
from milresearch.clean.log import CleaningLog, LogEntry

Frames = dict[str, pd.DataFrame]


class StepCache:
    """A folder of cleaned datasets, one entry per step name.

    Args:
        folder: Where entries live (inside the processed folder, never in data/raw).
        salt: Mixed into every key: settings and source fingerprints.
    """

    def __init__(self, folder: Path, salt: str):
        self.folder = Path(folder)
        self.salt = salt
        self.hits: list[str] = []

    def key(self, *parts: Path | str) -> str:
        """A key from file contents (for paths) and strings."""
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            text = storage.sha256_file(part) if isinstance(part, Path) else part
            digest.update(text.encode())
        return digest.hexdigest()[:32]

    def run(self, name: str, key: str, log: CleaningLog, compute: Callable[[], Frames]) -> Frames:
        """The frames of step ``name``: from the cache when ``key`` matches, else computed.

        Log entries the step records are stored with it and replayed on a hit.
        """
        entry = self.folder / name
        stored = self._load(entry, key)
        if stored is not None:
            frames, entries = stored
            log.entries.extend(entries)
            self.hits.append(name)
            return frames
        start = len(log.entries)
        frames = compute()
        self._save(entry, key, frames, log.entries[start:])
        return frames

    @staticmethod
    def _load(entry: Path, key: str) -> tuple[Frames, list[LogEntry]] | None:
        meta = entry / "entry.json"
        try:
            recorded = json.loads(meta.read_text(encoding="utf-8"))
            if recorded["key"] != key:
                return None
            frames = {n: pd.read_parquet(entry / f"{n}.parquet") for n in recorded["frames"]}
        except (OSError, ValueError, KeyError):
            # A missing or damaged entry is recomputed, never trusted.
            return None
        return frames, [LogEntry(**e) for e in recorded["log"]]

    def _save(self, entry: Path, key: str, frames: Frames, entries: list[LogEntry]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=self.folder))
        try:
            for n, frame in frames.items():
                frame.to_parquet(stage / f"{n}.parquet", index=False)
            meta = {"key": key, "frames": list(frames), "log": [asdict(e) for e in entries]}
            (stage / "entry.json").write_text(json.dumps(meta, ensure_ascii=False))
        except BaseException:
            # A full disk or an interrupt: nothing half-written stays behind.
            shutil.rmtree(stage, ignore_errors=True)
            raise
        # Swap whole folders so a reader never sees half an entry.
        old = entry.with_name(f".{entry.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if entry.exists():
            os.replace(entry, old)
        os.replace(stage, entry)
        shutil.rmtree(old, ignore_errors=True)
