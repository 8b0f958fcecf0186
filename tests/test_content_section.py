"""The "What circulates" section on the cleaned sample: counts, suppression, language."""

import base64
import io
import re

import pandas as pd
import pytest

from milresearch.reports import content as content_section
from milresearch.reports import country as report

pytestmark = pytest.mark.slow


def _csvs(html: str) -> dict[str, pd.DataFrame]:
    """Every table's embedded CSV download, by file name."""
    found = re.findall(r'download="([^"]+)" href="data:text/csv;base64,([^"]+)"', html)
    return {name: pd.read_csv(io.BytesIO(base64.b64decode(data))) for name, data in found}


@pytest.fixture(scope="module")
def kaz(processed):
    return report.load_context(processed, "KAZ", "en")


def test_platform_counts_match_the_unique_items_and_sit_beside_daily_use(kaz, processed):
    html = content_section.platforms_beside_use(kaz, report.media_estimates(kaz))
    table = _csvs(html)["KAZ_platforms.csv"].set_index("Platform")
    raw = pd.read_parquet(processed / "content.parquet")
    kept = raw[(raw["country"] == "KAZ") & ~raw["is_duplicate_url"].astype(bool)]
    assert table.loc["Instagram", "Items"] == (kept["platform"] == "instagram").sum()
    assert table["Items"].sum() == kept["platform"].notna().sum()
    use = report.media_estimates(kaz).set_index("item").loc["use_instagram"]
    assert table.loc["Instagram", "Use it daily, % (95% CI)"].startswith(
        f"{use['proportion'] * 100:.1f} ("
    )


def test_a_platform_the_survey_did_not_ask_about_says_so(processed):
    raw = pd.read_parquet(processed / "content.parquet")
    country = raw.loc[raw["platform"] == "imo", "country"].value_counts().index[0]
    ctx = report.load_context(processed, country, "en")
    html = content_section.platforms_beside_use(ctx, report.media_estimates(ctx))
    table = _csvs(html)[f"{country}_platforms.csv"].set_index("Platform")
    assert table.loc["imo", "Use it daily, % (95% CI)"] == "not asked"


def test_counts_under_the_threshold_are_blank_in_the_table_and_its_csv(processed):
    ctx = report.load_context(processed, "KAZ", "en", min_n=500)
    html = content_section.platforms_beside_use(ctx, report.media_estimates(ctx))
    table = _csvs(html)["KAZ_platforms.csv"].set_index("Platform")
    assert table.loc["Instagram", "Items"] > 500  # 760 in the sample: shown
    small = table[table.index != "Instagram"]
    assert small["Items"].isna().all() and small["% of items"].isna().all()
    assert html.count('class="mr-suppressed"') == 2 * len(small)


def test_topics_are_the_same_in_every_run_and_every_item_counts_once(kaz):
    first, second = content_section.topics(kaz), content_section.topics(kaz)
    assert first == second
    topics = _csvs(first)["KAZ_topics.csv"]
    assert len(topics) == content_section.N_TOPICS
    assert topics["Items"].sum() <= len(kaz.content)


def test_classifier_rows_with_few_test_items_are_suppressed(kaz):
    scores = _csvs(content_section.classifier(kaz))["KAZ_classifier.csv"]
    small = scores["Test items"].isna()
    assert small.any()  # the latest 20% of KAZ holds fewer than 30 true items
    assert scores.loc[small, ["Precision", "Recall", "F1"]].isna().all().all()
    majority = scores[(scores["Model"] == "Majority class") & (scores["Class"] == "True")]
    assert (majority["Recall"].dropna() == 0).all()


def test_the_russian_section_translates_verdicts_and_headers(processed):
    ctx = report.load_context(processed, "KAZ", "ru")
    html = content_section.verdicts(ctx)
    assert "Манипуляция" in html and ">misleading<" not in html


def test_verdict_mix_per_platform_and_language_counts_each_unique_item_once(processed):
    ctx = report.load_context(processed, "UZB", "en")
    raw = pd.read_parquet(processed / "content.parquet")
    kept = raw[(raw["country"] == "UZB") & ~raw["is_duplicate_url"].astype(bool)]
    checked = kept.dropna(subset=["verdict"])
    by_platform = _csvs(content_section.verdicts_by(ctx, "platform"))[
        "UZB_verdicts_by_platform.csv"
    ]
    row = by_platform.set_index("Platform").loc["Telegram"]
    telegram = checked[checked["platform"] == "telegram"]
    assert row["Items"] == len(telegram) > 30
    assert row["False"] == pytest.approx((telegram["verdict"] == "false").mean() * 100)
    assert by_platform["Items"].sum() == checked["platform"].notna().sum()
    by_lang = _csvs(content_section.verdicts_by(ctx, "lang"))["UZB_verdicts_by_lang.csv"]
    assert by_lang.set_index("Language")["Items"].to_dict() == (
        checked["lang"].value_counts().to_dict()
    )
    shares = by_lang.drop(columns=["Language", "Items"]).sum(axis=1)
    assert shares.round(6).tolist() == [100.0] * len(by_lang)


def test_sources_name_organisations_only_and_hide_small_ones(processed):
    ctx = report.load_context(processed, "KGZ", "en", min_n=30)
    raw = pd.read_parquet(processed / "content.parquet")
    kept = raw[(raw["country"] == "KGZ") & ~raw["is_duplicate_url"].astype(bool)]
    table = _csvs(content_section.sources(ctx))["KGZ_sources.csv"].set_index("Source")
    assert table["Items"].to_dict() == kept["source_org"].value_counts().to_dict()
    assert "[handle]" not in table.index and not set(kept["claim_author"].dropna()) & set(
        table.index
    )
    hidden = _csvs(
        content_section.sources(report.load_context(processed, "KGZ", "en", min_n=10**6))
    )
    assert hidden["KGZ_sources.csv"]["Items"].isna().all()
