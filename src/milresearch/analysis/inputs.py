"""What one report reads: its own country's rows of the processed tables, loaded once.

A country report never sees another country's respondents, content or log entries: the Parquet
files are read with a row filter on ``country``. The regional report (``country="ALL"``) reads
every country. Where a country has several survey waves, every section but the change over time
reads the latest; ``history`` holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from milresearch.clean import manifest as manifest_module
from milresearch.clean.log import read_log

ALL = "ALL"
"""The pseudo-country of the regional report: every country's rows."""


@dataclass(frozen=True)
class Wave:
    """One survey round of a country: its id, fieldwork and interview mode."""

    id: str
    start: str
    end: str
    mode: str
    datasets: tuple[str, ...]


def country_waves(datasets, country: str, present: set[tuple[str, str]]) -> tuple[Wave, ...]:
    """A country's survey waves, earliest first (by fieldwork start, then id).

    Args:
        datasets: Manifest entries of survey datasets.
        country: ISO3 code.
        present: (country, dataset) pairs that have rows.
    """
    found: dict[str, list] = {}
    for d in datasets:
        if (country, d["name"]) in present:
            found.setdefault(str(d.get("wave", "")), []).append(d)
    waves = [
        Wave(
            id=wave,
            start=min(str(d.get("fieldwork_start") or "") for d in entries),
            end=max(str(d.get("fieldwork_end") or "") for d in entries),
            mode=" / ".join(sorted({str(d.get("mode") or "") for d in entries} - {""})),
            datasets=tuple(d["name"] for d in entries),
        )
        for wave, entries in found.items()
    ]
    return tuple(sorted(waves, key=lambda w: (w.start, w.id)))


def _latest(survey: pd.DataFrame, waves: dict[str, tuple[Wave, ...]]) -> pd.Series:
    """Rows of each country's latest wave."""
    latest = {country: w[-1].id for country, w in waves.items() if w}
    return survey["wave"].astype(str) == survey["country"].map(latest).astype(str)


