"""What data quality a report states: a plain summary for readers, the full record for QA.

The public report says, in words, what the cleaning did to this country's data (``summary``).
The internal QA page (:mod:`milresearch.reports.qa`) shows the rule ids, raw labels and flagged
comments behind it (``rules``, ``unmapped``, ``comments``); they never reach a public report.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.inputs import ReportInputs

UNMAPPED_RULES = ("region_unmapped", "verdict_unmapped", "platform_other_or_unknown")
"""Cleaning-log rules that list raw labels no declared mapping knew."""
MARKUP_OR_SCRUBBED = r"<[a-zA-Z/!]|\[(?:email|phone|handle)\]"

SUMMARY_COLUMNS = ["fact", "detail", "n", "total"]
"""One row per statement of the public summary: ``fact`` names its message, ``detail`` a rule."""


def flagged_comments(rows: pd.DataFrame, limit: int = 8) -> pd.Series:
    """Comments that held markup or personal data, as stored after scrubbing."""
    if "comment" not in rows:
        return pd.Series(dtype="string")
    comments = rows["comment"].dropna()
    hits = comments[comments.str.contains(MARKUP_OR_SCRUBBED, regex=True)]
    markup_first = hits.str.contains("<", regex=False).sort_values(ascending=False, kind="stable")
    return hits[markup_first.index].head(limit).reset_index(drop=True)


def _flags(rows: pd.DataFrame) -> list[str]:
    """The cleaning's quality-check flags: its boolean ``qc_*`` columns, the verdict aside.

    Read from the processed table, not imported from the cleaning code, so that a report
    depends on the table it reads and not on how it was made (:mod:`milresearch.stages`).
    """
    return [
        c
        for c in rows.columns
        if c.startswith("qc_") and c != "qc_exclude" and pd.api.types.is_bool_dtype(rows[c])
    ]


def _logged(log: pd.DataFrame, stage: str, rule: str) -> int:
    hits = log[(log["stage"] == stage) & (log["rule"] == rule)]
    return int(hits["rows"].sum())


def survey_facts(inputs: ReportInputs) -> list[tuple[str, str, int, int]]:
    """Interviews received, removed and excluded (national and stakeholder), and missing codes.

    Exclusions are counted from the cleaned rows, per sample, so that the number excluded from
    the national sample is the one the method section gives; the log's ``qc_exclude`` counts
    both samples together.
    """
    log, rows = inputs.log, inputs.all_rows
    if rows.empty:
        return []
    facts = [("received", "", _logged(log, "survey", "rows_read"), 0)]
    removed = _logged(log, "survey", "exact_duplicate_removed")
    if removed:
        facts.append(("duplicates_removed", "", removed, 0))
    national = rows[rows["sample_type"] == 1]
    facts.append(("excluded_national", "", int(national["qc_exclude"].sum()), len(national)))
    for flag in _flags(national):
        if national[flag].sum():
            facts.append(("excluded_because", flag, int(national[flag].sum()), len(national)))
    stake = rows[rows["sample_type"] == 2]
    if len(stake):
        facts.append(("excluded_stakeholders", "", int(stake["qc_exclude"].sum()), len(stake)))
    missing = log[(log["stage"] == "survey") & log["rule"].str.startswith("missing_")]
    for rule, n in missing.groupby("rule", sort=False)["rows"].sum().items():
        if n:
            facts.append(("missing", str(rule).removeprefix("missing_"), int(n), 0))
    if _logged(log, "survey", "personal_columns_dropped"):
        facts.append(("personal_columns", "", 0, 0))
    facts.append(("free_text_scrubbed", "", _logged(log, "survey", "pii_scrubbed"), 0))
    return facts


def content_facts(inputs: ReportInputs) -> list[tuple[str, str, int, int]]:
    """Items received, repeated URLs, near-duplicates, unreadable dates and scrubbed texts."""
    log = inputs.log
    if inputs.content.empty:
        return []
    facts = [("content_received", "", _logged(log, "content", "rows_read"), 0)]
    for rule in ("duplicate_url", "near_duplicate", "dates_unparsed", "pii_scrubbed"):
        n = _logged(log, "content", rule)
        if n:
            facts.append((f"content_{rule}", "", n, 0))
    return facts


def summary(inputs: ReportInputs) -> pd.DataFrame:
    """The public data-quality summary: what cleaning did, as counts a sentence can state."""
    facts = survey_facts(inputs) + content_facts(inputs)
    unmapped = inputs.log[inputs.log["rule"].isin(UNMAPPED_RULES)]["rows"].sum()
    facts.append(("unmapped", "", int(unmapped), 0))
    return pd.DataFrame(facts, columns=SUMMARY_COLUMNS)


def quality(inputs: ReportInputs) -> dict[str, pd.DataFrame]:
    """The public summary, and for QA: rows per rule, unmapped labels, flagged comments."""
    log = inputs.log
    rules = log.groupby(["dataset", "stage", "rule"], as_index=False)["rows"].sum()
    unmapped = log[log["rule"].isin(UNMAPPED_RULES) & (log["rows"] > 0)]
    return {
        "summary": summary(inputs),
        "rules": rules,
        "log": log.reset_index(drop=True),
        "unmapped": unmapped.reset_index(drop=True),
        "comments": flagged_comments(inputs.all_rows).to_frame("comment"),
    }
