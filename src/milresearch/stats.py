"""Design-based survey estimates: proportions, means, cross-tabs, suppression, margins of error.

Conventions (each matched against R's ``survey`` package in tests/fixtures/stats/):

- Variance: Taylor linearisation of the ratio estimator; PSUs sampled with replacement within
  strata, no finite population correction (``svydesign(ids=~psu, strata=~stratum, weights=~w)``).
- Domains (``by``) are domains of the full design: rows outside a domain contribute zero to
  their PSU's total, and PSUs without any domain rows still count, as in ``svyby``.
- A stratum with one PSU is handled as ``options(survey.lonely.psu = "adjust")``: its PSU total
  is not centred at a stratum mean (the linearised values sum to zero, so this is centring at
  the grand mean).
- Confidence intervals use Student t with the design degrees of freedom of the domain (PSUs
  minus strata among its rows), as ``svyciprop`` does. ``method="wald"`` is
  ``svyciprop(method="mean")``; ``method="logit"`` is ``svyciprop(method="logit")``.
- Design effects compare with simple random sampling with replacement
  (``svymean(..., deff="replace")``). R's default instead uses the sum of weights as the
  population size, which is meaningless for weights that average 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

LONELY_PSU = "adjust"
SUPPRESSION_NOTE = "Estimates with an unweighted or effective base below {min_n} are suppressed."
ESTIMATE_COLUMNS = ("proportion", "mean", "se", "ci_low", "ci_high", "deff")


@dataclass(frozen=True)
class Design:
    """Weights, strata and PSUs of a sample, as integer codes for fast grouping."""

    weight: np.ndarray
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


def make_design(df: pd.DataFrame, weight: str, strata: str | None, psu: str | None) -> Design:
    """Encode a data frame's design columns."""
    w = df[weight].to_numpy(dtype="float64")
    n = len(df)
    h = pd.factorize(df[strata], use_na_sentinel=False)[0] if strata else np.zeros(n, dtype=int)
    if psu:
        c = pd.factorize(pd.MultiIndex.from_arrays([h, df[psu].to_numpy()]))[0]
    else:
        c = np.arange(n)
    psu_stratum = np.zeros(c.max() + 1 if n else 0, dtype=int)
    psu_stratum[c] = h
    return Design(
        w, h, c, psu_stratum, np.bincount(psu_stratum, minlength=h.max() + 1 if n else 0)
    )


def _variance(design: Design, scores: np.ndarray, lonely_psu: str = LONELY_PSU) -> np.ndarray:
    """Covariance matrix of estimators whose linearised scores are the columns of ``scores``."""
    scores = scores.reshape(len(design.weight), -1)
    totals = np.zeros((design.n_psu, scores.shape[1]))
    np.add.at(totals, design.psu, scores)
    n_h = design.psus_in_stratum[design.psu_stratum]
    stratum_sums = np.zeros((len(design.psus_in_stratum), scores.shape[1]))
    np.add.at(stratum_sums, design.psu_stratum, totals)
    centred = totals - stratum_sums[design.psu_stratum] / n_h[:, None]
    lonely = n_h == 1
    if lonely_psu == "adjust":
        centred[lonely] = totals[lonely]
    elif lonely_psu == "remove":
        centred[lonely] = 0.0
    else:
        raise ValueError(f"lonely_psu must be 'adjust' or 'remove', not {lonely_psu!r}")
    scale = np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
    return centred.T @ (centred * scale[:, None])


def _domains(df: pd.DataFrame, by) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """The by-columns, a table of domain keys, and each row's domain code (-1: no domain)."""
    if by is None:
        return [], pd.DataFrame(index=[0]), np.zeros(len(df), dtype=int)
    by = [by] if isinstance(by, str) else list(by)
    keys = df[by]
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys), sort=True)
    table = pd.DataFrame(list(uniques), columns=by) if len(uniques) else pd.DataFrame(columns=by)
    missing_key = keys.isna().any(axis=1).to_numpy()
    codes = np.where(missing_key, -1, codes)
    keep = ~table.isna().any(axis=1)
    remap = np.full(len(table), -1)
    remap[keep.to_numpy()] = np.arange(int(keep.sum()))
    codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return by, table[keep].reset_index(drop=True), codes


def _degrees_of_freedom(design: Design, rows: np.ndarray) -> int:
    """PSUs minus strata among the given rows (``degf`` of the domain's subset design)."""
    return max(len(np.unique(design.psu[rows])) - len(np.unique(design.stratum[rows])), 1)


