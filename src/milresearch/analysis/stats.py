"""Design-based survey estimates: proportions, means, cross-tabs, suppression, margins of error.

Conventions, each matched against R's ``survey`` package in ``tests/fixtures/stats/``:

- Design: ``svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE)``. PSU labels are
  taken within strata. Without ``psu`` every row is its own PSU; without ``strata`` there is
  one stratum.
- Variance: Taylor linearisation of the ratio estimator; PSUs sampled with replacement within
  strata, no finite population correction (``svymean``).
- Missing values of the analysed column are left out of numerator and denominator, but their
  rows stay in the design (``na.rm=TRUE``). Rows with a zero weight are outside the sample for
  the unweighted counts and design effects, as in R.
- Domains (``by``) are domains of the full design: rows outside a domain contribute zero to
  their PSU's total, and PSUs without any domain rows still count, as in ``svyby``. Rows whose
  ``by`` key is missing belong to no domain but stay in the design.
- A stratum with one PSU follows ``options(survey.lonely.psu = "adjust")`` (:data:`LONELY_PSU`):
  the PSU's score total is centred at the grand mean of all PSU totals (the estimate's total
  divided by the number of PSUs) instead of a stratum mean, with no ``n/(n-1)`` factor. For
  means and proportions that grand mean is zero, so survey 4.1 (centring at zero) and later
  versions agree. ``lonely_psu="remove"`` drops such strata from the variance.
- Confidence intervals use Student t with the degrees of freedom of the domain's valid
  answers: the number of PSUs minus the number of strata that hold at least one row that is
  in the domain, has a nonzero weight and has a valid (non-missing) value of the analysed
  column. A PSU, or a whole stratum, where nobody answered the item (not asked there, or all
  "hard to say") does not count. This is R's ``degf()`` of
  ``subset(design, !is.na(x) & domain)``, which ``svyciprop(~I(x == k), subset(design,
  !is.na(x)))``, ``svyby(~I(x == k), ~g, subset(design, !is.na(x)), svyciprop)`` and
  ``confint(svymean(~x, sub), df = degf(sub))`` use; without a domain it is
  ``degf(subset(design, !is.na(x)))``, not ``degf(design)`` (R's default df when
  ``svyciprop(..., na.rm=TRUE)`` is called on the full design). Without ``psu`` every row is a
  PSU, so the degrees of freedom are the valid respondents minus their strata. Point
  estimates and SEs do not depend on this: R's ``subset()`` keeps each stratum's number of
  PSUs of the full design, so a stratum left with one PSU with valid answers is centred and
  scaled as before, not treated as lonely (``survey.adjust.domain.lonely = FALSE``, R's
  default; the non-default ``TRUE`` is not matched). With fewer than one degree of freedom
  the interval is NaN, as R's. Cross-tabs give no intervals; their Rao-Scott ``ddf`` uses
  the PSUs and strata of the full design, as ``svychisq`` does.
  ``method="wald"`` is ``svyciprop(method="mean")``; ``method="logit"`` is
  ``svyciprop(method="logit")``, except at 0% and 100%, where R's logit and beta intervals are
  NaN or empty and :func:`edge_interval` gives the exact Korn-Graubard bounds with the
  unweighted base as effective size.
- Design effects (:data:`DEFF_SRS`) compare with simple random sampling with replacement of
  the same number of respondents: ``svymean(..., deff="replace")``. R's default
  (``deff=TRUE``) is SRS without replacement from a population of size sum(w); it is NaN
  when the weights sum to less than n, as weights scaled to a mean of 1 do, so it is
  available as ``deff_srs="wor"`` but is not the default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy import stats as st

LONELY_PSU = "adjust"
"""Single-PSU strata: ``"adjust"`` (R ``survey.lonely.psu = "adjust"``) or ``"remove"``."""
DEFF_SRS = "replace"
"""Design-effect baseline: ``"replace"`` (R ``deff="replace"``) or ``"wor"`` (R ``deff=TRUE``)."""
SUPPRESSION_NOTE = "Estimates with an unweighted or effective base below {min_n} are suppressed."
ESTIMATE_COLUMNS = ("proportion", "mean", "se", "ci_low", "ci_high", "deff")
"""Columns that :func:`suppress` blanks."""

_LONELY_RULES = ("adjust", "remove")
_DEFF_RULES = ("replace", "wor")


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


def _ratio_scores(
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


def _variance(
    design: Design, scores: _Scores, lonely_psu: str = LONELY_PSU, *, full: bool = False
) -> np.ndarray:
    """Design variances (domains x estimators), or the covariance matrix of one domain's.

    The linearised score of a row is w·(y - R)/sum(w) within its domain. Within each stratum,
    PSU score totals are centred at their mean over all the stratum's PSUs (PSUs without
    domain rows have total zero) and scaled by n_h / (n_h - 1); lonely PSUs follow
    ``lonely_psu``.
    """
    if lonely_psu not in _LONELY_RULES:
        raise ValueError(f"lonely_psu must be one of {_LONELY_RULES}, not {lonely_psu!r}")
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
        scale = np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
    else:
        scale = np.where(lonely, 0.0, n_h / np.maximum(n_h - 1, 1))
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
    contrast of theirs, gets the variance ``svycontrast`` gives.
    """
    totals = np.bincount(design.psu, scores, minlength=design.n_psu)
    one = _Scores(
        pair_psu=np.arange(design.n_psu),
        pair_dom=np.zeros(design.n_psu, dtype=np.int64),
        x_pair=np.zeros(design.n_psu),
        y_pair=sparse.csr_array(totals[:, None]),
        estimate=np.zeros((1, 1)),
        total_weight=np.ones(1),
    )
    return float(_variance(design, one, lonely_psu)[0, 0])


