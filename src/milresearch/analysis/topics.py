"""Topics of claims: TF-IDF and non-negative matrix factorisation (NMF), reproducible by seed.

Texts are lower-cased and Kazakh and Uzbek (either script) transliterated to Latin
(:func:`milresearch.clean.clusters.latin_text`), so that one word written in two scripts is one term.
Tokens are words of two or more letters (numbers are dropped: a claim re-told with another sum
is the same topic). The function words of resources/topic_stopwords.yml and the chain-message
chatter of resources/stopwords.yml are removed. NMF starts from an SVD (``nndsvda``) with a
fixed ``random_state``, so the same texts and seed give the same topics in every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.analysis.circulation import period_start
from milresearch.clean import clusters
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
"""Words of at least two letters, no digits (Uzbek oʻ gʻ and ʼ are letters)."""
TOP_TERMS = 10
MIN_DF = 2
"""Terms in fewer texts are not counted."""
MAX_DF = 0.5
"""Terms in a larger share of the texts are not counted (they separate nothing)."""
STOPWORD_FILES = (HERE / "topic_stopwords.yml", clusters.HERE / "stopwords.yml")


@cache
def topic_stopwords() -> frozenset[str]:
    """The declared stopwords of every language, in the form the texts are compared in.

    Entries of several words contribute each word; Kazakh and Uzbek entries are transliterated
    to Latin like the texts.
    """
    entries: list[str] = []
    langs: list[str] = []
    for name in STOPWORD_FILES:
        raw = read_yaml(name)
        for lang, words in raw.items():
            entries += [str(w) for w in words]
            langs += [lang] * len(words)
    latin = clusters.latin_text(pd.Series(entries), pd.Series(langs))
    words = clusters.normalize_text(latin).dropna().str.split()
    return frozenset(w for entry in words for w in entry)


@dataclass(frozen=True, eq=False)
class TopicModel:
    """A fitted topic model.

    Attributes:
        terms: ``topic``, ``rank`` (1 = strongest), ``term`` and ``weight``: each topic's top
            terms.
        weights: Documents × topics (columns 0 .. n_topics - 1), indexed like the texts.
        dominant: Each document's strongest topic; NA where a document has none of the terms.
        n_fit: How many documents the model was fitted on (all, or the sample).
        seed: The random state of the sample and of NMF.
        vectorizer: The fitted TF-IDF vectoriser (its input: :func:`prepare_texts`).
        nmf: The fitted NMF model.
    """

    terms: pd.DataFrame
    weights: pd.DataFrame
    dominant: pd.Series
    n_fit: int
    seed: int
    vectorizer: object = field(repr=False)
    nmf: object = field(repr=False)

    def labels(self, n: int = 3, spelled: Mapping[str, str] | None = None) -> pd.Series:
        """A short label per topic: its ``n`` top terms, comma-separated.

        ``spelled`` maps a term to the word as the texts write it (:func:`original_words`),
        so a Kazakh topic reads in Cyrillic rather than in the transliteration it was found in.
        """
        top = self.terms[self.terms["rank"] <= n]
        words = top["term"].map(lambda w: (spelled or {}).get(w, w))
        return words.groupby(top["topic"]).agg(", ".join)


def original_words(texts: pd.Series, langs: pd.Series) -> dict[str, str]:
    """Each term as the texts write it: lower case, in the script its language mostly uses.

    A term found in Latin transliteration gets the most frequent spelling, among the words of
    the language it comes from most often, in that language's usual script in these texts
    (Kazakh in Cyrillic where most Kazakh texts are), so one label does not mix scripts.
    """
    words = texts.fillna("").astype(str).str.lower().str.findall(TOKEN_PATTERN)
    exploded = pd.DataFrame({"word": words, "lang": langs}).explode("word").dropna()
    if exploded.empty:
        return {}
    latin = clusters.latin_text(exploded["word"], exploded["lang"])
    pairs = pd.DataFrame(
        {
            "term": latin.to_numpy(dtype=object),
            "word": exploded["word"].to_numpy(),
            "lang": exploded["lang"].fillna("").to_numpy(),
            "cyrillic": exploded["word"]
            .str.contains("[а-яёәіңғүұқөһўқғҳ]", regex=True)
            .to_numpy(),
        }
    )
    usual = pairs.groupby("lang")["cyrillic"].mean() >= 0.5
    pairs["usual"] = pairs["cyrillic"] == pairs["lang"].map(usual)
    counts = pairs.groupby(["term", "lang", "usual", "word"]).size().rename("n").reset_index()
    main_lang = counts.groupby(["term", "lang"])["n"].sum().reset_index()
    main_lang = main_lang.sort_values("n", ascending=False, kind="stable").drop_duplicates("term")
    counts = counts.merge(main_lang[["term", "lang"]], on=["term", "lang"])
    counts = counts.sort_values(["usual", "n"], ascending=False, kind="stable")
    return dict(counts.drop_duplicates("term")[["term", "word"]].itertuples(index=False))


def prepare_texts(texts: pd.Series, langs: pd.Series) -> pd.Series:
    """Lower-cased texts with Kazakh and Uzbek in Latin: the input of the vectoriser."""
    return clusters.latin_text(texts, langs).fillna("")


def fit_topics(
    texts: pd.Series,
    langs: pd.Series,
    *,
    n_topics: int = 8,
    seed: int = 0,
    max_features: int = 20000,
    sample: int | None = None,
) -> TopicModel:
    """Fit ``n_topics`` topics on the texts (or a random ``sample`` of them) and weigh all texts.

    Args:
        texts: Claim texts.
        langs: Their detected languages (``lang`` of the processed table), same index.
        n_topics: Number of topics.
        seed: Random state of the sample and of NMF.
        max_features: Vocabulary size (most frequent terms).
        sample: Fit on this many randomly chosen texts; every text is still weighed.

    Returns:
        The fitted :class:`TopicModel`.

    Raises:
        ValueError: When no term is left after the stopwords and document-frequency limits.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    prepared = prepare_texts(texts, langs)
    fit_on = prepared
    if sample is not None and sample < len(prepared):
        rng = np.random.default_rng(seed)
        fit_on = prepared.iloc[np.sort(rng.choice(len(prepared), size=sample, replace=False))]
    vectorizer = TfidfVectorizer(
        lowercase=False,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(topic_stopwords()),
        min_df=MIN_DF,
        max_df=MAX_DF,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(fit_on.to_numpy(dtype=object))
    nmf = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=500)
    nmf.fit(matrix)
    if fit_on is not prepared:
        matrix = vectorizer.transform(prepared.to_numpy(dtype=object))
    weights = pd.DataFrame(nmf.transform(matrix), index=texts.index)
    dominant = pd.Series(weights.to_numpy().argmax(axis=1), index=texts.index, dtype="Int64")
    dominant = dominant.where(weights.to_numpy().max(axis=1) > 0)
    vocabulary = vectorizer.get_feature_names_out()
    rows = []
    for topic, loadings in enumerate(nmf.components_):
        order = np.argsort(-loadings, kind="stable")[:TOP_TERMS]
        rows += [
            (topic, rank, vocabulary[j], float(loadings[j]))
            for rank, j in enumerate(order, start=1)
            if loadings[j] > 0
        ]
    terms = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
    return TopicModel(terms, weights, dominant, len(fit_on), seed, vectorizer, nmf)