def _interval(estimate, se, df, level, method):
    t = st.t.ppf(0.5 + level / 2, df)
    if method == "wald":
        return estimate - t * se, estimate + t * se
    if method == "logit":
        with np.errstate(divide="ignore", invalid="ignore"):
            logit = np.log(estimate / (1 - estimate))
            half = t * se / (estimate * (1 - estimate))
            low = 1 / (1 + np.exp(-(logit - half)))
            high = 1 / (1 + np.exp(-(logit + half)))
        edge = (estimate <= 0) | (estimate >= 1)
        return np.where(edge, estimate, low), np.where(edge, estimate, high)
    raise ValueError(f"method must be 'wald' or 'logit', not {method!r}")


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
) -> pd.DataFrame:
    """Weighted share of each category of ``column``, with design-based SEs and CIs.

    Rows where ``column`` is missing are left out of numerator and denominator but stay in the
    design. Domains are estimated as domains of the full design.

    Returns:
        One row per domain and category: the ``by`` columns, ``category``, ``n`` (unweighted
        respondents in the category), ``n_base`` (unweighted valid respondents in the domain),
        ``proportion``, ``se``, ``ci_low``, ``ci_high``, ``deff``; plus ``suppressed`` when
        ``min_n`` is given.
    """
    design = make_design(df, weight, strata, psu)
    by_cols, domains, dom = _domains(df, by)
    y = df[column]
    valid = y.notna().to_numpy() & (dom >= 0)
    categories = np.sort(y.dropna().unique())
    values = y.to_numpy()
    rows = []
    for d in range(len(domains)):
        in_domain = dom == d
        use = valid & in_domain
        w = np.where(use, design.weight, 0.0)
        total = w.sum()
        n_base = int(use.sum())
        dfree = _degrees_of_freedom(design, in_domain)
        for k in categories:
            hit = use & (values == k)
            p = w[hit].sum() / total if total > 0 else np.nan
            scores = np.where(use, w * (hit - p) / total, 0.0) if total > 0 else np.zeros(len(w))
            var = _variance(design, scores, lonely_psu)[0, 0]
            se = float(np.sqrt(var))
            srs = p * (1 - p) / (n_base - 1) if n_base > 1 else np.nan
            deff = var / srs if srs and srs > 0 else np.nan
            low, high = _interval(np.float64(p), se, dfree, level, method)
            rows.append([*domains.iloc[d].tolist(), k, int(hit.sum()), n_base, p, se,
                         float(low), float(high), deff])  # fmt: skip
    columns = [
        *by_cols,
        "category",
        "n",
        "n_base",
        "proportion",
        "se",
        "ci_low",
        "ci_high",
        "deff",
    ]
    result = pd.DataFrame(rows, columns=columns)
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
) -> pd.DataFrame:
    """Weighted mean of ``column`` with design-based SE, CI and deff, by domain.

    Returns:
        One row per domain: the ``by`` columns, ``n``, ``mean``, ``se``, ``ci_low``,
        ``ci_high``, ``deff``; plus ``suppressed`` when ``min_n`` is given.
    """
    design = make_design(df, weight, strata, psu)
    by_cols, domains, dom = _domains(df, by)
    y = pd.to_numeric(df[column], errors="coerce").astype("float64").to_numpy()
    valid = ~np.isnan(y) & (dom >= 0)
    rows = []
    for d in range(len(domains)):
        in_domain = dom == d
        use = valid & in_domain
        w = np.where(use, design.weight, 0.0)
        total = w.sum()
        n = int(use.sum())
        yy = np.where(use, y, 0.0)
        mean = (w * yy).sum() / total if total > 0 else np.nan
        scores = np.where(use, w * (yy - mean) / total, 0.0) if total > 0 else np.zeros(len(w))
        var = _variance(design, scores, lonely_psu)[0, 0]
        se = float(np.sqrt(var))
        s2 = (w * (yy - mean) ** 2).sum() / total * n / (n - 1) if n > 1 else np.nan
        deff = var / (s2 / n) if n > 1 and s2 > 0 else np.nan
        low, high = _interval(mean, se, _degrees_of_freedom(design, in_domain), level, "wald")
        rows.append([*domains.iloc[d].tolist(), n, mean, se, float(low), float(high), deff])
    result = pd.DataFrame(rows, columns=[*by_cols, "n", "mean", "se", "ci_low", "ci_high", "deff"])
    return suppress(result, min_n=min_n, n_col="n") if min_n is not None else result


