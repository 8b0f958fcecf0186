"""Content cleaning: verdicts, platforms, URLs, dates, language, duplicates and claim clusters.

Nothing is dropped: duplicates and near-duplicates are flagged, unknown labels become ``other``
and every rule is counted per country in the cleaning log (stage ``content``).

Near-duplicate claims are found without comparing all pairs. Texts (``text_latn``: lower-cased,
Uzbek and Kazakh in Latin; then punctuation and the declared stopwords and chain-message chatter
of resources/stopwords.yml removed) are cut into character 5-grams, and 128 MinHash values
estimate the Jaccard similarity of two texts' 5-gram sets. Locality-sensitive hashing (32 bands
of 4 values) puts texts that share a band into one bucket; within a bucket each text is compared
with the next one (so the work grows with the number of texts, not its square). Pairs whose
estimated similarity reaches :data:`NEAR_DUPLICATE_THRESHOLD` are linked, and linked groups
(single linkage) form a cluster. Identical texts always share a cluster. Texts shorter than
:data:`MIN_CLUSTER_CHARS` and texts without a near twin get no cluster (NA).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from milresearch.clean import privacy, text
from milresearch.clean.log import CleaningLog
from milresearch.ingest.countries import load_countries, normalize_name

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""

STAGE = "content"
VERDICTS = ("false", "misleading", "mixed", "unproven", "satire", "true")
"""Canonical verdicts from least to most true; a compound label takes its least true part."""
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
NEAR_DUPLICATE_THRESHOLD = 0.9
"""Estimated Jaccard similarity of two texts' character 5-gram sets at which they are linked.

