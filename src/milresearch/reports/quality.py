"""The public data-quality summary: what cleaning did, in words, and what is suppressed.

Rule ids, raw labels, flagged comments and file paths stay out of it: they are on the internal QA
page (:mod:`milresearch.reports.qa`). The count of suppressed cells is made from the analysis
frames of every other section, not from what earlier cells happened to show, so it is the same
whichever cells ran before it.
"""

from __future__ import annotations

import pandas as pd

from milresearch.reports import render
from milresearch.reports.document import Frames, Report
from milresearch.reports.i18n import catalogue
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


def _sentence(report: Report, fact: pd.Series) -> str:
    """One summary row in words (``quality.fact.<fact>``, with the rule or reason it names)."""
    num = report.numbers
    values = {
        "n": num.integer(fact["n"]),
        "total": num.integer(fact["total"]),
        "kept": num.integer(fact["total"] - fact["n"]),
    }
    if fact["fact"] in ("excluded_because", "missing"):
        # A check or missing code a future cleaning adds is named by its id until it has words.
        prefix = "rule" if fact["fact"] == "excluded_because" else "missing"
        name = f"{prefix}.{fact['detail']}"
        words = catalogue()[report.lang].get(name, str(fact["detail"]))
        values["rule" if prefix == "rule" else "reason"] = words
    key = f"quality.fact.{fact['fact']}"
    if fact["fact"] in ("unmapped", "free_text_scrubbed") and not fact["n"]:
        key += "_none"
    return report.t(key, **values)


def summary_sentences(report: Report, summary: pd.DataFrame) -> list[str]:
    """The summary's sentences; a fact's sub-rows (reasons, missing codes) join into one."""
    sentences: list[str] = []
    for fact, rows in summary.groupby("fact", sort=False):
        parts = [_sentence(report, row) for _, row in rows.iterrows()]
        if fact == "excluded_because":
            sentences.append(report.t("quality.fact.reasons", reasons="; ".join(parts)))
        elif fact == "missing":
            sentences.append(report.t("quality.fact.missing_codes", codes="; ".join(parts)))
        else:
            sentences.extend(parts)
    return sentences


def suppressed_sentence(report: Report) -> str:
    """How many estimates are hidden, by section, or that none is."""
    hidden = suppressed_cells(report)
    if hidden.empty:
        return report.t("quality.none_suppressed", min_n=report.min_n)
    counts = hidden.groupby("section", sort=False).size()
    by = "; ".join(f"{section}: {report.numbers.integer(k)}" for section, k in counts.items())
    return report.t(
        "quality.suppressed_by",
        k=report.numbers.integer(len(hidden)),
        min_n=report.min_n,
        sections=by,
    )


def render_appendix(report: Report, frames: Frames) -> HTML:
    """What cleaning did to this report's data and what is suppressed, in plain language."""
    sentences = summary_sentences(report, frames["summary"])
    sentences.append(suppressed_sentence(report))
    return render.join(
        [render.bullets(sentences, "mr-quality"), render.note(report.t("quality.internal"))]
    )
