"""Cleaning the catalog of MIL initiatives: declared vocabularies, ISO codes, one row per entry.

Load the raw records (:mod:`milresearch.ingest.catalog`), process them (countries to ISO3,
category spellings to the vocabulary in ``catalog.yml`` beside this module, languages to
ISO 639-1, near-duplicates removed), and return the table the cleaning step saves as
``catalog.parquet``. Every repair and every value that could not be mapped is logged.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from milresearch.clean.log import CleaningLog
from milresearch.errors import DataError
from milresearch.ingest.catalog import CatalogSource, RawRecord, read_sources
from milresearch.ingest.countries import to_iso3
from milresearch.yamlfile import read_yaml

VOCABULARY_FILE = Path(__file__).with_name("catalog.yml")
STAGE = "catalog"
COLUMNS = (
    "entry_id",
    "source",
    "file",
    "name",
    "organisation",
    "countries",
    "categories",
    "types",
    "languages",
    "tags",
    "mil_components",
    "target_groups",
    "donor",
    "date_start",
    "date_end",
    "url",
    "description",
    "source_name",
    "citation",
    "licence",
    "updated",
)
LIST_COLUMNS = (
    "countries",
    "categories",
    "types",
    "languages",
    "tags",
    "mil_components",
    "target_groups",
)
SCOPE = frozenset({"KAZ", "KGZ", "TJK", "TKM", "UZB", "PAK"})
"""The countries this project covers; others (Mongolia in CAMGDP) are dropped from an entry."""


def _spelling(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().casefold())


@functools.cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> dict:
    """The declared types, categories (with their spellings) and MIL components."""
    vocab = read_yaml(path)
    types = vocab["types"]
    for key, spec in vocab["categories"].items():
        if spec["type"] not in types:
            raise DataError(
                f"category {key!r} has unknown type {spec['type']!r}",
                path=path,
                where=f"categories.{key}.type",
                hint=f"use one of: {', '.join(types)}",
            )
    return vocab


@functools.cache
def _category_lookup(path: Path = VOCABULARY_FILE) -> dict[str, str]:
    lookup = {}
    for key, spec in load_vocabulary(path)["categories"].items():
        for spelling in [key, spec["en"], *spec.get("spellings", ())]:
            lookup[_spelling(spelling)] = key
    return lookup


@functools.cache
def _language_lookup() -> dict[str, str]:
    """Language names (English and Russian, as Babel spells them) and codes to ISO 639-1."""
    import babel

    lookup: dict[str, str] = {}
    for locale in ("en", "ru"):
        for code, name in babel.Locale.parse(locale).languages.items():
            if len(code) == 2:
                lookup.setdefault(name.casefold(), code)
                lookup.setdefault(code, code)
    return lookup


def map_category(value: object) -> str | None:
    """The vocabulary key of a category spelling, or None when it is not declared."""
    return _category_lookup().get(_spelling(str(value)))


def map_language(value: object) -> str | None:
    """The ISO 639-1 code of a language name or code, or None when Babel does not know it."""
    return _language_lookup().get(str(value).strip().casefold())


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and str(v).strip() != ""]
    return [value]


def _year(value: Any) -> int | None:
    """A year from ``2018``, ``[2018]``, ``"2018"`` or a date; None when there is none."""
    values = _as_list(value)
    if not values:
        return None
    first = values[0]
    if isinstance(first, (dt.date, dt.datetime)):
        return first.year
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(first))
    return int(match.group(1)) if match else None


def _text(value: Any) -> str:
    """One line of text; a list (``title: ["…"]`` in some records) is joined."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value if v is not None)
    return " ".join(str(value).split()) if value is not None else ""


def normalise_url(url: str) -> str:
    """A URL as compared for duplicates: no scheme, no ``www.``, no trailing slash, lowercase."""
    text = re.sub(r"^https?://", "", url.strip().casefold())
    return re.sub(r"^www\.", "", text).rstrip("/")