Reposts that differ by chatter ("Срочно!", "#новости") or punctuation score 1.0, one changed
word in a 60-letter claim about 0.8: a claim re-told with another number is another claim.
"""
MIN_CLUSTER_CHARS = 20
"""Texts shorter than this (after normalisation) are not clustered."""
SHINGLE = 5
_CLUSTER_DETAIL = (
    f"rows in clusters (estimated Jaccard of 5-gram sets >= {NEAR_DUPLICATE_THRESHOLD})"
)
BANDS, ROWS = 32, 4
TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_.*|fbclid|gclid|dclid|gbraid|wbraid|yclid|msclkid|igshid|igsh|si|ref|ref_src|"
    r"ref_url|spm|mc_cid|mc_eid|_ga|_gl|mibextid|__cft__.*|__tn__|rdid|share_id|from_share)$",
    re.IGNORECASE,
)
"""Query parameters that track a click rather than name a page; canonical URLs drop them."""
_SPLIT = re.compile(r"\s+(?:и|and|және|жана|va|ва|ham|we|اور)\s+|\s*[/,;+&]\s*")
_PREFIX = re.compile(r"^(?P<prefix>[^:()\[\]]{1,40}?)\s*:\s*(?P<rest>.+)$")
_PARENTHETICAL = re.compile(r"[(\[]([^()\[\]]*)(?:[)\]]|$)")
_TRIM = re.compile(r"^[\W_]+|[\W_]+$")
_MOBILE = re.compile(r"^(?:www\d?|m|mobile)\.")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = set(":/?#[]@!$&'()*+,;=% \"<>\\^`{|}")


# Verdicts.
@dataclass(frozen=True)
class VerdictParse:
    """How a raw fact-check label was read (see :func:`parse_verdict`)."""

    verdict: str
    """A canonical verdict (:data:`VERDICTS`) or ``other``."""
    head: str | None
    """The normalised head label (after any prefix, without parentheticals); None when empty."""
    qualifiers: tuple[str, ...] = ()
    """Normalised parentheticals and joined parts that are not known verdicts, in order.

    When ``verdict`` is not ``other`` these were dropped to reach it.
    """
    prefix: str | None = None
    """The normalised verdict prefix that was dropped ("вердикт" of "Вердикт: фейк")."""


@cache
def _verdict_data() -> tuple[dict[str, str], frozenset[str]]:
    raw = yaml.safe_load((HERE / "verdicts.yml").read_text(encoding="utf-8"))
    prefixes = frozenset(_norm(p) for p in raw.pop("prefixes", None) or ())
    unknown = set(raw) - set(VERDICTS)
    if unknown:  # e.g. an unquoted false: key, which YAML reads as a boolean
        raise ValueError(f"verdicts.yml: unknown verdict(s) {unknown}; use {VERDICTS}")
    table: dict[str, str] = {}
    for verdict, labels in raw.items():
        for label in labels:
            key = _norm(label)
            if table.setdefault(key, verdict) != verdict:
                raise ValueError(
                    f"verdicts.yml: {label!r} is listed as {table[key]} and as {verdict}"
                )
    return table, prefixes


def _verdict_table() -> dict[str, str]:
    return _verdict_data()[0]


def _verdict_prefixes() -> frozenset[str]:
    return _verdict_data()[1]


def _norm(label: object) -> str:
    return _TRIM.sub("", normalize_name(str(label)).replace("ё", "е"))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
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


def _split_parts(text: str) -> list[str]:
    return [p for p in (_norm(x) for x in _SPLIT.split(text)) if p]


def parse_verdict(raw: object) -> VerdictParse:
    """Read a raw fact-check label: its canonical verdict, head and dropped qualifiers.

    A label listed (or within one edit of a listed label) in verdicts.yml is that verdict.
    Otherwise, in order: a leading ``<prefix>:`` is dropped when the prefix is declared
    (verdicts.yml ``prefixes``: "Вердикт: фейк", "Үкім: жалған"); parentheticals become
    qualifiers of the label ("правда (с неточностями)"); the rest is split into parts on
    и / and / және / va / ... and on / , ; + & (the first part is the head). The head must be a
    known verdict, or the result is ``other``. A parenthetical that reads as a listed label with
    the head ("Правда (частично)": "частично правда") is that label. All known parts and
    qualifiers count and the least true wins (:data:`VERDICTS` order). Unknown parts and
    parentheticals are qualifiers: a known head keeps its verdict and the qualifiers are
    returned (and logged as ``verdict_qualifier``), so "фейк и техническая ошибка" is false.
    An unknown head is ``other``, whatever its qualifiers: a label is never guessed.
    """
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return VerdictParse("other", None)
    label = _norm(raw)
    if not label:
        return VerdictParse("other", None)
    found = _single_verdict(label)
    if found is not None:
        return VerdictParse(found, label)

    prefix = None
    rest = normalize_name(str(raw))
    match = _PREFIX.match(rest)
    if match and _norm(match["prefix"]) in _verdict_prefixes():
        prefix, rest = _norm(match["prefix"]), match["rest"]
        found = _single_verdict(_norm(rest))
        if found is not None:
            return VerdictParse(found, _norm(rest), prefix=prefix)

    bracketed = [q for inner in _PARENTHETICAL.findall(rest) for q in _split_parts(inner)]
    parts = _split_parts(_PARENTHETICAL.sub(" ", rest))
    if not parts:
        return VerdictParse("other", None, tuple(bracketed), prefix)
    head = parts[0]
    joined = [(p, _single_verdict(p)) for p in parts]
    qualified = [(q, _single_verdict(q)) for q in bracketed]
    table = _verdict_table()
    for i, (q, v) in enumerate(qualified):  # "Правда (частично)" reads as "частично правда"
        phrase = next((x for x in (f"{q} {head}", f"{head} {q}") if x in table), None)
        if v is None and phrase is not None:
            qualified[i] = (q, table[phrase])
    unknown = tuple(p for p, v in (*joined[1:], *qualified) if v is None)
    known = [v for _, v in (*joined, *qualified) if v is not None]
    if joined[0][1] is None:
        return VerdictParse("other", head, unknown, prefix)
    # A known head keeps its verdict; what could not be read is recorded, not guessed at.
    return VerdictParse(min(known, key=VERDICTS.index), head, unknown, prefix)


def normalize_verdict(raw: str) -> str:
    """Canonical verdict of a raw fact-check label in any of the region's languages.

    Returns one of false, misleading, mixed, true, unproven, satire, or ``other`` when the
    declared mapping (verdicts.yml) does not know the label. A compound label whose parts are all
    known takes its least true part (false < misleading < mixed < unproven < satire < true), so
    "правда и манипуляция" is misleading. Prefixes, parentheticals and qualifiers are read as
    :func:`parse_verdict` describes.
    """
    return parse_verdict(raw).verdict


# Platforms and URLs.
@cache
def _platform_table() -> dict[str, str]:
    raw = yaml.safe_load((HERE / "platforms.yml").read_text(encoding="utf-8"))
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


def _map_unique(values: pd.Series, func) -> pd.Series:
    """``func`` of every distinct non-missing value, as text; missing values stay missing."""
    unique = values.dropna().unique()
    mapping = dict(zip(unique, map(func, unique), strict=True))
    return values.map(mapping).astype(pd.StringDtype("pyarrow"))


def _to_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return arr.to_pandas().set_axis(index).astype(pd.StringDtype("pyarrow"))


def _extract(values: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of an RE2 ``pattern`` (pyarrow, vectorised); NA where absent or unmatched."""
    arr = pa.array(values.astype("object").where(values.notna(), None), type=pa.string())
    found = pc.extract_regex(arr, pattern)
    valid = found.is_valid()
    columns = {}
    for k, field in enumerate(found.type):
        value = pc.struct_field(found, [k])
        value = pc.if_else(pc.and_(valid, pc.not_equal(value, "")), value, _NULL)
        columns[field.name] = _to_series(value, values.index)
    return pd.DataFrame(columns, index=values.index)


