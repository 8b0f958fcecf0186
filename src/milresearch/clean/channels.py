"""Channels and forwards of messaging content (Telegram): where a post was published, where from.

A country report reads only its own country's rows, yet a forward's source is often a channel
of another country. So the clean, which sees every delivery, writes beside each forward what
the data say of its source: ``forwarded_from_country`` and ``forwarded_from_lang`` (the country
and the most common language of that channel's own posts), and ``forwarded_from_kind``
(``channel``, or ``person`` for a pseudonymised person, who is never named).
"""

from __future__ import annotations

import pandas as pd

from milresearch.clean.content import STAGE
from milresearch.clean.log import CleaningLog
from milresearch.ingest.telegram import PERSON_PREFIX

ORIGIN_COLUMNS = ("forwarded_from_country", "forwarded_from_lang", "forwarded_from_kind")


def _names(values: pd.Series) -> pd.Series:
    """Channel names as compared: trimmed, case-folded, blank as missing."""
    names = values.astype("string").str.strip().str.casefold()
    return names.where(names != "")


def with_channel(content: pd.DataFrame) -> pd.DataFrame:
    """``content`` with a ``channel`` column (where each post was published), blanks missing.

    Only a codebook's ``channel`` variable names it (a Telegram export's ``chat_name``, 4CAT's
    ``chat``). It is never guessed from ``claim_author``: that column is scrubbed of handles
    and, in groups, holds people.
    """
    out = content.copy()
    if "channel" in out:
        out["channel"] = out["channel"].astype("string").str.strip().replace("", pd.NA)
    else:
        out["channel"] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out


def _mode(values: pd.Series) -> object:
    counts = values.dropna().astype(str).value_counts()
    if counts.empty:
        return pd.NA
    # The most common value; ties go to the first in sort order, so the result is stable.
    top = counts[counts == counts.max()]
    return min(top.index)


def add_forward_origins(content: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Each forward's source channel's country, language and kind, from every delivery; log it.

    Log rules (stage ``content``, by the forwarding post's country): ``forward_origin_known``
    (the source channel's own posts are in the data), ``forward_origin_unknown`` (they are not:
    the source's country stays missing) and ``forward_from_person``.
    """
    out = with_channel(content)
    if "forwarded_from" not in out:
        for column in ORIGIN_COLUMNS:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="string")
        return out
    source = out["forwarded_from"].astype("string").str.strip().replace("", pd.NA)
    out["forwarded_from"] = source
    person = source.str.startswith(PERSON_PREFIX).fillna(False).astype(bool)
    key = _names(out["channel"])
    own = pd.DataFrame({"key": key, "country": out["country"], "lang": out.get("lang")})
    own = own.dropna(subset=["key"])
    by_channel = own.groupby("key")
    country = by_channel["country"].agg(_mode)
    lang = by_channel["lang"].agg(_mode) if "lang" in own else pd.Series(dtype="string")
    wanted = _names(source).where(~person)
    out["forwarded_from_country"] = wanted.map(country).astype("string")
    out["forwarded_from_lang"] = wanted.map(lang).astype("string")
    kind = pd.Series("channel", index=out.index, dtype="string").where(source.notna())
    out["forwarded_from_kind"] = kind.mask(person, "person")
    countries = out["country"].astype("string").fillna("unknown")
    known = out["forwarded_from_country"].notna().astype(bool)
    forwarded = (source.notna() & ~person).astype(bool)
    log.record_by_country(
        STAGE,
        "forward_origin_known",
        known,
        countries,
        detail="forwards whose source channel's own posts are in the data",
    )
    log.record_by_country(
        STAGE,
        "forward_origin_unknown",
        forwarded & ~known,
        countries,
        detail="forwards from a channel with no posts in the data",
    )
    log.record_by_country(
        STAGE,
        "forward_from_person",
        person,
        countries,
        detail="forwards from a person (pseudonymised, never named)",
    )
    return out
