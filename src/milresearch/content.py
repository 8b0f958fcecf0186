"""Content cleaning: verdicts, platforms, URLs, dates, language, duplicates and claim clusters."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import yaml

from milresearch import privacy, text
from milresearch.cleaninglog import CleaningLog
from milresearch.countries import load_countries, normalize_name
from milresearch.paths import RESOURCES_DIR

STAGE = "content"
VERDICTS = ("false", "misleading", "mixed", "unproven", "satire", "true")
"""Canonical verdicts from least to most true; a compound label takes the least true part."""
NEAR_DUPLICATE_THRESHOLD = 0.9
"""Cosine similarity of character 3-5-gram TF-IDF vectors at which two claims are one cluster."""
_SPLIT = re.compile(r"\s+(?:и|and|және|va|ва|ҳам|hem)\s+|\s*[/,;+]\s*")
_TRIM = re.compile(r"^[\W_]+|[\W_]+$")
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|yclid|igshid|igsh|si|ref|ref_src|spm|mc_.*|_ga)$")


@cache
def _verdict_table() -> dict[str, str]:
    raw = yaml.safe_load((RESOURCES_DIR / "verdicts.yml").read_text(encoding="utf-8"))
    table = {_norm(label): verdict for verdict, labels in raw.items() for label in labels}
    unknown = set(table.values()) - set(VERDICTS)
    if unknown:  # e.g. an unquoted false: key, which YAML reads as a boolean
        raise ValueError(f"verdicts.yml: unknown verdict(s) {unknown}; use {VERDICTS}")
    return table


def _norm(label: str) -> str:
    return _TRIM.sub("", normalize_name(str(label)))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _single_verdict(label: str) -> str | None:
    table = _verdict_table()
    if label in table:
        return table[label]
    if len(label) >= 5:
        close = {
            v for known, v in table.items() if len(known) >= 5 and _within_one_edit(label, known)
        }
        if len(close) == 1:
            return close.pop()
    return None


def normalize_verdict(raw: str) -> str:
    """Canonical verdict of a raw fact-check label in any of the region's languages.

    Returns one of false, misleading, mixed, true, unproven, satire, or other when the declared
    mapping (resources/verdicts.yml) does not know the label.
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return "other"
    label = _norm(raw)
    found = _single_verdict(label)
    if found is not None:
        return found
    parts = [p for p in (_norm(x) for x in _SPLIT.split(label)) if p]
    verdicts = [_single_verdict(p) for p in parts]
    if len(parts) > 1 and all(verdicts):
        return min(verdicts, key=VERDICTS.index)
    return "other"


@cache
def _platform_table() -> dict[str, str]:
    raw = yaml.safe_load((RESOURCES_DIR / "platforms.yml").read_text(encoding="utf-8"))
    return {normalize_name(name): platform for platform, names in raw.items() for name in names}


