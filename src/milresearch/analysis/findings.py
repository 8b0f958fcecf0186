"""Key findings as data: which statements the estimates support, tested, and ranked by size.

A comparison is claimed only when a design-based test of the difference says so
(:mod:`milresearch.analysis.contrasts`), never because two intervals happen not to meet; a
difference that is not significant is said as a tie (the tests are in
:mod:`milresearch.analysis.gaps`). The findings step returns two frames:

- ``tests``: every difference it tested, with the contrast, its interval and p-value;
- ``findings``: one row per statement, with its message key, the numbers it quotes, and the
  verdict of its test. Significant differences come first, largest (standardised) first; then
  the levels of single estimates, the ties, what circulates and the country context.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from milresearch.analysis.gaps import SHARE_SD, verdict_of
from milresearch.indicators import context_table

MAX_GAPS = 2
"""Largest group gaps a report states."""
MAX_CHANGES = 4
"""Largest changes since the previous wave a report states among its key findings."""
FALSE_VERDICTS = ("false", "misleading")
"""Verdicts a fact-check finding counts as false or misleading."""

COLUMNS = [
    "finding",
    "kind",
    "item",
    "grouping",
    "first",
    "second",
    "estimate",
    "ci_low",
    "ci_high",
    "other",
    "difference",
    "diff_low",
    "diff_high",
    "p_value",
    "size",
    "year",
    "rank",
    "count",
    "total",
]
KINDS = ("difference", "level", "tie", "content", "context")
"""Order of the kinds of finding in a report."""


def _size(test: pd.Series, sd: float) -> float:
    """Standardised difference |a - b| / SD, so gaps on different scales can be ranked.

    A mean's SD is its weighted SD in the whole sample; a share's is :data:`SHARE_SD`.
    """
    return float(abs(test["difference"]) / sd) if sd and np.isfinite(sd) else float("nan")


def _shown(frame: pd.DataFrame, item: str) -> pd.Series | None:
    if frame.empty:
        return None
    rows = frame[(frame["item"] == item) & ~frame["suppressed"].astype(bool)]
    return rows.iloc[0] if len(rows) else None


def _level(finding: str, r: pd.Series) -> dict:
    value = r["proportion"] if "proportion" in r else r["mean"]
    return {
        "finding": finding,
        "kind": "level",
        "item": r.get("item"),
        "estimate": value,
        "ci_low": r["ci_low"],
        "ci_high": r["ci_high"],
    }


def _comparison(finding: str, test: pd.Series, size: float, p_value: float, **labels) -> dict:
    verdict = verdict_of(test, p_value)
    return {
        "finding": f"{finding}_{verdict}",
        "kind": "tie" if verdict == "same" else "difference",
        "first": test["first"],
        "second": test["second"],
        "estimate": test["estimate_first"],
        "other": test["estimate_second"],
        "difference": test["difference"],
        "diff_low": test["ci_low"],
        "diff_high": test["ci_high"],
        "p_value": p_value,
        "size": size,
        **labels,
    }


def key_findings(
    tested: pd.DataFrame,
    trust: pd.DataFrame,
    mil_estimates: pd.DataFrame,
    discernment: pd.DataFrame,
    content: Mapping[str, pd.DataFrame],
    indicators: pd.DataFrame,
    country_code: str,
    changes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The findings the country's estimates and tests support, in the order a report states them.

    ``changes`` (:func:`milresearch.analysis.change.change`) adds every tested change since the
    previous wave over all respondents, up to :data:`MAX_CHANGES`, ranked with the differences.
    """
    rows = _change_findings(changes)
    by_test = {name: block for name, block in tested.groupby("test")} if len(tested) else {}
    if "media_leader" in by_test:
        test = by_test["media_leader"].iloc[0]
        rows.append(
            _comparison(
                "findings.media", test, _size(test, SHARE_SD), test["p_value"], item=test["item"]
            )
        )
    for key, frame, item in (
        ("findings.trust", trust, "trust_news_general"),
        ("findings.mil", mil_estimates, "mil_detect"),
        ("findings.disc", discernment, "discernment"),
    ):
        found = _shown(frame, item)
        if found is not None:
            rows.append(_level(key, found))
    if "group_gap" in by_test:
        gaps = by_test["group_gap"]
        gaps = gaps[~gaps["suppressed"].astype(bool)]
        scanned = int(gaps["pairs"].sum())
        ranked = gaps.assign(size=(gaps["difference"].abs() / gaps["sd"]))
        ranked = ranked.sort_values("size", ascending=False, kind="stable")
        for _, gap in ranked.iterrows():
            adjusted = min(1.0, float(gap["p_value"]) * scanned)
            if verdict_of(gap, adjusted) == "same":
                continue  # a gap that does not survive the scan is not a finding
            key = "findings.gap" if gap["scale"] == "share" else "findings.gap_mean"
            row = _comparison(
                key, gap, float(gap["size"]), adjusted, item=gap["item"], grouping=gap["grouping"]
            )
            rows.append(row | {"finding": key, "kind": "difference"})
            if sum(r["finding"].startswith("findings.gap") for r in rows) == MAX_GAPS:
                break
    for name, key in (("training", "findings.training"), ("self_assessment", "findings.self")):
        if name in by_test and not by_test[name]["suppressed"].iloc[0]:
            test = by_test[name].iloc[0]
            rows.append(
                _comparison(
                    key, test, _size(test, test["sd"]), test["p_value"], item="discernment"
                )
            )
    rows += _content_finding(content)
    if country_code != "ALL":
        table = context_table(indicators, country_code).set_index("indicator")
        score, rank = table["value"].get("rsf_score"), table["value"].get("rsf_rank")
        if score is not None and pd.notna(score):
            rows.append(
                {
                    "finding": "findings.context",
                    "kind": "context",
                    "item": "rsf_score",
                    "estimate": float(score),
                    "year": int(table.loc["rsf_score", "year"]),
                    "rank": None if rank is None or pd.isna(rank) else int(rank),
                }
            )
    return _ranked(rows)


