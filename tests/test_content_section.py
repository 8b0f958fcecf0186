"""The "What circulates" analysis on the cleaned sample: counts, suppression, language.

Expected counts come from the processed content table directly, not from the code under test.
"""

import re

import pandas as pd
import pytest

from milresearch.analysis import content as content_analysis
from milresearch.reports import country

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def raw(processed):
    content = pd.read_parquet(processed / "content.parquet")
    return content[~content["is_duplicate_url"].astype(bool)]


def _frames(processed, code, lang="en", min_n=30):
    rep = country.open_report(processed, code, lang, min_n)
    return rep, rep.analysis("content")


def test_platform_counts_match_the_unique_items_and_sit_beside_daily_use(processed, raw):
    rep, frames = _frames(processed, "KAZ")
    plat = frames["platforms"].set_index("category")
    kept = raw[raw["country"] == "KAZ"]
    assert plat.loc["instagram", "n"] == (kept["platform"] == "instagram").sum()
    assert plat["n"].sum() == kept["platform"].notna().sum()
    use = rep.analysis("media")["estimates"].set_index("item").loc["use_instagram"]
    html = str(rep.section("content").html)
    assert f"{use['proportion'] * 100:.1f} ({use['ci_low'] * 100:.1f}–" in html


def test_a_platform_the_survey_did_not_ask_about_says_so(processed, raw):
    code = raw.loc[raw["platform"] == "imo", "country"].value_counts().index[0]
    rep, frames = _frames(processed, code)
    assert "imo" in set(frames["platforms"]["category"])
    html = str(
        country.content.platforms(
            rep, frames["platforms"].head(50), rep.analysis("media")["estimates"], "1"
        )
    )
    assert '<td class="mr-text">imo</td>' in html and ">not asked<" in html


def test_counts_of_public_items_are_shown_and_only_small_group_shares_are_flagged(processed, raw):
    # The survey's small-cell rule protects respondents; a public post needs no protection.
    rep, frames = _frames(processed, "KAZ", min_n=500)
    assert not frames["platforms"]["suppressed"].any()
    claims = frames["claims"]
    assert len(claims) and (claims["n"] < 500).all() and not claims["suppressed"].any()
    html = str(rep.section("content").html)
    shown = re.findall(r"<td[^>]*>(\d+)</td>", html)
    assert all(str(n) in shown for n in claims["n"])
    within = frames["verdicts_by_platform"]
    assert (within["suppressed"] == (within["n"] < 500)).all() and within["suppressed"].any()


def test_topics_are_the_same_in_every_run_and_every_item_counts_once(processed, raw):
    rep, frames = _frames(processed, "KAZ")
    again = content_analysis.circulating(rep.inputs.content, 30)["topics"]
    pd.testing.assert_frame_equal(frames["topics"], again)
    assert len(frames["topics"]) == content_analysis.N_TOPICS
    assert frames["topics"]["n"].sum() <= (raw["country"] == "KAZ").sum()


def test_classifier_rows_with_few_test_items_are_suppressed(processed):
    _, frames = _frames(processed, "KAZ")
    scores = frames["classifier"]
    small = scores["support"] < 30
    assert small.any() and (scores["suppressed"] == small).all()


def test_the_russian_section_translates_verdicts_and_headers(processed):
    rep, _ = _frames(processed, "KAZ", "ru")
    html = str(rep.section("content").html)
    assert "Вводит в заблуждение" in html and ">misleading<" not in html


def test_verdict_mix_per_platform_and_language_counts_each_unique_item_once(processed, raw):
    _, frames = _frames(processed, "UZB")
    checked = raw[raw["country"] == "UZB"].dropna(subset=["verdict"])
    by_platform = frames["verdicts_by_platform"].set_index("group")
    telegram = checked[checked["platform"] == "telegram"]
    assert by_platform.loc["telegram", "n"] == len(telegram) > 30
    assert by_platform.loc["telegram", "false"] == pytest.approx(
        (telegram["verdict"] == "false").mean()
    )
    assert by_platform["n"].sum() == checked["platform"].notna().sum()
    by_lang = frames["verdicts_by_lang"].set_index("group")
    assert by_lang["n"].to_dict() == checked["lang"].value_counts().to_dict()
    shares = by_lang.drop(columns=["n", "suppressed"]).sum(axis=1)
    assert shares.round(6).tolist() == [1.0] * len(by_lang)


def test_sources_name_organisations_only_and_show_every_count(processed, raw):
    _, frames = _frames(processed, "KGZ")
    kept = raw[raw["country"] == "KGZ"]
    table = frames["sources"].set_index("source_org")
    assert table["n"].to_dict() == kept["source_org"].value_counts().to_dict()
    assert not set(kept["claim_author"].dropna()) & set(table.index)
    _, strict = _frames(processed, "KGZ", min_n=10**6)
    assert not strict["sources"]["suppressed"].any()
