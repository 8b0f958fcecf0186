"""The survey analysis of a country report: one pure function per section, returning frames.

Each step takes a report's inputs and its :class:`~milresearch.analysis.design.SurveyDesign`
and returns named DataFrames (estimate, interval, bases, design effect, ``suppressed``). Nothing
here knows the report language: items are variable names and groups are codes, and a renderer
labels them. So the same results serve every language, and a researcher can inspect them.

Which answers count for a share (daily use, trust, agreement) is read from the item's declared
scale (:func:`milresearch.analysis.questionnaire.share_codes`), never from code.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from milresearch.analysis import bases, mil
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.inputs import ReportInputs
from milresearch.analysis.questionnaire import share_codes
from milresearch.settings import load_settings

Frames = dict[str, pd.DataFrame]

DERIVED_GROUPINGS = ("age_group",)
"""Groups made in cleaning (from ``age``) that every breakdown offers first."""


def groupings(inputs: ReportInputs) -> list[str]:
    """Groups estimates are broken down by: age bands, then the declared demographics."""
    return [*DERIVED_GROUPINGS, *inputs.items("demographic")]


def national_design(inputs: ReportInputs, min_n: int) -> SurveyDesign:
    """The national probability sample's design (weight, strata, PSUs)."""
    return SurveyDesign.of_countries(inputs.survey, min_n)


def is_trust_source(items: pd.Series) -> pd.Series:
    """Trust items that name a source type, not attitudes to news in general."""
    return items.str.startswith("trust_") & (items != "trust_news_general")


def item_share(inputs: ReportInputs, item: str, which: str | None = None) -> tuple[int, ...]:
    """The codes that count for ``item``'s share, from its declared scale (empty: none)."""
    return share_codes(inputs.item(item), which) or ()


def declared_shares(
    inputs: ReportInputs, items: Iterable[str], which: str | None = None
) -> dict[str, tuple[int, ...]]:
    """Item to the codes that count, for the items this survey has and can count."""
    found = {item: item_share(inputs, item, which) for item in items if item in inputs.survey}
    return {item: codes for item, codes in found.items() if codes}


