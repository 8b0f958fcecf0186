"""The machine-readable cleaning log: every rule, per dataset and country, with the rows it touched."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from milresearch import storage


@dataclass(frozen=True)
class LogEntry:
    """One rule applied to one slice of one dataset."""

    stage: str
    """``survey``, ``content`` or ``indicators``."""
    rule: str
    """A stable snake_case rule name, e.g. ``qc_speeder`` or ``missing_code``."""
    rows: int
    """How many rows the rule touched."""
    dataset: str = ""
    country: str = ""
    detail: str = ""


@dataclass
class CleaningLog:
    """Collects :class:`LogEntry` records while a pipeline runs."""

    entries: list[LogEntry] = field(default_factory=list)

    def record(
        self,
        stage: str,
        rule: str,
        rows: int,
        *,
        dataset: str = "",
        country: str = "",
        detail: str = "",
    ) -> None:
        """Add one entry; rows is stored as a plain int."""
        self.entries.append(LogEntry(stage, rule, int(rows), dataset, country, detail))

    def record_by_country(
        self, stage: str, rule: str, mask: pd.Series, countries: pd.Series, **kwargs
    ) -> None:
        """Add one entry per country with the number of True rows of ``mask`` (zeros included)."""
        counts = mask.groupby(countries, observed=True).sum()
        for country, n in counts.items():
            self.record(stage, rule, int(n), country=str(country), **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """The log as a table, one row per entry."""
        columns = ["stage", "rule", "rows", "dataset", "country", "detail"]
        return pd.DataFrame([asdict(e) for e in self.entries], columns=columns)

    def write(self, path: str | Path) -> None:
        """Write the log as JSON (a list of entries), atomically."""
        storage.write_text(
            path, json.dumps([asdict(e) for e in self.entries], ensure_ascii=False, indent=1)
        )


def read_log(path: str | Path) -> pd.DataFrame:
    """Read a cleaning log written by :meth:`CleaningLog.write`."""
    return pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8")))
