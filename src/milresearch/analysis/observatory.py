"""What the observatory pages show: the tracker grid, the evidence grid, a country's catalog.

Pure functions of the processed tables (``catalog.parquet``, ``indicators.parquet``) and the
validated declarations (``observatory.json``). Nothing here invents a status or a score: a cell
without an assessment says so, and the evidence grid lists what exists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

THIN_SHARE = 0.25
"""A country's catalog is thin when it holds under this share of the best-covered country's."""
SHORT_LIST = 12
"""Entries a country report lists by name."""


@dataclass(frozen=True)
class TrackerCell:
    """One recommendation in one country: its latest status and how it got there."""

    status: str
    """A key of the status scale; ``no_evidence`` when nothing was assessed."""
    date: str = ""
    previous: str = ""
    """The status before the latest, or empty."""
    change: str = "none"
    """``up``, ``down``, ``same`` (against the previous assessment) or ``none``."""
    history: tuple[dict, ...] = ()
    evidence_url: str = ""
    assessed_by: str = ""


def tracker_grid(observatory: dict, countries: list[str]) -> dict[tuple[str, str], TrackerCell]:
    """The latest status of each recommendation in each country, with its history.

    Args:
        observatory: The validated declarations (``observatory.json``).
        countries: ISO3 codes, the grid's columns.
    """
    order = list(observatory.get("statuses", {}))
    by_cell: dict[tuple[str, str], list[dict]] = {}
    for a in observatory.get("assessments", []):
        by_cell.setdefault((a["recommendation"], a["country"]), []).append(a)
    grid = {}
    for rec in observatory.get("recommendations", []):
        for country in countries:
            history = sorted(by_cell.get((rec["id"], country), []), key=lambda a: a["date"])
            if not history:
                grid[rec["id"], country] = TrackerCell("no_evidence")
                continue
            last = history[-1]
            previous = history[-2]["status"] if len(history) > 1 else ""
            change = "none"
            if previous:
                step = order.index(last["status"]) - order.index(previous)
                change = "up" if step > 0 else "down" if step < 0 else "same"
            grid[rec["id"], country] = TrackerCell(
                last["status"],
                last["date"],
                previous,
                change,
                tuple(history),
                last["evidence_url"],
                last["assessed_by"],
            )
    return grid


@dataclass(frozen=True)
class EvidenceItem:
    """One indicator's evidence for one country: the latest figure and the years covered."""

    indicator: str
    label: dict
    publisher: str
    rationale: dict
    first_year: int
    last_year: int
    value: float | None
    value_text: str
    citation: str


def evidence_grid(
    observatory: dict, indicators: pd.DataFrame, countries: list[str]
) -> dict[tuple[str, str], list[EvidenceItem]]:
    """For each ROAM-X category and country, the mapped indicators that have figures.

    A cell with no item means no proxy evidence is loaded: it is shown empty, never scored.
    """
    mapping = observatory.get("evidence_map") or {}
    grid: dict[tuple[str, str], list[EvidenceItem]] = {
        (category, country): []
        for category in mapping.get("categories", {})
        for country in countries
    }
    for item in mapping.get("evidence", []):
        rows = indicators[indicators["indicator"] == item["indicator"]]
        has = rows["value"].notna() | rows["value_text"].notna()
        for country in countries:
            mine = rows[has & (rows["country"] == country)].sort_values("year", kind="stable")
            if mine.empty:
                continue
            last = mine.iloc[-1]
            grid[item["category"], country].append(
                EvidenceItem(
                    item["indicator"],
                    item["label"],
                    item["publisher"],
                    item["rationale"],
                    int(mine["year"].min()),
                    int(last["year"]),
                    None if pd.isna(last["value"]) else float(last["value"]),
                    "" if pd.isna(last["value_text"]) else str(last["value_text"]),
                    str(last["citation"]),
                )
            )
    return grid


