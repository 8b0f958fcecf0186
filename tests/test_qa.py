"""Public versus internal: what the public report says about quality, and what only QA shows.

Expected counts come from the processed Parquet tables and the raw codebooks directly, not from
the summary code under test.
"""

import re

import pandas as pd
import pytest

from milresearch.reports import country, qa

pytestmark = pytest.mark.slow
RULE_ID = re.compile(r"\b(?:qc|missing|pii|rows|duplicate|near|verdict|region)_[a-z_]+\b")
HASH = re.compile(r"\b[0-9a-f]{40,64}\b")


@pytest.fixture(scope="module")
def kaz(processed):
    return country.open_report(processed, "KAZ", "en")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r'href="data:[^"]+"', "", html))


def test_the_summary_reconciles_exclusions_with_the_processed_rows(kaz, processed):
    rows = pd.read_parquet(processed / "survey.parquet")
    rows = rows[rows["country"] == "KAZ"]
    rows = rows[rows["wave"] == rows["wave"].max()]  # the report describes the latest wave
    national, stake = rows[rows["sample_type"] == 1], rows[rows["sample_type"] == 2]
    out, kept = int(national["qc_exclude"].sum()), int((~national["qc_exclude"]).sum())
    text = " ".join(_text(str(kaz.section("quality").html)).split())
    assert (
        f"{out:,} of {len(national):,} national-sample interviews failed a quality check and"
        f" are left out; the estimates rest on the other {kept:,}."
    ) in text
    assert f"{int(stake['qc_exclude'].sum())} of {len(stake)} stakeholder interviews" in text
    # The method section's exclusion count is the same national number.
    method = kaz.analysis("method")["summary"].iloc[0]
    assert method["n_excluded"] == out and method["n"] == kept
    speeders = int(national["qc_speeder"].sum())
    assert f"Interview too fast {speeders}" in text


def test_the_public_report_holds_no_rule_ids_paths_comments_or_hashes(kaz):
    public = "".join(str(kaz.section(name).html) for name in kaz.sections)
    public += str(kaz.footer({"country": "KAZ", "lang": "en", "min_n": 30})) + str(kaz.header())
    text = _text(public)
    assert RULE_ID.findall(text) == []
    assert HASH.findall(public) == []
    assert ".sav" not in text and "sample/survey" not in text
    comments = kaz.analysis("quality")["comments"]["comment"]
    assert len(comments) >= 3
    assert not any(c in public or c.replace("<", "&lt;") in public for c in comments)
    assert "alert" not in public


def test_one_build_time_in_header_and_footer(kaz):
    stamps = re.findall(
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC",
        str(kaz.header()) + str(kaz.footer({"country": "KAZ"})),
    )
    assert len(stamps) == 2 and len(set(stamps)) == 1


def test_the_footer_names_this_reports_data_only(kaz, processed):
    footer = str(kaz.footer({"country": "KAZ"}))
    assert "Kazakhstan 2025" in footer
    for other in ("Kyrgyzstan 2025", "Uzbekistan 2025", "Pakistan 2025"):
        assert other not in footer
    assert all(
        "kaz" in p
        or "indicators/" in p
        or "posts_export" in p
        or "telegram_result" in p
        or p.startswith("<")
        for p in country.page.own_inputs(kaz)
    )


def test_the_qa_page_carries_what_the_public_report_leaves_out(processed, kaz):
    page = qa.qa_page(processed, "KAZ", 30)
    assert "INTERNAL: not for publication" in page
    assert "qc_exclude" in page and "missing_hard_to_say" in page
    assert "sample/survey/kaz_mil_2025.sav" in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; отличный опрос" in page
    assert "<script>" not in page
    # Its own inputs with full hashes, no other country's survey.
    assert len(HASH.findall(_text(page))) == len(country.page.own_inputs(kaz))
    assert "kgz_mil_2025" not in page and "uzb_mil_2025" not in page
    assert "Classifier diagnostics" in page and "majority" in page
