"""Renderer of the "What circulates" section, from :mod:`milresearch.analysis.content` frames.

Content platforms are set beside the share of respondents who use that platform daily, when
the report has survey data.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.questionnaire import CHANNELS
from milresearch.reports import charts, render
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import (
    country_label,
    estimate_text,
    language_label,
    localised,
    platform_label,
)
from milresearch.reports.render import HTML

PLATFORM_CHANNELS = {"website": "news_sites"} | {c: c for c in CHANNELS}
"""Content platform to the survey's media-use channel asked about it."""
SHARE = "table.share_items"


def content_source(report: Report, only: set[str] | None = None) -> str:
    """Citation of the content datasets (those named in ``only``, when given)."""
    found = [
        localised(d["description"], report.lang) or d["name"]
        for d in report.inputs.datasets
        if d.get("kind") == "content" and (only is None or d["name"] in only)
    ]
    return "; ".join(f.rstrip(".") for f in found) or "content datasets"


def _platform_label(report: Report, platform: str) -> str:
    return platform_label(PLATFORM_CHANNELS.get(platform, platform), report.lang)


def listed(values: object, name) -> str:
    """A cell listing codes ("KAZ, KGZ") in words, each through ``name``."""
    return ", ".join(name(v.strip()) for v in str(values).split(",") if v.strip())


def _use_text(report: Report, row: pd.Series | None) -> str:
    if row is None:
        return report.t("content.not_asked")
    return estimate_text(row, report.lang)


def _counts(
    report: Report,
    table: pd.DataFrame,
    name_key: str,
    names: list,
    caption: str,
    csv: str,
    verbatim: bool = False,
) -> HTML:
    shown = pd.DataFrame(
        {
            report.t(name_key): names,
            report.t("table.count"): table["n"],
            report.t(SHARE): table["share"] * 100,
        }
    )
    return report.table(
        shown,
        caption=caption,
        csv_name=f"{report.country}_{csv}.csv",
        formats={report.t(SHARE): 1},
        suppressed=table["suppressed"],
        verbatim=(report.t(name_key),) if verbatim else (),
    )


def platforms(report: Report, plat: pd.DataFrame, daily_use: pd.DataFrame, base: str) -> HTML:
    """Items per platform beside the share of respondents using that platform daily."""
    use = {row["item"]: row for _, row in daily_use.iterrows()} if len(daily_use) else {}
    channels = [PLATFORM_CHANNELS.get(p) for p in plat["category"]]
    shown = pd.DataFrame(
        {
            report.t("table.platform"): [_platform_label(report, p) for p in plat["category"]],
            report.t("table.count"): plat["n"],
            report.t(SHARE): plat["share"] * 100,
            report.t("table.daily_use"): [
                _use_text(report, use.get(f"use_{c}") if c else None) for c in channels
            ],
        }
    )
    if report.inputs.survey.empty:
        # Without a survey there is no daily use to set beside the items: no column of blanks.
        shown = shown.drop(columns=report.t("table.daily_use"))
    return report.table(
        shown,
        caption=report.t("content.platforms_caption", n=base),
        csv_name=f"{report.country}_platforms.csv",
        formats={report.t(SHARE): 1},
        suppressed=plat["suppressed"],
    )


def verdicts_within(report: Report, wide: pd.DataFrame, column: str) -> HTML:
    """The verdict mix within each platform or language; groups under the threshold hidden."""
    if wide.empty:
        return HTML("")
    verdicts = [c for c in wide.columns if c not in ("group", "n", "suppressed")]
    names = [
        _platform_label(report, g) if column == "platform" else language_label(g, report.lang)
        for g in wide["group"]
    ]
    shown = pd.DataFrame(
        {
            report.t(f"table.{column}"): names,
            report.t("table.count"): wide["n"].to_numpy(),
            **{report.t(f"verdict.{v}"): wide[v].to_numpy() * 100 for v in verdicts},
        }
    )
    caption = report.t(
        f"content.verdicts_by_{column}_caption",
        n=report.numbers.integer(wide["n"].sum()),
        min_n=report.min_n,
    )
    return report.table(
        shown,
        caption=caption,
        csv_name=f"{report.country}_verdicts_by_{column}.csv",
        formats={report.t(f"verdict.{v}"): 1 for v in verdicts},
        suppressed=wide["suppressed"],
    )


