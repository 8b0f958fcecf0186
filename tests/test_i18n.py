import re

import pytest

from milresearch.errors import DataError
from milresearch.reports.i18n import catalogue, check_language, t


def _placeholders(text):
    return set(re.findall(r"{(\w+)}", text))


def test_every_language_has_every_key():
    cat = catalogue()
    assert set(cat) == {"en", "ru"}
    assert set(cat["ru"]) == set(cat["en"])


def test_translations_keep_the_same_placeholders():
    cat = catalogue()
    wrong = [k for k in cat["en"] if _placeholders(cat["en"][k]) != _placeholders(cat["ru"][k])]
    assert wrong == []


def test_russian_headings_are_cyrillic():
    assert re.search("[А-Яа-я]", t("section.media", "ru"))
    assert t("report.title", "ru", country="Казахстан").endswith("Казахстан")


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(DataError, match="no messages for language 'fr'"):
        check_language("fr")
