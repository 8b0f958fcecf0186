"""Country and regional report analysis on the cleaned sample, checked against oracles.

Every expected value is computed here independently (numpy weighted means on the raw rows),
never taken from an earlier run of the code under test.
"""

import re

import numpy as np
import pandas as pd
import pytest

from milresearch.analysis.questionnaire import scales
from milresearch.reports import charts, country, regional

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kaz(processed):
    return country.open_report(processed, "KAZ", "en")


def _weighted_share(df, column, codes):
    valid = df[column].notna()
    hit = df.loc[valid, column].isin(codes).astype(float)
    return np.average(hit, weights=df.loc[valid, "weight"]), int(valid.sum())


def test_a_report_reads_only_its_own_countrys_rows(kaz):
    inputs = kaz.inputs
    assert set(inputs.survey["country"]) == set(inputs.all_rows["country"]) == {"KAZ"}
    assert set(inputs.content["country"]) == {"KAZ"}
    assert set(inputs.indicators["country"]) == {"KAZ"}
    assert {d["name"] for d in inputs.survey_datasets} == {"kaz_mil_2025"}


def test_daily_use_by_group_is_the_weighted_share_within_each_group(kaz):
    by = kaz.analysis("media")["by_group"]
    assert set(by["grouping"]) == {"age_group", "settlement", "interview_lang"}
    survey = kaz.inputs.survey
    for group in ("16-24", "65+"):
        row = by[(by["item"] == "use_telegram") & (by["group"] == group)].iloc[0]
        p, n = _weighted_share(survey[survey["age_group"] == group], "use_telegram", (1,))
        assert row["proportion"] == pytest.approx(p, abs=1e-12)
        assert row["n_base"] == n
    young = by[(by["item"] == "use_telegram") & (by["group"] == "16-24")].iloc[0]
    old = by[(by["item"] == "use_telegram") & (by["group"] == "65+")].iloc[0]
    # The generator makes the young read Telegram more; the intervals do not even touch.
    assert old["ci_high"] < young["ci_low"]
    shown = by[~by["suppressed"]]
    assert (shown["ci_low"] >= 0).all() and (shown["ci_high"] <= 1).all()


def test_the_share_counts_the_codes_its_scale_declares(kaz):
    # freq5 counts "daily" (1), trust4 "fully or rather" (1, 2), agree5 "agree" (4, 5).
    survey = kaz.inputs.survey
    for section, item, codes in (
        ("media", "use_tv", (1,)),
        ("trust", "trust_state_media", (1, 2)),
        ("trust", "concern_fake", (4, 5)),
        ("mil", "mil_detect", (4, 5)),
    ):
        est = kaz.analysis(section)["estimates"].set_index("item").loc[item]
        assert est["proportion"] == pytest.approx(_weighted_share(survey, item, codes)[0])


def test_the_likert_distribution_adds_up_and_matches_the_agreement_shares(kaz):
    mil = kaz.analysis("mil")
    dist = mil["likert"]
    assert np.allclose(dist.groupby("item")["proportion"].sum(), 1.0)
    agree = dist[dist["category"].isin([4, 5])].groupby("item")["proportion"].sum()
    shares = mil["estimates"].set_index("item")["proportion"]
    assert np.allclose(agree[shares.index], shares, atol=1e-12)
    counts = dist[dist["item"] == "mil_detect"].set_index("category")["n"].to_dict()
    assert counts == kaz.inputs.survey["mil_detect"].value_counts().to_dict()


def test_self_assessed_skill_is_set_beside_measured_discernment(kaz):
    gap = kaz.analysis("discernment")["self_vs_measured"].set_index("says")
    survey = kaz.inputs.survey
    veracity = kaz.inputs.veracity()
    true = [c for c, v in veracity.items() if v]
    false = [c for c, v in veracity.items() if not v]
    discernment = survey[true].mean(axis=1) - survey[false].mean(axis=1)
    detect = survey["mil_detect"]
    valid = detect.notna() & discernment.notna()
    for says, mask in (("yes", detect.isin([4, 5])), ("no", ~detect.isin([4, 5]))):
        rows = valid & mask
        expected = np.average(discernment[rows], weights=survey.loc[rows, "weight"])
        assert gap.loc[says, "mean"] == pytest.approx(expected, abs=1e-12)
        assert gap.loc[says, "n"] == rows.sum()
    assert gap.loc["yes", "mean"] > gap.loc["no", "mean"]


