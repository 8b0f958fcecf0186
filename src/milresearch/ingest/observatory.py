"""Reading the observatory's declarations under ``data/raw/observatory/``.

Recommendations, the status scale, the status files and the map of indicators to ROAM-X
categories.

Each file is checked against the others (an assessment names a declared recommendation and a
declared status; the evidence map names indicators the suite loads), and a mistake stops the
clean with the file, the entry and the key. The result is one JSON-able dict, which the cleaning
step saves as ``observatory.json`` for the pages and reports to read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from milresearch.errors import DataError
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.yamlfile import read_yaml

RECOMMENDATIONS_FILE = "recommendations.yml"
STATUSES_FILE = "statuses.yml"
EVIDENCE_FILE = "evidence_map.yml"
STATUS_FOLDER = "status"
LANGS = ("en", "ru")
ASSESSMENT_KEYS = ("recommendation", "status", "date", "evidence_url", "assessed_by", "note")
_URL = re.compile(r"^https?://\S+$")


def _bilingual(value: Any, path: Path, where: str) -> dict[str, str]:
    """A ``{en: …, ru: …}`` text, both given."""
    if not isinstance(value, dict) or any(not str(value.get(k) or "").strip() for k in LANGS):
        raise DataError(
            "a text needs both en and ru",
            path=path,
            where=where,
            hint='write it as {en: "…", ru: "…"}',
        )
    return {k: " ".join(str(value[k]).split()) for k in LANGS}


def _labels(data: dict, key: str, path: Path) -> dict[str, dict[str, str]]:
    block = data.get(key)
    if not isinstance(block, dict) or not block:
        raise DataError(
            f"no {key}: block", path=path, where=key, hint=f"declare {key}: with one entry per key"
        )
    return {str(k): _bilingual(v, path, f"{key}.{k}") for k, v in block.items()}


def load_recommendations(folder: Path) -> dict:
    """Sources, addressees and recommendations, each recommendation checked against both."""
    path = folder / RECOMMENDATIONS_FILE
    data = read_yaml(path) or {}
    sources = {}
    for key, spec in (data.get("sources") or {}).items():
        where = f"sources.{key}"
        sources[str(key)] = {
            "name": _bilingual((spec or {}).get("name"), path, f"{where}.name"),
            "publisher": _bilingual((spec or {}).get("publisher"), path, f"{where}.publisher"),
            "year": (spec or {}).get("year"),
        }
    addressees = _labels(data, "addressees", path)
    recs, seen = [], set()
    for i, rec in enumerate(data.get("recommendations") or [], start=1):
        where = f"recommendations[{i}]"
        if not isinstance(rec, dict) or not rec.get("id"):
            raise DataError(
                "a recommendation needs an id",
                path=path,
                where=where,
                hint="give id: <source>-<number>",
            )
        rid = str(rec["id"])
        if rid in seen:
            raise DataError(
                f"id {rid!r} is used twice",
                path=path,
                where=f"{where}.id",
                hint="give each recommendation its own id",
            )
        seen.add(rid)
        for key, known in (("source", sources), ("addressee", addressees)):
            if str(rec.get(key)) not in known:
                raise DataError(
                    f"unknown {key} {rec.get(key)!r}",
                    path=path,
                    where=f"{where}.{key}",
                    hint=f"use one of: {', '.join(known)}",
                )
        recs.append(
            {
                "id": rid,
                "source": str(rec["source"]),
                "addressee": str(rec["addressee"]),
                "short": _bilingual(rec.get("short") or rec.get("text"), path, f"{where}.short"),
                "text": _bilingual(rec.get("text"), path, f"{where}.text"),
            }
        )
    if not recs:
        raise DataError(
            "no recommendations declared",
            path=path,
            where="recommendations",
            hint="list them under recommendations:",
        )
    return {"sources": sources, "addressees": addressees, "recommendations": recs}


def _date(value: Any, path: Path, where: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise DataError(
            f"{value!r} is not a date", path=path, where=where, hint="write the date as YYYY-MM-DD"
        ) from None


def load_assessments(folder: Path, recommendations: set[str], statuses: dict) -> list[dict]:
    """Every assessment in ``status/<ISO3>.yml``, oldest first per recommendation and country.

    Raises:
        DataError: For an unknown country, recommendation, status or key, a missing evidence
            URL, assessor or date, or two assessments of one recommendation on one date.
    """
    found: list[dict] = []
    for path in sorted((folder / STATUS_FOLDER).glob("*.yml")):
        data = read_yaml(path) or {}
        country = str(data.get("country") or "")
        if country not in COUNTRY_CODES or country != path.stem:
            raise DataError(
                f"country {country!r} does not match the file name",
                path=path,
                where="country",
                hint=f"name the file <ISO3>.yml and set country: "
                f"to the same code, one of {', '.join(COUNTRY_CODES)}",
            )
        seen = set()
        for i, item in enumerate(data.get("assessments") or [], start=1):
            where = f"assessments[{i}]"
            if not isinstance(item, dict):
                raise DataError(
                    "an assessment must be a mapping of keys",
                    path=path,
                    where=where,
                    hint="begin it with '- recommendation: …'",
                )
            unknown = sorted(set(map(str, item)) - set(ASSESSMENT_KEYS))
            if unknown:
                raise DataError(
                    f"unknown key(s) {', '.join(unknown)}",
                    path=path,
                    where=where,
                    hint=f"use only: {', '.join(ASSESSMENT_KEYS)}",
                )
            rec, status = str(item.get("recommendation")), str(item.get("status"))
            if rec not in recommendations:
                raise DataError(
                    f"unknown recommendation {rec!r}",
                    path=path,
                    where=f"{where}.recommendation",
                    hint=f"use an id from {RECOMMENDATIONS_FILE}",
                )
            if status not in statuses:
                raise DataError(
                    f"unknown status {status!r}",
                    path=path,
                    where=f"{where}.status",
                    hint=f"use one of: {', '.join(statuses)}",
                )
            url = str(item.get("evidence_url") or "")
            if status != "no_evidence" and not _URL.match(url):
                raise DataError(
                    "an assessment needs an evidence URL (http:// or https://)",
                    path=path,
                    where=f"{where}.evidence_url",
                    hint="link the report, law or page the status rests on",
                )
            if not str(item.get("assessed_by") or "").strip():
                raise DataError(
                    "an assessment needs assessed_by",
                    path=path,
                    where=f"{where}.assessed_by",
                    hint="name who assessed it (person and organisation)",
                )
            date = _date(item.get("date"), path, f"{where}.date")
            if (rec, date) in seen:
                raise DataError(
                    f"{rec} is assessed twice on {date}",
                    path=path,
                    where=where,
                    hint="keep one assessment per recommendation and date",
                )
            seen.add((rec, date))
            found.append(
                {
                    "country": country,
                    "recommendation": rec,
                    "status": status,
                    "date": date,
                    "evidence_url": url,
                    "assessed_by": str(item["assessed_by"]).strip(),
                    "note": str(item.get("note") or "").strip(),
                    "file": f"{STATUS_FOLDER}/{path.name}",
                }
            )
    return sorted(found, key=lambda a: (a["country"], a["recommendation"], a["date"]))


def load_evidence_map(folder: Path, indicators: dict[str, dict]) -> dict:
    """The ROAM-X categories and which indicator is proxy evidence for which, with why."""
    path = folder / EVIDENCE_FILE
    data = read_yaml(path) or {}
    categories = _labels(data, "categories", path)
    rows = []
    for i, item in enumerate(data.get("evidence") or [], start=1):
        where = f"evidence[{i}]"
        name, category = str((item or {}).get("indicator")), str((item or {}).get("category"))
        if indicators and name not in indicators:
            raise DataError(
                f"unknown indicator {name!r}",
                path=path,
                where=f"{where}.indicator",
                hint="use a name from data/raw/indicators/indicators.yml",
            )
        if category not in categories:
            raise DataError(
                f"unknown category {category!r}",
                path=path,
                where=f"{where}.category",
                hint=f"use one of: {', '.join(categories)}",
            )
        rows.append(
            {
                "indicator": name,
                "category": category,
                "rationale": _bilingual(item.get("rationale"), path, f"{where}.rationale"),
                "label": indicators.get(name, {}).get("label", {"en": name, "ru": name}),
                "publisher": indicators.get(name, {}).get("publisher", ""),
            }
        )
    return {
        "label": _bilingual(data.get("label"), path, "label"),
        "categories": categories,
        "evidence": rows,
    }


def load_observatory(folder: Path, indicators: dict[str, dict]) -> dict:
    """Everything the tracker and the evidence map show; empty when there is no folder.

    Args:
        folder: ``data/raw/observatory``.
        indicators: The declared indicators (name to ``label`` and ``publisher``), to check
            the evidence map against and to label it; empty to skip the check.
    """
    folder = Path(folder)
    if not (folder / RECOMMENDATIONS_FILE).exists():
        return {}
    declared = load_recommendations(folder)
    statuses = _labels(read_yaml(folder / STATUSES_FILE) or {}, "statuses", folder / STATUSES_FILE)
    ids = {r["id"] for r in declared["recommendations"]}
    declared["statuses"] = statuses
    declared["assessments"] = load_assessments(folder, ids, statuses)
    declared["evidence_map"] = (
        load_evidence_map(folder, indicators) if (folder / EVIDENCE_FILE).exists() else {}
    )
    return declared
