"""The World Bank's internet users indicator (IT.NET.USER.ZS), from its single-indicator CSV."""

from __future__ import annotations

import math
import re
from pathlib import Path

from milresearch.errors import DataError
from milresearch.indicators.publisher import (
    Publisher,
    Record,
    numbers,
    only_once,
    read_text_table,
    require,
)


def load(folder: Path, countries: tuple[str, ...], encodings: dict, spec: dict) -> list[Record]:
    """Internet users (% of population) of ``countries``, every year the file has."""
    files = sorted(folder.glob("API_IT.NET.USER.ZS*.csv"))
    if not files:
        raise DataError(
            "the World Bank file API_IT.NET.USER.ZS_*.csv is missing",
            path=folder,
            hint="copy it from ../shared/data/indicators/worldbank_internet_users/",
        )
    path = files[0]
    df, encodings[f"{folder.name}/{path.name}"] = read_text_table(
        path, dtype=object, keep_default_na=False
    )
    require(df, ["Country Code", "Indicator Code"], path)
    codes = set(df["Indicator Code"].str.strip()) - {""}
    if codes != {"IT.NET.USER.ZS"}:
        raise DataError(
            f"expected only indicator IT.NET.USER.ZS, found {', '.join(sorted(codes))}",
            path=path,
            where="column 'Indicator Code'",
            hint="use the single-indicator download of IT.NET.USER.ZS",
        )
    years = [c for c in df.columns if re.fullmatch(r"\d{4}", str(c).strip())]
    if not years:
        raise DataError(
            "no year columns (1960, 1961, ...) found",
            path=path,
            where="header",
            hint="use the wide World Bank layout, without metadata lines above the header",
        )
    iso = df["Country Code"].str.strip()
    ours = df[iso.isin(countries)]
    found = list(iso[iso.isin(countries)])
    only_once(found, path, "column 'Country Code'")
    records: list[Record] = []
    for code, (_, row) in zip(found, ours.iterrows(), strict=True):
        values = numbers(row[years], path, f"{code}: year columns")
        published = [i for i, v in enumerate(values) if not math.isnan(v)]
        # From the first published figure to the file's last year: later gaps stay NaN rows.
        for i in range(published[0] if published else len(years), len(years)):
            records.append((code, "internet_users_pct", int(years[i]), values[i], None))
    return records


PUBLISHER = Publisher(load)