def test_the_rsf_chart_draws_each_method_as_its_own_line_and_marks_the_breaks(kaz):
    fig = charts.rsf(
        kaz.inputs.indicators,
        {"KAZ": "Kazakhstan"},
        since=2002,
        axis_labels=("score", "rank"),
        break_label="{year}",
    )
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
    summary = kaz.analysis("method")["summary"].iloc[0]
    percentages = pd.concat([kaz.analysis(n)["estimates"] for n in ("media", "trust", "mil")])
    deff = percentages.loc[~percentages["suppressed"], "deff"].median()
    assert summary["deff"] == pytest.approx(deff)
    n = len(kaz.inputs.survey)
    assert summary["moe"] == pytest.approx(100 * 1.96 * np.sqrt(0.25 * deff / n), rel=1e-3)
    w = kaz.inputs.survey["weight"]
    kish = n * (w**2).sum() / w.sum() ** 2
    assert summary["deff_weights"] == pytest.approx(kish)
    html = str(kaz.section("method").html)
    assert f"±{summary['moe']:.1f} percentage points" in html


def test_the_appendix_lists_every_suppressed_row_whatever_ran_before(processed):
    rep = country.open_report(processed, "UZB", "en", min_n=200)
    appendix = rep.analysis("quality")
    listed = country.quality.suppressed_cells(rep)
    flagged = sum(
        int(frame["suppressed"].sum())
        for name in country.SECTIONS
        if name != "quality"
        for frame in rep.analysis(name).values()
        if "suppressed" in frame
    )
    assert len(listed) == flagged > 10
    assert {"Stakeholder groups", "Media diet"} <= set(listed["section"])
    # Showing the appendix twice, before or after the other sections, lists the same rows.
    first = str(rep.section("quality").html)
    rep.section("media")
    assert str(rep.section("quality").html) == first
    labels = appendix["unmapped"]["detail"].str.cat()
    assert "Tekshirilmoqda (1); Требует проверки (1); см. комментарий (1)" in labels


def test_a_report_with_nothing_suppressed_says_so(processed):
    rep = country.open_report(processed, "KAZ", "en", min_n=0)
    html = str(rep.section("quality").html)
    assert "No estimate in this report has a base below 0; nothing is suppressed." in html
    assert "KAZ_suppressed.csv" not in html


def test_regional_forest_plots_name_their_base_and_source(processed):
    rep = regional.open_report(processed, "en")
    est = rep.analysis("countries")["estimates"]
    trust = est[(est["item"] == "trust_news_general") & (est["country"] != "POOLED")]
    n = int(trust["n_base"].sum())
    assert n == int(rep.inputs.survey["trust_news_general"].notna().sum())
    html = str(rep.section("countries").html)
    assert (
        f"Agree that most news can be trusted most of the time. Base: national samples of "
        f"6 countries, n = {n:,}. Source: "
    ) in html


def _with_survey(rep, survey):
    inputs = type(rep.inputs)(**{**vars(rep.inputs), "survey": survey})
    return country.Report(inputs, "en", rep.min_n, country.SECTIONS, rep.title)


def test_key_findings_claim_a_difference_only_where_its_test_does(kaz):
    frames = kaz.analysis("findings")
    found, tests = frames["findings"].set_index("finding"), frames["tests"].set_index("test")
    self_test = tests.loc["self_assessment"]
    # The difference is that of the two groups' means in the discernment section.
    gap = kaz.analysis("discernment")["self_vs_measured"].set_index("says")
    assert self_test["difference"] == pytest.approx(gap.loc["yes", "mean"] - gap.loc["no", "mean"])
    significant = self_test["p_value"] < 0.05
    assert ("findings.self_more" in found.index) == (significant and self_test["difference"] > 0)
    # Make the groups the same people at random: the finding then says there is no difference.
    survey = kaz.inputs.survey
    shuffled = survey.assign(
        mil_detect=survey["mil_detect"].sample(frac=1, random_state=1).to_numpy()
    )
    blurred = _with_survey(kaz, shuffled)
    blurred_tests = blurred.analysis("findings")["tests"].set_index("test")
    assert blurred_tests.loc["self_assessment", "p_value"] >= 0.05
    assert "findings.self_same" in set(blurred.analysis("findings")["findings"]["finding"])
    html = str(blurred.section("findings").html)
    assert "no statistically significant difference in measured discernment" in html


def test_two_channels_used_alike_are_said_as_a_tie(kaz):
    est = kaz.analysis("media")["estimates"]
    first, second = est["item"].iloc[0], est["item"].iloc[1]
    survey = kaz.inputs.survey
    tied = _with_survey(kaz, survey.assign(**{second: survey[first]}))
    found = tied.analysis("findings")["findings"]
    assert "findings.media_same" in set(found["finding"])
    assert "findings.media_more" not in set(found["finding"])
    assert "too close to rank" in str(tied.section("findings").html)


