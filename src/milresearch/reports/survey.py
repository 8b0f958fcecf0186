"""Renderers of the survey sections: media diet, trust, custom sections; the helpers they share.

Each takes a :class:`~milresearch.reports.document.Report` and the frames its analysis step
returned (:mod:`milresearch.analysis.country`), and returns HTML: a chart, the table behind it,
and the notes. They compute no estimate.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.country import is_trust_source
from milresearch.reports import charts, render
from milresearch.reports.document import Frames, Report
from milresearch.reports.i18n import catalogue
from milresearch.reports.labels import (
    estimate_text,
    group_label,
    grouping_label,
    interval_text,
    item_label,
    localised,
)
from milresearch.reports.render import HTML

SURVEY_SOURCE = "milresearch sample MIL survey 2025"
LIKERT_SCALE = "agree5"


def survey_source(report: Report) -> str:
    """Citation of the survey data shown under every chart."""
    found = [
        (localised(d["description"], report.lang) or d["name"]).rstrip(".")
        for d in report.inputs.survey_datasets
    ]
    return "; ".join(found) or SURVEY_SOURCE


def caption(report: Report, key: str) -> str:
    """A section's caption message, with the sample size and the survey source."""
    return report.t(f"{key}.caption", n=report.n(), source=survey_source(report))


def labels(report: Report, est: pd.DataFrame, overrides: dict[str, str] | None = None) -> list:
    """The label of each row's item in the report language."""
    overrides = overrides or {}
    return [overrides.get(i) or item_label(i, report.lang, report.inputs) for i in est["item"]]


def estimate_table(
    report: Report,
    est: pd.DataFrame,
    names: list,
    caption_text: str,
    csv_name: str,
    folded: bool = False,
) -> HTML:
    """Estimates with CI, unweighted base and design effect; proportions are shown as %.

    ``folded``: the table sits under the chart it feeds, folded, and the chart's caption (the
    same text) is not printed again.
    """
    if est.empty:
        return HTML("")
    percent = "proportion" in est
    value, base, scale, digits = (
        ("proportion", "n_base", 100.0, 1) if percent else ("mean", "n", 1.0, 2)
    )
    header = report.t("table.percent" if percent else "table.mean")
    shown = pd.DataFrame(
        {
            report.t("table.item"): names,
            header: est[value] * scale,
            report.t("table.ci"): [
                interval_text(lo, hi, report.lang, scale, digits)
                for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)
            ],
            report.t("table.base"): est[base].astype(int),
            report.t("table.deff"): est["deff"],
        }
    )
    return report.table(
        shown,
        caption="" if folded else caption_text,
        csv_name=csv_name,
        formats={header: digits, report.t("table.deff"): 2},
        suppressed=est["suppressed"],
        folded=folded,
    )


def leader_title(
    report: Report, leader: pd.DataFrame | None, est: pd.DataFrame, names: list[str]
) -> str:
    """A chart's finding as its title: the top share's lead, or a tie, as its test says."""
    if leader is None or leader.empty:
        return ""
    test = leader.iloc[0]
    label = dict(zip(est["item"], names, strict=True))
    first, second = label.get(test["first"]), label.get(test["second"])
    if first is None or second is None:
        return ""
    num = report.numbers
    values = {
        "first": first,
        "second": second,
        "pct": num.percent(test["estimate_first"]),
        "second_pct": num.percent(test["estimate_second"]),
        "diff": num.points(test["difference"]),
    }
    key = "title.tie" if test["verdict"] == "same" else "title.leads"
    return report.t(key, **values)


def ranked(est: pd.DataFrame) -> pd.DataFrame:
    """Rows from the highest estimate down, suppressed rows last (a bar chart is read so)."""
    value = "proportion" if "proportion" in est else "mean"
    shown = est[value].where(~est["suppressed"].astype(bool))
    order = shown.sort_values(ascending=False, na_position="last", kind="stable").index
    return est.loc[order].reset_index(drop=True)


def not_asked(report: Report, section: str) -> HTML:
    """What this survey did not ask, in words, in place of a section's chart."""
    return render.paragraph(report.t(f"notasked.{section}"))


def chart_and_table(
    report: Report,
    est: pd.DataFrame,
    key: str,
    color: str | None = None,
    chart: HTML | None = None,
    leader: pd.DataFrame | None = None,
) -> HTML:
    """A chart (bars with CIs unless given) and the table of the estimates behind it.

    ``leader`` (the top share tested against the next) gives the chart a title that states it.
    """
    if est.empty:
        return not_asked(report, key if key in ("media", "trust", "mil") else "factcheck")
    text = caption(report, key)
    if chart is None:
        est = ranked(est)
    names = labels(report, est)
    if chart is None:
        title = leader_title(report, leader, est, names)
        fig = charts.bars(est, names, xlabel="%", min_n=report.min_n, color=color, title=title)
        chart = report.figure(
            fig, alt=report.t(f"{key}.alt"), caption=text, source=survey_source(report)
        )
    return chart + estimate_table(
        report, est, names, text, f"{report.country}_{key}.csv", folded=True
    )


