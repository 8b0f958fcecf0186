"""The observatory pages: the catalog of initiatives, the recommendations tracker, the evidence map.

Each page is one self-contained HTML file in both languages (a switch shows one), made from a
Jinja template with autoescape on; nothing on it loads from elsewhere. The catalog is drawn by
:mod:`milresearch.reports.catalog_page`, the tracker and evidence map by
:mod:`milresearch.reports.forum_pages`; this module reads the processed data and writes them all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from milresearch.reports.catalog_page import catalog_page
from milresearch.reports.forum_pages import evidence_page, tracker_page
from milresearch.reports.render import HTML


def written_now() -> str:
    """When a page is written, as its header shows it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_pages(processed_dir: Path, written: str | None = None) -> dict[str, HTML]:
    """Every observatory page from the processed data: file name to HTML."""
    import json

    from milresearch.clean.manifest import CATALOG_FILE, INDICATORS_FILE, OBSERVATORY_FILE

    processed = Path(processed_dir)
    when = written or written_now()
    catalog = pd.read_parquet(processed / CATALOG_FILE)
    observatory = json.loads((processed / OBSERVATORY_FILE).read_text(encoding="utf-8"))
    indicators = pd.read_parquet(processed / INDICATORS_FILE)
    pages = {"catalog.html": catalog_page(catalog, when)}
    if observatory:
        pages["tracker.html"] = tracker_page(observatory, when)
        if observatory.get("evidence_map"):
            pages["evidence.html"] = evidence_page(observatory, indicators, when)
    return pages
