"""Numbers in the report language: expected strings written by hand from the style guides.

English (Chicago): "1,268", "53.8%". Russian (GOST 8.417 and CLDR): a space groups thousands,
a comma marks decimals, a narrow no-break space precedes "%". Both: the true minus sign.
"""

import base64
import re

import pandas as pd
import pytest

from milresearch.reports import render
from milresearch.reports.numbers import Numbers

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.mark.parametrize(
    ("lang", "count", "share", "signed_range", "plain_range"),
    [
        ("en", "1,268", "53.8%", f"{MINUS}0.30 to {MINUS}0.02", "0.22–2.93"),
        ("ru", f"1{NBSP}268", f"53,8{NNBSP}%", f"от {MINUS}0,30 до {MINUS}0,02", "0,22–2,93"),
    ],
)
def test_counts_shares_and_ranges_are_written_as_the_language_writes_them(
    lang, count, share, signed_range, plain_range
):
    numbers = Numbers(lang)
    assert numbers.integer(1268) == count
    assert numbers.percent(0.538) == share
    assert numbers.interval(-0.30, -0.02, 2) == signed_range
    assert numbers.interval(0.22, 2.93, 2) == plain_range


def test_a_negative_number_takes_the_minus_sign_and_a_rounded_zero_loses_it():
    assert Numbers("ru").decimal(-1.25, 1) == f"{MINUS}1,2"  # round half to even, as R
    assert Numbers("en").decimal(-0.0004, 2) == "0.00"
    assert Numbers("en").decimal(float("nan")) == "–"


def test_axis_ticks_keep_years_ungrouped_and_mark_decimals_in_the_language():
    assert Numbers("ru").tick(2024.0) == "2024"
    assert Numbers("ru").tick(0.5, 1) == "0,5"
    assert Numbers("en").tick(-1.0) == f"{MINUS}1"


def test_a_russian_table_shows_russian_numbers_and_its_download_stays_machine_readable():
    frame = pd.DataFrame({"item": ["a"], "%": [53.84], "n": [1268], "year": ["2024"]})
    html = render.table(
        frame, caption="c", csv_name="t.csv", formats={"%": 1}, numbers=Numbers("ru")
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["a", "53,8", f"1{NBSP}268", "2024"]
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)
    assert base64.b64decode(encoded).decode() == "item,%,n,year\na,53.84,1268,2024\n"


@pytest.mark.parametrize(
    ("lang", "same_year", "two_years", "no_end"),
    [
        ("en", "1 March – 14 April 2025", "1 December 2024 – 14 January 2025", "1 March 2025"),
        (
            "ru",
            f"1 марта – 14 апреля 2025{NNBSP}г.",
            f"1 декабря 2024{NNBSP}г. – 14 января 2025{NNBSP}г.",
            f"1 марта 2025{NNBSP}г.",
        ),
    ],
)
def test_a_fieldwork_range_writes_a_shared_year_once(lang, same_year, two_years, no_end):
    numbers = Numbers(lang)
    assert numbers.date_range("2025-03-01", "2025-04-14") == same_year
    assert numbers.date_range("2024-12-01", "2025-01-14") == two_years
    assert numbers.date_range("2025-03-01", "") == no_end
    assert numbers.date_range("", "") == ""
