"""The observatory pages: the catalog of initiatives, the recommendations tracker, the evidence map.

Each page is one self-contained HTML file in both languages (a switch shows one), made from a
Jinja template with autoescape on; nothing on it loads from elsewhere. The numbers come from
:mod:`milresearch.analysis.observatory`; this module only arranges and words them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pandas as pd

from milresearch import __version__
from milresearch.analysis.observatory import evidence_grid, tracker_grid
from milresearch.clean.catalog import load_vocabulary
from milresearch.ingest.countries import COUNTRY_CODES, load_countries
from milresearch.reports import HERE, PAGES, Page
from milresearch.reports.i18n import t
from milresearch.reports.numbers import Numbers
from milresearch.reports.render import HTML, render_template

LANGS = ("en", "ru")


def both(key: str, **values: object) -> dict[str, str]:
    """A message in every page language: ``{"en": …, "ru": …}``."""
    return {lang: t(key, lang, **values) for lang in LANGS}


def _join(parts: list[dict[str, str]], sep: str = ", ") -> dict[str, str]:
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGS}


def _country(code: str) -> dict[str, str]:
    countries = load_countries()
    return {lang: countries[code].name(lang) for lang in LANGS} if code in countries else {
        lang: code for lang in LANGS
    }  # fmt: skip


def _language(code: str) -> dict[str, str]:
    import babel

    names = {}
    for lang in LANGS:
        name = babel.Locale.parse(lang).languages.get(code, code)
        names[lang] = name[:1].upper() + name[1:]
    return names


def vocabulary_label(kind: str, key: str) -> dict[str, str]:
    """A catalog category's or type's name in every page language, or the key as written.

    Args:
        kind: ``categories`` or ``types``.
        key: The vocabulary key.
    """
    spec = load_vocabulary()[kind].get(key)
    return {lang: spec[lang] for lang in LANGS} if spec else {lang: key for lang in LANGS}


def safe_href(url: str) -> str | None:
    """A link target only for http(s) addresses: a ``javascript:`` URL in a record is text."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _common(page: Page, written: str) -> dict:
    css = (HERE / "report.css").read_text(encoding="utf-8")
    css += (HERE / "observatory.css").read_text(encoding="utf-8")
    return {
        "css": HTML(css),
        "title": both(f"{page.name}.title"),
        "meta": both("obs.meta", version=__version__, written=written),
        "links": [{"href": p.file, "label": both(p.title), "current": p is page} for p in PAGES],
        "t": {
            "index": both("nav.index"),
            "nav_label": both("obs.nav.label"),
            "lang_label": both("obs.lang.label"),
        },
    }


def _messages(prefix: str, *keys: str) -> dict[str, dict[str, str]]:
    return {key: both(f"{prefix}.{key}") for key in keys}


def _years(start, end) -> dict[str, str] | None:
    if pd.isna(start):
        return None
    if pd.isna(end):
        return both("catalog.since", start=int(start))
    return both("catalog.years", start=int(start), end=int(end))


def _options(values: Counter, label) -> list[dict]:
    return [{"value": v, "label": label(v), "n": n}
            for v, n in sorted(values.items(), key=lambda kv: label(kv[0])["en"])]  # fmt: skip