def test_group_gaps_are_claimed_only_if_they_survive_every_pair_scanned(kaz):
    frames = kaz.analysis("findings")
    gaps = frames["tests"][frames["tests"]["test"] == "group_gap"]
    scanned = int(gaps.loc[~gaps["suppressed"], "pairs"].sum())
    claimed = frames["findings"][frames["findings"]["finding"].str.startswith("findings.gap")]
    assert 1 <= len(claimed) <= 2
    for _, row in claimed.iterrows():
        test = gaps[(gaps["item"] == row["item"]) & (gaps["grouping"] == row["grouping"])].iloc[0]
        assert row["p_value"] == pytest.approx(min(1.0, test["p_value"] * scanned))
        assert row["p_value"] < 0.05
        # The highest and the lowest group of that item, as the media section shows them.
        by = kaz.analysis("media")["by_group"]
        shown = by[
            (by["item"] == row["item"]) & (by["grouping"] == row["grouping"]) & ~by["suppressed"]
        ]
        assert row["estimate"] == pytest.approx(shown["proportion"].max())
        assert row["other"] == pytest.approx(shown["proportion"].min())
    # Differences come first, largest first.
    kinds = list(frames["findings"]["kind"])
    assert kinds == sorted(kinds, key=["difference", "level", "tie", "content", "context"].index)
    sizes = frames["findings"].loc[frames["findings"]["kind"] == "difference", "size"]
    assert list(sizes) == sorted(sizes, reverse=True)


def test_analysis_is_the_same_in_every_language(processed):
    en = country.open_report(processed, "TJK", "en")
    ru = country.open_report(processed, "TJK", "ru")
    for name in ("media", "trust", "mil", "factcheck"):
        for key, frame in en.analysis(name).items():
            pd.testing.assert_frame_equal(frame, ru.analysis(name)[key])
    assert "Ежедневно" in scales()["freq5"][1]["ru"]


def test_context_figures_carry_one_decimal_not_the_sources_two(kaz):
    html = str(kaz.section("context").html)
    values = re.findall(r"<td[^>]*>([0-9.,\u2212]+)</td>", html)
    assert not [v for v in values if re.fullmatch(r"\d+\.\d\d+", v)]
    assert any(re.fullmatch(r"\d+\.\d", v) for v in values), values


def test_a_chart_title_states_its_lead_only_where_the_test_finds_one(kaz):
    from milresearch.reports import survey

    frames = kaz.analysis("media")
    lead, est = frames["leader"].copy(), frames["estimates"]
    shown = est[~est["suppressed"]].sort_values("proportion", ascending=False)
    assert list(lead[["first", "second"]].iloc[0]) == list(shown["item"].iloc[:2])
    assert (lead["verdict"].iloc[0] == "same") == (lead["p_value"].iloc[0] >= 0.05)
    names = survey.labels(kaz, est)
    title = survey.leader_title(kaz, lead, est, names)
    assert title.startswith("Instagram comes first") == (lead["verdict"].iloc[0] != "same")
    tie = survey.leader_title(kaz, lead.assign(verdict="same"), est, names)
    assert tie.endswith("too close to rank") and "Instagram" in tie


def test_the_synthetic_warning_is_drawn_on_charts_of_synthetic_data_only(kaz):
    stamps = {}
    for kind in ("survey", "content", "indicators"):
        fig = charts.volume(
            pd.Series(pd.date_range("2024-01-01", periods=3, freq="MS")),
            pd.Series([1, 2, 3]),
            ylabel="n",
        )
        kaz.figure(fig, alt="a", caption="c", source="S", kind=kind)
        stamps[kind] = " ".join(t.get_text() for t in fig.texts)
    assert all("Source: S" in s for s in stamps.values())
    assert "SYNTHETIC DATA" in stamps["survey"] and "SYNTHETIC DATA" in stamps["content"]
    assert "SYNTHETIC DATA" not in stamps["indicators"]  # RSF and the World Bank are real


def test_a_suppressed_rows_interval_is_hidden_like_its_numbers(kaz):
    section = kaz.section("stakeholders")
    est = section.frames["estimates"]
    assert est["suppressed"].any() and not est["suppressed"].all()
    rows = re.findall(r"<tr>(.*?)</tr>", str(section.html), re.DOTALL)
    hidden = [r for r in rows if "mr-suppressed" in r]
    assert len(hidden) == int(est["suppressed"].sum())
    for row in hidden:  # the percentage, the interval, the base and the design effect
        assert row.count(">suppressed<") == 4 and "allows none" not in row
