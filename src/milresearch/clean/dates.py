"""Dates written in many ways and languages, read to UTC timestamps and local dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from milresearch.clean.arrays import extract_groups

_MONTHS = {
    # Russian (genitive and nominative), English, Kazakh, Uzbek (both scripts), Turkmen.
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
    "январь": 1,
    "февраль": 2,
    "март": 3,
    "апрель": 4,
    "май": 5,
    "июнь": 6,
    "июль": 7,
    "август": 8,
    "сентябрь": 9,
    "октябрь": 10,
    "ноябрь": 11,
    "декабрь": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
    "yanvar": 1,
    "fevral": 2,
    "mart": 3,
    "aprel": 4,
    "iyun": 6,
    "iyul": 7,
    "avgust": 8,
    "sentabr": 9,
    "oktabr": 10,
    "noyabr": 11,
    "dekabr": 12,
    "январ": 1,
    "феврал": 2,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
    "ýanwar": 1,
    "fewral": 2,
    "maý": 5,
    "iýun": 6,
    "iýul": 7,
    "awgust": 8,
    "sentýabr": 9,
    "oktýabr": 10,
    "noýabr": 11,
}
_EPOCH = r"^[0-9]{9,10}(?:[.]0+)?$"
_EPOCH_MS = r"^[0-9]{12,13}$"
_AWARE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?"
    r" ?(?:Z|[+-][0-9]{2}:?[0-9]{2})$"
)
_TIME = (
    r"(?:[ ,T]+(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.][0-9]+)?)?)?"
)
_YEAR_WORD = "(?:[ -]?(?:г|года|ж|жыл|жылы|y|yil|yili|сол|ý)[.]?)?"
_DATE_PATTERNS = (
    rf"^(?P<year>[0-9]{{4}})[-/.](?P<month>[0-9]{{1,2}})[-/.](?P<day>[0-9]{{1,2}}){_TIME}$",
    rf"^(?P<day>[0-9]{{1,2}})[./-](?P<month>[0-9]{{1,2}})[./-](?P<year>[0-9]{{4}}){_TIME}$",
    (
        rf"^(?P<day>[0-9]{{1,2}})[ -](?P<word>[^0-9 ,.-]+)[.]?,?[ -](?P<year>[0-9]{{4}})"
        rf"{_YEAR_WORD}{_TIME}$"
    ),
    rf"^(?P<word>[^0-9 ,.]+)[.]? (?P<day>[0-9]{{1,2}}),? (?P<year>[0-9]{{4}}){_TIME}$",
)


def _naive_dates(raw: pd.Series) -> pd.Series:
    """Dates without an offset, as naive timestamps (NaT where no pattern fits)."""
    naive = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for pattern in _DATE_PATTERNS:
        parts = extract_groups(raw, pattern).dropna(subset=["year"])
        if parts.empty:
            continue
        if "word" in parts:
            words = parts.pop("word").str.lower().str.rstrip(".")
            parts["month"] = words.map({w: _MONTHS.get(w) for w in words.dropna().unique()})
        numbers = parts.apply(pd.to_numeric, errors="coerce").astype("float64")
        clock = ["hour", "minute", "second"]
        numbers[clock] = numbers[clock].fillna(0)
        bad = (numbers["hour"] > 23) | (numbers["minute"] > 59) | (numbers["second"] > 59)
        numbers[bad] = np.nan
        naive[parts.index] = pd.to_datetime(numbers, errors="coerce").to_numpy()
        raw = raw.drop(parts.index)
    return naive


def parse_dates(values: pd.Series, timezone: str | pd.Series) -> pd.DataFrame:
    """UTC timestamps and local dates from dates written in many ways.

    Understands ISO 8601 with an offset or ``Z``; naive ISO and ``2024/03/12``; ``12.03.2024``
    and ``12.03.2024 14:05`` (day first); ``12 марта 2024``, ``12 March 2024``, ``March 12,
    2024`` and month names in Kazakh, Uzbek and Turkmen; epoch seconds or milliseconds. Dates
    without an offset are read in the local zone (``timezone``: one IANA name, or one per row;
    UTC where it is missing). Unparseable values become NaT.

    Returns:
        ``date_utc`` (tz-aware UTC) and ``date_local`` (the calendar date in the local zone).
    """
    raw = values.astype(pd.StringDtype("pyarrow")).str.replace("\xa0", " ").str.strip()
    raw = raw.reset_index(drop=True)
    if isinstance(timezone, pd.Series):
        zones = timezone.reset_index(drop=True).astype("object")
    else:
        zones = pd.Series(timezone, index=raw.index, dtype="object")
    zones = zones.where(zones.notna(), "UTC")
    utc = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")

    epoch = raw.str.contains(_EPOCH, regex=True).fillna(False)
    utc[epoch] = pd.to_datetime(raw[epoch].astype(float), unit="s", utc=True)
    epoch_ms = raw.str.contains(_EPOCH_MS, regex=True).fillna(False)
    utc[epoch_ms] = pd.to_datetime(raw[epoch_ms].astype("int64"), unit="ms", utc=True)
    aware = raw.str.contains(_AWARE, regex=True).fillna(False)
    utc[aware] = pd.to_datetime(raw[aware], format="ISO8601", utc=True, errors="coerce")
    naive = _naive_dates(raw[~(epoch | epoch_ms | aware) & raw.notna()])

    local = pd.Series(pd.NA, index=raw.index, dtype="object")
    for zone in pd.unique(zones):
        rows = zones == zone
        here = naive[naive.notna() & rows[naive.index]]
        localized = here.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        utc[here.index] = localized.dt.tz_convert("UTC")
        stamps = utc[rows & utc.notna()]
        local[stamps.index] = stamps.dt.tz_convert(zone).dt.date
    return pd.DataFrame({"date_utc": utc, "date_local": local}).set_index(values.index)
