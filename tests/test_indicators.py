import shutil

import pandas as pd
import pytest

from milresearch.errors import DataError
from milresearch.indicators import context_table, latest, load_indicators, rsf_band
from milresearch.paths import RAW_DIR

INDICATORS = RAW_DIR / "indicators"


@pytest.fixture(scope="module")
def table():
    return load_indicators(INDICATORS)


def _value(table, country, indicator, year):
    row = table[(table.country == country) & (table.indicator == indicator) & (table.year == year)]
    return row["value"].iloc[0] if len(row) else None


def test_rsf_values_match_the_files(table):
    assert _value(table, "KAZ", "rsf_score", 2024) == pytest.approx(41.11)
    assert _value(table, "KAZ", "rsf_rank", 2024) == 142
    assert _value(table, "KGZ", "rsf_score", 2025) == pytest.approx(37.46)  # the cp1252 file
    assert _value(table, "TKM", "rsf_rank", 2024) == 175


def test_the_combined_2011_12_index_is_labelled_2012(table):
    assert _value(table, "KAZ", "rsf_rank", 2012) == 154
    assert _value(table, "KAZ", "rsf_rank", 2011) is None


def test_rsf_series_mark_the_method_breaks(table):
    kaz = table[(table.country == "KAZ") & (table.indicator == "rsf_score")].set_index("year")
    assert kaz.loc[2012, "series"] == "rsf_legacy"
    assert kaz.loc[2013, "series"] == "rsf_2013"
    assert kaz.loc[2022, "series"] == "rsf_2022"


def test_turkmenistan_internet_use_stops_in_2017_and_is_never_zero(table):
    tkm = table[(table.country == "TKM") & (table.indicator == "internet_users_pct")]
    assert tkm["year"].max() == 2017  # 2018-2023 are empty cells: absent, not zero
    assert _value(table, "TKM", "internet_users_pct", 2017) == pytest.approx(21.251)
    assert latest(table, "TKM", "internet_users_pct")["year"] == 2017


def test_freedom_house_is_mapped_from_names_to_iso3(table):
    assert _value(table, "KAZ", "fiw_total", 2025) == 23
    assert _value(table, "KGZ", "fiw_d1", 2025) == 2
    assert _value(table, "TKM", "fiw_total", 2025) == 1
    assert set(table.loc[table.source == "fiw", "country"]) == {
        "KAZ",
        "KGZ",
        "TJK",
        "TKM",
        "UZB",
        "PAK",
    }


def test_vdem_has_2021_only(table):
    vdem = table[table.source == "vdem"]
    assert set(vdem["year"]) == {2021}
    assert len(vdem) == 6 * 5


def test_citations_carry_publisher_and_year(table):
    row = table[(table.country == "KAZ") & (table.indicator == "rsf_score") & (table.year == 2024)]
    assert row["citation"].iloc[0] == "RSF World Press Freedom Index 2024"


@pytest.mark.parametrize(
    ("score", "year", "band"),
    [(85, 2024, "good"), (84.99, 2024, "satisfactory"), (55, 2024, "problematic"),
     (41.11, 2024, "difficult"), (39.99, 2024, "very serious"), (10, 2012, None)],
)  # fmt: skip
def test_rsf_bands(score, year, band):
    assert rsf_band(score, year) == band


def test_context_table_keeps_missing_figures_visible(table):
    box = context_table(table, "TKM").set_index("indicator")
    assert box.loc["internet_users_pct", "year"] == 2017
    assert box.loc["rsf_band", "value"] == "very serious"
    gone = context_table(table[table.indicator != "fiw_d1"], "TKM").set_index("indicator")
    assert pd.isna(gone.loc["fiw_d1", "value"])


def test_a_renamed_column_is_a_clear_error(tmp_path):
    shutil.copytree(INDICATORS, tmp_path / "indicators")
    path = tmp_path / "indicators" / "rsf_press_freedom" / "2024.csv"
    text = path.read_text(encoding="utf-8-sig").replace("Score;", "Points;", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_indicators(tmp_path / "indicators")
    assert "2024.csv" in str(err.value) and "'Score'" in str(err.value)


def test_a_missing_folder_is_a_clear_error(tmp_path):
    shutil.copytree(INDICATORS, tmp_path / "indicators")
    shutil.rmtree(tmp_path / "indicators" / "vdem_2021_media")
    with pytest.raises(DataError, match="vdem_2021_media/ not found"):
        load_indicators(tmp_path / "indicators")
