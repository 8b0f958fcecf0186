"""Country and regional report sections on the cleaned sample: concrete numbers and suppression."""

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest

from milresearch.reports import country as report
from milresearch.reports import regional

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kaz(processed):
    return report.load_context(processed, "KAZ", "en")


def _weighted_share(df, column, codes):
    valid = df[column].notna()
    hit = df.loc[valid, column].isin(codes).astype(float)
    return np.average(hit, weights=df.loc[valid, "weight"]), int(valid.sum())


def _csvs(html):
    found = re.findall(r'download="([^"]+)" href="data:text/csv;base64,([^"]+)"', html)
    return {name: pd.read_csv(io.BytesIO(base64.b64decode(data))) for name, data in found}


def test_daily_use_by_group_is_the_weighted_share_within_each_group(kaz):
    by = report.media_by_group(kaz)
    assert set(by["grouping"]) == {"age_group", "settlement", "interview_lang"}
    young = by[(by["item"] == "use_telegram") & (by["group"] == "16-24")].iloc[0]
    p, n = _weighted_share(kaz.survey[kaz.survey["age_group"] == "16-24"], "use_telegram", (1,))
    assert young["proportion"] == pytest.approx(p, abs=1e-12)
    assert young["proportion"] == pytest.approx(0.7206, abs=1e-4)
    assert young["n_base"] == n == 118
    # The generator makes the young read Telegram more; the intervals do not even touch.
    old = by[(by["item"] == "use_telegram") & (by["group"] == "65+")].iloc[0]
    assert old["ci_high"] < young["ci_low"]
    shown = by[~by["suppressed"]]
    assert (shown["ci_low"] >= 0).all() and (shown["ci_high"] <= 1).all()
    assert set(by.loc[by["grouping"] == "interview_lang", "group_label"]) == {"Russian", "Kazakh"}


def test_the_likert_distribution_adds_up_and_matches_the_agreement_shares(kaz):
    dist = report.likert_distribution(kaz)
    assert np.allclose(dist.groupby("item")["proportion"].sum(), 1.0)
    agree = dist[dist["category"].isin([4, 5])].groupby("item")["proportion"].sum()
    shares = report.mil_estimates(kaz).set_index("item")["proportion"]
    assert np.allclose(agree[shares.index], shares, atol=1e-12)
    counts = dist[dist["item"] == "mil_detect"].set_index("category")["n"].to_dict()
    assert counts == {1: 143, 2: 180, 3: 304, 4: 279, 5: 314}


def test_self_assessed_skill_is_set_beside_measured_discernment(kaz):
    gap = report.self_assessed_vs_measured(kaz).set_index("says")
    scores = report.discernment_scores(kaz)
    detect = kaz.survey["mil_detect"]
    valid = detect.notna() & scores["discernment"].notna()
    for says, mask in (("yes", detect.isin([4, 5])), ("no", ~detect.isin([4, 5]))):
        rows = valid & mask
        expected = np.average(scores.loc[rows, "discernment"], weights=scores.loc[rows, "weight"])
        assert gap.loc[says, "mean"] == pytest.approx(expected, abs=1e-12)
        assert gap.loc[says, "n"] == rows.sum()
    assert (gap.loc["yes", "n"], gap.loc["no", "n"]) == (593, 627)
    assert gap.loc["yes", "mean"] > gap.loc["no", "mean"]


def test_the_rsf_chart_draws_each_method_as_its_own_line_and_marks_the_breaks(kaz):
    fig = report.rsf_chart(kaz, ["KAZ"], since=2002)
    score = fig.axes[0]
    drawn = [line.get_xdata() for line in score.lines if len(set(line.get_xdata())) > 1]
    assert [(int(min(x)), int(max(x))) for x in drawn] == [
        (2002, 2012),
        (2013, 2021),
        (2022, 2025),
    ]
    breaks = [line.get_xdata()[0] for line in score.lines if len(set(line.get_xdata())) == 1]
    assert breaks == [2012.5, 2021.5]
    assert fig.axes[1].yaxis_inverted()  # rank 1 is the freest, at the top


def test_the_margin_of_error_carries_the_design_effect_of_the_estimates(kaz):
    html = report.sample_method(kaz)
    assert report.design_effect(kaz) == pytest.approx(2.297, abs=1e-3)
    # 1.96 * sqrt(0.25 * 2.297 / 1268) = 4.2 points; the weights alone (Kish 1.18) give 3.0.
    assert "±4.2 percentage points" in html
    assert "±3.0 percentage points (Kish design effect of the weights 1.18" in html


def _suppressed_rows(html):
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    return sum(1 for r in rows if 'class="mr-suppressed"' in r) + sum(
        r.count('<td class="mr-text">suppressed</td>') for r in rows
    )


def test_the_appendix_lists_unmapped_labels_and_every_suppressed_row(processed):
    ctx = report.load_context(processed, "UZB", "en", min_n=200)
    html = "".join(report.section(ctx, name) for name in report.SECTIONS)
    assert "Tekshirilmoqda (1); Требует проверки (1); см. комментарий (1)" in html
    listed = _csvs(html)["UZB_suppressed.csv"]
    body = html.split('id="sec-quality"')[0]
    assert len(listed) == _suppressed_rows(body) > 10
    assert "Stakeholder groups" in set(listed["Section"])
    assert "Media diet" in set(listed["Section"])


def test_a_report_with_nothing_suppressed_says_so(processed):
    ctx = report.load_context(processed, "KAZ", "en", min_n=0)
    html = "".join(report.section(ctx, name) for name in ("stakeholders", "quality"))
    assert "No estimate in this report has a base below 0; nothing is suppressed." in html
    assert "UZB_suppressed.csv" not in html and "KAZ_suppressed.csv" not in html


def test_regional_forest_plots_name_their_base_and_source(processed):
    ctx = regional.load_context(processed, "en")
    html = regional.countries_side_by_side(ctx)
    # 1,268 + 1,086 + 1,188 + 982 + 902 + 1,360 respondents answered the trust question.
    assert (
        "Agree that most news can be trusted most of the time. Base: national samples of 6 countries, n = 6,786. Source: "
        in html
    )


def test_key_findings_claim_a_self_assessment_gap_only_where_the_intervals_part(kaz):
    gap = report.self_assessed_vs_measured(kaz).set_index("says")
    assert gap.loc["yes", "ci_low"] > gap.loc["no", "ci_high"]  # KAZ: 0.55-0.78 vs 0.12-0.34
    findings = report.key_findings(kaz)
    assert "discerned better in the test: 0.67 points on average against 0.23" in findings
    assert 5 <= findings.count("<li>") <= 8
    # Make the groups overlap: the sentence then says there is no clear difference.
    blurred = report.ReportContext(**{**vars(kaz), "survey": kaz.survey.assign(
        mil_detect=kaz.survey["mil_detect"].sample(frac=1, random_state=1).to_numpy())})  # fmt: skip
    assert "went with no clear difference in measured discernment" in report.key_findings(blurred)
