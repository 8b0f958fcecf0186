"""ClaimReview (schema.org JSON-LD) fact-checks, flattened to the canonical content columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name(value) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        return value.get("name")
    return value


def _url(value) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        return value.get("url") or value.get("@id")
    return value


def _records(data) -> list:
    if isinstance(data, dict) and "@graph" in data:
        return data["@graph"]
    return data if isinstance(data, list) else [data]


def read_claimreview(path: str | Path) -> pd.DataFrame:
    """Read ClaimReview records (a JSON array, an ``@graph``, or one object per line).

    Returns:
        Columns item_id, url, claim_text, verdict_raw, claim_author, claim_url,
        date_published, language, source_org (one row per ClaimReview).
    """
    path = Path(path)
    raw = path.read_text(encoding="utf-8-sig").strip()
    if not raw:
        raise DataError("the file is empty", path=path, hint="re-export the fact-checks")
    try:
        records = _records(json.loads(raw))
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise DataError(f"not JSON ({exc.msg})", path=path, where=f"line {exc.lineno}",
                            hint="export ClaimReview as JSON-LD") from None  # fmt: skip
    rows = []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or "claimReviewed" not in record:
            raise DataError(
                "record has no claimReviewed",
                path=path,
                where=f"record {index}",
                hint="every ClaimReview needs the claim text in claimReviewed",
            )
        item = _first(record.get("itemReviewed")) or {}
        rating = _first(record.get("reviewRating")) or {}
        rows.append(
            {
                "item_id": record.get("url") or f"{path.stem}-{index}",
                "url": record.get("url"),
                "claim_text": record["claimReviewed"],
                "verdict_raw": rating.get("alternateName") if isinstance(rating, dict) else None,
                "claim_author": _name(item.get("author")) if isinstance(item, dict) else None,
                "claim_url": _url(item.get("appearance") or item.get("firstAppearance"))
                if isinstance(item, dict)
                else None,
                "date_published": record.get("datePublished"),
                "language": _name(record.get("inLanguage")),
                "source_org": _name(record.get("author")),
            }
        )
    return pd.DataFrame(rows, dtype="object")
