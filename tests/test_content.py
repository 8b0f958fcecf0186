import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import yaml

from milresearch.clean.clusters import cluster_near_duplicates
from milresearch.clean.content import add_clusters, clean_content
from milresearch.clean.dates import parse_dates
from milresearch.clean.log import CleaningLog, read_log
from milresearch.clean.manifest import CONTENT_FILE, LOG_FILE
from milresearch.clean.urls import canonical_platform, canonical_url, canonical_urls
from milresearch.clean.verdicts import normalize_verdict, parse_verdict
from milresearch.ingest.codebook import find_codebooks, load_codebook
from milresearch.paths import RAW_DIR, ROOT
from milresearch.sample.content_files import write_sample_content


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        # Russian
        ("Фейк", "false"),
        ("ФЕЙК.", "false"),
        ("  Ложь ", "false"),
        ("Неправда", "false"),
        ("Не соответствует действительности", "false"),
        ("Манипуляция", "misleading"),
        ("Вводит в заблуждение", "misleading"),
        ("Вне контекста", "misleading"),
        ("Вырвано из контекста", "misleading"),
        ("Полуправда", "mixed"),
        ("Частично правда", "mixed"),
        ("Без вердикта", "unproven"),
        ("Не подтверждено", "unproven"),
        ("Правда", "true"),
        ("Сатира", "satire"),
        # English
        ("False", "false"),
        ("Fake", "false"),
        ("Mostly false", "false"),
        ("Pants on Fire!", "false"),
        ("Misleading", "misleading"),
        ("Missing context", "misleading"),
        ("Half true", "mixed"),
        ("Half-true", "mixed"),
        ("Unverified", "unproven"),
        ("Unproven", "unproven"),
        ("TRUE", "true"),
        ("Mostly true", "true"),
        ("Satire", "satire"),
        # Kazakh, Kyrgyz
        ("жалған", "false"),
        ("Өтірік", "false"),
        ("жартылай шындық", "mixed"),
        ("Шындық", "true"),
        ("Дәлелденбеген", "unproven"),
        ("Жалган", "false"),
        ("Туура эмес", "false"),
        ("Жарым-жартылай чындык", "mixed"),
        ("Чындык", "true"),
        # Uzbek, both scripts and apostrophes
        ("Yolgʻon", "false"),
        ("Yolg'on", "false"),
        ("Yolg’on", "false"),
        ("Ёлғон", "false"),
        ("Chalgʻituvchi", "misleading"),
        ("Chala haqiqat", "mixed"),
        ("Ярим ҳақиқат", "mixed"),
        ("Tasdiqlanmagan", "unproven"),
        ("Haqiqat", "true"),
        ("Тўғри", "true"),
        # Tajik, Turkmen, Urdu
        ("Дурӯғ", "false"),
        ("Гумроҳкунанда", "misleading"),
        ("Нимҳақиқат", "mixed"),
        ("Ýalan", "false"),
        ("Ýarym hakykat", "mixed"),
        ("غلط", "false"),
        ("گمراہ کن", "misleading"),
        # Typos (one edit, labels of 5+ characters)
        ("Манипуляцыя", "misleading"),
        ("Полупровда", "mixed"),
        ("Misleadng", "misleading"),
        ("Yolgʻn", "false"),
        ("Falsee", "false"),
        ("Непрвда", "false"),
        ("Half tru", "mixed"),
        # Compound labels: the least true part wins
        ("правда и манипуляция", "misleading"),
        ("Полуправда / Фейк", "false"),
        ("true and half true", "mixed"),
        ("Half true, missing context", "misleading"),
        ("Жалған және манипуляция", "false"),
        ("Chala haqiqat va haqiqat", "mixed"),
        # Unknown
        ("Требует проверки", "other"),
        ("см. комментарий", "other"),
        ("Tekshirilmoqda", "other"),
        ("Фэйк", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
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
        ("https://kun.uz/a%2Fb%20c", "https://kun.uz/a%2Fb%20c"),
        ("https://example.com/a?fbclid=x&gclid=y&q=1", "https://example.com/a?q=1"),
        (
            "https://www.youtube.com/watch?v=abc&feature=share&si=XyZ",
            "https://youtube.com/watch?feature=share&v=abc",
        ),
        ("https://www.instagram.com/p/C3xYz/?igshid=MzRl", "https://instagram.com/p/C3xYz"),
        ("HTTPS://WWW.TENGRINEWS.KZ:443/", "https://tengrinews.kz"),
        ("http://example.org:8080/x/", "https://example.org:8080/x"),
        ("  https://www.factcheck.kz/checks/1#comments  ", "https://factcheck.kz/checks/1"),
        ("mailto:info@factcheck.kz", "mailto:info@factcheck.kz"),
        ("", ""),
    ],
)
def test_urls_are_canonicalised(url, canonical):
    assert canonical_url(url) == canonical