_NULL = pa.scalar(None, pa.string())
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
    parts = _extract(raw, _URL)
    web = parts["scheme"].str.lower().isin(["http", "https"]) | parts["scheme"].isna()
    host = parts["host"].str.lower().str.replace(r"^(?:www[0-9]?|m|mobile)[.]", "", regex=True)
    port = parts["port"].where(~parts["port"].isin(["80", "443"]))
    host = host.fillna("") + (":" + port).fillna("")
    path = parts["path"].fillna("")
    escaped = path.str.contains("%", regex=False).fillna(False)
    path[escaped] = _map_unique(path[escaped], _safe_unquote)
    path = path.str.rstrip("/")
    query = _map_unique(parts["query"], _canonical_query)
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


# Dates.
_MONTHS = {
    # Russian (genitive and nominative), English, Kazakh, Uzbek (both scripts), Turkmen.
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
    "январь": 1,
    "февраль": 2,
    "март": 3,
    "апрель": 4,
    "май": 5,
    "июнь": 6,
    "июль": 7,
    "август": 8,
    "сентябрь": 9,
    "октябрь": 10,
    "ноябрь": 11,
    "декабрь": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
    "yanvar": 1,
    "fevral": 2,
    "mart": 3,
    "aprel": 4,
    "iyun": 6,
    "iyul": 7,
    "avgust": 8,
    "sentabr": 9,
    "oktabr": 10,
    "noyabr": 11,
    "dekabr": 12,
    "январ": 1,
    "феврал": 2,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
    "ýanwar": 1,
    "fewral": 2,
    "maý": 5,
    "iýun": 6,
    "iýul": 7,
    "awgust": 8,
    "sentýabr": 9,
    "oktýabr": 10,
    "noýabr": 11,
}
_EPOCH = r"^[0-9]{9,10}(?:[.]0+)?$"
_EPOCH_MS = r"^[0-9]{12,13}$"
_AWARE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?"
    r" ?(?:Z|[+-][0-9]{2}:?[0-9]{2})$"
)
_TIME = (
    r"(?:[ ,T]+(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.][0-9]+)?)?)?"
)
_YEAR_WORD = "(?:[ -]?(?:г|года|ж|жыл|жылы|y|yil|yili|сол|ý)[.]?)?"
_DATE_PATTERNS = (
    rf"^(?P<year>[0-9]{{4}})[-/.](?P<month>[0-9]{{1,2}})[-/.](?P<day>[0-9]{{1,2}}){_TIME}$",
    rf"^(?P<day>[0-9]{{1,2}})[./-](?P<month>[0-9]{{1,2}})[./-](?P<year>[0-9]{{4}}){_TIME}$",
    (
        rf"^(?P<day>[0-9]{{1,2}})[ -](?P<word>[^0-9 ,.-]+)[.]?,?[ -](?P<year>[0-9]{{4}})"
        rf"{_YEAR_WORD}{_TIME}$"
    ),
    rf"^(?P<word>[^0-9 ,.]+)[.]? (?P<day>[0-9]{{1,2}}),? (?P<year>[0-9]{{4}}){_TIME}$",
)


