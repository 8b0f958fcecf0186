import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from milresearch.analysis.mil import (
    cronbach_alpha,
    headline_discernment,
    mil_index,
    signal_detection,
)


def test_cronbach_alpha_matches_the_hand_computed_value():
    # Item variances 1, 1, 1 (ddof=1); totals 3, 6, 9 with variance 9: alpha = 1.5 * (1 - 3/9).
    df = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]})
    assert cronbach_alpha(df, ["a", "b", "c"]) == pytest.approx(1.0)
    # Two items: variances 1 and 1, totals 3, 3, 6 -> var 3; alpha = 2 * (1 - 2/3) = 2/3.
    df = pd.DataFrame({"a": [1, 2, 3], "b": [2, 1, 3]})
    assert cronbach_alpha(df, ["a", "b"]) == pytest.approx(2 / 3)
    # Three items, four people: variances 2/3, 5/3, 1 (sum 10/3); totals 4, 6, 7, 11 with
    # variance 26/3; alpha = 3/2 * (1 - (10/3) / (26/3)) = 3/2 * 16/26 = 12/13.
    df = pd.DataFrame({"a": [1, 2, 2, 3], "b": [1, 2, 3, 4], "c": [2, 2, 2, 4]})
    assert cronbach_alpha(df, ["a", "b", "c"]) == pytest.approx(12 / 13)


def test_cronbach_alpha_uses_listwise_deletion():
    df = pd.DataFrame({"a": [1, 2, 3, np.nan], "b": [2, 1, 3, 5]})
    assert cronbach_alpha(df, ["a", "b"]) == pytest.approx(2 / 3)
    assert np.isnan(cronbach_alpha(df, ["a"]))


def test_cronbach_alpha_matches_psych(fixtures_path):
    data = pd.read_csv(fixtures_path / "stats" / "design.csv")
    ref = pd.read_csv(fixtures_path / "stats" / "ref_alpha.csv").iloc[0]
    items = [f"i{j}" for j in range(1, 6)]
    assert data[items].dropna().shape[0] == ref["n"]
    assert cronbach_alpha(data, items) == pytest.approx(ref["raw_alpha"], abs=1e-9)


def test_mil_index_needs_the_declared_number_of_valid_items():
    df = pd.DataFrame({"a": [1, 3, np.nan], "b": [1, 3, 2], "c": [1, 3, 2]})
    index = mil_index(df, ["a", "b", "c"], min_valid=3)
    # a: mean 2, sd sqrt(2); b, c: mean 2, sd 1 (unweighted, ddof=1).
    expected0 = (-1 / np.sqrt(2) - 1 - 1) / 3
    assert index.iloc[0] == pytest.approx(expected0)
    assert index.iloc[1] == pytest.approx(-expected0)
    assert pd.isna(index.iloc[2])
    assert mil_index(df, ["a", "b", "c"], min_valid=2).iloc[2] == pytest.approx(0.0)


def test_mil_index_ignores_an_item_that_does_not_vary():
    df = pd.DataFrame({"a": [1, 3], "b": [1, 3], "c": [2, 2]})
    index = mil_index(df, ["a", "b", "c"], min_valid=2)
    assert list(index) == pytest.approx([-1 / np.sqrt(2), 1 / np.sqrt(2)])
    assert mil_index(df, ["a", "b", "c"], min_valid=3).isna().all()


def test_discernment_is_true_minus_false_mean():
    df = pd.DataFrame({"t1": [4, 3], "t2": [4, np.nan], "f1": [1, 3], "f2": [2, 3]})
    assert list(headline_discernment(df, ["t1", "t2"], ["f1", "f2"])) == [2.5, 0.0]


def test_discernment_needs_a_true_and_a_false_rating():
    df = pd.DataFrame({"t1": [4, np.nan, 2], "f1": [np.nan, 1, 1]})
    out = headline_discernment(df, ["t1"], ["f1"])
    assert out.isna().tolist() == [True, True, False]
    assert out.iloc[2] == 1


def test_signal_detection_uses_the_log_linear_correction():
    df = pd.DataFrame({"t1": [4], "t2": [4], "t3": [4], "f1": [1], "f2": [1], "f3": [1]})
    out = signal_detection(df, ["t1", "t2", "t3"], ["f1", "f2", "f3"]).iloc[0]
    assert out["hit_rate"] == pytest.approx(3.5 / 4)
    assert out["false_alarm_rate"] == pytest.approx(0.5 / 4)
    assert out["dprime"] == pytest.approx(norm.ppf(0.875) - norm.ppf(0.125))
    assert out["dprime"] == pytest.approx(2.300698, abs=1e-6)
    assert out["criterion"] == pytest.approx(0.0)


def test_signal_detection_criterion_is_negative_for_a_credulous_respondent():
    df = pd.DataFrame({"t1": [4], "t2": [3], "f1": [3], "f2": [4]})
    out = signal_detection(df, ["t1", "t2"], ["f1", "f2"]).iloc[0]
    assert out["dprime"] == pytest.approx(0.0)
    assert out["criterion"] == pytest.approx(-norm.ppf(2.5 / 3))


def test_signal_detection_counts_only_rated_items_and_the_threshold():
    df = pd.DataFrame(
        {"t1": [3, np.nan], "t2": [2, np.nan], "f1": [2, 1], "f2": [np.nan, 4], "f3": [1, 4]}
    )
    out = signal_detection(df, ["t1", "t2"], ["f1", "f2", "f3"])
    # Row 0: one hit of two rated true items; no false alarm in two rated false items.
    assert out.loc[0, "hit_rate"] == pytest.approx(1.5 / 3)
    assert out.loc[0, "false_alarm_rate"] == pytest.approx(0.5 / 3)
    assert out.loc[0, "dprime"] == pytest.approx(-norm.ppf(0.5 / 3))
    # Row 1 rated no true headline: no hit rate, d' or c.
    assert np.isnan(out.loc[1, "hit_rate"]) and np.isnan(out.loc[1, "dprime"])
    assert out.loc[1, "false_alarm_rate"] == pytest.approx(2.5 / 4)
    strict = signal_detection(df, ["t1", "t2"], ["f1", "f2", "f3"], threshold=4)
    assert strict.loc[0, "hit_rate"] == pytest.approx(0.5 / 3)
