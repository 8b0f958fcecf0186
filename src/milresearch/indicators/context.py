"""The country-context box: the latest figure of each headline indicator for one country."""

from __future__ import annotations

import pandas as pd

from milresearch.indicators.rsf import rsf_band
from milresearch.indicators.table import load_metadata

# The rows of the country-context box, in order.
CONTEXT = ("rsf_score", "rsf_rank", "rsf_band", "internet_users_pct", "fiw_total", "fiw_d1")


def latest(indicators: pd.DataFrame, country: str, indicator: str) -> pd.Series | None:
    """The row of the latest year with a figure (``value`` or ``value_text``), or None."""
    rows = indicators[(indicators["country"] == country) & (indicators["indicator"] == indicator)]
    has_text = rows["value_text"].notna() if "value_text" in rows else False
    rows = rows[rows["value"].notna() | has_text]
    return None if rows.empty else rows.sort_values("year", kind="stable").iloc[-1]


def context_table(
    indicators: pd.DataFrame, country: str, lang: str = "en", metadata: dict | None = None
) -> pd.DataFrame:
    """The country-context box of a report: one row per headline indicator.

    Columns ``indicator``, ``label`` (from ``indicators.yml``, in ``lang``), ``value`` (a
    number, the RSF band as text, or NaN when the country has no figure), ``year`` (the latest
    year with a figure, else missing) and ``citation`` (empty when there is no figure).
    """
    meta = metadata or load_metadata()
    labels = {
        name: spec["label"]
        for source in meta["sources"].values()
        for name, spec in source["indicators"].items()
    }
    rsf = meta["sources"]["rsf"]

    def text(labels: dict) -> str:
        return labels.get(lang, labels["en"])

    rows = []
    for indicator in CONTEXT:
        if indicator == "rsf_band":
            row = latest(indicators, country, "rsf_score")
            label = text(rsf["band_label"])
            band = None if row is None else rsf_band(row["value"], int(row["year"]))
            value = float("nan") if band is None else text(rsf["bands"][band])
        else:
            row = latest(indicators, country, indicator)
            label = text(labels[indicator])
            value = float("nan") if row is None else float(row["value"])
        rows.append(
            {
                "indicator": indicator,
                "label": label,
                "value": value,
                "year": pd.NA if row is None or pd.isna(value) else int(row["year"]),
                "citation": "" if row is None or pd.isna(value) else str(row["citation"]),
            }
        )
    table = pd.DataFrame(rows)
    table["value"] = table["value"].astype(object)
    table["year"] = table["year"].astype("Int64")
    return table
