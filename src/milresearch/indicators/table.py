"""The indicator table: every publisher's files read into one tidy long table, with metadata.

Which publishers there are is :data:`PUBLISHERS`; what their figures are called, cited as and
labelled is ``indicators.yml`` beside the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError
from milresearch.indicators import freedomhouse, rsf, vdem, worldbank
from milresearch.indicators.publisher import Publisher
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.paths import RAW_DIR
from milresearch.yamlfile import read_yaml

INDICATORS_DIR = RAW_DIR / "indicators"
METADATA_FILE = "indicators.yml"
COLUMNS = ["country", "indicator", "year", "value", "value_text", "source", "citation", "series"]

PUBLISHERS: dict[str, Publisher] = {
    "rsf": rsf.PUBLISHER,
    "wb": worldbank.PUBLISHER,
    "fiw": freedomhouse.PUBLISHER,
    "vdem": vdem.PUBLISHER,
}
"""Source key (as in ``indicators.yml`` and the ``source`` column) to its reader."""
SOURCES = tuple(PUBLISHERS)


@cache
def _read_metadata(path: Path, mtime_ns: int) -> dict:
    meta = read_yaml(path)
    sources = (meta or {}).get("sources", {})
    for source, publisher in PUBLISHERS.items():
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
        labelled |= publisher.labels(spec)
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


def declared_indicators(indicators_dir: Path = INDICATORS_DIR) -> dict[str, dict]:
    """Each indicator ``indicators.yml`` declares, with its labels and publisher; none without it."""
    if not (Path(indicators_dir) / METADATA_FILE).exists():
        return {}
    return {
        name: {"label": spec["label"], "publisher": source["publisher"]}
        for source in load_metadata(indicators_dir)["sources"].values()
        for name, spec in source["indicators"].items()
    }


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
    for source, publisher in PUBLISHERS.items():
        spec = meta["sources"][source]
        folder = indicators_dir / spec["folder"]
        if not folder.is_dir():
            raise DataError(
                f"folder {spec['folder']}/ not found",
                path=indicators_dir,
                hint=f"copy it from ../shared/data/indicators/{spec['folder']}/",
            )
        records = publisher.load(folder, countries, encodings, spec)
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