def canonical_platform(raw: str) -> str:
    """Canonical platform of a raw platform name or URL (``unknown`` when empty, else ``other``)."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)) or not str(raw).strip():
        return "unknown"
    table = _platform_table()
    key = normalize_name(raw)
    if key in table:
        return table[key]
    host = urlsplit(key if "//" in key else "//" + key).hostname or ""
    host = re.sub(r"^(www|m|mobile)\.", "", host)
    return table.get(host, "other")


def canonical_url(url: str) -> str:
    """A URL in one canonical form so that copies of the same address compare equal.

    https, lower-case host without www./m./mobile., no tracking parameters, sorted query, no
    fragment and no trailing slash.
    """
    url = str(url).strip()
    if "//" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = re.sub(r"^(www|m|mobile)\.", "", host)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = unquote(parts.path).rstrip("/")
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_WORD_DATE = re.compile(
    r"^(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})(?:\s*г\.?)?(?:\s+(\d{1,2}):(\d{2}))?$"
)
_DOT_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _parse_one(value: str) -> tuple[pd.Timestamp | None, bool]:
    """A timestamp and whether it carried its own zone; None when unparseable."""
    value = unicodedata.normalize("NFKC", str(value)).strip()
    if not value:
        return None, False
    if re.fullmatch(r"\d{9,10}", value):
        return pd.Timestamp(int(value), unit="s", tz="UTC"), True
    match = _DOT_DATE.match(value)
    if match:
        d, m, y, hh, mm, ss = match.groups()
        try:
            return pd.Timestamp(
                int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0)
            ), False
        except ValueError:
            return None, False
    match = _WORD_DATE.match(value.lower())
    if match:
        d, month, y, hh, mm = match.groups()
        if month in _MONTHS or month[:3] in ("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                             "aug", "sep", "oct", "nov", "dec"):  # fmt: skip
            number = _MONTHS.get(month) or pd.Timestamp(f"1 {month[:3]} 2000").month
            return pd.Timestamp(int(y), number, int(d), int(hh or 0), int(mm or 0)), False
        return None, False
    try:
        stamp = pd.Timestamp(value.replace("/", "-"))
    except (ValueError, TypeError):
        return None, False
    return stamp, stamp.tzinfo is not None


def parse_dates(values: pd.Series, timezone: str | pd.Series) -> pd.DataFrame:
    """UTC timestamps and local dates from dates written in many ways.

    Dates with an offset or ``Z`` are exact; dates without one are read in the local zone
    (``timezone``, one IANA name or one per row). Unparseable values become NaT.
    """
    zones = (
        timezone if isinstance(timezone, pd.Series) else pd.Series(timezone, index=values.index)
    )
    utc, local = [], []
    cache_: dict = {}
    for value, zone in zip(values, zones, strict=True):
        key = (value, zone)
        if key not in cache_:
            stamp, aware = _parse_one(value) if isinstance(value, str) else (None, False)
            if stamp is None:
                cache_[key] = (pd.NaT, pd.NaT)
            else:
                stamp = (
                    stamp.tz_convert("UTC") if aware else stamp.tz_localize(zone).tz_convert("UTC")
                )
                cache_[key] = (stamp, stamp.tz_convert(zone).date())
        utc.append(cache_[key][0])
        local.append(cache_[key][1])
    return pd.DataFrame(
        {"date_utc": pd.to_datetime(pd.Series(utc, index=values.index), utc=True),
         "date_local": pd.Series(local, index=values.index, dtype="object")}
    )  # fmt: skip


def latin_text(texts: pd.Series, langs: pd.Series) -> pd.Series:
    """Lower-cased text with Uzbek and Kazakh Cyrillic transliterated to Latin."""
    out = []
    for value, lang in zip(texts.fillna(""), langs, strict=True):
        if lang in ("uz", "kk"):
            value = text.transliterate(value, lang, "Latn")
        out.append(value.lower())
    return pd.Series(out, index=texts.index, dtype="string")


def cluster_near_duplicates(
    texts: pd.Series, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> pd.Series:
    """Cluster ids for groups of near-identical texts (NA for texts without a near twin).

    Character 3-5-gram TF-IDF vectors; pairs with cosine similarity at or above ``threshold``
    are linked, and connected groups form clusters. Neighbours are found with a sparse
    radius search, so the cost grows with the number of similar pairs, not with n².
    """
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    valid = texts.fillna("").str.len() >= 20
    result = pd.Series(pd.NA, index=texts.index, dtype="string")
    if valid.sum() < 2:
        return result
    docs = texts[valid].astype(str).tolist()
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=1, sublinear_tf=True,
                              dtype=np.float32).fit_transform(docs)  # fmt: skip
    graph = (
        NearestNeighbors(radius=1 - threshold, metric="cosine", algorithm="brute")
        .fit(vectors)
        .radius_neighbors_graph(vectors, mode="connectivity")
    )
    n_comp, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels, minlength=n_comp)
    ids = pd.Series(labels, index=texts[valid].index)
    clustered = ids[sizes[labels] > 1]
    result.loc[clustered.index] = [f"C{x:05d}" for x in clustered]
    return result


def clean_content(df: pd.DataFrame, *, dataset: str, log: CleaningLog) -> pd.DataFrame:
    """Clean one content delivery whose columns are already canonical (see the content codebook).

    Adds ``verdict``, ``platform``, ``url_canonical``, ``date_utc``, ``date_local``, ``lang``,
    ``script``, ``text_latn``, ``is_duplicate_url`` and ``cluster_id``, scrubs personal data from
    ``claim_text`` and ``claim_author``, and logs every rule per country. Nothing is dropped.
    """
    out = df.copy()
    country = out["country"]
    log.record_by_country(
        STAGE, "rows_read", pd.Series(True, index=out.index), country, dataset=dataset
    )
    for column in ("claim_text", "claim_author"):
        if column in out:
            out[column], changed = privacy.scrub_series(out[column])
            log.record(STAGE, "pii_scrubbed", changed, dataset=dataset, detail=column)
    if "verdict_raw" in out:
        raw = out["verdict_raw"].astype("string").str.strip()
        mapping = {label: normalize_verdict(label) for label in raw.dropna().unique()}
        out["verdict"] = raw.map(mapping).astype("string")
        unmapped = sorted(label for label, v in mapping.items() if v == "other")
        hit = out["verdict"] == "other"
        log.record_by_country(STAGE, "verdict_unmapped", hit.fillna(False), country, dataset=dataset,
                              detail="; ".join(unmapped))  # fmt: skip
    if "claim_platform" in out or "claim_url" in out:
        source = out.get("claim_platform", out.get("claim_url"))
        fallback = out.get("claim_url", source)
        source = source.where(
            source.notna() & (source.astype("string").str.strip() != ""), fallback
        )
        names = source.astype("string")
        out["platform"] = names.map({n: canonical_platform(n) for n in names.dropna().unique()})
        out["platform"] = out["platform"].fillna("unknown").astype("string")
        log.record_by_country(STAGE, "platform_unknown", out["platform"].isin(["other", "unknown"]),
                              country, dataset=dataset)  # fmt: skip
    if "url" in out:
        urls = out["url"].astype("string")
        out["url_canonical"] = urls.map({u: canonical_url(u) for u in urls.dropna().unique()})
        out["is_duplicate_url"] = (
            out["url_canonical"].duplicated(keep="first") & out["url_canonical"].notna()
        )
        log.record_by_country(
            STAGE, "duplicate_url", out["is_duplicate_url"], country, dataset=dataset
        )
    else:
        out["is_duplicate_url"] = False
    zones = country.map({c: spec.timezone for c, spec in load_countries().items()})
    if "date_published" in out:
        dates = parse_dates(out["date_published"].astype("object"), zones)
        out["date_utc"], out["date_local"] = dates["date_utc"], dates["date_local"]
        bad = out["date_utc"].isna() & out["date_published"].notna()
        log.record_by_country(STAGE, "date_unparsed", bad, country, dataset=dataset)
    if "language" in out:
        out = out.rename(columns={"language": "language_raw"})
    langs = text.detect_languages(out["claim_text"].astype("object"))
    out["lang"], out["script"] = langs["lang"].astype("string"), langs["script"].astype("string")
    log.record_by_country(
        STAGE, "language_undetermined", out["lang"] == "und", country, dataset=dataset
    )
    out["text_latn"] = latin_text(out["claim_text"], out["lang"])
    out.insert(1, "dataset", dataset)
    return out


def add_clusters(content: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Cluster near-identical claims across every content dataset and country, and log it."""
    out = content.copy()
    out["cluster_id"] = cluster_near_duplicates(out["text_latn"])
    log.record_by_country(STAGE, "near_duplicate", out["cluster_id"].notna(), out["country"],
                          detail=f"cosine >= {NEAR_DUPLICATE_THRESHOLD}")  # fmt: skip
    return out
