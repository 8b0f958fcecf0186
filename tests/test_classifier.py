import pandas as pd
import pytest

from milresearch.analysis.classifier import evaluate_baseline, labelled_items


@pytest.fixture(scope="module")
def items(fixtures_path):
    """78 items: 45 false or misleading (ending "Перешлите всем!"), 25 true, 5 with other
    verdicts and 3 repeated URLs; the latest 14 labelled items are 9 false and 5 true."""
    frame = pd.read_csv(
        fixtures_path / "content" / "classifier_items.csv",
        dtype={"claim_text": "string", "verdict": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    frame["date_utc"] = pd.to_datetime(frame["date_utc"], utc=True)
    return frame


@pytest.fixture(scope="module")
def scores(items):
    table = evaluate_baseline(items, seed=0, folds=5)
    return table.set_index(["evaluation", "model", "class"])


def test_only_true_false_and_misleading_items_are_labelled(items):
    labelled = labelled_items(items)
    assert len(labelled) == 70
    assert labelled["target"].value_counts().to_dict() == {1: 45, 0: 25}
    assert not labelled.index.isin(items.index[items["is_duplicate_url"]]).any()


def test_baseline_beats_the_majority_class(scores):
    assert scores.attrs["reason"] == ""
    cv = scores.loc[("cv", "baseline")]
    assert cv["support"].to_dict() == {"false_or_misleading": 45, "true": 25}
    assert cv["recall"].to_dict() == pytest.approx(
        {"false_or_misleading": 42 / 45, "true": 22 / 25}
    )
    assert cv["precision"].to_dict() == pytest.approx(
        {"false_or_misleading": 42 / 45, "true": 22 / 25}
    )
    assert cv["n_train"].iloc[0] == 56 and cv["n_test"].iloc[0] == 70
    time = scores.loc[("time", "baseline")]
    assert time["support"].to_dict() == {"false_or_misleading": 9, "true": 5}
    assert time["f1"].tolist() == pytest.approx([1.0, 1.0])
    assert time["n_train"].iloc[0] == 56


def test_majority_baseline_never_finds_the_minority_class(scores):
    for evaluation, positives, n in (("cv", 45, 70), ("time", 9, 14)):
        majority = scores.loc[(evaluation, "majority")]
        assert majority.loc["true", "recall"] == 0.0
        assert majority.loc["true", "precision"] == 0.0
        assert majority.loc["false_or_misleading", "recall"] == 1.0
        assert majority.loc["false_or_misleading", "precision"] == pytest.approx(positives / n)


def test_too_few_labelled_items_give_an_empty_table_with_a_reason(items):
    few_true = items[~items["item_id"].isin([f"c{i:03d}" for i in range(36, 50)])]
    table = evaluate_baseline(few_true)
    assert table.empty
    assert list(table.columns)[:3] == ["evaluation", "model", "class"]
    assert table.attrs["reason"] == (
        "too few labelled items: 45 false or misleading and 11 true; each class needs at least 20"
    )


def test_time_split_is_left_out_when_the_early_items_hold_one_class(items):
    positive = items[items["verdict"].isin(["false", "misleading"]).fillna(False)]
    copies = [positive.assign(item_id=positive["item_id"] + f"-{k}") for k in range(2)]
    true = items[items["verdict"] == "true"]
    late = true.assign(date_utc=true["date_utc"] + pd.Timedelta(days=1000))
    # 135 false or misleading, then 25 true: the earliest 128 items are all false or misleading.
    table = evaluate_baseline(pd.concat([positive, *copies, late], ignore_index=True))
    assert set(table["evaluation"]) == {"cv"}
    assert table.attrs["reason"].startswith("time split left out")
