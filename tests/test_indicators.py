"""The real-indicator loader, checked against numbers read by hand from the real files."""

import math
import shutil

import openpyxl
import pandas as pd
import pytest

from milresearch.errors import DataError
from milresearch.indicators import (
    context_table,
    latest,
    load_indicators,
    read_text_table,
    rsf_band,
)
from milresearch.paths import RAW_DIR

INDICATORS = RAW_DIR / "indicators"
RSF = INDICATORS / "rsf_press_freedom"
FIW = INDICATORS / "freedomhouse_fiw" / "All_data_FIW_2013-2024.xlsx"
SIX = {"KAZ", "KGZ", "TJK", "TKM", "UZB", "PAK"}


@pytest.fixture(scope="module")
def table():
    return load_indicators(INDICATORS)


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the indicator folder."""
    shutil.copytree(INDICATORS, tmp_path / "indicators")
    return tmp_path / "indicators"


def _rows(table, country, indicator, year):
    return table[
        (table.country == country) & (table.indicator == indicator) & (table.year == year)
    ]


def _value(table, country, indicator, year):
    rows = _rows(table, country, indicator, year)
    assert len(rows) == 1, f"{country} {indicator} {year}: {len(rows)} rows"
    return rows["value"].iloc[0]


# --- the table ---------------------------------------------------------------------------------


def test_the_table_has_the_documented_columns_and_types(table):
    assert list(table.columns) == [
        "country",
        "indicator",
        "year",
        "value",
        "value_text",
        "source",
        "citation",
        "series",
    ]
    assert table["year"].dtype == "int64"
    assert table["value"].dtype == "float64"
    assert set(table["country"]) == SIX
    assert set(table["source"]) == {"rsf", "wb", "fiw", "vdem"}
    assert not table.duplicated(["country", "indicator", "year"]).any()


def test_every_declared_indicator_is_loaded(table):
    assert set(table["indicator"]) == {
        "rsf_score",
        "rsf_rank",
        "internet_users_pct",
        "fiw_total",
        "fiw_pr",
        "fiw_cl",
        "fiw_d1",
        "fiw_status",
        "vdem_v2x_freexp_altinf",
        "vdem_v2mecenefi",
        "vdem_v2meharjrn",
        "vdem_v2smgovfilprc",
        "vdem_v2smgovshut",
        "vdem_v2smgovsmcenprc",
        "vdem_v2smarrest",
    }


def test_only_the_requested_countries_are_loaded():
    two = load_indicators(INDICATORS, countries=("KAZ", "UZB"))
    assert set(two["country"]) == {"KAZ", "UZB"}
    assert _value(two, "UZB", "rsf_score", 2024) == pytest.approx(37.27)


# --- RSF -----------------------------------------------------------------------------------------


def test_rsf_2024_values_match_the_file(table):
    # 2024.csv: KAZ;41,11;142;...  TKM;22,01;175;...
    assert _value(table, "KAZ", "rsf_score", 2024) == pytest.approx(41.11)
    assert _value(table, "KAZ", "rsf_rank", 2024) == 142
    assert _value(table, "TKM", "rsf_rank", 2024) == 175


def test_the_cp1252_file_of_2025_loads_and_says_which_encoding_it_used(table):
    # 2025.csv: KGZ;37,46;144;...  header "Score 2025"
    assert _value(table, "KGZ", "rsf_score", 2025) == pytest.approx(37.46)
    assert _value(table, "KGZ", "rsf_rank", 2025) == 144
    encodings = table.attrs["encodings"]
    assert encodings["rsf_press_freedom/2025.csv"] == "cp1252"
    assert encodings["rsf_press_freedom/2024.csv"] == "utf-8-sig"
    assert encodings["vdem_2021_media/new_vdem.csv"] == "utf-8"
    assert sum(e == "cp1252" for e in encodings.values()) == 1


def test_read_text_table_decodes_latin_letters_of_the_cp1252_file():
    df, encoding = read_text_table(RSF / "2025.csv", sep=";", dtype=str)
    assert encoding == "cp1252"
    assert df.loc[df["ISO"] == "UZB", "Country_FR"].iloc[0] == "Ouzbékistan"
    df, encoding = read_text_table(RSF / "2024.csv", sep=";", dtype=str)
    assert encoding == "utf-8-sig"
    assert df.columns[0] == "ISO"  # the BOM is not part of the first column name


def test_the_2022_file_with_cr_cr_lf_line_endings_parses(table):
    # 2022.csv: KAZ;48,28;122;...  lines end in \r\r\n
    assert _value(table, "KAZ", "rsf_score", 2022) == pytest.approx(48.28)
    assert _value(table, "KAZ", "rsf_rank", 2022) == 122
    df, _ = read_text_table(RSF / "2022.csv", sep=";", dtype=str)
    assert len(df) == 180


def test_the_combined_2011_12_index_is_year_2012_and_cited_as_2011_2012(table):
    # 2012.csv: 2011-12;KAZ;154;77,5;...
    assert _value(table, "KAZ", "rsf_rank", 2012) == 154
    assert _value(table, "KAZ", "rsf_score", 2012) == pytest.approx(77.5)
    assert _rows(table, "KAZ", "rsf_rank", 2011).empty
    citation = _rows(table, "KAZ", "rsf_rank", 2012)["citation"].iloc[0]
    assert citation == "RSF World Press Freedom Index 2011–2012"


def test_every_rsf_edition_has_all_six_countries(table):
    rsf = table[table.indicator == "rsf_score"]
    editions = [*range(2002, 2011), *range(2012, 2026)]
    assert sorted(set(rsf["year"])) == editions
    assert (rsf.groupby("year")["country"].nunique() == 6).all()
    assert rsf["value"].notna().all()


def test_rsf_series_mark_the_2013_and_2022_method_breaks(table):
    kaz = table[(table.country == "KAZ") & (table.indicator == "rsf_score")].set_index("year")
    assert kaz.loc[2002, "series"] == "rsf_legacy"
    assert kaz.loc[2012, "series"] == "rsf_legacy"
    assert kaz.loc[2013, "series"] == "rsf_2013"
    assert kaz.loc[2021, "series"] == "rsf_2013"
    assert kaz.loc[2022, "series"] == "rsf_2022"
    assert kaz.loc[2025, "series"] == "rsf_2022"


def test_legacy_rsf_scores_are_kept_as_published(table):
    # Lower was better before 2013 and the points were not bounded: 2012.csv TKM;177;140,67
    assert _value(table, "TKM", "rsf_score", 2012) == pytest.approx(140.67)
    assert _value(table, "KAZ", "rsf_score", 2009) == pytest.approx(49.66666667)


# --- World Bank ----------------------------------------------------------------------------------


def test_turkmenistan_internet_use_stops_in_2017_and_is_missing_not_zero(table):
    tkm = table[(table.country == "TKM") & (table.indicator == "internet_users_pct")]
    tkm = tkm.set_index("year")["value"]
    assert tkm.loc[2017] == pytest.approx(21.251)
    assert tkm.loc[2018:2023].isna().all()
    assert list(tkm.loc[2018:].index) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert (tkm.loc[2000:] != 0).all()


def test_world_bank_values_and_gaps_match_the_file(table):
    assert _value(table, "KAZ", "internet_users_pct", 2023) == pytest.approx(92.8785)
    assert _value(table, "TJK", "internet_users_pct", 2017) == pytest.approx(21.96)
    assert math.isnan(_value(table, "TJK", "internet_users_pct", 2018))
    assert _value(table, "TJK", "internet_users_pct", 2020) == pytest.approx(27.5441)
    assert _value(table, "PAK", "internet_users_pct", 1990) == 0  # a published zero stays 0
    assert _rows(table, "PAK", "internet_users_pct", 1989).empty  # before the first figure
    wb = table[table.source == "wb"]
    zeros = wb[wb["value"] == 0]  # only the published zeros of 1990-1995 (4+6+5+6+6+5)
    assert len(zeros) == 32 and zeros["year"].max() == 1995


# --- Freedom House -------------------------------------------------------------------------------


def test_freedom_house_figures_match_the_workbook(table):
    # Sheet FIW13-25, edition 2025: Kazakhstan ... PR 5, D1 0, CL 18, Total 23, Status NF
    assert _value(table, "KAZ", "fiw_total", 2025) == 23
    assert _value(table, "KAZ", "fiw_d1", 2025) == 0
    assert _value(table, "KAZ", "fiw_pr", 2025) == 5
    assert _value(table, "KAZ", "fiw_cl", 2025) == 18
    assert _value(table, "KGZ", "fiw_total", 2025) == 26
    assert _value(table, "KGZ", "fiw_d1", 2025) == 2
    assert _value(table, "TJK", "fiw_total", 2013) == 24


def test_freedom_house_status_is_text_in_value_text(table):
    assert _rows(table, "KGZ", "fiw_status", 2020)["value_text"].iloc[0] == "PF"
    assert _rows(table, "KGZ", "fiw_status", 2021)["value_text"].iloc[0] == "NF"
    status = table[table.indicator == "fiw_status"]
    assert status["value"].isna().all()
    assert table.loc[table.indicator != "fiw_status", "value_text"].isna().all()


def test_freedom_house_covers_editions_2013_to_2025_for_all_six(table):
    fiw = table[table.indicator == "fiw_total"]
    assert sorted(set(fiw["year"])) == list(range(2013, 2026))
    assert len(fiw) == 13 * 6
    assert set(fiw["country"]) == SIX  # "Pakistani Kashmir" is not Pakistan
    cite = _rows(table, "TKM", "fiw_total", 2025)["citation"].iloc[0]
    assert cite == "Freedom House, Freedom in the World 2025"


def test_vdem_values_match_the_file(table):
    # new_vdem.csv: Uzbekistan,UZB,140,2021,Closed autocracy,0.082,0.221,...,-2.412,-0.913,...
    assert _value(table, "UZB", "vdem_v2mecenefi", 2021) == pytest.approx(-2.412)
    assert _value(table, "UZB", "vdem_v2meharjrn", 2021) == pytest.approx(-0.913)
    assert _value(table, "UZB", "vdem_v2x_freexp_altinf", 2021) == pytest.approx(0.221)
    assert _value(table, "TKM", "vdem_v2smgovshut", 2021) == pytest.approx(-3.044)
    vdem = table[table.source == "vdem"]
    assert set(vdem["year"]) == {2021}
    assert len(vdem) == 6 * 7


def test_the_vdem_variables_and_citations_come_from_the_metadata_file(copy):
    meta = copy / "indicators.yml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace('"V-Dem v13 (Coppedge et al. 2023), {year}"', '"V-Dem test {year}"')
    text += (
        "      vdem_v2smgovdom:\n"
        "        label: {en: False information, ru: Ложная информация}\n"
        "        unit: latent\n"
        "        higher_is_better: true\n"
    )
    meta.write_text(text, encoding="utf-8")
    loaded = load_indicators(copy)
    # new_vdem.csv: Kazakhstan ... v2smgovdom -1.622
    assert _value(loaded, "KAZ", "vdem_v2smgovdom", 2021) == pytest.approx(-1.622)
    assert _rows(loaded, "KAZ", "vdem_v2smgovdom", 2021)["citation"].iloc[0] == "V-Dem test 2021"


# --- rsf_band, latest, context_table -------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "year", "band"),
    [
        (85, 2024, "good"),
        (84.99, 2024, "satisfactory"),
        (70, 2024, "satisfactory"),
        (69.99, 2024, "problematic"),
        (55, 2024, "problematic"),
        (54.99, 2024, "difficult"),
        (40, 2024, "difficult"),
        (39.99, 2024, "very serious"),
        (85, 2021, "good"),
        (84.99, 2021, "satisfactory"),
        (75, 2021, "satisfactory"),
        (74.99, 2021, "problematic"),
        (65, 2013, "problematic"),
        (64.99, 2013, "difficult"),
        (45, 2013, "difficult"),
        (44.99, 2013, "very serious"),
        (42, 2012, None),
        (float("nan"), 2024, None),
    ],
)
def test_rsf_band_boundaries(score, year, band):
    assert rsf_band(score, year) == band


def test_rsf_band_agrees_with_the_situation_column_of_2024():
    df, _ = read_text_table(RSF / "2024.csv", sep=";", decimal=",")
    french = {
        "Bonne situation": "good",
        "Situation plutôt bonne": "satisfactory",
        "Situation problématique": "problematic",
        "Situation difficile": "difficult",
        "Situation très grave": "very serious",
    }
    expected = df["Situation"].map(french)
    assert expected.notna().all()
    assert [rsf_band(s, 2024) for s in df["Score"]] == list(expected)


def test_rsf_band_reproduces_rsf_own_2021_counts():
    # RSF, 2021 index: 12 countries "good", journalism "constrained" (problematic) in 59 and
    # "totally blocked or seriously impeded" (difficult or very serious) in 73.
    df, _ = read_text_table(RSF / "2021.csv", sep=";", decimal=",")
    bands = pd.Series([rsf_band(s, 2021) for s in df["Score N"]]).value_counts()
    assert bands["good"] == 12
    assert bands["problematic"] == 59
    assert bands["difficult"] + bands["very serious"] == 73


def test_latest_takes_the_last_year_with_a_figure(table):
    assert latest(table, "TKM", "internet_users_pct")["year"] == 2017
    assert latest(table, "KGZ", "internet_users_pct")["year"] == 2022
    assert latest(table, "UZB", "fiw_status")["value_text"] == "NF"
    assert latest(table, "UZB", "rsf_score")["year"] == 2025
    assert latest(table, "AFG", "rsf_score") is None


def test_context_table_shows_latest_figures_with_year_and_citation(table):
    box = context_table(table, "TKM").set_index("indicator")
    assert list(box.index) == [
        "rsf_score",
        "rsf_rank",
        "rsf_band",
        "internet_users_pct",
        "fiw_total",
        "fiw_d1",
    ]
    assert box.loc["rsf_score", "value"] == pytest.approx(19.14)
    assert box.loc["rsf_rank", "value"] == 174
    assert box.loc["rsf_band", "value"] == "very serious"
    assert box.loc["internet_users_pct", "value"] == pytest.approx(21.251)
    assert box.loc["internet_users_pct", "year"] == 2017
    assert box.loc["fiw_total", "value"] == 1
    assert box.loc["fiw_d1", "citation"] == "Freedom House, Freedom in the World 2025"
    assert box.loc["rsf_score", "label"] == "RSF press freedom score"


def test_context_table_keeps_a_missing_figure_visible_as_missing(table):
    box = context_table(table[table.indicator != "fiw_d1"], "KAZ").set_index("indicator")
    assert len(box) == 6
    assert pd.isna(box.loc["fiw_d1", "value"])
    assert pd.isna(box.loc["fiw_d1", "year"])
    assert box.loc["fiw_d1", "citation"] == ""
    assert box.loc["fiw_total", "value"] == 23


def test_context_table_labels_come_in_russian(table):
    box = context_table(table, "KGZ", lang="ru").set_index("indicator")
    assert box.loc["internet_users_pct", "label"] == "Пользователи интернета (% населения)"
    assert box.loc["rsf_band", "value"] == "очень серьёзная"


# --- bad input -----------------------------------------------------------------------------------


def test_a_missing_folder_is_a_clear_error(copy):
    shutil.rmtree(copy / "vdem_2021_media")
    with pytest.raises(DataError, match=r"folder vdem_2021_media/ not found") as err:
        load_indicators(copy)
    assert "What to do: copy it from" in str(err.value)


def test_a_missing_file_is_a_clear_error(copy):
    folder = copy / "worldbank_internet_users"
    for path in folder.glob("API_*.csv"):
        path.unlink()
    with pytest.raises(DataError) as err:
        load_indicators(copy)
    message = str(err.value)
    assert "worldbank_internet_users" in message and "API_IT.NET.USER.ZS" in message


def test_a_missing_metadata_file_is_a_clear_error(copy):
    (copy / "indicators.yml").unlink()
    with pytest.raises(DataError, match="indicators.yml not found"):
        load_indicators(copy)


def test_a_renamed_score_column_names_the_file_and_the_column(copy, tmp_path):
    path = copy / "rsf_press_freedom" / "2024.csv"
    text = path.read_text(encoding="utf-8-sig").replace("ISO;Score;", "ISO;Points;", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_indicators(copy)
    message = str(err.value)
    assert "2024.csv" in message and "'Score'" in message and "What to do" in message


def test_a_missing_vdem_variable_names_the_file_and_the_column(copy):
    path = copy / "vdem_2021_media" / "new_vdem.csv"
    path.write_text(path.read_text().replace("v2mecenefi,", "v2mecenefi_x,", 1))
    with pytest.raises(DataError) as err:
        load_indicators(copy)
    assert "new_vdem.csv" in str(err.value) and "'v2mecenefi'" in str(err.value)


def test_a_file_named_for_another_edition_is_an_error(copy):
    shutil.copy(copy / "rsf_press_freedom" / "2024.csv", copy / "rsf_press_freedom" / "2011.csv")
    with pytest.raises(DataError, match="file name says edition 2011 but the column says '2024'"):
        load_indicators(copy)


def test_a_score_that_is_not_a_number_is_an_error_not_a_silent_gap(copy):
    path = copy / "rsf_press_freedom" / "2023.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert "KAZ;45,87;" in text
    path.write_text(text.replace("KAZ;45,87;", "KAZ;45,87 (est.);"), encoding="utf-8")
    with pytest.raises(DataError, match=r"not a number: '45,87 \(est.\)'") as err:
        load_indicators(copy)
    assert "2023.csv" in str(err.value) and "'Score'" in str(err.value)


def test_a_file_in_no_known_encoding_is_an_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"ISO;Score\nKAZ;4\x81\n")  # 0x81: invalid UTF-8, undefined in cp1252
    with pytest.raises(DataError, match="neither UTF-8 nor cp1252"):
        read_text_table(path, sep=";")


def test_a_workbook_without_the_fiw_sheet_is_a_clear_error(copy):
    path = copy / "freedomhouse_fiw" / "All_data_FIW_2013-2024.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(path)
    with pytest.raises(DataError, match=r"sheet 'FIW13-25'.*not found"):
        load_indicators(copy)
