"""Telegram channels: who forwards whom, which claims move between channels, each channel's profile.

Pure functions of the processed content table. They read the posts of messaging platforms
(:data:`PLATFORMS`) that name the channel they were published in (``channel``), de-duplicated
as every content count is (:func:`circulation.unique_items`). A forward is a post whose
``forwarded_from`` names its source; the clean adds the source's country and language when
that channel's own posts are in the data (:mod:`milresearch.clean.channels`). People are never
named: a forward from a person counts, under no name, in :func:`forward_sources`.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis import circulation
from milresearch.analysis.circulation import joined, joined_by
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


def _homes(posts: pd.DataFrame) -> pd.DataFrame:
    """Each channel's country (joined) and most common language with its share, by channel."""
    langs = circulation.mix(posts, "lang", by="channel")
    top = langs.sort_values(["channel", "n", "category"], ascending=[True, False, True],
                            kind="stable").drop_duplicates("channel").set_index("channel")  # fmt: skip
    countries = joined_by(posts, "channel", "country")
    return pd.DataFrame({"country": countries,
                         "top_lang": top["category"].reindex(countries.index),
                         "share_top_lang": top["share"].reindex(countries.index)})  # fmt: skip


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
    columns = ["channel", "country", "n", "first_utc", "last_utc", "n_forwarded",
               "share_forwarded", "top_lang", "share_top_lang", "n_fact_checked",
               "share_fact_checked"]  # fmt: skip
    if posts.empty:
        return pd.DataFrame(columns=columns)
    checked = set(fact_checks(content)["cluster_id"]) if "cluster_id" in content else set()
    posts = posts.assign(
        forwarded=posts.get("forwarded_from", pd.Series(pd.NA, index=posts.index)).notna(),
        fact_checked=posts.get("cluster_id", pd.Series(pd.NA, index=posts.index)).isin(checked),
    )
    groups = posts.groupby("channel", sort=True)
    home = _homes(posts)
    out = pd.DataFrame({
        "country": home["country"],
        "n": groups.size(),
        "first_utc": groups["date_utc"].min(),
        "last_utc": groups["date_utc"].max(),
        "n_forwarded": groups["forwarded"].sum().astype(int),
        "n_fact_checked": groups["fact_checked"].sum().astype(int),
    })  # fmt: skip
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


def forwards(content: pd.DataFrame) -> pd.DataFrame:
    """Who forwards whom: one row per source and forwarding channel (an edge of the graph).

    A person's forwards are pooled under :data:`PEOPLE`. Countries and languages are the
    channels' own (most common) ones; a source channel with no posts in the data has none.

    Returns:
        Columns ``source``, ``source_country``, ``source_lang``, ``channel``, ``country``,
        ``lang``, ``n`` (forwards), ``first_utc``, ``cross_border`` and ``cross_language`` (both
        False when the source's country or language is unknown). Most forwards first.
    """
    posts = channel_posts(content)
    columns = ["source", "source_country", "source_lang", "channel", "country", "lang", "n",
               "first_utc", "cross_border", "cross_language"]  # fmt: skip
    if posts.empty or "forwarded_from" not in posts:
        return pd.DataFrame(columns=columns)
    sent = posts.dropna(subset=["forwarded_from"])
    if sent.empty:
        return pd.DataFrame(columns=columns)
    person = sent.get("forwarded_from_kind", pd.Series(pd.NA, index=sent.index)).eq("person")
    home = _homes(posts)
    edges = pd.DataFrame({
        "source": sent["forwarded_from"].astype("string").mask(person.fillna(False), PEOPLE),
        "source_country": sent.get("forwarded_from_country", pd.Series(pd.NA, index=sent.index)),
        "source_lang": sent.get("forwarded_from_lang", pd.Series(pd.NA, index=sent.index)),
        "channel": sent["channel"],
        "date_utc": sent["date_utc"],
    }).astype({"source_country": "string", "source_lang": "string"})  # fmt: skip
    keys = ["source", "channel"]
    grouped = edges.groupby(keys, sort=True)
    out = pd.DataFrame({
        "source_country": grouped["source_country"].agg(lambda v: joined(v) or pd.NA),
        "source_lang": grouped["source_lang"].agg(lambda v: joined(v) or pd.NA),
        "n": grouped.size(),
        "first_utc": grouped["date_utc"].min(),
    }).reset_index()  # fmt: skip
    out["country"] = out["channel"].map(home["country"])
    out["lang"] = out["channel"].map(home["top_lang"])
    known_country = out["source_country"].notna()
    known_lang = out["source_lang"].notna()
    out["cross_border"] = (known_country & (out["source_country"] != out["country"])).astype(bool)
    out["cross_language"] = (known_lang & (out["source_lang"] != out["lang"])).astype(bool)
    out = out.sort_values(["n", "source", "channel"], ascending=[False, True, True], kind="stable")
    return out[columns].reset_index(drop=True)


