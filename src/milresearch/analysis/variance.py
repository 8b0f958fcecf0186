"""The sample design and the Taylor-linearised variance of ratio estimators.

The conventions (strata, PSUs, lonely PSUs, domains, degrees of freedom) are R's ``survey``
package's, written out in :mod:`milresearch.analysis.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

LONELY_PSU = "adjust"
"""Single-PSU strata: ``"adjust"`` (R ``survey.lonely.psu = "adjust"``) or ``"remove"``."""
LONELY_RULES = ("adjust", "remove")


@dataclass(frozen=True)
class Design:
    """Weights, strata and PSUs of a sample, as integer codes for fast grouping."""

    weight: np.ndarray
    """Weight per row."""
    stratum: np.ndarray
    """Stratum code per row."""
    psu: np.ndarray
    """PSU code per row (unique across strata)."""
    psu_stratum: np.ndarray
    """Stratum code per PSU."""
    psus_in_stratum: np.ndarray
    """Number of PSUs per stratum code."""

    @property
    def n_psu(self) -> int:
        """Number of PSUs in the design."""
        return len(self.psu_stratum)

    @property
    def n_strata(self) -> int:
        """Number of strata in the design."""
        return len(self.psus_in_stratum)


def make_design(
    df: pd.DataFrame, weight: str, strata: str | None = None, psu: str | None = None
) -> Design:
    """Encode a data frame's weight, stratum and PSU columns.

    Raises:
        ValueError: If a weight is missing, negative or infinite.
    """
    w = pd.to_numeric(df[weight], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise ValueError(
            f"column {weight!r}: {int(bad.sum())} of {len(w)} rows have a missing, negative "
            "or infinite weight"
        )
    n = len(df)
    if strata is None:
        h = np.zeros(n, dtype=np.int64)
    else:
        h = pd.factorize(df[strata], use_na_sentinel=False)[0].astype(np.int64)
    if psu is None:
        c = np.arange(n, dtype=np.int64)
    else:
        raw = pd.factorize(df[psu], use_na_sentinel=False)[0].astype(np.int64)
        c = pd.factorize(h * (int(raw.max(initial=0)) + 1) + raw)[0].astype(np.int64)
    n_psu = int(c.max(initial=-1)) + 1
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[c] = h
    psus_in_stratum = np.bincount(psu_stratum, minlength=int(h.max(initial=-1)) + 1)
    return Design(w, h, c, psu_stratum, psus_in_stratum)


@dataclass(frozen=True)
class _Scores:
    """Weighted sums per (PSU, domain) pair of ratio estimators sum(w·y_k) / sum(w)."""

    pair_psu: np.ndarray
    """PSU code of each (PSU, domain) pair with used rows."""
    pair_dom: np.ndarray
    """Domain code of each pair."""
    x_pair: np.ndarray
    """Sum of weights per pair (the denominator's PSU total)."""
    y_pair: sparse.csr_array
    """Weighted numerators per pair, pairs x estimators of a domain."""
    estimate: np.ndarray
    """Ratio estimates, domains x estimators."""
    total_weight: np.ndarray
    """Weighted denominator per domain."""


_CHUNK = 1 << 19
"""Cells per block of dense score totals (bounds memory and reuses it)."""


def _group_sum(codes: np.ndarray, values, n_groups: int) -> np.ndarray:
    """Sum the rows of a 2-D array (dense or sparse) by group code."""
    m = sparse.csr_array(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_groups, len(codes))
    )
    out = m @ values
    out = out.toarray() if sparse.issparse(out) else np.asarray(out)
    return out.reshape(n_groups, values.shape[1])


def ratio_scores(
    design: Design,
    dom: np.ndarray,
    col: np.ndarray,
    value: np.ndarray,
    n_dom: int,
    n_col: int,
) -> _Scores:
    """Estimates and pair totals of sum(w·value·[col=k]) / sum(w) within each domain.

    Rows with ``dom < 0`` or ``col < 0`` are used by no estimator but stay in the design.
    """
    idx = np.flatnonzero((dom >= 0) & (col >= 0))
    w = design.weight[idx]
    pair, pair_key = pd.factorize(design.psu[idx] * n_dom + dom[idx])
    pair_key = np.asarray(pair_key, dtype=np.int64)
    n_pairs = len(pair_key)
    pair_psu, pair_dom = pair_key // max(n_dom, 1), pair_key % max(n_dom, 1)
    x_pair = np.bincount(pair, w, minlength=n_pairs)
    y_pair = sparse.csr_array((w * value[idx], (pair, col[idx])), shape=(n_pairs, n_col))
    y_pair.sum_duplicates()
    x_dom = np.bincount(pair_dom, x_pair, minlength=n_dom)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = _group_sum(pair_dom, y_pair, n_dom) / x_dom[:, None]
    return _Scores(pair_psu, pair_dom, x_pair, y_pair, estimate, x_dom)


def _check_lonely_rule(lonely_psu: str) -> None:
    if lonely_psu not in LONELY_RULES:
        raise ValueError(f"lonely_psu must be one of {LONELY_RULES}, not {lonely_psu!r}")


def _stratum_scale(n_h: np.ndarray, lonely_psu: str) -> np.ndarray:
    """n_h / (n_h - 1) per stratum; a lonely PSU's stratum counts once ("adjust") or not at all."""
    return np.where(n_h == 1, 1.0 if lonely_psu == "adjust" else 0.0, n_h / np.maximum(n_h - 1, 1))


