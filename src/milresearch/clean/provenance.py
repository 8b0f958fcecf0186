"""What a clean records about its outputs: the manifest and each country's data key.

The manifest (``manifest.json``) says what was read (input hashes, each dataset's metadata and
how each item was asked); a data key fingerprints what one country's report reads, so a build
rebuilds exactly the reports whose inputs changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd

from milresearch import __version__
from milresearch.analysis.questionnaire import default_concept
from milresearch.clean.log import CleaningLog
from milresearch.clean.manifest import input_hashes, source_fingerprint
from milresearch.ingest.codebook import Codebook

SHARED_INPUTS = ("indicators/", "catalog/", "observatory/")
"""Raw folders every country's report reads: a change there rebuilds them all."""


def _frame_hash(df: pd.DataFrame) -> str:
    return hashlib.sha256(
        pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()
    ).hexdigest()


def country_keys(
    survey: pd.DataFrame,
    missing: pd.DataFrame,
    content: pd.DataFrame,
    indicators: pd.DataFrame,
    log: CleaningLog,
    manifest: dict,
) -> dict[str, dict[str, str]]:
    """Each country's data key and analysis key (and ``ALL``'s), for builds.

    A country report reads only its own rows, the indicators, the catalog, the observatory's
    declarations, the log and its datasets' codebook metadata (fieldwork, labels), and lists the
    SHA-256 of its input files. Its **analysis key** covers what its analysis reads: those rows,
    the log, the metadata, the indicators, the catalog and observatory files and the settings.
    Its **data key** adds the hashes of its own raw files and codebooks, which only the page
    shows: editing one country's raw file changes that country's data key (and ``ALL``'s), even
    when the edit changes no processed row, and its analysis key only when it does.

    Returns:
        ``{"data_keys": {country: key}, "analysis_keys": {country: key}}``.
    """
    logged = log.to_frame()
    inputs = manifest["inputs"]
    shared = _frame_hash(indicators) + json.dumps(
        {k: v for k, v in inputs.items() if k.startswith(SHARED_INPUTS) or k == "<settings>"},
        sort_keys=True,
    )
    by_name = {d["name"]: d for d in manifest["datasets"]}
    keys: dict[str, str] = {}
    analysis: dict[str, str] = {}
    for country in sorted(survey["country"].dropna().unique()):
        digest = hashlib.sha256(shared.encode())
        rows = survey[survey["country"] == country]
        digest.update(_frame_hash(rows).encode())
        digest.update(_frame_hash(missing[missing["country"] == country]).encode())
        datasets = set(rows["dataset"])
        if "country" in content:
            items = content[content["country"] == country]
            digest.update(_frame_hash(items).encode())
            datasets |= set(items["dataset"])
        # Without the index: rows of other datasets before these must not shift the key.
        mine = logged[logged["dataset"].isin(datasets)].reset_index(drop=True)
        digest.update(mine.to_json().encode())
        names = sorted(datasets)
        digest.update(json.dumps([by_name[name] for name in names], sort_keys=True).encode())
        analysis[str(country)] = digest.hexdigest()
        files = [[inputs[by_name[n]["file"]], inputs[by_name[n]["codebook"]]] for n in names]
        digest.update(json.dumps(files).encode())
        keys[str(country)] = digest.hexdigest()
    for found in (keys, analysis):
        found["ALL"] = hashlib.sha256("".join(sorted(found.values())).encode()).hexdigest()
    return {"data_keys": keys, "analysis_keys": analysis}


def describe_items(book: Codebook) -> dict:
    """How each kept variable was asked: concept, scale and its answers, shares, label, note."""
    items = {}
    for v in book.variables.values():
        if v.drop:
            continue
        item: dict = {
            "concept": v.concept or default_concept(v.name, v.veracity),
            "scale": v.scale.name if v.scale else None,
            "codes": sorted(v.scale.labels) if v.scale else [],
            "answers": {str(c): dict(names) for c, names in v.scale.labels.items()}
            if v.scale
            else {},
            "label": dict(v.label),
            "note": v.note,
            "question": dict(v.question),
            "wording": v.wording,
        }
        share = v.share if v.share is not None else v.scale.share if v.scale else None
        if v.scale is not None and (share is not None or v.scale.shares):
            item["share"] = list(share or [])
            item["shares"] = {k: list(c) for k, c in v.scale.shares.items()}
        items[v.name] = item
    return items


def build_manifest(
    raw_dir: Path, settings_path: Path, books: list[Codebook], log: CleaningLog
) -> dict:
    """The manifest of a clean: package version, input hashes, each dataset's metadata and items."""
    logged = log.to_frame()
    datasets = []
    for book in books:
        ds = book.dataset
        read = logged[(logged["dataset"] == ds.name) & (logged["rule"] == "rows_read")]
        datasets.append(
            {
                "name": ds.name,
                "kind": ds.kind,
                "file": str(book.data_path.relative_to(raw_dir)),
                "codebook": str(book.path.relative_to(raw_dir)),
                "format": ds.format,
                "synthetic": ds.synthetic,
                "description": ds.description,
                "producer": ds.producer,
                "fieldwork_start": str(ds.fieldwork_start or ""),
                "fieldwork_end": str(ds.fieldwork_end or ""),
                "mode": ds.mode or "",
                "wave": ds.wave_id,
                "sample_design": ds.sample_design,
                "rows_read": int(read["rows"].sum()) if len(read) else None,
                "veracity": {
                    v.name: v.veracity for v in book.variables.values() if v.veracity is not None
                },
                "labels": {v.name: v.label for v in book.variables.values() if v.label},
                "items": describe_items(book) if ds.kind == "survey" else {},
                "sections": book.sections,
            }
        )
    return {
        "package_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": input_hashes(raw_dir, settings_path),
        "datasets": datasets,
        "synthetic": any(d["synthetic"] for d in datasets),
        "source": source_fingerprint(),
    }
