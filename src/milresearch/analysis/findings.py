"""Key findings as data: which statements the estimates support, tested, and ranked by size.

A comparison is claimed only when a design-based test of the difference says so
(:mod:`milresearch.analysis.contrasts`), never because two intervals happen not to meet; a
difference that is not significant is said as a tie. The findings step returns two frames:

- ``tests``: every difference it tested, with the contrast, its interval and p-value;
- ``findings``: one row per statement, with its message key, the numbers it quotes, and the
  verdict of its test. Significant differences come first, largest (standardised) first; then
  the levels of single estimates, the ties, what circulates and the country context.

Group gaps are searched: for each item and grouping, the highest and the lowest group are
compared. Because the pair is picked from the data, its p-value is multiplied by the number
of pairs scanned (Bonferroni), so a gap is claimed only if it survives every pair looked at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from milresearch.analysis import country
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.inputs import ReportInputs
from milresearch.indicators import context_table
from milresearch.settings import load_settings

ALPHA = 0.05
"""Two-sided significance level of every test a finding rests on."""
MAX_GAPS = 2
"""Largest group gaps a report states."""
MAX_CHANGES = 4
"""Largest changes since the previous wave a report states among its key findings."""
SHARE_SD = 0.5
"""Unit of a share's size: the largest SD a share can have, so 50 points is one unit and gaps
in shares rank by percentage points."""
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


def _verdict(test: pd.Series, p_value: float | None = None) -> str:
    p = test["p_value"] if p_value is None else p_value
    if test["suppressed"] or not np.isfinite(p) or p >= ALPHA:
        return "same"
    return "more" if test["difference"] > 0 else "less"


def _sd(values: pd.Series, weights: pd.Series) -> float:
    """Weighted standard deviation of the valid values (the unit a size is measured in)."""
    y = pd.to_numeric(values, errors="coerce").astype("float64")
    ok = y.notna() & (weights > 0)
    if ok.sum() < 2:
        return float("nan")
    w, y = weights[ok].to_numpy(float), y[ok].to_numpy(float)
    mean = (w * y).sum() / w.sum()
    return float(np.sqrt((w * (y - mean) ** 2).sum() / w.sum()))


def _size(test: pd.Series, sd: float) -> float:
    """Standardised difference |a - b| / SD, so gaps on different scales can be ranked.

    A mean's SD is its weighted SD in the whole sample; a share's is :data:`SHARE_SD`.
    """
    return float(abs(test["difference"]) / sd) if sd and np.isfinite(sd) else float("nan")


def _tested(test: pd.DataFrame, name: str, **labels) -> pd.DataFrame:
    return test.assign(test=name, **labels)


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
    verdict = _verdict(test, p_value)
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


def leader(
    inputs: ReportInputs, design: SurveyDesign, est: pd.DataFrame, name: str = "leader"
) -> pd.DataFrame:
    """The highest share of ``est`` against the next one, tested among the same respondents.

    A chart's title states this test's result: a lead where it is significant, a tie where not.
    """
    shown = est[~est["suppressed"].astype(bool)] if len(est) else est
    if len(shown) < 2 or "proportion" not in shown:
        return pd.DataFrame()
    # Only shares of items asked as such can be tested respondent by respondent; a derived row
    # (fact-checker use among all respondents) has no item column to count.
    asked = [i in design.data and bool(country.item_share(inputs, i)) for i in shown["item"]]
    shown = shown[asked].sort_values("proportion", ascending=False, kind="stable")
    if len(shown) < 2:
        return pd.DataFrame()
    first, second = shown["item"].iloc[0], shown["item"].iloc[1]
    hits = {
        f"_{k}": design.hits(item, country.item_share(inputs, item))
        for k, item in ((1, first), (2, second))
    }
    test = design.assign(**hits).items_difference("_1", "_2")
    test = test.assign(first=first, second=second, verdict=_verdict(test.iloc[0]))
    return _tested(test, name, item=first)


def media_leader(inputs: ReportInputs, design: SurveyDesign, media: pd.DataFrame) -> pd.DataFrame:
    """The most used daily channel against the next one, tested among the same respondents."""
    return leader(inputs, design, media, "media_leader")


def group_gaps(
    inputs: ReportInputs,
    design: SurveyDesign,
    shares_by_group: pd.DataFrame,
    mil_index: pd.DataFrame,
    codes: Mapping[str, Sequence[int]] | None = None,
) -> pd.DataFrame:
    """The highest against the lowest group of each item and grouping, tested.

    Args:
        inputs: The report's inputs (declared scales give the codes a share counts).
        design: The report's design.
        shares_by_group: Shares by group: ``item``, ``grouping``, ``group``, ``proportion``,
            ``suppressed`` (as the media section's ``by_group``).
        mil_index: The MIL index by group (the MIL section's ``index``), or empty.
        codes: Codes each share counts, where the report compares them on another footing
            than the item's own scale (the regional report's usual scale).

    Returns:
        Columns as :data:`milresearch.analysis.contrasts.COLUMNS`, plus ``item``, ``grouping``,
        ``scale`` (``share`` or ``mean``), ``pairs`` (pairs of groups the highest and lowest
        were picked from) and ``sd`` (the unit of the gap's size, see :func:`_size`).
    """
    scored = design
    blocks = []
    if len(shares_by_group):
        blocks.append((shares_by_group, "proportion", "share"))
    index = mil_index[mil_index["grouping"] != "all"] if len(mil_index) else mil_index
    if len(index):
        items = inputs.items("mil_skill")
        min_valid = load_settings().reports.mil_index_min_valid
        scored = country.mil_scores(design, items, min_valid)
        blocks.append((index, "mean", "mean"))
    found = []
    for frame, value, scale in blocks:
        shown = frame[~frame["suppressed"].astype(bool)]
        for (item, grouping), block in shown.groupby(["item", "grouping"], sort=True):
            if len(block) < 2:
                continue
            high, low = block.loc[block[value].idxmax()], block.loc[block[value].idxmin()]
            column = str(item)
            work = scored
            if scale == "share":
                counted = codes[column] if codes else country.item_share(inputs, column)
                work = scored.assign(_hit=scored.hits(column, counted))
                column = "_hit"
            test = work.difference(column, str(grouping), (high["group"], low["group"]))
            k = len(block)
            found.append(
                test.assign(
                    first=high["group"],
                    second=low["group"],
                    item=item,
                    grouping=grouping,
                    scale=scale,
                    pairs=k * (k - 1) // 2,
                    sd=SHARE_SD
                    if scale == "share"
                    else _sd(work.data[column], work.data[work.weight]),
                )
            )
    return (
        pd.concat(found, ignore_index=True).assign(test="group_gap") if found else pd.DataFrame()
    )


def _group_test(
    design: SurveyDesign, groups: pd.Series | None, column: str, name: str
) -> pd.DataFrame:
    if groups is None or column not in design.data or design.data[column].isna().all():
        return pd.DataFrame()
    test = design.assign(_group=groups).difference(column, "_group", ("yes", "no"))
    return _tested(
        test, name, item=column, sd=_sd(design.data[column], design.data[design.weight])
    )


def tests(
    inputs: ReportInputs,
    design: SurveyDesign,
    media: Mapping[str, pd.DataFrame],
    mil_index: pd.DataFrame,
) -> pd.DataFrame:
    """Every difference the findings rest on (see the module notes)."""
    scored = country.discernment_scores(inputs, design)
    parts = [
        media_leader(inputs, design, media["estimates"]),
        group_gaps(inputs, design, media["by_group"], mil_index),
        _group_test(scored, country.trained_groups(inputs, design), "discernment", "training"),
        _group_test(
            scored, country.self_assessment(inputs, design.data), "discernment", "self_assessment"
        ),
    ]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


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
            if _verdict(gap, adjusted) == "same":
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
        rows.append({
            "finding": "findings.change_more" if row["difference"] > 0 else "findings.change_less",
            "kind": "difference", "item": row["item"], "grouping": "wave",
            "first": row["latest"], "second": row["earlier"],
            "estimate": row["estimate_latest"], "other": row["estimate_earlier"],
            "difference": row["difference"], "diff_low": row["ci_low"],
            "diff_high": row["ci_high"], "p_value": row["p_holm"],
            "size": abs(float(row["difference"])) / SHARE_SD,
        })  # fmt: skip
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
    return [{"finding": "findings.content", "kind": "content", "count": false, "total": total,
             "estimate": false / total}]  # fmt: skip


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
        rows.append(_comparison("findings.country_gap", gap, _size(gap, gap["sd"]), adjusted,
                                item=gap["item"], grouping="country"))  # fmt: skip
    rows += _content_finding(content)
    return _ranked(rows)
