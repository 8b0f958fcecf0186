from pathlib import Path

import pandas as pd
import pytest

from milresearch.clean.scripts import to_latin_lower, transliterate, unify_uzbek_apostrophes
from milresearch.clean.text import (
    LANGUAGES,
    _model,
    detect_language,
    detect_languages,
    language_accuracy,
    read_conllu_sentences,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "language"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # ru, en, tg, tk, ur: written for these tests.
        ("Правительство повысит тарифы на газ с января следующего года", ("ru", "Cyrl")),
        ("Новостям по телевизору не доверяю, смотрю Telegram-каналы", ("ru", "Cyrl")),
        ("Депутат из Алматы заявил, что Қазақстан закупит новые вакцины", ("ru", "Cyrl")),
        ("Schools should teach children how to check their sources", ("en", "Latn")),
        ("The minister denied that the election had been postponed", ("en", "Latn")),
        ("Дар шабакаҳои иҷтимоӣ хабарҳои бардурӯғ бисёранд", ("tg", "Cyrl")),
        ("Хабар паҳн шуд, ки интихобот ба шаш моҳ мавқуф гузошта шуд", ("tg", "Cyrl")),
        ("Sosial ulgamlarda ýalan habarlar köp", ("tk", "Latn")),
        ("Habarlary barlamagy öwrenmek isleýärin", ("tk", "Latn")),
        ("سوشل میڈیا پر جھوٹی خبریں بہت زیادہ ہیں", ("ur", "Arab")),
        ("حکومت گیس کے نرخ تیس فیصد بڑھائے گی", ("ur", "Arab")),
        # kk, ky, uz: sentences of the UD Kazakh KTB, Kyrgyz KTMU and Uzbek UT test sets
        # (CC BY-SA 4.0).
        ("Қазақстан осы өңірдегі бейбітшілікті қолдайды.", ("kk", "Cyrl")),
        ("Дмитрий Медведевтің Астанаға сапары 22 мамырға жоспарланып отыр.", ("kk", "Cyrl")),
        ("Біздің елде сізге ерекше құрметпен қарайды.", ("kk", "Cyrl")),
        ("Жалал-Абад шаарынын бир катар көчөлөрүндө электр жарыгы өчүрүлөт.", ("ky", "Cyrl")),
        (
            "Билим берүү министри Пакистандын Кыргызстандагы элчиси менен жолугушту.",
            ("ky", "Cyrl"),
        ),
        (
            (
                "Бишкек-Нарын-Торугарт айланма унаа жолунда жүк ташуучу унааcы толугу менен "
                "күйүп кетти."
            ),
            ("ky", "Cyrl"),
        ),
        (
            "Oʻzbekistonda yil boshidan beri soliq tushumlari qanday oʻzgargani tahlil qilindi.",
            ("uz", "Latn"),
        ),
        ("Ammo Ukraina Rossiya Xersonni jangsiz topshirishiga ishonmayapti.", ("uz", "Latn")),
        (
            (
                "Uyqusizlik koʻpincha depressiya alomatlarini kuchaytiradi va uxlashni "
                "qiyinlashtiradi."
            ),
            ("uz", "Latn"),
        ),
        # Uzbek in Cyrillic: the UD sentence above, transliterated.
        (
            "Ўзбекистонда йил бошидан бери солиқ тушумлари қандай ўзгаргани таҳлил қилинди.",
            ("uz", "Cyrl"),
        ),
        ("Сохта хабарларни қандай аниқлашни ўрганмоқчиман", ("uz", "Cyrl")),
        # Too short or no letters.
        ("ok", ("und", "Zyyy")),
        ("Фейк!", ("und", "Zyyy")),
        ("12345 !!! 2024-03-12", ("und", "Zyyy")),
        ("", ("und", "Zyyy")),
    ],
)
def test_language_and_script_of_sentences(sentence, expected):
    assert detect_language(sentence) == expected


def test_missing_text_is_undetermined():
    assert detect_language(None) == ("und", "Zyyy")


def test_detect_languages_keeps_the_index_and_identifies_repeats_alike():
    texts = pd.Series(
        [
            "Sarimsoq grippni uch kunda davolaydi deb daʼvo qilindi",
            None,
            "Sarimsoq grippni uch kunda davolaydi deb daʼvo qilindi",
            "Жалған ақпарат көп таралады",
        ],
        index=[10, 20, 30, 40],
    )
    found = detect_languages(texts)
    assert list(found.index) == [10, 20, 30, 40]
    assert list(found["lang"]) == ["uz", "und", "uz", "kk"]
    assert list(found["script"]) == ["Latn", "Zyyy", "Latn", "Cyrl"]


