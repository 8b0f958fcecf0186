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
from scipy import stats as st

from milresearch.analysis.bases import suppress
from milresearch.analysis.variance import (
    LONELY_PSU,
    degrees_of_freedom,
    make_design,
    ratio_scores,
    split_domains,
    variance,
)

DEFF_SRS = "replace"
"""Design-effect baseline: ``"replace"`` (R ``deff="replace"``) or ``"wor"`` (R ``deff=TRUE``)."""
_DEFF_RULES = ("replace", "wor")


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


def _table(keys: pd.DataFrame, **columns) -> pd.DataFrame:
    """The domain keys, then ``columns``, in one frame with a fresh index.

    Built in one call: adding a dozen columns one by one to a small table cost about a
    third of each estimate's time.
    """
    frame = {name: keys[name].reset_index(drop=True) for name in keys.columns}
    return pd.DataFrame(frame | columns, index=pd.RangeIndex(len(keys)))


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
    by_cols, domains, dom = split_domains(df, by)
    codes, categories = pd.factorize(df[column], sort=True)
    n_dom, n_cat = len(domains), len(categories)
    col = np.where((dom >= 0) & (design.weight > 0), codes, -1)
    scores = ratio_scores(design, dom, col, np.ones(len(df)), n_dom, n_cat)
    var = variance(design, scores, lonely_psu)
    used = col >= 0
    n = np.bincount(dom[used] * n_cat + col[used], minlength=n_dom * n_cat)
    n_base = np.bincount(dom[used], minlength=n_dom)[:, None]
    p = scores.estimate
    se = np.where(n_base > 0, np.sqrt(var), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = p * (1 - p) * n_base / (n_base - 1)
    srs = _srs_variance(s2, n_base, scores.total_weight[:, None], deff_srs)
    dfree = degrees_of_freedom(design, dom, n_dom, codes >= 0)
    low, high = _interval(p, se, dfree[:, None], level, method, n_base=n_base)
    result = _table(
        domains.loc[np.repeat(np.arange(n_dom), n_cat), by_cols],
        category=np.tile(np.asarray(categories, dtype=object), n_dom),
        n=n,
        n_base=np.repeat(n_base[:, 0], n_cat),
        **{
            name: np.broadcast_to(values, (n_dom, n_cat)).ravel().astype("float64")
            for name, values in (
                ("proportion", p),
                ("se", se),
                ("ci_low", low),
                ("ci_high", high),
                ("deff", _design_effect(var, srs)),
            )
        },
    )
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
    by_cols, domains, dom = split_domains(df, by)
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
    scores = ratio_scores(design, dom, col, centred, n_dom, 1)
    var = variance(design, scores, lonely_psu)[:, 0]
    shift = scores.estimate[:, 0]
    mean = offset + shift
    with np.errstate(divide="ignore", invalid="ignore"):
        ss = np.bincount(d, w * (centred[used] - shift[d]) ** 2, minlength=n_dom)
        s2 = ss / total * n / (n - 1)
    srs = _srs_variance(s2, n, total, deff_srs)
    se = np.where(n > 0, np.sqrt(var), np.nan)
    dfree = degrees_of_freedom(design, dom, n_dom, np.isfinite(y))
    low, high = _interval(mean, se, dfree, level, "wald")
    result = _table(
        domains[by_cols],
        n=n,
        mean=mean,
        se=se,
        ci_low=low,
        ci_high=high,
        deff=_design_effect(var, srs),
    )
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
    scores = ratio_scores(design, dom, cell, np.ones(len(df)), 1, nr * nc)
    cov = variance(design, scores, lonely_psu, full=True)
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
