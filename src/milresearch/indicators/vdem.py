"""V-Dem's media variables, from the country-year CSV."""

from __future__ import annotations

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
    """The V-Dem variables ``indicators.yml`` declares (``vdem_<variable>``) for ``countries``."""
    variables = [name.removeprefix("vdem_") for name in spec["indicators"]]
    path = folder / "new_vdem.csv"
    if not path.exists():
        raise DataError(
            "new_vdem.csv is missing",
            path=folder,
            hint="copy it from ../shared/data/indicators/vdem_2021_media/",
        )
    df, encodings[f"{folder.name}/{path.name}"] = read_text_table(
        path, dtype=object, keep_default_na=False
    )
    require(df, ["country_text_id", "year", *variables], path)
    iso = df["country_text_id"].str.strip()
    ours = df[iso.isin(countries)]
    codes = list(iso[iso.isin(countries)])
    years = [int(y) for y in numbers(ours["year"], path, "year")]
    only_once(list(zip(codes, years, strict=True)), path, "columns 'country_text_id', 'year'")
    records: list[Record] = []
    for var in variables:
        values = numbers(ours[var], path, var)
        records += [
            (c, f"vdem_{var}", y, v, None) for c, y, v in zip(codes, years, values, strict=True)
        ]
    return records


PUBLISHER = Publisher(load)
