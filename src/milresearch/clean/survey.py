"""Survey cleaning driven by the codebook: recode, label, flag, scrub. No dataset-specific code.

Missing values are never mixed into the answer columns: answers become NA and the reason
(hard to say, refused, not applicable, not asked, invalid) goes to a long side table.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from milresearch.clean import privacy
from milresearch.clean.dates import parse_dates
from milresearch.clean.log import CleaningLog
from milresearch.clean.quality import flag_near_duplicates, flag_speeders, flag_straightliners
from milresearch.clean.recode import REASONS, convert
from milresearch.errors import DataError, describe_rows
from milresearch.ingest.codebook import UNITS, Codebook
from milresearch.ingest.countries import harmonize_countries, harmonize_regions
from milresearch.ingest.readers import RawTable
from milresearch.settings import ReportRules, SurveyRules

QC_FLAGS = ("qc_speeder", "qc_straightliner", "qc_near_duplicate", "qc_out_of_range")
FREE_TEXT_TYPES = ("text", "string")
"""Variable types scrubbed of personal data unless declared ``public: true``."""
STAGE = "survey"


@dataclass
class CleanSurvey:
    """A cleaned survey dataset: one row per respondent, plus the missing-value reasons."""

    data: pd.DataFrame
    missing: pd.DataFrame
    """Long table: resp_id, country, variable, reason."""


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
    ids = data["resp_id"]
    exact = pd.Series(False, index=data.index)
    # A copy shares its ID, so only rows with a repeated (or missing) ID are hashed: one 64-bit
    # hash per row (answers and reasons) instead of comparing every column.
    shared = ids.duplicated(keep=False).to_numpy()
    if shared.any():
        rows = pd.util.hash_pandas_object(data[shared], index=False).to_numpy()
        rows = (
            rows * np.uint64(1_000_003)
            + pd.util.hash_pandas_object(reasons[shared], index=False).to_numpy()
        )
        exact[shared] = pd.Series(rows).duplicated(keep="first").to_numpy()
    clash = shared & ids.notna() & ~exact
    if clash.any():
        clash &= ids.isin(ids[clash & ids.duplicated(keep="first")])
    if clash.any():
        shown = ", ".join(map(str, ids[clash].unique()[:5]))
        raise DataError(
            f"respondent ID(s) {shown} appear more than once with different answers",
            path=book.data_path,
            where=f"column {book.variables['resp_id'].source!r}, rows {describe_rows(clash)}",
            hint="ask the vendor which interview is valid, then delete or re-number the other",
        )
    return exact


def _warn_if_common(
    log: CleaningLog, flag: pd.Series, country: pd.Series, rule: str, dataset: str, share: float
) -> None:
    """Log a ``qc_warning`` where a rule flags more than ``share`` of a country's delivery."""
    counts = flag.groupby(country, observed=True).agg(["sum", "size"])
    for code, (hits, total) in counts.iterrows():
        if total and hits / total > share:
            log.record(
                STAGE,
                "qc_warning",
                int(hits),
                dataset=dataset,
                country=str(code),
                detail=f"{rule} flags {int(hits):,} of {int(total):,} interviews"
                f" ({hits / total:.1%}), more than the declared {share:.0%}",
            )


def age_edges(
    age: pd.Series,
    declared: tuple[int, ...] | None,
    default: tuple[int, ...],
    lowest: float | None,
) -> tuple[int, ...]:
    """Lower edges of the age bands: the codebook's, else the defaults from the youngest age.

    The youngest age is the lower end of the codebook's valid ``range`` for age (else the
    youngest respondent), so an 18+ survey gets ``18-24, 25-34, …`` rather than a ``16-24``
    band it cannot fill.
    """
    if declared:
        return declared
    youngest = lowest if lowest is not None else pd.to_numeric(age, errors="coerce").min()
    if pd.isna(youngest) or youngest <= default[0]:
        return default
    start = int(np.ceil(youngest))
    return (start, *[e for e in default if e > start])


def add_age_groups(age: pd.Series, edges: tuple[int, ...]) -> pd.Series:
    """Age bands such as ``16-24`` and ``65+`` from the declared lower edges."""
    labels = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)] + [f"{edges[-1]}+"]
    bands = pd.cut(age.astype("float64"), bins=[*edges, np.inf], right=False, labels=labels)
    return bands.astype("string")


