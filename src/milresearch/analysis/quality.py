"""What the data-quality appendix shows: rules applied, unmapped labels, flagged comments."""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.inputs import ReportInputs

UNMAPPED_RULES = ("region_unmapped", "verdict_unmapped", "platform_other_or_unknown")
"""Cleaning-log rules that list raw labels no declared mapping knew."""
MARKUP_OR_SCRUBBED = r"<[a-zA-Z/!]|\[(?:email|phone|handle)\]"


def flagged_comments(rows: pd.DataFrame, limit: int = 8) -> pd.Series:
    """Comments that held markup or personal data, as stored after scrubbing."""
    if "comment" not in rows:
        return pd.Series(dtype="string")
    comments = rows["comment"].dropna()
    hits = comments[comments.str.contains(MARKUP_OR_SCRUBBED, regex=True)]
    markup_first = hits.str.contains("<", regex=False).sort_values(ascending=False, kind="stable")
    return hits[markup_first.index].head(limit).reset_index(drop=True)


def quality(inputs: ReportInputs) -> dict[str, pd.DataFrame]:
    """Rows touched per cleaning rule, the unmapped labels and the flagged comments."""
    log = inputs.log
    rules = log.groupby(["stage", "rule"], as_index=False)["rows"].sum()
    unmapped = log[log["rule"].isin(UNMAPPED_RULES) & (log["rows"] > 0)]
    return {
        "rules": rules,
        "unmapped": unmapped.reset_index(drop=True),
        "comments": flagged_comments(inputs.all_rows).to_frame("comment"),
    }
