"""Real country indicators (RSF, World Bank, Freedom House, V-Dem) in one tidy table.

Columns: ``country`` (ISO3), ``indicator``, ``year``, ``value``, ``source``, ``citation`` and
``series`` (a comparable segment of a time series: a chart must not draw a line across two).
Labels and citations come from ``indicators.yml`` beside the files.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import yaml

from milresearch.countries import COUNTRY_CODES, to_iso3
from milresearch.errors import DataError
from milresearch.paths import RAW_DIR

COLUMNS = ["country", "indicator", "year", "value", "source", "citation", "series"]
RSF_BANDS = ((85, "good"), (70, "satisfactory"), (55, "problematic"), (40, "difficult"))


def read_text_table(path: Path, **kwargs) -> tuple[pd.DataFrame, str]:
    """Read a CSV trying strict UTF-8 (BOM-aware) first, then cp1252; return frame and encoding."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return pd.read_csv(io.StringIO(text), **kwargs), encoding
    raise DataError("neither UTF-8 nor cp1252", path=path, hint="re-save the file as UTF-8")


def _require(df: pd.DataFrame, columns: list[str], path: Path) -> None:
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise DataError(
            f"expected column(s) {', '.join(map(repr, absent))} not found",
            path=path,
            hint="the publisher may have changed the layout; update milresearch/indicators.py",
        )


def _pick(df: pd.DataFrame, names: tuple[str, ...], path: Path) -> str:
    for name in names:
        if name in df.columns:
            return name
    raise DataError(
        f"none of the columns {', '.join(map(repr, names))} found",
        path=path,
        hint="the publisher may have changed the layout; update milresearch/indicators.py",
    )


def _rsf_series(year: int) -> str:
    if year <= 2012:
        return "rsf_legacy"  # 2002-2012: points, lower is better
    return "rsf_2013" if year <= 2021 else "rsf_2022"


def load_rsf(folder: Path, countries=COUNTRY_CODES) -> pd.DataFrame:
    """RSF scores and ranks, one file per index edition.

    The edition year is the file's name: 2012.csv is the combined 2011-12 index, labelled 2012.
    """
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError("no RSF files", path=folder, hint="copy the yearly CSV files here")
    rows = []
    for path in files:
        year = int(path.stem)
        df, _ = read_text_table(path, sep=";", decimal=",", dtype={"ISO": str})
        _require(df, ["ISO"], path)
        score = _pick(df, ("Score N", "Score", f"Score {year}"), path)
        rank = _pick(df, ("Rank N", "Rank"), path)
        df = df[df["ISO"].isin(countries)]
        for indicator, column in (("rsf_score", score), ("rsf_rank", rank)):
            rows.append(pd.DataFrame({"country": df["ISO"], "indicator": indicator, "year": year,
                                      "value": pd.to_numeric(df[column], errors="coerce"),
                                      "series": _rsf_series(year)}))  # fmt: skip
    return pd.concat(rows, ignore_index=True).assign(source="rsf")


def load_worldbank(folder: Path, countries=COUNTRY_CODES) -> pd.DataFrame:
    """Individuals using the Internet (% of population); empty cells stay absent, never zero."""
    files = sorted(folder.glob("API_IT.NET.USER.ZS*.csv"))
    if not files:
        raise DataError("no World Bank API_IT.NET.USER.ZS file", path=folder, hint="copy it here")
    path = files[0]
    df, _ = read_text_table(path, dtype={"Country Code": str})
    _require(df, ["Country Code"], path)
    years = [c for c in df.columns if str(c).isdigit()]
    long = df[df["Country Code"].isin(countries)].melt(
        id_vars="Country Code", value_vars=years, var_name="year", value_name="value"
    )
    long = long.dropna(subset=["value"])
    return pd.DataFrame({"country": long["Country Code"], "indicator": "internet_users_pct",
                         "year": long["year"].astype(int), "value": long["value"].astype(float),
                         "source": "wb", "series": "wb"})  # fmt: skip


def load_freedomhouse(folder: Path, countries=COUNTRY_CODES) -> pd.DataFrame:
    """Freedom in the World totals, PR, CL and D1 (free media); year = edition (report) year."""
    files = sorted(folder.glob("*.xlsx"))
    if not files:
        raise DataError("no Freedom House workbook", path=folder, hint="copy the .xlsx here")
    path = files[0]
    try:
        df = pd.read_excel(path, sheet_name="FIW13-25", header=1)
    except ValueError:
        raise DataError(
            "sheet 'FIW13-25' not found", path=path, hint="check the workbook"
        ) from None
    _require(df, ["Country/Territory", "Edition", "Total", "D1", "PR", "CL"], path)
    df["country"] = df["Country/Territory"].map(to_iso3)
    df = df[df["country"].isin(countries)]
    rows = [
        pd.DataFrame(
            {
                "country": df["country"],
                "indicator": name,
                "year": df["Edition"].astype(int),
                "value": pd.to_numeric(df[column], errors="coerce"),
            }
        )
        for name, column in (
            ("fiw_total", "Total"),
            ("fiw_d1", "D1"),
            ("fiw_pr", "PR"),
            ("fiw_cl", "CL"),
        )
    ]
    return pd.concat(rows, ignore_index=True).assign(source="fiw", series="fiw")


