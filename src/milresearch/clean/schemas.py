"""Declared schemas of the processed tables, checked before anything is written.

The fixed columns are declared here; the answer columns take their rules (allowed codes,
ranges) from the codebooks, so a codebook change cannot silently let bad codes through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from milresearch.errors import DataError
from milresearch.ingest.codebook import CODED_TYPES, Codebook
from milresearch.ingest.countries import COUNTRY_CODES


@dataclass(frozen=True)
class Column:
    """Rules for one column of a processed table."""

    name: str
    required: bool = True
    nullable: bool = True
    allowed: tuple | None = None
    """Allowed values (NA aside)."""
    minimum: float | None = None
    maximum: float | None = None
    positive_finite: bool = False
    boolean: bool = False


SURVEY = (
    Column("resp_id", nullable=False),
    Column("dataset", nullable=False),
    Column("wave", nullable=False),
    Column("country", nullable=False, allowed=COUNTRY_CODES),
    Column("weight", nullable=False, positive_finite=True),
    *(
        Column(flag, nullable=False, boolean=True)
        for flag in (
            "qc_speeder",
            "qc_straightliner",
            "qc_near_duplicate",
            "qc_out_of_range",
            "qc_exclude",
        )
    ),
    Column("qc_dup_share", minimum=0.0, maximum=1.0),
)
CONTENT = (
    Column("item_id", nullable=False),
    Column("country", nullable=False, allowed=COUNTRY_CODES),
    Column(
        "verdict",
        required=False,
        allowed=("false", "misleading", "mixed", "true", "unproven", "satire", "other"),
    ),
    Column("is_duplicate_url", nullable=False, boolean=True),
)


def survey_columns(books: list[Codebook]) -> list[Column]:
    """The survey schema: the fixed columns plus a rule per coded or ranged codebook variable."""
    columns = list(SURVEY)
    for book in books:
        for var in book.variables.values():
            if var.drop:
                continue
            if var.type in CODED_TYPES and var.scale is not None:
                columns.append(Column(var.name, required=False, allowed=tuple(var.scale.labels)))
            elif var.range is not None:
                columns.append(
                    Column(var.name, required=False, minimum=var.range[0], maximum=var.range[1])
                )
    return columns


def _problems(df: pd.DataFrame, column: Column) -> list[str]:
    if column.name not in df:
        return [f"column {column.name!r} is missing"] if column.required else []
    values = df[column.name]
    found = []
    if not column.nullable and values.isna().any():
        found.append(f"{int(values.isna().sum())} missing value(s) in {column.name!r}")
    present = values.dropna()
    if column.allowed is not None:
        bad = ~present.isin(column.allowed)
        if bad.any():
            shown = ", ".join(map(repr, present[bad].unique()[:5]))
            found.append(f"{column.name!r} has value(s) outside {column.allowed}: {shown}")
    if column.boolean and not pd.api.types.is_bool_dtype(values):
        found.append(f"{column.name!r} must be boolean, not {values.dtype}")
    if column.minimum is None and column.maximum is None and not column.positive_finite:
        return found
    numeric = pd.to_numeric(present, errors="coerce").astype("float64")
    if column.minimum is not None and (numeric < column.minimum).any():
        found.append(f"{column.name!r} has value(s) below {column.minimum}")
    if column.maximum is not None and (numeric > column.maximum).any():
        found.append(f"{column.name!r} has value(s) above {column.maximum}")
    if column.positive_finite and (~np.isfinite(numeric) | (numeric <= 0)).any():
        found.append(f"{column.name!r} must be positive and finite")
    return found


def validate(
    df: pd.DataFrame,
    columns: list[Column] | tuple[Column, ...],
    *,
    table: str,
    unique: tuple[str, ...] = (),
) -> None:
    """Check a processed table against its schema.

    Raises:
        DataError: Listing every violation, so that one run shows them all.
    """
    problems = [p for column in columns for p in _problems(df, column)]
    if unique and df.duplicated(list(unique)).any():
        problems.append(
            f"{'+'.join(unique)} is not unique ({int(df.duplicated(list(unique)).sum())} repeats)"
        )
    if problems:
        raise DataError(
            "the processed table breaks its schema: " + "; ".join(problems),
            where=table,
            hint="this is a bug in cleaning or a codebook that contradicts the data; report it",
        )