def test_canonical_urls_keeps_missing_values_missing():
    found = canonical_urls(pd.Series(["http://m.ok.ru/x/", None, ""], index=[7, 8, 9]))
    assert found[7] == "https://ok.ru/x"
    assert found[[8, 9]].isna().all()


@pytest.mark.parametrize(
    ("raw", "platform"),
    [
        ("t.me", "telegram"),
        ("Телеграм", "telegram"),
        ("TG", "telegram"),
        ("Телеграм-канал", "telegram"),
        ("ok.ru", "odnoklassniki"),
        ("Одноклассники", "odnoklassniki"),
        ("ОК", "odnoklassniki"),
        ("FB", "facebook"),
        ("Фейсбук", "facebook"),
        ("insta", "instagram"),
        ("Инстаграм", "instagram"),
        ("ВКонтакте", "vk"),
        ("vk.com", "vk"),
        ("tik tok", "tiktok"),
        ("youtu.be", "youtube"),
        ("https://www.youtube.com/watch?v=1", "youtube"),
        ("https://m.facebook.com/x", "facebook"),
        ("Twitter", "x"),
        ("X (Twitter)", "x"),
        ("Ватсап", "whatsapp"),
        ("IMO", "imo"),
        ("телевидение", "tv"),
        ("газета", "print"),
        ("сайт", "website"),
        ("https://kun.uz/news/1", "website"),
        ("другое", "other"),
        ("myspace", "other"),
        ("", "unknown"),
        ("  ", "unknown"),
        (None, "unknown"),
    ],
)
def test_platform_names_are_canonicalised(raw, platform):
    assert canonical_platform(raw) == platform


@pytest.mark.parametrize(
    ("value", "zone", "utc", "local"),
    [
        ("2024-03-12T23:30:00Z", "Asia/Almaty", "2024-03-12 23:30", "2024-03-13"),
        ("2024-03-12T23:30:00Z", "Asia/Karachi", "2024-03-12 23:30", "2024-03-13"),
        ("2024-03-12T18:30:00Z", "Asia/Karachi", "2024-03-12 18:30", "2024-03-12"),
        ("2024-03-12T18:30:00Z", "Asia/Bishkek", "2024-03-12 18:30", "2024-03-13"),
        ("2024-03-12T18:30:00Z", "Asia/Ashgabat", "2024-03-12 18:30", "2024-03-12"),
        ("2024-03-12T10:00:00+05:00", "Asia/Bishkek", "2024-03-12 05:00", "2024-03-12"),
        ("2024-03-12T01:00:00+06:00", "Asia/Tashkent", "2024-03-11 19:00", "2024-03-12"),
        ("12.03.2024", "Asia/Tashkent", "2024-03-11 19:00", "2024-03-12"),
        ("12.03.2024", "Asia/Bishkek", "2024-03-11 18:00", "2024-03-12"),
        ("12.03.2024 14:05", "Asia/Dushanbe", "2024-03-12 09:05", "2024-03-12"),
        ("12 марта 2024", "Asia/Dushanbe", "2024-03-11 19:00", "2024-03-12"),
        ("12 марта 2024 г.", "Asia/Ashgabat", "2024-03-11 19:00", "2024-03-12"),
        ("12 March 2024", "Asia/Karachi", "2024-03-11 19:00", "2024-03-12"),
        ("March 12, 2024", "Asia/Karachi", "2024-03-11 19:00", "2024-03-12"),
        ("12 наурыз 2024", "Asia/Almaty", "2024-03-11 19:00", "2024-03-12"),
        ("12-mart 2024-yil", "Asia/Tashkent", "2024-03-11 19:00", "2024-03-12"),
        ("2024-03-12 09:15", "Asia/Bishkek", "2024-03-12 03:15", "2024-03-12"),
        ("2024-03-12T23:15:00", "Asia/Ashgabat", "2024-03-12 18:15", "2024-03-12"),
        ("2024/03/12", "Asia/Almaty", "2024-03-11 19:00", "2024-03-12"),
        ("2023/03/12", "Asia/Almaty", "2023-03-11 18:00", "2023-03-12"),  # +06:00 until 2024
        ("1710288000", "Asia/Tashkent", "2024-03-13 00:00", "2024-03-13"),
        ("1710288000000", "Asia/Karachi", "2024-03-13 00:00", "2024-03-13"),
    ],
)
def test_dates_parse_to_utc_and_local_date(value, zone, utc, local):
    out = parse_dates(pd.Series([value]), zone).iloc[0]
    assert out["date_utc"].strftime("%Y-%m-%d %H:%M") == utc
    assert str(out["date_local"]) == local


