"""The regional analysis: key indicators country by country, and what was asked differently."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.gaps import group_gaps
from milresearch.analysis.inputs import ReportInputs
from milresearch.analysis.questionnaire import share_codes
from milresearch.ingest.countries import COUNTRY_CODES

KEY_ITEMS = ("trust_news_general", "mil_detect", "fc_aware", "use_telegram")
"""Items set side by side when the surveys have them; each counts its declared share."""
COMPARED_CONCEPTS = ("media_use", "trust", "mil_skill", "factcheck", "training")
"""Where a project has none of :data:`KEY_ITEMS`, every comparable item of these concepts."""
POOLED = "POOLED"


def _asked_as(inputs: ReportInputs) -> dict[str, dict[tuple, list[str]]]:
    """Item to how it was asked (scale, codes, counted codes) to the countries asked so."""
    countries = inputs.all_rows.groupby("dataset")["country"].unique()
    found: dict[str, dict[tuple, list[str]]] = {}
    for d in inputs.survey_datasets:
        for item, spec in d.get("items", {}).items():
            how = (
                spec.get("scale"),
                tuple(spec.get("codes") or ()),
                share_codes(spec) or (),
            )
            found.setdefault(item, {}).setdefault(how, []).extend(countries.get(d["name"], []))
    return found


def compared_items(inputs: ReportInputs) -> dict[str, tuple[tuple[int, ...], list[str]]]:
    """Items comparable across countries: the codes counted and the countries asked alike.

    An item is compared among the countries that asked it on the same scale and count the same
    answers (the most common way it was asked); at least two countries must have it.
    """
    asked = _asked_as(inputs)
    candidates = [i for i in KEY_ITEMS if i in asked]
    if not candidates:
        candidates = [i for c in COMPARED_CONCEPTS for i in inputs.items(c)]
    found = {}
    for item in candidates:
        if item not in inputs.survey:
            continue
        usual = max(asked[item].items(), key=lambda kv: len(set(kv[1])))
        countries = sorted(set(usual[1]))
        if len(countries) >= 2 and usual[0][2]:
            found[item] = (tuple(usual[0][2]), countries)
    return found


def country_estimates(inputs: ReportInputs, design: SurveyDesign) -> pd.DataFrame:
    """Each comparable item per country (design-based), plus the equal-country pooled estimate.

    Countries are independent samples, so the pooled estimate is the unweighted mean of the
    country estimates with variance sum(se²)/k²: every country counts the same, whatever its
    population.
    """
    rows = []
    for item, (codes, countries) in compared_items(inputs).items():
        est = design.share(item, codes, by="country")
        est = est[est["country"].isin(countries)]
        if est.empty:
            continue
        rows.append(est)
        ok = est[~est["suppressed"]]
        if len(ok) >= 2:
            k = len(ok)
            p = ok["proportion"].mean()
            se = float(np.sqrt((ok["se"] ** 2).sum()) / k)
            rows.append(
                pd.DataFrame(
                    [
                        {
                            "item": item,
                            "country": POOLED,
                            "n": ok["n"].sum(),
                            "n_base": ok["n_base"].sum(),
                            "proportion": p,
                            "se": se,
                            "ci_low": p - 1.96 * se,
                            "ci_high": p + 1.96 * se,
                            "deff": np.nan,
                            "suppressed": False,
                        }
                    ]
                )
            )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def country_gaps(
    inputs: ReportInputs, design: SurveyDesign, estimates: pd.DataFrame
) -> pd.DataFrame:
    """The highest against the lowest country of each compared item, tested.

    Countries are independent samples, strata and PSUs nested in them
    (:meth:`milresearch.reports.document.Report.design`), so the difference's SE is that of
    two independent estimates. Each item counts the codes of its usual scale.
    """
    if estimates.empty:
        return pd.DataFrame()
    codes = {item: found[0] for item, found in compared_items(inputs).items()}
    shown = estimates[estimates["country"] != POOLED]
    by_country = shown.rename(columns={"country": "group"}).assign(grouping="country")
    return group_gaps(inputs, design, by_country, pd.DataFrame(), codes=codes)


def harmonisation(inputs: ReportInputs) -> pd.DataFrame:
    """Per country, items not asked, asked on another scale, or asked with a declared note.

    An item's usual scale is the one most datasets used; a dataset that used other codes is
    listed. Columns: ``country``, ``item``, ``kind`` (``not_asked``, ``scale`` or ``note``),
    ``scale`` and ``usual`` (for ``scale``) and ``note`` (the codebook's note, by language).
    """
    rows: list[dict] = [
        {"country": r.country, "item": r.detail, "kind": "not_asked"}
        for r in inputs.log[inputs.log["rule"] == "not_asked"].itertuples()
    ]
    surveys = [d for d in inputs.survey_datasets if d.get("items")]
    asked: dict[str, Counter] = {}
    for d in surveys:
        for item, spec in d["items"].items():
            asked.setdefault(item, Counter())[(spec["scale"], tuple(spec["codes"]))] += 1
    usual = {item: scales.most_common(1)[0][0] for item, scales in asked.items()}
    countries = inputs.all_rows.groupby("dataset")["country"].unique()
    for d in surveys:
        for item, spec in d["items"].items():
            found: list[dict] = []
            if (spec["scale"], tuple(spec["codes"])) != usual[item]:
                found.append({"kind": "scale", "scale": spec["scale"], "usual": usual[item][0]})
            if spec["note"]:
                found.append({"kind": "note", "note": dict(spec["note"])})
            rows += [
                {"country": c, "item": item} | f
                for c in countries.get(d["name"], [])
                for f in found
            ]
    surveyed = set(inputs.all_rows["country"])
    rows += [
        {"country": c, "item": None, "kind": "no_survey"}
        for c in COUNTRY_CODES
        if c not in surveyed
    ]
    table = pd.DataFrame(rows, columns=["country", "item", "kind", "scale", "usual", "note"])
    return table.sort_values(["country", "item"], ignore_index=True, kind="stable")