VDEM_VARIABLES = ("v2mecenefi", "v2meharjrn", "v2smgovfilprc", "v2smgovshut", "v2x_freexp_altinf")


def load_vdem(folder: Path, countries=COUNTRY_CODES) -> pd.DataFrame:
    """A few V-Dem v13 media and digital variables for 2021 ('NA' stays missing)."""
    path = folder / "new_vdem.csv"
    if not path.exists():
        raise DataError("new_vdem.csv not found", path=folder, hint="copy it here")
    df, _ = read_text_table(path, na_values=["NA"])
    _require(df, ["country_text_id", "year", *VDEM_VARIABLES], path)
    df = df[df["country_text_id"].isin(countries)]
    long = df.melt(id_vars=["country_text_id", "year"], value_vars=list(VDEM_VARIABLES),
                   var_name="variable", value_name="value")  # fmt: skip
    return pd.DataFrame({"country": long["country_text_id"], "indicator": "vdem_" + long["variable"],
                         "year": long["year"].astype(int), "value": long["value"].astype(float),
                         "source": "vdem", "series": "vdem"})  # fmt: skip


LOADERS = {
    "rsf_press_freedom": load_rsf,
    "worldbank_internet_users": load_worldbank,
    "freedomhouse_fiw": load_freedomhouse,
    "vdem_2021_media": load_vdem,
}


def load_metadata(indicators_dir: Path) -> dict:
    """Citations and labels declared in ``indicators.yml``."""
    path = indicators_dir / "indicators.yml"
    if not path.exists():
        raise DataError(
            "indicators.yml not found", path=indicators_dir, hint="restore it from git"
        )
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_indicators(indicators_dir: Path = RAW_DIR / "indicators", countries=COUNTRY_CODES):
    """Every indicator for ``countries`` as one tidy table (see the module docstring)."""
    indicators_dir = Path(indicators_dir)
    meta = load_metadata(indicators_dir)
    frames = []
    for folder, loader in LOADERS.items():
        if not (indicators_dir / folder).is_dir():
            raise DataError(f"folder {folder}/ not found", path=indicators_dir,
                            hint="copy it from ../shared/data/indicators")  # fmt: skip
        frames.append(loader(indicators_dir / folder, countries))
    table = pd.concat(frames, ignore_index=True)
    templates = {src: spec["citation"] for src, spec in meta["sources"].items()}
    table["citation"] = [
        templates[s].format(year=y) for s, y in zip(table["source"], table["year"], strict=True)
    ]
    table["country"] = table["country"].astype("string")
    return table[COLUMNS].sort_values(["country", "indicator", "year"]).reset_index(drop=True)


def rsf_band(score: float, year: int) -> str | None:
    """RSF's situation band for a 2013+ score (higher is freer); None for legacy years."""
    if year < 2013 or pd.isna(score):
        return None
    for floor, band in RSF_BANDS:
        if score >= floor:
            return band
    return "very serious"


def latest(indicators: pd.DataFrame, country: str, indicator: str) -> pd.Series | None:
    """The latest non-missing row of one indicator for one country, or None."""
    rows = indicators[(indicators["country"] == country) & (indicators["indicator"] == indicator)]
    rows = rows.dropna(subset=["value"])
    return None if rows.empty else rows.sort_values("year").iloc[-1]


CONTEXT = (
    ("rsf_score", "RSF press freedom score (0–100, higher is freer)"),
    ("rsf_rank", "RSF press freedom rank"),
    ("internet_users_pct", "Individuals using the internet (% of population)"),
    ("fiw_total", "Freedom in the World, total score (0–100)"),
    ("fiw_d1", "Freedom in the World D1: free and independent media (0–4)"),
)


def context_table(indicators: pd.DataFrame, country: str) -> pd.DataFrame:
    """The country-context box: latest value, year and citation of each headline indicator.

    A figure that does not exist stays missing (NaN) instead of disappearing from the box.
    """
    rows = []
    for indicator, label in CONTEXT:
        row = latest(indicators, country, indicator)
        if row is None:
            rows.append({"indicator": indicator, "label": label, "value": float("nan"),
                         "year": float("nan"), "citation": ""})  # fmt: skip
            continue
        rows.append({"indicator": indicator, "label": label, "value": float(row["value"]),
                     "year": int(row["year"]), "citation": row["citation"]})  # fmt: skip
        if indicator == "rsf_score":
            band = rsf_band(row["value"], int(row["year"]))
            rows.append({"indicator": "rsf_band", "label": "RSF situation", "value": band,
                         "year": int(row["year"]), "citation": row["citation"]})  # fmt: skip
    return pd.DataFrame(rows)
