"""Survey cleaning driven by the codebook: recode, label, flag, scrub. No dataset-specific code.

Missing values are never mixed into the answer columns: answers become NA and the reason
(hard to say, refused, not applicable, not asked, invalid) goes to a long side table.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from milresearch import privacy
from milresearch.cleaninglog import CleaningLog
from milresearch.codebook import CODED_TYPES, Codebook, Variable
from milresearch.countries import harmonize_countries, harmonize_regions, normalize_name
from milresearch.errors import DataError
from milresearch.readers import RawTable
from milresearch.settings import ReportRules, SurveyRules

_CHUNK = 2048
QC_FLAGS = ("qc_speeder", "qc_straightliner", "qc_near_duplicate", "qc_out_of_range")
STAGE = "survey"


@dataclass
class CleanSurvey:
    """A cleaned survey dataset: one row per respondent, plus the missing-value reasons."""

    data: pd.DataFrame
    missing: pd.DataFrame
    """Long table: resp_id, country, variable, reason."""


def _rows(mask: pd.Series | np.ndarray, limit: int = 5) -> str:
    # Data rows counted from 1 below the header, as a spreadsheet user would look for them.
    idx = np.flatnonzero(np.asarray(mask))[:limit] + 1
    more = int(np.asarray(mask).sum()) - len(idx)
    return ", ".join(map(str, idx)) + (f" and {more} more" if more > 0 else "")


def _missing_lookup(codes: dict) -> dict[str, str]:
    table = {}
    for code, reason in codes.items():
        table[normalize_name(code)] = reason
        if isinstance(code, int):
            table[f"{code}.0"] = reason
    return table


def _reasons(values: pd.Series, missing: dict[str, str]) -> pd.Series:
    """Missing reason of every cell (NA for an answer), looked up once per distinct value."""
    if not missing:
        return pd.Series(pd.NA, index=values.index, dtype="string")
    lookup = {v: missing.get(normalize_name(v)) for v in values.dropna().unique()}
    return values.map(lookup).astype("string")


def _recode_coded(values: pd.Series, var: Variable, book: Codebook) -> tuple[pd.Series, pd.Series]:
    """Map codes or labels in any language to canonical codes; return (codes, missing reasons)."""
    missing = _missing_lookup(book.missing_for(var))
    recode = {normalize_name(k): v for k, v in var.recode.items()}
    labels = var.scale.lookup()
    uniques = values.dropna().unique()
    code_of: dict = {}
    reason_of: dict = {}
    unknown = []
    for raw in uniques:
        key = normalize_name(raw.strip() if isinstance(raw, str) else raw)
        if isinstance(raw, float) and raw.is_integer():
            key = str(int(raw))
        if key in missing:
            reason_of[raw] = missing[key]
        elif key in recode:
            code_of[raw] = recode[key]
        elif key in labels:
            code_of[raw] = labels[key]
        else:
            unknown.append(raw)
    if unknown:
        shown = ", ".join(repr(u) for u in sorted(map(str, unknown))[:6])
        raise DataError(
            f"value(s) {shown} are neither a code nor a label of scale {var.scale.name!r}",
            path=book.data_path,
            where=f"column {var.source!r} (variable {var.name}), rows {_rows(values.isin(unknown))}",
            hint=f"add the label to scales.{var.scale.name} or the code to missing: in {book.path.name}",
        )
    codes = values.map(code_of).astype("Int16")
    return codes, values.map(reason_of).astype("string")


def _recode_numeric(
    values: pd.Series, var: Variable, book: Codebook
) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(values):
        # SPSS/Stata columns are numbers already: only integer vendor codes can be missing.
        codes = {c: r for c, r in book.missing_for(var).items() if isinstance(c, int)}
        reasons = values.map(codes).astype("string") if codes else _reasons(values[:0], {})
        reasons = reasons.reindex(values.index)
        numbers = values.where(reasons.isna()).astype("float64")
        return _integers(numbers, values, var, book), reasons
    missing = _missing_lookup(book.missing_for(var))
    as_text = values.astype("string").str.strip()
    reasons = _reasons(as_text, missing)
    numbers = pd.to_numeric(values.where(reasons.isna()), errors="coerce")
    bad = numbers.isna() & values.notna() & reasons.isna() & (as_text != "")
    if bad.any():
        shown = ", ".join(repr(v) for v in as_text[bad].unique()[:5])
        raise DataError(
            f"text {shown} in a numeric column",
            path=book.data_path,
            where=f"column {var.source!r} (variable {var.name}), rows {_rows(bad)}",
            hint="fix the cells, or declare the text as a missing code in the codebook",
        )
    return _integers(numbers, values, var, book), reasons


def _integers(numbers: pd.Series, values: pd.Series, var: Variable, book: Codebook) -> pd.Series:
    """Integer variables as nullable Int64; a fractional value is an error."""
    if var.type != "integer":
        return numbers
    fractional = numbers.notna() & (numbers % 1 != 0)
    if fractional.any():
        raise DataError(
            "fractional values in an integer column",
            path=book.data_path,
            where=f"column {var.source!r}, rows {_rows(fractional)}",
            hint="declare the variable as type: float",
        )
    return numbers.astype("Int64")


def _convert(raw: pd.DataFrame, book: Codebook) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Rename and type every declared variable; collect missing reasons and range violations."""
    out = {}
    reasons = {}
    out_of_range = pd.Series(False, index=raw.index)
    for var in book.variables.values():
        values = raw[var.source]
        if var.type in CODED_TYPES:
            values, why = _recode_coded(values, var, book)
        elif var.type in ("integer", "float", "weight"):
            values, why = _recode_numeric(values, var, book)
        else:
            values = values.astype("string").str.strip().replace("", pd.NA)
            missing = _missing_lookup(book.missing_for(var))
            why = _reasons(values, missing)
            values = values.where(why.isna())
        if var.range is not None:
            low, high = var.range
            bad = values.notna() & ((values < low) | (values > high))
            if bad.any():
                out_of_range |= bad.fillna(False).astype(bool)
                values = values.mask(bad)
                why = why.mask(bad, "invalid")
        out[var.name] = values
        reasons[var.name] = why
    return pd.DataFrame(out, index=raw.index), pd.DataFrame(reasons, index=raw.index), out_of_range


