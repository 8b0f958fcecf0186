"""Analysis frames kept between report runs, per country and analysis key, for every language.

A report's analysis steps know no language, so the English and Russian reports of a country,
and a report rebuilt after a chart was edited, can share one computation. An entry is stored
under a key made of everything the frames depend on: the analysis code (the ``analysis`` stage
fingerprint), the country's analysis key from the manifest (what its analysis reads, so an
edit to a raw file that changes no processed row, metadata or log entry keeps its entries), the
settings file and the small-cell threshold. Entries are Parquet files, never pickles, and a step
whose frames would not come back from Parquet exactly is not cached at all, so a cached report
equals a computed one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from milresearch import storage

CACHE_DIR = ".cache/analysis"
"""Inside the processed folder, beside the cleaning cache."""

Frames = Mapping[str, pd.DataFrame]


JSON_COLUMNS = "milresearch.json_columns"
"""Parquet metadata key naming the object columns stored as JSON text."""


def _tagged(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return {"__date__" if type(value) is dt.date else "__datetime__": value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not stored in the analysis cache")


def _untagged(found: dict) -> object:
    if "__date__" in found:
        return dt.date.fromisoformat(found["__date__"])
    if "__datetime__" in found:
        return dt.datetime.fromisoformat(found["__datetime__"])
    return found


def _encode(frame: pd.DataFrame) -> bytes:
    """Parquet bytes of a frame; object columns (mixed codes and names) go as JSON text."""
    mixed = [str(c) for c in frame.columns if frame[c].dtype == object]
    table = frame.assign(**{c: [json.dumps(v, default=_tagged) for v in frame[c]] for c in mixed})
    table.attrs = {**frame.attrs, JSON_COLUMNS: mixed}
    return table.to_parquet(index=True)


def _decode(data: bytes) -> pd.DataFrame:
    frame = pd.read_parquet(io.BytesIO(data))
    mixed = frame.attrs.pop(JSON_COLUMNS, [])
    for column in mixed:
        frame[column] = pd.Series(
            [json.loads(v, object_hook=_untagged) for v in frame[column]],
            index=frame.index,
            dtype=object,
        )
    return frame


def _parquet(frame: pd.DataFrame) -> bytes | None:
    """The frame as Parquet bytes, or None when it would not read back exactly."""
    try:
        data = _encode(frame)
        back = _decode(data)
        pd.testing.assert_frame_equal(frame, back, check_exact=True)
    except Exception:  # noqa: BLE001 - any failure to round-trip (pyarrow's own errors included) means: do not cache
        return None
    return data if frame.attrs == back.attrs else None


class AnalysisCache:
    """A folder of analysis frames for one country under one key.

    Args:
        folder: The country's cache folder (``<processed>/.cache/analysis/<country>``).
        key: Everything the frames depend on (see the module doc).
    """

    def __init__(self, folder: Path, key: str):
        self.folder = Path(folder)
        self.key = key
        self.hits: list[str] = []

    @classmethod
    def for_report(
        cls, processed_dir: Path, country: str, analysis_key: str, min_n: int
    ) -> AnalysisCache | None:
        """The cache of one report's analysis; None when the data carry no analysis key."""
        if not analysis_key:
            return None
        from milresearch.settings import SETTINGS_FILE
        from milresearch.stages import stage_fingerprint

        digest = hashlib.sha256(stage_fingerprint("analysis").encode())
        settings = Path(SETTINGS_FILE)
        digest.update(storage.sha256_file(settings).encode() if settings.exists() else b"")
        digest.update(json.dumps([analysis_key, country, int(min_n)]).encode())
        return cls(Path(processed_dir) / CACHE_DIR / country, digest.hexdigest()[:32])

    def frames(self, step: str, compute: Callable[[], dict[str, pd.DataFrame]]) -> Frames:
        """The frames of ``step``: stored ones when present, else computed and stored."""
        entry = self.folder / self.key / step
        stored = self._load(entry)
        if stored is not None:
            self.hits.append(step)
            return stored
        frames = compute()
        self._save(entry, frames)
        return frames

    @staticmethod
    def _load(entry: Path) -> dict[str, pd.DataFrame] | None:
        try:
            names = json.loads((entry / "frames.json").read_text(encoding="utf-8"))
            return {n: _decode((entry / f"{i}.parquet").read_bytes()) for i, n in enumerate(names)}
        except (OSError, ValueError, KeyError):
            # A missing or damaged entry is recomputed, never trusted.
            return None

    def _save(self, entry: Path, frames: Mapping[str, pd.DataFrame]) -> None:
        encoded = [_parquet(frame) for frame in frames.values()]
        if any(data is None for data in encoded):
            return
        for i, data in enumerate(encoded):
            assert data is not None
            storage.write_bytes(entry / f"{i}.parquet", data)
        # Written last: an entry without its list of frames is not an entry.
        storage.write_text(entry / "frames.json", json.dumps(list(frames), ensure_ascii=False))
        for other in self.folder.iterdir():
            # Entries of older code or data are never read again.
            if other.name != self.key and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
