"""Survey estimates against reference values from R's survey package (tests/fixtures/stats)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from milresearch.analysis.bases import (
    ESTIMATE_COLUMNS,
    SUPPRESSION_NOTE,
    describe_margin_of_error,
    kish_effective_n,
    margin_of_error,
    suppress,
    weight_summary,
)
from milresearch.analysis.stats import (
    weighted_crosstab,
    weighted_mean,
    weighted_proportions,
)

TOL = 1e-6
DESIGN = dict(weight="w", strata="stratum", psu="psu")
ESTIMATES = ["proportion", "se", "ci_low", "ci_high", "deff"]


@pytest.fixture(scope="module")
def data(fixtures_path):
    return pd.read_csv(fixtures_path / "stats" / "design.csv")


def _ref(fixtures_path, name):
    return pd.read_csv(fixtures_path / "stats" / name)


def _assert_matches(est, ref, method="wald"):
    """Compare one estimate row with one row of an R reference table."""
    for col, rcol in (
        ("proportion", "proportion"),
        ("se", "se"),
        ("deff", "deff"),
        ("ci_low", f"{method}_low"),
        ("ci_high", f"{method}_high"),
    ):
        assert est[col] == pytest.approx(ref[rcol], abs=TOL, nan_ok=True), col


def test_fixture_has_a_lonely_psu_and_a_small_domain(data):
    psus = data.groupby("stratum")["psu"].nunique()
    assert (psus == 1).sum() == 1
    assert (data["grp"] == "c").sum() < 30


@pytest.mark.parametrize("method", ["wald", "logit"])
def test_proportions_match_svymean_and_svyciprop(data, fixtures_path, method):
    ref = _ref(fixtures_path, "ref_proportions.csv").set_index("category")
    est = weighted_proportions(data, "y", method=method, **DESIGN)
    assert list(est.columns) == ["category", "n", "n_base", *ESTIMATES]
    est = est.set_index("category")
    assert list(est.index) == [1, 2, 3, 4]
    assert (est["n_base"] == data["y"].notna().sum()).all()
    assert est["n"].sum() == data["y"].notna().sum()
    assert est["proportion"].sum() == pytest.approx(1.0)
    for k in (1, 2, 3, 4):
        _assert_matches(est.loc[k], ref.loc[k], method)


def test_deff_without_replacement_matches_r_default(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_proportions.csv").set_index("category")
    est = weighted_proportions(data, "y", deff_srs="wor", **DESIGN).set_index("category")
    for k in (1, 2, 3, 4):
        assert est.loc[k, "deff"] == pytest.approx(ref.loc[k, "deff_wor"], abs=TOL)
    means = _ref(fixtures_path, "ref_means.csv").set_index("grp")
    by = weighted_mean(data, "x", by="grp", deff_srs="wor", **DESIGN).set_index("grp")
    for g in ("a", "b", "c"):
        assert by.loc[g, "deff"] == pytest.approx(means.loc[g, "deff_wor"], abs=TOL)


def test_deff_without_replacement_is_nan_when_weights_sum_below_n(data):
    scaled = data.assign(w=data["w"] / data["w"].mean() * 0.9)
    est = weighted_proportions(scaled, "y", deff_srs="wor", **DESIGN)
    assert est["deff"].isna().all()
    assert est["se"].notna().all()


@pytest.mark.parametrize("method", ["wald", "logit"])
def test_domain_proportions_match_svyby(data, fixtures_path, method):
    ref = _ref(fixtures_path, "ref_domains.csv").set_index("grp")
    est = weighted_proportions(data, "y", by="grp", method=method, **DESIGN)
    assert list(est.columns) == ["grp", "category", "n", "n_base", *ESTIMATES]
    est = est[est["category"] == 2].set_index("grp")
    for g in ("a", "b", "c"):
        _assert_matches(est.loc[g], ref.loc[g], method)
        assert est.loc[g, "se"] == pytest.approx(ref.loc[g, "svyby_se"], abs=TOL)
        assert est.loc[g, "n_base"] == data.loc[data["grp"] == g, "y"].notna().sum()


@pytest.mark.parametrize("method", ["wald", "logit"])
def test_two_by_variables_match_subset_designs(data, fixtures_path, method):
    ref = _ref(fixtures_path, "ref_domains_two.csv").set_index(["grp", "b"])
    est = weighted_proportions(data, "y", by=["grp", "b"], method=method, **DESIGN)
    assert list(est.columns[:2]) == ["grp", "b"]
    est = est[est["category"] == 2].set_index(["grp", "b"])
    assert len(est) == len(ref) == 6
    for key in ref.index:
        _assert_matches(est.loc[key], ref.loc[key], method)


def test_rows_with_a_missing_domain_key_stay_in_the_design(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_domains_region.csv").set_index("region")
    assert data["region"].isna().any()
    est = weighted_proportions(data, "y", by="region", **DESIGN)
    assert set(est["region"]) == {"north", "south", "west"}
    est = est[est["category"] == 3].set_index("region")
    means = weighted_mean(data, "x", by="region", **DESIGN).set_index("region")
    for r in ref.index:
        _assert_matches(est.loc[r], ref.loc[r])
        assert means.loc[r, "mean"] == pytest.approx(ref.loc[r, "mean"], abs=TOL)
        assert means.loc[r, "se"] == pytest.approx(ref.loc[r, "mean_se"], abs=TOL)


def test_domains_are_not_estimated_by_subsetting(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_domains.csv").set_index("grp")
    subset = data[data["grp"] == "c"]
    naive = weighted_proportions(subset, "y", **DESIGN).set_index("category")
    assert naive.loc[2, "proportion"] == pytest.approx(ref.loc["c", "proportion"], abs=TOL)
    # Subsetting drops PSUs (and a stratum) without domain members: a different SE.
    assert abs(naive.loc[2, "se"] - ref.loc["c", "se"]) > 1e-3


def test_means_match_svymean_overall_and_by_domain(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_means.csv").set_index("grp")
    overall = weighted_mean(data, "x", **DESIGN)
    assert list(overall.columns) == ["n", "mean", "se", "ci_low", "ci_high", "deff"]
    overall = overall.iloc[0]
    assert overall["n"] == data["x"].notna().sum()
    by = weighted_mean(data, "x", by="grp", **DESIGN).set_index("grp")
    for g, row in (("ALL", overall), *((g, by.loc[g]) for g in ("a", "b", "c"))):
        for col, rcol in (
            ("mean", "mean"),
            ("se", "se"),
            ("deff", "deff"),
            ("ci_low", "low"),
            ("ci_high", "high"),
        ):
            assert row[col] == pytest.approx(ref.loc[g, rcol], abs=TOL), (g, col)


def test_mean_keeps_its_precision_far_from_zero(data):
    base = weighted_mean(data, "x", by="grp", **DESIGN)
    shifted = weighted_mean(data.assign(x=data["x"] + 1e6), "x", by="grp", **DESIGN)
    assert np.allclose(shifted["mean"] - 1e6, base["mean"], atol=1e-8)
    assert np.allclose(shifted["se"], base["se"], atol=1e-9)
    assert np.allclose(shifted["deff"], base["deff"], atol=1e-6)


@pytest.mark.parametrize("design", ["strata", "none"])
def test_designs_without_psus_match_ids_1(data, fixtures_path, design):
    ref = _ref(fixtures_path, "ref_simple.csv").set_index("design").loc[design]
    kw = dict(weight="w", strata="stratum" if design == "strata" else None)
    est = weighted_proportions(data, "y", **kw).set_index("category").loc[1]
    _assert_matches(est, ref)
    mean = weighted_mean(data, "x", **kw).iloc[0]
    assert mean["mean"] == pytest.approx(ref["mean"], abs=TOL)
    assert mean["se"] == pytest.approx(ref["mean_se"], abs=TOL)


def test_lonely_psu_adjust_and_remove_match_r(data, fixtures_path):
    means = _ref(fixtures_path, "ref_means.csv").set_index("grp")
    props = _ref(fixtures_path, "ref_proportions.csv").set_index("category")
    removed_ref = _ref(fixtures_path, "ref_lonely_remove.csv").iloc[0]
    adjusted = weighted_mean(data, "x", **DESIGN).iloc[0]
    removed = weighted_mean(data, "x", lonely_psu="remove", **DESIGN).iloc[0]
    assert adjusted["se"] == pytest.approx(means.loc["ALL", "se"], abs=TOL)
    assert removed["se"] == pytest.approx(removed_ref["se_remove"], abs=TOL)
    assert adjusted["se"] - removed["se"] > 1e-3
    p_removed = weighted_proportions(data, "y", lonely_psu="remove", **DESIGN).iloc[0]
    assert p_removed["se"] == pytest.approx(removed_ref["se_prop_remove"], abs=TOL)
    assert abs(p_removed["se"] - props.loc[1, "se"]) > 1e-4


def test_unknown_rules_are_rejected(data):
    with pytest.raises(ValueError, match="lonely_psu"):
        weighted_mean(data, "x", lonely_psu="average", **DESIGN)
    with pytest.raises(ValueError, match="method"):
        weighted_proportions(data, "y", method="wilson", **DESIGN)
    with pytest.raises(ValueError, match="deff_srs"):
        weighted_proportions(data, "y", deff_srs="srs", **DESIGN)


def _direct_se(df, hit, valid, lonely_psu="adjust"):
    """R's onestrat, literally: row scores, PSU totals, centring per stratum."""
    w = df["w"].to_numpy()
    total = w[valid].sum()
    p = (w * hit)[valid].sum() / total
    score = np.where(valid, w * (hit - p) / total, 0.0)
    psu_totals = pd.Series(score).groupby([df["stratum"], df["psu"]]).sum()
    grand = psu_totals.sum() / len(psu_totals)
    var = 0.0
    for _, t in psu_totals.groupby(level=0):
        if len(t) > 1:
            var += len(t) / (len(t) - 1) * ((t - t.mean()) ** 2).sum()
        elif lonely_psu == "adjust":
            var += (t.iloc[0] - grand) ** 2
    return np.sqrt(var)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_variance_matches_a_direct_computation(seed):
    rng = np.random.default_rng(seed)
    n = 800
    stratum = rng.integers(0, 6, n)
    psu = rng.integers(0, 4, n)
    psu[stratum == 5] = 0  # a lonely PSU
    df = pd.DataFrame(
        {
            "stratum": stratum,
            "psu": psu,
            "w": rng.gamma(2.0, 1.0, n),
            "y": rng.choice(["low", "mid", "high"], n),
            "dom": rng.choice(["p", "q", "r"], n, p=[0.6, 0.35, 0.05]),
        }
    )
    df.loc[rng.random(n) < 0.1, "y"] = None
    df.loc[rng.random(n) < 0.05, "dom"] = None
    est = weighted_proportions(df, "y", by="dom", **DESIGN)
    for row in est.itertuples():
        valid = (df["dom"] == row.dom).to_numpy() & df["y"].notna().to_numpy()
        hit = (df["y"] == row.category).to_numpy()
        assert row.se == pytest.approx(_direct_se(df, hit, valid), rel=1e-9, abs=1e-12)
    removed = weighted_proportions(df, "y", by="dom", lonely_psu="remove", **DESIGN)
    row = removed.iloc[0]
    valid = (df["dom"] == row["dom"]).to_numpy() & df["y"].notna().to_numpy()
    hit = (df["y"] == row["category"]).to_numpy()
    assert row["se"] == pytest.approx(_direct_se(df, hit, valid, "remove"), rel=1e-9)