def test_each_row_is_read_in_its_own_zone():
    values = pd.Series(["2024-03-12 23:30"] * 6, index=list("abcdef"))
    zones = pd.Series(
        [
            "Asia/Almaty",
            "Asia/Bishkek",
            "Asia/Dushanbe",
            "Asia/Ashgabat",
            "Asia/Tashkent",
            "Asia/Karachi",
        ],
        index=list("abcdef"),
    )
    out = parse_dates(values, zones)
    assert list(out.index) == list("abcdef")
    assert out["date_utc"].dt.strftime("%H:%M").tolist() == [
        "18:30",
        "17:30",
        "18:30",
        "18:30",
        "18:30",
        "18:30",
    ]
    assert set(out["date_local"]) == {dt.date(2024, 3, 12)}


def test_unparseable_dates_become_nat():
    out = parse_dates(
        pd.Series(["not a date", None, "31.02.2024", "вчера", "2024-03-12 25:00"]), "Asia/Almaty"
    )
    assert out["date_utc"].isna().all()
    assert out["date_local"].isna().all()


@pytest.fixture(scope="module")
def fixture_frame(fixtures_path):
    path = fixtures_path / "content" / "clean_content_20.csv"
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def cleaned(fixture_frame):
    log = CleaningLog()
    out = clean_content(fixture_frame, dataset="fixture", log=log)
    return out.set_index("item_id"), log.to_frame()


def _count(log, rule):
    return int(log.loc[log["rule"] == rule, "rows"].sum())


def _by_country(log, rule):
    rows = log[(log["rule"] == rule) & (log["rows"] > 0)]
    return dict(zip(rows["country"], rows["rows"], strict=True))


def test_clean_content_keeps_every_row_and_adds_the_documented_columns(cleaned, fixture_frame):
    data, log = cleaned
    assert len(data) == 20
    added = [
        "dataset",
        "verdict",
        "platform",
        "url_canonical",
        "is_duplicate_url",
        "date_utc",
        "date_local",
        "lang",
        "script",
        "text_latn",
        "cluster_id",
    ]
    assert set(added) <= set(data.columns)
    assert "language_raw" in data and "language" not in data
    assert "language" in fixture_frame  # the input is not changed
    assert _by_country(log, "rows_read") == {
        "KAZ": 5,
        "KGZ": 3,
        "UZB": 4,
        "TJK": 2,
        "TKM": 2,
        "PAK": 4,
    }


