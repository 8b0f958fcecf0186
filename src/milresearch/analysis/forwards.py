"""Who forwards whom on Telegram: the forward graph, its most-forwarded sources and its bridges.

Pure functions of the processed content table, on the channel posts of
:func:`milresearch.analysis.channels.channel_posts`. A person's forwards are pooled under
:data:`~milresearch.analysis.channels.PEOPLE` and never named.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.channels import PEOPLE, channel_posts, homes
from milresearch.analysis.circulation import joined, joined_by


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
    columns = [
        "source",
        "source_country",
        "source_lang",
        "channel",
        "country",
        "lang",
        "n",
        "first_utc",
        "cross_border",
        "cross_language",
    ]
    if posts.empty or "forwarded_from" not in posts:
        return pd.DataFrame(columns=columns)
    sent = posts.dropna(subset=["forwarded_from"])
    if sent.empty:
        return pd.DataFrame(columns=columns)
    person = sent.get("forwarded_from_kind", pd.Series(pd.NA, index=sent.index)).eq("person")
    home = homes(posts)
    edges = pd.DataFrame(
        {
            "source": sent["forwarded_from"].astype("string").mask(person.fillna(False), PEOPLE),
            "source_country": sent.get(
                "forwarded_from_country", pd.Series(pd.NA, index=sent.index)
            ),
            "source_lang": sent.get("forwarded_from_lang", pd.Series(pd.NA, index=sent.index)),
            "channel": sent["channel"],
            "date_utc": sent["date_utc"],
        }
    ).astype({"source_country": "string", "source_lang": "string"})
    keys = ["source", "channel"]
    grouped = edges.groupby(keys, sort=True)
    out = pd.DataFrame(
        {
            "source_country": grouped["source_country"].agg(lambda v: joined(v) or pd.NA),
            "source_lang": grouped["source_lang"].agg(lambda v: joined(v) or pd.NA),
            "n": grouped.size(),
            "first_utc": grouped["date_utc"].min(),
        }
    ).reset_index()
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
    out = pd.DataFrame(
        {
            "source_country": grouped["source_country"].first(),
            "n": grouped["n"].sum(),
            "n_channels": grouped["channel"].nunique(),
            "channels": joined_by(edges, "source", "channel"),
            "cross_border": grouped["cross_border"].any(),
        }
    ).reset_index()
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
    ends = pd.concat(
        [
            edges.rename(
                columns={
                    "source": "node",
                    "source_country": "node_country",
                    "source_lang": "node_lang",
                }
            ).assign(other_country=edges["country"], other_lang=edges["lang"]),
            edges.assign(
                node=edges["channel"],
                node_country=edges["country"],
                node_lang=edges["lang"],
                other_country=edges["source_country"],
                other_lang=edges["source_lang"],
            ),
        ],
        ignore_index=True,
    )
    rows = []
    for node, part in ends.groupby("node", sort=True):
        countries = pd.concat([part["node_country"], part["other_country"]]).dropna()
        langs = pd.concat([part["node_lang"], part["other_lang"]]).dropna()
        rows.append(
            {
                "channel": node,
                "countries": joined(countries),
                "languages": joined(langs),
                "n_countries": countries.nunique(),
                "n_languages": langs.nunique(),
                "n": int(part["n"].sum()),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    out = out[(out["n_countries"] > 1) | (out["n_languages"] > 1)]
    out = out.sort_values(
        ["n_countries", "n_languages", "n", "channel"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return out.reset_index(drop=True)


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
    out = out.reset_index().sort_values(
        ["n", "source_country", "country"], ascending=[False, True, True], kind="stable"
    )
    return out[columns].reset_index(drop=True)
