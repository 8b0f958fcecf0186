"""The catalog page: every MIL initiative in the region, with filters, in both languages."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from milresearch.clean.catalog import load_vocabulary
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.reports import PAGES
from milresearch.reports.bilingual import (
    LANGS,
    both,
    country_names,
    joined_words,
    language_names,
    messages,
    page_values,
    safe_href,
    vocabulary_label,
)
from milresearch.reports.i18n import t
from milresearch.reports.numbers import Numbers
from milresearch.reports.render import HTML, render_template


def _years(start, end) -> dict[str, str] | None:
    if pd.isna(start):
        return None
    if pd.isna(end):
        return both("catalog.since", start=int(start))
    return both("catalog.years", start=int(start), end=int(end))


def _options(values: Counter, label) -> list[dict]:
    return [
        {"value": v, "label": label(v), "n": n}
        for v, n in sorted(values.items(), key=lambda kv: label(kv[0])["en"])
    ]


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
            shown = joined_words(
                [
                    {lang: vocab["mil_components"][c][lang] for lang in LANGS}
                    for c in row.mil_components
                ]
            )
            extras.append(
                {lang: t("catalog.components", lang, components=shown[lang]) for lang in LANGS}
            )
        if len(row.target_groups):
            extras.append(both("catalog.groups", groups=", ".join(row.target_groups)))
        if row.donor:
            extras.append(both("catalog.donor", donor=row.donor))
        search = " ".join(
            [
                row.name,
                row.organisation,
                row.description,
                " ".join(row.tags),
                *(country_names(c)["en"] + " " + country_names(c)["ru"] for c in countries),
            ]
        )
        entries.append(
            {
                "id": row.entry_id,
                "name": row.name,
                "organisation": row.organisation,
                "href": safe_href(row.url),
                "description": row.description,
                "text_lang": "en",
                "countries": joined_words([country_names(c) for c in countries]),
                "categories": joined_words([vocabulary_label("categories", c) for c in cats]),
                "languages": joined_words([language_names(c) for c in langs]),
                "years": _years(row.date_start, row.date_end),
                "extras": extras,
                "cite": both(
                    "catalog.source",
                    source=row.source_name,
                    licence=row.licence or "–",
                    file=row.file,
                ),
                "countries_keys": " ".join(countries),
                "categories_keys": " ".join(cats),
                "languages_keys": " ".join(langs),
                "types_keys": " ".join(types),
                "search": search.casefold(),
            }
        )
    counts = Counter(c for cs in catalog["countries"] for c in cs)
    nums = {lang: Numbers(lang) for lang in LANGS}
    coverage = {
        lang: t(
            "catalog.coverage",
            lang,
            counts=", ".join(
                f"{country_names(c)[lang]} {nums[lang].integer(counts[c])}"
                for c in sorted(COUNTRY_CODES, key=lambda c: -counts[c])
            ),
        )
        for lang in LANGS
    }
    filters = [
        {
            "key": "country",
            "label": both("catalog.country"),
            "options": _options(counts, country_names),
        },
        {
            "key": "category",
            "label": both("catalog.category"),
            "options": _options(
                Counter(c for cs in catalog["categories"] for c in cs),
                lambda k: vocabulary_label("categories", k),
            ),
        },
        {
            "key": "language",
            "label": both("catalog.language"),
            "options": _options(
                Counter(c for cs in catalog["languages"] for c in cs), language_names
            ),
        },
        {
            "key": "type",
            "label": both("catalog.type"),
            "options": _options(
                Counter(c for cs in catalog["types"] for c in cs),
                lambda k: vocabulary_label("types", k),
            ),
        },
    ]
    sources = catalog[["source_name", "licence", "citation"]].drop_duplicates("source_name")
    licence = both(
        "catalog.licence",
        sources=", ".join(sources["source_name"]),
        licences=", ".join(sorted({str(x) for x in sources["licence"] if str(x)})) or "–",
        citations="; ".join(c for c in sources["citation"] if c) or "–",
    )
    common = page_values(page, written)
    return render_template(
        "catalog.html.j2",
        **common
        | {
            "t": common["t"]
            | messages(
                "catalog",
                "search",
                "search_hint",
                "any",
                "shown",
                "reset",
                "none",
                "no_link",
                "empty",
            )
        },
        intro=both("catalog.intro", n=len(entries)),
        coverage=coverage,
        filters=filters,
        entries=entries,
        licence=licence,
    )
