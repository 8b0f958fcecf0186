from pathlib import Path

import pytest

from milresearch.text import (
    detect_language,
    language_accuracy,
    read_conllu_sentences,
    transliterate,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "language"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Правительство повысит тарифы на газ с января следующего года", ("ru", "Cyrl")),
        ("Новостям по телевизору не доверяю, смотрю Telegram-каналы", ("ru", "Cyrl")),
        ("Жалған ақпарат әлеуметтік желілерде көп таралады", ("kk", "Cyrl")),
        ("Мектепте медиасауаттылық сабағы өте қажет", ("kk", "Cyrl")),
        ("Жалган маалымат WhatsAppта көп тарайт деп айтышат", ("ky", "Cyrl")),
        ("Маалыматты текшерүүнү үйрөнгүм келет", ("ky", "Cyrl")),
        ("Telegram kanallaridagi yangiliklarga har doim ham ishonib boʻlmaydi", ("uz", "Latn")),
        ("Soxta xabarlarni qanday aniqlashni o'rganmoqchiman", ("uz", "Latn")),
        ("Сохта хабарларни қандай аниқлашни ўрганмоқчиман", ("uz", "Cyrl")),
        ("Дар шабакаҳои иҷтимоӣ хабарҳои бардурӯғ бисёранд", ("tg", "Cyrl")),
        ("Sosial ulgamlarda ýalan habarlar köp", ("tk", "Latn")),
        ("Habarlary barlamagy öwrenmek isleýärin", ("tk", "Latn")),
        ("Schools should teach children how to check their sources", ("en", "Latn")),
        ("سوشل میڈیا پر جھوٹی خبریں بہت زیادہ ہیں", ("ur", "Arab")),
        ("ok", ("und", "Zyyy")),
        ("12345 !!!", ("und", "Zyyy")),
    ],
)
def test_language_and_script_of_sentences(sentence, expected):
    assert detect_language(sentence) == expected


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Ўзбекистон", "Oʻzbekiston"), ("ғалаба", "gʻalaba"), ("шаҳар", "shahar"),
     ("янгиликлар", "yangiliklar"), ("Европа", "Yevropa"), ("эшик", "eshik"), ("Тошкент", "Toshkent")],
)  # fmt: skip
def test_uzbek_transliteration_round_trips(cyrillic, latin):
    assert transliterate(cyrillic, "uz", "Latn") == latin
    assert transliterate(latin, "uz", "Cyrl") == cyrillic


def test_uzbek_apostrophe_variants_are_unified():
    assert (
        transliterate("O'zbekiston", "uz", "Cyrl")
        == transliterate("O’zbekiston", "uz", "Cyrl")
        == "Ўзбекистон"
    )


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Қазақстан", "Qazaqstan"), ("Республикасы", "Respublikasy"), ("әлеуметтік", "äleumettık"),
     ("жаңалық", "jaŋalyq")],
)  # fmt: skip
def test_kazakh_transliteration_round_trips(cyrillic, latin):
    assert transliterate(cyrillic, "kk", "Latn") == latin
    assert transliterate(latin, "kk", "Cyrl") == cyrillic


def test_unsupported_transliteration_is_an_error():
    with pytest.raises(ValueError, match="supports uz and kk"):
        transliterate("текст", "ru", "Latn")


@pytest.mark.skipif(
    not SHARED.exists(), reason="shared/ language samples are not beside the checkout"
)
@pytest.mark.parametrize(
    ("folder", "lang", "floor"),
    [("ud_kazakh", "kk", 0.93), ("ud_kyrgyz", "ky", 0.95), ("ud_uzbek", "uz", 0.97)],
)
def test_language_id_accuracy_on_universal_dependencies(folder, lang, floor):
    sentences = []
    for path in sorted((SHARED / folder).glob("*test*.conllu")):
        sentences += read_conllu_sentences(path)
    assert len(sentences) >= 500
    assert language_accuracy(sentences, lang) >= floor
