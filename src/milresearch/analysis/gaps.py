"""The tests key findings rest on: the leading channel, and the gaps between groups.

A comparison is claimed only when a design-based test of the difference says so
(:mod:`milresearch.analysis.contrasts`), never because two intervals happen not to meet.

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
from milresearch.settings import load_settings

ALPHA = 0.05
"""Two-sided significance level of every test a finding rests on."""


SHARE_SD = 0.5
"""Unit of a share's size: the largest SD a share can have, so 50 points is one unit and gaps
in shares rank by percentage points."""


def verdict_of(test: pd.Series, p_value: float | None = None) -> str:
    """``more``, ``less`` or ``same``: what a test (one row of ``tests``) lets a finding say."""
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


def _tested(test: pd.DataFrame, name: str, **labels) -> pd.DataFrame:
    return test.assign(test=name, **labels)


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
    test = test.assign(first=first, second=second, verdict=verdict_of(test.iloc[0]))
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