def test_text_and_numeric_categories_give_the_same_estimates(data):
    labels = {1: "one", 2: "two", 3: "three", 4: "four"}
    text = data.assign(y=data["y"].map(labels))
    numeric = weighted_proportions(data, "y", by="grp", **DESIGN)
    named = weighted_proportions(text, "y", by="grp", **DESIGN)
    merged = numeric.assign(category=numeric["category"].map(labels)).merge(
        named, on=["grp", "category"], suffixes=("", "_text")
    )
    assert len(merged) == len(numeric) == 12
    for col in ESTIMATES:
        assert np.allclose(merged[col], merged[f"{col}_text"], equal_nan=True)


def test_a_domain_without_valid_answers_gives_missing_estimates(data):
    df = data.assign(y=data["y"].astype("Int64"))
    df.loc[df["grp"] == "c", "y"] = pd.NA
    est = weighted_proportions(df, "y", by="grp", **DESIGN)
    small = est[est["grp"] == "c"]
    assert (small["n_base"] == 0).all()
    assert small[ESTIMATES].isna().all().all()
    assert est.loc[est["grp"] == "a", "se"].notna().all()


def test_rao_scott_matches_svychisq(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_chisq.csv").iloc[0]
    tab = weighted_crosstab(data, "a", "b", **DESIGN)
    assert tab.statistic == pytest.approx(ref["F"], abs=TOL)
    assert tab.ndf == pytest.approx(ref["ndf"], abs=TOL)
    assert tab.ddf == pytest.approx(ref["ddf"], abs=TOL)
    assert tab.p_value == pytest.approx(ref["p"], abs=TOL)
    assert tab.pearson == pytest.approx(ref["pearson"], abs=TOL)


def test_crosstab_tables_match_svytable(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_crosstab.csv").set_index(["a", "b"])["Freq"]
    tab = weighted_crosstab(data, "a", "b", **DESIGN)
    stacked = tab.weighted_counts.stack()
    for key, value in ref.items():
        assert stacked.loc[key] == pytest.approx(value, abs=TOL)
    assert np.allclose(tab.column_percent.sum(axis=0), 100)
    assert tab.proportions.to_numpy().sum() == pytest.approx(1.0)
    expected = ref.unstack("b")
    assert np.allclose(tab.column_percent, expected / expected.sum() * 100)
    valid = data["a"].notna()
    assert tab.counts.to_numpy().sum() == valid.sum()
    assert tab.counts.loc[1, 2] == ((data["a"] == 1) & (data["b"] == 2)).sum()


def test_small_domains_are_suppressed(data):
    est = weighted_proportions(data, "y", by="grp", min_n=30, **DESIGN)
    small = est[est["grp"] == "c"]
    assert small["suppressed"].all()
    assert small[ESTIMATES].isna().all().all()
    assert (small["n_base"] < 30).all()
    assert not est.loc[est["grp"] == "a", "suppressed"].any()
    means = weighted_mean(data, "x", by="grp", min_n=30, **DESIGN).set_index("grp")
    assert means.loc["c", "suppressed"]
    assert means.loc["c", ["mean", "se", "ci_low", "ci_high", "deff"]].isna().all()
    assert means.loc["a", ["mean", "se"]].notna().all()


def test_suppression_uses_the_effective_base_too():
    table = pd.DataFrame(
        {"n_base": [100, 100, 20], "proportion": [0.5, 0.5, 0.5], "deff": [2.0, 4.0, np.nan]}
    )
    out = suppress(table, min_n=30)
    assert list(out["suppressed"]) == [False, True, True]  # 100/4 = 25 < 30; 20 < 30
    assert out.loc[0, "proportion"] == 0.5
    assert np.isnan(out.loc[1, "proportion"]) and np.isnan(out.loc[1, "deff"])
    assert "suppressed" not in table


def test_suppression_blanks_the_chosen_columns():
    table = pd.DataFrame({"n": [10, 50], "share": [0.2, 0.3], "mean": [1.0, 2.0]})
    out = suppress(table, min_n=30, n_col="n", value_cols=["share"])
    assert np.isnan(out.loc[0, "share"]) and out.loc[0, "mean"] == 1.0
    assert out.loc[1, "share"] == 0.3
    assert set(ESTIMATE_COLUMNS) >= {"proportion", "mean", "se", "ci_low", "ci_high", "deff"}
    assert SUPPRESSION_NOTE.format(min_n=30).endswith("below 30 are suppressed.")


def test_kish_effective_n_and_weight_summary():
    assert kish_effective_n([1, 1, 1, 1]) == 4
    assert kish_effective_n([1, 3]) == pytest.approx(16 / 10)
    df = pd.DataFrame({"country": ["A", "A", "B"], "w": [1.0, 3.0, 2.0]})
    summary = weight_summary(df, "w").set_index("country")
    assert list(summary.columns) == [
        "n",
        "min",
        "max",
        "mean",
        "ratio",
        "kish_n_eff",
        "deff_weights",
    ]
    assert summary.loc["A", "ratio"] == 3
    assert summary.loc["A", "mean"] == 2
    assert summary.loc["A", "kish_n_eff"] == pytest.approx(1.6)
    assert summary.loc["B", "n"] == 1


@pytest.mark.parametrize(
    ("bad", "kind"), [(0.0, "1 zero or negative"), (np.nan, "1 missing"), (np.inf, "1 infinite")]
)
def test_weight_summary_rejects_bad_weights(bad, kind):
    df = pd.DataFrame({"country": ["A", "A", "B"], "w": [1.0, bad, 2.0]})
    with pytest.raises(ValueError, match=r"column 'w': 1 of 3 rows") as err:
        weight_summary(df, "w")
    assert kind in str(err.value)


def test_estimates_reject_missing_or_negative_weights(data):
    with pytest.raises(ValueError, match="column 'w': 1 of"):
        weighted_mean(data.assign(w=data["w"].where(data.index != 5)), "x", **DESIGN)


def test_margin_of_error_includes_the_design_effect():
    assert margin_of_error(0.5, 1000) == pytest.approx(0.030990, abs=1e-6)
    assert margin_of_error(n=1000, deff=2.0) == pytest.approx(0.030990 * np.sqrt(2), abs=1e-6)
    assert margin_of_error(0.2, 400, level=0.9) == pytest.approx(1.644854 * 0.02, abs=1e-6)
    with pytest.raises(TypeError, match="sample size"):
        margin_of_error(0.5)
    assert describe_margin_of_error(1000, 1.0) == (
        "±3.1 percentage points at 95% confidence for n = 1,000 with a design effect of 1.00"
    )
    assert describe_margin_of_error(12500, 1.8, level=0.99) == (
        "±1.5 percentage points at 99% confidence for n = 12,500 with a design effect of 1.80"
    )


# Items with whole PSUs without a valid answer: R users analyse subset(design, !is.na(item)),
# whose degf() counts only the PSUs and strata with answers (tests/fixtures/stats/missing.csv).
MISSING_DOMAINS = ["ALL", "a", "b", "c"]


@pytest.fixture(scope="module")
def missing(fixtures_path):
    return pd.read_csv(fixtures_path / "stats" / "missing.csv")


def _by_domain(estimate, missing, column, key, **kw):
    if key == "ALL":
        return estimate(missing, column, **kw, **DESIGN).assign(g="ALL")
    out = estimate(missing, column, by="g", **kw, **DESIGN)
    return out[out["g"] == key]


def _t_df(est, ref, rcol):
    """The interval's t quantile, and R's at the new and the old degrees of freedom."""
    t = (est["ci_high"] - est[rcol]) / est["se"]
    return t, st.t.ppf(0.975, ref["df"]), st.t.ppf(0.975, ref["df_all_rows"])


def test_missing_fixture_has_psus_and_a_stratum_without_answers(missing):
    answered = missing.assign(ok=missing["q"].notna()).groupby(["stratum", "psu"])["ok"].any()
    per_stratum = answered.groupby(level=0).agg(["size", "sum"])
    assert per_stratum.loc["S3"].tolist() == [3, 1]  # left with one PSU with answers
    assert per_stratum.loc["S4", "sum"] == 0  # no answers in the stratum
    assert per_stratum.loc["S2"].tolist() == [4, 3]
    assert per_stratum.loc["S5"].tolist() == [1, 1]  # lonely in the full design
    assert missing["g"].isna().any()


@pytest.mark.parametrize("method", ["wald", "logit"])
@pytest.mark.parametrize("key", MISSING_DOMAINS)
def test_missing_psus_proportions_match_r_subset(missing, fixtures_path, method, key):
    ref = _ref(fixtures_path, "ref_missing_proportions.csv")
    ref = ref[ref["g"] == key].set_index("category")
    est = _by_domain(weighted_proportions, missing, "q", key, method=method)
    est = est.set_index("category")
    assert list(est.index) == [1, 2, 3]
    valid = missing["q"].notna() & ((missing["g"] == key) | (key == "ALL"))
    assert (est["n_base"] == valid.sum()).all()
    assert (ref["df"] < ref["df_all_rows"]).all()
    for k in (1, 2, 3):
        _assert_matches(est.loc[k], ref.loc[k], method)
        if method == "wald":
            t, t_new, t_old = _t_df(est.loc[k], ref.loc[k], "proportion")
            assert t == pytest.approx(t_new, rel=1e-9)
            assert abs(t - t_old) > 0.05


@pytest.mark.parametrize("key", MISSING_DOMAINS)
def test_missing_psus_means_match_r_subset(missing, fixtures_path, key):
    ref = _ref(fixtures_path, "ref_missing_means.csv").set_index("g").loc[key]
    est = _by_domain(weighted_mean, missing, "v", key).iloc[0]
    for col, rcol in (
        ("mean", "mean"),
        ("se", "se"),
        ("deff", "deff"),
        ("ci_low", "low"),
        ("ci_high", "high"),
    ):
        assert est[col] == pytest.approx(ref[rcol], abs=TOL), col
    t, t_new, t_old = _t_df(est, ref, "mean")
    assert t == pytest.approx(t_new, rel=1e-9)
    assert abs(t - t_old) > 0.05


@pytest.mark.parametrize("key", MISSING_DOMAINS)
def test_missing_psus_lonely_rules_match_r_subset(missing, fixtures_path, key):
    props = _ref(fixtures_path, "ref_missing_proportions.csv")
    props = props[props["g"] == key].set_index("category")
    means = _ref(fixtures_path, "ref_missing_means.csv").set_index("g").loc[key]
    removed = _by_domain(weighted_proportions, missing, "q", key, lonely_psu="remove")
    removed = removed.set_index("category")
    mean_removed = _by_domain(weighted_mean, missing, "v", key, lonely_psu="remove").iloc[0]
    assert mean_removed["se"] == pytest.approx(means["se_remove"], abs=TOL)
    adjusted = _by_domain(weighted_proportions, missing, "q", key).set_index("category")
    for k in (1, 2, 3):
        assert removed.loc[k, "se"] == pytest.approx(props.loc[k, "se_remove"], abs=TOL)
        # Not matched: survey.adjust.domain.lonely = TRUE (not R's default) treats S3, left
        # with one PSU with answers, as lonely and does not centre its PSU total.
        assert abs(adjusted.loc[k, "se"] - props.loc[k, "se_domain_lonely"]) > 1e-5


def test_a_share_of_zero_or_one_gets_the_exact_interval_not_a_point():
    from milresearch.analysis.stats import edge_interval

    # Without a design (df = n - 1) this is Clopper-Pearson: 0 of 30 has the upper bound
    # 1 - 0.025^(1/30) = 0.1157, and 30 of 30 the lower bound 0.025^(1/30).
    low, high = edge_interval(np.array([0.0, 1.0]), np.array([30, 30]), np.array([29, 29]), 0.95)
    assert low[0] == 0 and high[1] == 1
    assert high[0] == pytest.approx(1 - 0.025 ** (1 / 30), abs=1e-9)
    assert low[1] == pytest.approx(0.025 ** (1 / 30), abs=1e-9)
    # Fewer degrees of freedom than respondents shrink the effective size: a wider interval.
    _, wider = edge_interval(np.array([0.0]), np.array([30]), np.array([5]), 0.95)
    assert wider[0] > high[0]


def test_a_category_nobody_chose_is_zero_with_an_upper_bound_above_zero():
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "x": rng.choice([1, 2], 200),
            "w": rng.uniform(0.5, 2, 200),
            "s": np.repeat([1, 2], 100),
            "p": np.tile(np.repeat(range(10), 10), 2),
        }
    )
    df.loc[df["s"] == 1, "x"] = 1  # stratum 1 never answers 2
    out = weighted_proportions(df, "x", weight="w", strata="s", psu="p", by="s", method="logit")
    zero = out[(out["s"] == 1) & (out["category"] == 2)].iloc[0]
    one = out[(out["s"] == 1) & (out["category"] == 1)].iloc[0]
    assert zero["proportion"] == 0 and zero["ci_low"] == 0 and 0 < zero["ci_high"] < 0.2
    assert one["proportion"] == 1 and one["ci_high"] == 1 and 0.8 < one["ci_low"] < 1
    assert zero["ci_high"] == pytest.approx(1 - one["ci_low"])