def variance(
    design: Design, scores: _Scores, lonely_psu: str = LONELY_PSU, *, full: bool = False
) -> np.ndarray:
    """Design variances (domains x estimators), or the covariance matrix of one domain's.

    The linearised score of a row is w·(y - R)/sum(w) within its domain. Within each stratum,
    PSU score totals are centred at their mean over all the stratum's PSUs (PSUs without
    domain rows have total zero) and scaled by n_h / (n_h - 1); lonely PSUs follow
    ``lonely_psu``.
    """
    _check_lonely_rule(lonely_psu)
    n_dom, n_est = scores.estimate.shape
    n_strata, n_hd = design.n_strata, design.n_strata * n_dom
    if full and n_dom != 1:
        raise ValueError("a full covariance matrix is computed for one domain only")
    hd = design.psu_stratum[scores.pair_psu] * n_dom + scores.pair_dom
    d_of_hd = np.tile(np.arange(n_dom), n_strata)
    estimate = np.nan_to_num(scores.estimate)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_total = np.where(scores.total_weight > 0, 1 / scores.total_weight, 0.0)
    # Sums of score totals per stratum and domain, from the linear form (Y - R·X) / X_d.
    x_hd = np.bincount(hd, scores.x_pair, minlength=n_hd)
    y_hd = _group_sum(hd, scores.y_pair, n_hd)
    zsum = (y_hd - estimate[d_of_hd] * x_hd[:, None]) * inv_total[d_of_hd][:, None]
    n_h = design.psus_in_stratum[np.repeat(np.arange(n_strata), n_dom)].astype("float64")
    absent = n_h - np.bincount(hd, minlength=n_hd)
    lonely = n_h == 1
    centre = zsum / n_h[:, None]
    if lonely_psu == "adjust":
        grand = zsum.reshape(n_strata, n_dom, n_est).sum(axis=0) / design.n_psu
        centre[lonely] = grand[d_of_hd[lonely]]
    scale = _stratum_scale(n_h, lonely_psu)
    out = np.zeros((n_est, n_est) if full else (n_hd, n_est))
    step = max(1, _CHUNK // max(n_est, 1))
    for a in range(0, len(hd), step):
        b = min(a + step, len(hd))
        d, g = scores.pair_dom[a:b], hd[a:b]
        z = scores.y_pair[a:b].toarray()
        z -= estimate[d] * scores.x_pair[a:b, None]
        z *= inv_total[d][:, None]
        z -= centre[g]
        if full:
            # einsum, not BLAS: threaded BLAS on tall, thin blocks is slow on small machines.
            out += np.einsum("ij,ik->jk", z, z * scale[g][:, None])
        else:
            out += _group_sum(g, z * z, n_hd)
    if full:
        return out + centre.T @ (centre * (scale * absent)[:, None])
    out += absent[:, None] * centre**2
    return (scale[:, None] * out).reshape(n_strata, n_dom, n_est).sum(axis=0)


def score_variance(design: Design, scores: np.ndarray, lonely_psu: str = LONELY_PSU) -> float:
    """Design variance of the total of per-row linearised scores (R ``svyrecvar``).

    PSU totals of ``scores`` are centred and scaled within strata as for every estimate here
    (lonely PSUs follow ``lonely_psu``), so a contrast of estimates, whose score is the same
    contrast of theirs, gets the variance ``svycontrast`` gives. This is :func:`variance` for
    one domain whose every PSU is present, written out densely: it runs once per tested
    difference.
    """
    _check_lonely_rule(lonely_psu)
    totals = np.bincount(design.psu, scores, minlength=design.n_psu)
    n_h = design.psus_in_stratum.astype("float64")
    centre = np.bincount(design.psu_stratum, totals, minlength=design.n_strata) / n_h
    if lonely_psu == "adjust":
        centre[n_h == 1] = totals.sum() / design.n_psu
    scale = _stratum_scale(n_h, lonely_psu)
    deviation = totals - centre[design.psu_stratum]
    return float((scale[design.psu_stratum] * deviation * deviation).sum())


def subset_degrees_of_freedom(design: Design, inside: np.ndarray) -> float:
    """PSUs minus strata among the rows ``inside`` with a nonzero weight (R ``degf(subset)``)."""
    used = inside & (design.weight != 0)
    return float(len(np.unique(design.psu[used])) - len(np.unique(design.stratum[used])))


def split_domains(df: pd.DataFrame, by) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """The by-columns, a table of domain keys, and each row's domain code (-1: no domain)."""
    if by is None:
        return [], pd.DataFrame(index=[0]), np.zeros(len(df), dtype=np.int64)
    by = [by] if isinstance(by, str) else list(by)
    # Grouping only the by-columns: grouping the whole table copies every other column.
    grouped = df[by].groupby(by, sort=True, dropna=True, observed=True)
    codes = grouped.ngroup().fillna(-1).to_numpy(dtype=np.int64)
    keys = grouped.size().index.to_frame(index=False)
    return by, keys, codes


def degrees_of_freedom(
    design: Design, dom: np.ndarray, n_dom: int, valid: np.ndarray
) -> np.ndarray:
    """PSUs minus strata among each domain's valid rows with a nonzero weight.

    R ``degf(subset(design, !is.na(x) & domain))``: a PSU (or stratum) counts only if some row
    of it is in the domain, has a nonzero weight and a valid value of the analysed column.
    """
    inside = (dom >= 0) & (design.weight != 0) & valid
    d = dom[inside]
    psus = pd.unique(design.psu[inside] * n_dom + d) % max(n_dom, 1)
    strata = pd.unique(design.stratum[inside] * n_dom + d) % max(n_dom, 1)
    return (np.bincount(psus, minlength=n_dom) - np.bincount(strata, minlength=n_dom)).astype(
        "float64"
    )
