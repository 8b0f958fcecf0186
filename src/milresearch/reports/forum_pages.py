"""The forum pages: the tracker of the 2025 forum's recommendations, and the evidence map.

Both grids come from :mod:`milresearch.analysis.observatory`; this module arranges and words them.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.observatory import evidence_grid, tracker_grid
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.reports import PAGES
from milresearch.reports.bilingual import (
    LANGS,
    both,
    country_names,
    messages,
    page_values,
    safe_href,
)
from milresearch.reports.i18n import t
from milresearch.reports.numbers import Numbers
from milresearch.reports.render import HTML, render_template


def _status_label(observatory: dict, key: str) -> dict[str, str]:
    return dict(observatory["statuses"][key])


def tracker_page(observatory: dict, written: str) -> HTML:
    """The recommendation x country grid, and every assessment in date order."""
    page = PAGES[1]
    countries = list(COUNTRY_CODES)
    grid = tracker_grid(observatory, countries)
    groups: dict[tuple[str, str], dict] = {}
    for rec in observatory.get("recommendations", []):
        key = (rec["source"], rec["addressee"])
        if key not in groups:
            source = observatory["sources"][rec["source"]]["name"]
            addressee = observatory["addressees"][rec["addressee"]]
            groups[key] = {
                "id": f"{key[0]}-{key[1]}",
                "title": {lang: f"{source[lang]}: {addressee[lang]}" for lang in LANGS},
                "rows": [],
            }
        cells = []
        for country in countries:
            cell = grid[rec["id"], country]
            change = None
            if cell.change in ("up", "down"):
                before = _status_label(observatory, cell.previous)
                change = {
                    lang: t(f"tracker.{cell.change}", lang, status=before[lang]) for lang in LANGS
                }
            elif cell.change == "same":
                change = both("tracker.same")
            cells.append(
                {
                    "status": cell.status,
                    "label": _status_label(observatory, cell.status),
                    "date": cell.date,
                    "change": change,
                    "change_key": cell.change,
                    "evidence_url": safe_href(cell.evidence_url),
                }
            )
        groups[key]["rows"].append(
            {
                "id": rec["id"],
                "short": rec["short"],
                "text": rec["text"],
                "addressee": observatory["addressees"][rec["addressee"]],
                "cells": cells,
            }
        )
    history = []
    previous: dict[tuple[str, str], str] = {}
    for a in sorted(observatory.get("assessments", []), key=lambda a: a["date"]):
        prior = previous.get((a["recommendation"], a["country"]))
        history.append(
            {
                "date": a["date"],
                "country": a["country"],
                "recommendation": a["recommendation"],
                "previous": _status_label(observatory, prior) if prior else None,
                "status": _status_label(observatory, a["status"]),
                "assessed_by": a["assessed_by"],
                "note": a["note"],
                "evidence_url": safe_href(a["evidence_url"]),
            }
        )
        previous[a["recommendation"], a["country"]] = a["status"]
    history.reverse()  # newest first
    empty = None
    if not observatory.get("assessments"):
        status = _status_label(observatory, "no_evidence")
        empty = {lang: t("tracker.empty", lang, status=status[lang]) for lang in LANGS}
    sources = [
        {
            lang: f"{s['name'][lang]} ({s['publisher'][lang]}{', ' + str(s['year']) if s.get('year') else ''})"
            for lang in LANGS
        }
        for s in observatory.get("sources", {}).values()
    ]
    common = page_values(page, written)
    return render_template(
        "tracker.html.j2",
        **common
        | {
            "t": common["t"]
            | messages(
                "tracker",
                "recommendation",
                "scale",
                "history",
                "no_history",
                "date",
                "country",
                "status",
                "previous",
                "by",
                "evidence",
                "sources",
            )
        },
        intro=both("tracker.intro"),
        empty=empty,
        scale=[{"key": k, "label": dict(v)} for k, v in observatory.get("statuses", {}).items()],
        countries=[{"code": c, "name": country_names(c)} for c in countries],
        groups=list(groups.values()),
        history=history,
        sources=sources,
    )


def evidence_page(observatory: dict, indicators: pd.DataFrame, written: str) -> HTML:
    """The ROAM-X category x country grid of proxy evidence, and why each indicator is there."""
    page = PAGES[2]
    countries = list(COUNTRY_CODES)
    mapping = observatory.get("evidence_map") or {}
    grid = evidence_grid(observatory, indicators, countries)
    nums = {lang: Numbers(lang) for lang in LANGS}
    rows = []
    for key, label in mapping.get("categories", {}).items():
        cells = []
        for country in countries:
            items = []
            for item in grid[key, country]:
                shown = {
                    lang: item.value_text
                    or nums[lang].decimal(
                        float("nan") if item.value is None else item.value, _digits(item.value)
                    )
                    for lang in LANGS
                }
                items.append(
                    {
                        "label": item.label,
                        "latest": {
                            lang: t(
                                "evidence.latest", lang, value=shown[lang], year=item.last_year
                            )
                            for lang in LANGS
                        },
                        "years": t(
                            "evidence.years", "en", first=item.first_year, last=item.last_year
                        ),
                        "publisher": item.publisher,
                    }
                )
            cells.append(items)
        rows.append({"key": key, "label": label, "cells": cells})
    used = {i["indicator"] for i in mapping.get("evidence", [])}
    citations = sorted(
        {str(c) for c in indicators.loc[indicators["indicator"].isin(used), "citation"]}
    )
    common = page_values(page, written)
    return render_template(
        "evidence.html.j2",
        **common
        | {
            "t": common["t"]
            | messages("evidence", "category", "none", "mapping", "indicator", "rationale")
        },
        label=mapping.get("label", both("evidence.title")),
        intro=both("evidence.intro"),
        countries=[{"code": c, "name": country_names(c)} for c in countries],
        rows=rows,
        mapping=mapping.get("evidence", []),
        citations=_shorten(citations),
    )


def _digits(value: float | None) -> int:
    """Decimals a figure is shown with: none for whole numbers (ranks, points), two below 1."""
    if value is None or float(value).is_integer():
        return 0
    return 2 if abs(value) < 1 else 1


def _shorten(citations: list[str]) -> list[str]:
    """One line per publication series, with its years: "RSF … 2002–2025" not 24 lines."""
    import re

    series: dict[str, list[int]] = {}
    for c in citations:
        match = re.search(r"(.*?)\s*(\d{4})(?:[–-]\d{4})?$", c)
        stem, year = (match.group(1), int(match.group(2))) if match else (c, 0)
        series.setdefault(stem, []).append(year)
    return [
        f"{stem} {min(y)}–{max(y)}" if min(y) != max(y) else f"{stem} {y[0]}"
        for stem, y in sorted(series.items())
    ]