def media(report: Report, frames: Frames) -> HTML:
    """Daily news use per channel, overall and by age group, settlement and interview language."""
    est, by_group = frames["estimates"], frames["by_group"]
    if est.empty:
        return not_asked(report, "media")
    parts = [chart_and_table(report, est, "media", leader=frames.get("leader"))]
    order = labels(report, ranked(est))
    if len(by_group):
        named = by_group.assign(
            label=labels(report, by_group),
            group_label=[
                group_label(g, v, report.lang, report.inputs)
                for g, v in zip(by_group["grouping"], by_group["group"], strict=True)
            ],
        )
        for grouping, block in named.groupby("grouping", sort=False):
            if block["group"].nunique() < 2:
                continue
            if grouping == "age_group":
                parts.append(_group_heatmap(report, block, order))
            parts.append(_group_table(report, block, order, str(grouping)))
    return render.join(parts) + report.footnotes(est, by_group)


def _group_table(report: Report, block: pd.DataFrame, order: list, grouping: str) -> HTML:
    """Channels down, groups across, each cell a % with its CI; the download is the long form."""
    groups = list(dict.fromkeys(block["group_label"]))
    cells = block.assign(text=[estimate_text(r, report.lang) for _, r in block.iterrows()])
    wide = cells.pivot(index="label", columns="group_label", values="text")
    wide = wide.reindex(index=[o for o in order if o in wide.index], columns=groups)
    shown = wide.reset_index().rename(columns={"label": report.t("table.item")}).fillna("")
    shown.columns.name = None
    long = block[["group_label", "label", "proportion", "ci_low", "ci_high", "n_base", "deff"]]
    long = long.assign(
        **{
            c: long[c].mask(block["suppressed"])
            for c in ("proportion", "ci_low", "ci_high", "n_base", "deff")
        }
    )
    key = f"media.by_{grouping}"
    text = (
        caption(report, key)
        if f"{key}.caption" in catalogue()[report.lang]
        else report.t(
            "media.by_group.caption",
            group=grouping_label(grouping, report.lang, report.inputs),
            n=report.n(),
            source=survey_source(report),
        )
    )
    return report.table(
        shown,
        caption=text,
        csv_name=f"{report.country}_media_by_{grouping}.csv",
        csv=long.rename(columns={"group_label": "group", "label": "item"}),
    )


def _group_heatmap(report: Report, block: pd.DataFrame, order: list) -> HTML:
    """Daily use per channel and group as a shaded grid; suppressed cells stay empty."""
    groups = list(dict.fromkeys(block["group_label"]))
    values = block["proportion"].mask(block["suppressed"]) * 100
    grid = (
        block.assign(v=values)
        .pivot(index="label", columns="group_label", values="v")
        .reindex(index=[o for o in order if o in set(block["label"])], columns=groups)
    )
    return report.figure(
        charts.heatmap(grid),
        alt=report.t("media.by_age_group.alt"),
        caption=caption(report, "media.by_age_group"),
        source=survey_source(report),
    )


def trust(report: Report, frames: Frames) -> HTML:
    """Trust by source type, plus trust in news in general and concern about fakes."""
    est = frames["estimates"]
    if est.empty:
        return not_asked(report, "trust")
    # Trust in each source type is one chart; attitudes to news in general are another.
    sources = is_trust_source(est["item"])
    parts = [
        chart_and_table(
            report,
            est[sources].reset_index(drop=True),
            "trust",
            render.PALETTE[2],
            leader=frames.get("leader"),
        )
    ]
    if (~sources).any():
        parts.append(
            chart_and_table(
                report, est[~sources].reset_index(drop=True), "trust_attitudes", render.PALETTE[5]
            )
        )
    return render.join(parts) + report.footnotes(est)


def custom(report: Report, frames: Frames) -> HTML:
    """The codebooks' own sections, each under its title: shares, means or answer shares."""
    est = frames["estimates"]
    if est.empty:
        return HTML("")
    titles = report.inputs.sections()
    parts = []
    for section, block in est.groupby("section", sort=False):
        spec = titles.get(str(section), {})
        title = spec.get(report.lang) or spec.get("en") or str(section)
        block = block.reset_index(drop=True)
        names = labels(report, block)
        if "category" in block:
            names = [
                name
                if pd.isna(code)
                else f"{name}: {report.inputs.answer_label(item, int(code), report.lang) or code}"
                for name, item, code in zip(names, block["item"], block["category"], strict=True)
            ]
        text = report.t("custom.caption", title=title, n=report.n(), source=survey_source(report))
        parts.append(render.heading(title, f"sec-custom-{section}", level=3))
        if "proportion" in block and block["proportion"].notna().all():
            fig = charts.bars(block, names, xlabel="%", min_n=report.min_n)
            parts.append(
                report.figure(
                    fig,
                    alt=report.t("custom.alt", title=title),
                    caption=text,
                    source=survey_source(report),
                )
            )
        for kind in ("proportion", "mean"):
            rows = block[block[kind].notna()] if kind in block else block.iloc[0:0]
            if len(rows):
                parts.append(
                    estimate_table(
                        report,
                        rows.drop(
                            columns=[k for k in ("proportion", "mean") if k != kind and k in rows]
                        ),
                        [n for n, keep in zip(names, block[kind].notna(), strict=True) if keep],
                        text,
                        f"{report.country}_{section}_{kind}.csv",
                    )
                )
    return render.join(parts) + report.footnotes(est)
