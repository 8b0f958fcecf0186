"""Regional sections on the cleaned sample: harmonisation notes and the pooled estimate."""

import re
from types import MappingProxyType

import pytest

from milresearch.analysis import regional as analysis
from milresearch.reports import regional
from milresearch.reports.labels import item_label

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(processed):
    return regional.open_report(processed, "en")


def _differences(rep):
    table = rep.analysis("harmonisation")["harmonisation"]
    return [regional._difference(rep, row) for _, row in table.iterrows()]


def test_harmonisation_lists_items_not_asked_and_declared_notes(report):
    table = report.analysis("harmonisation")["harmonisation"]
    assert sorted(zip(table["country"], table["item"], strict=True)) == [
        ("TKM", "concern_fake"),
        ("TKM", "fc_use"),
        ("TKM", "trust_russian_media"),
        ("TKM", "trust_western_media"),
    ]
    note = dict(zip(table["item"], _differences(report), strict=True))["concern_fake"]
    assert note == "Asked about false information on the internet only, not in all media."


def test_an_item_on_another_scale_is_listed_for_that_country_only(report):
    datasets = []
    for d in report.inputs.datasets:
        entry = dict(d)
        if entry["name"] == "kgz_mil_2025":
            items = dict(entry["items"])
            items["trust_state_media"] = {"scale": "agree5", "codes": [1, 2, 3, 4, 5], "note": {}}
            entry["items"] = items
        datasets.append(MappingProxyType(entry))
    inputs = type(report.inputs)(**{**vars(report.inputs), "datasets": tuple(datasets)})
    table = analysis.harmonisation(inputs)
    row = table[table["item"] == "trust_state_media"]
    assert row["country"].tolist() == ["KGZ"]
    assert regional._difference(report, row.iloc[0]) == (
        "Asked on the scale 'agree5' where most countries used 'trust4'."
    )


def test_harmonisation_speaks_russian_in_the_russian_report(processed):
    found = set(_differences(regional.open_report(processed, "ru")))
    assert "Спрашивали о ложной информации только в интернете, а не во всех СМИ." in found
    assert "Вопрос в этой стране не задавался." in found


def test_pooled_estimate_is_the_unweighted_mean_of_country_estimates(report):
    est = report.analysis("countries")["estimates"]
    block = est[est["item"] == "trust_news_general"]
    countries = block[block["country"] != "POOLED"]
    pooled = block[block["country"] == "POOLED"].iloc[0]
    assert pooled["proportion"] == pytest.approx(countries["proportion"].mean(), abs=1e-12)
    assert pooled["se"] == pytest.approx(
        (countries["se"] ** 2).sum() ** 0.5 / len(countries), abs=1e-12
    )


def test_no_caption_or_pooled_base_gives_a_suppressed_country_base_away(processed):
    bases = regional.open_report(processed, "en").analysis("countries")["estimates"]
    national = bases[bases["country"] != analysis.POOLED]
    item = national["item"].iloc[0]
    here = national[national["item"] == item].set_index("country")
    per_country = here["n_base"]
    # Suppression looks at the unweighted and the effective base: the threshold just above the
    # smallest effective base hides exactly one country.
    rep = regional.open_report(
        processed, "en", min_n=int((here["n_base"] / here["deff"]).min()) + 1, cache=False
    )
    est = rep.analysis("countries")["estimates"]
    block = est[est["item"] == item]
    hidden = block[block["suppressed"] & (block["country"] != analysis.POOLED)]
    assert len(hidden) == 1
    page = str(rep.section("countries").html)
    shown = per_country.drop(hidden["country"]).sum()
    title = re.escape(item_label(item, "en", rep.inputs))
    caption = re.search(
        rf"{title}\. Base: national samples of (\d+) countries, n = ([\d,]+)", page
    )
    assert caption is not None
    assert caption.groups() == (str(len(per_country) - 1), f"{int(shown):,}")
    pooled_base = int(block.loc[block["country"] == analysis.POOLED, "n_base"].iloc[0])
    assert f">{pooled_base}<" not in page


def test_country_estimates_equal_national_ones_when_vendors_share_stratum_labels(processed):
    # Two vendors who both number their strata and PSUs from 1: the labels repeat across
    # countries. Each country is still its own sample, so its SE is its national report's.
    from milresearch.reports import country

    rep = regional.open_report(processed, "en", cache=False)
    survey = rep.inputs.survey
    local = survey.assign(
        stratum=survey["stratum"].str.split("-", n=1).str[1],
        psu=survey["psu"].str.split("-", n=1).str[1],
    )
    assert local.groupby("stratum")["country"].nunique().max() > 1  # the labels do collide
    inputs = type(rep.inputs)(**{**vars(rep.inputs), "survey": local})
    shared = regional.Report(inputs, "en", rep.min_n, regional.SECTIONS, rep.title)
    est = shared.analysis("countries")["estimates"].set_index(["item", "country"])
    kaz = country.open_report(processed, "KAZ", "en", cache=False)
    national = kaz.analysis("trust")["estimates"].set_index("item").loc["trust_news_general"]
    row = est.loc[("trust_news_general", "KAZ")]
    assert row["se"] == pytest.approx(national["se"], rel=1e-12)
    assert row["ci_low"] == pytest.approx(national["ci_low"], rel=1e-12)


def test_regional_findings_test_the_highest_against_the_lowest_country(report):
    frames = report.analysis("findings")
    tests, found = frames["tests"], frames["findings"]
    est = report.analysis("countries")["estimates"]
    est = est[(est["country"] != analysis.POOLED) & ~est["suppressed"]]
    assert set(tests["item"]) == set(est["item"])
    scanned = int(tests["pairs"].sum())
    assert scanned == sum(k * (k - 1) // 2 for k in est.groupby("item").size())
    for _, test in tests.iterrows():
        block = est[est["item"] == test["item"]].set_index("country")
        assert test["first"] == block["proportion"].idxmax()
        assert test["second"] == block["proportion"].idxmin()
        # Independent samples: the SE of the difference is the root of the sum of the two.
        independent = block.loc[test["first"], "se"] ** 2 + block.loc[test["second"], "se"] ** 2
        assert test["se"] == pytest.approx(independent**0.5, rel=1e-9)
    gaps = found[found["finding"].str.startswith("findings.country_gap")]
    assert len(gaps) == len(tests)
    for _, gap in gaps.iterrows():
        raw = tests.loc[tests["item"] == gap["item"], "p_value"].iloc[0]
        said = "more" if min(1.0, raw * scanned) < 0.05 else "same"
        assert gap["finding"] == f"findings.country_gap_{said}"
    html = str(report.section("findings").html)
    assert "Key findings" in html and "percentage points" in html


def test_the_regional_context_section_is_headed_for_many_countries(processed):
    html = str(regional.open_report(processed, "ru").section("context").html)
    assert "Контекст по странам" in html and "Контекст страны" not in html
