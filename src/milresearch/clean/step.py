"""The cleaning step: raw files and codebooks in, Parquet tables and a cleaning log out.

Load inputs, process them, save outputs, in that order. Outputs are staged in a temporary
folder and moved into place only when every table was written, so a failed run leaves the last
good processed data untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from milresearch import storage
from milresearch.analysis import bases
from milresearch.clean import schemas
from milresearch.clean.cache import StepCache
from milresearch.clean.log import CleaningLog
from milresearch.clean.manifest import (
    CACHE_DIR,
    CATALOG_FILE,
    CONTENT_FILE,
    INDICATORS_FILE,
    LOG_FILE,
    MANIFEST_FILE,
    OBSERVATORY_FILE,
    OUTPUTS,
    SURVEY_FILE,
    SURVEY_MISSING_FILE,
    processed_lock,
    source_fingerprint,
)
from milresearch.clean.provenance import build_manifest, country_keys
from milresearch.clean.survey import CleanSurvey, clean_survey, combine_surveys
from milresearch.errors import DataError, describe_rows
from milresearch.ingest import readers
from milresearch.ingest.codebook import Codebook, find_codebooks
from milresearch.ingest.countries import harmonize_countries
from milresearch.paths import PROCESSED_DIR, RAW_DIR
from milresearch.settings import Settings, load_settings

STALE = (".clean-*", f"{CACHE_DIR}/.*", f"{CACHE_DIR}/analysis/**/.*.tmp", ".*.tmp")
"""Staging folders and temporary files an interrupted run leaves in the processed folder."""


@dataclass
class CleanResult:
    """What a cleaning run wrote."""

    processed_dir: Path
    survey_rows: int
    content_rows: int
    indicator_rows: int
    log: CleaningLog
    cached: list[str]
    """Steps taken from the cache of earlier runs, because none of their inputs changed."""


def rename_to_codebook(raw: readers.RawTable, book: Codebook) -> pd.DataFrame:
    """Keep the declared source columns of a content file, renamed to canonical names."""
    present = set(map(str, raw.frame.columns))
    absent = [v for v in book.variables.values() if v.source not in present]
    required = [v for v in absent if v.required]
    if required:
        raise DataError(
            f"required column(s) {', '.join(repr(v.source) for v in required)} not in the file",
            path=raw.path,
            hint=f"fix the source: names in {book.path.name}",
        )
    # A column declared `drop: true` (a name, a phone field) never enters the pipeline.
    keep = {
        v.source: v.name for v in book.variables.values() if v.source in present and not v.drop
    }
    frame = raw.frame[list(keep)].rename(columns=keep).reset_index(drop=True)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    if "country" in frame:
        frame["country"] = harmonize_countries(
            frame["country"], source=str(raw.path), column=book.variables["country"].source
        ).fillna(book.dataset.country)
    else:
        frame["country"] = pd.Series(book.dataset.country, index=frame.index, dtype="string")
    lacking = frame["country"].isna()
    if lacking.any():
        ids = (
            ", ".join(frame.loc[lacking, "item_id"].astype(str).head(5))
            if "item_id" in frame
            else ""
        )
        raise DataError(
            f"{int(lacking.sum())} item(s) without a country"
            + (f" (item_id {ids})" if ids else ""),
            path=raw.path,
            where=f"data rows {describe_rows(lacking)} below the header",
            hint=f"fill the country column, or set dataset.country in {book.path.name}",
        )
    return frame


SAMPLE_FOLDER = "sample"
"""The shipped synthetic sample below ``data/raw/``: read only when no other codebook exists."""


def project_codebooks(raw_dir: Path, log: CleaningLog | None = None) -> list[Codebook]:
    """The codebooks a project cleans: the user's own, else the shipped sample's.

    A real project must never be mixed with the synthetic sample, so as soon as one codebook
    exists outside ``data/raw/sample/``, everything under it is left out (and the log says so).
    """
    books = find_codebooks(raw_dir)
    own = [b for b in books if b.path.relative_to(raw_dir).parts[0] != SAMPLE_FOLDER]
    if own and len(own) < len(books):
        if log is not None:
            log.record(
                "project",
                "sample_skipped",
                len(books) - len(own),
                detail="codebooks of your own were found; the synthetic sample is not read",
            )
        return own
    return books


def _empty_survey() -> CleanSurvey:
    """The processed survey tables of a project without survey data: the schema's columns."""
    data = pd.DataFrame(
        {c.name: pd.Series(dtype="bool" if c.boolean else "object") for c in schemas.SURVEY}
    )
    data["weight"] = data["weight"].astype("float64")
    data["qc_dup_share"] = data["qc_dup_share"].astype("float64")
    data["sample_type"] = pd.Series(dtype="int64")
    missing = pd.DataFrame(
        {c: pd.Series(dtype="object") for c in ("resp_id", "country", "variable", "reason")}
    )
    return CleanSurvey(data=data, missing=missing)


