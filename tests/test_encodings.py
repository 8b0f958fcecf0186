"""Encodings: a non-UTF-8 file is read in the one encoding whose text looks real, or refused."""

import pytest

from milresearch.errors import DataError
from milresearch.ingest.encodings import detect_encoding, score

# Short CSVs as vendors deliver them, in the region's scripts and in Western European Latin.
TEXTS = {
    "russian": "id;вопрос;ответ\n1;Доверяете ли вы телевидению?;Скорее доверяю\n"
    "2;Как часто вы читаете газеты;Каждый день\n3;Город;Алматы, Бишкек, Душанбе\n",
    "russian_caps": "ID;ВОПРОС;ОТВЕТ\n1;ТЕЛЕВИДЕНИЕ;ДА\n2;ГАЗЕТЫ И ЖУРНАЛЫ;НЕТ\n3;Радио;нет\n",
    "uzbek_latin": "ism;viloyat\nO‘ktam;Farg‘ona\nShahlo;Qo‘qon\nAli;Toshkent\n",
    "french": "nom;ville\nJosé;Bogotá\nFrançois;Besançon\nMüller;Köln\n",
}
ENCODINGS = ("cp1251", "koi8-r", "cp866", "cp1252")


def _cases():
    for name, text in TEXTS.items():
        for encoding in ENCODINGS:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue  # the encoding cannot hold this script
            yield pytest.param(data, text, id=f"{name}-{encoding}")


@pytest.mark.parametrize(("data", "text"), list(_cases()))
def test_a_file_is_read_as_its_own_text_never_as_mojibake(data, text):
    assert data.decode(detect_encoding(data)) == text


def test_every_case_of_the_corpus_is_tried():
    # Russian in three Cyrillic encodings (twice), Uzbek Latin in two, French in one. (Kazakh,
    # Kyrgyz, Tajik and Uzbek Cyrillic letters such as ә, ң, қ, ҳ fit no single-byte candidate.)
    assert len(list(_cases())) == 9


@pytest.mark.parametrize(
    ("mojibake", "good"),
    [("пРИВЕТ мИР", "Привет мир"), ("Ïðèâåò", "Привет"), ("cafй", "café")],
)
def test_mojibake_scores_below_real_text(mojibake, good):
    assert score(mojibake) < 0.5 < score(good) == 1.0


def test_a_file_no_candidate_reads_plausibly_is_refused_with_the_candidates():
    # Bytes that decode in every single-byte encoding but read as nothing in any of them.
    data = bytes(range(0x80, 0x100)).replace(b"\x98", b"").replace(b"\x81", b"")
    with pytest.raises(DataError, match=r"(?s)cannot be recognised.*cp1251.*What to do"):
        detect_encoding(data)


def test_a_text_two_encodings_read_equally_well_is_refused_as_ambiguous():
    # One capital letter: "Б" in cp1251 is "б" in koi8-r; nothing tells them apart.
    with pytest.raises(DataError, match=r"(?s)ambiguous.*cp1251.*koi8-r.*dataset.encoding"):
        detect_encoding("a;Б\n".encode("cp1251"))
