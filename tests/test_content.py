import pandas as pd
import pytest

from milresearch import readers
from milresearch.claimreview import read_claimreview
from milresearch.clean import rename_to_codebook
from milresearch.cleaninglog import CleaningLog
from milresearch.codebook import load_codebook
from milresearch.content import (
    add_clusters,
    canonical_platform,
    canonical_url,
    clean_content,
    normalize_verdict,
    parse_dates,
)
from milresearch.errors import DataError


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        ("Фейк", "false"), ("ФЕЙК.", "false"), ("  Ложь ", "false"), ("Неправда", "false"),
        ("Fake", "false"), ("False", "false"), ("Mostly false", "false"), ("жалған", "false"),
        ("Өтірік", "false"), ("Yolgʻon", "false"), ("Yolg'on", "false"), ("Ёлғон", "false"),
        ("Дурӯғ", "false"), ("Жалган", "false"),
        ("Манипуляция", "misleading"), ("Манипуляцыя", "misleading"), ("Вводит в заблуждение", "misleading"),
        ("Вне контекста", "misleading"), ("Misleading", "misleading"), ("Missing context", "misleading"),
        ("Chalgʻituvchi", "misleading"),
        ("Полуправда", "mixed"), ("Частично правда", "mixed"), ("жартылай шындық", "mixed"),
        ("Half true", "mixed"), ("Half-true", "mixed"), ("Chala haqiqat", "mixed"),
        ("Без вердикта", "unproven"), ("Не подтверждено", "unproven"), ("Unproven", "unproven"),
        ("No verdict", "unproven"), ("Tasdiqlanmagan", "unproven"),
        ("Правда", "true"), ("TRUE", "true"), ("Mostly true", "true"), ("Шындық", "true"), ("Haqiqat", "true"),
        ("Сатира", "satire"), ("Satire", "satire"),
        ("правда и манипуляция", "misleading"), ("Полуправда / Фейк", "false"), ("true and half true", "mixed"),
        ("Требует проверки", "other"), ("см. комментарий", "other"), ("", "other"), (None, "other"),
    ],
)  # fmt: skip
def test_verdict_labels_map_to_canonical_verdicts(raw, verdict):
    assert normalize_verdict(raw) == verdict


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "http://www.Example.kz/news/1/?utm_source=fb&b=2&a=1#top",
            "https://example.kz/news/1?a=1&b=2",
        ),
        ("https://m.facebook.com/post/123/", "https://facebook.com/post/123"),
        ("t.me/channel/55?si=abc", "https://t.me/channel/55"),
        ("https://mobile.twitter.com/a/status/1?ref_src=twsrc", "https://twitter.com/a/status/1"),
        ("https://kun.uz/news/%D0%B0%D0%B1%D0%B2", "https://kun.uz/news/абв"),
        ("https://example.com/a?fbclid=x&gclid=y&q=1", "https://example.com/a?q=1"),
    ],
)
def test_urls_are_canonicalised(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("t.me", "telegram"), ("Телеграм", "telegram"), ("TG", "telegram"), ("ok.ru", "odnoklassniki"),
     ("Одноклассники", "odnoklassniki"), ("FB", "facebook"), ("insta", "instagram"),
     ("https://www.youtube.com/watch?v=1", "youtube"), ("https://m.facebook.com/x", "facebook"),
     ("Twitter", "x"), ("", "unknown"), (None, "unknown"), ("myspace", "other")],
)  # fmt: skip
def test_platform_names_are_canonicalised(raw, platform):
    assert canonical_platform(raw) == platform


@pytest.mark.parametrize(
    ("value", "zone", "utc", "local"),
    [
        ("2024-03-12T23:30:00Z", "Asia/Almaty", "2024-03-12 23:30", "2024-03-13"),
        ("2024-03-12T23:30:00Z", "Asia/Karachi", "2024-03-12 23:30", "2024-03-13"),
        ("2024-03-12T20:00:00Z", "Asia/Bishkek", "2024-03-12 20:00", "2024-03-13"),
        ("2024-03-12T18:30:00Z", "Asia/Ashgabat", "2024-03-12 18:30", "2024-03-12"),
        ("12.03.2024", "Asia/Tashkent", "2024-03-11 19:00", "2024-03-12"),
        ("12 марта 2024", "Asia/Dushanbe", "2024-03-11 19:00", "2024-03-12"),
        ("12 March 2024", "Asia/Karachi", "2024-03-11 19:00", "2024-03-12"),
        ("2024-03-12 09:15", "Asia/Bishkek", "2024-03-12 03:15", "2024-03-12"),
        ("2024/03/12", "Asia/Almaty", "2024-03-11 19:00", "2024-03-12"),
        ("2024-03-12T10:00:00+05:00", "Asia/Bishkek", "2024-03-12 05:00", "2024-03-12"),
        ("1710288000", "Asia/Tashkent", "2024-03-13 00:00", "2024-03-13"),
        ("12.03.2024 14:05", "Asia/Dushanbe", "2024-03-12 09:05", "2024-03-12"),
    ],
)
def test_dates_parse_to_utc_and_local_date(value, zone, utc, local):
    out = parse_dates(pd.Series([value]), zone).iloc[0]
    assert out["date_utc"].strftime("%Y-%m-%d %H:%M") == utc
    assert str(out["date_local"]) == local