def forward_sources(edges: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The most-forwarded sources: forwards, channels reached, and whether they cross borders.

    Returns:
        Columns ``rank``, ``source`` (:data:`PEOPLE` for people, pooled), ``source_country``,
        ``n`` (forwards), ``n_channels`` (channels that forwarded it), ``channels`` and
        ``cross_border`` (any forward to a channel of another country). Most forwards first.
    """
    columns = ["rank", "source", "source_country", "n", "n_channels", "channels", "cross_border"]
    if edges.empty:
        return pd.DataFrame(columns=columns)
    grouped = edges.groupby("source", sort=True)
    out = pd.DataFrame({
        "source_country": grouped["source_country"].first(),
        "n": grouped["n"].sum(),
        "n_channels": grouped["channel"].nunique(),
        "channels": joined_by(edges, "source", "channel"),
        "cross_border": grouped["cross_border"].any(),
    }).reset_index()  # fmt: skip
    out = out.sort_values(["n", "source"], ascending=[False, True], kind="stable").head(top)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out[columns].reset_index(drop=True)


def bridges(edges: pd.DataFrame) -> pd.DataFrame:
    """Channels that bridge countries or languages: they forward, or are forwarded, across either.

    A channel's neighbourhood is itself and every channel it forwards from or is forwarded by;
    it bridges when that neighbourhood spans more than one country or more than one language.
    Pooled people bridge nothing.

    Returns:
        Columns ``channel``, ``countries`` and ``languages`` (sorted, comma-separated),
        ``n_countries``, ``n_languages`` and ``n`` (forwards in and out). Widest first.
    """
    columns = ["channel", "countries", "languages", "n_countries", "n_languages", "n"]
    edges = edges[edges["source"] != PEOPLE] if len(edges) else edges
    if edges.empty:
        return pd.DataFrame(columns=columns)
    ends = pd.concat([
        edges.rename(columns={"source": "node", "source_country": "node_country",
                              "source_lang": "node_lang"}).assign(
            other_country=edges["country"], other_lang=edges["lang"]),
        edges.assign(node=edges["channel"], node_country=edges["country"], node_lang=edges["lang"],
                     other_country=edges["source_country"], other_lang=edges["source_lang"]),
    ], ignore_index=True)  # fmt: skip
    rows = []
    for node, part in ends.groupby("node", sort=True):
        countries = pd.concat([part["node_country"], part["other_country"]]).dropna()
        langs = pd.concat([part["node_lang"], part["other_lang"]]).dropna()
        rows.append({
            "channel": node,
            "countries": joined(countries),
            "languages": joined(langs),
            "n_countries": countries.nunique(),
            "n_languages": langs.nunique(),
            "n": int(part["n"].sum()),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out = out[(out["n_countries"] > 1) | (out["n_languages"] > 1)]
    out = out.sort_values(["n_countries", "n_languages", "n", "channel"],
                          ascending=[False, False, False, True], kind="stable")  # fmt: skip
    return out.reset_index(drop=True)


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
    columns = ["cluster_id", "example", "n", "n_channels", "channels", "first_channel",
               "first_utc", "last_utc", "days_to_spread", "checked_utc", "days_to_check",
               "checked_before_utc", "verdict"]  # fmt: skip
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
    out = pd.DataFrame({
        "example": first["claim_text"].astype("string").str.slice(0, 160),
        "n": groups.size(),
        "n_channels": groups["channel"].nunique(),
        "channels": joined_by(posts, "cluster_id", "channel"),
        "first_channel": first["channel"],
        "first_utc": groups["date_utc"].min(),
        "last_utc": groups["date_utc"].max(),
    })  # fmt: skip
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
    out = out.reset_index().sort_values(["n_channels", "n", "first_utc", "cluster_id"],
                                        ascending=[False, False, True, True], kind="stable")  # fmt: skip
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
    checks = pd.DataFrame({"cluster_id": checked["cluster_id"], "event": "fact_check",
                           "channel": pd.NA, "date_utc": checked["checked_utc"]})  # fmt: skip
    out = pd.concat([reached, checks], ignore_index=True) if len(checks) else reached
    out = out.astype({"cluster_id": "string", "event": "string", "channel": "string"})
    out = out.sort_values(["cluster_id", "date_utc"], kind="stable")
    return out[columns].reset_index(drop=True)


def telegram(
    content: pd.DataFrame, min_n: int = 0, top: int = 10, top_claims: int = 5
) -> dict[str, pd.DataFrame]:
    """Every frame of a report's "Telegram channels" part (all empty without channel posts).

    Counts of public posts are never hidden; a channel's shares (forwarded, main language,
    fact-checked) over fewer than ``min_n`` posts are flagged ``suppressed``, as every share
    within a small group of content items is.
    """
    names = ("base", "datasets", "channels", "languages", "activity", "forwards", "sources",
             "bridges", "claims", "timeline")  # fmt: skip
    posts = channel_posts(content)
    if posts.empty:
        return {name: pd.DataFrame() for name in names}
    edges = forwards(content)
    claims = travelling_claims(content, top=top_claims)
    people = edges["source"] == PEOPLE if len(edges) else pd.Series(dtype=bool)
    base = pd.DataFrame([{
        "posts": len(posts),
        "channels": posts["channel"].nunique(),
        "forwards": int(edges["n"].sum()) if len(edges) else 0,
        "cross_border": int(edges.loc[edges["cross_border"], "n"].sum()) if len(edges) else 0,
        "from_people": int(edges.loc[people, "n"].sum()) if len(edges) else 0,
        "origin_unknown": int(edges.loc[edges["source_country"].isna() & ~people, "n"].sum())
        if len(edges) else 0,
    }])  # fmt: skip
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


def country_flows(edges: pd.DataFrame) -> pd.DataFrame:
    """Forwards between countries, most first.

    Returns:
        Columns ``source_country`` (missing: a person, or a channel whose posts are not in the
        data), ``country`` (of the forwarding channel) and ``n``.
    """
    columns = ["source_country", "country", "n"]
    if edges.empty:
        return pd.DataFrame(columns=columns)
    known = edges.assign(source_country=edges["source_country"].astype("string"))
    out = known.groupby(["source_country", "country"], dropna=False, sort=True)["n"].sum()
    out = out.reset_index().sort_values(["n", "source_country", "country"],
                                        ascending=[False, True, True], kind="stable")  # fmt: skip
    return out[columns].reset_index(drop=True)


def regional_telegram(content: pd.DataFrame, top: int = 10) -> dict[str, pd.DataFrame]:
    """The regional report's Telegram part: forwards between countries, and the widest bridges."""
    edges = forwards(content)
    posts = channel_posts(content)
    return {
        "flows": country_flows(edges),
        "bridges": bridges(edges).head(top),
        "datasets": datasets(posts),
    }
