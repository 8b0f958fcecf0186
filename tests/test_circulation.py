import datetime as dt

import pandas as pd
import pytest

from milresearch.analysis.circulation import (
    claim_spread,
    mix,
    suppress_counts,
    top_counts,
    volume_over_time,
)


@pytest.fixture(scope="module")
def items(fixtures_path):
    """Twelve processed items: one repeated URL (i04), one without a date (i11)."""
    frame = pd.read_csv(
        fixtures_path / "content" / "circulation_items.csv",
        dtype="string",
        keep_default_na=False,
        na_values=[""],
    )
    frame["is_duplicate_url"] = frame["is_duplicate_url"] == "True"
    frame["date_utc"] = pd.to_datetime(frame["date_utc"], utc=True)
    frame["date_local"] = [  # as in content.parquet: datetime.date objects
        None if pd.isna(d) else dt.date.fromisoformat(d) for d in frame["date_local"]
    ]
    return frame


def test_weekly_volume_uses_the_local_date_and_fills_empty_weeks(items):
    weekly = volume_over_time(items)
    assert list(weekly.columns) == ["period", "country", "platform", "n"]
    # 4 weeks (1, 8, 15, 22 January; 15 January empty) x 6 country-platform pairs.
    assert len(weekly) == 24
    assert weekly["n"].sum() == 10  # 12 items less the repeated URL and the undated one
    assert sorted(weekly["period"].dt.strftime("%Y-%m-%d").unique()) == [
        "2024-01-01",
        "2024-01-08",
        "2024-01-15",
        "2024-01-22",
    ]
    n = weekly.set_index(["period", "country", "platform"])["n"]
    # i03 was published on Sunday 7 January in UTC, Monday 8 January in Kazakhstan.
    assert n[(pd.Timestamp("2024-01-08"), "KAZ", "instagram")] == 1
    assert n[(pd.Timestamp("2024-01-01"), "KAZ", "instagram")] == 0
    # i10: 31 December in UTC, 1 January in Kyrgyzstan.
    assert n[(pd.Timestamp("2024-01-01"), "KGZ", "instagram")] == 1
    assert n[(pd.Timestamp("2024-01-01"), "KAZ", "telegram")] == 2
    assert n[pd.Timestamp("2024-01-15")].sum() == 0


def test_volume_by_day_month_and_overall(items):
    daily = volume_over_time(items, freq="D", by="country")
    assert daily["period"].nunique() == 23 and len(daily) == 69
    assert daily.groupby("country")["n"].sum().to_dict() == {"KAZ": 3, "KGZ": 2, "UZB": 5}
    monthly = volume_over_time(items, freq="M", by=None)
    assert monthly.to_dict("list") == {"period": [pd.Timestamp("2024-01-01")], "n": [10]}
    with pytest.raises(ValueError, match="freq"):
        volume_over_time(items, freq="Q")


def test_top_counts_and_shares(items):
    top = top_counts(items, "platform", top=2)
    assert top["platform"].tolist() == ["telegram", "instagram"]
    assert top["n"].tolist() == [6, 3]
    assert top["share"].tolist() == pytest.approx([6 / 11, 3 / 11])
    per_country = top_counts(items, "platform", by="country", top=1)
    assert per_country[["country", "platform", "n"]].to_dict("list") == {
        "country": ["KAZ", "KGZ", "UZB"],
        "platform": ["telegram", "instagram", "telegram"],
        "n": [2, 2, 4],
    }
    assert per_country["share"].tolist() == pytest.approx([2 / 3, 2 / 3, 4 / 5])


def test_verdict_mix_per_country_adds_up_to_one(items):
    table = mix(items, "verdict", by="country")
    shares = table.set_index(["country", "category"])["share"]
    assert shares.to_dict() == pytest.approx(
        {
            ("KAZ", "false"): 2 / 3,
            ("KAZ", "true"): 1 / 3,
            ("KGZ", "false"): 1.0,
            ("UZB", "false"): 0.5,
            ("UZB", "misleading"): 0.25,
            ("UZB", "true"): 0.25,
        }
    )
    scripts = mix(items, "script", by=["country", "lang"])
    assert len(scripts) == 7  # six country-language pairs, Uzbek in two scripts
    uzbek = scripts[(scripts["country"] == "UZB") & (scripts["lang"] == "uz")]
    assert uzbek[["category", "n"]].to_dict("list") == {"category": ["Cyrl", "Latn"], "n": [1, 2]}


def test_claim_spread_finds_first_appearance_and_cross_border_claims(items):
    spread = claim_spread(items)
    assert spread["cluster_id"].tolist() == ["C000001", "C000002", "C000003"]
    first = spread.iloc[0]
    assert first["n"] == 3  # the repeated URL i04 is not counted again
    assert first["n_countries"] == 3 and first["cross_border"]
    assert first["countries"] == "KAZ, KGZ, UZB"
    assert first["languages"] == "ky, ru, uz"
    assert first["platforms"] == "instagram, telegram"
    assert first["first_country"] == "KGZ"
    assert first["first_utc"] == pd.Timestamp("2023-12-31 20:00", tz="UTC")
    assert first["first_local"] == dt.date(2024, 1, 1)
    assert spread["cross_border"].tolist() == [True, True, False]
    assert spread.loc[1, "first_local"] == dt.date(2024, 1, 8)


def test_suppress_counts_flags_small_cells(items):
    top = top_counts(items, "platform", top=2)
    assert suppress_counts(top)["suppressed"].tolist() == [True, True]  # default 30
    assert suppress_counts(top, min_n=4)["suppressed"].tolist() == [False, True]
    assert "suppressed" not in top  # the input is not changed


@pytest.mark.parametrize("dtype", [object, "string"])
def test_joined_by_is_the_per_group_join_it_replaces(dtype):
    """The oracle is the slow form: groupby, then :func:`joined` called on each group."""
    from milresearch.analysis.circulation import joined, joined_by

    frame = pd.DataFrame(
        {
            "key": ["b", "a", "a", "c", None, "b", "a", "d"],
            "value": ["KGZ", "UZB", "KAZ", None, "TJK", "KGZ", "KAZ", None],
        }
    ).astype({"value": dtype})
    expected = frame.groupby("key", sort=True)["value"].agg(joined)
    found = joined_by(frame, "key", "value")
    pd.testing.assert_series_equal(found, expected, check_names=False)
    assert found.to_dict() == {"a": "KAZ, UZB", "b": "KGZ", "c": "", "d": ""}
