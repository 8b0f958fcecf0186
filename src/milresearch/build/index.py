"""The index page: every report with its language, build time and status.

Written after every build from the build state, in the language of the build's first report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from milresearch import __version__, storage
from milresearch.build.tasks import TaskStatus
from milresearch.ingest.countries import load_countries
from milresearch.reports import HERE as REPORT_RESOURCES
from milresearch.reports import PAGES
from milresearch.reports.i18n import t
from milresearch.reports.render import HTML, render_template


def _title(name: str, lang: str) -> str:
    countries = load_countries()
    if name == "regional":
        return t("index.regional", lang)
    return f"{countries[name].name(lang)} ({name})" if name in countries else name


def _language_name(lang: str) -> str:
    """A language's name in itself, as a link to that version reads ("English", "Русский")."""
    import babel

    name = babel.Locale.parse(lang).language_name or lang
    return name[:1].upper() + name[1:]


def _cell(reports_dir: Path, slug: str, entry: dict, lang: str) -> dict:
    """One language of one report: its link, its PDF, its build time and status."""
    report_lang, name = slug.split("/", 1)
    html = entry.get("html") or f"{report_lang}/{name}.html"
    exists = (reports_dir / "html" / html).exists()
    failed = entry.get("status") == TaskStatus.FAILED
    built = entry.get("built_at", "").replace("T", " ")[:16]
    if failed:
        # Say exactly what the file is: the last good build's, or one this failed run wrote
        # before it failed (e.g. the disk filled after the page was written).
        good = exists and entry.get("html_sha256") == storage.sha256_file(
            reports_dir / "html" / html
        )
        key = "index.failed_kept" if good else "index.failed_new" if exists else "index.failed"
        shown = t(key, lang, built=built)
    else:
        shown = t("index.ok", lang)
    pdf = reports_dir / "pdf" / report_lang / f"{name}.pdf"
    return {
        "lang": report_lang,
        "language": _language_name(report_lang),
        "href": html if exists else None,
        "pdf": f"../pdf/{report_lang}/{name}.pdf" if pdf.exists() else None,
        "built": built,
        "status": str(entry.get("status", "")).replace(" ", "-"),
        "shown": shown,
        "error": entry.get("error", "") if failed else "",
    }


def index_rows(reports_dir: Path, state: dict, lang: str = "en") -> list[dict]:
    """One row per report (country, then the regional one), with a cell per language."""
    by_name: dict[str, list[tuple[str, dict]]] = {}
    for slug in sorted(state):
        by_name.setdefault(slug.split("/", 1)[1], []).append((slug, state[slug]))
    order = sorted(by_name, key=lambda n: (n == "regional", n))
    return [
        {
            "title": _title(name, lang),
            "cells": [_cell(reports_dir, s, e, lang) for s, e in by_name[name]],
        }
        for name in order
    ]


def observatory_links(reports_dir: Path, lang: str) -> list[dict]:
    """Links to the observatory pages that exist (catalog, tracker, evidence map)."""
    html = reports_dir / "html"
    return [
        {"href": p.file + ("#ru" if lang == "ru" else ""), "label": t(p.title, lang)}
        for p in PAGES
        if (html / p.file).exists()
    ]


def write_index(reports_dir: Path, state: dict, lang: str = "en", synthetic: bool = False) -> Path:
    """Write ``reports/html/index.html`` from the build state; returns its path.

    Args:
        reports_dir: The reports folder.
        state: The build state (:mod:`milresearch.build.runner`).
        lang: The page's language.
        synthetic: Any report is built from data declared synthetic: the page says so on top.
    """
    written = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_template(
        "index.html.j2",
        lang=lang,
        t=lambda key, **values: t(key, lang, **values),
        css=HTML((REPORT_RESOURCES / "report.css").read_text(encoding="utf-8")),
        meta=t("index.meta", lang, version=__version__, written=written),
        banner=t("index.synthetic", lang) if synthetic else "",
        rows=index_rows(reports_dir, state, lang),
        pages=observatory_links(reports_dir, lang),
    )
    target = reports_dir / "html" / "index.html"
    storage.write_text(target, str(page) + "\n")
    return target