def catalog_page(catalog: pd.DataFrame, written: str) -> HTML:
    """The searchable, filterable catalog of initiatives."""
    vocab = load_vocabulary()
    page = PAGES[0]
    entries = []
    for row in catalog.sort_values("name", key=lambda s: s.str.casefold()).itertuples():
        countries, cats = list(row.countries), list(row.categories)
        langs, types = list(row.languages), list(row.types)
        extras = []
        if len(row.mil_components):
            shown = _join([{lang: vocab["mil_components"][c][lang] for lang in LANGS}
                           for c in row.mil_components])  # fmt: skip
            extras.append(
                {lang: t("catalog.components", lang, components=shown[lang]) for lang in LANGS}
            )
        if len(row.target_groups):
            extras.append(both("catalog.groups", groups=", ".join(row.target_groups)))
        if row.donor:
            extras.append(both("catalog.donor", donor=row.donor))
        search = " ".join([row.name, row.organisation, row.description, " ".join(row.tags),
                           *(_country(c)["en"] + " " + _country(c)["ru"] for c in countries)])  # fmt: skip
        entries.append({
            "id": row.entry_id,
            "name": row.name,
            "organisation": row.organisation,
            "href": safe_href(row.url),
            "description": row.description,
            "text_lang": "en",
            "countries": _join([_country(c) for c in countries]),
            "categories": _join([vocabulary_label("categories", c) for c in cats]),
            "languages": _join([_language(c) for c in langs]),
            "years": _years(row.date_start, row.date_end),
            "extras": extras,
            "cite": both("catalog.source", source=row.source_name, licence=row.licence or "–",
                         file=row.file),
            "countries_keys": " ".join(countries),
            "categories_keys": " ".join(cats),
            "languages_keys": " ".join(langs),
            "types_keys": " ".join(types),
            "search": search.casefold(),
        })  # fmt: skip
    counts = Counter(c for cs in catalog["countries"] for c in cs)
    nums = {lang: Numbers(lang) for lang in LANGS}
    coverage = {
        lang: t("catalog.coverage", lang, counts=", ".join(
            f"{_country(c)[lang]} {nums[lang].integer(counts[c])}"
            for c in sorted(COUNTRY_CODES, key=lambda c: -counts[c])))
        for lang in LANGS
    }  # fmt: skip
    filters = [
        {"key": "country", "label": both("catalog.country"),
         "options": _options(counts, _country)},
        {"key": "category", "label": both("catalog.category"),
         "options": _options(Counter(c for cs in catalog["categories"] for c in cs),
                             lambda k: vocabulary_label("categories", k))},
        {"key": "language", "label": both("catalog.language"),
         "options": _options(Counter(c for cs in catalog["languages"] for c in cs), _language)},
        {"key": "type", "label": both("catalog.type"),
         "options": _options(Counter(c for cs in catalog["types"] for c in cs),
                             lambda k: vocabulary_label("types", k))},
    ]  # fmt: skip
    sources = catalog[["source_name", "licence", "citation"]].drop_duplicates("source_name")
    licence = both(
        "catalog.licence",
        sources=", ".join(sources["source_name"]),
        licences=", ".join(sorted({str(x) for x in sources["licence"] if str(x)})) or "–",
        citations="; ".join(c for c in sources["citation"] if c) or "–",
    )
    common = _common(page, written)
    return render_template(
        "catalog.html.j2",
        **common | {"t": common["t"] | _messages(
            "catalog", "search", "search_hint", "any", "shown", "reset", "none", "no_link", "empty")},
        intro=both("catalog.intro", n=len(entries)),
        coverage=coverage,
        filters=filters,
        entries=entries,
        licence=licence,
    )  # fmt: skip


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
            groups[key] = {"id": f"{key[0]}-{key[1]}",
                           "title": {lang: f"{source[lang]}: {addressee[lang]}" for lang in LANGS},
                           "rows": []}  # fmt: skip
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
            cells.append({"status": cell.status, "label": _status_label(observatory, cell.status),
                          "date": cell.date, "change": change, "change_key": cell.change,
                          "evidence_url": safe_href(cell.evidence_url)})  # fmt: skip
        groups[key]["rows"].append({
            "id": rec["id"], "short": rec["short"], "text": rec["text"],
            "addressee": observatory["addressees"][rec["addressee"]], "cells": cells,
        })  # fmt: skip
    history = []
    previous: dict[tuple[str, str], str] = {}
    for a in sorted(observatory.get("assessments", []), key=lambda a: a["date"]):
        prior = previous.get((a["recommendation"], a["country"]))
        history.append({
            "date": a["date"], "country": a["country"], "recommendation": a["recommendation"],
            "previous": _status_label(observatory, prior) if prior else None,
            "status": _status_label(observatory, a["status"]), "assessed_by": a["assessed_by"],
            "note": a["note"], "evidence_url": safe_href(a["evidence_url"]),
        })  # fmt: skip
        previous[a["recommendation"], a["country"]] = a["status"]
    history.reverse()  # newest first
    empty = None
    if not observatory.get("assessments"):
        status = _status_label(observatory, "no_evidence")
        empty = {lang: t("tracker.empty", lang, status=status[lang]) for lang in LANGS}
    sources = [
        {lang: f"{s['name'][lang]} ({s['publisher'][lang]}{', ' + str(s['year']) if s.get('year') else ''})"
         for lang in LANGS}
        for s in observatory.get("sources", {}).values()
    ]  # fmt: skip
    common = _common(page, written)
    return render_template(
        "tracker.html.j2",
        **common | {"t": common["t"] | _messages(
            "tracker", "recommendation", "scale", "history", "no_history", "date", "country",
            "status", "previous", "by", "evidence", "sources")},
        intro=both("tracker.intro"),
        empty=empty,
        scale=[{"key": k, "label": dict(v)} for k, v in observatory.get("statuses", {}).items()],
        countries=[{"code": c, "name": _country(c)} for c in countries],
        groups=list(groups.values()),
        history=history,
        sources=sources,
    )  # fmt: skip


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
                shown = {lang: item.value_text or nums[lang].decimal(
                    float("nan") if item.value is None else item.value, _digits(item.value))
                         for lang in LANGS}  # fmt: skip
                items.append({
                    "label": item.label,
                    "latest": {lang: t("evidence.latest", lang, value=shown[lang], year=item.last_year)
                               for lang in LANGS},
                    "years": t("evidence.years", "en", first=item.first_year, last=item.last_year),
                    "publisher": item.publisher,
                })  # fmt: skip
            cells.append(items)
        rows.append({"key": key, "label": label, "cells": cells})
    used = {i["indicator"] for i in mapping.get("evidence", [])}
    citations = sorted(
        {str(c) for c in indicators.loc[indicators["indicator"].isin(used), "citation"]}
    )
    common = _common(page, written)
    return render_template(
        "evidence.html.j2",
        **common | {"t": common["t"] | _messages(
            "evidence", "category", "none", "mapping", "indicator", "rationale")},
        label=mapping.get("label", both("evidence.title")),
        intro=both("evidence.intro"),
        countries=[{"code": c, "name": _country(c)} for c in countries],
        rows=rows,
        mapping=mapping.get("evidence", []),
        citations=_shorten(citations),
    )  # fmt: skip


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
    return [f"{stem} {min(y)}–{max(y)}" if min(y) != max(y) else f"{stem} {y[0]}"
            for stem, y in sorted(series.items())]  # fmt: skip


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
