"""Vectorised helpers for text columns, on pyarrow: regex groups, distinct-value maps."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NULL = pa.scalar(None, pa.string())


def map_unique(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``func`` of every distinct non-missing value, as text; missing values stay missing."""
    unique = values.dropna().unique()
    mapping = dict(zip(unique, map(func, unique), strict=True))
    return values.map(mapping).astype(pd.StringDtype("pyarrow"))


def to_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    """A pyarrow string array as a pandas text column on ``index``."""
    return arr.to_pandas().set_axis(index).astype(pd.StringDtype("pyarrow"))


def extract_groups(values: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of an RE2 ``pattern`` (pyarrow, vectorised); NA where absent or unmatched."""
    arr = pa.array(values.astype("object").where(values.notna(), None), type=pa.string())
    found = pc.extract_regex(arr, pattern)
    valid = found.is_valid()
    columns = {}
    for k, field in enumerate(found.type):
        value = pc.struct_field(found, [k])
        value = pc.if_else(pc.and_(valid, pc.not_equal(value, "")), value, _NULL)
        columns[field.name] = to_series(value, values.index)
    return pd.DataFrame(columns, index=values.index)
