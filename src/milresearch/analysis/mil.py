"""MIL-specific measures: reliability, the composite index, headline discernment, d′ and c."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st


def cronbach_alpha(df: pd.DataFrame, items: list[str]) -> float:
    """Cronbach's alpha of an item battery, with listwise deletion of incomplete rows.

    ``k / (k - 1) · (1 - Σ var(item) / var(Σ items))`` with sample variances (ddof=1), the
    ``raw_alpha`` of R ``psych::alpha`` on complete cases. NaN with fewer than two items or
    two complete rows, or when the total score does not vary.
    """
    block = df[items].apply(pd.to_numeric, errors="coerce").astype("float64").dropna()
    k = len(items)
    if k < 2 or len(block) < 2:
        return float("nan")
    item_var = block.var(axis=0, ddof=1).sum()
    total_var = block.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var)) if total_var > 0 else float("nan")


def mil_index(df: pd.DataFrame, items: list[str], *, min_valid: int = 5) -> pd.Series:
    """Mean of z-standardised items; NA where fewer than ``min_valid`` items are answered.

    Each item is standardised with its unweighted mean and sample SD (ddof=1) over the
    non-missing rows passed in, so the index is relative to that sample (compare countries
    only after checking invariance). An item that does not vary counts as missing.
    """
    block = df[items].apply(pd.to_numeric, errors="coerce").astype("float64")
    sd = block.std(ddof=1)
    z = (block - block.mean()) / sd.where(sd > 0)
    valid = z.notna().sum(axis=1)
    return z.mean(axis=1).where(valid >= min_valid).rename("mil_index")


def headline_discernment(
    df: pd.DataFrame, true_items: list[str], false_items: list[str]
) -> pd.Series:
    """Mean accuracy rating (1-4) of true headlines minus that of false ones.

    Each mean is over the respondent's rated items; NA unless at least one true and one false
    headline were rated.
    """
    true_mean = df[true_items].apply(pd.to_numeric, errors="coerce").mean(axis=1)
    false_mean = df[false_items].apply(pd.to_numeric, errors="coerce").mean(axis=1)
    return (true_mean - false_mean).rename("discernment")


def signal_detection(
    df: pd.DataFrame, true_items: list[str], false_items: list[str], *, threshold: int = 3
) -> pd.DataFrame:
    """Hit and false-alarm rates, d′ and criterion c on ratings binarised at ``threshold``.

    A rating at or above the threshold counts as "judged accurate": a hit for a true
    headline, a false alarm for a false one. Rates use the log-linear correction (Hautus
    1995): H = (hits + 0.5) / (rated true + 1) and F = (false alarms + 0.5) / (rated false + 1),
    so perfect scores give finite z values. d′ = z(H) - z(F) and c = -(z(H) + z(F)) / 2. A
    rate is NA when no headline of its kind was rated, and then so are d′ and c.
    """
    true_block = df[true_items].apply(pd.to_numeric, errors="coerce")
    false_block = df[false_items].apply(pd.to_numeric, errors="coerce")
    hits = (true_block >= threshold).sum(axis=1)
    alarms = (false_block >= threshold).sum(axis=1)
    n_true = true_block.notna().sum(axis=1)
    n_false = false_block.notna().sum(axis=1)
    hit_rate = np.where(n_true > 0, (hits + 0.5) / (n_true + 1), np.nan)
    fa_rate = np.where(n_false > 0, (alarms + 0.5) / (n_false + 1), np.nan)
    z_hit, z_fa = st.norm.ppf(hit_rate), st.norm.ppf(fa_rate)
    return pd.DataFrame(
        {
            "hit_rate": hit_rate,
            "false_alarm_rate": fa_rate,
            "dprime": z_hit - z_fa,
            "criterion": -(z_hit + z_fa) / 2,
        },
        index=df.index,
    )
