"""The data-quality appendix: cleaning rules, unmapped labels, suppressed cells, comments.

The list of suppressed cells is made from the analysis frames of every other section, not from
what earlier cells happened to show, so it is the same whichever cells ran before it.
"""

from __future__ import annotations

import pandas as pd

from milresearch.reports import render
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import group_label, item_label
from milresearch.reports.render import HTML

NAME_COLUMNS = ("category", "source_org", "topic", "cluster_id", "group", "class")
"""Columns that name a row of a content frame, in order of preference."""


def _row_name(report: Report, row: pd.Series) -> str:
    lang = report.lang
    if "item" in row and isinstance(row["item"], str):
        name = item_label(row["item"], lang, report.inputs)
        if "grouping" in row and pd.notna(row.get("grouping")):
            name += " · " + group_label(row["grouping"], row["group"], lang, report.inputs)
        elif "stakeholder_group" in row:
            group = report.t(f"stake.group_{int(row['stakeholder_group'])}")
            name = f"{group} · {name}"
        elif "category" in row:
            name += f" · {row['category']}"
        return name
    for column in NAME_COLUMNS:
        if column in row and pd.notna(row[column]):
            return str(row[column])
    return ""


def suppressed_cells(report: Report) -> pd.DataFrame:
    """Every suppressed row of every other section, with its section and a name."""
    found = []
    for name in report.sections:
        if name == "quality":
            continue
        section = report.t(f"section.{name}")
        for frame in report.analysis(name).values():
            if "suppressed" not in frame or frame.empty:
                continue
            for _, row in frame[frame["suppressed"].astype(bool)].iterrows():
                found.append((section, _row_name(report, row)[:160]))
    return pd.DataFrame(found, columns=["section", "item"])


def render_appendix(report: Report, frames: Frames) -> HTML:
    """Counts per cleaning rule, unmapped labels, suppressed cells and flagged comments."""
    t = report.t
    rules, unmapped = frames["rules"], frames["unmapped"]
    shown = pd.DataFrame({t("table.stage"): rules["stage"], t("table.rule"): rules["rule"],
                          t("table.rows"): rules["rows"]})  # fmt: skip
    country = report.country
    parts = [report.table(shown, caption=t("quality.caption"),
                          csv_name=f"{country}_cleaning_log.csv")]  # fmt: skip
    if unmapped.empty:
        parts.append(render.paragraph(t("quality.no_unmapped")))
    else:
        shown = pd.DataFrame({t("table.dataset"): unmapped["dataset"],
                              t("table.rule"): unmapped["rule"], t("table.rows"): unmapped["rows"],
                              t("table.labels"): unmapped["detail"]})  # fmt: skip
        parts.append(report.table(shown, caption=t("quality.unmapped"),
                                  csv_name=f"{country}_unmapped.csv"))  # fmt: skip
    hidden = suppressed_cells(report)
    if len(hidden):
        hidden.columns = [t("table.section"), t("table.item")]
        parts.append(report.table(hidden, caption=t("quality.suppressed", min_n=report.min_n,
                                                    k=len(hidden)),
                                  csv_name=f"{country}_suppressed.csv"))  # fmt: skip
    else:
        parts.append(render.paragraph(t("quality.none_suppressed", min_n=report.min_n)))
    comments = frames["comments"]
    if not comments.empty:
        parts.append(report.table(pd.DataFrame({t("table.comment"): comments["comment"]}),
                                  caption=t("quality.comments"),
                                  csv_name=f"{country}_comments.csv"))  # fmt: skip
    return render.join(parts)