@dataclass(frozen=True)
class ReportInputs:
    """The processed rows one report is built from."""

    country: str
    """ISO3 code, or ``"ALL"`` for the regional report."""
    survey: pd.DataFrame
    """National probability sample after quality exclusions: what estimates are made from."""
    all_rows: pd.DataFrame
    """Every cleaned survey row of the country, flagged rows and stakeholders included."""
    content: pd.DataFrame
    indicators: pd.DataFrame
    log: pd.DataFrame
    """Cleaning-log entries of this report's datasets."""
    datasets: tuple[MappingProxyType, ...]
    """Manifest entries of the survey and content datasets that contributed rows."""
    inputs: MappingProxyType
    """SHA-256 of every raw input, by path (the manifest's ``inputs``)."""
    data_key: str = ""
    """The manifest's fingerprint of this country's processed data (empty when unknown)."""
    analysis_key: str = ""
    """The manifest's fingerprint of what this country's analysis reads: the data key without
    the raw files' hashes (the data key itself for data cleaned before there was one)."""
    history: pd.DataFrame | None = None
    """National, kept respondents of every wave (``survey`` is the latest wave's)."""
    waves: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """Each country's survey waves, earliest first."""
    wave_datasets: tuple[MappingProxyType, ...] = ()
    """Manifest entries of every wave's survey datasets (``datasets`` has the latest's)."""
    catalog: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The whole catalog of initiatives (an entry can name several countries)."""
    observatory: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    """The recommendations, status scale and assessments (``observatory.json``)."""

    def wave_item(self, name: str, wave: str, country: str | None = None) -> dict[str, Any] | None:
        """How ``name`` was asked in ``wave`` of ``country`` (default: this report's), or None."""
        waves = self.waves.get(country or self.country, ())
        names = next((w.datasets for w in waves if w.id == wave), ())
        for dataset in self.wave_datasets:
            if dataset["name"] in names:
                found = dataset.get("items", {}).get(name)
                if found is not None:
                    return dict(found)
        return None

    @property
    def synthetic(self) -> bool:
        """True when any dataset of this report is declared synthetic in its codebook."""
        return any(bool(d.get("synthetic")) for d in self.datasets)

    @property
    def synthetic_kinds(self) -> list[str]:
        """Which kinds of this report's data (``survey``, ``content``) are declared synthetic."""
        kinds = {str(d.get("kind")) for d in self.datasets if d.get("synthetic")}
        return [k for k in ("survey", "content") if k in kinds]

    @property
    def survey_datasets(self) -> list[MappingProxyType]:
        """Manifest entries of this report's survey datasets."""
        return [d for d in self.datasets if d.get("kind") == "survey"]

    def item(self, name: str) -> dict[str, Any] | None:
        """How a survey item was asked (scale, codes, declared share, note), or None."""
        for dataset in self.survey_datasets:
            found = dataset.get("items", {}).get(name)
            if found is not None:
                return dict(found)
        return None

    def items(self, concept: str) -> list[str]:
        """Items of ``concept`` this report's surveys asked, in codebook order.

        An item counts when a survey dataset of the report declares it (or the built-in
        questionnaire's name implies it) and at least one national respondent answered it.
        """
        found: dict[str, None] = {}
        for dataset in self.survey_datasets:
            for name, spec in dataset.get("items", {}).items():
                if spec.get("concept") == concept:
                    found[name] = None
        return [n for n in found if n in self.survey and self.survey[n].notna().any()]

    def sections(self) -> dict[str, dict[str, str]]:
        """Custom sections the report's codebooks declare: id to title per language."""
        found: dict[str, dict[str, str]] = {}
        for dataset in self.survey_datasets:
            found |= dict(dataset.get("sections") or {})
        return found

    def answer_label(self, item: str, code: object, lang: str) -> str | None:
        """The label of answer ``code`` of ``item`` in ``lang``, from its codebook's scale."""
        spec = self.item(item) or {}
        names = (spec.get("answers") or {}).get(str(code))
        if not names:
            return None
        return names.get(lang) or names.get("en")

    def variable_label(self, name: str, lang: str) -> str:
        """A variable's label from its codebook in ``lang`` (English, then its name)."""
        for dataset in self.datasets:
            labels = dataset.get("labels", {}).get(name)
            if labels:
                return labels.get(lang) or labels.get("en") or name
        return name

    def veracity(self) -> dict[str, bool]:
        """Headline items declared true (True) or false (False) in this report's codebooks."""
        found: dict[str, bool] = {}
        for dataset in self.survey_datasets:
            found.update(dataset.get("veracity", {}))
        return found


def _read(path: Path, country: str) -> pd.DataFrame:
    filters = None if country == ALL else [("country", "==", country)]
    return pd.read_parquet(path, filters=filters).reset_index(drop=True)


def _read_if_there(path: Path) -> pd.DataFrame:
    """A whole processed table; empty when an older clean did not write it."""
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()


def _json_if_there(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_inputs(processed_dir: str | Path, country: str) -> ReportInputs:
    """Read one country's rows (or every country's, for ``"ALL"``) of the processed tables.

    Args:
        processed_dir: The folder ``milresearch clean`` wrote.
        country: ISO3 code, or ``"ALL"``.
    """
    processed = Path(processed_dir)
    survey = _read(processed / manifest_module.SURVEY_FILE, country)
    content = _read(processed / manifest_module.CONTENT_FILE, country)
    recorded = manifest_module.read_manifest(processed)
    present = set(zip(survey["country"], survey["dataset"], strict=True))
    surveys = [d for d in recorded["datasets"] if d.get("kind") == "survey"]
    waves = {c: country_waves(surveys, c, present) for c in sorted(set(survey["country"]))}
    if "wave" not in survey:  # processed by a version before waves: one wave
        survey = survey.assign(wave="")
    all_survey, survey = survey, survey[_latest(survey, waves)].reset_index(drop=True)
    names = set(survey["dataset"].unique()) | set(content.get("dataset", pd.Series()).unique())
    datasets = tuple(MappingProxyType(d) for d in recorded["datasets"] if d["name"] in names)
    wave_names = set(all_survey["dataset"].unique())
    log = read_log(processed / manifest_module.LOG_FILE)
    log = log[log["dataset"].isin(names)]  # the latest wave's: what the report describes
    if country != ALL:
        log = log[log["country"].isin([country, ""])]
    national = survey[(survey["sample_type"] == 1) & ~survey["qc_exclude"]]
    kept = all_survey[(all_survey["sample_type"] == 1) & ~all_survey["qc_exclude"]]
    return ReportInputs(
        country=country,
        survey=national.reset_index(drop=True),
        all_rows=survey,
        content=content,
        indicators=_read(processed / manifest_module.INDICATORS_FILE, country),
        log=log.reset_index(drop=True),
        datasets=datasets,
        inputs=MappingProxyType(dict(recorded.get("inputs", {}))),
        data_key=str(recorded.get("data_keys", {}).get(country, "")),
        analysis_key=str(
            recorded.get("analysis_keys", {}).get(country)
            or recorded.get("data_keys", {}).get(country, "")
        ),
        history=kept.reset_index(drop=True),
        waves=MappingProxyType(waves),
        wave_datasets=tuple(MappingProxyType(d) for d in surveys if d["name"] in wave_names),
        catalog=_read_if_there(processed / manifest_module.CATALOG_FILE),
        observatory=MappingProxyType(_json_if_there(processed / manifest_module.OBSERVATORY_FILE)),
    )
