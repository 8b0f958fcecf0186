"""Real country indicators (RSF, World Bank, Freedom House, V-Dem) in one tidy long table.

``load_indicators`` returns one row per country, indicator and year with the columns

- ``country``: ISO3 code;
- ``indicator``: ``rsf_score``, ``rsf_rank``, ``internet_users_pct``, ``fiw_total``, ``fiw_pr``,
  ``fiw_cl``, ``fiw_d1``, ``fiw_status`` and ``vdem_<variable>`` for the V-Dem variables declared
  in ``indicators.yml``;
- ``year``: the year as its publisher labels the figure: the index edition for RSF (2012 is the
  combined 2011-12 index) and Freedom House (the edition covers the previous calendar year), the
  calendar year for the World Bank and V-Dem;
- ``value``: the number (float); NaN where the publisher's file has an empty cell;
- ``value_text``: the text of a categorical figure (only ``fiw_status``: F, PF or NF; its
  ``value`` is NaN); missing for every other indicator;
- ``source``: ``rsf``, ``wb``, ``fiw`` or ``vdem``;
- ``citation``: e.g. "RSF World Press Freedom Index 2024";
- ``series``: the comparable segment of a time series (``rsf_legacy`` 2002-2012, ``rsf_2013``
  2013-2021, ``rsf_2022`` 2022 on; one series per other source). Group by it to break a line.

Citations, labels, units and series come from ``indicators.yml`` beside the files. The encoding
each text file was read with is in ``table.attrs["encodings"]``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from milresearch.errors import DataError
from milresearch.ingest.countries import COUNTRY_CODES, to_iso3
from milresearch.paths import RAW_DIR

INDICATORS_DIR = RAW_DIR / "indicators"
METADATA_FILE = "indicators.yml"
COLUMNS = ["country", "indicator", "year", "value", "value_text", "source", "citation", "series"]
SOURCES = ("rsf", "wb", "fiw", "vdem")
LAYOUT_HINT = "the publisher changed the layout, or the file was edited; restore it from git"

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

# The rows of the country-context box, in order.
CONTEXT = ("rsf_score", "rsf_rank", "rsf_band", "internet_users_pct", "fiw_total", "fiw_d1")


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


def _require(df: pd.DataFrame, columns: Iterable[str], path: Path, sheet: str = "") -> None:
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise DataError(
            f"expected column(s) {', '.join(map(repr, absent))} not found "
            f"(columns present: {', '.join(map(str, df.columns[:12]))}...)",
            path=path,
            where=f"{sheet}header",
            hint=LAYOUT_HINT,
        )


def _pick(df: pd.DataFrame, names: Iterable[str], path: Path) -> str:
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


def _numbers(values: Iterable, path: Path, column: str, sheet: str = "") -> list[float]:
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


def _only_once(keys: list, path: Path, where: str) -> None:
    seen: set = set()
    twice = [key for key in keys if key in seen or seen.add(key)]
    if twice:
        raise DataError(
            f"listed more than once: {', '.join(map(str, dict.fromkeys(twice)))}",
            path=path,
            where=where,
            hint="keep one row per country (and edition)",
        )


# --- RSF -------------------------------------------------------------------------------------


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


def _load_rsf(folder: Path, countries: tuple[str, ...], encodings: dict) -> list[tuple]:
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError(
            "no RSF index files (<year>.csv) found",
            path=folder,
            hint="copy the yearly CSV files from ../shared/data/indicators/rsf_press_freedom/",
        )
    records = []
    for path in files:
        df, encodings[f"{folder.name}/{path.name}"] = read_text_table(
            path, sep=";", dtype=object, keep_default_na=False
        )
        year = _rsf_edition(path, df)
        _require(df, ["ISO"], path)
        # 2002-2021: "Score N", "Rank N"; 2022-2024: "Score", "Rank"; 2025: "Score 2025", "Rank".
        score = _pick(df, ("Score N", "Score", f"Score {year}"), path)
        rank = _pick(df, ("Rank N", "Rank"), path)
        iso = df["ISO"].str.strip()
        ours = df[iso.isin(countries)]
        codes = list(iso[iso.isin(countries)])
        _only_once(codes, path, "column 'ISO'")
        for name, column in (("rsf_score", score), ("rsf_rank", rank)):
            values = _numbers(ours[column], path, column)
            records += [(c, name, year, v, None) for c, v in zip(codes, values, strict=True)]
    return records


# --- World Bank ------------------------------------------------------------------------------


def _load_worldbank(folder: Path, countries: tuple[str, ...], encodings: dict) -> list[tuple]:
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
    _require(df, ["Country Code", "Indicator Code"], path)
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
    codes = list(iso[iso.isin(countries)])
    _only_once(codes, path, "column 'Country Code'")
    records = []
    for code, (_, row) in zip(codes, ours.iterrows(), strict=True):
        values = _numbers(row[years], path, f"{code}: year columns")
        published = [i for i, v in enumerate(values) if not math.isnan(v)]
        # From the first published figure to the file's last year: later gaps stay NaN rows.
        for i in range(published[0] if published else len(years), len(years)):
            records.append((code, "internet_users_pct", int(years[i]), values[i], None))
    return records


# --- Freedom House ---------------------------------------------------------------------------

FIW_SHEET = "FIW13-25"
FIW_COLUMNS = {"fiw_total": "Total", "fiw_pr": "PR", "fiw_cl": "CL", "fiw_d1": "D1"}
FIW_STATUSES = ("F", "PF", "NF")


def _load_freedomhouse(folder: Path, countries: tuple[str, ...], encodings: dict) -> list[tuple]:
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
    _require(df, ["Country/Territory"], path, sheet)
    df = df[df["Country/Territory"].map(lambda v: to_iso3(v) in countries)].reset_index(drop=True)
    df = df.astype(object).where(df.notna(), None)
    _require(df, ["Country/Territory", "Edition", "Status", *FIW_COLUMNS.values()], path, sheet)
    codes = [to_iso3(name) for name in df["Country/Territory"]]
    years = _numbers(df["Edition"], path, "Edition", sheet)
    if any(math.isnan(y) for y in years):
        raise DataError("an edition year is empty", path=path, where=f"{sheet}column 'Edition'")
    years = [int(y) for y in years]
    _only_once(list(zip(codes, years, strict=True)), path, f"{sheet}country and edition")
    records = []
    for name, column in FIW_COLUMNS.items():
        values = _numbers(df[column], path, column, sheet)
        records += [(c, name, y, v, None) for c, y, v in zip(codes, years, values, strict=True)]
    statuses = [None if s is None else str(s).strip() for s in df["Status"]]
    unknown = set(statuses) - {*FIW_STATUSES, None}
    if unknown:
        raise DataError(
            f"unknown status {', '.join(map(repr, sorted(unknown)))}",
            path=path,
            where=f"{sheet}column 'Status'",
            hint="Freedom House statuses are F, PF and NF",
        )
    records += [
        (c, "fiw_status", y, math.nan, s) for c, y, s in zip(codes, years, statuses, strict=True)
    ]
    return records


# --- V-Dem -----------------------------------------------------------------------------------


def _load_vdem(
    folder: Path, countries: tuple[str, ...], encodings: dict, variables: list[str]
) -> list[tuple]:
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
    _require(df, ["country_text_id", "year", *variables], path)
    iso = df["country_text_id"].str.strip()
    ours = df[iso.isin(countries)]
    codes = list(iso[iso.isin(countries)])
    years = [int(y) for y in _numbers(ours["year"], path, "year")]
    _only_once(list(zip(codes, years, strict=True)), path, "columns 'country_text_id', 'year'")
    records = []
    for var in variables:
        values = _numbers(ours[var], path, var)
        records += [
            (c, f"vdem_{var}", y, v, None) for c, y, v in zip(codes, years, values, strict=True)
        ]
    return records


# --- metadata and the whole table ------------------------------------------------------------


@cache
def _read_metadata(path: Path, mtime_ns: int) -> dict:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = (meta or {}).get("sources", {})
    for source in SOURCES:
        spec = sources.get(source)
        if not spec:
            raise DataError(
                f"source {source!r} is not declared", path=path, hint="restore it from git"
            )
        for key in ("folder", "citation", "series", "indicators"):
            if key not in spec:
                raise DataError(
                    f"key {key!r} missing",
                    path=path,
                    where=f"sources.{source}",
                    hint="restore it from git",
                )
        labelled = {
            f"indicators.{name}.label": (ind or {}).get("label")
            for name, ind in spec["indicators"].items()
        }
        if source == "rsf":
            labelled["band_label"] = spec.get("band_label")
            bands = spec.get("bands") or {}
            labelled |= {f"bands.{b}": bands.get(b) for _, b in RSF_BANDS[2022]}
            labelled[f"bands.{RSF_LOWEST_BAND}"] = bands.get(RSF_LOWEST_BAND)
        for key, label in labelled.items():
            if not {"en", "ru"} <= set(label or {}):
                raise DataError(
                    "an English and a Russian label are required",
                    path=path,
                    where=f"sources.{source}.{key}",
                    hint="add the en: and ru: labels",
                )
    return meta


def load_metadata(indicators_dir: Path = INDICATORS_DIR) -> dict:
    """The declared metadata of the indicator files (``indicators.yml``), checked."""
    path = Path(indicators_dir) / METADATA_FILE
    if not path.exists():
        raise DataError(
            f"{METADATA_FILE} not found",
            path=indicators_dir,
            hint="restore it from git: it declares citations, labels and series",
        )
    return _read_metadata(path, path.stat().st_mtime_ns)


def _series(spec: dict, years: pd.Series, path: Path, source: str) -> pd.Series:
    series = pd.Series(pd.NA, index=years.index, dtype="string")
    for segment in spec["series"]:
        inside = years >= segment["first"]
        if segment.get("last") is not None:
            inside &= years <= segment["last"]
        series[inside] = segment["id"]
    if series.isna().any():
        missing = sorted(set(years[series.isna()]))
        raise DataError(
            f"year(s) {missing} fall in no declared series",
            path=path,
            where=f"sources.{source}.series",
            hint="extend the series declaration to cover them",
        )
    return series


def _citation(spec: dict, year: int) -> str:
    labels = spec.get("edition_labels") or {}
    return spec["citation"].format(year=labels.get(year, year))


def load_indicators(
    indicators_dir: Path = INDICATORS_DIR, countries: Iterable[str] = COUNTRY_CODES
) -> pd.DataFrame:
    """Every indicator for ``countries`` as one tidy long table (columns: see the module doc).

    Raises:
        DataError: A folder, file, sheet or expected column is missing, a number does not
            parse, or the metadata file does not declare an indicator or year it should.
    """
    indicators_dir = Path(indicators_dir)
    if not indicators_dir.is_dir():
        raise DataError(
            "the indicator folder does not exist",
            path=indicators_dir,
            hint="copy ../shared/data/indicators/ here, or restore data/raw/indicators from git",
        )
    meta = load_metadata(indicators_dir)
    countries = tuple(countries)
    encodings: dict[str, str] = {}
    columns = ["country", "indicator", "year", "value", "value_text"]
    frames = []
    for source in SOURCES:
        spec = meta["sources"][source]
        folder = indicators_dir / spec["folder"]
        if not folder.is_dir():
            raise DataError(
                f"folder {spec['folder']}/ not found",
                path=indicators_dir,
                hint=f"copy it from ../shared/data/indicators/{spec['folder']}/",
            )
        if source == "rsf":
            records = _load_rsf(folder, countries, encodings)
        elif source == "wb":
            records = _load_worldbank(folder, countries, encodings)
        elif source == "fiw":
            records = _load_freedomhouse(folder, countries, encodings)
        else:
            variables = [name.removeprefix("vdem_") for name in spec["indicators"]]
            records = _load_vdem(folder, countries, encodings, variables)
        frame = pd.DataFrame.from_records(records, columns=columns)
        undeclared = set(frame["indicator"]) - set(spec["indicators"])
        if undeclared:
            raise DataError(
                f"indicator(s) {', '.join(sorted(undeclared))} not declared",
                path=indicators_dir / METADATA_FILE,
                where=f"sources.{source}.indicators",
                hint="declare them with labels in English and Russian",
            )
        frame["source"] = source
        frame["citation"] = [_citation(spec, y) for y in frame["year"]]
        frame["series"] = _series(spec, frame["year"], indicators_dir / METADATA_FILE, source)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)[COLUMNS]
    types = {"year": "int64", "value": "float64"}
    table = table.astype(types | {c: "string" for c in COLUMNS if c not in types})
    table = table.sort_values(["country", "indicator", "year"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["encodings"] = encodings
    return table


# --- reading the table -----------------------------------------------------------------------


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


def latest(indicators: pd.DataFrame, country: str, indicator: str) -> pd.Series | None:
    """The row of the latest year with a figure (``value`` or ``value_text``), or None."""
    rows = indicators[(indicators["country"] == country) & (indicators["indicator"] == indicator)]
    has_text = rows["value_text"].notna() if "value_text" in rows else False
    rows = rows[rows["value"].notna() | has_text]
    return None if rows.empty else rows.sort_values("year", kind="stable").iloc[-1]


def context_table(
    indicators: pd.DataFrame, country: str, lang: str = "en", metadata: dict | None = None
) -> pd.DataFrame:
    """The country-context box of a report: one row per headline indicator.

    Columns ``indicator``, ``label`` (from ``indicators.yml``, in ``lang``), ``value`` (a
    number, the RSF band as text, or NaN when the country has no figure), ``year`` (the latest
    year with a figure, else missing) and ``citation`` (empty when there is no figure).
    """
    meta = metadata or load_metadata()
    labels = {
        name: spec["label"]
        for source in meta["sources"].values()
        for name, spec in source["indicators"].items()
    }
    rsf = meta["sources"]["rsf"]

    def text(labels: dict) -> str:
        return labels.get(lang, labels["en"])

    rows = []
    for indicator in CONTEXT:
        if indicator == "rsf_band":
            row = latest(indicators, country, "rsf_score")
            label = text(rsf["band_label"])
            band = None if row is None else rsf_band(row["value"], int(row["year"]))
            value = float("nan") if band is None else text(rsf["bands"][band])
        else:
            row = latest(indicators, country, indicator)
            label = text(labels[indicator])
            value = float("nan") if row is None else float(row["value"])
        rows.append(
            {
                "indicator": indicator,
                "label": label,
                "value": value,
                "year": pd.NA if row is None or pd.isna(value) else int(row["year"]),
                "citation": "" if row is None or pd.isna(value) else str(row["citation"]),
            }
        )
    table = pd.DataFrame(rows)
    table["value"] = table["value"].astype(object)
    table["year"] = table["year"].astype("Int64")
    return table
