"""RSF's World Press Freedom Index: one ``<year>.csv`` per edition (score and rank)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError
from milresearch.indicators.publisher import (
    Publisher,
    Record,
    numbers,
    only_once,
    pick,
    read_text_table,
    require,
)

# RSF situation bands: (lowest score of the band, band). The lower bound belongs to the band.
# 2022 on: RSF's published map legend (85-100 good, 70-85 satisfactory, 55-70 problematic,
# 40-55 difficult, 0-40 very serious); every row of 2024.csv's "Situation" column agrees.
# 2013-2021: RSF's classification then was 0-15 good, 15.01-25 satisfactory, 25.01-35
# problematic, 35.01-55 difficult, 55.01-100 very serious on its lower-is-better scale, i.e.
# 85/75/65/45 on the inverted scale of these files. It reproduces RSF's 2021 counts
# (12 good; 59 problematic; 73 difficult or very serious).
RSF_BANDS = {
    2013: ((85, "good"), (75, "satisfactory"), (65, "problematic"), (45, "difficult")),
    2022: ((85, "good"), (70, "satisfactory"), (55, "problematic"), (40, "difficult")),
}
RSF_LOWEST_BAND = "very serious"


def _rsf_edition(path: Path, df: pd.DataFrame) -> int:
    """The edition year: the file name, checked against the file's own "Year (N)" column."""
    if not re.fullmatch(r"\d{4}", path.stem):
        raise DataError(
            "an RSF file must be named after its edition year, e.g. 2024.csv",
            path=path,
            hint="rename the file, or move it out of the folder",
        )
    year = int(path.stem)
    # "2011-12" (the combined 2011-12 index in 2012.csv) counts as its later year, 2012.
    for label in dict.fromkeys(str(v).strip() for v in df.get("Year (N)", [])):
        if not label:
            continue
        found = re.fullmatch(r"(\d\d)(\d\d)(?:-(\d\d))?", label)
        stated = found and int(found[1] + (found[3] or found[2]))
        if stated != year:
            raise DataError(
                f"the file name says edition {year} but the column says {label!r}",
                path=path,
                where="column 'Year (N)'",
                hint="name the file after the edition it holds",
            )
    return year


RSF_MIN_COUNTRIES = 139
"""The fewest countries an edition has ranked (2002); every edition since ranks all six."""


def _check_complete(path: Path, rows: int, absent: set[str]) -> None:
    """Refuse an edition file cut short: it would quietly make an older year the latest."""
    if rows < RSF_MIN_COUNTRIES or absent:
        found = f"{rows} countries" + (f", not {', '.join(sorted(absent))}" if absent else "")
        raise DataError(
            f"the edition holds only {found}; every RSF edition ranks at least"
            f" {RSF_MIN_COUNTRIES} countries, the six study countries among them",
            path=path,
            hint="the file looks truncated: download it again from rsf.org/en/index,"
            " or move it out of the folder",
        )


def load(folder: Path, countries: tuple[str, ...], encodings: dict, spec: dict) -> list[Record]:
    """Score and rank of ``countries`` in every edition file of ``folder``."""
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError(
            "no RSF index files (<year>.csv) found",
            path=folder,
            hint="copy the yearly CSV files from ../shared/data/indicators/rsf_press_freedom/",
        )
    records: list[Record] = []
    for path in files:
        df, encodings[f"{folder.name}/{path.name}"] = read_text_table(
            path, sep=";", dtype=object, keep_default_na=False
        )
        year = _rsf_edition(path, df)
        require(df, ["ISO"], path)
        # 2002-2021: "Score N", "Rank N"; 2022-2024: "Score", "Rank"; 2025: "Score 2025", "Rank".
        score = pick(df, ("Score N", "Score", f"Score {year}"), path)
        rank = pick(df, ("Rank N", "Rank"), path)
        iso = df["ISO"].str.strip()
        ours = df[iso.isin(countries)]
        codes = list(iso[iso.isin(countries)])
        only_once(codes, path, "column 'ISO'")
        _check_complete(path, len(df), set(countries) - set(codes))
        for name, column in (("rsf_score", score), ("rsf_rank", rank)):
            values = numbers(ours[column], path, column)
            records += [(c, name, year, v, None) for c, v in zip(codes, values, strict=True)]
    return records


def rsf_band(score: float, year: int) -> str | None:
    """RSF's situation band for a 2013+ score; None for legacy-scale years or no score.

    2022 on: good >= 85, satisfactory >= 70, problematic >= 55, difficult >= 40, else very
    serious. 2013-2021 (RSF's classification of the time, on the higher-is-freer scale of these
    files): good >= 85, satisfactory >= 75, problematic >= 65, difficult >= 45, else very serious.
    """
    if score is None or pd.isna(score) or year < 2013:
        return None
    for floor, band in RSF_BANDS[2022 if year >= 2022 else 2013]:
        if score >= floor:
            return band
    return RSF_LOWEST_BAND


def labels(spec: dict) -> dict:
    """The band name and each band's label, which reports show beside the score."""
    bands = spec.get("bands") or {}
    found = {"band_label": spec.get("band_label")}
    found |= {f"bands.{b}": bands.get(b) for _, b in RSF_BANDS[2022]}
    found[f"bands.{RSF_LOWEST_BAND}"] = bands.get(RSF_LOWEST_BAND)
    return found


PUBLISHER = Publisher(load, labels)
