"""Freedom House's Freedom in the World: the all-data workbook (total, PR, CL, D1, status)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError
from milresearch.indicators.publisher import (
    LAYOUT_HINT,
    Publisher,
    Record,
    numbers,
    only_once,
    require,
)
from milresearch.ingest.countries import to_iso3

FIW_SHEET = "FIW13-25"
FIW_COLUMNS = {"fiw_total": "Total", "fiw_pr": "PR", "fiw_cl": "CL", "fiw_d1": "D1"}
FIW_STATUSES = ("F", "PF", "NF")


def load(folder: Path, countries: tuple[str, ...], encodings: dict, spec: dict) -> list[Record]:
    """Freedom in the World scores and status of ``countries``, every edition of the workbook."""
    files = sorted(folder.glob("*.xlsx"))
    if not files:
        raise DataError(
            "the Freedom House workbook (All_data_FIW_*.xlsx) is missing",
            path=folder,
            hint="copy it from ../shared/data/indicators/freedomhouse_fiw/",
        )
    path = files[0]
    sheet = f"sheet {FIW_SHEET!r}, "
    try:
        # Row 1 is a title, row 2 the header. calamine reads the sheet in about 0.1 s here.
        df = pd.read_excel(path, sheet_name=FIW_SHEET, header=1, dtype=object, engine="calamine")
    except ValueError as err:
        raise DataError(
            f"cannot read sheet {FIW_SHEET!r} ({err})", path=path, hint=LAYOUT_HINT
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    require(df, ["Country/Territory"], path, sheet)
    df = df[df["Country/Territory"].map(lambda v: to_iso3(v) in countries)].reset_index(drop=True)
    df = df.astype(object).where(df.notna(), None)
    require(df, ["Country/Territory", "Edition", "Status", *FIW_COLUMNS.values()], path, sheet)
    codes = [str(to_iso3(name)) for name in df["Country/Territory"]]
    editions = numbers(df["Edition"], path, "Edition", sheet)
    if any(math.isnan(y) for y in editions):
        raise DataError("an edition year is empty", path=path, where=f"{sheet}column 'Edition'")
    years = [int(y) for y in editions]
    only_once(list(zip(codes, years, strict=True)), path, f"{sheet}country and edition")
    records: list[Record] = []
    for name, column in FIW_COLUMNS.items():
        values = numbers(df[column], path, column, sheet)
        records += [(c, name, y, v, None) for c, y, v in zip(codes, years, values, strict=True)]
    statuses = [None if s is None else str(s).strip() for s in df["Status"]]
    unknown = set(statuses) - {*FIW_STATUSES, None}
    if unknown:
        raise DataError(
            f"unknown status {', '.join(map(repr, sorted(unknown, key=str)))}",
            path=path,
            where=f"{sheet}column 'Status'",
            hint="Freedom House statuses are F, PF and NF",
        )
    records += [
        (c, "fiw_status", y, math.nan, s) for c, y, s in zip(codes, years, statuses, strict=True)
    ]
    return records


PUBLISHER = Publisher(load)
