"""Codes and codebook texts in the report language."""

from milresearch.reports.labels import (
    group_label,
    language_label,
    localised,
    mode_label,
    platform_label,
)


def test_language_tags_read_as_words_in_each_report_language():
    assert language_label("ru · Cyrl", "ru") == "русский (кириллица)"
    assert language_label("uz-Latn", "en") == "Uzbek (Latin)"
    # The region's own usage wins over CLDR's "киргизский".
    assert language_label("ky", "ru") == "кыргызский"
    assert language_label("und", "ru") == "Язык не определён"


def test_platform_codes_and_modes_read_as_names():
    assert platform_label("website", "ru") == "Сайты"
    assert platform_label("vk", "ru") == "ВКонтакте"
    assert platform_label("telegram", "ru") == "Telegram"
    assert platform_label("mastodon", "ru") == "mastodon"  # an undeclared code stays as given
    assert mode_label("CAPI", "ru").startswith("Личное интервью")
    assert mode_label("door to door", "ru") == "door to door"


def test_a_codebook_text_falls_back_to_english_then_to_any():
    assert localised({"en": "Survey", "ru": "Опрос"}, "ru") == "Опрос"
    assert localised({"en": "Survey"}, "ru") == "Survey"
    assert localised({"kk": "Сауалнама"}, "ru") == "Сауалнама"
    assert localised("Survey", "ru") == "Survey"
    assert localised(None, "en") == ""


def test_an_age_band_reads_as_a_heading_in_tables_and_as_words_in_a_sentence():
    assert group_label("age_group", "16-24", "en") == "Age 16–24"
    assert group_label("age_group", "65+", "en", in_text=True) == "aged 65+"
    assert group_label("age_group", "16-24", "ru") == "Возраст 16–24"
    assert group_label("age_group", "16-24", "ru", in_text=True) == "в возрасте 16–24"
