"""The Telegram part's analysis step: every frame of a country's section and of the regional one.

Built from :mod:`milresearch.analysis.channels` (channel profiles, claims that travel) and
:mod:`milresearch.analysis.forwards` (the forward graph).
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.channels import (
    PEOPLE,
    activity,
    channel_posts,
    channel_profiles,
    claim_timeline,
    datasets,
    language_mix,
    travelling_claims,
)
from milresearch.analysis.forwards import bridges, country_flows, forward_sources, forwards


def telegram(
    content: pd.DataFrame, min_n: int = 0, top: int = 10, top_claims: int = 5
) -> dict[str, pd.DataFrame]:
    """Every frame of a report's "Telegram channels" part (all empty without channel posts).

    Counts of public posts are never hidden; a channel's shares (forwarded, main language,
    fact-checked) over fewer than ``min_n`` posts are flagged ``suppressed``, as every share
    within a small group of content items is.
    """
    names = (
        "base",
        "datasets",
        "channels",
        "languages",
        "activity",
        "forwards",
        "sources",
        "bridges",
        "claims",
        "timeline",
    )
    posts = channel_posts(content)
    if posts.empty:
        return {name: pd.DataFrame() for name in names}
    edges = forwards(content)
    claims = travelling_claims(content, top=top_claims)
    people = edges["source"] == PEOPLE if len(edges) else pd.Series(dtype=bool)
    base = pd.DataFrame(
        [
            {
                "posts": len(posts),
                "channels": posts["channel"].nunique(),
                "forwards": int(edges["n"].sum()) if len(edges) else 0,
                "cross_border": int(edges.loc[edges["cross_border"], "n"].sum())
                if len(edges)
                else 0,
                "from_people": int(edges.loc[people, "n"].sum()) if len(edges) else 0,
                "origin_unknown": int(
                    edges.loc[edges["source_country"].isna() & ~people, "n"].sum()
                )
                if len(edges)
                else 0,
            }
        ]
    )
    return {
        "base": base,
        "datasets": datasets(posts),
        "channels": channel_profiles(content)
        .head(top)
        .pipe(lambda t: t.assign(suppressed=(t["n"] < min_n).astype(bool))),
        "languages": language_mix(content),
        "activity": activity(content),
        "forwards": edges,
        "sources": forward_sources(edges, top=top),
        "bridges": bridges(edges).head(top),
        "claims": claims,
        "timeline": claim_timeline(content, claims),
    }


def regional_telegram(content: pd.DataFrame, top: int = 10) -> dict[str, pd.DataFrame]:
    """The regional report's Telegram part: forwards between countries, and the widest bridges."""
    edges = forwards(content)
    posts = channel_posts(content)
    return {
        "flows": country_flows(edges),
        "bridges": bridges(edges).head(top),
        "datasets": datasets(posts),
    }