def media(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Daily news use per channel (most used first), overall and within each group."""
    shares = declared_shares(inputs, inputs.items("media_use"))
    est = design.shares(shares)
    if len(est):
        est = est.sort_values("proportion", ascending=False, na_position="last")
    parts = []
    for grouping in groupings(inputs) if shares else []:
        if grouping not in design.data or design.data[grouping].isna().all():
            continue
        block = design.shares(shares, by=grouping)
        block = block.rename(columns={grouping: "group"}).assign(grouping=grouping)
        parts.append(block.sort_values(["group", "item"], kind="stable"))
    by_group = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return {"estimates": est.reset_index(drop=True), "by_group": by_group}


def trust(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Share trusting each source, or agreeing with each trust item, in codebook order."""
    return {"estimates": design.shares(declared_shares(inputs, inputs.items("trust")))}


def mil_skills(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Self-assessed MIL: agreement per item, the answer distribution, the index, its alpha."""
    items = inputs.items("mil_skill")
    likert = [design.proportions(i).assign(item=i) for i in items]
    min_valid = load_settings().reports.mil_index_min_valid
    alpha = pd.DataFrame(
        [
            {
                "alpha": mil.cronbach_alpha(design.data, items),
                "k": len(items),
                "min_valid": min_valid,
            }
        ]
    )
    return {
        "estimates": design.shares(declared_shares(inputs, items)),
        "likert": pd.concat(likert, ignore_index=True) if likert else pd.DataFrame(),
        "index": mil_index_by_group(design, items, min_valid),
        "alpha": alpha,
    }


def mil_scores(design: SurveyDesign, items: list[str], min_valid: int) -> SurveyDesign:
    """The design with each respondent's MIL index (:func:`milresearch.analysis.mil.mil_index`)."""
    return design.assign(mil_index=mil.mil_index(design.data, items, min_valid=min_valid))


def mil_index_by_group(
    design: SurveyDesign,
    items: list[str],
    min_valid: int,
    by: Iterable[str] = ("age_group", "settlement"),
) -> pd.DataFrame:
    """Weighted mean of the MIL index overall, by age group and by settlement."""
    if not items:
        return pd.DataFrame()
    scored = mil_scores(design, items, min_valid)
    parts = [scored.mean("mil_index").assign(grouping="all", group="all")]
    for grouping in by:
        if grouping in scored.data:
            block = scored.mean("mil_index", by=grouping)
            parts.append(block.rename(columns={grouping: "group"}).assign(grouping=grouping))
    return pd.concat(parts, ignore_index=True).assign(item="mil_index")


def headline_items(inputs: ReportInputs) -> tuple[list[str], list[str]]:
    """Headline items declared true, and declared false, that this survey has."""
    veracity = inputs.veracity()
    true_items = [c for c, v in veracity.items() if v and c in inputs.survey]
    false_items = [c for c, v in veracity.items() if not v and c in inputs.survey]
    return true_items, false_items


def discernment_scores(inputs: ReportInputs, design: SurveyDesign) -> SurveyDesign:
    """The design with per-respondent discernment, d′ and c (NaN without headline items)."""
    true_items, false_items = headline_items(inputs)
    df = design.data
    if not (true_items and false_items):
        nan = np.full(len(df), np.nan)
        return design.assign(discernment=nan, dprime=nan, criterion=nan)
    sdt = mil.signal_detection(df, true_items, false_items)
    return design.assign(
        discernment=mil.headline_discernment(df, true_items, false_items),
        dprime=sdt["dprime"],
        criterion=sdt["criterion"],
    )


def discernment(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Mean rating per headline, the summary scores, and measured skill by self-assessment."""
    true_items, false_items = headline_items(inputs)
    headlines = [
        design.mean(c).assign(item=c, veracity=c in true_items) for c in true_items + false_items
    ]
    scored = discernment_scores(inputs, design)
    summary = [scored.mean(c).assign(item=c) for c in ("discernment", "dprime", "criterion")]
    return {
        "headlines": pd.concat(headlines, ignore_index=True) if headlines else pd.DataFrame(),
        "summary": pd.concat(summary, ignore_index=True) if headlines else pd.DataFrame(),
        "self_vs_measured": self_vs_measured(inputs, scored),
    }


def self_assessment(inputs: ReportInputs, data: pd.DataFrame) -> pd.Series | None:
    """``yes`` where a respondent says they can tell a fake (``mil_detect``), else ``no``."""
    codes = item_share(inputs, "mil_detect")
    if "mil_detect" not in data or not codes:
        return None
    return data["mil_detect"].map(lambda v: "yes" if v in codes else "no", na_action="ignore")


def self_vs_measured(inputs: ReportInputs, scored: SurveyDesign) -> pd.DataFrame:
    """Mean discernment of those who say they can tell a fake (``yes``) and those who do not."""
    says = self_assessment(inputs, scored.data)
    if says is None or scored.data["discernment"].isna().all():
        return pd.DataFrame()
    by = scored.assign(says=says).dropna("says").mean("discernment", by="says")
    by = by.set_index("says").reindex(["yes", "no"]).dropna(subset=["n"]).reset_index()
    return by.assign(item="discernment")


def trained_groups(inputs: ReportInputs, design: SurveyDesign) -> pd.Series | None:
    """``yes``/``no`` by the first training item's declared share (None: no such item)."""
    for item in inputs.items("training"):
        codes = item_share(inputs, item)
        if codes:
            counted = design.data[item].isin(codes)
            return counted.map({True: "yes", False: "no"}).where(design.data[item].notna())
    return None


def factchecking(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Awareness and use of fact-checkers, MIL training, and discernment by training."""
    df = design.data
    items = inputs.items("factcheck")
    aware = item_share(inputs, "fc_aware") if "fc_aware" in items else ()
    monthly = item_share(inputs, "fc_use", "monthly") if "fc_use" in items else ()
    filtered = bool(aware and monthly)
    rows = [
        design.shares(
            declared_shares(inputs, [i for i in items if not (filtered and i == "fc_use")])
        )
    ]
    if filtered:
        # Respondents who never heard of fact-checkers were not asked: they do not use them.
        unaware = df["fc_aware"].notna() & ~df["fc_aware"].isin(aware)
        use = df["fc_use"].where(~unaware, -1)
        rows.append(design.assign(fc_use_all=use).shares({"fc_use_all": monthly}))
    training = inputs.items("training")
    rows.append(design.shares(declared_shares(inputs, training)))
    recent_est = design.shares(declared_shares(inputs, training, "recent"))
    if len(recent_est):
        rows.append(recent_est.assign(item=recent_est["item"] + "_recent"))
    shown = [r for r in rows if not r.empty]
    est = pd.concat(shown, ignore_index=True) if shown else pd.DataFrame()
    trained = trained_groups(inputs, design)
    by_training = pd.DataFrame()
    if trained is not None:
        scored = discernment_scores(inputs, design).assign(group=trained)
        if scored.data["discernment"].notna().any():
            by_training = scored.dropna("group").mean("discernment", by="group")
    return {"estimates": est, "by_training": by_training}


def custom(inputs: ReportInputs, design: SurveyDesign) -> Frames:
    """Items of the codebooks' own sections: shares where declared, else means or answers."""
    parts = [
        describe_items(inputs, design, inputs.items(section)).assign(section=section)
        for section in inputs.sections()
    ]
    parts = [p for p in parts if len(p)]
    return {"estimates": pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()}


def describe_items(inputs: ReportInputs, design: SurveyDesign, items: list[str]) -> pd.DataFrame:
    """One estimate per item: its declared share, else the mean of a numeric item.

    A coded item without a declared share gets the share of each answer (``category``), so no
    declared item is left out of its section.
    """
    rows = []
    for item in items:
        codes = item_share(inputs, item)
        spec = inputs.item(item) or {}
        if codes:
            rows.append(design.shares({item: codes}))
        elif spec.get("codes"):
            rows.append(design.proportions(item).assign(item=item))
        elif pd.api.types.is_numeric_dtype(design.data[item]):
            rows.append(design.mean(item).assign(item=item))
    rows = [r for r in rows if len(r)]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def stakeholders(inputs: ReportInputs, min_n: int) -> Frames:
    """Purposive stakeholder interviews by group: unweighted shares, SRS intervals, no deff."""
    rows = inputs.all_rows
    stake = rows[(rows["sample_type"] == 2) & ~rows["qc_exclude"]]
    if stake.empty or "stakeholder_group" not in stake:
        return {"estimates": pd.DataFrame()}
    design = SurveyDesign.unweighted(stake, min_n)
    parts = [
        design.shares(declared_shares(inputs, [item]), by="stakeholder_group")
        for item in ("mil_detect", "fc_aware")
    ]
    est = pd.concat(parts, ignore_index=True)
    est = est.sort_values(["stakeholder_group", "item"], kind="stable").reset_index(drop=True)
    # A purposive sample has no design to compare with simple random sampling.
    return {"estimates": est.assign(deff=np.nan)}


def method(inputs: ReportInputs, design: SurveyDesign, percentages: pd.DataFrame) -> Frames:
    """Sample size, effective n, design effects and margins of error, exclusions.

    Args:
        inputs: The report's inputs.
        design: The national design.
        percentages: The report's percentage estimates (media, trust, MIL); the median of
            their design effects is the one a margin of error for a typical percentage can use.
    """
    df = design.data
    national = inputs.all_rows[inputs.all_rows["sample_type"] == 1]
    n = len(df)
    n_eff = bases.kish_effective_n(df["weight"]) if n else float("nan")
    deff_weights = n / n_eff if n_eff else float("nan")
    shown = (
        percentages.loc[~percentages["suppressed"], "deff"].dropna() if len(percentages) else []
    )
    deff = float(np.median(shown)) if len(shown) else float("nan")
    nan = float("nan")
    summary = {
        "n": n,
        "n_excluded": int(national["qc_exclude"].sum()),
        "n_stakeholders": int((inputs.all_rows["sample_type"] == 2).sum()),
        "n_eff": n_eff,
        "weight_min": float(df["weight"].min()) if n else nan,
        "weight_max": float(df["weight"].max()) if n else nan,
        "deff": deff,
        "moe": bases.margin_of_error(0.5, n, deff=deff) * 100 if n else nan,
        "deff_weights": deff_weights,
        "moe_weights": bases.margin_of_error(0.5, n, deff=deff_weights) * 100 if n else nan,
        "design_df": design_degrees_of_freedom(design),
    }
    return {"summary": pd.DataFrame([summary]), "warnings": flag_warnings(national)}


def design_degrees_of_freedom(design: SurveyDesign) -> int:
    """PSUs minus strata among respondents with a weight: 0 leaves no variance estimate.

    A design where every stratum holds one PSU gives R's ``degf() == 0`` and NaN intervals.
    """
    df = design.data[design.data[design.weight] != 0]
    if df.empty:
        return 0
    strata = [design.strata] if design.strata else []
    psus = df.groupby([*strata, design.psu], observed=True).ngroups if design.psu else len(df)
    return int(psus - (df[design.strata].nunique() if design.strata else 1))


def flag_warnings(national: pd.DataFrame) -> pd.DataFrame:
    """Quality rules that flag more than the declared share of the national delivery."""
    rules = load_settings().survey
    total = len(national)
    rows = [
        {
            "rule": flag,
            "n": int(national[flag].sum()),
            "total": total,
            "share": national[flag].sum() / total,
            "limit": rules.warn_share,
        }
        for flag in rules.exclude_flags
        if flag in national and total and national[flag].sum() / total > rules.warn_share
    ]
    return pd.DataFrame(rows, columns=["rule", "n", "total", "share", "limit"])