def _naive_dates(raw: pd.Series) -> pd.Series:
    """Dates without an offset, as naive timestamps (NaT where no pattern fits)."""
    naive = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for pattern in _DATE_PATTERNS:
        parts = _extract(raw, pattern).dropna(subset=["year"])
        if parts.empty:
            continue
        if "word" in parts:
            words = parts.pop("word").str.lower().str.rstrip(".")
            parts["month"] = words.map({w: _MONTHS.get(w) for w in words.dropna().unique()})
        numbers = parts.apply(pd.to_numeric, errors="coerce").astype("float64")
        clock = ["hour", "minute", "second"]
        numbers[clock] = numbers[clock].fillna(0)
        bad = (numbers["hour"] > 23) | (numbers["minute"] > 59) | (numbers["second"] > 59)
        numbers[bad] = np.nan
        naive[parts.index] = pd.to_datetime(numbers, errors="coerce").to_numpy()
        raw = raw.drop(parts.index)
    return naive


def parse_dates(values: pd.Series, timezone: str | pd.Series) -> pd.DataFrame:
    """UTC timestamps and local dates from dates written in many ways.

    Understands ISO 8601 with an offset or ``Z``; naive ISO and ``2024/03/12``; ``12.03.2024``
    and ``12.03.2024 14:05`` (day first); ``12 марта 2024``, ``12 March 2024``, ``March 12,
    2024`` and month names in Kazakh, Uzbek and Turkmen; epoch seconds or milliseconds. Dates
    without an offset are read in the local zone (``timezone``: one IANA name, or one per row;
    UTC where it is missing). Unparseable values become NaT.

    Returns:
        ``date_utc`` (tz-aware UTC) and ``date_local`` (the calendar date in the local zone).
    """
    raw = values.astype(pd.StringDtype("pyarrow")).str.replace("\xa0", " ").str.strip()
    raw = raw.reset_index(drop=True)
    if isinstance(timezone, pd.Series):
        zones = timezone.reset_index(drop=True).astype("object")
    else:
        zones = pd.Series(timezone, index=raw.index, dtype="object")
    zones = zones.where(zones.notna(), "UTC")
    utc = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")

    epoch = raw.str.contains(_EPOCH, regex=True).fillna(False)
    utc[epoch] = pd.to_datetime(raw[epoch].astype(float), unit="s", utc=True)
    epoch_ms = raw.str.contains(_EPOCH_MS, regex=True).fillna(False)
    utc[epoch_ms] = pd.to_datetime(raw[epoch_ms].astype("int64"), unit="ms", utc=True)
    aware = raw.str.contains(_AWARE, regex=True).fillna(False)
    utc[aware] = pd.to_datetime(raw[aware], format="ISO8601", utc=True, errors="coerce")
    naive = _naive_dates(raw[~(epoch | epoch_ms | aware) & raw.notna()])

    local = pd.Series(pd.NA, index=raw.index, dtype="object")
    for zone in pd.unique(zones):
        rows = zones == zone
        here = naive[naive.notna() & rows[naive.index]]
        localized = here.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        utc[here.index] = localized.dt.tz_convert("UTC")
        stamps = utc[rows & utc.notna()]
        local[stamps.index] = stamps.dt.tz_convert(zone).dt.date
    return pd.DataFrame({"date_utc": utc, "date_local": local}).set_index(values.index)


# Language and Latin text.
def latin_text(texts: pd.Series, langs: pd.Series) -> pd.Series:
    """Lower-cased text, with Uzbek and Kazakh (either script) transliterated to Latin."""
    out = texts.astype(pd.StringDtype("pyarrow")).str.lower()
    for lang in ("uz", "kk"):
        rows = (langs == lang).fillna(False).to_numpy(bool)
        if rows.any():
            out[rows] = text.to_latin_lower(texts[rows], lang)
    return out


# Near-duplicate clusters.
@cache
def _stopwords() -> pa.Array:
    """The declared stopwords, normalised like the texts (Uzbek and Kazakh in Latin)."""
    raw = yaml.safe_load((HERE / "stopwords.yml").read_text(encoding="utf-8"))
    words: set[str] = set()
    for lang, entries in raw.items():
        entries = pd.Series([str(e) for e in entries], dtype="string")
        if lang in ("uz", "kk"):
            entries = text.to_latin_lower(entries, lang)
        for entry in normalize_text(entries).dropna():
            words.update(entry.split())
    return pa.array(sorted(words), type=pa.string())


def normalize_text(texts: pd.Series) -> pd.Series:
    """Letters and digits only, lower-cased, single spaces: the form claims are compared in."""
    arr = pa.array(texts.astype("object").where(texts.notna(), None), type=pa.string())
    arr = pc.utf8_lower(pc.replace_substring_regex(arr, r"[^\pL\pN]+", " "))
    return _to_series(pc.utf8_trim_whitespace(arr), texts.index)


