"""Regional sections on the cleaned sample: harmonisation notes and the pooled estimate."""

import copy

import pytest

from milresearch.reports import regional

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def context(processed):
    return regional.load_context(processed, "en")


def test_harmonisation_lists_items_not_asked_and_declared_notes(context):
    table = regional.harmonisation_table(context)
    assert sorted(zip(table["country"], table["item"], strict=True)) == [
        ("TKM", "concern_fake"),
        ("TKM", "fc_use"),
        ("TKM", "trust_russian_media"),
        ("TKM", "trust_western_media"),
    ]
    note = table.set_index("item").loc["concern_fake", "difference"]
    assert note == "Asked about false information on the internet only, not in all media."


def test_an_item_on_another_scale_is_listed_for_that_country_only(context):
    ctx = copy.copy(context)
    ctx.manifest = copy.deepcopy(context.manifest)
    kgz = next(d for d in ctx.manifest["datasets"] if d["name"] == "kgz_mil_2025")
    kgz["items"]["trust_state_media"] = {"scale": "agree5", "codes": [1, 2, 3, 4, 5], "note": {}}
    table = regional.harmonisation_table(ctx)
    row = table[table["item"] == "trust_state_media"]
    assert row["country"].tolist() == ["KGZ"]
    assert row["difference"].item() == (
        "Asked on the scale 'agree5' where most countries used 'trust4'."
    )


def test_harmonisation_speaks_russian_in_the_russian_report(processed):
    table = regional.harmonisation_table(regional.load_context(processed, "ru"))
    assert "Спрашивали о ложной информации только в интернете, а не во всех СМИ." in set(
        table["difference"]
    )
    assert "В этой стране не задавался." in set(table["difference"])


def test_pooled_estimate_is_the_unweighted_mean_of_country_estimates(context):
    est = regional.country_estimates(context)
    block = est[est["item"] == "trust_news_general"]
    countries = block[block["country"] != "POOLED"]
    pooled = block[block["country"] == "POOLED"].iloc[0]
    assert pooled["proportion"] == pytest.approx(countries["proportion"].mean(), abs=1e-12)
    assert pooled["se"] == pytest.approx(
        (countries["se"] ** 2).sum() ** 0.5 / len(countries), abs=1e-12
    )
