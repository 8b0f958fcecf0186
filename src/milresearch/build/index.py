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
from milresearch.reports.i18n import t
from milresearch.reports.render import render_template


def _title(name: str, lang: str) -> str:
    countries = load_countries()
    if name == "regional":
        return t("index.regional", lang)
    return f"{countries[name].name(lang)} ({name})" if name in countries else name


def index_rows(reports_dir: Path, state: dict, lang: str = "en") -> list[dict]:
    """One row per report in the build state: by language, countries first, regional last."""
    rows = []
    for slug in sorted(state, key=lambda s: (s.split("/")[0], s.split("/")[1] == "regional", s)):
        entry = state[slug]
        report_lang, name = slug.split("/", 1)
        html = entry.get("html") or f"{report_lang}/{name}.html"
        exists = (reports_dir / "html" / html).exists()
        failed = entry.get("status") == TaskStatus.FAILED
        if failed:
            # Say exactly what the file is: the last good build's, or one this failed run wrote
            # before it failed (e.g. the disk filled after the page was written).
            good = exists and entry.get("html_sha256") == storage.sha256_file(
                reports_dir / "html" / html
            )
            key = "index.failed_kept" if good else "index.failed_new" if exists else "index.failed"
            shown = t(key, lang, built=entry.get("built_at", "").replace("T", " ")[:16])
        else:
            shown = t("index.ok", lang)
        rows.append(
            {
                "title": _title(name, report_lang),
                "href": html if exists else None,
                "lang": report_lang,
                "built": entry.get("built_at", "").replace("T", " ")[:16],
                "status": str(entry.get("status", "")).replace(" ", "-"),
                "shown": shown,
                "error": entry.get("error", "") if failed else "",
            }
        )
    return rows


def write_index(reports_dir: Path, state: dict, lang: str = "en") -> Path:
    """Write ``reports/html/index.html`` from the build state; returns its path."""
    written = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_template(
        "index.html.j2",
        lang=lang,
        t=lambda key, **values: t(key, lang, **values),
        css=(REPORT_RESOURCES / "report.css").read_text(encoding="utf-8"),
        meta=t("index.meta", lang, version=__version__, written=written),
        rows=index_rows(reports_dir, state, lang),
    )
    target = reports_dir / "html" / "index.html"
    storage.write_text(target, str(page) + "\n")
    return target
