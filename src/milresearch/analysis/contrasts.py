"""Design-based differences between two estimates, tested: what a finding may claim.

Two kinds, each matched against R's ``survey`` package (``tests/fixtures/stats/reference.R``):

- :func:`domain_difference`: the mean of one column (a share, when it is 0/1) in two domains,
  e.g. trained against untrained respondents. R: ``svyby(~y, ~g, design, svymean, na.rm=TRUE,
  covmat=TRUE)`` then ``svycontrast(., c(a = 1, b = -1))``.
- :func:`item_difference`: the means of two columns among the same respondents, each over its
  own valid answers, e.g. daily use of two channels. R: ``svyratio(~y1_0 + y2_0, ~v1 + v2,
  design, covmat=TRUE)`` (``y_0`` the value or 0, ``v`` 1 where it is valid) and the contrast
  of ``y1_0/v1`` and ``y2_0/v2`` with its ``vcov``.

The domains of a domain difference share the full design's PSUs, so the two estimates are
correlated and the SE of their difference is not the root of the sum of their variances.
Intervals and p-values use Student t with the degrees of freedom of the rows either estimate
uses (R ``degf(subset(design, ...))``), as the module :mod:`milresearch.analysis.stats` does
for one estimate. A difference where either side's base, unweighted or effective, is below
``min_n`` is suppressed: a test on a cell the report does not show is not shown either.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

from milresearch.analysis.variance import (
    LONELY_PSU,
    Design,
    make_design,
    score_variance,
    subset_degrees_of_freedom,
)

COLUMNS = [
    "first",
    "second",
    "estimate_first",
    "estimate_second",
    "n_first",
    "n_second",
    "difference",
    "se",
    "df",
    "ci_low",
    "ci_high",
    "p_value",
    "suppressed",
]
"""Columns of every difference table; ``first`` and ``second`` name the two sides."""
BLANKED = ["estimate_first", "estimate_second", "difference", "se", "ci_low", "ci_high", "p_value"]


@dataclass(frozen=True)
class _Mean:
    """A weighted mean over some rows, with its per-row linearised score."""

    estimate: float
    score: np.ndarray
    used: np.ndarray
    n: int
    deff: float


def _mean(design: Design, y: np.ndarray, inside: np.ndarray, lonely_psu: str) -> _Mean:
    used = inside & np.isfinite(y) & (design.weight > 0)
    w, values = design.weight[used], y[used]
    total = w.sum()
    n = int(used.sum())
    score = np.zeros(len(y))
    if total <= 0:
        return _Mean(float("nan"), score, used, n, float("nan"))
    mean = float((w * values).sum() / total)
    score[used] = w * (values - mean) / total
    variance = score_variance(design, score, lonely_psu)
    # Design effect against SRS with replacement of the same n (R deff="replace").
    s2 = (w * (values - mean) ** 2).sum() / total * n / (n - 1) if n > 1 else float("nan")
    deff = variance / (s2 / n) if n > 1 and s2 > 0 else float("nan")
    return _Mean(mean, score, used, n, deff)


def _too_small(side: _Mean, min_n: int | None) -> bool:
    if min_n is None:
        return False
    effective = side.n / side.deff if np.isfinite(side.deff) and side.deff > 0 else side.n
    return side.n < min_n or effective < min_n


def _contrast(
    design: Design,
    names: tuple[str, str],
    sides: tuple[_Mean, _Mean],
    level: float,
    min_n: int | None,
    lonely_psu: str,
) -> dict:
    """One row of :data:`COLUMNS`: the difference of two means, with its test."""
    first, second = sides
    difference = first.estimate - second.estimate
    se = float(np.sqrt(score_variance(design, first.score - second.score, lonely_psu)))
    dfree = subset_degrees_of_freedom(design, first.used | second.used)
    low = high = p_value = float("nan")
    if dfree >= 1 and np.isfinite(se):
        t = _quantile(0.5 + level / 2, dfree)
        low, high = difference - t * se, difference + t * se
        if se > 0:
            p_value = float(2 * st.t.sf(abs(difference) / se, dfree))
    row = {
        "first": names[0],
        "second": names[1],
        "estimate_first": first.estimate,
        "estimate_second": second.estimate,
        "n_first": first.n,
        "n_second": second.n,
        "difference": difference,
        "se": se,
        "df": dfree,
        "ci_low": low,
        "ci_high": high,
        "p_value": p_value,
        "suppressed": _too_small(first, min_n) or _too_small(second, min_n),
    }
    if row["suppressed"]:
        row.update(dict.fromkeys(BLANKED, float("nan")))
    return row


@functools.lru_cache(maxsize=256)
def _quantile(q: float, dfree: float) -> float:
    """Student t quantile; a report tests hundreds of differences on a few distinct df."""
    return float(st.t.ppf(q, dfree))


def _numeric(df: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(df[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def domain_difference(
    df: pd.DataFrame,
    column: str,
    *,
    by: str,
    groups: tuple[object, object],
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    level: float = 0.95,
    min_n: int | None = None,
    lonely_psu: str = LONELY_PSU,
) -> pd.DataFrame:
    """Mean of ``column`` in domain ``groups[0]`` minus that in ``groups[1]`` of ``by``.

    Rows outside both domains, or missing ``column``, stay in the design (as in ``svyby``).

    Returns:
        One row with :data:`COLUMNS`; ``first`` and ``second`` are the two groups.
    """
    return domain_differences(
        df,
        [(column, *groups)],
        by=by,
        weight=weight,
        strata=strata,
        psu=psu,
        level=level,
        min_n=min_n,
        lonely_psu=lonely_psu,
    ).drop(columns="column")


def domain_differences(
    df: pd.DataFrame,
    pairs: Sequence[tuple[str, object, object]],
    *,
    by: str,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    level: float = 0.95,
    min_n: int | None = None,
    lonely_psu: str = LONELY_PSU,
) -> pd.DataFrame:
    """:func:`domain_difference` for many (column, first group, second group), one design.

    Returns:
        One row per pair: ``column`` then :data:`COLUMNS`.
    """
    design = make_design(df, weight, strata, psu)
    key = df[by]
    # Many pairs share a column or a group: each is read once.
    values = functools.cache(lambda column: _numeric(df, column))
    domain = functools.cache(lambda g: (key == g).to_numpy(dtype=bool, na_value=False))
    rows = []
    for column, *groups in pairs:
        sides = tuple(_mean(design, values(column), domain(g), lonely_psu) for g in groups)
        names = (str(groups[0]), str(groups[1]))
        row = _contrast(design, names, sides, level, min_n, lonely_psu)  # type: ignore[arg-type]
        rows.append({"column": column, **row})
    return pd.DataFrame(rows, columns=["column", *COLUMNS])


def item_difference(
    df: pd.DataFrame,
    first: str,
    second: str,
    *,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    level: float = 0.95,
    min_n: int | None = None,
    lonely_psu: str = LONELY_PSU,
) -> pd.DataFrame:
    """Mean of column ``first`` minus mean of column ``second``, among the same respondents.

    Each mean is over its own valid answers, as the report shows it.

    Returns:
        One row with :data:`COLUMNS`; ``first`` and ``second`` are the two columns.
    """
    design = make_design(df, weight, strata, psu)
    everyone = np.ones(len(df), dtype=bool)
    sides = tuple(_mean(design, _numeric(df, c), everyone, lonely_psu) for c in (first, second))
    row = _contrast(design, (first, second), sides, level, min_n, lonely_psu)  # type: ignore[arg-type]
    return pd.DataFrame([row], columns=COLUMNS)