def _countries(data: pd.DataFrame, book: Codebook) -> pd.Series:
    """ISO3 country of every row: the harmonised column, else the codebook's country."""
    if "country" in book.variables:
        country = harmonize_countries(
            data["country"], source=str(book.data_path), column=book.variables["country"].source
        ).fillna(book.dataset.country)
    else:
        country = pd.Series(book.dataset.country, index=data.index, dtype="string")
    if country.isna().any():
        raise DataError(
            "rows without a country",
            path=book.data_path,
            where=f"rows {describe_rows(country.isna())}",
            hint="fill the country column or set dataset.country in the codebook",
        )
    return country


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
    data, reasons, out_of_range = convert(frame, book)
    data["country"] = _countries(data, book)
    every_row = pd.Series(True, index=data.index)
    log.record_by_country(
        STAGE,
        "rows_read",
        every_row,
        data["country"],
        dataset=name,
        detail=f"encoding={raw.encoding}",
    )
    exact = _exact_duplicates(data, reasons, book)
    log.record_by_country(
        STAGE,
        "exact_duplicate_removed",
        exact,
        data["country"],
        dataset=name,
        detail="the same interview delivered twice; the first copy is kept",
    )
    if exact.any():
        keep = ~exact.to_numpy()
        data, reasons = data[keep].reset_index(drop=True), reasons[keep].reset_index(drop=True)
        out_of_range = out_of_range[keep].reset_index(drop=True)
    data["resp_id"] = data["resp_id"].astype("string")
    country = data["country"]

    if "region" in data:
        data["region_raw"] = data["region"]
        data["region"] = harmonize_regions(data["region_raw"], book.variables["region"].regions)
        unmapped = data["region"].isna() & data["region_raw"].notna()
        log.record_by_country(STAGE, "region_unmapped", unmapped, country, dataset=name)

    _log_missing(reasons, country, log, name)
    log.record_by_country(STAGE, "qc_out_of_range", out_of_range, country, dataset=name)

    if "weight" in data:
        weight = data["weight"].astype("float64")
        bad = ~np.isfinite(weight) | (weight <= 0)
        ratio = weight / weight[~bad].median()
        absurd = ~bad & (ratio > rules.weight_max_ratio)
        if absurd.any():
            raise DataError(
                f"weight(s) {', '.join(f'{w:g}' for w in weight[absurd].unique()[:3])} are more"
                f" than {rules.weight_max_ratio:g} times the median weight",
                path=book.data_path,
                where=f"column {book.variables['weight'].source!r}, rows {describe_rows(absurd)}",
                hint="fix the weights (a misplaced decimal point?), or raise"
                " survey.weight_max_ratio in config/cleaning.yml if they are right",
            )
        if bad.any():
            raise DataError(
                "weights must be positive and finite",
                path=book.data_path,
                where=f"column {book.variables['weight'].source!r}, rows {describe_rows(bad)}",
                hint="fix the weights, or remove the weight variable to analyse unweighted",
            )
        data["weight"] = weight
    else:
        data["weight"] = 1.0
    for var in book.variables.values():
        if var.type == "date":
            given = data[var.name].notna() & (data[var.name].astype("string").str.strip() != "")
            # Read as fact-check dates are: ISO, day-first, month names, epoch (no zone: UTC).
            parsed = parse_dates(data[var.name].astype("string"), "UTC")["date_local"]
            data[var.name] = parsed.where(parsed.notna(), None)
            unparsed = given & data[var.name].isna()
            log.record_by_country(
                STAGE, "dates_unparsed", unparsed, country, dataset=name, detail=var.name
            )

    if "age" in data:
        age_range = book.variables["age"].range
        edges = age_edges(
            data["age"],
            book.dataset.age_bands,
            report.age_groups,
            age_range[0] if age_range else None,
        )
        data["age_group"] = add_age_groups(data["age"], edges)
    if "sample_type" not in data:
        # A survey without the column is one national probability sample.
        data["sample_type"] = 1
    for var in book.variables.values():
        if var.unit is not None and var.name != "duration_sec":
            seconds = data.pop(var.name).astype("float64") * UNITS[var.unit]
            # Stored in seconds, whatever the delivery's unit, under a name that says so.
            data["duration_sec" if var.name.startswith("duration") else f"{var.name}_sec"] = (
                seconds
            )

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
        dup = flag_near_duplicates(
            data, items, block, rules.near_duplicate_threshold, rules.near_duplicate_chance
        )
        data["qc_dup_share"] = dup.share.round(4)
        data["qc_near_duplicate"] = dup.flag
        log.record_by_country(
            STAGE,
            "near_duplicate_check",
            pd.Series(True, index=data.index),
            country,
            dataset=name,
            detail=dup.describe(),
        )
    else:
        data["qc_dup_share"] = np.nan
        data["qc_near_duplicate"] = False
    for flag in ("qc_speeder", "qc_straightliner", "qc_near_duplicate"):
        log.record_by_country(STAGE, flag, data[flag], country, dataset=name)
        _warn_if_common(log, data[flag], country, flag, name, rules.warn_share)
    excluded = data[[f for f in rules.exclude_flags if f in data]].any(axis=1)
    data["qc_exclude"] = excluded
    log.record_by_country(
        STAGE, "qc_exclude", excluded, country, dataset=name, detail="+".join(rules.exclude_flags)
    )

    for var in book.variables.values():
        # Privacy by default: every free-text field, unless the codebook declares it public.
        free_text = var.type in FREE_TEXT_TYPES and not var.public
        if (var.pii or free_text) and var.name in data:
            data[var.name], changed = privacy.scrub_series(data[var.name])
            log.record_by_country(
                STAGE, "pii_scrubbed", changed, country, dataset=name, detail=var.name
            )
    dropped = [v.name for v in book.variables.values() if v.drop]
    data = data.drop(columns=dropped)
    if dropped:
        log.record_by_country(
            STAGE,
            "personal_columns_dropped",
            pd.Series(True, index=data.index),
            country,
            dataset=name,
            detail=", ".join(dropped),
        )
    data.insert(1, "dataset", name)
    data.insert(2, "wave", book.dataset.wave_id)

    kept = reasons.drop(columns=[*dropped, "resp_id", "country"], errors="ignore")
    return CleanSurvey(data=data, missing=_missing_table(kept, data["resp_id"], country))


