"""Platforms and URLs: canonical platform names and one canonical form of every link."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from milresearch.clean.arrays import extract_groups, map_unique
from milresearch.ingest.countries import normalize_name
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent

PLATFORMS = (
    "telegram",
    "instagram",
    "tiktok",
    "youtube",
    "facebook",
    "vk",
    "odnoklassniki",
    "whatsapp",
    "imo",
    "x",
    "website",
    "tv",
    "print",
    "other",
    "unknown",
)
TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_.*|fbclid|gclid|dclid|gbraid|wbraid|yclid|msclkid|igshid|igsh|si|ref|ref_src|"
    r"ref_url|spm|mc_cid|mc_eid|_ga|_gl|mibextid|__cft__.*|__tn__|rdid|share_id|from_share)$",
    re.IGNORECASE,
)
"""Query parameters that track a click rather than name a page; canonical URLs drop them."""
_MOBILE = re.compile(r"^(?:www\d?|m|mobile)\.")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = set(":/?#[]@!$&'()*+,;=% \"<>\\^`{|}")


@cache
def _platform_table() -> dict[str, str]:
    raw = read_yaml(HERE / "platforms.yml")
    unknown = set(raw) - set(PLATFORMS)
    if unknown:
        raise ValueError(f"platforms.yml: unknown platform(s) {unknown}; use {PLATFORMS}")
    return {normalize_name(str(name)): p for p, names in raw.items() for name in names}


def _host(value: str) -> str:
    split = urlsplit(value if "//" in value else "//" + value)
    return _MOBILE.sub("", (split.hostname or "").lower())


def canonical_platform(raw: str) -> str:
    """Canonical platform of a raw platform name or URL, from resources/platforms.yml.

    ``unknown`` when empty, ``website`` for a URL on a host that is not a listed platform,
    ``other`` for any other name.
    """
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return "unknown"
    key = normalize_name(raw)
    if not key:
        return "unknown"
    table = _platform_table()
    if key in table:
        return table[key]
    looks_like_url = "/" in key or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", key) is not None
    if not looks_like_url or " " in key:
        return "other"
    host = _host(key)
    return table.get(host, "website" if "." in host else "other")


def _safe_unquote(part: str) -> str:
    """Decode percent-escapes that stand for UTF-8 text, keep those of reserved characters."""

    def decode(match: re.Match) -> str:
        escaped = match.group()
        try:
            decoded = unquote(escaped, errors="strict")
        except UnicodeDecodeError:
            return escaped.upper()
        if any(c in _RESERVED or not c.isprintable() for c in decoded):
            return escaped.upper()
        return decoded

    return _PERCENT.sub(decode, part)


def _canonical_query(query: str) -> str:
    kept = [
        _safe_unquote(item)
        for item in query.split("&")
        if item and not TRACKING_PARAMETERS.match(unquote(item.split("=", 1)[0]))
    ]
    return "&".join(sorted(kept))


_URL = (
    r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://|//)?(?:[^@/?#]*@)?(?P<host>[^/?#:]*)"
    r"(?::(?P<port>[0-9]*))?(?P<path>[^?#]*)(?:[?](?P<query>[^#]*))?"
)


def canonical_urls(urls: pd.Series) -> pd.Series:
    """:func:`canonical_url` of a whole column, vectorised; NA and empty values become NA."""
    raw = urls.astype(pd.StringDtype("pyarrow")).str.strip()
    raw = raw.where(raw != "")
    other = raw.str.contains(r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[^0-9/]|/[^/]|$)", regex=True)
    other = other.fillna(False) & ~raw.str.contains("://", regex=False).fillna(False)
    parts = extract_groups(raw, _URL)
    web = parts["scheme"].str.lower().isin(["http", "https"]) | parts["scheme"].isna()
    host = parts["host"].str.lower().str.replace(r"^(?:www[0-9]?|m|mobile)[.]", "", regex=True)
    port = parts["port"].where(~parts["port"].isin(["80", "443"]))
    host = host.fillna("") + (":" + port).fillna("")
    path = parts["path"].fillna("")
    escaped = path.str.contains("%", regex=False).fillna(False)
    path[escaped] = map_unique(path[escaped], _safe_unquote)
    path = path.str.rstrip("/")
    query = map_unique(parts["query"], _canonical_query)
    query = ("?" + query.where(query != "")).fillna("")
    out = ("https://" + host + path + query).astype("string")
    out = out.where(web & ~other, raw)
    return out.where(raw.notna())


def canonical_url(url: str) -> str:
    """A URL in one canonical form so that copies of the same address compare equal.

    https, lower-case host without www./m./mobile., no user or default port, no tracking
    parameters (:data:`TRACKING_PARAMETERS`), remaining query sorted, no fragment, no trailing
    slash, and percent-escapes of non-reserved characters decoded. Addresses with another
    scheme (mailto:, javascript:) come back stripped but otherwise unchanged.
    """
    found = canonical_urls(pd.Series([url], dtype="string")).iloc[0]
    return "" if pd.isna(found) else str(found)
