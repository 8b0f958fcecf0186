"""Change between survey waves: design-based, tested, and only where it is like for like.

For each item a report shows as a share (daily use, trust, agreement) and each group, the
latest wave is compared with the one before it. The two waves are independent samples: they
are stacked into one design whose strata and PSUs are nested in the wave, and the difference of
the two wave domains is :func:`milresearch.analysis.contrasts.domain_differences`. That is R's
``svydesign(strata = ~interaction(wave, stratum))``, ``svyby(~y, ~wave, ...)`` and
``svycontrast`` (``tests/fixtures/stats/reference.R``): the SE is the root of the two waves'
variances, and the t test uses the stacked design's degrees of freedom (the PSUs with a valid
answer, less their strata, in both waves).

A comparison across a change of interview mode, of wording or of answer scale is not tested:
it is flagged ``not_comparable`` with the reason. Within each grouping (everyone, age group,
...) p-values are also Holm-adjusted, and a change is said to be ``changed`` only when the
adjusted p-value is below :data:`ALPHA`; a reader scanning thirty items would otherwise find one
or two "changes" by chance.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.analysis.country import groupings, item_share
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.inputs import ReportInputs, Wave
from milresearch.analysis.questionnaire import share_codes
from milresearch.yamlfile import read_yaml

ALPHA = 0.05
"""Significance level of a change, after the Holm adjustment within a grouping."""
CONCEPTS = ("media_use", "trust", "mil_skill", "factcheck")
"""Concepts whose shares are compared between waves, in report order."""
ALL = "all"
"""The grouping (and group) of estimates over every respondent."""
VERDICTS = ("changed", "within_noise", "not_comparable", "suppressed")
"""What the change table says of each item: tested and significant, tested and not, not tested
because the waves differ in mode, wording or scale (or one did not ask it), or too few answers."""
REASONS = ("mode", "wording", "scale", "not_asked")
"""Why a comparison is not comparable, in the order they are checked."""
MODES_FILE = Path(__file__).with_name("modes.yml")

TESTED_COLUMNS = [
    "estimate_earlier",
    "estimate_latest",
    "n_earlier",
    "n_latest",
    "difference",
    "se",
    "df",
    "ci_low",
    "ci_high",
    "p_value",
]
"""Columns of the ``changes`` frame that the test of each comparable item fills."""
CHANGE_COLUMNS = [
    "item",
    "concept",
    "grouping",
    "group",
    "earlier",
    "latest",
    *TESTED_COLUMNS,
    "p_holm",
    "verdict",
    "reason",
    "reason_earlier",
    "reason_latest",
]
"""Columns of the ``changes`` frame: one row per item and group."""


@functools.cache
def _mode_groups() -> dict[str, str]:
    table: dict[str, str] = {}
    for group, names in read_yaml(MODES_FILE).items():
        for name in names:
            table[_plain(name)] = group
    return table


def _plain(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).casefold()


def mode_group(mode: str) -> str:
    """The declared group of an interview mode (``phone`` for CATI), or its own plain name."""
    parts = {_mode_groups().get(_plain(m), _plain(m)) for m in str(mode).split("/") if m.strip()}
    return "+".join(sorted(parts))


def break_reason(
    earlier: dict | None, latest: dict | None, modes: tuple[str, str]
) -> tuple[str, str, str] | None:
    """Why two waves' answers to one item are not like for like, or None when they are.

    Args:
        earlier: How the earlier wave asked the item (its manifest entry), None if it did not.
        latest: The same for the latest wave.
        modes: The two waves' interview modes.

    Returns:
        (reason, what the earlier wave had, what the latest had), reason one of :data:`REASONS`.
    """
    if earlier is None or latest is None:
        return ("not_asked", "" if earlier is None else "asked", "" if latest is None else "asked")
    if all(modes) and mode_group(modes[0]) != mode_group(modes[1]):
        return ("mode", modes[0], modes[1])
    wordings = (earlier.get("wording"), latest.get("wording"))
    if all(wordings) and wordings[0] != wordings[1]:
        return ("wording", str(wordings[0]), str(wordings[1]))
    questions = (earlier.get("question") or {}, latest.get("question") or {})
    for lang in sorted(set(questions[0]) & set(questions[1])):
        if _plain(questions[0][lang]) != _plain(questions[1][lang]):
            return ("wording", questions[0][lang], questions[1][lang])
    shares = (share_codes(earlier), share_codes(latest))
    codes = (sorted(earlier.get("codes") or []), sorted(latest.get("codes") or []))
    if shares[0] != shares[1] or codes[0] != codes[1]:
        return ("scale", str(earlier.get("scale") or ""), str(latest.get("scale") or ""))
    return None


def _holm(p: pd.Series) -> pd.Series:
    """Holm's step-down adjustment (R ``p.adjust(method = "holm")``); NaN stays NaN."""
    valid = p.dropna().sort_values()
    m = len(valid)
    steps = np.maximum.accumulate((m - np.arange(m)) * valid.to_numpy()) if m else np.array([])
    adjusted = pd.Series(np.minimum(steps, 1.0), index=valid.index)
    return adjusted.reindex(p.index)