def test_duplicate_urls_are_flagged_after_the_first(cleaned):
    data, log = cleaned
    assert list(data.index[data["is_duplicate_url"]]) == ["r02", "r03"]
    assert set(data.loc[["r01", "r02", "r03"], "url_canonical"]) == {
        "https://factcheck.example/ru/1"
    }
    assert _by_country(log, "duplicate_url") == {"KAZ": 1, "KGZ": 1}
    assert pd.isna(data.loc["r18", "url_canonical"])


def test_verdicts_are_mapped_and_unmapped_labels_listed_per_country(cleaned):
    data, log = cleaned
    expected = {
        "r03": "false",
        "r05": "misleading",
        "r09": "unproven",
        "r15": "misleading",
        "r16": "false",
        "r18": "satire",
        "r19": "mixed",
        "r11": "other",
        "r20": "other",
    }
    assert {i: data.loc[i, "verdict"] for i in expected} == expected
    assert data.loc[["r08", "r10"], "verdict"].isna().all()
    assert _count(log, "verdict_unmapped") == 3
    unmapped = log[(log["rule"] == "verdict_unmapped") & (log["rows"] > 0)]
    assert dict(zip(unmapped["country"], unmapped["detail"], strict=True)) == {
        "KAZ": "Требует проверки (1)",
        "KGZ": "см. комментарий (1)",
        "TKM": "Требует проверки (1)",
    }


def test_platforms_come_from_names_or_the_claim_url(cleaned):
    data, log = cleaned
    assert data.loc[["r01", "r02", "r03", "r07"], "platform"].tolist() == ["telegram"] * 4
    assert data.loc["r10", "platform"] == "odnoklassniki"
    assert data.loc["r12", "platform"] == "facebook"  # no name, a facebook.com claim URL
    assert data.loc["r16", "platform"] == "other"
    assert data.loc["r17", "platform"] == "unknown"
    assert data.loc["r20", "platform"] == "website"
    assert _count(log, "platform_other_or_unknown") == 2


def test_dates_get_utc_and_local_dates_and_unparsed_ones_are_logged(cleaned):
    data, log = cleaned
    assert str(data.loc["r01", "date_local"]) == "2024-03-13"  # 23:30Z is 04:30 in Almaty
    assert str(data.loc["r05", "date_local"]) == "2024-03-13"  # epoch seconds
    assert data.loc["r13", "date_utc"] == pd.Timestamp("2024-03-12 04:15", tz="UTC")
    assert data.loc[["r11", "r16", "r17"], "date_utc"].isna().all()
    assert _count(log, "dates_unparsed") == 2  # "вчера" and "32.13.2024"; the empty one is missing


def test_languages_scripts_and_latin_text(cleaned):
    data, log = cleaned
    found = {
        i: (data.loc[i, "lang"], data.loc[i, "script"])
        for i in ("r01", "r04", "r05", "r06", "r07", "r09", "r10", "r12", "r13", "r18")
    }
    assert found == {
        "r01": ("ru", "Cyrl"),
        "r04": ("kk", "Cyrl"),
        "r05": ("ky", "Cyrl"),
        "r06": ("uz", "Latn"),
        "r07": ("uz", "Cyrl"),
        "r09": ("tg", "Cyrl"),
        "r10": ("tk", "Latn"),
        "r12": ("en", "Latn"),
        "r13": ("ur", "Arab"),
        "r18": ("und", "Zyyy"),
    }
    assert data.loc["r06", "text_latn"] == data.loc["r07", "text_latn"]
    assert (
        data.loc["r07", "text_latn"]
        == "sarimsoq va asal grippni 5 kunda davolaydi deb daʼvo qilindi"
    )
    assert data.loc["r04", "text_latn"].startswith("jalğan aqparat äleumettık")
    assert data.loc["r09", "text_latn"].startswith("дар шабакаҳои")  # Tajik stays Cyrillic
    assert _count(log, "language") == 20


