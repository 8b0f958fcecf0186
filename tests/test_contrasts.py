"""Tested differences against R's survey package (svyby + svycontrast, svyratio + vcov)."""

import numpy as np
import pandas as pd
import pytest

from milresearch.analysis.contrasts import COLUMNS, domain_difference, item_difference
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.stats import weighted_mean

TOL = 1e-6
DESIGN = dict(weight="w", strata="stratum", psu="psu")
# case in ref_contrasts.csv -> fixture, and the call that makes it
CASES = {
    "x_grp_a_b": ("design", dict(column="x", by="grp", groups=("a", "b"))),
    "y2_grp_c_a": ("design", dict(column="y2", by="grp", groups=("c", "a"))),
    "v_g_a_b": ("missing", dict(column="v", by="g", groups=("a", "b"))),
    "i1_i2": ("design", dict(first="i1", second="i2")),
    "i3_i4": ("design", dict(first="i3", second="i4")),
    "q_v": ("missing", dict(first="q", second="v")),
}


@pytest.fixture(scope="module")
def frames(fixtures_path):
    folder = fixtures_path / "stats"
    design = pd.read_csv(folder / "design.csv")
    design["y2"] = (design["y"] == 2).astype("float64").where(design["y"].notna())
    return {"design": design, "missing": pd.read_csv(folder / "missing.csv")}


@pytest.fixture(scope="module")
def reference(fixtures_path):
    return pd.read_csv(fixtures_path / "stats" / "ref_contrasts.csv").set_index("case")


@pytest.mark.parametrize("case", list(CASES))
def test_differences_match_r(frames, reference, case):
    which, call = CASES[case]
    compute = domain_difference if "by" in call else item_difference
    got = compute(frames[which], **call, **DESIGN).iloc[0]
    ref = reference.loc[case]
    assert list(got.index) == COLUMNS
    for col, rcol in (
        ("estimate_first", "estimate_first"),
        ("estimate_second", "estimate_second"),
        ("difference", "difference"),
        ("se", "se"),
        ("ci_low", "low"),
        ("ci_high", "high"),
        ("p_value", "p_value"),
    ):
        assert got[col] == pytest.approx(ref[rcol], abs=TOL), col
    assert got["df"] == ref["df"]


def test_the_se_of_a_domain_difference_is_not_that_of_independent_samples(frames):
    # The domains share PSUs: treating them as independent gives another SE.
    data = frames["design"]
    got = domain_difference(data, "x", by="grp", groups=("a", "b"), **DESIGN).iloc[0]
    design = SurveyDesign(data, min_n=0, weight="w", strata="stratum", psu="psu")
    means = design.mean("x", by="grp").set_index("grp")
    independent = np.sqrt(means.loc["a", "se"] ** 2 + means.loc["b", "se"] ** 2)
    assert got["se"] != pytest.approx(independent, rel=1e-3)
    assert got["estimate_first"] == pytest.approx(means.loc["a", "mean"], abs=1e-12)


def test_a_side_below_the_threshold_suppresses_the_whole_test(frames):
    # The threshold is that of the report's estimates: the unweighted and the effective base
    # (n / deff, from R-matched weighted_mean) of each side.
    data = frames["design"]
    means = weighted_mean(data, "x", by="grp", **DESIGN).set_index("grp").loc[["a", "b"]]
    smallest = int(np.floor(np.minimum(means["n"], means["n"] / means["deff"]).min()))
    shown = domain_difference(data, "x", by="grp", groups=("a", "b"), min_n=smallest, **DESIGN)
    hidden = domain_difference(
        data, "x", by="grp", groups=("a", "b"), min_n=smallest + 1, **DESIGN
    )
    assert not shown["suppressed"].iloc[0] and np.isfinite(shown["p_value"].iloc[0])
    assert hidden["suppressed"].iloc[0]
    assert hidden[["difference", "se", "p_value", "ci_low"]].isna().all(axis=None)


def test_a_hand_computed_difference_of_two_srs_groups():
    # Without strata or clusters every row is a PSU of one stratum: the variance is
    # n/(n-1) times the sum of squared scores w(y - mean)/sum(w) of each side, one minus the
    # other, and the df are 8 PSUs minus 1 stratum.
    df = pd.DataFrame({"w": 1.0, "g": ["a"] * 4 + ["b"] * 4, "y": [1, 2, 3, 10, 2, 2, 4, 4]})
    got = domain_difference(df, "y", by="g", groups=("a", "b"), weight="w").iloc[0]
    assert got["difference"] == pytest.approx(4.0 - 3.0)
    # Scores: a: (y - 4)/4 -> -.75, -.5, -.25, 1.5; b: -(y - 3)/4 -> .25, .25, -.25, -.25
    z = np.array([-0.75, -0.5, -0.25, 1.5, 0.25, 0.25, -0.25, -0.25])
    assert got["se"] == pytest.approx(np.sqrt(8 / 7 * (z**2).sum()))
    assert got["df"] == 7
    t = 1.0 / got["se"]
    from scipy import stats as st

    assert got["p_value"] == pytest.approx(2 * st.t.sf(t, 7))
