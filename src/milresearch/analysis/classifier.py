"""A baseline classifier: can the wording of a claim tell false or misleading from true?

Character 2-4-grams within words (TF-IDF) and a class-balanced logistic regression, evaluated
by stratified k-fold cross-validation (out-of-fold predictions pooled) and by a time split
(train on the earliest 80 % of dated items, test on the latest 20 %), each beside a majority-
class baseline. Reposts of one claim (the same ``cluster_id``) can fall on both sides of a
cross-validation split, so the cross-validated figures are an upper bound; the time split is
the more honest one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from milresearch.analysis.circulation import unique_items

POSITIVE = ("false", "misleading")
NEGATIVE = ("true",)
CLASSES = {1: "false_or_misleading", 0: "true"}
MIN_MINORITY = 20
"""Fewer labelled items of the smaller class and no evaluation is made."""
TRAIN_SHARE = 0.8
COLUMNS = [
    "evaluation",
    "model",
    "class",
    "precision",
    "recall",
    "f1",
    "support",
    "n_train",
    "n_test",
]


def labelled_items(content: pd.DataFrame) -> pd.DataFrame:
    """De-duplicated items with a true, false or misleading verdict and a text.

    Returns:
        ``text`` (``text_latn`` where present, else ``claim_text``), ``target`` (1 for false or
        misleading, 0 for true) and ``date_utc`` (NaT where absent), in the table's order.
    """
    items = unique_items(content)
    texts = items["text_latn"] if "text_latn" in items else items["claim_text"]
    verdict = items["verdict"].astype("string")
    target = pd.Series(np.nan, index=items.index)
    target[verdict.isin(POSITIVE).fillna(False).to_numpy(bool)] = 1
    target[verdict.isin(NEGATIVE).fillna(False).to_numpy(bool)] = 0
    dates = items["date_utc"] if "date_utc" in items else pd.Series(pd.NaT, index=items.index)
    out = pd.DataFrame({"text": texts.astype("string"), "target": target, "date_utc": dates})
    out = out[out["target"].notna() & out["text"].notna()]
    return out.astype({"target": "int64"})


class _Ngrams:
    """scikit-learn's char_wb 2-4-gram analyzer, remembering the n-grams of each text.

    Cross-validation and the time split fit or predict each text about six times; a text's
    n-grams do not depend on the fold, so they are cut once. Vocabulary and weights are still
    learned from each training fold alone.
    """

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._analyze = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
        self._seen: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._analyze(text)
        return found


def baseline_pipeline(seed: int = 0, ngrams: _Ngrams | None = None):
    """The model: char_wb 2-4-gram TF-IDF and a class-balanced logistic regression.

    Args:
        seed: Random state of the logistic regression.
        ngrams: An analyzer shared by several fits of the same texts (same features, cut once).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer=ngrams or _Ngrams(), min_df=2, sublinear_tf=True)),
            (
                "model",
                LogisticRegression(max_iter=1000, class_weight="balanced", random_state=seed),
            ),
        ]
    )


def _scores(evaluation: str, model: str, y_true, y_pred, n_train: int) -> list[dict]:
    from sklearn.metrics import precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=[1, 0], zero_division=0
    )
    return [
        {
            "evaluation": evaluation,
            "model": model,
            "class": CLASSES[label],
            "precision": float(precision[k]),
            "recall": float(recall[k]),
            "f1": float(f1[k]),
            "support": int(support[k]),
            "n_train": n_train,
            "n_test": len(y_true),
        }
        for k, label in enumerate([1, 0])
    ]


def _predictions(
    train: pd.DataFrame, test: pd.DataFrame, seed: int, ngrams: _Ngrams
) -> dict[str, np.ndarray]:
    """Predictions for ``test`` of the baseline and of the majority class, fitted on ``train``."""
    from sklearn.dummy import DummyClassifier

    out = {}
    for name, model in (
        ("baseline", baseline_pipeline(seed, ngrams)),
        ("majority", DummyClassifier(strategy="most_frequent")),
    ):
        model.fit(train["text"].to_numpy(dtype=object), train["target"].to_numpy())
        out[name] = model.predict(test["text"].to_numpy(dtype=object))
    return out


def evaluate_baseline(content: pd.DataFrame, *, seed: int = 0, folds: int = 5) -> pd.DataFrame:
    """Precision, recall and F1 of the baseline and of the majority class, by CV and time split.

    Args:
        content: The processed content table (``verdict`` and ``text_latn`` or ``claim_text``;
            ``date_utc`` for the time split).
        seed: Shuffling of the folds and random state of the model.
        folds: Number of stratified folds.

    Returns:
        Columns ``evaluation`` (``cv`` or ``time``), ``model`` (``baseline`` or ``majority``),
        ``class`` (``false_or_misleading`` or ``true``), ``precision``, ``recall``, ``f1``,
        ``support``, ``n_train`` and ``n_test``. In ``cv`` the out-of-fold predictions of all
        folds are pooled (``n_train`` is the largest training fold). When either class has
        fewer than :data:`MIN_MINORITY` items the table is empty and ``attrs["reason"]`` says
        why; likewise the ``time`` rows are left out (and ``attrs["reason"]`` says so) when
        the earliest 80 % of dated items hold one class only. Otherwise the reason is "".
    """
    from sklearn.model_selection import StratifiedKFold

    items = labelled_items(content)
    counts = items["target"].value_counts().reindex([1, 0], fill_value=0)
    empty = pd.DataFrame(columns=COLUMNS)
    if counts.min() < MIN_MINORITY:
        empty.attrs["reason"] = (
            f"too few labelled items: {counts[1]} false or misleading and {counts[0]} true; "
            f"each class needs at least {MIN_MINORITY}"
        )
        return empty
    rows: list[dict] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    pooled = {name: np.zeros(len(items), dtype=int) for name in ("baseline", "majority")}
    largest = 0
    ngrams = _Ngrams()
    for train_rows, test_rows in splitter.split(items["text"], items["target"]):
        largest = max(largest, len(train_rows))
        found = _predictions(items.iloc[train_rows], items.iloc[test_rows], seed, ngrams)
        for name, predicted in found.items():
            pooled[name][test_rows] = predicted
    for name, predicted in pooled.items():
        rows += _scores("cv", name, items["target"].to_numpy(), predicted, largest)
    reason = ""
    dated = items.dropna(subset=["date_utc"]).sort_values("date_utc", kind="stable")
    cut = int(np.floor(TRAIN_SHARE * len(dated)))
    train, test = dated.iloc[:cut], dated.iloc[cut:]
    if train["target"].nunique() == 2 and len(test):
        for name, predicted in _predictions(train, test, seed, ngrams).items():
            rows += _scores("time", name, test["target"].to_numpy(), predicted, len(train))
    else:
        reason = "time split left out: the earliest 80 % of dated items hold one class only"
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs["reason"] = reason
    return out