@dataclass(frozen=True)
class CrossTab:
    """A weighted cross-tab and its design-based test of independence."""

    proportions: pd.DataFrame
    """Cell shares of the valid total (rows x columns)."""
    column_percent: pd.DataFrame
    """Each column sums to 100."""
    counts: pd.DataFrame
    """Unweighted counts."""
    statistic: float
    """Rao-Scott second-order corrected F."""
    ndf: float
    ddf: float
    p_value: float
    pearson: float
    """Pearson X² on the weighted table scaled to the sample size."""


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
    """Weighted cross-tab of ``row`` by ``col`` with the Rao-Scott F test (R ``svychisq``)."""
    design = make_design(df, weight, strata, psu)
    a, b = df[row], df[col]
    valid = (a.notna() & b.notna()).to_numpy()
    rows, cols = np.sort(a.dropna().unique()), np.sort(b.dropna().unique())
    nr, nc = len(rows), len(cols)
    ai = np.searchsorted(rows, a.where(valid, rows[0]).to_numpy())
    bi = np.searchsorted(cols, b.where(valid, cols[0]).to_numpy())
    cell = ai + nr * bi  # first variable varies fastest, as R's interaction()
    w = np.where(valid, design.weight, 0.0)
    total = w.sum()
    onehot = np.zeros((len(w), nr * nc))
    onehot[np.flatnonzero(valid), cell[valid]] = 1.0
    mean = (w[:, None] * onehot).sum(axis=0) / total
    scores = w[:, None] * (onehot - mean[None, :]) / total
    scores[~valid] = 0.0
    cov = _variance(design, scores, lonely_psu)
    n_all = len(df)
    nu = design.n_psu - len(design.psus_in_stratum)
    table = (mean * n_all).reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    pearson = float(((table - expected) ** 2 / expected).sum())
    grid_r, grid_c = np.meshgrid(np.arange(nr), np.arange(nc), indexing="xy")
    grid_r, grid_c = grid_r.ravel(), grid_c.ravel()  # rows vary fastest
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
    inv_d = np.diag(np.where(mean == 0, 0.0, 1 / mean))
    denom = contrast.T @ (inv_d / n_all) @ contrast
    numer = contrast.T @ inv_d @ cov @ inv_d @ contrast
    delta = np.linalg.solve(denom, numer)
    trace = np.trace(delta)
    d0 = trace**2 / np.trace(delta @ delta)
    f_stat = pearson / trace
    p_value = float(st.f.sf(f_stat, d0, d0 * nu))
    props = pd.DataFrame(mean.reshape(nc, nr).T, index=rows, columns=cols)
    counts = pd.crosstab(a[valid], b[valid]).reindex(index=rows, columns=cols, fill_value=0)
    return CrossTab(props, props / props.sum(axis=0) * 100, counts, float(f_stat), float(d0),
                    float(d0 * nu), p_value, pearson)  # fmt: skip


def suppress(table: pd.DataFrame, *, min_n: int = 30, n_col: str = "n_base") -> pd.DataFrame:
    """Blank every estimate whose unweighted or effective base is below ``min_n``.

    The effective base is ``n / deff`` where the design effect is known and positive. The
    returned copy has a boolean ``suppressed`` column; suppressed estimates are NaN.
    """
    out = table.copy()
    n = out[n_col].astype("float64")
    deff = out["deff"].astype("float64") if "deff" in out else pd.Series(np.nan, index=out.index)
    effective = np.where(np.isfinite(deff) & (deff > 0), n / deff, n)
    out["suppressed"] = (n < min_n) | (effective < min_n)
    estimates = [c for c in ESTIMATE_COLUMNS if c in out]
    out.loc[out["suppressed"], estimates] = np.nan
    return out


def kish_effective_n(weights) -> float:
    """Kish's effective sample size, (Σw)² / Σw²."""
    w = np.asarray(weights, dtype="float64")
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) else float("nan")


def weight_summary(df: pd.DataFrame, weight: str, by: str = "country") -> pd.DataFrame:
    """Range, ratio and Kish effective n of the weights per group.

    Raises:
        ValueError: If any weight is missing, non-positive or infinite.
    """
    w = df[weight].astype("float64")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        raise ValueError(
            f"column {weight!r}: {int(bad.sum())} weight(s) are not positive and finite"
        )
    grouped = df.assign(_w=w).groupby(by)["_w"]
    out = grouped.agg(n="size", min="min", max="max", mean="mean")
    out["ratio"] = out["max"] / out["min"]
    out["kish_n_eff"] = grouped.apply(kish_effective_n)
    out["deff_weights"] = out["n"] / out["kish_n_eff"]
    return out.reset_index()


def margin_of_error(
    p: float = 0.5, n: int = 1000, deff: float = 1.0, level: float = 0.95
) -> float:
    """Half-width of a normal-theory CI for a proportion, inflated by the design effect."""
    z = st.norm.ppf(0.5 + level / 2)
    return float(z * np.sqrt(deff * p * (1 - p) / n))


def describe_margin_of_error(n: int, deff: float = 1.0, level: float = 0.95) -> str:
    """E.g. '±3.1 percentage points at 95% confidence for n = 1,000 with a design effect of 1.00'."""
    moe = margin_of_error(0.5, n, deff, level) * 100
    return (f"±{moe:.1f} percentage points at {level:.0%} confidence for n = {n:,} "
            f"with a design effect of {deff:.2f}")  # fmt: skip
