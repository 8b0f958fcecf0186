"""The content pipeline on small real files in Excel and JSON Lines.

Each fixture goes through codebook -> reader -> rename_to_codebook -> clean_content, and every
expected value below was worked out by hand from the inputs (see make_content_fixtures.py and
the comments here), not copied from the code's output. Time zones, from
resources/countries.yml: Uzbekistan Asia/Tashkent and Tajikistan Asia/Dushanbe are UTC+5 all
year; Kazakhstan Asia/Almaty is UTC+5 since 2024-03-01 (UTC+6 before); Kyrgyzstan Asia/Bishkek
is UTC+6.
"""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from milresearch.clean.content import clean_content
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import rename_to_codebook
from milresearch.errors import DataError
from milresearch.ingest import readers
from milresearch.ingest.codebook import load_codebook


def _pipeline(codebook_path):
    book = load_codebook(codebook_path)
    raw = readers.read_raw(book)
    frame = rename_to_codebook(raw, book)
    log = CleaningLog()
    pii = [v.name for v in book.variables.values() if v.pii]
    out = clean_content(frame, dataset=book.dataset.name, log=log, pii=pii)
    return {
        "book": book,
        "raw": raw.frame,
        "frame": frame,
        "pii": pii,
        "data": out.set_index("item_id"),
        "log": log.to_frame(),
    }


def _rows(log: pd.DataFrame, rule: str, detail: str | None = None) -> dict[str, int]:
    """Rows a rule touched, per country (zeros included)."""
    here = log[log["rule"] == rule]
    if detail is not None:
        here = here[here["detail"] == detail]
    return {str(c): int(n) for c, n in here.groupby("country")["rows"].sum().items()}


def _details(log: pd.DataFrame, rule: str) -> dict[str, str]:
    here = log[log["rule"] == rule]
    return dict(zip(here["country"], here["detail"], strict=True))


def _utc(data: pd.DataFrame) -> dict[str, str]:
    return data["date_utc"].dt.strftime("%Y-%m-%d %H:%M").to_dict()


def _local(data: pd.DataFrame) -> dict[str, str]:
    return data["date_local"].map(str).to_dict()


@pytest.fixture(scope="module")
def content_dir(fixtures_path):
    return fixtures_path / "content"


# Excel: an Uzbek and Tajik fact-checker's export with two header rows.
@pytest.fixture(scope="module")
def xlsx(content_dir):
    return _pipeline(content_dir / "mini_content_xlsx.codebook.yml")


XLSX_IDS = [
    "UZ-001",
    "UZ-002",
    "TJ-003",
    "TJ-004",
    "UZ-005",
    "UZ-006",
    "UZ-007",
    "UZ-008",
    "TJ-009",
    "TJ-010",
]


def test_xlsx_source_names_come_from_the_first_of_two_header_rows(xlsx):
    assert xlsx["book"].dataset.header_rows == 2 and xlsx["book"].dataset.names_row == 1
    assert list(xlsx["raw"].columns) == [
        "ID",
        "Страна",
        "Ссылка",
        "Дата публикации",
        "Утверждение",
        "Платформа",
        "Ссылка на источник",
        "Вердикт",
        "Язык",
        "Автор",
        "Примечание",
    ]
    assert len(xlsx["raw"]) == 10  # the English header row is not read as data
    assert list(xlsx["data"].index) == XLSX_IDS


def test_xlsx_countries_from_eight_spellings(xlsx):
    data, log = xlsx["data"], xlsx["log"]
    assert data["country"].value_counts().to_dict() == {"UZB": 6, "TJK": 4}
    assert data.loc[["TJ-003", "TJ-004", "TJ-009", "TJ-010"], "country"].tolist() == ["TJK"] * 4
    assert _rows(log, "rows_read") == {"TJK": 4, "UZB": 6}


