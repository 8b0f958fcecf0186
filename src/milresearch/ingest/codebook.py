"""Codebooks: one YAML file beside each raw dataset, loaded into frozen dataclasses.

The codebook decides how a file is read (format, encoding, header rows), which source column
becomes which English snake_case variable, how value labels in any language map to canonical
codes, and which vendor codes mean "hard to say", "refused" or "not asked".
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from milresearch.errors import DataError
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.ingest.declarations import (
    CODED_TYPES,
    CONCEPTS,
    DATASET_KEYS,
    FORMATS,
    KINDS,
    MISSING_REASONS,
    REQUIRED,
    TOP_KEYS,
    TYPES,
    UNITS,
    Codebook,
    Dataset,
    Scale,
    Variable,
)
from milresearch.ingest.fields import (
    DATASET_NAME,
    age_bands,
    check_keys,
    check_types,
    fail,
    flag,
    missing_map,
    read_scale,
    read_sections,
    read_variable,
)
from milresearch.yamlfile import read_yaml

__all__ = [
    "CODED_TYPES",
    "CONCEPTS",
    "FORMATS",
    "KINDS",
    "MISSING_REASONS",
    "TYPES",
    "UNITS",
    "Codebook",
    "Dataset",
    "Scale",
    "Variable",
    "codebook_missing",
    "find_codebooks",
    "load_codebook",
]


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a codebook YAML file.

    Raises:
        DataError: For unknown keys, undeclared scales, duplicate source columns, missing codes
            that collide with valid codes, and every other inconsistency, naming the key.
    """
    path = Path(path)
    # Strict: a key given twice, an anchor or text that is not UTF-8 is refused.
    raw = read_yaml(path)
    check_types(path, raw)
    check_keys(path, "top level", raw, TOP_KEYS)
    for key in ("dataset", "variables"):
        if key not in raw:
            raise fail(path, "top level", f"missing {key!r}", f"add a {key}: section")

    ds_raw = raw["dataset"]
    check_keys(path, "dataset", ds_raw, DATASET_KEYS)
    for key in ("name", "kind", "file", "format"):
        if key not in ds_raw:
            raise fail(path, "dataset", f"missing {key!r}", f"add dataset.{key}")
    if ds_raw["kind"] not in KINDS:
        raise fail(path, "dataset.kind", f"unknown kind {ds_raw['kind']!r}", f"use one of {KINDS}")
    if ds_raw["format"] not in FORMATS:
        raise fail(
            path, "dataset.format", f"unknown format {ds_raw['format']!r}", f"use one of {FORMATS}"
        )
    if ds_raw.get("country") is not None and ds_raw["country"] not in COUNTRY_CODES:
        raise fail(
            path,
            "dataset.country",
            f"{ds_raw['country']!r} is not a study country",
            f"use one of {COUNTRY_CODES}",
        )
    flag(path, "dataset", ds_raw, "synthetic", False)
    if not isinstance(ds_raw["name"], str) or not DATASET_NAME.fullmatch(ds_raw["name"]):
        raise fail(
            path,
            "dataset.name",
            f"{ds_raw['name']!r} cannot name a dataset",
            "use letters, digits, '_', '-' and '.', e.g. name: kaz_mil_2025",
        )
    file = Path(str(ds_raw["file"]))
    if file.is_absolute() or ".." in file.parts or not file.parts:
        raise fail(
            path,
            "dataset.file",
            f"{ds_raw['file']!r} is not a file beside the codebook",
            "give the data file's name relative to the codebook's folder, "
            "and keep the file inside the raw folder",
        )
    for key in ("header_rows", "names_row"):
        value = ds_raw.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(
                path,
                f"dataset.{key}",
                f"{value!r} is not a whole number of rows",
                f"write a number, e.g. {key}: 2",
            )
    encoding = ds_raw.get("encoding", "auto")
    if encoding != "auto":
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise fail(
                path,
                "dataset.encoding",
                f"unknown encoding {encoding!r}",
                "use auto, or a name such as utf-8, cp1251, cp1252, koi8-r",
            ) from None
    wave = ds_raw.get("wave")
    dataset = Dataset(
        **(
            ds_raw
            | {
                "age_bands": age_bands(path, ds_raw.get("age_bands")),
                "wave": None if wave is None else str(wave).strip() or None,
            }
        )
    )
    if dataset.names_row > dataset.header_rows:
        raise fail(
            path,
            "dataset.names_row",
            "names_row is past the header rows",
            "names_row ≤ header_rows",
        )

    scales = {
        name: read_scale(path, name, spec) for name, spec in (raw.get("scales") or {}).items()
    }
    sections = read_sections(path, raw.get("sections"))
    variables = {
        name: read_variable(path, name, spec, scales, sections)
        for name, spec in raw["variables"].items()
    }
    missing = missing_map(path, "missing", raw.get("missing"))

    sources: dict[str, str] = {}
    for var in variables.values():
        if var.source in sources:
            raise fail(
                path,
                f"variables.{var.name}",
                f"source column {var.source!r} is already used by {sources[var.source]!r}",
                "each source column maps to one variable",
            )
        sources[var.source] = var.name
        if var.scale is not None:
            clash = [c for c in codebook_missing(missing, var) if c in var.scale.labels]
            if clash:
                raise fail(
                    path,
                    f"variables.{var.name}",
                    f"missing code(s) {clash} are also valid codes of scale {var.scale.name!r}",
                    "give the variable its own missing: mapping",
                )
    for name in REQUIRED[dataset.kind]:
        if name not in variables:
            raise fail(path, "variables", f"required variable {name!r} is not declared", "add it")
    if dataset.country is None and "country" not in variables:
        raise fail(
            path,
            "dataset",
            "no country: neither dataset.country nor a country variable",
            "set dataset.country for a one-country file, or map a country column",
        )
    return Codebook(
        path=path,
        dataset=dataset,
        missing=missing,
        scales=scales,
        variables=variables,
        sections=sections,
    )


def codebook_missing(dataset_missing: dict[Any, str], variable: Variable) -> list[Any]:
    """Integer missing codes that apply to a coded variable."""
    codes = variable.missing if variable.missing is not None else dataset_missing
    return [c for c in codes if isinstance(c, int)]


def find_codebooks(raw_dir: str | Path, kind: str | None = None) -> list[Codebook]:
    """Every ``*.codebook.yml`` below ``raw_dir`` (sorted), optionally of one kind."""
    books = [load_codebook(p) for p in sorted(Path(raw_dir).rglob("*.codebook.yml"))]
    seen: dict[str, Path] = {}
    for book in books:
        if book.dataset.name in seen:
            # Rows of both would be one dataset: ids would clash and every row could count twice.
            raise DataError(
                f"dataset name {book.dataset.name!r} is also used by {seen[book.dataset.name]}",
                path=book.path,
                where="dataset.name",
                hint="give each codebook its own dataset name",
            )
        seen[book.dataset.name] = book.path
    return [b for b in books if kind is None or b.dataset.kind == kind]
