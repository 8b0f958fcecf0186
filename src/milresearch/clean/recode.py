"""Raw survey values to canonical codes, numbers and text, each with its missing reason.

Value labels in any language and script map to the codebook's canonical codes; vendor missing
codes map to a reason (:data:`REASONS`). Work is done once per distinct raw value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from milresearch.errors import DataError, describe_rows
from milresearch.ingest.codebook import CODED_TYPES, Codebook, Variable
from milresearch.ingest.countries import normalize_name

REASONS = ("", "hard_to_say", "refused", "not_applicable", "not_asked", "invalid")
"""Missing reasons by their small integer code (0: the value is an answer)."""
_INVALID = REASONS.index("invalid")


def _missing_lookup(codes: dict) -> dict[str, int]:
    table = {}
    for code, reason in codes.items():
        table[normalize_name(code)] = REASONS.index(reason)
        if isinstance(code, int):
            table[f"{code}.0"] = REASONS.index(reason)
    return table


def _key(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return normalize_name(raw.strip() if isinstance(raw, str) else raw)


def _factorize(values: pd.Series) -> tuple[np.ndarray, list]:
    """Codes into the distinct values, NA coded past their end; ``None`` is a slot no row uses."""
    if values.dtype.kind == "f" and len(values):
        numbers = values.to_numpy()
        valid = ~np.isnan(numbers)
        high = np.nanmax(numbers) if valid.any() else 0.0
        with np.errstate(invalid="ignore"):  # NaN casts to garbage, overwritten below
            ints = numbers.astype(np.int32)
        # Small non-negative whole numbers (SPSS codes) index their own table: ~2x faster.
        whole = (valid <= (ints == numbers)).all()
        if whole and 0 <= np.nanmin(numbers, initial=0.0) and high < 2**15:
            ints[~valid] = int(high) + 1
            present = np.bincount(ints, minlength=int(high) + 2)[:-1] > 0
            return ints, [float(u) if used else None for u, used in enumerate(present)]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def _by_distinct_value(
    values: pd.Series, decide, dtype: str = "object"
) -> tuple[np.ndarray, np.ndarray, list]:
    """Apply ``decide(raw) -> (value, reason code)`` once per distinct value, then index rows.

    Returns the per-row values (missing as None in an object array, NaN in ``float64``, NA in
    ``Int16``), reason codes (int8) and the distinct values ``decide`` rejected by returning
    ``(None, -1)``. Typed tables avoid a million-element object array per column.
    """
    codes, uniques = _factorize(values)
    decided = [(None, 0) if u is None else decide(u) for u in uniques] + [(None, 0)]
    rejected = [u for u, (_, r) in zip(uniques, decided, strict=False) if r < 0]
    reasons = np.array([max(r, 0) for _, r in decided], dtype=np.int8).take(codes)
    if dtype == "Int16":
        table = np.array([0 if v is None else v for v, _ in decided], dtype=np.int16)
        mask = np.array([v is None for v, _ in decided])
        return pd.arrays.IntegerArray(table.take(codes), mask.take(codes)), reasons, rejected
    shown = (
        [np.nan if v is None else v for v, _ in decided]
        if dtype == "float64"
        else [v for v, _ in decided]
    )
    return np.array(shown, dtype=dtype).take(codes), reasons, rejected


def _recode_coded(
    values: pd.Series, var: Variable, book: Codebook
) -> tuple[pd.Series, np.ndarray]:
    """Map codes or labels in any language to canonical codes; return (codes, reason codes)."""
    missing = _missing_lookup(book.missing_for(var))
    recode = {normalize_name(k): v for k, v in var.recode.items()}
    # The codebook gives every coded variable a scale (ingest.fields.read_variable checks it).
    assert var.scale is not None
    scale = var.scale
    labels = scale.lookup()

    def decide(raw):
        key = _key(raw)
        if key in missing:
            return None, missing[key]
        if key in recode:
            return recode[key], 0
        if key in labels:
            return labels[key], 0
        return None, -1

    codes, reasons, unknown = _by_distinct_value(values, decide, dtype="Int16")
    if unknown:
        shown = ", ".join(repr(u) for u in sorted(map(str, unknown))[:6])
        raise DataError(
            f"value(s) {shown} are neither a code nor a label of scale {scale.name!r}",
            path=book.data_path,
            where=f"column {var.source!r} (variable {var.name}), rows {describe_rows(values.isin(unknown))}",
            hint=f"add the label to scales.{scale.name} or the code to missing: in {book.path.name}",
        )
    return codes, reasons


def _recode_numeric(
    values: pd.Series, var: Variable, book: Codebook
) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_numeric_dtype(values):
        # SPSS/Stata columns are numbers already: only integer vendor codes can be missing.
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        reasons = np.zeros(len(values), dtype=np.int8)
        for code, reason in book.missing_for(var).items():
            if isinstance(code, int):
                reasons[numbers == code] = REASONS.index(reason)
        numbers = np.where(reasons > 0, np.nan, numbers)
        return _integers(pd.Series(numbers, index=values.index), var, book), reasons
    missing = _missing_lookup(book.missing_for(var))

    def decide(raw):
        key = _key(raw)
        if key in missing:
            return None, missing[key]
        if isinstance(raw, str) and not raw.strip():
            return None, 0
        number = pd.to_numeric(raw, errors="coerce")
        return (None, -1) if pd.isna(number) else (float(number), 0)

    numbers, reasons, bad = _by_distinct_value(values, decide, dtype="float64")
    if bad:
        shown = ", ".join(repr(v) for v in bad[:5])
        raise DataError(
            f"text {shown} in a numeric column",
            path=book.data_path,
            where=f"column {var.source!r} (variable {var.name}), rows {describe_rows(values.isin(bad))}",
            hint="fix the cells, or declare the text as a missing code in the codebook",
        )
    numbers = pd.Series(numbers, index=values.index, dtype="float64")
    return _integers(numbers, var, book), reasons


def _integers(numbers: pd.Series, var: Variable, book: Codebook) -> pd.Series:
    """Integer variables as nullable Int64; a fractional value is an error."""
    if var.type != "integer":
        return numbers
    # Int64 holds whole numbers up to 2**63; past 2**53 a double is no longer exact anyway.
    huge = numbers.notna() & ~(numbers.abs() < 2**53)
    if huge.any():
        raise DataError(
            f"value(s) {', '.join(map(repr, numbers[huge].unique()[:3]))} too large for a whole number",
            path=book.data_path,
            where=f"column {var.source!r} (variable {var.name}), rows {describe_rows(huge)}",
            hint="fix the cells, or declare the vendor's code for them under missing:",
        )
    fractional = numbers.notna() & (numbers % 1 != 0)
    if fractional.any():
        raise DataError(
            "fractional values in an integer column",
            path=book.data_path,
            where=f"column {var.source!r}, rows {describe_rows(fractional)}",
            hint="declare the variable as type: float",
        )
    return numbers.astype("Int64")


def _recode_text(values: pd.Series, var: Variable, book: Codebook) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if len(whole) and bool((whole == np.floor(whole)).all()) and whole.abs().max() < 2**53:
            # SPSS stores numeric IDs and codes as doubles: 39800001, not "39800001.0".
            values = values.astype("Int64")
    missing = _missing_lookup(book.missing_for(var))
    if not missing:  # IDs and names: no lookups, one vectorised pass
        text = values.astype("string").str.strip()
        return text.mask(text == ""), np.zeros(len(values), dtype=np.int8)

    def decide(raw):
        text = str(raw).strip()
        if not text:
            return None, 0
        reason = missing.get(normalize_name(text), 0)
        return (None, reason) if reason else (text, 0)

    texts, reasons, _ = _by_distinct_value(values, decide)
    return pd.Series(texts, index=values.index, dtype="string"), reasons


def convert(raw: pd.DataFrame, book: Codebook) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Rename and type every declared variable; collect reason codes and range violations."""
    out = {}
    reasons = {}
    out_of_range = np.zeros(len(raw), dtype=bool)
    for var in book.variables.values():
        values = raw[var.source]
        if var.type in CODED_TYPES:
            values, why = _recode_coded(values, var, book)
        elif var.type in ("integer", "float", "weight"):
            values, why = _recode_numeric(values, var, book)
        else:
            values, why = _recode_text(values, var, book)
        if var.range is not None:
            low, high = var.range
            numeric = pd.Series(values).astype("float64").to_numpy()
            bad = ~np.isnan(numeric) & ((numeric < low) | (numeric > high))
            if bad.any():
                out_of_range |= bad
                values = pd.Series(values).mask(bad).array
                why = np.where(bad, _INVALID, why).astype(np.int8)
        out[var.name] = values
        reasons[var.name] = why
    return (
        pd.DataFrame(out, index=raw.index, copy=False),
        pd.DataFrame(reasons, index=raw.index),
        pd.Series(out_of_range, index=raw.index),
    )