def test_xlsx_drop_column_and_undeclared_column_never_enter_the_pipeline(xlsx):
    frame, data = xlsx["frame"], xlsx["data"]
    assert "claim_author" not in frame and "claim_author" not in data
    assert not {"Автор", "Примечание"} & set(frame.columns)
    assert list(frame.columns) == [
        "item_id",
        "country",
        "url",
        "date_published",
        "claim_text",
        "claim_platform",
        "claim_url",
        "verdict_raw",
        "language",
    ]
    cells = data.astype("string").fillna("").to_numpy().ravel().tolist()
    for name in ("Aziz Karimov", "Дилноза Юсупова", "Rustam Kholov", "Зарина Шарипова"):
        assert not any(name in cell for cell in cells)
    assert not any("повтор" in cell or "проверено" in cell for cell in cells)


def test_xlsx_verdicts_per_row(xlsx):
    data = xlsx["data"]
    expected = {
        "UZ-001": "false",  # Yolg‘on, with U+2018 for the apostrophe
        "UZ-002": "false",  # Ёлғон
        "TJ-003": "false",  # Фейк
        "TJ-004": "misleading",  # Манипуляция
        "UZ-005": "false",  # Yolg‘on
        "UZ-006": "misleading",  # Манипуляция
        "UZ-008": "other",  # Tekshirilmoqda ("being checked"): no verdict table knows it
        "TJ-009": "false",  # Фейк
        "TJ-010": "misleading",  # Манипуляция
    }
    assert {i: data.loc[i, "verdict"] for i in expected} == expected


def test_xlsx_uzbek_latin_rost_is_true(xlsx):
    assert xlsx["data"].loc["UZ-007", "verdict"] == "true"


def test_xlsx_unknown_verdict_label_is_listed_in_the_log(xlsx):
    log = xlsx["log"]
    details = _details(log, "verdict_unmapped")
    assert details["UZB"] == "Tekshirilmoqda (1)"
    assert _rows(log, "verdict_unmapped") == {"UZB": 1, "TJK": 0}
    assert details["TJK"] == ""


def test_xlsx_duplicate_url_differs_only_by_scheme_host_slash_and_utm(xlsx):
    data, log = xlsx["data"], xlsx["log"]
    first = "https://factcheck.uz/uz/checks/101"
    assert data.loc["UZ-001", "url_canonical"] == first
    assert data.loc["UZ-005", "url_canonical"] == first
    assert data.index[data["is_duplicate_url"]].tolist() == ["UZ-005"]
    assert int(data["is_duplicate_url"].sum()) == 1
    assert data["url_canonical"].nunique() == 9
    assert _rows(log, "duplicate_url") == {"TJK": 0, "UZB": 1}


def test_xlsx_platforms(xlsx):
    data, log = xlsx["data"], xlsx["log"]
    assert data["platform"].to_dict() == {
        "UZ-001": "telegram",  # Телеграм
        "UZ-002": "telegram",  # t.me
        "TJ-003": "odnoklassniki",  # ok.ru
        "TJ-004": "instagram",  # Instagram
        "UZ-005": "telegram",  # t.me
        "UZ-006": "facebook",  # no name: the host of the facebook.com claim URL
        "UZ-007": "instagram",
        "UZ-008": "telegram",
        "TJ-009": "odnoklassniki",
        "TJ-010": "instagram",
    }
    assert data["platform"].value_counts().to_dict() == {
        "telegram": 4,
        "instagram": 3,
        "odnoklassniki": 2,
        "facebook": 1,
    }
    assert sum(_rows(log, "platform_other_or_unknown").values()) == 0