def test_near_duplicates_cluster_across_framing_countries_and_scripts(cleaned):
    data, log = cleaned
    assert data.loc[["r01", "r02", "r03"], "cluster_id"].tolist() == ["C000001"] * 3
    assert data.loc[["r06", "r07", "r08"], "cluster_id"].tolist() == ["C000002"] * 3
    assert data["cluster_id"].notna().sum() == 6
    assert _by_country(log, "near_duplicate") == {"KAZ": 2, "KGZ": 1, "UZB": 2, "TJK": 1}


def test_personal_data_is_scrubbed_from_claims_and_authors(cleaned):
    data, log = cleaned
    assert data.loc["r05", "claim_text"].endswith("жазыңыз [email] же [phone]")
    assert data.loc["r15", "claim_text"].startswith("Follow [handle] for more")
    assert data.loc["r15", "claim_author"] == "[handle]"
    assert data.loc["r20", "claim_author"] == "Aigerim [phone]"
    assert data.loc["r14", "claim_text"].startswith("<script>alert(1)</script>")  # escaped later
    scrubbed = log[log["rule"] == "pii_scrubbed"].groupby("detail")["rows"].sum()
    # Every other text column is scrubbed too: two claims link to t.me/news24 (a handle), and
    # their platform is still read from the link before it is scrubbed.
    assert scrubbed.to_dict() == {"claim_author": 2, "claim_text": 4, "claim_url": 2}
    linked = data[data["claim_url"] == "[handle]"]
    assert len(linked) == 2 and set(linked["platform"]) == {"telegram"}


def test_clean_content_copes_with_absent_columns():
    frame = pd.DataFrame(
        {"item_id": ["a", "b"], "claim_text": ["Правительство повысит тарифы на газ", None]}
    )
    log = CleaningLog()
    out = clean_content(frame, dataset="bare", log=log)
    assert out["lang"].tolist() == ["ru", "und"]
    assert out["platform"].tolist() == ["unknown", "unknown"]
    assert out["verdict"].isna().all() and out["date_utc"].isna().all()
    assert out["is_duplicate_url"].tolist() == [False, False]
    assert _count(log.to_frame(), "rows_read") == 2


def test_clusters_are_found_across_datasets(cleaned):
    data, _ = cleaned
    other = data.reset_index().iloc[[0]].assign(item_id="z1", dataset="other", country="TKM")
    log = CleaningLog()
    both = add_clusters(pd.concat([data.reset_index(), other], ignore_index=True), log)
    assert both.loc[both["item_id"] == "z1", "cluster_id"].item() == "C000001"
    logged = log.to_frame()
    assert _by_country(logged, "near_duplicate_across_datasets")["TKM"] == 1


def test_a_url_in_two_deliveries_counts_once(fixtures_path):
    """The same fact-check in two archives: the later delivery's copy is the duplicate."""
    frame = pd.read_csv(
        fixtures_path / "content" / "clean_content_20.csv",
        dtype="string",
        keep_default_na=False,
        na_values=[""],
    )
    log = CleaningLog()
    first = clean_content(frame, dataset="archive_a", log=log)
    second = clean_content(
        frame.assign(item_id="b" + frame["item_id"]), dataset="archive_b", log=log
    )
    both = add_clusters(pd.concat([first, second], ignore_index=True), log)
    a, b = both[both["dataset"] == "archive_a"], both[both["dataset"] == "archive_b"]
    assert a["is_duplicate_url"].tolist() == first["is_duplicate_url"].tolist()
    unique_urls = first.loc[~first["is_duplicate_url"], "url_canonical"].dropna()
    assert b["is_duplicate_url"].sum() == b["url_canonical"].notna().sum()
    assert _count(log.to_frame(), "duplicate_url_across_datasets") == len(unique_urls) > 0


def test_near_duplicates_among_200_000_texts_are_all_found():
    rng = np.random.default_rng(1)
    vocabulary = ["".join(rng.choice(list("абвгдежзиклмнопрстуфхчшэюя"), 7)) for _ in range(3000)]
    words = rng.choice(vocabulary, size=(180_000, 8))
    texts = [" ".join(row) for row in words]
    reposts = [f"Срочно! {texts[i]} Распространите!" for i in range(20_000)]  # chatter only
    clusters = cluster_near_duplicates(pd.Series(texts + reposts))
    assert clusters.notna().sum() == 40_000
    assert clusters.nunique() == 20_000
    assert (clusters.iloc[:20_000].to_numpy() == clusters.iloc[180_000:].to_numpy()).all()


