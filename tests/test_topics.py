import datetime as dt
import re

import pandas as pd
import pytest

from milresearch.analysis.topics import (
    example_items,
    fit_topics,
    topic_shares_over_time,
    topic_stopwords,
)


@pytest.fixture(scope="module")
def themes(fixtures_path):
    """72 claims on three themes (vaccines in January, bank payouts in February, elections in
    March): 8 Russian, 8 Kazakh (4 Cyrillic, 4 Latin) and 8 Uzbek (4 Latin, 4 Cyrillic) each."""
    frame = pd.read_csv(fixtures_path / "content" / "topics_three_themes.csv", dtype="string")
    frame["date_local"] = [dt.date.fromisoformat(d) for d in frame["date_local"]]
    return frame


@pytest.fixture(scope="module")
def model(themes):
    return fit_topics(themes["claim_text"], themes["lang"], n_topics=8, seed=0)


def test_planted_themes_come_back_with_their_terms(model):
    assert model.labels(3).to_dict() == {
        0: "bank, karta, tölem",  # Kazakh and Uzbek share the loanwords bank and karta
        1: "uchaskede, sailau, biulletender",
        2: "uchastkada, saylov, ovoz",
        3: "vaktsina, ekpe, därıgerler",
        4: "vaksina, shifokorlar, emlash",
        5: "участке, выборы, выборах",
        6: "вакцина, врачи, прививка",
        7: "банк, выплату, карту",
    }
    assert model.terms.groupby("topic").size().tolist() == [10] * 8
    assert model.weights.shape == (72, 8)


def test_every_topic_holds_one_theme_and_both_scripts(themes, model):
    topic_theme = pd.crosstab(model.dominant, themes["theme"])
    assert ((topic_theme > 0).sum(axis=1) == 1).all()  # no topic mixes themes
    assert model.dominant.notna().all()
    for lang in ("uz", "kk"):
        for theme in ("vaccines", "bank", "elections"):
            rows = (themes["lang"] == lang) & (themes["theme"] == theme)
            by_script = model.dominant[rows].groupby(themes["script"][rows]).unique()
            cyrillic, latin = by_script["Cyrl"].tolist(), by_script["Latn"].tolist()
            assert len(cyrillic) == 1 and cyrillic == latin, (lang, theme)


def test_without_transliteration_the_scripts_split(themes):
    undetermined = pd.Series("und", index=themes.index)
    plain = fit_topics(themes["claim_text"], undetermined, n_topics=8, seed=0)
    rows = (themes["lang"] == "uz") & (themes["theme"] == "vaccines")
    topics = plain.dominant[rows].groupby(themes["script"][rows]).unique()
    assert set(topics["Cyrl"]).isdisjoint(topics["Latn"])


def test_same_seed_same_topics(themes, model):
    again = fit_topics(themes["claim_text"], themes["lang"], n_topics=8, seed=0)
    pd.testing.assert_frame_equal(again.terms, model.terms)
    pd.testing.assert_frame_equal(again.weights, model.weights)
    sampled = fit_topics(themes["claim_text"], themes["lang"], n_topics=8, seed=0, sample=40)
    assert sampled.n_fit == 40 and sampled.weights.shape == (72, 8)
    twice = fit_topics(themes["claim_text"], themes["lang"], n_topics=8, seed=0, sample=40)
    pd.testing.assert_frame_equal(twice.terms, sampled.terms)


def test_topic_shares_over_time_and_examples(themes, model):
    shares = topic_shares_over_time(model, themes["date_local"], freq="M")
    assert len(shares) == 3 * 8
    february = shares[shares["period"] == pd.Timestamp("2024-02-01")].set_index("topic")
    assert february["n"].tolist() == [16, 0, 0, 0, 0, 0, 0, 8]
    assert february.loc[0, "share"] == pytest.approx(2 / 3)
    examples = example_items(model, themes, k=2)
    assert len(examples) == 16 and examples.groupby("topic").size().eq(2).all()
    assert list(examples.columns) == [
        "topic",
        "weight",
        "item_id",
        "country",
        "lang",
        "claim_text",
    ]
    first = examples[examples["topic"] == 4]
    assert first["weight"].is_monotonic_decreasing
    assert set(first["item_id"].str[:3]) == {"vac"} and set(first["lang"]) == {"uz"}


def test_stopwords_cover_each_language_in_the_texts_script():
    words = topic_stopwords()
    assert {"и", "что", "the", "bilan", "uchun", "men", "ва", "барои", "we", "اور"} <= words
    assert {"jäne", "üşın"} <= words  # Kazakh және, үшін, compared in Latin
    assert "yoʻq" in words and "on" in words  # Uzbek yoʻq; English "on", quoted in the YAML
    assert "және" not in words and "vaksina" not in words


def test_labels_read_as_the_texts_write_them(themes, model):
    from milresearch.analysis.topics import original_words

    spelled = model.labels(3, original_words(themes["claim_text"], themes["lang"]))
    written = " ".join(themes["claim_text"].str.lower())
    for label in spelled:
        assert all(word in written for word in label.split(", ")), label
    # One script per label: the one its language is mostly written in here.
    for label in spelled:
        cyrillic = [bool(re.search("[а-яёәіңғүұқө]", w)) for w in label.split(", ")]
        assert len(set(cyrillic)) == 1, label
    assert spelled[3] == "вакцина, екпе, дәрігерлер"  # Kazakh, found as "vaktsina, ekpe, ..."
    assert spelled[6] == model.labels(3)[6]  # Russian is unchanged
    assert spelled.to_dict() != model.labels(3).to_dict()