def holm(p: pd.Series) -> pd.Series:
    """Holm-adjusted p-values, as R's ``p.adjust(p, "holm")``."""
    return _holm(pd.Series(p, dtype="float64"))


def _compared_items(inputs: ReportInputs, waves: tuple[Wave, Wave]) -> dict[str, str]:
    """Item to concept, for the items either wave asked, in codebook order."""
    found: dict[str, str] = {}
    for wave in (waves[1], waves[0]):
        for dataset in inputs.wave_datasets:
            if dataset["name"] not in wave.datasets:
                continue
            for name, spec in dataset.get("items", {}).items():
                if spec.get("concept") in CONCEPTS and name not in found:
                    found[name] = spec["concept"]
    return found


def _asked(inputs: ReportInputs, data: pd.DataFrame, item: str, wave: Wave) -> dict | None:
    """The item's declaration in the wave, if the wave asked it and someone answered."""
    spec = inputs.wave_item(item, wave.id)
    if spec is None or item not in data:
        return None
    # A mask and one column, not the wave's rows of every column: this runs per item and wave.
    answered = data[item].notna().to_numpy() & (data["wave"] == wave.id).to_numpy()
    return spec if answered.any() else None


def change(inputs: ReportInputs, min_n: int, by_group: bool = True) -> dict[str, pd.DataFrame]:
    """The country's change since its previous wave, and every wave's estimates.

    Args:
        inputs: One country's report inputs.
        min_n: Smallest unweighted base an estimate is shown on.
        by_group: Also each group of every grouping (else everyone only).

    Returns:
        ``waves`` (id, fieldwork, mode, respondents, earliest first), ``estimates`` (each
        compared item's share per wave and group, with its interval) and ``changes``
        (:data:`CHANGE_COLUMNS`). All empty for a country with one wave.
    """
    waves = tuple(inputs.waves.get(inputs.country, ()))
    history = inputs.history if inputs.history is not None else pd.DataFrame()
    listed = pd.DataFrame(
        [
            {
                "wave": w.id,
                "start": w.start,
                "end": w.end,
                "mode": w.mode,
                "n": int((history["wave"] == w.id).sum()) if len(history) else 0,
            }
            for w in waves
        ],
        columns=["wave", "start", "end", "mode", "n"],
    )
    empty = {
        "waves": listed,
        "estimates": pd.DataFrame(),
        "changes": pd.DataFrame(columns=CHANGE_COLUMNS),
    }
    if len(waves) < 2 or history.empty:
        return empty
    pair = (waves[-2], waves[-1])
    data = history[history["wave"].isin([w.id for w in waves])]
    design = SurveyDesign.nested(data, min_n, ["country", "wave"])
    rows, pairs, estimates = [], [], []
    for item, concept in _compared_items(inputs, pair).items():
        specs = tuple(_asked(inputs, data, item, w) for w in pair)
        reason = break_reason(specs[0], specs[1], (pair[0].mode, pair[1].mode))
        codes = item_share(inputs, item) or share_codes(specs[0] or specs[1]) or ()
        if not codes:
            continue
        hit = f"_hit_{item}"
        design = design.assign(**{hit: design.hits(item, codes)}) if item in data else design
        for grouping, group in _groups(inputs, design.data) if by_group else [(ALL, ALL)]:
            base = {
                "item": item,
                "concept": concept,
                "grouping": grouping,
                "group": group,
                "earlier": pair[0].id,
                "latest": pair[1].id,
            }
            if reason is not None:
                rows.append(
                    base
                    | {
                        "verdict": "not_comparable",
                        "reason": reason[0],
                        "reason_earlier": reason[1],
                        "reason_latest": reason[2],
                    }
                )
            else:
                rows.append(base)
                pairs.append((hit, f"{pair[1].id}|{group}", f"{pair[0].id}|{group}", grouping))
        if item in data:
            estimates.append(_wave_estimates(design, item, hit, concept, inputs, waves))
    tested = _test(design, pairs)
    changes = _merge(rows, tested)
    return {
        "waves": listed,
        "estimates": pd.concat(estimates, ignore_index=True) if estimates else pd.DataFrame(),
        "changes": changes,
    }