def _cluster_keys(texts: pd.Series) -> pd.Series:
    """Normalised texts without stopwords, the input of the MinHash signatures."""
    normal = normalize_text(texts)
    words = pc.split_pattern(
        pa.array(normal.astype("object").where(normal.notna(), None), type=pa.string()), " "
    )
    flat = pc.list_flatten(words)
    parents = pc.list_parent_indices(words).to_numpy()
    keep = pc.invert(pc.is_in(flat, value_set=_stopwords())).to_numpy(zero_copy_only=False)
    counts = np.bincount(parents[keep], minlength=len(normal))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int64())
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, flat.filter(keep)), " ")
    return _to_series(joined, texts.index).where(normal.notna())


_PRIME = np.uint64(0x100000001B3)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_HASH_SEED = 20250301


def minhash_signatures(docs: list[str], n_hashes: int = BANDS * ROWS) -> np.ndarray:
    """MinHash signatures (docs × n_hashes, uint32) of the character 5-gram sets of ``docs``.

    Every doc must have at least :data:`SHINGLE` characters. A 5-gram is hashed to 32 bits
    once, then permuted by ``n_hashes`` fixed xor-multiply functions, so signatures are the same
    in every run. Docs go in small blocks that fit the CPU cache.
    """
    rng = np.random.default_rng(_HASH_SEED)
    mult = rng.integers(1, 2**32, size=n_hashes, dtype=np.uint32) | np.uint32(1)
    xor = rng.integers(0, 2**32, size=n_hashes, dtype=np.uint32)
    out = np.empty((len(docs), n_hashes), dtype=np.uint32)
    step = 1000
    for start in range(0, len(docs), step):
        chunk = docs[start : start + step]
        lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32)
        n_grams = lengths - SHINGLE + 1
        firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        seg = np.concatenate([[0], np.cumsum(n_grams)[:-1]])
        pos = np.arange(n_grams.sum()) - np.repeat(seg - firsts, n_grams)
        grams = np.zeros(len(pos), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(SHINGLE):
                grams = grams * _PRIME + codes[pos + k]
            grams = ((grams * _GOLDEN) >> np.uint64(32)).astype(np.uint32)
            for j in range(n_hashes):
                out[start : start + len(chunk), j] = np.minimum.reduceat(
                    (grams ^ xor[j]) * mult[j], seg
                )
    return out


def _agreement(signatures: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values of each pair: the estimated Jaccard similarity."""
    out = np.empty(len(left))
    step = 500_000
    for start in range(0, len(left), step):
        a, b = left[start : start + step], right[start : start + step]
        out[start : start + step] = (signatures[a] == signatures[b]).mean(axis=1)
    return out


def cluster_near_duplicates(
    texts: pd.Series, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> pd.Series:
    """Cluster ids (``C000001`` ...) for groups of near-identical texts; NA for the rest.

    See the module docstring for the method. Ids are numbered in the order in which clusters
    first appear in ``texts``, so they are the same in every run.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keys = _cluster_keys(texts)
    keys = keys.where(keys.str.len() >= MIN_CLUSTER_CHARS)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    result = pd.Series(pd.NA, index=texts.index, dtype="string")
    if len(uniques) == 0:
        return result
    signatures = minhash_signatures(uniques.to_numpy().tolist())
    n = len(uniques)
    pairs = []
    for band in range(BANDS):
        block = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        with np.errstate(over="ignore"):
            bucket = block[:, 0]
            for k in range(1, ROWS):
                bucket = bucket * _PRIME + block[:, k]
        order = np.argsort(bucket, kind="stable")
        same = bucket[order[1:]] == bucket[order[:-1]]
        left, right = order[:-1][same], order[1:][same]
        pairs.append(np.minimum(left, right) * n + np.maximum(left, right))
    joined = np.sort(np.concatenate(pairs))
    joined = joined[np.concatenate([[True], joined[1:] != joined[:-1]])] if len(joined) else joined
    left, right = joined // n, joined % n
    similar = _agreement(signatures, left, right) >= threshold
    left, right = left[similar], right[similar]
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    rows = np.flatnonzero(codes >= 0)
    row_component = component[codes[rows]]
    sizes = np.bincount(row_component, minlength=n)
    clustered = rows[sizes[row_component] > 1]
    labels = pd.Series(component[codes[clustered]])
    numbers = pd.factorize(labels)[0] + 1  # in order of first appearance
    result.iloc[clustered] = [f"C{k:06d}" for k in numbers]
    return result


# The cleaning step.
def _country_key(df: pd.DataFrame) -> pd.Series:
    if "country" in df:
        return df["country"].astype("string").fillna("")
    return pd.Series("", index=df.index, dtype="string")


def _record_labels(
    log: CleaningLog, rule: str, labels: pd.Series, countries: pd.Series, dataset: str, noun: str
) -> None:
    """One entry per country: how many rows, and which raw values, most frequent first."""
    for country in sorted(countries.unique()):
        # Raw labels may hold a name or a number: the log is shared, so it gets them scrubbed.
        here = labels[(countries == country).to_numpy()].dropna()
        here = privacy.scrub_series(here)[0] if len(here) else here
        counts = here.value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        shown = "; ".join(f"{v} ({n})" for v, n in counts.head(20).items())
        more = f"; and {len(counts) - 20} more {noun}" if len(counts) > 20 else ""
        log.record(STAGE, rule, len(here), dataset=dataset, country=country, detail=shown + more)


ALWAYS_SCRUBBED = ("claim_text", "claim_author")
"""Content columns scrubbed of personal data even when a codebook declares them public."""
NOT_FREE_TEXT = ("item_id", "url", "date_published")
"""Content columns that are identifiers, links to the fact-check itself or dates, not text."""


def clean_content(
    df: pd.DataFrame,
    *,
    dataset: str,
    log: CleaningLog,
    pii: Iterable[str] = (),
    public: Iterable[str] = (),
) -> pd.DataFrame:
    """Clean one content delivery whose columns are already canonical (see the content codebook).

    Adds ``dataset``, ``verdict``, ``platform``, ``url_canonical``, ``date_utc``, ``date_local``,
    ``lang``, ``script``, ``text_latn``, ``is_duplicate_url`` and ``cluster_id`` (clusters within
    this delivery), renames ``language`` to ``language_raw``, scrubs personal data from every
    text column but ids, links and dates (``claim_text`` and ``claim_author`` always; others
    unless in ``public``, the codebook's ``public: true``), and logs every rule per country.
    Nothing is dropped.
    Columns other than ``item_id`` may be absent; what depends on them is then missing.

    Log rules (stage ``content``, one entry per country): rows_read, pii_scrubbed (detail: the
    column), verdict_unmapped, verdict_qualifier (mapped labels whose unknown qualifiers were
    dropped, "правда (с неточностями)") and dates_unparsed (detail: the raw values and their counts),
    platform_other_or_unknown, duplicate_url, language (detail: lang-script), near_duplicate.
    """
    out = df.reset_index(drop=True)
    index = out.index
    countries = _country_key(out)
    every = pd.Series(True, index=index)

    def by_country(rule: str, mask: pd.Series, detail: str = "") -> None:
        log.record_by_country(
            STAGE, rule, mask.fillna(False).astype(bool), countries, dataset=dataset, detail=detail
        )

    by_country("rows_read", every)
    # Privacy by default: every other text column is scrubbed too, once the platform has been
    # read from the claim's link (see the end).
    skipped = {*NOT_FREE_TEXT, *public, *ALWAYS_SCRUBBED, *pii}
    text_columns = [c for c in out if c not in skipped
                    and not pd.api.types.is_numeric_dtype(out[c])]  # fmt: skip
    for column in dict.fromkeys([*ALWAYS_SCRUBBED, *pii]):
        if column in out:
            out[column], changed = privacy.scrub_series(out[column])
            by_country("pii_scrubbed", changed, detail=column)

    if "verdict_raw" in out:
        raw = out["verdict_raw"].astype("string").str.strip()
        raw = raw.where(raw != "")
        parsed = {label: parse_verdict(label) for label in raw.dropna().unique()}
        out["verdict"] = _map_unique(raw, lambda label: parsed[label].verdict)
        unmapped = (out["verdict"] == "other").fillna(False)
        _record_labels(log, "verdict_unmapped", raw.where(unmapped), countries, dataset, "labels")
        dropped = {k for k, p in parsed.items() if p.verdict != "other" and p.qualifiers}
        qualified = raw.isin(dropped).fillna(False).astype(bool)
        _record_labels(
            log, "verdict_qualifier", raw.where(qualified), countries, dataset, "labels"
        )
    else:
        out["verdict"] = pd.Series(pd.NA, index=index, dtype="string")

    out["platform"] = _platforms(out)
    by_country("platform_other_or_unknown", out["platform"].isin(["other", "unknown"]))

    if "url" in out:
        out["url_canonical"] = canonical_urls(out["url"])
        present = out["url_canonical"].notna()
        out["is_duplicate_url"] = out["url_canonical"].duplicated(keep="first") & present
    else:
        out["url_canonical"] = pd.Series(pd.NA, index=index, dtype="string")
        out["is_duplicate_url"] = False
    by_country("duplicate_url", out["is_duplicate_url"])

    zones = countries.map({c: spec.timezone for c, spec in load_countries().items()})
    raw_dates = out["date_published"] if "date_published" in out else pd.Series(pd.NA, index=index)
    dates = parse_dates(raw_dates, zones.astype("object").where(zones.notna(), "UTC"))
    out["date_utc"], out["date_local"] = dates["date_utc"], dates["date_local"]
    given = raw_dates.astype("string").str.strip().fillna("") != ""
    unparsed = raw_dates.astype("string").where(given & dates["date_utc"].isna())
    _record_labels(log, "dates_unparsed", unparsed, countries, dataset, "values")

    if "language" in out:
        out = out.rename(columns={"language": "language_raw"})
    claims = out["claim_text"] if "claim_text" in out else pd.Series(pd.NA, index=index)
    langs = text.detect_languages(claims)
    out["lang"], out["script"] = langs["lang"], langs["script"]
    for country in sorted(countries.unique()):
        here = out.loc[(countries == country).to_numpy(), ["lang", "script"]]
        for (lang, script), n in here.value_counts().sort_index().items():
            log.record(
                STAGE, "language", n, dataset=dataset, country=country, detail=f"{lang}-{script}"
            )
    out["text_latn"] = latin_text(claims, out["lang"])
    out["cluster_id"] = cluster_near_duplicates(out["text_latn"])
    by_country("near_duplicate", out["cluster_id"].notna(), detail=_CLUSTER_DETAIL)
    for column in ("language_raw" if c == "language" else c for c in text_columns):
        out[column], changed = privacy.scrub_series(out[column])
        if changed.any():
            by_country("pii_scrubbed", changed, detail=column)
    out.insert(1, "dataset", dataset)
    out.index = df.index
    return out


def _platforms(out: pd.DataFrame) -> pd.Series:
    """Canonical platform from ``claim_platform``, else from the host of ``claim_url``."""
    names = out.get("claim_platform", pd.Series(pd.NA, index=out.index)).astype("string")
    names = names.where(names.str.strip() != "")
    platform = _map_unique(names, canonical_platform)
    if "claim_url" in out:
        hosts = (
            out["claim_url"]
            .astype("string")
            .str.extract(
                r"^(?:[A-Za-z]+://)?(?:www[0-9]?\.|m\.|mobile\.)?([^/?#:@ ]+)", expand=False
            )
        )
        from_url = _map_unique(hosts, canonical_platform)
        platform = platform.where(names.notna(), from_url)
    return platform.fillna("unknown").astype("string")


def add_clusters(content: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Re-cluster near-identical claims and re-mark duplicate URLs across every delivery; log it.

    :func:`clean_content` works within one delivery; this replaces ``cluster_id`` with clusters
    over all deliveries together (how a claim's spread across borders shows), and marks an item
    whose canonical URL an earlier delivery already had as a duplicate, so that a fact-check in
    two archives counts once.
    """
    out = content.copy()
    if "url_canonical" in out:
        present = out["url_canonical"].notna()
        again = out["url_canonical"].duplicated(keep="first") & present & ~out["is_duplicate_url"]
        out["is_duplicate_url"] = out["is_duplicate_url"] | again
        log.record_by_country(STAGE, "duplicate_url_across_datasets", again, _country_key(out),
                              detail="the same canonical URL in an earlier delivery")  # fmt: skip
    out["cluster_id"] = cluster_near_duplicates(out["text_latn"])
    clustered = out["cluster_id"].notna()
    log.record_by_country(
        STAGE,
        "near_duplicate_across_datasets",
        clustered,
        _country_key(out),
        detail=_CLUSTER_DETAIL,
    )
    return out
