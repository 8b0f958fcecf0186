import pandas as pd
import pytest

from milresearch.privacy import scrub_series, scrub_text


@pytest.mark.parametrize(
    ("raw", "scrubbed"),
    [
        ("пишите aigerim.k11@mail.ru", "пишите [email]"),
        ("мой номер +7 701 555 12 17", "мой номер [phone]"),
        ("+996 (555) 12-34-56 звоните", "[phone] звоните"),
        ("telefon: +998 (90) 123-45-67", "telefon: [phone]"),
        ("Call me on +92 300 1234567", "Call me on [phone]"),
        ("+992 93 555 1234", "[phone]"),
        ("+993 65 12 34 56", "[phone]"),
        ("звоните 8 (701) 123-45-67", "звоните [phone]"),
        ("WhatsApp 0300-1234567", "WhatsApp [phone]"),
        ("Подписывайтесь t.me/newsfan11", "Подписывайтесь [handle]"),
        ("https://www.instagram.com/aigerim_k/", "[handle]"),
        ("tiktok.com/@dilnoza.k", "[handle]"),
        ("пишите @aigerim_k в телеграм", "пишите [handle] в телеграм"),
        ("в 2024 году 45% людей, 12.03.2024", "в 2024 году 45% людей, 12.03.2024"),
        ("Индекс 050000, дом 12", "Индекс 050000, дом 12"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_personal_data_is_replaced_and_ordinary_text_kept(raw, scrubbed):
    assert scrub_text(raw) == scrubbed


def test_scrub_series_counts_changed_values_and_keeps_missing():
    values = pd.Series(["a@b.kz", "hello", None, "+7 701 555 12 17"])
    out, changed = scrub_series(values)
    assert changed == 2
    assert list(out.fillna("NA")) == ["[email]", "hello", "NA", "[phone]"]
