import pandas as pd
import pytest

from milresearch.clean.privacy import scrub_series, scrub_text


@pytest.mark.parametrize(
    ("raw", "scrubbed"),
    [
        # E-mail addresses (ru, kk, uz, en).
        ("пишите aigerim.k11@mail.ru", "пишите [email]"),
        ("Хабарласыңыз: info@factcheck.kz, рахмет", "Хабарласыңыз: [email], рахмет"),
        ("Murojaat uchun: dilnoza_2024@gmail.com.", "Murojaat uchun: [email]."),
        ("Send tips to Ali.Raza+news@yahoo.com.pk today", "Send tips to [email] today"),
        # Kazakhstan.
        ("мой номер +7 701 555 12 17", "мой номер [phone]"),
        ("Тел.: +7 (727) 250-12-34", "Тел.: [phone]"),
        ("WhatsApp: +77015551217", "WhatsApp: [phone]"),
        ("звоните 8 (701) 123-45-67", "звоните [phone]"),
        ("Нөмірі 8 777 123 45 67 екен", "Нөмірі [phone] екен"),
        ("87011234567 нөміріне хабарласыңыз", "[phone] нөміріне хабарласыңыз"),
        # Kyrgyzstan, Tajikistan, Turkmenistan.
        ("+996 (555) 12-34-56 звоните", "[phone] звоните"),
        ("Номер: 0555 123 456", "Номер: [phone]"),
        ("+992 93 555 1234", "[phone]"),
        ("тел. +992-918-12-34-56", "тел. [phone]"),
        ("+993 65 12 34 56", "[phone]"),
        ("jaň ediň: 8 (65) 12-34-56", "jaň ediň: [phone]"),
        # Uzbekistan.
        ("telefon: +998 (90) 123-45-67", "telefon: [phone]"),
        ("Qoʻngʻiroq qiling +998901234567", "Qoʻngʻiroq qiling [phone]"),
        ("Tel: (93) 555-12-34 ga yozing", "Tel: [phone] ga yozing"),
        ("raqam 90 123 45 67 orqali", "raqam [phone] orqali"),
        # Pakistan.
        ("Call me on +92 300 1234567", "Call me on [phone]"),
        ("WhatsApp 0300-1234567", "WhatsApp [phone]"),
        ("رابطہ کریں 03211234567", "رابطہ کریں [phone]"),
        # Links to people and bare handles.
        ("Подписывайтесь t.me/newsfan11", "Подписывайтесь [handle]"),
        ("Kanal: https://t.me/s/tezkor_xabar/5521", "Kanal: [handle]"),
        ("https://www.instagram.com/aigerim_k/", "[handle]"),
        ("tiktok.com/@dilnoza.k", "[handle]"),
        ("see https://www.tiktok.com/@ali.raza/video/7301 now", "see [handle] now"),
        ("профиль vk.com/id123456 и ok.ru/profile/5735", "профиль [handle] и [handle]"),
        ("https://m.facebook.com/profile.php?id=100012345", "[handle]"),
        ("Follow x.com/ImranFan_92 and twitter.com/PTIofficial", "Follow [handle] and [handle]"),
        ("пишите @aigerim_k в телеграм", "пишите [handle] в телеграм"),
        ("(@Tezkor_Xabar)", "([handle])"),
        # Kept: posts, pages, numbers, dates, percentages, prices, markup.
        ("https://www.instagram.com/p/C3xYz12/", "https://www.instagram.com/p/C3xYz12/"),
        ("https://www.facebook.com/watch?v=12345", "https://www.facebook.com/watch?v=12345"),
        ("https://x.com/i/status/1767", "https://x.com/i/status/1767"),
        ("в 2024 году 45% людей, 12.03.2024", "в 2024 году 45% людей, 12.03.2024"),
        ("Индекс 050000, дом 12", "Индекс 050000, дом 12"),
        ("Narxi 1 250 000 soʻm, 2025-03-01 dan", "Narxi 1 250 000 soʻm, 2025-03-01 dan"),
        ("Температура +7, 12 марта 2024 г.", "Температура +7, 12 марта 2024 г."),
        ("Population 241 499 431 (2023)", "Population 241 499 431 (2023)"),
        ("ID 8 500 000 тенге", "ID 8 500 000 тенге"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_personal_data_is_replaced_and_ordinary_text_kept(raw, scrubbed):
    assert scrub_text(raw) == scrubbed


def test_scrub_series_counts_changed_values_and_keeps_missing():
    values = pd.Series(["a@b.kz", "hello", None, "+7 701 555 12 17"])
    out, changed = scrub_series(values)
    assert list(changed) == [True, False, False, True]
    assert list(out.fillna("NA")) == ["[email]", "hello", "NA", "[phone]"]


def test_a_million_texts_are_all_scrubbed():
    texts = pd.Series(
        [
            "Срочно! Банк раздаёт по 50 тысяч, пишите admin@bank-kz.info или +7 701 555 12 17",
            "Sarimsoq grippni 3 kunda davolaydi, 2024 yil 45% odamlar",
            "Bank gives 10 thousand rupees, call 0300-1234567 or see t.me/fake_bank",
        ]
        * 333_334
    )
    _, changed = scrub_series(texts)
    assert changed.sum() == 666_668