def _check_columns(raw: RawTable, book: Codebook) -> None:
    present = set(map(str, raw.frame.columns))
    absent = [v for v in book.variables.values() if v.source not in present]
    if absent:
        names = ", ".join(f"{v.source!r} ({v.name})" for v in absent[:8])
        raise DataError(
            f"column(s) {names} named in the codebook are not in the file",
            path=raw.path,
            hint=f"fix the source: names in {book.path.name}, or remove variables not delivered",
        )
    if raw.frame.empty:
        raise DataError("the file has a header but no rows", path=raw.path, hint="re-export it")


def _exact_duplicates(data: pd.DataFrame, reasons: pd.DataFrame, book: Codebook) -> pd.Series:
    """Rows that repeat an earlier interview exactly; an ID reused with other answers is an error.

    Compared after recoding, so a copy re-exported with labels in another script still matches.
    """
    both = pd.concat([data, reasons.add_suffix("__why")], axis=1)
    exact = both.duplicated(keep="first")
    ids = data["resp_id"]
    clash = ids.duplicated(keep=False) & ids.notna() & ~exact
    clash &= ids.isin(ids[clash & ids.duplicated(keep="first")])
    if clash.any():
        shown = ", ".join(map(str, ids[clash].unique()[:5]))
        raise DataError(
            f"respondent ID(s) {shown} appear more than once with different answers",
            path=book.data_path,
            where=f"column {book.variables['resp_id'].source!r}, rows {_rows(clash)}",
            hint="ask the vendor which interview is valid, then delete or re-number the other",
        )
    return exact


def flag_speeders(duration: pd.Series, country: pd.Series, share: float) -> pd.Series:
    """True where the interview took less than ``share`` of its country's median duration."""
    median = duration.groupby(country).transform("median")
    return (duration < share * median).fillna(False).astype(bool)


