"""Bases and disclosure: the small-cell rule, effective sizes, weights and margins of error."""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSION_NOTE = "Estimates with an unweighted or effective base below {min_n} are suppressed."
ESTIMATE_COLUMNS = ("proportion", "mean", "se", "ci_low", "ci_high", "deff")
"""Columns that :func:`suppress` blanks."""


def suppress(
    table: pd.DataFrame,
    *,
    min_n: int = 30,
    n_col: str = "n_base",
    value_cols: list[str] | None = None,
) -> pd.DataFrame:
    """Blank every estimate whose unweighted or effective base is below ``min_n``.

    The effective base is ``n / deff`` where the table has a finite, positive ``deff``.

    Args:
        table: Estimates with an unweighted base column.
        min_n: Smallest base that is published.
        n_col: The unweighted base column.
        value_cols: Columns to blank; by default those of :data:`ESTIMATE_COLUMNS` present.

    Returns:
        A copy with a boolean ``suppressed`` column; suppressed estimates are NaN.
    """
    out = table.copy()
    n = out[n_col].astype("float64").to_numpy()
    if "deff" in out:
        deff = out["deff"].astype("float64").to_numpy()
    else:
        deff = np.full(len(out), np.nan)
    ok = np.isfinite(deff) & (deff > 0)
    effective = np.divide(n, deff, out=n.copy(), where=ok)
    out["suppressed"] = (n < min_n) | (effective < min_n)
    if value_cols is None:
        value_cols = [c for c in ESTIMATE_COLUMNS if c in out]
    # Column by column: a .loc write of a mask and a column list costs 4 ms a table.
    keep = ~out["suppressed"].to_numpy()
    for column in value_cols:
        out[column] = out[column].where(keep)
    return out


def kish_effective_n(weights) -> float:
    """Kish's effective sample size, (Σw)² / Σw²."""
    w = np.asarray(weights, dtype="float64")
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) else float("nan")


def weight_summary(df: pd.DataFrame, weight: str, by: str = "country") -> pd.DataFrame:
    """Size, range, max/min ratio, mean and Kish effective n of the weights per group.

    Returns:
        One row per group: ``by``, ``n``, ``min``, ``max``, ``mean``, ``ratio`` (max/min),
        ``kish_n_eff`` and ``deff_weights`` (n / kish_n_eff).

    Raises:
        ValueError: If any weight is missing, non-positive or infinite; the message names the
            column and the number of offending rows.
    """
    w = pd.to_numeric(df[weight], errors="coerce").astype("float64")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        raise ValueError(
            f"column {weight!r}: {int(bad.sum())} of {len(w)} rows have a weight that is not "
            f"positive and finite ({int(w.isna().sum())} missing, {int((w <= 0).sum())} "
            f"zero or negative, {int(np.isinf(w).sum())} infinite)"
        )
    work = pd.DataFrame({by: df[by], "_w": w, "_w2": w**2})
    grouped = work.groupby(by, sort=True, observed=True)
    out = grouped["_w"].agg(n="size", min="min", max="max", mean="mean")
    out["ratio"] = out["max"] / out["min"]
    out["kish_n_eff"] = grouped["_w"].sum() ** 2 / grouped["_w2"].sum()
    out["deff_weights"] = out["n"] / out["kish_n_eff"]
    return out.reset_index()


def margin_of_error(
    p: float = 0.5, n: int | None = None, deff: float = 1.0, level: float = 0.95
) -> float:
    """Half-width of a normal-theory CI for a proportion, inflated by the design effect.

    ``z · sqrt(deff · p(1 - p) / n)`` in proportion units (0.031 is 3.1 points).

    Raises:
        TypeError: If ``n`` is not given.
    """
    if n is None:
        raise TypeError("margin_of_error() needs the sample size n")
    # Imported here: scipy.stats takes a second to import, and the cleaning step (which runs
    # in every build) uses this module without it.
    from scipy import stats as st

    z = st.norm.ppf(0.5 + level / 2)
    return float(z * np.sqrt(deff * p * (1 - p) / n))


def describe_margin_of_error(
    n: int, deff: float = 1.0, level: float = 0.95, p: float = 0.5
) -> str:
    """E.g. '±3.1 percentage points at 95% confidence for n = 1,000 with a design effect of 1.00'."""
    moe = margin_of_error(p, n, deff, level) * 100
    return (
        f"±{moe:.1f} percentage points at {level * 100:g}% confidence for n = {n:,} "
        f"with a design effect of {deff:.2f}"
    )
