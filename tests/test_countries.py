import pandas as pd
import pytest

from milresearch.errors import DataError
from milresearch.ingest.countries import (
    harmonize_countries,
    harmonize_regions,
    normalize_name,
    parse_countries,
    to_iso3,
)


@pytest.mark.parametrize(
    ("raw", "iso3"),
    [
        ("Казахстан", "KAZ"),
        ("Қазақстан", "KAZ"),
        ("Qazaqstan", "KAZ"),
        ("  kazakhstan ", "KAZ"),
        ("KZ", "KAZ"),
        ("Kirghizia", "KGZ"),
        ("Кыргызстан", "KGZ"),
        ("Киргизия", "KGZ"),
        ("Тоҷикистон", "TJK"),
        ("Türkmenistan", "TKM"),
        ("Oʻzbekiston", "UZB"),
        ("O'zbekiston", "UZB"),
        ("O’ZBEKISTON", "UZB"),
        ("O‘zbekiston", "UZB"),
        ("O`zbekiston", "UZB"),
        ("Ўзбекистон", "UZB"),
        ("پاکستان", "PAK"),
        ("pak", "PAK"),
    ],
)
def test_every_declared_spelling_maps_to_iso3(raw, iso3):
    assert to_iso3(raw) == iso3


def test_nfkc_folds_compatibility_characters():
    assert normalize_name("ＫＡＺ") == "kaz"  # full-width letters


def test_an_unknown_country_is_an_error_naming_file_and_column():
    with pytest.raises(DataError) as err:
        harmonize_countries(pd.Series(["Kazakhstan", "Narnia"]), source="x.csv", column="C1")
    assert "'Narnia'" in str(err.value) and "x.csv" in str(err.value) and "C1" in str(err.value)


def test_regions_map_to_iso_3166_2_and_unknown_ones_stay_missing():
    regions = harmonize_regions(
        pd.Series(["Chüy", "Ysyk-Köl", "г. Алматы", "Fargʻona", "Atlantis"])
    )
    assert list(regions.fillna("NA")) == ["KG-C", "KG-Y", "KZ-75", "UZ-FA", "NA"]


@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        ("all", ["KAZ", "KGZ", "TJK", "TKM", "UZB", "PAK"]),
        ("kz,KGZ", ["KAZ", "KGZ"]),
        ("Uzbekistan, pakistan", ["UZB", "PAK"]),
        ("tj,TJK,Tajikistan", ["TJK"]),
    ],
)
def test_parse_countries_accepts_iso3_iso2_names_and_all(spec, codes):
    assert parse_countries(spec) == codes


def test_parse_countries_rejects_unknown_names_clearly():
    with pytest.raises(DataError, match="unknown country 'Mars'"):
        parse_countries("KAZ,Mars")
