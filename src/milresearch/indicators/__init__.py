"""Real country indicators (RSF, World Bank, Freedom House, V-Dem) in one tidy long table.

``load_indicators`` returns one row per country, indicator and year with the columns

- ``country``: ISO3 code;
- ``indicator``: ``rsf_score``, ``rsf_rank``, ``internet_users_pct``, ``fiw_total``, ``fiw_pr``,
  ``fiw_cl``, ``fiw_d1``, ``fiw_status`` and ``vdem_<variable>`` for the V-Dem variables declared
  in ``indicators.yml``;
- ``year``: the year as its publisher labels the figure: the index edition for RSF (2012 is the
  combined 2011-12 index) and Freedom House (the edition covers the previous calendar year), the
  calendar year for the World Bank and V-Dem;
- ``value``: the number (float); NaN where the publisher's file has an empty cell;
- ``value_text``: the text of a categorical figure (only ``fiw_status``: F, PF or NF; its
  ``value`` is NaN); missing for every other indicator;
- ``source``: ``rsf``, ``wb``, ``fiw`` or ``vdem``;
- ``citation``: e.g. "RSF World Press Freedom Index 2024";
- ``series``: the comparable segment of a time series (``rsf_legacy`` 2002-2012, ``rsf_2013``
  2013-2021, ``rsf_2022`` 2022 on; one series per other source). Group by it to break a line.

Citations, labels, units and series come from ``indicators.yml`` beside the files. The encoding
each text file was read with is in ``table.attrs["encodings"]``.
"""

from milresearch.indicators.context import CONTEXT, context_table, latest
from milresearch.indicators.publisher import Publisher, read_text_table
from milresearch.indicators.rsf import RSF_BANDS, RSF_LOWEST_BAND, rsf_band
from milresearch.indicators.table import (
    COLUMNS,
    INDICATORS_DIR,
    METADATA_FILE,
    PUBLISHERS,
    SOURCES,
    load_indicators,
    load_metadata,
)

__all__ = [
    "COLUMNS",
    "CONTEXT",
    "INDICATORS_DIR",
    "METADATA_FILE",
    "PUBLISHERS",
    "RSF_BANDS",
    "RSF_LOWEST_BAND",
    "SOURCES",
    "Publisher",
    "context_table",
    "latest",
    "load_indicators",
    "load_metadata",
    "read_text_table",
    "rsf_band",
]