def _record_row(
    record: RawRecord, source: CatalogSource, log: CleaningLog, strict: bool, mapped: Counter
) -> dict:
    """One raw record as a catalog row, with what could not be mapped logged (or refused)."""
    values = record.values
    where = values.get("where", "")

    def refuse(key: str, message: str, hint: str):
        raise DataError(
            message,
            path=source.folder.parent / record.file,
            where=f"{where}.{key}".strip("."),
            hint=hint,
        )

    countries = []
    for name in _as_list(values.get("countries")):
        code = to_iso3(name)
        if code is None and strict:
            refuse(
                "countries",
                f"unknown country {name!r}",
                "write a country name or ISO3 code the suite knows (ingest/countries.yml)",
            )
        if code in SCOPE:
            countries.append(code)
        else:
            log.record(
                STAGE,
                "country_outside_scope",
                1,
                dataset=source.key,
                detail=f"{record.file}: {name!r} left out",
            )
    vocab = load_vocabulary()
    categories = []
    for spelling in _as_list(values.get("categories")):
        key = map_category(spelling)
        if key is None and strict:
            refuse(
                "category",
                f"unknown category {spelling!r}",
                f"use a key of the vocabulary: {', '.join(vocab['categories'])}",
            )
        if key is None:
            key = str(spelling).strip()
            log.record(
                STAGE,
                "category_unmapped",
                1,
                dataset=source.key,
                detail=f"{record.file}: {spelling!r} kept as written; add it to clean/catalog.yml",
            )
        elif str(spelling) != key:
            mapped[(source.key, str(spelling), key)] += 1
        if key not in categories:
            categories.append(key)
    types = [vocab["categories"][c]["type"] for c in categories if c in vocab["categories"]]
    for given in _as_list(values.get("types")):
        if str(given) not in vocab["types"]:
            refuse("type", f"unknown type {given!r}", f"use one of: {', '.join(vocab['types'])}")
        types.append(str(given))
    languages = []
    for name in _as_list(values.get("languages")):
        code = map_language(name)
        if code is None and strict:
            refuse(
                "languages",
                f"unknown language {name!r}",
                "write a language's English name or ISO 639-1 code",
            )
        if code is None:
            log.record(
                STAGE,
                "language_unmapped",
                1,
                dataset=source.key,
                detail=f"{record.file}: {name!r} left out",
            )
        elif code not in languages:
            languages.append(code)
    components = [str(c).strip().casefold() for c in _as_list(values.get("mil_components"))]
    for c in components:
        if c not in vocab["mil_components"]:
            refuse(
                "mil_components",
                f"unknown MIL component {c!r}",
                f"use some of: {', '.join(vocab['mil_components'])}",
            )
    if strict and not components:
        refuse(
            "mil_components",
            "the entry names no MIL component",
            f"give one or more of: {', '.join(vocab['mil_components'])}",
        )
    start, end = _year(values.get("date_start")), _year(values.get("date_end"))
    if strict and values.get("date_start") is not None and start is None:
        refuse("date_start", f"{values.get('date_start')!r} is not a year", "write a year: 2021")
    url = _text(values.get("url"))
    if not url:
        log.record(
            STAGE,
            "url_missing",
            1,
            dataset=source.key,
            detail=f"{record.file}: no link in the record",
        )
    name = _text(values.get("name")) or Path(record.file).stem
    description = _text(values.get("description")) or _text(values.get("body"))[:300]
    updated = values.get("updated")
    return {
        "entry_id": "",
        "source": source.key,
        "file": record.file + (f"#{where}" if where else ""),
        "name": name,
        "organisation": _text(values.get("organisation")) or name,
        "countries": sorted(set(countries), key=countries.index),
        "categories": categories,
        "types": list(dict.fromkeys(types)),
        "languages": languages,
        "tags": [_text(t) for t in _as_list(values.get("tags"))],
        "mil_components": list(dict.fromkeys(components)),
        "target_groups": [_text(t) for t in _as_list(values.get("target_groups"))],
        "donor": _text(values.get("donor")),
        "date_start": start,
        "date_end": end,
        "url": url,
        "description": description,
        "source_name": source.name,
        "citation": source.citation,
        "licence": _text(values.get("licence")) or source.licence,
        "updated": str(updated) if updated is not None else "",
    }


def drop_near_duplicates(frame: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Keep one row per initiative: one URL, or one name, with one country set, is one.

    A shared URL alone is not enough: one survey programme's page serves several country
    records (the Living Standards Measurement Study), each its own entry.

    The most recently updated record is kept (then the first file by name); each drop is logged
    with both files, so a reader can check the pair.
    """
    if frame.empty:
        return frame
    order = frame.sort_values(["updated", "file"], ascending=[False, True], kind="stable")
    url = order["url"].map(normalise_url)
    title = order["name"].map(lambda n: re.sub(r"[^\w]+", "", str(n).casefold()))
    where = order["countries"].map(lambda c: ",".join(sorted(c)))
    kept_by: dict[str, str] = {}
    keep = []
    for i, row in enumerate(order.itertuples(index=False)):
        keys = [f"url:{url.iloc[i]}|{where.iloc[i]}"] if url.iloc[i] else []
        keys.append(f"name:{title.iloc[i]}|{where.iloc[i]}")
        first = next((kept_by[k] for k in keys if k in kept_by), None)
        if first is None:
            keep.append(True)
            for k in keys:
                kept_by[k] = row.file
        else:
            keep.append(False)
            log.record(
                STAGE,
                "near_duplicate",
                1,
                dataset=row.source,
                detail=f"{row.file} dropped: the same initiative as {first} (kept)",
            )
    return frame.loc[order.index[keep]].sort_index()


def _entry_id(row: pd.Series) -> str:
    digest = hashlib.sha256(f"{row['source']}|{row['file']}".encode()).hexdigest()
    return f"{row['source']}-{digest[:10]}"


def empty_catalog() -> pd.DataFrame:
    """The catalog's columns, with no rows: what a project without a catalog writes."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def clean_catalog(catalog_dir: Path, log: CleaningLog) -> pd.DataFrame:
    """Read, map, de-duplicate and validate every declared catalog source.

    Args:
        catalog_dir: ``data/raw/catalog``; a project without one gets an empty table.
        log: Receives the rows read, every repair, mapping and drop (stage ``catalog``).

    Raises:
        DataError: For a declaration or a user's entry that breaks the schema.
    """
    sources, records = read_sources(Path(catalog_dir))
    by_key = {s.key: s for s in sources}
    rows: list[dict] = []
    mapped: Counter = Counter()
    for record in records:
        source = by_key[record.source]
        for rule, detail in record.repairs:
            log.record(STAGE, rule, 1, dataset=source.key, detail=f"{record.file}: {detail}")
        rows.append(_record_row(record, source, log, source.format == "entries", mapped))
    for (key, spelling, category), n in sorted(mapped.items()):
        log.record(STAGE, "category_mapped", n, dataset=key, detail=f"{spelling!r} -> {category}")
    for source in sources:
        read = sum(r.source == source.key for r in records)
        log.record(STAGE, "rows_read", read, dataset=source.key, detail=source.name)
    if not rows:
        return empty_catalog()
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["entry_id"] = frame.apply(_entry_id, axis=1)
    frame = drop_near_duplicates(frame, log).reset_index(drop=True)
    for column in ("date_start", "date_end"):
        frame[column] = frame[column].astype("Int64")
    log.record(STAGE, "entries", len(frame), detail="after near-duplicates were dropped")
    return frame
