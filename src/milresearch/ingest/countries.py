"""Country and region names harmonised to ISO codes from the declared alias table."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from milresearch.errors import DataError
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""

if TYPE_CHECKING:  # pandas is imported only where Series are harmonised, to keep the CLI fast
    import pandas as pd

COUNTRIES_FILE = HERE / "countries.yml"
_APOSTROPHES = dict.fromkeys(map(ord, "ʻʼ’‘`´ʹ′"), "'")
_SPACE = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Normalise a name for matching: NFKC, casefold, one apostrophe, single spaces."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_APOSTROPHES).casefold()
    return _SPACE.sub(" ", text).strip(" .,;")


@dataclass(frozen=True)
class Country:
    """One country of the study."""

    iso3: str
    iso2: str
    numeric: int
    """ISO 3166-1 numeric code (398 for Kazakhstan), as many international surveys deliver it."""
    names: dict[str, str]
    """Display names by language code."""
    timezone: str
    aliases: tuple[str, ...]
    regions: dict[str, tuple[str, ...]]
    """ISO 3166-2 code to its declared spellings."""

    def name(self, lang: str = "en") -> str:
        """The display name in ``lang``, English when there is none."""
        return self.names.get(lang, self.names["en"])


@cache
def load_countries() -> dict[str, Country]:
    """Read the declared alias table; keys are ISO3 codes in declaration order."""
    raw = read_yaml(COUNTRIES_FILE)
    return {
        iso3: Country(
            iso3=iso3,
            iso2=spec["iso2"],
            numeric=int(spec["numeric"]),
            names=dict(spec["name"]),
            timezone=spec["timezone"],
            aliases=tuple(spec["aliases"]),
            regions={code: tuple(names) for code, names in spec.get("regions", {}).items()},
        )
        for iso3, spec in raw.items()
    }


COUNTRY_CODES: tuple[str, ...] = tuple(load_countries())


@cache
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for c in load_countries().values():
        for alias in (c.iso3, c.iso2, str(c.numeric), *c.names.values(), *c.aliases):
            lookup[normalize_name(alias)] = c.iso3
    return lookup


@cache
def _region_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for c in load_countries().values():
        for code, names in c.regions.items():
            for alias in (code, *names):
                lookup[normalize_name(alias)] = code
    return lookup


def to_iso3(name: object) -> str | None:
    """ISO3 code for a country spelling, or None when the alias table does not know it."""
    if (
        name is None
        or (isinstance(name, float) and math.isnan(name))
        or type(name).__name__ == "NAType"
    ):
        return None
    if isinstance(name, float) and name.is_integer():
        name = int(name)  # a numeric code read as 398.0
    text = normalize_name(str(name))
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return _country_lookup().get(text)


def harmonize_countries(
    values: pd.Series, *, source: str = "", column: str = "country"
) -> pd.Series:
    """Map every spelling in ``values`` to ISO3; unknown spellings are a :class:`DataError`.

    Args:
        values: Raw country names as delivered.
        source: The file they came from, for the error message.
        column: The column they came from, for the error message.
    """
    codes, mapping = _map_distinct(values, to_iso3)
    unknown = sorted(str(v) for v, code in mapping.items() if code is None)
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5])
        raise DataError(
            f"unknown country name(s) {shown}",
            path=source or None,
            where=f"column {column!r}",
            hint=f"add the spelling to the aliases in {COUNTRIES_FILE}, or fix the data",
        )
    return codes


def harmonize_regions(values: pd.Series, declared: dict[str, str] | None = None) -> pd.Series:
    """Map region spellings to ISO 3166-2 codes; unknown spellings become NA (keep the raw column).

    ``declared`` adds a codebook's own spellings (text to code) to the alias table.
    """
    lookup = _region_lookup() | {normalize_name(k): v for k, v in (declared or {}).items()}
    return _map_distinct(values, lambda v: lookup.get(normalize_name(v)))[0]


def _map_distinct(values: pd.Series, func) -> tuple[pd.Series, dict]:
    """``func`` applied once per distinct value (NA stays NA), as a string Series and a dict."""
    import pandas as pd

    codes, uniques = pd.factorize(values)
    mapping = {u: func(u) for u in uniques}
    table = pd.array([*mapping.values(), None], dtype="string")
    return pd.Series(table.take(codes), index=values.index), mapping


def parse_countries(spec: str | list[str] | None) -> list[str]:
    """Turn a user's ``--countries`` value into ISO3 codes.

    Accepts ISO3, ISO2 or any declared name, case-insensitive, comma-separated, or ``all``.
    """
    if spec is None:
        return list(COUNTRY_CODES)
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    items = [i.strip() for i in items if i.strip()]
    if not items or any(i.lower() == "all" for i in items):
        return list(COUNTRY_CODES)
    codes = []
    for item in items:
        code = to_iso3(item)
        if code is None:
            raise DataError(
                f"unknown country {item!r}",
                where="--countries",
                hint=f"use ISO3 or ISO2 codes or English names: {', '.join(COUNTRY_CODES)}, or 'all'",
            )
        if code not in codes:
            codes.append(code)
    return codes
