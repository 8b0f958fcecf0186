"""Content cleaning: verdicts, platforms, URLs, dates, language, duplicates and claim clusters.

Nothing is dropped: duplicates and near-duplicates are flagged, unknown labels become ``other``
and every rule is counted per country in the cleaning log (stage ``content``). The rules live in
their own modules: :mod:`~milresearch.clean.verdicts`, :mod:`~milresearch.clean.urls`,
:mod:`~milresearch.clean.dates` and :mod:`~milresearch.clean.clusters` (near-duplicate claims).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from milresearch.clean import privacy, text
from milresearch.clean.arrays import map_unique
from milresearch.clean.clusters import CLUSTER_DETAIL, cluster_near_duplicates, latin_text
from milresearch.clean.dates import parse_dates
from milresearch.clean.log import CleaningLog
from milresearch.clean.urls import canonical_platform, canonical_urls
from milresearch.clean.verdicts import parse_verdict
from milresearch.ingest.countries import load_countries

STAGE = "content"


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
    text_columns = [
        c for c in out if c not in skipped and not pd.api.types.is_numeric_dtype(out[c])
    ]
    for column in dict.fromkeys([*ALWAYS_SCRUBBED, *pii]):
        if column in out:
            out[column], changed = privacy.scrub_series(out[column])
            by_country("pii_scrubbed", changed, detail=column)

    if "verdict_raw" in out:
        raw = out["verdict_raw"].astype("string").str.strip()
        raw = raw.where(raw != "")
        parsed = {label: parse_verdict(label) for label in raw.dropna().unique()}
        out["verdict"] = map_unique(raw, lambda label: parsed[label].verdict)
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
    by_country("near_duplicate", out["cluster_id"].notna(), detail=CLUSTER_DETAIL)
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
    platform = map_unique(names, canonical_platform)
    if "claim_url" in out:
        hosts = (
            out["claim_url"]
            .astype("string")
            .str.extract(
                r"^(?:[A-Za-z]+://)?(?:www[0-9]?\.|m\.|mobile\.)?([^/?#:@ ]+)", expand=False
            )
        )
        from_url = map_unique(hosts, canonical_platform)
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
        log.record_by_country(
            STAGE,
            "duplicate_url_across_datasets",
            again,
            _country_key(out),
            detail="the same canonical URL in an earlier delivery",
        )
    out["cluster_id"] = cluster_near_duplicates(out["text_latn"])
    clustered = out["cluster_id"].notna()
    log.record_by_country(
        STAGE,
        "near_duplicate_across_datasets",
        clustered,
        _country_key(out),
        detail=CLUSTER_DETAIL,
    )
    return out