@pytest.fixture(scope="module")
def sample_written(tmp_path_factory):
    return write_sample_content(tmp_path_factory.mktemp("content"))


def test_sample_content_regenerates_bit_for_bit_as_shipped(sample_written):
    # One generation compared with the shipped files: reproducible, and what ships is what it makes.
    shipped = RAW_DIR / "sample" / "content"
    assert sorted(p.name for p in sample_written) == sorted(p.name for p in shipped.iterdir())
    for path in sample_written:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), path.name
    # The sample stays small enough to ship in the repository (the Telegram export is ~1 MB).
    assert sum(p.stat().st_size for p in sample_written) < 7_000_000


def test_sample_content_codebooks_load_and_name_their_files(sample_written):
    books = find_codebooks(sample_written[0].parent)
    assert sorted(b.dataset.format for b in books) == [
        "claimreview",
        "csv",
        "excel",
        "jsonl",
        "telegram",
    ]
    for book in books:
        assert book.dataset.kind == "content" and book.dataset.synthetic
        assert book.data_path.exists()
        assert load_codebook(book.path).variables["item_id"].required
    assert (
        "synthetic" in (sample_written[0].parent / "README.md").read_text(encoding="utf-8").lower()
    )


@pytest.fixture(scope="module")
def sample_clean(processed):
    """The shipped content sample as the session's clean (conftest) left it, with its log."""
    log = read_log(processed / LOG_FILE)
    return pd.read_parquet(processed / CONTENT_FILE), log[log["stage"] == "content"]


def test_sample_content_carries_its_planted_defects(sample_clean):
    data, log = sample_clean
    counts = data.groupby("country").size()
    assert counts.between(2000, 3200).all() and len(counts) == 6  # with the Telegram export
    assert _count(log, "verdict_unmapped") == 6
    labels = set(";".join(log.loc[log["rule"] == "verdict_unmapped", "detail"]).split(";"))
    assert {label.strip().rsplit(" (", 1)[0] for label in labels if label.strip()} == {
        "Требует проверки",
        "см. комментарий",
        "Tekshirilmoqda",
    }
    unparsed = ";".join(log.loc[log["rule"] == "dates_unparsed", "detail"])
    assert {"вчера (1)", "32.13.2024 (1)"} <= {v.strip() for v in unparsed.split(";")}
    assert 300 < _count(log, "duplicate_url") < 400
    assert data["claim_text"].str.contains(r"\[email\]|\[phone\]").sum() >= 15
    assert data["claim_text"].str.contains("<script>alert(1)</script>", regex=False).sum() == 1
    assert data["claim_text"].str.contains("onerror=alert(1)", regex=False).sum() == 1
    assert data["date_utc"].notna().mean() > 0.99
    assert set(data["lang"]) == {"ru", "kk", "ky", "uz", "tg", "tk", "en", "ur"}


def test_sample_content_has_relationships_worth_finding(sample_clean):
    data, _ = sample_clean
    top = data.groupby("country")["platform"].agg(lambda s: s.value_counts().index[0])
    assert top.to_dict() == {
        "KAZ": "instagram",
        "KGZ": "instagram",
        "PAK": "facebook",
        "TJK": "telegram",
        "TKM": "imo",
        "UZB": "telegram",
    }
    checks = data.dropna(subset=["verdict"])
    false_share = (checks["verdict"] == "false").groupby(checks["platform"] == "tiktok").mean()
    assert false_share[True] > false_share[False] + 0.08
    month = pd.to_datetime(data["date_utc"]).dt.month
    is_health = data["claim_text"].str.contains("грипп|тұмау|тумоо|gripp|зукком|dümew|flu|فلو")
    assert (
        is_health[month.isin([12, 1, 2])].mean() > 1.5 * is_health[month.isin([5, 6, 7, 8])].mean()
    )
    spread = data.dropna(subset=["cluster_id"]).groupby("cluster_id")["country"].nunique()
    assert (spread > 1).sum() >= 50
    uzbek = data[(data["lang"] == "uz")].dropna(subset=["cluster_id"])
    both_scripts = uzbek.groupby("cluster_id")["script"].nunique()
    assert (both_scripts == 2).sum() >= 20