def flag_straightliners(
    data: pd.DataFrame, batteries: list[list[str]], min_items: int
) -> pd.Series:
    """True where every valid answer in any battery is identical (with enough valid items)."""
    flag = pd.Series(False, index=data.index)
    for items in batteries:
        if not items:
            continue
        block = data[items].astype("float64")
        valid = block.notna().sum(axis=1)
        flat = block.max(axis=1) == block.min(axis=1)
        flag |= flat & (valid >= min_items)
    return flag


def near_duplicate_share(data: pd.DataFrame, items: list[str], block: list[str]) -> pd.Series:
    """For each respondent, the highest share of identical answers with another respondent.

    Answers are one-hot encoded so that one matrix product per block counts matches for all
    pairs; a missing answer matches only another missing answer.
    """
    codes = data[items].astype("float64").fillna(-1).to_numpy()
    levels = [np.unique(codes[:, j]) for j in range(codes.shape[1])]
    share = np.zeros(len(data))
    if block:
        groups = data.groupby(block, dropna=False, sort=False).indices.values()
    else:
        groups = [np.arange(len(data))]
    for idx in groups:
        if len(idx) < 2:
            continue
        sub = codes[idx]
        onehot = np.concatenate(
            [(sub[:, [j]] == lv[None, :]).astype(np.float32) for j, lv in enumerate(levels)],
            axis=1,
        )
        # Rows are compared in chunks so that a large block never needs an n-by-n matrix.
        for start in range(0, len(idx), _CHUNK):
            matches = onehot[start : start + _CHUNK] @ onehot.T
            rows = np.arange(matches.shape[0])
            matches[rows, start + rows] = -1
            share[idx[start : start + _CHUNK]] = matches.max(axis=1) / len(items)
    return pd.Series(share, index=data.index)


def add_age_groups(age: pd.Series, edges: tuple[int, ...]) -> pd.Series:
    """Age bands such as ``16-24`` and ``65+`` from the declared lower edges."""
    labels = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)] + [f"{edges[-1]}+"]
    bands = pd.cut(age.astype("float64"), bins=[*edges, np.inf], right=False, labels=labels)
    return bands.astype("string")