@dataclass(frozen=True)
class CountryCatalog:
    """What the catalog says about one country: counts, a short list, media outlets, coverage."""

    country: str
    entries: int
    by_category: list[tuple[str, int]]
    """Category key and count, most entries first."""
    short_list: pd.DataFrame
    outlets: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Media entries by category (state-affiliated, independent, …)."""
    best: tuple[str, int] = ("", 0)
    """The best-covered country and its count, for the coverage note."""
    thin: bool = False


def _having(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    """The rows whose list in ``column`` holds ``value`` (an empty frame keeps its columns)."""
    mask = frame[column].map(lambda values: value in list(values)).astype(bool)
    return frame.loc[mask]


def country_catalog(catalog: pd.DataFrame, country: str, vocabulary: dict) -> CountryCatalog:
    """The catalog entries naming ``country``, summarised for its report."""
    counts = Counter(c for cs in catalog["countries"] for c in cs)
    mine = _having(catalog, "countries", country)
    by_category = Counter(c for cs in mine["categories"] for c in cs).most_common()
    order = mine.assign(_media=mine["types"].map(lambda ts: "media" in list(ts)))
    short = order.sort_values(["_media", "name"], kind="stable").head(SHORT_LIST)
    media = {
        key: _having(mine, "categories", key).sort_values("name")
        for key, spec in vocabulary["categories"].items()
        if spec["type"] == "media"
    }
    best = counts.most_common(1)[0] if counts else ("", 0)
    return CountryCatalog(
        country=country,
        entries=len(mine),
        by_category=by_category,
        short_list=short.drop(columns="_media").reset_index(drop=True),
        outlets={k: v.reset_index(drop=True) for k, v in media.items() if len(v)},
        best=best,
        thin=len(mine) < THIN_SHARE * best[1],
    )


def who_works_here(
    catalog: pd.DataFrame, country: str, vocabulary: dict
) -> dict[str, pd.DataFrame]:
    """The frames of a country report's "Who works here": coverage, categories, entries, outlets.

    Category keys stay keys (the renderer words them), so the frames serve every language.
    """
    if catalog.empty:
        catalog = pd.DataFrame(
            {
                c: pd.Series(dtype="object")
                for c in ("entry_id", "name", "url", "countries", "categories", "types")
            }
        )
    found = country_catalog(catalog, country, vocabulary)
    coverage = pd.DataFrame(
        [
            {
                "entries": found.entries,
                "best_country": found.best[0],
                "best": found.best[1],
                "thin": found.thin,
            }
        ]
    )
    by_category = pd.DataFrame(found.by_category, columns=["category", "entries"])

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "name": frame["name"].astype(str),
                "url": frame["url"].astype(str),
                "categories": frame["categories"].map(lambda cs: " ".join(cs)),
                "entry_id": frame["entry_id"].astype(str),
            }
        )

    outlets = [rows(f).assign(category=key) for key, f in found.outlets.items()]
    return {
        "coverage": coverage,
        "by_category": by_category,
        "entries": rows(found.short_list) if found.entries else rows(catalog.head(0)),
        "outlets": pd.concat(outlets, ignore_index=True)
        if outlets
        else pd.DataFrame(columns=["name", "url", "categories", "entry_id", "category"]),
    }


def tracker_status(observatory: dict, country: str) -> dict[str, pd.DataFrame]:
    """A country's row of the tracker: each recommendation's latest status and change."""
    if not observatory:
        return {}
    grid = tracker_grid(dict(observatory), [country])
    rows = []
    for rec in observatory.get("recommendations", []):
        cell = grid[rec["id"], country]
        rows.append(
            {
                "recommendation": rec["id"],
                "source": rec["source"],
                "addressee": rec["addressee"],
                "status": cell.status,
                "date": cell.date,
                "previous": cell.previous,
                "change": cell.change,
                "evidence_url": cell.evidence_url,
                "assessed_by": cell.assessed_by,
            }
        )
    return {"status": pd.DataFrame(rows)}
