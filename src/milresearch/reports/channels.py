"""Renderer of "Telegram channels", the part of "What circulates" on messaging channels.

Draws the frames of :func:`milresearch.analysis.telegram.telegram`: the channels, who forwards
whom (a ranked table and a Sankey-style chart), the channels that bridge countries or
languages, and the claims that moved between channels with their timeline. Public channels are
named, as the data write them; people never are (their forwards are pooled under one word).
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.channels import PEOPLE
from milresearch.reports import flows, render
from milresearch.reports.content import content_source, listed
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import country_label, language_label
from milresearch.reports.render import HTML

MAX_CLAIMS_DRAWN = 5


def _names(report: Report, values) -> dict[str, str]:
    """Channel names as written, people under one word."""
    return {str(v): report.t("tg.people") if v == PEOPLE else str(v) for v in values}


def _country(report: Report, code: object) -> str:
    if pd.isna(code) or not str(code):
        return report.t("tg.unknown_origin")
    return listed(code, lambda c: country_label(c, report.lang))


def _dates(report: Report, first: object, last: object) -> str:
    return f"{report.numbers.date(str(first)[:10])} – {report.numbers.date(str(last)[:10])}"


def channels_table(report: Report, table: pd.DataFrame) -> HTML:
    """The channels: posts, period, forwards, main language and fact-checked share."""
    t, numbers = report.t, report.numbers
    hidden = table["suppressed"].to_numpy(dtype=bool)
    words = t("table.suppressed")

    def share(values: pd.Series) -> list:
        return [words if h else v * 100 for v, h in zip(values, hidden, strict=True)]

    shown = pd.DataFrame(
        {
            t("tg.channel"): table["channel"].astype(str),
            t("tg.posts"): table["n"],
            t("tg.period"): [
                _dates(report, a, b)
                for a, b in zip(table["first_utc"], table["last_utc"], strict=True)
            ],
            t("tg.share_forwarded"): share(table["share_forwarded"]),
            t("tg.main_language"): [
                language_label(str(g), report.lang) + ("" if h else f" ({numbers.percent(s, 0)})")
                for g, s, h in zip(table["top_lang"], table["share_top_lang"], hidden, strict=True)
            ],
            t("tg.share_checked"): share(table["share_fact_checked"]),
        }
    )
    return report.table(
        shown,
        caption=t("tg.channels_caption", min_n=report.min_n),
        csv_name=f"{report.country}_telegram_channels.csv",
        formats={t("tg.share_forwarded"): 1, t("tg.share_checked"): 1},
        verbatim=(t("tg.channel"),),
    )


def sources_table(report: Report, table: pd.DataFrame) -> HTML:
    """The most-forwarded sources, ranked."""
    t = report.t
    names = _names(report, table["source"])
    shown = pd.DataFrame(
        {
            t("tg.rank"): table["rank"],
            t("tg.source"): [names[str(s)] for s in table["source"]],
            t("tg.source_country"): [
                _country(report, c) if s != PEOPLE else ""
                for s, c in zip(table["source"], table["source_country"], strict=True)
            ],
            t("tg.forwards"): table["n"],
            t("tg.channels_reached"): table["n_channels"],
        }
    )
    return report.table(
        shown,
        caption=t("tg.sources_caption"),
        csv_name=f"{report.country}_telegram_sources.csv",
        verbatim=(t("tg.source"),),
    )


def bridges_table(report: Report, table: pd.DataFrame) -> HTML:
    """Channels whose forwards span countries or languages."""
    t = report.t
    shown = pd.DataFrame(
        {
            t("tg.channel"): table["channel"].astype(str),
            t("table.countries"): [_country(report, c) for c in table["countries"]],
            t("table.languages"): [
                listed(g, lambda c: language_label(c, report.lang)) for g in table["languages"]
            ],
            t("tg.forwards"): table["n"],
        }
    )
    return report.table(
        shown,
        caption=t("tg.bridges_caption"),
        csv_name=f"{report.country}_telegram_bridges.csv",
        verbatim=(t("tg.channel"),),
    )


def _check_text(report: Report, claim) -> str:
    numbers = report.numbers
    verdict = report.t(f"verdict.{claim.verdict}") if isinstance(claim.verdict, str) else ""
    if pd.notna(claim.checked_utc):
        if round(claim.days_to_check) == 0:
            return report.t("tg.checked_same_day", verdict=verdict)
        return report.t(
            "tg.checked_after", days=numbers.decimal(claim.days_to_check, 0), verdict=verdict
        )
    if pd.notna(claim.checked_before_utc):
        return report.t(
            "tg.checked_before",
            date=numbers.date(str(claim.checked_before_utc)[:10]),
            verdict=verdict,
        )
    return report.t("tg.not_checked")


def claims_table(report: Report, claims: pd.DataFrame) -> HTML:
    """The claims that moved between channels: where first, how far, and their fact-check."""
    t, numbers = report.t, report.numbers
    shown = pd.DataFrame(
        {
            t("tg.claim"): [t("tg.claim_n", n=k + 1) for k in range(len(claims))],
            t("table.example"): claims["example"].astype(str),
            t("tg.first_in"): [
                f"{c} ({numbers.date(str(d)[:10])})"
                for c, d in zip(claims["first_channel"], claims["first_utc"], strict=True)
            ],
            t("tg.channels_reached"): claims["n_channels"],
            t("tg.posts"): claims["n"],
            t("tg.days_to_spread"): claims["days_to_spread"],
            t("tg.fact_check"): [_check_text(report, c) for c in claims.itertuples()],
        }
    )
    return report.table(
        shown,
        caption=t("tg.claims_caption"),
        csv_name=f"{report.country}_telegram_claims.csv",
        formats={t("tg.days_to_spread"): 1},
        verbatim=(t("table.example"), t("tg.first_in")),
    )


def telegram(report: Report, frames: Frames) -> HTML:
    """The whole part; nothing when the report has no channel posts."""
    if not frames or frames["channels"].empty:
        return HTML("")
    t, numbers = report.t, report.numbers
    source = content_source(report, set(frames["datasets"]["dataset"]))
    base = frames["base"].iloc[0]
    forwards = int(base["forwards"])
    parts = [
        render.paragraph(
            t(
                "tg.intro",
                posts=numbers.integer(base["posts"]),
                channels=numbers.integer(base["channels"]),
                forwards=numbers.integer(forwards),
                abroad=numbers.percent(base["cross_border"] / forwards if forwards else 0.0, 0),
            )
        )
    ]
    parts.append(channels_table(report, frames["channels"]))
    activity = frames["activity"]
    if len(activity):
        names = _names(report, activity["channel"].unique())
        chart = flows.activity(activity, names, ylabel=t("tg.per_month"))
        parts.append(
            report.figure(
                chart,
                alt=t("tg.activity_alt"),
                caption=t("tg.activity_caption", source=source),
                source=source,
                kind="content",
            )
        )
    edges = frames["forwards"]
    if len(edges):
        names = _names(report, pd.concat([edges["source"], edges["channel"]]).unique())
        chart = flows.forward_flows(
            edges,
            names,
            {
                "domestic": t("tg.domestic"),
                "abroad": t("tg.abroad"),
                "unknown": t("tg.unknown_flow"),
            },
            numbers.integer,
        )
        drawn = min(len(edges), flows.MAX_FLOWS)
        parts.append(
            report.figure(
                chart,
                alt=t("tg.flows_alt"),
                caption=t(
                    "tg.flows_caption",
                    drawn=numbers.integer(drawn),
                    total=numbers.integer(len(edges)),
                    source=source,
                ),
                source=source,
                kind="content",
            )
        )
        parts.append(sources_table(report, frames["sources"]))
        if len(frames["bridges"]):
            parts.append(bridges_table(report, frames["bridges"]))
        if int(base["from_people"]) or int(base["origin_unknown"]):
            parts.append(
                render.note(
                    t(
                        "tg.origins_note",
                        people=numbers.integer(base["from_people"]),
                        unknown=numbers.integer(base["origin_unknown"]),
                    )
                )
            )
    else:
        parts.append(render.paragraph(t("tg.no_forwards")))
    claims = frames["claims"]
    if claims.empty:
        parts.append(render.paragraph(t("tg.no_claims")))
        return render.join(parts)
    drawn = claims.head(MAX_CLAIMS_DRAWN)
    chart = flows.claim_timelines(
        frames["timeline"],
        drawn,
        [t("tg.claim_n", n=k + 1) for k in range(len(drawn))],
        xlabel=t("tg.days_since_first"),
        legend={"post": t("tg.post_event"), "fact_check": t("tg.check_event")},
    )
    parts.append(
        report.figure(
            chart,
            alt=t("tg.timeline_alt"),
            caption=t("tg.timeline_caption", source=source),
            source=source,
            kind="content",
        )
    )
    parts.append(claims_table(report, claims))
    return render.join(parts)


def regional_telegram(report: Report, frames: Frames) -> HTML:
    """The regional part: forwards from each country's channels into each country's channels."""
    flows = frames.get("flows", pd.DataFrame())
    if flows.empty:
        return HTML("")
    t = report.t
    unknown = t("tg.unknown_flow")
    wide = flows.assign(source_country=flows["source_country"].fillna("")).pivot_table(
        index="source_country", columns="country", values="n", aggfunc="sum", fill_value=0
    )
    order = [c for c in wide.sum(axis=1).sort_values(ascending=False).index if c] + (
        [""] if "" in wide.index else []
    )
    wide = wide.reindex(order)
    shown = pd.DataFrame(
        {
            t("tg.from_country"): [
                country_label(c, report.lang) if c else unknown for c in wide.index
            ]
        }
    )
    for code in wide.columns:
        shown[country_label(code, report.lang)] = wide[code].to_numpy()
    abroad = int(
        flows.loc[
            flows["source_country"].notna() & (flows["source_country"] != flows["country"]), "n"
        ].sum()
    )
    total = int(flows["n"].sum())
    parts = [
        render.paragraph(
            t(
                "tg.regional_intro",
                forwards=report.numbers.integer(total),
                abroad=report.numbers.percent(abroad / total if total else 0.0, 0),
            )
        )
    ]
    parts.append(
        report.table(shown, caption=t("tg.flows_table_caption"), csv_name="ALL_telegram_flows.csv")
    )
    if len(frames["bridges"]):
        parts.append(bridges_table(report, frames["bridges"]))
    return render.join(parts)
