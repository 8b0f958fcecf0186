"""Readers for the formats vendors deliver, chosen by the codebook's ``format`` (a registry).

Every reader returns the raw table with source column names, values as delivered (codes or
text), and what it detected (e.g. the encoding). Nothing here cleans or recodes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError
from milresearch.ingest.codebook import Codebook, Dataset


@dataclass
class RawTable:
    """A raw file as read, with what the reader found out about it."""

    frame: pd.DataFrame
    path: Path
    encoding: str | None = None
    value_labels: dict[str, dict] = field(default_factory=dict)
    """Value labels stored in the file itself (SPSS/Stata), by source column."""


Reader = Callable[[Path, Dataset], RawTable]
READERS: dict[str, Reader] = {}


def register(fmt: str) -> Callable[[Reader], Reader]:
    """Register a reader for a codebook ``format``."""

    def wrap(func: Reader) -> Reader:
        READERS[fmt] = func
        return func

    return wrap


def detect_encoding(data: bytes, declared: str = "auto") -> str:
    """Name the encoding of CSV bytes: UTF-8 with BOM, UTF-8, or cp1251.

    A declared encoding other than ``auto`` is trusted but verified, so a wrong declaration is an
    error rather than mojibake.
    """
    if declared and declared != "auto":
        try:
            data.decode(declared)
        except UnicodeDecodeError as exc:
            raise DataError(
                f"the file is not valid {declared} (byte {exc.start})",
                hint="set dataset.encoding to auto, or to the encoding the file really has",
            ) from None
        return declared
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        # Central Asian vendors' non-UTF-8 exports are Windows Cyrillic.
        return "cp1251"


def _check_not_empty(path: Path, data: bytes) -> None:
    if not data.strip():
        raise DataError("the file is empty", path=path, hint="re-export the data from the vendor")


@register("csv")
def read_csv(path: Path, dataset: Dataset) -> RawTable:
    """Read a CSV as text cells, detecting encoding and delimiter."""
    data = path.read_bytes()
    _check_not_empty(path, data)
    try:
        encoding = detect_encoding(data, dataset.encoding)
    except DataError as exc:
        exc.path = path
        raise
    text = data.decode(encoding)
    sep = dataset.delimiter
    if sep is None:
        try:
            sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""]
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"not a readable CSV ({exc})", path=path, hint="check quoting") from None
    return RawTable(frame, path, encoding=encoding)


@register("excel")
def read_excel(path: Path, dataset: Dataset) -> RawTable:
    """Read a sheet with one or more header rows; source names come from ``names_row``."""
    _check_not_empty(path, path.read_bytes()[:16])
    try:
        # calamine (Rust) reads a delivery about 15 times faster than openpyxl here.
        frame = pd.read_excel(
            path,
            sheet_name=dataset.sheet,
            header=list(range(dataset.header_rows)),
            dtype=object,
            engine="calamine",
        )
    except (ValueError, KeyError, OSError) as exc:
        raise DataError(
            f"cannot read the sheet ({exc})", path=path, hint="check dataset.sheet"
        ) from None
    if dataset.header_rows > 1:
        frame.columns = [str(col[dataset.names_row - 1]).strip() for col in frame.columns]
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(frame, path)


def _read_stat(path: Path, reader_name: str) -> RawTable:
    import pyreadstat

    # Only the start is needed to tell an empty file; these files can be hundreds of MB.
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if path.stat().st_size <= len(head):
        _check_not_empty(path, head)
    reader = getattr(pyreadstat, reader_name)
    try:
        frame, meta = reader(str(path), apply_value_formats=False)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises unrelated types for broken files
        raise DataError(
            f"cannot read the file as {reader_name.removeprefix('read_')} ({exc})",
            path=path,
            hint="the file may be truncated or of another format; ask the vendor to re-export",
        ) from None
    return RawTable(
        frame, path, encoding=meta.file_encoding, value_labels=meta.variable_value_labels
    )


@register("spss")
def read_spss(path: Path, dataset: Dataset) -> RawTable:
    """Read an SPSS .sav (any extension, or none) with its value labels kept as metadata."""
    return _read_stat(path, "read_sav")


@register("stata")
def read_stata(path: Path, dataset: Dataset) -> RawTable:
    """Read a Stata .dta with its value labels kept as metadata."""
    return _read_stat(path, "read_dta")


@register("jsonl")
def read_jsonl(path: Path, dataset: Dataset) -> RawTable:
    """Read JSON Lines: one object per line, nested keys flattened with dots."""
    data = path.read_bytes()
    _check_not_empty(path, data)
    records = []
    for lineno, line in enumerate(data.decode("utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DataError(
                f"line is not valid JSON ({exc.msg})", path=path, where=f"line {lineno}",
                hint="fix or remove the line",
            ) from None  # fmt: skip
    return RawTable(pd.json_normalize(records), path, encoding="utf-8")


@register("claimreview")
def read_claimreview_file(path: Path, dataset: Dataset) -> RawTable:
    """Read ClaimReview JSON-LD into the canonical content columns."""
    from milresearch.ingest.claimreview import read_claimreview

    return RawTable(read_claimreview(path), path, encoding="utf-8")


def read_raw(codebook: Codebook) -> RawTable:
    """Read the file a codebook describes with the reader its format names."""
    path = codebook.data_path
    if not path.exists():
        raise DataError(
            "data file not found",
            path=path,
            where=f"named in {codebook.path.name}",
            hint="put the file beside its codebook or fix dataset.file",
        )
    return READERS[codebook.dataset.format](path, codebook.dataset)
