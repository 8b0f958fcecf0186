"""Telegram channels: each channel's posts and profile, and the claims that move between channels.

Pure functions of the processed content table (who forwards whom is in
:mod:`milresearch.analysis.forwards`). They read the posts of messaging platforms
(:data:`PLATFORMS`) that name the channel they were published in (``channel``), de-duplicated
as every content count is (:func:`circulation.unique_items`). A forward is a post whose
``forwarded_from`` names its source; the clean adds the source's country and language when
that channel's own posts are in the data (:mod:`milresearch.clean.channels`). People are never
named: a forward from a person counts, under no name (:data:`PEOPLE`).
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis import circulation
from milresearch.analysis.circulation import joined_by
from milresearch.ingest.telegram import PERSON_PREFIX

PLATFORMS = ("telegram",)
"""Platforms whose posts are read as channel posts."""
PEOPLE = "__people__"
"""The one name every pseudonymised person shares in the tables: none is shown on its own."""


def channel_posts(content: pd.DataFrame) -> pd.DataFrame:
    """The de-duplicated posts of messaging platforms that name their channel, oldest first."""
    if content.empty or "channel" not in content or "platform" not in content:
        return content.iloc[0:0]
    items = circulation.unique_items(content)
    items = items[items["platform"].isin(PLATFORMS).fillna(False).astype(bool)]
    items = items.dropna(subset=["channel"])
    # A private chat is named after the person on the other side (pseudonymised): not a channel.
    items = items[~items["channel"].astype("string").str.startswith(PERSON_PREFIX).astype(bool)]
    return items.sort_values(["date_utc", "item_id"], kind="stable", na_position="last")


def fact_checks(content: pd.DataFrame) -> pd.DataFrame:
    """The de-duplicated items with a verdict and a claim cluster (any dataset), oldest first."""
    if "verdict" not in content or "cluster_id" not in content:
        return content.iloc[0:0]
    checks = circulation.unique_items(content).dropna(subset=["verdict", "cluster_id"])
    return checks.sort_values(["date_utc", "item_id"], kind="stable", na_position="last")


def datasets(posts: pd.DataFrame) -> pd.DataFrame:
    """The datasets the posts come from (``dataset``, sorted): a part cites only those."""
    names = sorted(posts["dataset"].dropna().unique()) if "dataset" in posts else []
    return pd.DataFrame({"dataset": pd.Series(names, dtype="str")})


def homes(posts: pd.DataFrame) -> pd.DataFrame:
    """Each channel's country (joined) and most common language with its share, by channel."""
    langs = circulation.mix(posts, "lang", by="channel")
    top = (
        langs.sort_values(
            ["channel", "n", "category"], ascending=[True, False, True], kind="stable"
        )
        .drop_duplicates("channel")
        .set_index("channel")
    )
    countries = joined_by(posts, "channel", "country")
    return pd.DataFrame(
        {
            "country": countries,
            "top_lang": top["category"].reindex(countries.index),
            "share_top_lang": top["share"].reindex(countries.index),
        }
    )


def channel_profiles(content: pd.DataFrame) -> pd.DataFrame:
    """One row per channel: posts, dates, forwards and the share of posts on a fact-checked claim.

    Returns:
        Columns ``channel``, ``country``, ``n`` (posts), ``first_utc``, ``last_utc``,
        ``n_forwarded`` (posts that are forwards), ``share_forwarded``, ``top_lang`` and
        ``share_top_lang`` (its most common language and that language's share of its posts),
        ``n_fact_checked`` (posts whose claim cluster holds a fact-check) and
        ``share_fact_checked``. Most posts first, then by name.
    """
    posts = channel_posts(content)
    columns = [
        "channel",
        "country",
        "n",
        "first_utc",
        "last_utc",
        "n_forwarded",
        "share_forwarded",
        "top_lang",
        "share_top_lang",
        "n_fact_checked",
        "share_fact_checked",
    ]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    checked = set(fact_checks(content)["cluster_id"]) if "cluster_id" in content else set()
    posts = posts.assign(
        forwarded=posts.get("forwarded_from", pd.Series(pd.NA, index=posts.index)).notna(),
        fact_checked=posts.get("cluster_id", pd.Series(pd.NA, index=posts.index)).isin(checked),
    )
    groups = posts.groupby("channel", sort=True)
    home = homes(posts)
    out = pd.DataFrame(
        {
            "country": home["country"],
            "n": groups.size(),
            "first_utc": groups["date_utc"].min(),
            "last_utc": groups["date_utc"].max(),
            "n_forwarded": groups["forwarded"].sum().astype(int),
            "n_fact_checked": groups["fact_checked"].sum().astype(int),
        }
    )
    out["top_lang"] = home["top_lang"].reindex(out.index)
    out["share_top_lang"] = home["share_top_lang"].reindex(out.index)
    out["share_forwarded"] = out["n_forwarded"] / out["n"]
    out["share_fact_checked"] = out["n_fact_checked"] / out["n"]
    out = out.reset_index().sort_values(["n", "channel"], ascending=[False, True], kind="stable")
    return out[columns].reset_index(drop=True)


