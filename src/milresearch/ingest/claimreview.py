"""ClaimReview (schema.org JSON-LD) fact-checks, flattened to the canonical content columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from milresearch.errors import DataError

COLUMNS = (
    "item_id",
    "url",
    "claim_text",
    "verdict_raw",
    "claim_author",
    "claim_url",
    "date_published",
    "language",
    "source_org",
    "country",
    "item_type",
)
_HINT = (
    "export the fact-checks as schema.org ClaimReview JSON-LD (an array, an @graph or JSON Lines)"
)


def _first(value):
    """The first element of a list (None for an empty one), anything else unchanged."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value) -> str | None:
    return None if value is None or value == "" else str(value)


def _name(value) -> str | None:
    """A person's, organisation's or language's name, whether given as an object or a string."""
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("alternateName"))
    return _text(value)


def _url(value) -> str | None:
    """The address of an appearance given as an object, a list of either, or a string."""
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("@id"))
    return _text(value)


def _language(value) -> str | None:
    """The inLanguage as a code where one is given ({"alternateName": "ur"}), else as written."""
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("alternateName") or value.get("name"))
    return _text(value)


def _place(value) -> str | None:
    """A country from contentLocation / spatialCoverage: a name, an address or a string."""
    value = _first(value)
    if isinstance(value, dict):
        address = _first(value.get("address"))
        if isinstance(address, dict) and address.get("addressCountry"):
            return _name(address["addressCountry"])
        return _text(value.get("name"))
    return _text(value)


def _is_claimreview(record: dict) -> bool:
    kinds = record.get("@type", "ClaimReview")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "ClaimReview" in kinds


def _records(data) -> list:
    """Every object of a JSON-LD document: arrays and @graph containers are flattened."""
    if isinstance(data, list):
        return [r for item in data for r in _records(item)]
    if isinstance(data, dict) and "@graph" in data:
        return _records(data["@graph"])
    return [data]


def _load(path: Path) -> list:
    raw = path.read_text(encoding="utf-8-sig").strip()
    if not raw:
        raise DataError("the file is empty", path=path, hint=_HINT)
    try:
        return _records(json.loads(raw))
    except json.JSONDecodeError as whole:
        lines = [(n, line) for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
        if raw.startswith("[") or len(lines) < 2:
            raise DataError(
                f"not JSON ({whole.msg})",
                path=path,
                where=f"line {whole.lineno}, column {whole.colno}",
                hint=_HINT,
            ) from None
        records = []
        for index, (lineno, line) in enumerate(lines):
            try:
                records.extend(_records(json.loads(line)))
            except json.JSONDecodeError as exc:
                raise DataError(
                    f"not JSON ({exc.msg})",
                    path=path,
                    where=f"record {index} (line {lineno})",
                    hint=_HINT,
                ) from None
        return records


def read_claimreview(path: str | Path) -> pd.DataFrame:
    """Read ClaimReview records (a JSON array, an ``@graph``, or one object per line).

    Objects of another ``@type`` (a WebPage or Organization beside the reviews in an
    ``@graph``) are skipped. ``appearance`` may be an object, a list or a string.

    Returns:
        One row per ClaimReview with columns :data:`COLUMNS` as text: item_id (the review's
        url), url, claim_text (claimReviewed), verdict_raw (reviewRating.alternateName),
        claim_author (itemReviewed.author.name), claim_url (itemReviewed.appearance[0].url, or
        firstAppearance), date_published, language (inLanguage), source_org (author.name),
        country (contentLocation or spatialCoverage, as written), item_type ("fact_check").

    Raises:
        DataError: The file is empty or not JSON, or a ClaimReview has no claimReviewed; the
            message names the file and the record (counted from 0).
    """
    path = Path(path)
    rows = []
    for index, record in enumerate(_load(path)):
        if not isinstance(record, dict):
            raise DataError(
                f"expected a JSON object, found {type(record).__name__}",
                path=path,
                where=f"record {index}",
                hint=_HINT,
            )
        if not _is_claimreview(record):
            continue
        if not _text(record.get("claimReviewed")):
            raise DataError(
                "ClaimReview has no claimReviewed",
                path=path,
                where=f"record {index}" + (f" ({record['url']})" if record.get("url") else ""),
                hint="every ClaimReview needs the claim text in claimReviewed",
            )
        item = _first(record.get("itemReviewed"))
        item = item if isinstance(item, dict) else {}
        rating = _first(record.get("reviewRating"))
        rating = rating if isinstance(rating, dict) else {}
        url = _text(record.get("url"))
        rows.append(
            {
                "item_id": url or f"{path.stem}-{index}",
                "url": url,
                "claim_text": str(record["claimReviewed"]),
                "verdict_raw": _text(rating.get("alternateName") or rating.get("name")),
                "claim_author": _name(item.get("author")),
                "claim_url": _url(item.get("appearance") or item.get("firstAppearance")),
                "date_published": _text(record.get("datePublished")),
                "language": _language(record.get("inLanguage")),
                "source_org": _name(record.get("author")),
                "country": _place(
                    record.get("contentLocation")
                    or record.get("spatialCoverage")
                    or item.get("contentLocation")
                ),
                "item_type": "fact_check",
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype="string")