def clean_survey(
    raw: RawTable, book: Codebook, log: CleaningLog, rules: SurveyRules, report: ReportRules
) -> CleanSurvey:
    """Clean one survey delivery as its codebook says.

    Raises:
        DataError: For missing columns, unknown labels or countries, text in numeric columns,
            duplicate IDs with different answers, and invalid weights.
    """
    name = book.dataset.name
    _check_columns(raw, book)
    frame = raw.frame[[v.source for v in book.variables.values()]].reset_index(drop=True)
    log.record(STAGE, "rows_read", len(frame), dataset=name, detail=f"encoding={raw.encoding}")
    data, reasons, out_of_range = _convert(frame, book)
    exact = _exact_duplicates(data, reasons, book)
    log.record(STAGE, "exact_duplicate_removed", int(exact.sum()), dataset=name,
               detail="the same interview delivered twice; the first copy is kept")  # fmt: skip
    keep = ~exact.to_numpy()
    data, reasons = data[keep].reset_index(drop=True), reasons[keep].reset_index(drop=True)
    out_of_range = out_of_range[keep].reset_index(drop=True)
    data["resp_id"] = data["resp_id"].astype("string")
    if "country" in book.variables:
        data["country"] = harmonize_countries(
            data["country"], source=str(book.data_path), column=book.variables["country"].source
        )
        data["country"] = data["country"].fillna(book.dataset.country)
    else:
        data["country"] = pd.Series(book.dataset.country, index=data.index, dtype="string")
    if data["country"].isna().any():
        raise DataError(
            "rows without a country",
            path=book.data_path,
            where=f"rows {_rows(data['country'].isna())}",
            hint="fill the country column or set dataset.country in the codebook",
        )
    country = data["country"]

    if "region" in data:
        data["region_raw"] = data["region"]
        data["region"] = harmonize_regions(data["region_raw"])
        unmapped = data["region"].isna() & data["region_raw"].notna()
        log.record_by_country(STAGE, "region_unmapped", unmapped, country, dataset=name)

    for var in book.variables.values():
        why = reasons[var.name]
        for reason in ("hard_to_say", "refused", "not_applicable", "invalid"):
            hit = why == reason
            if hit.any():
                log.record_by_country(STAGE, f"missing_{reason}", hit.fillna(False), country,
                                      dataset=name, detail=var.name)  # fmt: skip
    log.record_by_country(STAGE, "qc_out_of_range", out_of_range, country, dataset=name)

    if "weight" in data:
        weight = data["weight"].astype("float64")
        bad = ~np.isfinite(weight) | (weight <= 0)
        if bad.any():
            raise DataError(
                "weights must be positive and finite",
                path=book.data_path,
                where=f"column {book.variables['weight'].source!r}, rows {_rows(bad)}",
                hint="fix the weights, or remove the weight variable to analyse unweighted",
            )
        data["weight"] = weight
    else:
        data["weight"] = 1.0
    for var in book.variables.values():
        if var.type == "date":
            data[var.name] = pd.to_datetime(data[var.name], errors="coerce").dt.date

    if "age" in data:
        data["age_group"] = add_age_groups(data["age"], report.age_groups)

    data["qc_out_of_range"] = out_of_range.to_numpy()
    if "duration_sec" in data:
        data["qc_speeder"] = flag_speeders(
            data["duration_sec"].astype("float64"), country, rules.speeder_share
        )
    else:
        data["qc_speeder"] = False
    batteries = [book.battery(b) for b in rules.straightline_batteries]
    data["qc_straightliner"] = flag_straightliners(data, batteries, rules.straightline_min_items)
    items = [i for b in rules.near_duplicate_batteries for i in book.battery(b)]
    block = [c for c in rules.near_duplicate_block if c in data]
    if items:
        data["qc_dup_share"] = near_duplicate_share(data, items, block).round(4)
        data["qc_near_duplicate"] = data["qc_dup_share"] >= rules.near_duplicate_threshold
    else:
        data["qc_dup_share"] = np.nan
        data["qc_near_duplicate"] = False
    for flag in ("qc_speeder", "qc_straightliner", "qc_near_duplicate"):
        log.record_by_country(STAGE, flag, data[flag], country, dataset=name)
    excluded = data[[f for f in rules.exclude_flags if f in data]].any(axis=1)
    data["qc_exclude"] = excluded
    log.record_by_country(STAGE, "qc_exclude", excluded, country, dataset=name,
                          detail="+".join(rules.exclude_flags))  # fmt: skip

    for var in book.variables.values():
        if var.pii and var.name in data:
            data[var.name], changed = privacy.scrub_series(data[var.name])
            log.record(STAGE, "pii_scrubbed", changed, dataset=name, detail=var.name)
    dropped = [v.name for v in book.variables.values() if v.drop]
    data = data.drop(columns=dropped)
    if dropped:
        log.record(STAGE, "personal_columns_dropped", len(data), dataset=name,
                   detail=", ".join(dropped))  # fmt: skip
    data.insert(1, "dataset", name)

    long = reasons.drop(columns=[*dropped, "resp_id", "country"], errors="ignore")
    long.insert(0, "resp_id", data["resp_id"])
    long.insert(1, "country", country)
    long = long.melt(id_vars=["resp_id", "country"], var_name="variable", value_name="reason")
    long = long.dropna(subset=["reason"]).reset_index(drop=True)
    return CleanSurvey(data=data, missing=long)


def combine_surveys(
    parts: list[CleanSurvey], books: list[Codebook], log: CleaningLog
) -> CleanSurvey:
    """Stack cleaned datasets; a variable one dataset lacks is recorded as not asked there."""
    data = pd.concat([p.data for p in parts], ignore_index=True)
    missing = pd.concat([p.missing for p in parts], ignore_index=True)
    for part, book in zip(parts, books, strict=True):
        absent = [c for c in data.columns if c not in part.data.columns]
        for column in absent:
            log.record(STAGE, "not_asked", len(part.data), dataset=book.dataset.name,
                       country=str(part.data["country"].iloc[0]), detail=column)  # fmt: skip
    return CleanSurvey(data=data, missing=missing)