def language_mix(content: pd.DataFrame) -> pd.DataFrame:
    """Each channel's posts by language: ``channel``, ``category`` (language), ``n``, ``share``."""
    return circulation.mix(channel_posts(content), "lang", by="channel")


def activity(content: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Posts per channel and UTC period (``period``, ``channel``, ``n``), gaps filled with zeros.

    UTC, not local dates: a channel's audience spans time zones, and UTC is what the export
    records (``date_unixtime``).
    """
    posts = channel_posts(content)
    posts = posts.assign(date_local=posts.get("date_utc", pd.Series(pd.NaT, index=posts.index)))
    return circulation.volume_over_time(posts, freq=freq, by="channel")


def travelling_claims(content: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Claims that moved across channels: first appearance, spread, and time to a fact-check.

    A claim is a near-duplicate cluster (``cluster_id``) posted in at least two channels. Its
    fact-check is the first item of the cluster with a verdict (from any dataset) dated at or
    after its first post; a claim that resurfaced after being checked has instead
    ``checked_before_utc``, the last check before it appeared.

    Returns:
        Columns ``cluster_id``, ``example`` (the first post's text, cut to 160 characters),
        ``n`` (posts), ``n_channels``, ``channels``, ``first_channel``, ``first_utc``,
        ``last_utc``, ``days_to_spread`` (first to last post), ``checked_utc``,
        ``days_to_check`` (first post to fact-check; missing without one),
        ``checked_before_utc`` and ``verdict`` (of the check after, else before). Most channels
        first, then most posts, then earliest.
    """
    columns = [
        "cluster_id",
        "example",
        "n",
        "n_channels",
        "channels",
        "first_channel",
        "first_utc",
        "last_utc",
        "days_to_spread",
        "checked_utc",
        "days_to_check",
        "checked_before_utc",
        "verdict",
    ]
    posts = channel_posts(content)
    if posts.empty or "cluster_id" not in posts:
        return pd.DataFrame(columns=columns)
    posts = posts.dropna(subset=["cluster_id"])
    reach = posts.groupby("cluster_id")["channel"].nunique()
    posts = posts[posts["cluster_id"].isin(reach[reach > 1].index)]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    groups = posts.groupby("cluster_id", sort=True)
    first = posts.drop_duplicates("cluster_id").set_index("cluster_id")
    out = pd.DataFrame(
        {
            "example": first["claim_text"].astype("string").str.slice(0, 160),
            "n": groups.size(),
            "n_channels": groups["channel"].nunique(),
            "channels": joined_by(posts, "cluster_id", "channel"),
            "first_channel": first["channel"],
            "first_utc": groups["date_utc"].min(),
            "last_utc": groups["date_utc"].max(),
        }
    )
    checks = fact_checks(content).dropna(subset=["date_utc"])
    checks = checks[checks["cluster_id"].isin(out.index)]
    after = checks["date_utc"] >= checks["cluster_id"].map(out["first_utc"])
    # The first check after the claim appeared; a claim that resurfaced after a check has
    # none after, and keeps the last check before it.
    check = checks[after].drop_duplicates("cluster_id").set_index("cluster_id")
    before = checks[~after].drop_duplicates("cluster_id", keep="last").set_index("cluster_id")
    out["checked_utc"] = check["date_utc"].reindex(out.index)
    out["verdict"] = (
        check["verdict"].reindex(out.index).fillna(before["verdict"].reindex(out.index))
    )
    out["checked_before_utc"] = (
        before["date_utc"].reindex(out.index).where(out["checked_utc"].isna())
    )
    day = pd.Timedelta(days=1)
    out["days_to_spread"] = (out["last_utc"] - out["first_utc"]) / day
    out["days_to_check"] = (out["checked_utc"] - out["first_utc"]) / day
    out = out.reset_index().sort_values(
        ["n_channels", "n", "first_utc", "cluster_id"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    return out[columns].head(top).reset_index(drop=True)


def claim_timeline(content: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """When each travelling claim reached each channel, and when it was fact-checked.

    Returns:
        One row per claim and channel, plus one per claim for its fact-check (``event``
        ``fact_check``, ``channel`` missing): ``cluster_id``, ``event`` (``post`` or
        ``fact_check``), ``channel``, ``date_utc`` (the first post there), in order of time.
    """
    columns = ["cluster_id", "event", "channel", "date_utc"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    posts = channel_posts(content)
    posts = posts[posts["cluster_id"].isin(claims["cluster_id"])]
    reached = posts.groupby(["cluster_id", "channel"], sort=True)["date_utc"].min().reset_index()
    reached.insert(1, "event", "post")
    checked = claims.dropna(subset=["checked_utc"])
    checks = pd.DataFrame(
        {
            "cluster_id": checked["cluster_id"],
            "event": "fact_check",
            "channel": pd.NA,
            "date_utc": checked["checked_utc"],
        }
    )
    out = pd.concat([reached, checks], ignore_index=True) if len(checks) else reached
    out = out.astype({"cluster_id": "string", "event": "string", "channel": "string"})
    out = out.sort_values(["cluster_id", "date_utc"], kind="stable")
    return out[columns].reset_index(drop=True)