def _change_findings(changes: pd.DataFrame | None) -> list[dict]:
    """The significant changes since the previous wave, among all respondents, largest first."""
    if changes is None or changes.empty:
        return []
    found = changes[(changes["grouping"] == "all") & (changes["verdict"] == "changed")]
    found = found.assign(_size=found["difference"].abs()).sort_values("_size", ascending=False)
    rows = []
    for _, row in found.head(MAX_CHANGES).iterrows():
        rows.append(
            {
                "finding": "findings.change_more"
                if row["difference"] > 0
                else "findings.change_less",
                "kind": "difference",
                "item": row["item"],
                "grouping": "wave",
                "first": row["latest"],
                "second": row["earlier"],
                "estimate": row["estimate_latest"],
                "other": row["estimate_earlier"],
                "difference": row["difference"],
                "diff_low": row["ci_low"],
                "diff_high": row["ci_high"],
                "p_value": row["p_holm"],
                "size": abs(float(row["difference"])) / SHARE_SD,
            }
        )
    return rows


def _content_finding(content: Mapping[str, pd.DataFrame]) -> list[dict]:
    """The share of fact-checked items rated false or misleading (none without verdicts)."""
    verdicts = content.get("verdicts")
    if verdicts is None or not len(verdicts):
        return []
    # Fact-checks are public items, not respondents: their counts are shown, not suppressed.
    total = int(verdicts["n"].sum())
    false = int(verdicts.loc[verdicts["category"].isin(FALSE_VERDICTS), "n"].sum())
    if not total:
        return []
    return [
        {
            "finding": "findings.content",
            "kind": "content",
            "count": false,
            "total": total,
            "estimate": false / total,
        }
    ]


def _ranked(rows: list[dict]) -> pd.DataFrame:
    """Findings in report order: by kind (:data:`KINDS`), larger differences first."""
    out = pd.DataFrame(rows, columns=COLUMNS)
    order = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    size = out["size"].astype("float64").fillna(0)
    out = out.assign(_order=order, _size=-size).sort_values(["_order", "_size"], kind="stable")
    return out.drop(columns=["_order", "_size"]).reset_index(drop=True)


def regional_key_findings(
    tested: pd.DataFrame, content: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """One finding per compared item (its country gap, or a tie), then what circulates."""
    rows = []
    gaps = tested[~tested["suppressed"].astype(bool)] if len(tested) else tested
    scanned = int(gaps["pairs"].sum()) if len(gaps) else 0
    for _, gap in gaps.iterrows():
        adjusted = min(1.0, float(gap["p_value"]) * scanned)
        rows.append(
            _comparison(
                "findings.country_gap",
                gap,
                _size(gap, gap["sd"]),
                adjusted,
                item=gap["item"],
                grouping="country",
            )
        )
    rows += _content_finding(content)
    return _ranked(rows)
