"""MIL-specific measures: reliability, the composite index, headline discernment, d′ and c."""

from __future__ import annotations

import pandas as pd
from scipy import stats as st


def cronbach_alpha(df: pd.DataFrame, items: list[str]) -> float:
    """Cronbach's alpha of an item battery, with listwise deletion of incomplete rows."""
    block = df[items].astype("float64").dropna()
    k = len(items)
    if k < 2 or len(block) < 2:
        return float("nan")
    item_var = block.var(axis=0, ddof=1).sum()
    total_var = block.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var)) if total_var > 0 else float("nan")


def mil_index(df: pd.DataFrame, items: list[str], *, min_valid: int = 5) -> pd.Series:
    """Mean of z-standardised items; NA where fewer than ``min_valid`` items are answered.

    Items are standardised with their unweighted mean and SD over the rows passed in, so the
    index is relative to that sample (compare countries only after checking invariance).
    """
    block = df[items].astype("float64")
    z = (block - block.mean()) / block.std(ddof=1)
    valid = block.notna().sum(axis=1)
    return z.mean(axis=1).where(valid >= min_valid)


def headline_discernment(
    df: pd.DataFrame, true_items: list[str], false_items: list[str]
) -> pd.Series:
    """Mean accuracy rating of true headlines minus that of false ones (NA without both kinds)."""
    true_mean = df[true_items].astype("float64").mean(axis=1)
    false_mean = df[false_items].astype("float64").mean(axis=1)
    return true_mean - false_mean


def signal_detection(
    df: pd.DataFrame, true_items: list[str], false_items: list[str], *, threshold: int = 3
) -> pd.DataFrame:
    """Hit and false-alarm rates, d′ and criterion c on ratings binarised at ``threshold``.

    A rating at or above the threshold counts as "judged accurate". Rates use the log-linear
    correction (Hautus 1995): add 0.5 to the counts and 1 to the numbers of trials, so that
    perfect scores give finite z values.
    """
    true_block = df[true_items].astype("float64")
    false_block = df[false_items].astype("float64")
    hits = (true_block >= threshold).sum(axis=1)
    alarms = (false_block >= threshold).sum(axis=1)
    n_true = true_block.notna().sum(axis=1)
    n_false = false_block.notna().sum(axis=1)
    hit_rate = ((hits + 0.5) / (n_true + 1)).where(n_true > 0)
    fa_rate = ((alarms + 0.5) / (n_false + 1)).where(n_false > 0)
    z_hit = st.norm.ppf(hit_rate.to_numpy(dtype="float64"))
    z_fa = st.norm.ppf(fa_rate.to_numpy(dtype="float64"))
    return pd.DataFrame(
        {
            "hit_rate": hit_rate,
            "false_alarm_rate": fa_rate,
            "dprime": z_hit - z_fa,
            "criterion": -(z_hit + z_fa) / 2,
        },
        index=df.index,
    )
