"""Key findings as data: which statements the estimates support, with the numbers behind them.

One row per finding with ``finding`` (its message key), the estimate and interval it quotes, and
a comparison figure where it has one. A renderer turns each row into a sentence. The wording
of a comparison follows its intervals: a difference is claimed only where they do not meet.
"""

from __future__ import annotations

import pandas as pd

from milresearch.indicators import context_table

COLUMNS = ["finding", "item", "estimate", "ci_low", "ci_high", "other", "year", "rank"]


def _row(finding: str, r: pd.Series | None = None, **values) -> dict:
    row = {"finding": finding, "item": None, "estimate": None, "ci_low": None, "ci_high": None}
    if r is not None:
        value = r["proportion"] if "proportion" in r else r["mean"]
        row.update(item=r.get("item"), estimate=value, ci_low=r["ci_low"], ci_high=r["ci_high"])
    return row | values


def _shown(frame: pd.DataFrame, item: str) -> pd.Series | None:
    if frame.empty:
        return None
    rows = frame[(frame["item"] == item) & ~frame["suppressed"].astype(bool)]
    return rows.iloc[0] if len(rows) else None


def key_findings(
    media: pd.DataFrame,
    trust: pd.DataFrame,
    mil: pd.DataFrame,
    discernment: pd.DataFrame,
    by_training: pd.DataFrame,
    self_vs_measured: pd.DataFrame,
    indicators: pd.DataFrame,
    country: str,
) -> pd.DataFrame:
    """The findings the country's estimates support, in the order a report states them."""
    rows = []
    top = media[~media["suppressed"]].head(1) if len(media) else media
    if len(top):
        rows.append(_row("findings.media", top.iloc[0]))
    for key, frame, item in (
        ("findings.trust", trust, "trust_news_general"),
        ("findings.mil", mil, "mil_detect"),
    ):
        found = _shown(frame, item)
        if found is not None:
            rows.append(_row(key, found))
    disc = _shown(discernment, "discernment")
    if disc is not None:
        rows.append(_row("findings.disc", disc))
    if len(by_training):
        groups = by_training.set_index("group")
        if {"yes", "no"} <= set(groups.index) and not groups["suppressed"].any():
            rows.append(
                _row("findings.training", groups.loc["yes"], other=groups.loc["no", "mean"])
            )
    if len(self_vs_measured) == 2 and not self_vs_measured["suppressed"].any():
        says = self_vs_measured.set_index("says")
        yes, no = says.loc["yes"], says.loc["no"]
        key = (
            "findings.self_more"
            if yes["ci_low"] > no["ci_high"]
            else "findings.self_less"
            if yes["ci_high"] < no["ci_low"]
            else "findings.self_same"
        )
        rows.append(_row(key, yes, other=no["mean"]))
    if country != "ALL":
        table = context_table(indicators, country).set_index("indicator")
        score, rank = table["value"].get("rsf_score"), table["value"].get("rsf_rank")
        if score is not None and pd.notna(score):
            rows.append(
                _row(
                    "findings.context",
                    item="rsf_score",
                    estimate=float(score),
                    year=int(table.loc["rsf_score", "year"]),
                    rank=None if rank is None or pd.isna(rank) else int(rank),
                )
            )
    return pd.DataFrame(rows, columns=COLUMNS)