def subset_degrees_of_freedom(design: Design, inside: np.ndarray) -> float:
    """PSUs minus strata among the rows ``inside`` with a nonzero weight (R ``degf(subset)``)."""
    dom = np.where(inside, 0, -1)
    return float(_degrees_of_freedom(design, dom, 1, np.ones(len(dom), dtype=bool))[0])


def _domains(df: pd.DataFrame, by) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """The by-columns, a table of domain keys, and each row's domain code (-1: no domain)."""
    if by is None:
        return [], pd.DataFrame(index=[0]), np.zeros(len(df), dtype=np.int64)
    by = [by] if isinstance(by, str) else list(by)
    grouped = df.groupby(by, sort=True, dropna=True, observed=True)
    codes = grouped.ngroup().fillna(-1).to_numpy(dtype=np.int64)
    keys = grouped.size().index.to_frame(index=False)
    return by, keys, codes


def _degrees_of_freedom(
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


def edge_interval(estimate, n_base, dfree, level: float):
    """Exact (Clopper-Pearson) bounds for estimates of 0 or 1, Korn and Graubard's way.

    ``svyciprop(method="beta")`` takes the effective sample size from the variance, which is 0
    for a share of 0% or 100%: R then gives NaN. The fallback is the one of the US National
    Center for Health Statistics' standards for proportions (Parker et al. 2017): at 0 or 1
    the effective size is the unweighted base, adjusted to the design's degrees of freedom as
    ``svyciprop(method="beta")`` adjusts it, ``n * (qt(a/2, n - 1) / qt(a/2, df))^2``. A share
    of 0 gets ``[0, qbeta(1 - a/2, 1, n_eff)]``, a share of 1 ``[qbeta(a/2, n_eff, 1), 1]``.
    Elsewhere the result is NaN.
    """
    alpha = 1 - level
    n = np.asarray(n_base, dtype=float)
    dfree = np.where(np.asarray(dfree) >= 1, dfree, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = st.t.ppf(alpha / 2, np.where(n > 1, n - 1, np.nan)) / st.t.ppf(alpha / 2, dfree)
        n_eff = n * ratio**2
        upper_of_zero = st.beta.ppf(1 - alpha / 2, 1, n_eff)
        lower_of_one = st.beta.ppf(alpha / 2, n_eff, 1)
    zero, one = estimate <= 0, estimate >= 1
    low = np.where(zero, 0.0, np.where(one, lower_of_one, np.nan))
    high = np.where(zero, upper_of_zero, np.where(one, 1.0, np.nan))
    return low, high


def _interval(estimate, se, dfree, level: float, method: str, n_base=None):
    """Lower and upper bounds of a t interval (Wald or on the logit scale).

    On the logit scale, estimates of 0 or 1 get :func:`edge_interval` when ``n_base`` is
    given (the logit of 0 or 1 is infinite), else the estimate as both bounds.
    """
    if method not in ("wald", "logit"):
        raise ValueError(f"method must be 'wald' or 'logit', not {method!r}")
    dfree = np.where(np.asarray(dfree) >= 1, dfree, np.nan)
    t = st.t.ppf(0.5 + level / 2, dfree)
    if method == "wald":
        return estimate - t * se, estimate + t * se
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        logit = np.log(estimate / (1 - estimate))
        half = t * se / (estimate * (1 - estimate))
        low = 1 / (1 + np.exp(-(logit - half)))
        high = 1 / (1 + np.exp(-(logit + half)))
    edge = (estimate <= 0) | (estimate >= 1)
    if n_base is None:
        return np.where(edge, estimate, low), np.where(edge, estimate, high)
    edge_low, edge_high = edge_interval(estimate, n_base, dfree, level)
    return np.where(edge, edge_low, low), np.where(edge, edge_high, high)


def _srs_variance(s2, n, total_weight, deff_srs: str):
    """Variance of the mean under SRS of ``n`` respondents, given the unit variance ``s2``."""
    if deff_srs not in _DEFF_RULES:
        raise ValueError(f"deff_srs must be one of {_DEFF_RULES}, not {deff_srs!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        v = s2 / n
        if deff_srs == "wor":
            v = np.where(total_weight >= n, v * (total_weight - n) / total_weight, np.nan)
    return v


def _design_effect(var, srs):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(srs > 0, var / srs, np.nan)


def weighted_proportions(
    df: pd.DataFrame,
    column: str,
    *,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    by: str | list[str] | None = None,
    level: float = 0.95,
    method: str = "wald",
    min_n: int | None = None,
    lonely_psu: str = LONELY_PSU,
    deff_srs: str = DEFF_SRS,
) -> pd.DataFrame:
    """Weighted share of each category of ``column``, with design-based SEs and CIs.

    Equivalent to ``svyby(~I(column == k), ~by, design, svymean, na.rm=TRUE)`` for each
    category ``k``, with the intervals of ``svyby(~I(column == k), ~by, subset(design,
    !is.na(column)), svyciprop)`` (see the module notes for conventions).

    Args:
        df: Respondents, one row each.
        column: Categorical variable; missing values are left out of the base.
        weight: Weight column.
        strata: Stratum column, or None for one stratum.
        psu: PSU column (labels within strata), or None when each row is its own PSU.
        by: Domain column(s), or None for the whole sample.
        level: Confidence level.
        method: ``"wald"`` (``svyciprop(method="mean")``) or ``"logit"``.
        min_n: If given, :func:`suppress` the result at this base.
        lonely_psu: Rule for strata with one PSU (``"adjust"`` or ``"remove"``).
        deff_srs: Design-effect baseline (``"replace"`` or ``"wor"``).

    Returns:
        One row per domain and category: the ``by`` columns, ``category``, ``n`` (unweighted
        respondents in the category), ``n_base`` (unweighted valid respondents in the domain),
        ``proportion``, ``se``, ``ci_low``, ``ci_high``, ``deff``; plus ``suppressed`` when
        ``min_n`` is given.
    """
    design = make_design(df, weight, strata, psu)
    by_cols, domains, dom = _domains(df, by)
    codes, categories = pd.factorize(df[column], sort=True)
    n_dom, n_cat = len(domains), len(categories)
    col = np.where((dom >= 0) & (design.weight > 0), codes, -1)
    scores = _ratio_scores(design, dom, col, np.ones(len(df)), n_dom, n_cat)
    var = _variance(design, scores, lonely_psu)
    used = col >= 0
    n = np.bincount(dom[used] * n_cat + col[used], minlength=n_dom * n_cat)
    n_base = np.bincount(dom[used], minlength=n_dom)[:, None]
    p = scores.estimate
    se = np.where(n_base > 0, np.sqrt(var), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = p * (1 - p) * n_base / (n_base - 1)
    srs = _srs_variance(s2, n_base, scores.total_weight[:, None], deff_srs)
    dfree = _degrees_of_freedom(design, dom, n_dom, codes >= 0)
    low, high = _interval(p, se, dfree[:, None], level, method, n_base=n_base)
    result = domains.loc[np.repeat(np.arange(n_dom), n_cat), by_cols].reset_index(drop=True)
    result["category"] = np.tile(np.asarray(categories, dtype=object), n_dom)
    result["n"] = n
    result["n_base"] = np.repeat(n_base[:, 0], n_cat)
    for name, values in (
        ("proportion", p),
        ("se", se),
        ("ci_low", low),
        ("ci_high", high),
        ("deff", _design_effect(var, srs)),
    ):
        result[name] = np.broadcast_to(values, (n_dom, n_cat)).ravel().astype("float64")
    return suppress(result, min_n=min_n) if min_n is not None else result


def weighted_mean(
    df: pd.DataFrame,
    column: str,
    *,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    by: str | list[str] | None = None,
    level: float = 0.95,
    min_n: int | None = None,
    lonely_psu: str = LONELY_PSU,
    deff_srs: str = DEFF_SRS,
) -> pd.DataFrame:
    """Weighted mean of a numeric ``column`` with design-based SE, t CI and deff, by domain.

    Equivalent to ``svyby(~column, ~by, design, svymean, na.rm=TRUE)``, with t intervals on
    ``degf()`` of each domain of ``subset(design, !is.na(column))``; arguments as in
    :func:`weighted_proportions`.

    Returns:
        One row per domain: the ``by`` columns, ``n`` (unweighted valid respondents),
        ``mean``, ``se``, ``ci_low``, ``ci_high``, ``deff``; plus ``suppressed`` when ``min_n``
        is given (the base is ``n``).
    """
    design = make_design(df, weight, strata, psu)
    by_cols, domains, dom = _domains(df, by)
    n_dom = len(domains)
    y = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    used = (dom >= 0) & np.isfinite(y) & (design.weight > 0)
    d, w = dom[used], design.weight[used]
    n = np.bincount(d, minlength=n_dom)
    total = np.bincount(d, w, minlength=n_dom)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Centre at a first-pass mean so that PSU totals do not lose digits to a large level.
        offset = np.nan_to_num(np.bincount(d, w * y[used], minlength=n_dom) / total)
    centred = np.zeros(len(df))
    centred[used] = y[used] - offset[d]
    col = np.where(used, 0, -1)
    scores = _ratio_scores(design, dom, col, centred, n_dom, 1)
    var = _variance(design, scores, lonely_psu)[:, 0]
    shift = scores.estimate[:, 0]
    mean = offset + shift
    with np.errstate(divide="ignore", invalid="ignore"):
        ss = np.bincount(d, w * (centred[used] - shift[d]) ** 2, minlength=n_dom)
        s2 = ss / total * n / (n - 1)
    srs = _srs_variance(s2, n, total, deff_srs)
    se = np.where(n > 0, np.sqrt(var), np.nan)
    dfree = _degrees_of_freedom(design, dom, n_dom, np.isfinite(y))
    low, high = _interval(mean, se, dfree, level, "wald")
    result = domains[by_cols].reset_index(drop=True)
    result["n"] = n
    result["mean"] = mean
    result["se"] = se
    result["ci_low"] = low
    result["ci_high"] = high
    result["deff"] = _design_effect(var, srs)
    return suppress(result, min_n=min_n, n_col="n") if min_n is not None else result


@dataclass(frozen=True)
class CrossTab:
    """A weighted cross-tab and its design-based test of independence."""

    proportions: pd.DataFrame
    """Weighted cell shares of the valid total (rows x columns)."""
    column_percent: pd.DataFrame
    """Weighted column percentages: each column sums to 100."""
    weighted_counts: pd.DataFrame
    """Sums of weights per cell."""
    counts: pd.DataFrame
    """Unweighted counts per cell."""
    statistic: float
    """Rao-Scott second-order corrected F."""
    ndf: float
    """Numerator degrees of freedom (d0)."""
    ddf: float
    """Denominator degrees of freedom (d0 times the design df)."""
    p_value: float
    """Upper tail of F(ndf, ddf) at ``statistic``."""
    pearson: float
    """Pearson X² on the weighted table scaled to the number of rows."""


def weighted_crosstab(
    df: pd.DataFrame,
    row: str,
    col: str,
    *,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    lonely_psu: str = LONELY_PSU,
) -> CrossTab:
    """Weighted cross-tab of ``row`` by ``col`` with the Rao-Scott F test.

    Matches R ``svychisq(~row + col, design, statistic="F")``: Pearson's X² on the weighted
    table scaled to the number of rows, divided by the mean generalised design effect, on
    F(d0, d0·ν) with ν the design degrees of freedom. Rows missing either variable are left
    out of the table but stay in the design.
    """
    design = make_design(df, weight, strata, psu)
    ai, rows = pd.factorize(df[row], sort=True)
    bi, cols = pd.factorize(df[col], sort=True)
    nr, nc = len(rows), len(cols)
    if nr < 2 or nc < 2:
        raise ValueError(f"{row!r} and {col!r} need at least two categories each")
    valid = (ai >= 0) & (bi >= 0)
    cell = np.where(valid & (design.weight > 0), ai + nr * bi, -1)  # rows vary fastest, as R
    dom = np.zeros(len(df), dtype=np.int64)
    scores = _ratio_scores(design, dom, cell, np.ones(len(df)), 1, nr * nc)
    cov = _variance(design, scores, lonely_psu, full=True)
    mean = scores.estimate[0]
    n_all = len(df)
    nu = design.n_psu - design.n_strata
    table = mean.reshape(nc, nr).T * n_all
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    pearson = float(((table - expected) ** 2 / expected).sum())
    grid_r, grid_c = np.tile(np.arange(nr), nc), np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(grid_r == i).astype(float) for i in range(1, nr)]
        + [(grid_c == j).astype(float) for j in range(1, nc)]
    )
    inter = np.column_stack(
        [((grid_r == i) & (grid_c == j)).astype(float) for j in range(1, nc) for i in range(1, nr)]
    )
    q, _ = np.linalg.qr(main)
    contrast = inter - q @ (q.T @ inter)
    inv_d = np.diag(np.where(mean == 0, 0.0, 1 / np.where(mean == 0, 1.0, mean)))
    denom = contrast.T @ (inv_d / n_all) @ contrast
    numer = contrast.T @ inv_d @ cov @ inv_d @ contrast
    delta = np.linalg.solve(denom, numer)
    trace = float(np.trace(delta))
    d0 = trace**2 / float(np.trace(delta @ delta))
    f_stat = pearson / trace
    p_value = float(st.f.sf(f_stat, d0, d0 * nu))
    labels = dict(index=pd.Index(rows, name=row), columns=pd.Index(cols, name=col))
    props = pd.DataFrame(mean.reshape(nc, nr).T, **labels)
    used = cell >= 0
    wsum = np.bincount(cell[used], design.weight[used], minlength=nr * nc)
    counts = np.bincount(cell[used], minlength=nr * nc)
    return CrossTab(
        proportions=props,
        column_percent=props / props.sum(axis=0) * 100,
        weighted_counts=pd.DataFrame(wsum.reshape(nc, nr).T, **labels),
        counts=pd.DataFrame(counts.reshape(nc, nr).T, **labels),
        statistic=float(f_stat),
        ndf=float(d0),
        ddf=float(d0 * nu),
        p_value=p_value,
        pearson=pearson,
    )


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
    out.loc[out["suppressed"], list(value_cols)] = np.nan
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