def _clean_survey_part(
    books: list[Codebook], settings: Settings, log: CleaningLog, progress, cache: StepCache
):
    parts = []
    for book in books:
        progress(f"survey {book.dataset.name}")

        def compute(book=book):
            part = clean_survey(
                readers.read_raw(book), book, log, settings.survey, settings.reports
            )
            return {"data": part.data, "missing": part.missing}

        key = cache.key(book.path, book.data_path)
        frames = cache.run(f"survey-{book.dataset.name}", key, log, compute)
        parts.append(CleanSurvey(data=frames["data"], missing=frames["missing"]))
    if not parts:
        return _empty_survey(), books
    return combine_surveys(parts, books, log), books


def _clean_catalog_part(catalog_dir: Path, log: CleaningLog, cache: StepCache) -> pd.DataFrame:
    """The catalog of initiatives, cleaned again only when a file it reads changed.

    Its 170 markdown records take half a second to parse: a run that re-cleans one survey
    should not pay for them.
    """
    from milresearch.clean.catalog import clean_catalog
    from milresearch.ingest.catalog import DECLARATION, load_sources

    declaration = catalog_dir / DECLARATION
    # The declaration names the folders read; each may lie anywhere it points to.
    folders = [s.folder for s in load_sources(catalog_dir)]
    files = sorted({p for f in folders for p in f.rglob("*") if p.is_file()})
    if declaration.exists():
        files.insert(0, declaration)
    key = cache.key(*(os.path.relpath(p, catalog_dir) for p in files), *files)
    found = cache.run("catalog", key, log, lambda: {"catalog": clean_catalog(catalog_dir, log)})
    return found["catalog"]