def test_xlsx_dates_in_utc_and_local_time(xlsx):
    data, log = xlsx["data"], xlsx["log"]
    # Tashkent and Dushanbe are UTC+5: a bare date is local midnight, 19:00 UTC the day before.
    assert _utc(data) == {
        "UZ-001": "2024-03-11 19:00",  # 12.03.2024
        "UZ-002": "2024-03-12 23:30",  # 2024-03-12T23:30:00+00:00
        "TJ-003": "2024-03-11 19:00",  # 12 марта 2024
        "TJ-004": "2024-03-12 20:15",  # 2024-03-13T01:15:00+05:00
        "UZ-005": "2024-03-14 05:00",  # 2024-03-14T08:00:00+03:00
        "UZ-006": "2024-03-15 04:30",  # native Excel date-time 15.03.2024 09:30, local
        "UZ-007": "2024-03-15 19:00",  # 16 март 2024
        "UZ-008": "2024-03-17 09:05",  # 17.03.2024 14:05
        "TJ-009": "2024-03-18 06:45",  # 2024-03-18T06:45:00Z
        "TJ-010": "2024-03-17 19:00",  # 18.03.2024
    }
    assert _local(data) == {
        "UZ-001": "2024-03-12",
        "UZ-002": "2024-03-13",  # 04:30 in Tashkent
        "TJ-003": "2024-03-12",
        "TJ-004": "2024-03-13",
        "UZ-005": "2024-03-14",
        "UZ-006": "2024-03-15",
        "UZ-007": "2024-03-16",
        "UZ-008": "2024-03-17",
        "TJ-009": "2024-03-18",
        "TJ-010": "2024-03-18",
    }
    assert sum(_rows(log, "dates_unparsed").values()) == 0


def test_xlsx_phone_and_email_in_claims_are_scrubbed(xlsx):
    data, log = xlsx["data"], xlsx["log"]
    assert xlsx["pii"] == ["claim_text"]
    assert data.loc["UZ-001", "claim_text"] == (
        "Markaziy bank har bir fuqaroga bir million soʻm tarqatmoqda, roʻyxatdan oʻtish "
        "uchun [phone] raqamiga SMS yuboring"
    )
    assert data.loc["UZ-006", "claim_text"] == (
        "Минздрав раздаёт бесплатные витамины всем пенсионерам, заявки принимаются по адресу "
        "[email] до конца месяца"
    )
    texts = data["claim_text"]
    assert not texts.str.contains("+998", regex=False).any()
    assert not texts.str.contains("123-45-67", regex=False).any()
    assert not texts.str.contains("@", regex=False).any()
    assert not texts.str.contains("vitamin.free", regex=False).any()
    assert _rows(log, "pii_scrubbed", detail="claim_text") == {"TJK": 0, "UZB": 2}


def test_xlsx_languages_and_scripts(xlsx):
    data = xlsx["data"]
    found = {i: f"{data.loc[i, 'lang']}-{data.loc[i, 'script']}" for i in XLSX_IDS}
    assert found == {
        "UZ-001": "uz-Latn",
        "UZ-002": "uz-Cyrl",
        "TJ-003": "tg-Cyrl",
        "TJ-004": "ru-Cyrl",
        "UZ-005": "uz-Latn",
        "UZ-006": "ru-Cyrl",
        "UZ-007": "uz-Latn",
        "UZ-008": "uz-Latn",
        "TJ-009": "en-Latn",
        "TJ-010": "tg-Cyrl",
    }
    assert data["language_raw"].tolist() == [f.split("-")[0] for f in found.values()]


# JSON Lines: a Kazakh and Kyrgyz social-media monitoring export with nested objects.
@pytest.fixture(scope="module")
def jsonl(content_dir):
    return _pipeline(content_dir / "mini_content_jsonl.codebook.yml")


JSONL_IDS = [f"p{i:02d}" for i in range(1, 11)]


def test_jsonl_nested_fields_are_read_by_dotted_paths(jsonl):
    raw, frame, data = jsonl["raw"], jsonl["frame"], jsonl["data"]
    assert len(raw) == 10 and list(data.index) == JSONL_IDS
    assert {"platform.name", "author.name", "author.bio", "review.verdict"} <= set(raw.columns)
    assert not [c for c in frame.columns if "." in c]
    assert data.loc["p04", "claim_author"] == "KG News"
    assert pd.isna(data.loc["p09", "claim_author"])  # the post has no author object
    assert data["source_type"].value_counts().to_dict() == {
        "media": 3,
        "blogger": 2,
        "channel": 2,
        "group": 2,
    }
    assert _rows(jsonl["log"], "rows_read") == {"KAZ": 5, "KGZ": 5}


