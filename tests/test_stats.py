"""Survey estimates against reference values from R's survey package (tests/fixtures/stats)."""

import numpy as np
import pandas as pd
import pytest

from milresearch.stats import (
    describe_margin_of_error,
    kish_effective_n,
    margin_of_error,
    suppress,
    weight_summary,
    weighted_crosstab,
    weighted_mean,
    weighted_proportions,
)

TOL = 1e-6
DESIGN = dict(weight="w", strata="stratum", psu="psu")


@pytest.fixture(scope="module")
def data(fixtures_path):
    return pd.read_csv(fixtures_path / "stats" / "design.csv")


def _ref(fixtures_path, name):
    return pd.read_csv(fixtures_path / "stats" / name)


@pytest.mark.parametrize("method", ["wald", "logit"])
def test_proportions_match_svymean_and_svyciprop(data, fixtures_path, method):
    ref = _ref(fixtures_path, "ref_proportions.csv").set_index("category")
    est = weighted_proportions(data, "y", method=method, **DESIGN).set_index("category")
    for k in (1, 2, 3, 4):
        assert est.loc[k, "proportion"] == pytest.approx(ref.loc[k, "proportion"], abs=TOL)
        assert est.loc[k, "se"] == pytest.approx(ref.loc[k, "se"], abs=TOL)
        assert est.loc[k, "deff"] == pytest.approx(ref.loc[k, "deff"], abs=TOL)
        assert est.loc[k, "ci_low"] == pytest.approx(ref.loc[k, f"{method}_low"], abs=TOL)
        assert est.loc[k, "ci_high"] == pytest.approx(ref.loc[k, f"{method}_high"], abs=TOL)


@pytest.mark.parametrize("method", ["wald", "logit"])
def test_domain_proportions_match_svyby(data, fixtures_path, method):
    ref = _ref(fixtures_path, "ref_domains.csv").set_index("grp")
    est = weighted_proportions(data, "y", by="grp", method=method, **DESIGN)
    est = est[est["category"] == 2].set_index("grp")
    for g in ("a", "b", "c"):
        assert est.loc[g, "proportion"] == pytest.approx(ref.loc[g, "proportion"], abs=TOL)
        assert est.loc[g, "se"] == pytest.approx(ref.loc[g, "se"], abs=TOL)
        assert est.loc[g, "se"] == pytest.approx(ref.loc[g, "svyby_se"], abs=TOL)
        assert est.loc[g, "deff"] == pytest.approx(ref.loc[g, "deff"], abs=TOL)
        assert est.loc[g, "ci_low"] == pytest.approx(ref.loc[g, f"{method}_low"], abs=TOL)
        assert est.loc[g, "ci_high"] == pytest.approx(ref.loc[g, f"{method}_high"], abs=TOL)


def test_domains_are_not_estimated_by_subsetting(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_domains.csv").set_index("grp")
    subset = data[data["grp"] == "c"]
    naive = weighted_proportions(subset, "y", **DESIGN).set_index("category")
    # Subsetting drops PSUs without domain members and gets a different SE.
    assert abs(naive.loc[2, "se"] - ref.loc["c", "se"]) > 1e-3


def test_means_match_svymean_overall_and_by_domain(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_means.csv").set_index("grp")
    overall = weighted_mean(data, "x", **DESIGN).iloc[0]
    assert overall["mean"] == pytest.approx(ref.loc["ALL", "mean"], abs=TOL)
    assert overall["se"] == pytest.approx(ref.loc["ALL", "se"], abs=TOL)
    assert overall["deff"] == pytest.approx(ref.loc["ALL", "deff"], abs=TOL)
    assert overall["ci_low"] == pytest.approx(ref.loc["ALL", "low"], abs=TOL)
    by = weighted_mean(data, "x", by="grp", **DESIGN).set_index("grp")
    for g in ("a", "b", "c"):
        for col, rcol in (("mean", "mean"), ("se", "se"), ("deff", "deff"), ("ci_high", "high")):
            assert by.loc[g, col] == pytest.approx(ref.loc[g, rcol], abs=TOL)


def test_lonely_psu_rule_matches_r_and_matters(data, fixtures_path):
    removed = weighted_mean(data, "x", lonely_psu="remove", **DESIGN).iloc[0]
    assert removed["se"] == pytest.approx(
        _ref(fixtures_path, "ref_lonely_remove.csv")["se_remove"][0], abs=TOL
    )
    adjusted = weighted_mean(data, "x", **DESIGN).iloc[0]
    assert adjusted["se"] > removed["se"]


def test_rao_scott_matches_svychisq(data, fixtures_path):
    ref = _ref(fixtures_path, "ref_chisq.csv").iloc[0]
    tab = weighted_crosstab(data, "a", "b", **DESIGN)
    assert tab.statistic == pytest.approx(ref["F"], abs=TOL)
    assert tab.ndf == pytest.approx(ref["ndf"], abs=TOL)
    assert tab.ddf == pytest.approx(ref["ddf"], abs=TOL)
    assert tab.p_value == pytest.approx(ref["p"], abs=TOL)
    assert np.allclose(tab.column_percent.sum(axis=0), 100)


def test_small_domains_are_suppressed(data):
    est = weighted_proportions(data, "y", by="grp", min_n=30, **DESIGN)
    small = est[est["grp"] == "c"]
    assert small["suppressed"].all()
    assert small[["proportion", "se", "ci_low", "ci_high", "deff"]].isna().all().all()
    assert not est.loc[est["grp"] == "a", "suppressed"].any()


def test_suppression_uses_the_effective_base_too():
    table = pd.DataFrame({"n_base": [100, 100], "proportion": [0.5, 0.5], "deff": [2.0, 4.0]})
    out = suppress(table, min_n=30)
    assert list(out["suppressed"]) == [False, True]  # 100/4 = 25 < 30
    assert np.isnan(out.loc[1, "proportion"])


def test_kish_effective_n_and_weight_summary():
    assert kish_effective_n([1, 1, 1, 1]) == 4
    assert kish_effective_n([1, 3]) == pytest.approx(16 / 10)
    df = pd.DataFrame({"country": ["A", "A", "B"], "w": [1.0, 3.0, 2.0]})
    summary = weight_summary(df, "w").set_index("country")
    assert summary.loc["A", "ratio"] == 3
    assert summary.loc["A", "kish_n_eff"] == pytest.approx(1.6)


def test_weight_summary_rejects_zero_weights():
    df = pd.DataFrame({"country": ["A", "A"], "w": [1.0, 0.0]})
    with pytest.raises(ValueError, match="'w': 1 weight"):
        weight_summary(df, "w")


def test_margin_of_error_includes_the_design_effect():
    assert margin_of_error(0.5, 1000) == pytest.approx(0.030990, abs=1e-6)
    assert margin_of_error(0.5, 1000, deff=2.0) == pytest.approx(0.030990 * np.sqrt(2), abs=1e-6)
    assert describe_margin_of_error(1000, 1.0) == (
        "±3.1 percentage points at 95% confidence for n = 1,000 with a design effect of 1.00"
    )