def _log_missing(
    reasons: pd.DataFrame, country: pd.Series, log: CleaningLog, dataset: str
) -> None:
    """One log entry per variable, reason and country that has any such missing value."""
    codes, countries = pd.factorize(country)
    for variable in reasons.columns:
        why = reasons[variable].to_numpy()
        if not why.any():
            continue
        counts = np.bincount(codes * len(REASONS) + why, minlength=len(countries) * len(REASONS))
        counts = counts.reshape(len(countries), len(REASONS))
        for r, reason in enumerate(REASONS):
            if r and counts[:, r].any():
                for c, name in enumerate(countries):
                    log.record(
                        STAGE,
                        f"missing_{reason}",
                        int(counts[c, r]),
                        dataset=dataset,
                        country=str(name),
                        detail=variable,
                    )


def _missing_table(reasons: pd.DataFrame, resp_id: pd.Series, country: pd.Series) -> pd.DataFrame:
    """The long table of missing values: resp_id, country, variable, reason."""
    matrix = reasons.to_numpy()
    rows, cols = np.nonzero(matrix)
    codes = matrix[rows, cols]
    return pd.DataFrame(
        {
            "resp_id": resp_id.array.take(rows).astype("str"),
            "country": country.array.take(rows).astype("str"),
            "variable": pd.Categorical.from_codes(cols, categories=list(reasons.columns)),
            "reason": pd.Categorical.from_codes(codes - 1, categories=list(REASONS[1:])),
        }
    )


def combine_surveys(
    parts: list[CleanSurvey], books: list[Codebook], log: CleaningLog
) -> CleanSurvey:
    """Stack cleaned datasets; a variable one dataset lacks is recorded as not asked there.

    "Not asked" goes to the log and, for each respondent, to the missing-reason table, so that
    an empty cell there is never left without its reason.
    """
    data = pd.concat([p.data for p in parts], ignore_index=True)
    missing = [p.missing for p in parts]
    for part, book in zip(parts, books, strict=True):
        absent = [c for c in data.columns if c not in part.data.columns]
        every_row = pd.Series(True, index=part.data.index)
        for column in absent:
            log.record_by_country(
                STAGE,
                "not_asked",
                every_row,
                part.data["country"],
                dataset=book.dataset.name,
                detail=column,
            )
        if absent:
            missing.append(
                pd.DataFrame(
                    {
                        "resp_id": np.repeat(part.data["resp_id"].to_numpy(), len(absent)),
                        "country": np.repeat(part.data["country"].to_numpy(), len(absent)),
                        "variable": np.tile(absent, len(part.data)),
                        "reason": "not_asked",
                    }
                )
            )
    missing = pd.concat(missing, ignore_index=True)
    missing["variable"] = missing["variable"].astype("category")
    missing["reason"] = pd.Categorical(missing["reason"], categories=list(REASONS[1:]))
    return CleanSurvey(data=data, missing=missing)