def test_sample_claimreview_file_uses_every_appearance_shape(sample_written):
    path = next(p for p in sample_written if p.name.endswith(".json"))
    records = json.loads(path.read_text(encoding="utf-8"))
    shapes = {type(r["itemReviewed"]["appearance"]).__name__ for r in records}
    assert shapes == {"list", "dict", "str"}


@pytest.mark.parametrize("name", ["clean/stopwords.yml", "analysis/topic_stopwords.yml"])
def test_every_declared_stopword_is_text(name):
    # YAML reads a bare on/off/yes/no as a boolean; such an entry would remove "true" instead.
    declared = yaml.safe_load((ROOT / "src/milresearch" / name).read_text(encoding="utf-8"))
    assert {
        lang for lang, words in declared.items() if not all(isinstance(w, str) for w in words)
    } == set()


# Verdicts of a regional fact-checker: prefixes, parentheticals, qualifiers, common vocabulary.
@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        # parentheticals: the head keeps its verdict (VERDICTS has no mostly-true)
        ("правда (с неточностями)", "true"),
        ("Правда (с неточностями)", "true"),
        ("True (with inaccuracies)", "true"),
        ("Правда (с неточностями", "true"),  # unclosed
        ("Фейк [техническая ошибка]", "false"),
        ("Правда (частично)", "mixed"),  # reads as "частично правда"
        ("True (partly)", "mixed"),
        ("Правда (манипуляция)", "misleading"),  # a known parenthetical counts, least true wins
        # qualifiers joined to a head
        ("фейк и техническая ошибка", "false"),
        ("Fake and a technical error", "false"),
        ("кликбейт", "misleading"),
        ("теория заговора", "false"),
        # prefixes
        ("Үкім: жалған", "false"),
        ("Вердикт: фейк", "false"),
        ("Verdict: False", "false"),
        ("Hukm: yolg'on", "false"),
        ("Hukm: yolgʻon", "false"),
        ("Ҳукм: ёлғон", "false"),
        ("Өкүм: калп", "false"),
        ("Натиҷа: дурӯғ", "false"),
        ("Оценка: правда (с неточностями)", "true"),
        ("Вердикт: правда и манипуляция", "misleading"),
        ("ВЕРДИКТ : Манипуляция", "misleading"),
        # common words
        ("дезинформация", "false"),
        ("сатирический фейк", "satire"),
        ("распространённое заблуждение", "false"),
        ("распространенное заблуждение", "false"),
        ("манипуляция", "misleading"),
        ("вырвано из контекста", "misleading"),
        ("misleading", "misleading"),
        ("out of context", "misleading"),
        ("satire", "satire"),
        ("conspiracy theory", "false"),
        ("clickbait", "misleading"),
        # the same vocabulary in the region's other languages
        ("Қастандық теориясы", "false"),
        ("Кутум теориясы", "false"),
        ("Fitna nazariyasi", "false"),
        ("Фитна назарияси", "false"),
        ("Назарияи тавтиа", "false"),
        ("Klikbeyt", "misleading"),
        ("Kontekstdan uzib olingan", "misleading"),
        ("Контекстен жұлып алынған", "misleading"),
        ("Ішінара шындық", "mixed"),
        ("Qisman haqiqat", "mixed"),
        ("Қисман ҳақиқат", "mixed"),
        ("Partially correct", "mixed"),
        ("Дәлелі жоқ", "unproven"),
        ("Далилденген эмес", "unproven"),
        ("Dalilsiz", "unproven"),
        ("Бедалел", "unproven"),
        ("Unconfirmed", "unproven"),
        ("Сатиралық", "satire"),
        ("Ҳазил", "satire"),
        ("Дұрыс", "true"),
        ("Tasdiqlandi", "true"),
        # compound labels of known parts: the least true part wins
        ("Правда, кликбейт", "misleading"),
        ("Сатира + фейк", "false"),
        ("Полуправда и без вердикта", "mixed"),
        ("Verdict: Half true / Unproven", "mixed"),
        # never guessed
        ("правда и что-то ещё", "true"),  # a known head keeps its verdict; the rest is logged
        ("манипуляция и техническая ошибка", "misleading"),
        ("Требует проверки (фейк)", "other"),  # unknown head, known qualifier
        ("Требует проверки и фейк", "other"),
        ("Комментарий: фейк", "other"),  # not a declared prefix
        ("Вердикт:", "other"),
        ("Вердикт: требует проверки", "other"),
        ("(с неточностями)", "other"),
    ],
)
def test_regional_verdict_labels(raw, verdict):
    assert normalize_verdict(raw) == verdict


