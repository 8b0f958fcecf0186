"""What circulates: volume over time, top sources, language/script/verdict mix, claim spread.

Pure functions of the processed content table (``data/processed/content.parquet``). Every
count is of de-duplicated items: rows flagged ``is_duplicate_url`` (a second copy of the same
address) are left out. Tables are tidy (one row per group and category); reports render them
and hide small cells with :func:`suppress_counts`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M"}
"""Period lengths: day, week (Monday to Sunday) and calendar month."""
MIN_N = 30
"""Cells with fewer items are suppressed by default, as on the survey side."""


def unique_items(content: pd.DataFrame) -> pd.DataFrame:
    """The content rows without the later copies of a URL (``is_duplicate_url``)."""
    if "is_duplicate_url" not in content:
        return content
    return content[~content["is_duplicate_url"].fillna(False).astype(bool)]


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the day, week (Monday) or month each date falls in, as timestamps.

    Raises:
        ValueError: When ``freq`` is not one of D, W, M.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {sorted(FREQUENCIES)}, not {freq!r}")
    stamps = pd.to_datetime(dates, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.dt.to_period(FREQUENCIES[freq]).dt.start_time


def volume_over_time(
    content: pd.DataFrame,
    *,
    freq: str = "W",
    by: str | Sequence[str] | None = ("country", "platform"),
) -> pd.DataFrame:
    """Counts of de-duplicated items per period of the local publication date.

    Periods run from the first to the last dated item; a group without items in a period gets
    ``n`` = 0 there, so each group's series has no gaps. Items without a local date
    (``date_local`` missing) or without a value in a ``by`` column are not counted.

    Args:
        content: The processed content table.
        freq: ``D`` (day), ``W`` (week from Monday) or ``M`` (calendar month).
        by: Columns to count within (``None`` for one overall series).

    Returns:
        Columns ``period`` (the period's first day), the ``by`` columns and ``n``.
    """
    keys = _by_list(by)
    items = unique_items(content)
    period = period_start(items["date_local"], freq).rename("period")
    dated = period.notna().to_numpy()
    counts = items[dated].groupby([period[dated], *[items[k][dated] for k in keys]]).size()
    columns = ["period", *keys, "n"]
    if counts.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "n" else "object") for c in columns}
        )
    periods = pd.period_range(
        counts.index.get_level_values(0).min(),
        counts.index.get_level_values(0).max(),
        freq=FREQUENCIES[freq],
    ).start_time
    if keys:
        groups = counts.index.droplevel(0).unique()
        tuples = [(p, *(g if isinstance(g, tuple) else (g,))) for p in periods for g in groups]
        full = pd.MultiIndex.from_tuples(tuples, names=counts.index.names)
    else:
        full = pd.Index(periods, name="period")
    counts = counts.reindex(full, fill_value=0)
    out = counts.rename("n").reset_index()
    return out.sort_values(["period", *keys], kind="stable", ignore_index=True)[columns]


def top_counts(
    content: pd.DataFrame, column: str, *, by: str | Sequence[str] | None = None, top: int = 10
) -> pd.DataFrame:
    """The ``top`` most frequent values of ``column`` (sources, platforms) with counts and shares.

    Shares are of all de-duplicated items with a value in ``column`` within the group, so the
    shares of the top values add up to less than 1 when there are more values.

    Returns:
        Columns: the ``by`` columns, ``rank`` (1 = most frequent), ``column``, ``n``, ``share``;
        ties in ``n`` are ordered by value.
    """
    keys = _by_list(by)
    table = mix(content, column, by=keys).rename(columns={"category": column})
    table = table.sort_values(
        [*keys, "n", column], ascending=[True] * len(keys) + [False, True], kind="stable"
    )
    table["rank"] = table.groupby(keys).cumcount() + 1 if keys else range(1, len(table) + 1)
    table = table[table["rank"] <= top]
    return table[[*keys, "rank", column, "n", "share"]].reset_index(drop=True)


def mix(
    content: pd.DataFrame, column: str, *, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Shares of the values of ``column`` (language, script, verdict ...) within each group.

    Items without a value in ``column`` (no verdict on a social-media post) or in a ``by``
    column are not counted; the shares of a group add up to 1.

    Returns:
        Columns: the ``by`` columns, ``category``, ``n`` and ``share``, sorted by group and
        category.
    """
    keys = _by_list(by)
    items = unique_items(content).dropna(subset=[column, *keys])
    counts = items.groupby([*keys, column], observed=True).size().rename("n").reset_index()
    counts = counts.rename(columns={column: "category"})
    totals = counts.groupby(keys)["n"].transform("sum") if keys else counts["n"].sum()
    counts["share"] = counts["n"] / totals
    counts = counts.sort_values([*keys, "category"], kind="stable", ignore_index=True)
    return counts[[*keys, "category", "n", "share"]]


def joined(values: pd.Series) -> str:
    """The distinct values, sorted and comma-separated ("KAZ, KGZ")."""
    return ", ".join(sorted(str(v) for v in values.dropna().unique()))


def joined_by(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """:func:`joined` of ``column`` per group of ``key`` ("" where a group has none).

    The same as ``frame.groupby(key)[column].agg(joined)``, without a pandas call per group:
    a claim table has thousands of groups.
    """
    index = frame.groupby(key, sort=True).size().index
    pairs = frame[[key, column]].dropna()
    pairs = pd.DataFrame({"k": pairs[key].to_numpy(), "v": pairs[column].astype(str).to_numpy()})
    pairs = pairs.drop_duplicates().sort_values(["k", "v"], kind="stable", ignore_index=True)
    keys, values = pairs["k"].to_numpy(), pairs["v"].tolist()
    starts = [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]] + [len(keys)]
    found = {keys[a]: ", ".join(values[a:b]) for a, b in itertools.pairwise(starts)}
    # The dtype agg gives: the column's own for a string column, else what pandas infers.
    dtype = frame[column].dtype if isinstance(frame[column].dtype, pd.StringDtype) else None
    return pd.Series([found.get(k, "") for k in index], index=index, name=column, dtype=dtype)


def claim_spread(content: pd.DataFrame) -> pd.DataFrame:
    """How far each near-duplicate claim (``cluster_id``) travelled, widest spread first.

    Returns:
        One row per cluster: ``cluster_id``, ``n`` (de-duplicated items), ``n_countries``,
        ``countries``, ``languages``, ``platforms`` (sorted, comma-separated), ``first_utc``
        and ``first_local`` (the earliest item's UTC time and local date), ``first_country``
        and ``cross_border`` (more than one country). Sorted by ``n_countries``, then ``n``
        (both descending), then first appearance and id.
    """
    items = unique_items(content).dropna(subset=["cluster_id"])
    columns = [
        "cluster_id",
        "n",
        "n_countries",
        "countries",
        "languages",
        "platforms",
        "first_utc",
        "first_local",
        "first_country",
        "cross_border",
    ]
    if items.empty:
        return pd.DataFrame(columns=columns)
    ordered = items.sort_values(["date_utc", "item_id"], kind="stable", na_position="last")
    groups = ordered.groupby("cluster_id", sort=True)
    first = ordered.drop_duplicates("cluster_id").set_index("cluster_id")
    out = pd.DataFrame(
        {
            "n": groups.size(),
            "n_countries": groups["country"].nunique(),
            "countries": joined_by(ordered, "cluster_id", "country"),
            "languages": joined_by(ordered, "cluster_id", "lang"),
            "platforms": joined_by(ordered, "cluster_id", "platform"),
            "first_utc": first["date_utc"],
            "first_local": first["date_local"],
            "first_country": first["country"],
        }
    ).reset_index()
    out["cross_border"] = out["n_countries"] > 1
    out = out.sort_values(
        ["n_countries", "n", "first_utc", "cluster_id"],
        ascending=[False, False, True, True],
        kind="stable",
        na_position="last",
    )
    return out[columns].reset_index(drop=True)


def suppress_counts(table: pd.DataFrame, min_n: int = MIN_N, count: str = "n") -> pd.DataFrame:
    """A copy of ``table`` with a boolean ``suppressed`` column: ``count`` below ``min_n``."""
    out = table.copy()
    out["suppressed"] = (out[count] < min_n).to_numpy(dtype=bool)
    return out