def claims(report: Report, spread: pd.DataFrame, csv_name: str, caption: str) -> HTML:
    """Claim clusters with an example text, their reach and first appearance."""
    shown = pd.DataFrame(
        {
            report.t("table.example"): spread["example"],
            report.t("table.count"): spread["n"],
            report.t("table.countries"): [
                listed(v, lambda c: country_label(c, report.lang)) for v in spread["countries"]
            ],
            report.t("table.platforms"): [
                listed(v, lambda p: _platform_label(report, p)) for v in spread["platforms"]
            ],
            report.t("table.languages"): [
                listed(v, lambda g: language_label(g, report.lang)) for v in spread["languages"]
            ],
            report.t("table.first_seen"): pd.to_datetime(spread["first_local"]).dt.strftime(
                "%Y-%m-%d"
            ),
        }
    )
    # The page writes dates as a reader does; the download keeps ISO dates for machines.
    first_seen = report.t("table.first_seen")
    page = shown.assign(
        **{
            first_seen: shown[first_seen].map(
                lambda day: report.numbers.date(day) if isinstance(day, str) else ""
            )
        }
    )
    return report.table(
        page,
        caption=caption,
        csv_name=csv_name,
        suppressed=spread["suppressed"],
        csv=shown,
        verbatim=(report.t("table.example"),),
    )


def topics(report: Report, table: pd.DataFrame, base: str) -> HTML:
    """Topics, their size and an example of each."""
    from milresearch.analysis.content import MIN_TOPIC_ITEMS, TOPIC_SEED

    if table.empty:
        return render.paragraph(report.t("content.topics_too_few", n=base, min=MIN_TOPIC_ITEMS))
    shown = pd.DataFrame(
        {
            report.t("table.topic"): table["terms"],
            report.t("table.count"): table["n"],
            report.t(SHARE): table["share"] * 100,
            report.t("table.example"): table["example"],
        }
    )
    return report.table(
        shown,
        caption=report.t("content.topics_caption", seed=TOPIC_SEED, n=base),
        csv_name=f"{report.country}_topics.csv",
        formats={report.t(SHARE): 1},
        suppressed=table["suppressed"],
        verbatim=(report.t("table.topic"), report.t("table.example")),
    )


def circulating(report: Report, frames: Frames) -> HTML:
    """The whole section: volume, platforms, languages, verdicts, sources, topics, claims."""
    if not frames:
        return render.paragraph(report.t("note.no_content"))
    t, source = report.t, content_source(report)
    base = report.numbers.integer(frames["base"].iloc[0]["items"])
    vol = frames["volume"]
    chart = charts.volume(
        vol["period"], vol["n"].where(~vol["suppressed"]), ylabel=t("content.per_month")
    )
    parts = [
        report.figure(
            chart,
            alt=t("content.volume_alt"),
            caption=t("content.volume_caption", n=base, min_n=report.min_n, source=source),
            source=source,
            kind="content",
        )
    ]
    daily = report.analysis("media")["estimates"] if len(report.inputs.survey) else pd.DataFrame()
    parts.append(platforms(report, frames["platforms"], daily, base))
    langs = frames["languages"]
    parts.append(
        _counts(
            report,
            langs,
            "table.language_script",
            [language_label(c, report.lang) for c in langs["category"]],
            t("content.languages_caption", n=base),
            "lang_script",
        )
    )
    verdicts = frames["verdicts"]
    with_verdict = report.numbers.integer(frames["base"].iloc[0]["with_verdict"])
    parts.append(
        _counts(
            report,
            verdicts,
            "table.verdict",
            [t(f"verdict.{v}") for v in verdicts["category"]],
            t("content.verdicts_caption", n=with_verdict),
            "verdict",
        )
    )
    parts.append(verdicts_within(report, frames["verdicts_by_platform"], "platform"))
    parts.append(verdicts_within(report, frames["verdicts_by_lang"], "lang"))
    if "sources" in frames:
        found = frames["sources"]
        n_src = report.numbers.integer(frames["base"].iloc[0]["with_source"])
        parts.append(
            _counts(
                report,
                found,
                "table.source",
                list(found["source_org"].astype(str)),
                t("content.sources_caption", n=n_src),
                "sources",
                verbatim=True,
            )
        )
    parts.append(topics(report, frames["topics"], base))
    if frames["claims"].empty:
        parts.append(render.paragraph(t("content.no_repeats")))
    else:
        parts.append(
            claims(
                report,
                frames["claims"],
                f"{report.country}_claims.csv",
                t("content.claims_caption", min_n=report.min_n),
            )
        )
    parts.append(render.note(t("note.suppression", min_n=report.min_n)))
    return render.join(parts)