def topic_shares_over_time(model: TopicModel, dates: pd.Series, freq: str = "M") -> pd.DataFrame:
    """Each topic's share of the documents of a period (by dominant topic).

    Args:
        model: A fitted model.
        dates: The documents' local dates, indexed like the texts the model weighed.
        freq: ``D``, ``W`` or ``M`` (see :func:`milresearch.analysis.circulation.period_start`).

    Returns:
        Columns ``period``, ``topic``, ``n`` and ``share`` (of the period's documents with a
        topic); every topic appears in every period (``n`` = 0 where absent).
    """
    period = period_start(dates.reindex(model.dominant.index), freq)
    known = period.notna() & model.dominant.notna()
    counts = pd.crosstab(period[known].rename("period"), model.dominant[known].rename("topic"))
    counts = counts.reindex(columns=range(model.weights.shape[1]), fill_value=0)
    out = counts.stack().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby("period")["n"].transform("sum")
    return out


def example_items(
    model: TopicModel,
    content: pd.DataFrame,
    k: int = 3,
    columns: tuple[str, ...] = ("item_id", "country", "lang", "claim_text"),
) -> pd.DataFrame:
    """The ``k`` documents that weigh most on each topic, among those it dominates.

    Args:
        model: A fitted model.
        content: The table the texts came from (same index).
        k: Examples per topic.
        columns: Columns of ``content`` to show (those present).

    Returns:
        ``topic``, ``weight`` and ``columns``, strongest first within each topic.
    """
    chosen = model.dominant.dropna().astype(int)
    weight = model.weights.to_numpy()[model.weights.index.get_indexer(chosen.index), chosen]
    ranked = pd.DataFrame({"topic": chosen.to_numpy(), "weight": weight}, index=chosen.index)
    ranked = ranked.sort_values(["topic", "weight"], ascending=[True, False], kind="stable")
    ranked = ranked.groupby("topic").head(k)
    shown = [c for c in columns if c in content]
    return ranked.join(content[shown]).reset_index(drop=True)