def _clean_content_part(books: list[Codebook], log: CleaningLog, progress, cache: StepCache):
    from milresearch.clean.channels import add_forward_origins
    from milresearch.clean.content import add_clusters, clean_content

    def across(content: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
        # Claims are clustered across all deliveries and countries (how cross-border spread
        # shows), and forwards learn their source channel's country the same way.
        return add_forward_origins(add_clusters(content, log), log)

    frames, keys = [], []
    for book in books:
        progress(f"content {book.dataset.name}")

        def compute(book=book):
            raw = readers.read_raw(book)
            for rule, rows, detail in raw.notes:
                log.record("content", rule, rows, dataset=book.dataset.name, detail=detail)
            frame = rename_to_codebook(raw, book)
            pii = [v.name for v in book.variables.values() if v.pii]
            public = [v.name for v in book.variables.values() if v.public]
            return {
                "content": clean_content(
                    frame, dataset=book.dataset.name, log=log, pii=pii, public=public
                )
            }

        keys.append(cache.key(book.path, book.data_path, readers.reader_secret(book.dataset)))
        frames.append(cache.run(f"content-{book.dataset.name}", keys[-1], log, compute)["content"])
    if not frames:
        # The columns a content table has, with no rows: what a survey-only project writes.
        empty = pd.DataFrame(
            {"item_id": pd.Series(dtype="string"), "country": pd.Series(dtype="string")}
        )
        quiet = CleaningLog()
        return across(clean_content(empty, dataset="", log=quiet), quiet), books
    progress("content clusters")
    clusters = cache.run(
        "content-clusters",
        cache.key(*keys),
        log,
        lambda: {"content": across(pd.concat(frames, ignore_index=True), log)},
    )
    return clusters["content"], books


def _check_waves(data: pd.DataFrame, books: list[Codebook]) -> None:
    """Several surveys of one country must each say which wave they are.

    Raises:
        DataError: naming a codebook whose wave is unknown beside a country's other waves.
    """
    waves = data[["country", "wave", "dataset"]].drop_duplicates()
    by_name = {b.dataset.name: b for b in books}
    for country, rows in waves.groupby("country", sort=True):
        named = sorted(set(rows["wave"]) - {""})
        unnamed = rows[rows["wave"] == ""]
        if named and len(unnamed):
            book = by_name[str(unnamed["dataset"].iloc[0])]
            raise DataError(
                f"country {country} has surveys of wave(s) {', '.join(named)} and one whose "
                "wave is not known",
                path=book.path,
                where="dataset.wave",
                hint="declare dataset.wave (e.g. wave: 2023) or dataset.fieldwork_start, so "
                "each file's respondents are compared with the right wave",
            )


def run_clean(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    settings_path: Path | None = None,
    progress=lambda message: None,
) -> CleanResult:
    """Clean every dataset under ``raw_dir`` into ``processed_dir``.

    Args:
        raw_dir: Folder of raw files, each with a ``*.codebook.yml`` beside it.
        processed_dir: Where the Parquet tables, the cleaning log and the manifest go.
        settings_path: The declared cleaning rules (default: config/cleaning.yml).
        progress: Called with a short message before each dataset.

    Raises:
        DataError: For bad input, and when another clean or build holds ``processed_dir``.
    """
    from milresearch.settings import SETTINGS_FILE

    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    settings_path = Path(settings_path or SETTINGS_FILE)
    with processed_lock(processed_dir, "clean"):
        # What a killed run left half-written is removed; nothing else is running here.
        storage.remove_stale(processed_dir, *STALE)
        return _clean_locked(raw_dir, processed_dir, settings_path, progress)


def _clean_locked(
    raw_dir: Path, processed_dir: Path, settings_path: Path, progress
) -> CleanResult:
    from milresearch.indicators import load_indicators
    from milresearch.indicators.table import declared_indicators
    from milresearch.ingest.observatory import load_observatory

    # Load inputs and process them.
    settings = load_settings(settings_path)
    log = CleaningLog()
    # Only datasets whose file, codebook, settings or cleaning code changed are cleaned again.
    salt = source_fingerprint() + storage.sha256_file(settings_path) + pd.__version__
    cache = StepCache(processed_dir / CACHE_DIR, salt)
    books = project_codebooks(raw_dir, log)
    if not books:
        raise DataError(
            "no codebooks found",
            path=raw_dir,
            hint="add <name>.codebook.yml beside each data file (see data/raw/README.md),"
            " or run `milresearch sample-data` for the synthetic sample",
        )
    survey_books = [b for b in books if b.dataset.kind == "survey"]
    content_books = [b for b in books if b.dataset.kind == "content"]
    survey, survey_books = _clean_survey_part(survey_books, settings, log, progress, cache)
    content, content_books = _clean_content_part(content_books, log, progress, cache)
    progress("indicators")
    indicators = load_indicators(raw_dir / "indicators")
    log.record("indicators", "rows_read", len(indicators))
    progress("catalog")
    catalog = _clean_catalog_part(raw_dir / "catalog", log, cache)
    progress("observatory")
    observatory = load_observatory(
        raw_dir / "observatory", declared_indicators(raw_dir / "indicators")
    )
    log.record("observatory", "recommendations", len(observatory.get("recommendations", [])))
    log.record("observatory", "assessments", len(observatory.get("assessments", [])))

    progress("validate")
    _check_waves(survey.data, survey_books)
    schemas.validate(
        survey.data,
        schemas.survey_columns(survey_books),
        table=SURVEY_FILE,
        unique=("dataset", "resp_id"),
    )
    schemas.validate(content, schemas.CONTENT, table=CONTENT_FILE, unique=("dataset", "item_id"))
    for row in bases.weight_summary(survey.data, "weight").itertuples(index=False):
        log.record(
            "survey",
            "weights",
            row.n,
            country=str(row.country),
            detail=f"min {row.min:.3f}, max {row.max:.3f}, ratio {row.ratio:.1f}, "
            f"Kish n_eff {row.kish_n_eff:.0f}",
        )

    # Save outputs.
    processed_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".clean-", dir=processed_dir))
    try:
        survey.data.to_parquet(stage / SURVEY_FILE, index=False)
        survey.missing.to_parquet(stage / SURVEY_MISSING_FILE, index=False)
        content.to_parquet(stage / CONTENT_FILE, index=False)
        indicators.to_parquet(stage / INDICATORS_FILE, index=False)
        catalog.to_parquet(stage / CATALOG_FILE, index=False)
        (stage / OBSERVATORY_FILE).write_text(
            json.dumps(observatory, ensure_ascii=False, indent=1)
        )
        log.write(stage / LOG_FILE)
        manifest = build_manifest(raw_dir, settings_path, survey_books + content_books, log)
        manifest.update(
            country_keys(survey.data, survey.missing, content, indicators, log, manifest)
        )
        (stage / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        # The manifest goes last: it is what marks the processed set as complete.
        for name in OUTPUTS:
            os.replace(stage / name, processed_dir / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return CleanResult(
        processed_dir, len(survey.data), len(content), len(indicators), log, cache.hits
    )
