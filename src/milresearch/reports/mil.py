"""Renderers of the MIL sections: skills, headline discernment, fact-checking, stakeholders.

As the other survey renderers (:mod:`milresearch.reports.survey`), each takes a report and the
frames of its analysis step (:mod:`milresearch.analysis.mil` and
:mod:`milresearch.analysis.country`), and returns HTML; they compute no estimate.
"""

from __future__ import annotations

import numpy as np

from milresearch.analysis.questionnaire import answer_label
from milresearch.reports import charts, render
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import (
    group_label,
)
from milresearch.reports.render import HTML
from milresearch.reports.survey import (
    LIKERT_SCALE,
    caption,
    chart_and_table,
    estimate_table,
    labels,
    not_asked,
    survey_source,
)


def mil_skills(report: Report, frames: Frames) -> HTML:
    """Agreement with each self-assessed MIL item, the answer distribution and the MIL index."""
    est, likert, index = frames["estimates"], frames["likert"], frames["index"]
    if est.empty:
        return not_asked(report, "mil")
    dist = likert.assign(label=labels(report, likert))
    first = str(likert["item"].iloc[0])
    names = {
        int(code): report.inputs.answer_label(first, int(code), report.lang)
        or answer_label(LIKERT_SCALE, int(code), report.lang)
        for code in sorted(likert["category"].unique())
    }
    chart = report.figure(
        charts.likert(dist, names, min_n=report.min_n, xlabel=report.t("mil.likert.axis")),
        alt=report.t("mil.likert.alt"),
        caption=caption(report, "mil.likert"),
        source=survey_source(report),
    )
    alpha = frames["alpha"].iloc[0]
    index_names = [
        group_label(g, v, report.lang, report.inputs)
        for g, v in zip(index["grouping"], index["group"], strict=True)
    ]
    index_caption = report.t("mil.index_caption", n=report.n(), source=survey_source(report))
    sentence = report.t(
        "mil.index",
        alpha=report.numbers.decimal(alpha["alpha"], 2),
        k=int(alpha["k"]),
        min_valid=int(alpha["min_valid"]),
    )
    if index.empty or not np.isfinite(alpha["alpha"]) or alpha["k"] < alpha["min_valid"]:
        # Too few items for a reliable index: the items speak for themselves.
        return chart_and_table(report, est, "mil", chart=chart) + report.footnotes(est, likert)
    return (
        chart_and_table(report, est, "mil", chart=chart)
        + render.paragraph(sentence)
        + estimate_table(
            report, index, index_names, index_caption, f"{report.country}_mil_index.csv"
        )
        + report.footnotes(est, index, likert)
    )


def discernment(report: Report, frames: Frames) -> HTML:
    """Mean rating per headline (true vs false), discernment, d′ and c, and the self-check."""
    headlines, summary, gap = frames["headlines"], frames["summary"], frames["self_vs_measured"]
    if headlines.empty:
        return not_asked(report, "discernment")
    tags = [report.t("disc.true" if v else "disc.false") for v in headlines["veracity"]]
    names = [
        f"{report.inputs.variable_label(i, report.lang)} ({tag})"
        for i, tag in zip(headlines["item"], tags, strict=True)
    ]
    text = report.t("disc.caption", n=report.n(), source=survey_source(report))
    true, false = render.PALETTE[2], render.PALETTE[3]
    fig = charts.bars(
        headlines,
        names,
        xlabel=report.t("disc.axis"),
        min_n=report.min_n,
        percent=False,
        colors=[true if v else false for v in headlines["veracity"]],
        legend={report.t("disc.true_headline"): true, report.t("disc.false_headline"): false},
    )
    fig.axes[0].set_xlim(1, 4)
    chart = report.figure(
        fig, alt=report.t("disc.alt"), caption=text, source=survey_source(report)
    )
    table = estimate_table(
        report, summary, labels(report, summary), text, f"{report.country}_discernment.csv"
    )
    gap_names = [report.t(f"disc.self_{v}") for v in gap["says"]] if len(gap) else []
    gap_table = estimate_table(
        report,
        gap,
        gap_names,
        report.t("disc.self_caption", n=report.n()),
        f"{report.country}_discernment_by_self_assessment.csv",
    )
    return (
        chart
        + table
        + gap_table
        + render.note(report.t("note.associations"))
        + report.footnotes(headlines, summary, gap)
    )


def factchecking(report: Report, frames: Frames) -> HTML:
    """Awareness and use of fact-checkers, MIL training, and discernment by training."""
    est, by = frames["estimates"], frames["by_training"]
    if est.empty and by.empty:
        return not_asked(report, "factcheck")
    section = chart_and_table(report, est, "fc", render.PALETTE[1], leader=frames.get("leader"))
    if by.empty:
        return section + report.footnotes(est)
    names = [report.t(f"fc.trained_{g}") for g in by["group"]]
    text = report.t("fc.by_training_caption", n=report.n())
    table = estimate_table(
        report, by, names, text, f"{report.country}_discernment_by_training.csv"
    )
    return section + table + render.note(report.t("note.associations")) + report.footnotes(est, by)


STAKEHOLDER_ITEMS = {"mil_detect": "stake.detect", "fc_aware": "stake.aware"}


def stakeholders(report: Report, frames: Frames) -> HTML:
    """Purposive stakeholder interviews by group, unweighted, small groups suppressed."""
    est = frames["estimates"]
    if est.empty:
        return HTML("")
    items = labels(report, est, {k: report.t(v) for k, v in STAKEHOLDER_ITEMS.items()})
    names = [
        f"{report.t(f'stake.group_{int(g)}')}: {label}"
        for g, label in zip(est["stakeholder_group"], items, strict=True)
    ]
    text = report.t("stake.caption", min_n=report.min_n, source=survey_source(report))
    table = estimate_table(report, est, names, text, f"{report.country}_stakeholders.csv")
    return table + render.note(report.t("note.purposive"))