def test_batch_model_scores_match_py3langid_one_text_at_a_time():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    single = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    single.set_languages(list(LANGUAGES))
    texts = [
        "Правительство повысит тарифы на газ",
        "Schools should teach children",
        "Жалған ақпарат әлеуметтік желілерде көп таралады",
        "ŞOK! Türkmenistanda",
    ]
    import numpy as np

    scores = _model().log_scores(texts)
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    for text, row in zip(texts, probs, strict=True):
        expected = dict(single.rank(text))
        assert row == pytest.approx([expected[lang] for lang in LANGUAGES], abs=1e-3)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Ўзбекистон", "Oʻzbekiston"),
        ("ғалаба", "gʻalaba"),
        ("шаҳар", "shahar"),
        ("янгиликлар", "yangiliklar"),
        ("Европа", "Yevropa"),
        ("эшик", "eshik"),
        ("Тошкент", "Toshkent"),
        ("йўл", "yoʻl"),
        ("Исҳоқ", "Isʼhoq"),
        ("маълумот", "maʼlumot"),
        ("ер", "yer"),
        ("Конституция", "Konstitutsiya"),
        ("кетсин", "ketsin"),
        ("поэзия", "poeziya"),
        ("Қорақалпоғистон", "Qoraqalpogʻiston"),
        ("ЎЗБЕКИСТОН", "OʻZBEKISTON"),
        ("ШАҲАР", "SHAHAR"),
        ("Янги йил", "Yangi yil"),
    ],
)
def test_uzbek_transliteration_round_trips(cyrillic, latin):
    assert transliterate(cyrillic, "uz", "Latn") == latin
    assert transliterate(latin, "uz", "Cyrl") == cyrillic


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("цирк", "sirk"), ("станция", "stansiya"), ("сентябрь", "sentyabr")],
)
def test_uzbek_letters_the_1995_alphabet_drops_are_lost_one_way(cyrillic, latin):
    assert transliterate(cyrillic, "uz", "Latn") == latin


@pytest.mark.parametrize("variant", ["O'zbekiston", "O’zbekiston", "O‘zbekiston", "O`zbekiston"])
def test_uzbek_apostrophe_variants_are_unified(variant):
    assert unify_uzbek_apostrophes(variant) == "Oʻzbekiston"
    assert transliterate(variant, "uz", "Cyrl") == "Ўзбекистон"


def test_uzbek_tutuq_belgisi_is_unified_too():
    assert unify_uzbek_apostrophes("da'vo va ma’lumot") == "daʼvo va maʼlumot"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Қазақстан", "Qazaqstan"),
        ("Республикасы", "Respublikasy"),
        ("әлеуметтік", "äleumettık"),
        ("жаңалық", "jaŋalyq"),
        ("Айгерім", "Aigerım"),
        ("Ресей", "Resei"),
        ("кейін", "keiın"),
        ("сияқты", "siiaqty"),
        ("Ішкі", "Işkı"),
        ("Иә", "İä"),
        ("ҚАЗАҚСТАН", "QAZAQSTAN"),
        ("Ұлттық", "Ūlttyq"),
        ("Үкімет", "Ükımet"),
        ("шындық", "şyndyq"),
        ("Өскемен", "Öskemen"),
    ],
)
def test_kazakh_transliteration_round_trips(cyrillic, latin):
    assert transliterate(cyrillic, "kk", "Latn") == latin
    assert transliterate(latin, "kk", "Cyrl") == cyrillic


def test_unsupported_transliteration_is_an_error():
    with pytest.raises(ValueError, match="supports uz and kk"):
        transliterate("текст", "ru", "Latn")


def test_vectorised_latin_equals_transliteration_lower_cased():
    uzbek = pd.Series(
        [
            "Ўзбекистон Республикаси",
            "Ёшлар еди ва ер",
            "O'zbekiston da'vo",
            None,
            "Исҳоқ ва Конституция",
        ],
        index=[5, 6, 7, 8, 9],
    )
    found = to_latin_lower(uzbek, "uz")
    assert list(found.index) == [5, 6, 7, 8, 9]
    assert pd.isna(found[8])
    for i in (5, 6, 7, 9):
        assert found[i] == transliterate(uzbek[i], "uz", "Latn").lower()
    assert list(to_latin_lower(pd.Series(["Ішкі Иә"]), "kk")) == ["ışkı iä"]


def test_conllu_reader_takes_the_text_lines_only(fixtures_path):
    sentences = read_conllu_sentences(fixtures_path / "content" / "mini.conllu")
    assert sentences == [
        "Қазақстан осы өңірдегі бейбітшілікті қолдайды.",
        "Біздің елде сізге ерекше құрметпен қарайды.",
    ]
    assert language_accuracy(sentences, "kk") == 1.0
    assert language_accuracy(sentences, "ky") == 0.0


@pytest.mark.skipif(
    not SHARED.exists(), reason="shared/ language samples are not beside the checkout"
)
@pytest.mark.parametrize(
    ("folder", "lang", "floor"),
    [("ud_kazakh", "kk", 0.96), ("ud_kyrgyz", "ky", 0.99), ("ud_uzbek", "uz", 0.99)],
)
def test_language_id_accuracy_on_universal_dependencies(folder, lang, floor):
    sentences = []
    for path in sorted((SHARED / folder).glob("*.conllu")):
        sentences += read_conllu_sentences(path)
    assert len(sentences) >= 500
    assert language_accuracy(sentences, lang) >= floor