def test_parse_verdict_records_head_qualifiers_and_prefix():
    assert parse_verdict("Правда (с неточностями)") == parse_verdict("правда (с неточностями)")
    parsed = parse_verdict("Вердикт: правда (с неточностями)")
    assert (parsed.verdict, parsed.head, parsed.qualifiers, parsed.prefix) == (
        "true",
        "правда",
        ("с неточностями",),
        "вердикт",
    )
    parsed = parse_verdict("Фейк и техническая ошибка")
    assert (parsed.verdict, parsed.head, parsed.qualifiers) == (
        "false",
        "фейк",
        ("техническая ошибка",),
    )
    parsed = parse_verdict("Үкім: жалған")
    assert (parsed.verdict, parsed.head, parsed.qualifiers, parsed.prefix) == (
        "false",
        "жалған",
        (),
        "үкім",
    )
    parsed = parse_verdict("Требует проверки (фейк)")
    assert (parsed.verdict, parsed.head) == ("other", "требует проверки")
    assert parse_verdict("Фейк").qualifiers == ()
    assert parse_verdict(None).verdict == "other"
    assert parse_verdict("").verdict == "other"


def test_declared_verdict_labels_and_prefixes_are_text_and_listed_once():
    declared = yaml.safe_load(
        (ROOT / "src/milresearch/clean/verdicts.yml").read_text(encoding="utf-8")
    )
    assert set(declared) == {
        "false",
        "misleading",
        "mixed",
        "unproven",
        "satire",
        "true",
        "prefixes",
    }
    assert all(isinstance(w, str) for words in declared.values() for w in words)
    labels = [w.casefold() for key, words in declared.items() if key != "prefixes" for w in words]
    assert len(labels) == len(set(labels))


def test_dropped_verdict_qualifiers_are_logged_per_country():
    frame = pd.DataFrame(
        {
            "item_id": ["a", "b", "c", "d", "e"],
            "country": ["KAZ", "KAZ", "KAZ", "KGZ", "KGZ"],
            "verdict_raw": [
                "Правда (с неточностями)",
                "Правда (с неточностями)",
                "Фейк",
                "Фейк и техническая ошибка",
                "правда и что-то ещё",
            ],
        },
        dtype="string",
    )
    log = CleaningLog()
    out = clean_content(frame, dataset="qualifiers", log=log)
    assert list(out["verdict"]) == ["true", "true", "false", "false", "true"]
    entries = log.to_frame()
    assert _by_country(entries, "verdict_qualifier") == {"KAZ": 2, "KGZ": 2}
    qualified = entries[(entries["rule"] == "verdict_qualifier") & (entries["rows"] > 0)]
    assert dict(zip(qualified["country"], qualified["detail"], strict=True)) == {
        "KAZ": "Правда (с неточностями) (2)",
        "KGZ": "Фейк и техническая ошибка (1); правда и что-то ещё (1)",
    }
    assert _by_country(entries, "verdict_unmapped") == {}
