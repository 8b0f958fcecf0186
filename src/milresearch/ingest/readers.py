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
from milresearch.ingest.encodings import detect_encoding


@dataclass
class RawTable:
    """A raw file as read, with what the reader found out about it."""

    frame: pd.DataFrame
    path: Path
    encoding: str | None = None
    value_labels: dict[str, dict] = field(default_factory=dict)
    """Value labels stored in the file itself (SPSS/Stata), by source column."""
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    """What the reader skipped or repaired, for the cleaning log: (rule, rows, detail)."""


Reader = Callable[[Path, Dataset], RawTable]
READERS: dict[str, Reader] = {}


def register(fmt: str) -> Callable[[Reader], Reader]:
    """Register a reader for a codebook ``format``."""

    def wrap(func: Reader) -> Reader:
        READERS[fmt] = func
        return func

    return wrap


def _read_text(path: Path, dataset: Dataset) -> tuple[str, str]:
    """A text file's contents and encoding; NUL bytes and unproven encodings are refused."""
    data = path.read_bytes()
    _check_not_empty(path, data)
    try:
        encoding = detect_encoding(data, dataset.encoding)
    except DataError as exc:
        exc.path = path
        raise
    text = data.decode(encoding)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError(
            "contains NUL bytes, so it is not a plain-text file",
            path=path,
            where=f"line {line}",
            hint="it may be UTF-16 or a binary file renamed: export it again as "
            "UTF-8 text, or set dataset.format to its real format",
        )
    return text.removeprefix("\ufeff"), encoding


def _check_not_empty(path: Path, data: bytes) -> None:
    if not data.strip():
        raise DataError("the file is empty", path=path, hint="re-export the data from the vendor")


@register("csv")
def read_csv(path: Path, dataset: Dataset) -> RawTable:
    """Read a CSV as text cells, detecting encoding and delimiter."""
    text, encoding = _read_text(path, dataset)
    sep = dataset.delimiter
    if sep is None:
        try:
            sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
    _check_unique(path, next(csv.reader(io.StringIO(text), delimiter=sep), []))
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
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for non-Excel files
        raise DataError(
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})",
            path=path,
            hint="the file may be a CSV or another format renamed .xlsx: set "
            "dataset.format to its real format, or save it again from Excel",
        ) from None
    header = pd.read_excel(
        path,
        sheet_name=dataset.sheet,
        header=None,
        nrows=dataset.header_rows,
        dtype=object,
        engine="calamine",
    )
    _check_unique(
        path, list(header.iloc[dataset.names_row - 1]), f"header row {dataset.names_row}"
    )
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
    text, encoding = _read_text(path, dataset)
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line, object_pairs_hook=_unique_keys))
        except json.JSONDecodeError as exc:
            raise DataError(
                f"line is not valid JSON ({exc.msg})",
                path=path,
                where=f"line {lineno}",
                hint="fix or remove the line",
            ) from None
    return RawTable(pd.json_normalize(records), path, encoding=encoding)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        # json keeps the last of two equal keys without a word.
        raise json.JSONDecodeError(f"key(s) {', '.join(map(repr, repeated))} given twice", "", 0)
    return dict(pairs)


@register("claimreview")
def read_claimreview_file(path: Path, dataset: Dataset) -> RawTable:
    """Read ClaimReview JSON-LD into the canonical content columns."""
    from milresearch.ingest.claimreview import read_claimreview

    return RawTable(read_claimreview(path), path, encoding="utf-8")


@register("telegram")
def read_telegram(path: Path, dataset: Dataset) -> RawTable:
    """Read a Telegram Desktop export (``result.json``), streaming; see :mod:`.telegram`."""
    from milresearch.ingest import telegram
    from milresearch.paths import CONFIG_DIR

    key = telegram.pseudonym_key(CONFIG_DIR)
    columns, service, offsets = telegram.read_export(
        path, {k: dict(v) for k, v in (dataset.channels or {}).items()}, key
    )
    frame = pd.DataFrame(columns, columns=list(telegram.COLUMNS))
    notes = [
        ("telegram_service_skipped", n, f"service messages (joins, pins) in {chat!r}")
        for chat, n in sorted(service.items())
    ]
    notes += [
        (
            "telegram_local_offset",
            n,
            f"the exporting machine's clock was UTC{offset}; dates use date_unixtime (UTC)",
        )
        for offset, n in sorted(offsets.items())
    ]
    people = int((frame["author_kind"] == "person").sum())
    if people:
        notes.append(
            (
                "telegram_people_pseudonymised",
                people,
                "messages by people in groups: names and ids replaced by keyed hashes",
            )
        )
    return RawTable(frame, path, encoding="utf-8", notes=notes)


def reader_secret(dataset: Dataset) -> str:
    """What else a reader's output depends on, for cache keys (empty for most formats).

    For Telegram it is the pseudonym key's hash: a new key must re-pseudonymise a cached export.
    """
    if dataset.format != "telegram":
        return ""
    import hashlib

    from milresearch.ingest import telegram
    from milresearch.paths import CONFIG_DIR

    return hashlib.sha256(telegram.pseudonym_key(CONFIG_DIR)).hexdigest()


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


def _check_unique(path: Path, names: list, where: str = "header row") -> None:
    """Refuse duplicate column names: pandas would keep one copy and rename the other."""
    names = [str(n).strip() for n in names]
    repeated = sorted({n for n in names if names.count(n) > 1 and n not in ("", "nan", "None")})
    if repeated:
        raise DataError(
            f"column name(s) {', '.join(map(repr, repeated))} appear more than once",
            path=path,
            where=where,
            hint="rename the copies in the file so each column has its own name, "
            "then map the one you mean in the codebook",
        )