def test_jsonl_verdicts_per_row_and_the_unknown_label(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    expected = {
        "p01": "false",  # Жалған (kk)
        "p02": "false",  # Жалган (ky)
        "p03": "false",  # Фейк
        "p04": "misleading",  # Манипуляция
        "p05": "misleading",  # Missing context
        "p06": "mixed",  # жартылай шындық
        "p07": "other",  # Тексерілуде ("being checked", kk): unknown
        "p08": "true",  # Чындык (ky)
        "p09": "unproven",  # Unverified
    }
    assert {i: data.loc[i, "verdict"] for i in expected} == expected
    assert pd.isna(data.loc["p10", "verdict"])  # null in the file: no verdict, not "other"
    assert _rows(log, "verdict_unmapped") == {"KAZ": 1, "KGZ": 0}
    assert _details(log, "verdict_unmapped") == {"KAZ": "Тексерілуде (1)", "KGZ": ""}


def test_jsonl_duplicate_url(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    post = "https://facebook.com/kgnews/posts/123456"
    assert data.loc["p04", "url_canonical"] == post  # fbclid dropped
    assert data.loc["p05", "url_canonical"] == post  # m. host and trailing slash
    assert data.loc["p08", "url_canonical"] == "https://youtube.com/watch?v=AbCdEf12345"
    assert data.index[data["is_duplicate_url"]].tolist() == ["p05"]
    assert _rows(log, "duplicate_url") == {"KAZ": 0, "KGZ": 1}


def test_jsonl_platforms(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    assert data["platform"].to_dict() == {
        "p01": "instagram",
        "p02": "telegram",
        "p03": "telegram",  # Телеграм-канал
        "p04": "facebook",
        "p05": "facebook",  # FB
        "p06": "tiktok",
        "p07": "vk",  # ВКонтакте
        "p08": "youtube",
        "p09": "x",  # Twitter
        "p10": "odnoklassniki",  # Одноклассники
    }
    assert sum(_rows(log, "platform_other_or_unknown").values()) == 0


def test_jsonl_dates_in_mixed_time_zones(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    assert _utc(data) == {
        "p01": "2024-03-12 23:30",  # Z
        "p02": "2024-03-12 04:00",  # 10:00+06:00
        "p03": "2024-03-12 21:00",  # 02:00+05:00 on the 13th
        "p04": "2024-03-12 17:30",  # naive 23:30 in Bishkek (UTC+6)
        "p05": "2024-03-13 00:00",  # epoch seconds 1710288000, a JSON number
        "p06": "2024-02-20 17:30",  # naive 23:30 in Almaty, still UTC+6 in February 2024
        "p07": "2024-03-14 09:00",  # 12:00+03:00
        "p08": "2024-03-14 20:30",  # Z
        "p09": "2024-03-15 03:00",  # 08:00+05:00
        "p10": "2024-03-15 03:00",  # 15.03.2024 09:00 in Bishkek
    }
    assert _local(data) == {
        "p01": "2024-03-13",  # 04:30 in Almaty (UTC+5 since 2024-03-01)
        "p02": "2024-03-12",
        "p03": "2024-03-13",
        "p04": "2024-03-12",
        "p05": "2024-03-13",  # 06:00 in Bishkek
        "p06": "2024-02-20",
        "p07": "2024-03-14",
        "p08": "2024-03-15",  # 02:30 in Bishkek
        "p09": "2024-03-15",
        "p10": "2024-03-15",
    }
    assert sum(_rows(log, "dates_unparsed").values()) == 0


def test_jsonl_phone_and_profile_link_scrubbed_amounts_kept(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    assert jsonl["pii"] == ["claim_text", "claim_author", "author_bio"]
    assert data.loc["p03", "claim_text"] == (
        "Акимат выплачивает по 50 000 тенге каждой многодетной семье, звоните [phone] "
        "или пишите в [handle]"
    )
    texts = data["claim_text"]
    assert not texts.str.contains("+7", regex=False).any()
    assert not texts.str.contains("aidos_pomosh", regex=False).any()
    assert _rows(log, "pii_scrubbed", detail="claim_text") == {"KAZ": 1, "KGZ": 0}


def test_jsonl_declared_pii_column_beyond_the_claim_is_scrubbed(jsonl):
    data, log = jsonl["data"], jsonl["log"]
    assert data.loc["p07", "author_bio"] == "Пишите в редакцию: [email]"
    assert data.loc["p01", "author_bio"] == "Алматы жаңалықтары"
    assert not data["author_bio"].str.contains("@", regex=False).fillna(False).any()
    assert _rows(log, "pii_scrubbed", detail="author_bio") == {"KAZ": 1, "KGZ": 0}
    assert _rows(log, "pii_scrubbed", detail="claim_author") == {"KAZ": 0, "KGZ": 0}


def test_jsonl_languages_and_scripts(jsonl):
    data = jsonl["data"]
    found = {i: f"{data.loc[i, 'lang']}-{data.loc[i, 'script']}" for i in JSONL_IDS}
    assert found == {
        "p01": "kk-Cyrl",
        "p02": "ky-Cyrl",
        "p03": "ru-Cyrl",
        "p04": "ru-Cyrl",
        "p05": "en-Latn",
        "p06": "kk-Cyrl",
        "p07": "ru-Cyrl",
        "p08": "ky-Cyrl",
        "p09": "en-Latn",
        "p10": "ky-Cyrl",
    }


# Items without a country.
def _copy(content_dir, tmp_path, stem, suffix):
    for name in (f"{stem}.codebook.yml", f"{stem}{suffix}"):
        shutil.copy(content_dir / name, tmp_path / name)
    return tmp_path / f"{stem}.codebook.yml", tmp_path / f"{stem}{suffix}"


def _blank_xlsx_cell(path, cell):
    wb = openpyxl.load_workbook(path)
    wb.active[cell] = None
    wb.save(path)


def test_jsonl_item_without_a_country_names_the_file_and_row(content_dir, tmp_path):
    codebook, data = _copy(content_dir, tmp_path, "mini_content_jsonl", ".jsonl")
    lines = data.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[3])  # p04, line 4 of the file
    del record["country"]
    lines[3] = json.dumps(record, ensure_ascii=False)
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = load_codebook(codebook)
    assert book.dataset.country is None
    with pytest.raises(DataError) as caught:
        rename_to_codebook(readers.read_raw(book), book)
    assert caught.value.path == data
    message = str(caught.value)
    assert str(data) in message
    assert re.search(r"\brows? 4\b", message)
    assert "1 item" in message


def test_xlsx_item_without_a_country_names_the_file(content_dir, tmp_path):
    codebook, data = _copy(content_dir, tmp_path, "mini_content_xlsx", ".xlsx")
    _blank_xlsx_cell(data, "B6")  # Страна of TJ-004: sheet row 6, the 4th item
    book = load_codebook(codebook)
    with pytest.raises(DataError) as caught:
        rename_to_codebook(readers.read_raw(book), book)
    assert caught.value.path == data
    assert str(data) in str(caught.value)
    assert "1 item" in str(caught.value)


def test_xlsx_item_without_a_country_names_the_item_and_its_data_row(content_dir, tmp_path):
    codebook, data = _copy(content_dir, tmp_path, "mini_content_xlsx", ".xlsx")
    _blank_xlsx_cell(data, "B6")
    book = load_codebook(codebook)
    with pytest.raises(DataError) as caught:
        rename_to_codebook(readers.read_raw(book), book)
    # Sheet row 6 is data row 4 below the two header rows; the item id removes any doubt.
    assert "item_id TJ-004" in str(caught.value)
    assert "data rows 4 below the header" in str(caught.value)


def test_xlsx_blank_country_is_filled_from_dataset_country(content_dir, tmp_path):
    codebook, data = _copy(content_dir, tmp_path, "mini_content_xlsx", ".xlsx")
    _blank_xlsx_cell(data, "B4")  # Страна of UZ-002
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(text.replace("  synthetic: true\n", "  synthetic: true\n  country: UZB\n"))
    book = load_codebook(codebook)
    frame = rename_to_codebook(readers.read_raw(book), book)
    assert frame["country"].tolist() == ["UZB"] * 2 + ["TJK"] * 2 + ["UZB"] * 4 + ["TJK"] * 2