def test_unparseable_dates_become_nat():
    out = parse_dates(pd.Series(["not a date", None, "31.02.2024"]), "Asia/Almaty")
    assert out["date_utc"].isna().all()


@pytest.fixture(scope="module")
def cleaned(fixtures_path):
    book = load_codebook(fixtures_path / "content" / "mini_content.codebook.yml")
    log = CleaningLog()
    frame = rename_to_codebook(readers.read_raw(book), book)
    out = add_clusters(clean_content(frame, dataset="mini_content", log=log), log)
    return out.set_index("item_id"), log.to_frame()


def _count(log, rule):
    return int(log.loc[log["rule"] == rule, "rows"].sum())


def test_clean_content_flags_duplicate_urls_and_keeps_every_row(cleaned):
    data, log = cleaned
    assert len(data) == 12
    assert list(data.index[data["is_duplicate_url"]]) == ["c02"]
    assert _count(log, "duplicate_url") == 1
    assert data.loc["c04", "url_canonical"] == "https://factcheck.kg/checks/4"


def test_clean_content_maps_verdicts_and_lists_unmapped_labels(cleaned):
    data, log = cleaned
    assert data.loc["c04", "verdict"] == "misleading"
    assert data.loc["c08", "verdict"] == "other"
    assert data.loc["c08", "verdict_raw"] == "Требует проверки"
    assert pd.isna(data.loc["c11", "verdict"])
    assert _count(log, "verdict_unmapped") == 1
    assert "Требует проверки" in log.loc[log["rule"] == "verdict_unmapped", "detail"].iloc[0]


def test_clean_content_harmonises_countries_platforms_dates(cleaned):
    data, log = cleaned
    assert data["country"].tolist() == ["KAZ"] * 3 + ["KGZ"] * 2 + ["UZB"] * 2 + ["PAK"] * 2 + [
        "TJK",
        "TKM",
        "KAZ",
    ]
    assert data.loc["c02", "platform"] == "telegram"
    assert data.loc["c04", "platform"] == "odnoklassniki"
    assert data.loc["c10", "platform"] == "unknown"
    assert str(data.loc["c01", "date_local"]) == "2024-03-13"
    assert _count(log, "date_unparsed") == 1


def test_clean_content_detects_languages_and_scripts(cleaned):
    data, _ = cleaned
    found = {
        i: (data.loc[i, "lang"], data.loc[i, "script"])
        for i in ("c01", "c04", "c06", "c07", "c10", "c11", "c12")
    }
    assert found == {"c01": ("ru", "Cyrl"), "c04": ("ky", "Cyrl"), "c06": ("uz", "Latn"), "c07": ("uz", "Cyrl"),
                     "c10": ("tg", "Cyrl"), "c11": ("tk", "Latn"), "c12": ("kk", "Cyrl")}  # fmt: skip


def test_uzbek_claims_in_two_scripts_fall_into_one_cluster(cleaned):
    data, _ = cleaned
    assert data.loc["c06", "text_latn"] == data.loc["c07", "text_latn"]
    assert pd.notna(data.loc["c06", "cluster_id"])
    assert data.loc["c06", "cluster_id"] == data.loc["c07", "cluster_id"]
    assert data.loc["c01", "cluster_id"] == data.loc["c02", "cluster_id"]
    assert pd.isna(data.loc["c03", "cluster_id"])


def test_personal_data_is_scrubbed_from_claims(cleaned):
    data, log = cleaned
    assert data.loc["c05", "claim_text"] == "Пишите нам на [email] или звоните [phone]"
    assert _count(log, "pii_scrubbed") == 1


def test_claimreview_shapes_flatten_to_canonical_columns(fixtures_path):
    df = read_claimreview(fixtures_path / "content" / "claimreview.json").set_index("item_id")
    assert list(df["verdict_raw"]) == ["False", "Misleading", "Half true"]
    assert list(df["claim_url"]) == [
        "https://www.facebook.com/posts/1",
        "https://t.me/s/channel/2",
        "https://youtu.be/xyz",
    ]
    assert list(df["claim_author"].fillna("NA")) == ["A user", "Channel B", "NA"]
    assert list(df["language"].fillna("NA")) == ["en", "ur", "NA"]
    assert list(df["source_org"].fillna("NA")) == ["Soch Fact Check", "Soch Fact Check", "NA"]


def test_a_claimreview_without_claim_text_is_a_clear_error(tmp_path):
    path = tmp_path / "cr.json"
    path.write_text('[{"@type": "ClaimReview", "url": "x"}]', encoding="utf-8")
    with pytest.raises(DataError, match="record 0"):
        read_claimreview(path)
