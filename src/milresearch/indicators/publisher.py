"""What an indicator publisher is, and the strict parsers every publisher's reader shares.

A publisher (RSF, the World Bank, Freedom House, V-Dem) is a module of this package with a
``PUBLISHER``: how to read its folder into records ``(country, indicator, year, value,
value_text)``, and which labels its metadata must declare. :data:`milresearch.indicators.table.PUBLISHERS`
lists them; adding one is a new module and a line there (see ARCHITECTURE.md).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError

Record = tuple[str, str, int, float, str | None]
"""(country ISO3, indicator, year, value, value_text)."""

LAYOUT_HINT = "the publisher changed the layout, or the file was edited; restore it from git"


@dataclass(frozen=True)
class Publisher:
    """How one publisher's files are read."""

    load: Callable[[Path, tuple[str, ...], dict[str, str], dict], list[Record]]
    """``load(folder, countries, encodings, spec)``: the records of ``countries``; records the
    encoding each text file was read with in ``encodings``; ``spec`` is the publisher's
    entry of ``indicators.yml``."""
    labels: Callable[[dict], dict] = lambda spec: {}
    """Extra labels its metadata must declare in English and Russian: ``{key: label}``."""


def read_text_table(path: Path, **kwargs) -> tuple[pd.DataFrame, str]:
    """Read a delimited text file, decoding strict UTF-8 first, then cp1252.

    Returns the frame and the encoding used: ``utf-8-sig`` (UTF-8 with a BOM), ``utf-8`` or
    ``cp1252``. Bytes that are neither are a :class:`DataError`, never a silent guess.
    """
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig", "cp1252")
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # newline=None turns CR, CRLF and CR CR LF (2022.csv) into LF; blank lines are skipped.
        return pd.read_csv(io.StringIO(text, newline=None), **kwargs), encoding
    raise DataError(
        "the file is neither UTF-8 nor cp1252 text",
        path=path,
        hint="re-save it as UTF-8 (CSV UTF-8 in Excel), or restore it from git",
    )


def require(df: pd.DataFrame, columns: Iterable[str], path: Path, sheet: str = "") -> None:
    """Stop with a clear error when expected columns are absent."""
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise DataError(
            f"expected column(s) {', '.join(map(repr, absent))} not found "
            f"(columns present: {', '.join(map(str, df.columns[:12]))}...)",
            path=path,
            where=f"{sheet}header",
            hint=LAYOUT_HINT,
        )


def pick(df: pd.DataFrame, names: Iterable[str], path: Path) -> str:
    """The first of ``names`` that is a column of ``df``."""
    names = list(names)
    for name in names:
        if name in df.columns:
            return name
    raise DataError(
        f"none of the expected columns {' / '.join(map(repr, names))} found",
        path=path,
        where="header",
        hint=LAYOUT_HINT,
    )


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def numbers(values: Iterable, path: Path, column: str, sheet: str = "") -> list[float]:
    """Parse numbers strictly (decimal comma or point): empty and 'NA' cells become NaN.

    Anything else that is not a number is a :class:`DataError`, never a silent NaN.
    """
    parsed, bad = [], []
    for value in values:
        if isinstance(value, int | float):
            parsed.append(float(value))
            continue
        text = "" if value is None else str(value).strip().replace(",", ".")
        if text in ("", "NA"):
            parsed.append(math.nan)
        elif _NUMBER.fullmatch(text):
            parsed.append(float(text))
        else:
            bad.append(str(value))
    if bad:
        raise DataError(
            f"not a number: {', '.join(map(repr, dict.fromkeys(bad)))}",
            path=path,
            where=f"{sheet}column {column!r}",
            hint="fix the cell (a number with a decimal comma or point), or restore the file",
        )
    return parsed


def only_once(keys: list, path: Path, where: str) -> None:
    """Stop with a clear error when a key occurs twice."""
    seen: set = set()
    twice = []
    for key in keys:
        if key in seen:
            twice.append(key)
        seen.add(key)
    if twice:
        raise DataError(
            f"listed more than once: {', '.join(map(str, dict.fromkeys(twice)))}",
            path=path,
            where=where,
            hint="keep one row per country (and edition)",
        )