def _groups(inputs: ReportInputs, data: pd.DataFrame) -> list[tuple[str, str]]:
    found = [(ALL, ALL)]
    for grouping in groupings(inputs):
        if grouping in data and data[grouping].notna().any():
            values = sorted(data[grouping].dropna().unique(), key=str)
            found += [(grouping, str(v)) for v in values]
    return found


def _domain_key(data: pd.DataFrame, grouping: str) -> pd.Series:
    group = pd.Series(ALL, index=data.index) if grouping == ALL else data[grouping].astype(str)
    return (data["wave"].astype(str) + "|" + group).where(group.notna() & (group != "<NA>"))


def _test(design: SurveyDesign, pairs: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    parts = []
    for grouping in dict.fromkeys(p[3] for p in pairs):
        mine = [p[:3] for p in pairs if p[3] == grouping]
        keyed = design.assign(_domain=_domain_key(design.data, grouping))
        found = keyed.differences(mine, by="_domain")
        parts.append(found.assign(grouping=grouping))
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def _merge(rows: list[dict], tested: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    if len(tested):
        tested = tested.assign(
            item=tested["column"].str.removeprefix("_hit_"),
            group=tested["first"].str.split("|", n=1).str[1],
            estimate_latest=tested["estimate_first"],
            estimate_earlier=tested["estimate_second"],
            n_latest=tested["n_first"],
            n_earlier=tested["n_second"],
        )
        keys = ["item", "grouping", "group"]
        out = out.drop(columns=TESTED_COLUMNS).merge(
            tested[[*keys, *TESTED_COLUMNS, "suppressed"]], on=keys, how="left"
        )
        out["p_holm"] = out.groupby("grouping")["p_value"].transform(holm)
        out["verdict"] = out["verdict"].astype(object)  # all NaN (float) when all were tested
        is_tested = out["verdict"].isna()
        out.loc[is_tested, "verdict"] = np.where(
            out.loc[is_tested, "suppressed"].fillna(False).astype(bool),
            "suppressed",
            np.where(out.loc[is_tested, "p_holm"] < ALPHA, "changed", "within_noise"),
        )
        out = out.drop(columns="suppressed")
    return out[CHANGE_COLUMNS].reset_index(drop=True)


def _wave_estimates(
    design: SurveyDesign, item: str, hit: str, concept: str, inputs: ReportInputs, waves
) -> pd.DataFrame:
    est = design.proportions(hit, by="wave")
    est = est[est["category"] == 1].drop(columns="category")
    est = est.assign(item=item, concept=concept)
    asked = {w.id for w in waves if _asked(inputs, design.data, item, w) is not None}
    est = est[est["wave"].isin(asked)]
    order = {w.id: k for k, w in enumerate(waves)}
    return est.sort_values("wave", key=lambda s: s.map(order)).reset_index(drop=True)


def country_inputs(inputs: ReportInputs, country: str) -> ReportInputs:
    """One country's part of the regional inputs, as its own report would read them."""
    mine = inputs.survey[inputs.survey["country"] == country].reset_index(drop=True)
    history = inputs.history if inputs.history is not None else pd.DataFrame()
    names = set(mine["dataset"])
    return dataclasses.replace(
        inputs,
        country=country,
        survey=mine,
        history=history[history["country"] == country].reset_index(drop=True),
        datasets=tuple(d for d in inputs.datasets if d["name"] in names),
    )


def regional_change(inputs: ReportInputs, min_n: int) -> dict[str, pd.DataFrame]:
    """Every country's change since its previous wave, among all respondents, side by side.

    Returns:
        ``changes`` (:data:`CHANGE_COLUMNS` with ``country`` first) for the countries with two
        or more waves, and ``waves``: each country's waves (``country``, ``wave``, ``n``, ...).
    """
    changes, waves = [], []
    for country in sorted(inputs.waves):
        found = change(country_inputs(inputs, country), min_n, by_group=False)
        waves.append(found["waves"].assign(country=country))
        if len(found["changes"]):
            changes.append(found["changes"].assign(country=country))
    columns = ["country", *CHANGE_COLUMNS]
    return {
        "changes": pd.concat(changes, ignore_index=True)[columns]
        if changes
        else pd.DataFrame(columns=columns),
        "waves": pd.concat(waves, ignore_index=True) if waves else pd.DataFrame(),
    }
