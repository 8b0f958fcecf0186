"""Names of items, groups and countries in the report language.

Analysis frames carry variable names and codes; these functions are where they become words.
An item with a message in the catalogue gets it; any other item gets its codebook label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

from milresearch.analysis.inputs import ReportInputs
from milresearch.analysis.questionnaire import answer_label
from milresearch.ingest.countries import load_countries
from milresearch.reports.i18n import catalogue, t
from milresearch.reports.numbers import Numbers

PREFIXES = {"use_": "channel.", "trust_": "source.", "mil_": "militem."}
"""Item-name prefix to the message prefix of the harmonised questionnaire's families."""
ITEM_MESSAGES = {
    "trust_news_general": "trust.general",
    "concern_fake": "trust.concern",
    "fc_aware": "fc.aware",
    "fc_use_all": "fc.use",
    "fc_use": "fc.use_frequency",
    "mil_training": "fc.trained",
    "mil_training_recent": "fc.recent_training",
    "discernment": "disc.score",
    "dprime": "disc.dprime",
    "criterion": "disc.criterion",
}
"""Items whose label is a message of their own."""


def _message(key: str, lang: str) -> str | None:
    return catalogue()[lang].get(key)


def item_label(item: str, lang: str, inputs: ReportInputs | None = None) -> str:
    """An item's label: its catalogue message, else its codebook label, else its name."""
    keys = [ITEM_MESSAGES.get(item, "")]
    keys += [msg + item[len(p) :] for p, msg in PREFIXES.items() if item.startswith(p)]
    for key in keys:
        found = _message(key, lang) if key else None
        if found:
            return found
    return inputs.variable_label(item, lang) if inputs is not None else item


def group_label(
    grouping: str,
    value: object,
    lang: str,
    inputs: ReportInputs | None = None,
    *,
    in_text: bool = False,
) -> str:
    """A group's label: age bands as they are, coded groups from their codebook's scale.

    Without a codebook label, the canonical answer scale of the same name gives it. ``in_text``:
    the label sits inside a sentence ("aged 16–24", "в возрасте 16–24"), not in a table.
    """
    if grouping == "all":
        return t("group.all", lang)
    if grouping == "country":
        return country_label(str(value), lang)
    if grouping == "age_group":
        # Age bands are ranges: an en dash, not the hyphen of the data ("16–24").
        key = "group.age_in_text" if in_text else "group.age"
        return t(key, lang, group=str(value).replace("-", "–"))
    found = inputs.answer_label(grouping, int(value), lang) if inputs is not None else None  # type: ignore[call-overload]
    return found or answer_label(grouping, int(value), lang)  # type: ignore[call-overload]


def grouping_label(grouping: str, lang: str, inputs: ReportInputs | None = None) -> str:
    """What a breakdown is by, in a caption ("by sex"): the codebook label, first letter small."""
    text = inputs.variable_label(grouping, lang) if inputs is not None else grouping
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def country_label(code: str, lang: str) -> str:
    """A country's name in the report language; the pooled estimate has its own."""
    if code == "POOLED":
        return t("regional.pooled", lang)
    return load_countries()[code].name(lang)


def interval_text(lo: float, hi: float, lang: str, scale: float = 100.0, digits: int = 1) -> str:
    """A confidence interval as "40.1–49.9" (Russian "40,1–49,9"), or words saying the design gives none.

    A design whose strata each hold one PSU leaves no degrees of freedom: R gives NaN bounds,
    and a report must say so rather than print "nan–nan".
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return t("ci.none", lang)
    return Numbers(lang).interval(lo, hi, digits, scale)


def estimate_text(row, lang: str) -> str:
    """A proportion with its interval: "45.0 (40.1–49.9)"; "suppressed" for a small base."""
    if row["suppressed"]:
        return t("table.suppressed", lang)
    share = Numbers(lang).points(row["proportion"])
    return f"{share} ({interval_text(row['ci_low'], row['ci_high'], lang)})"


def localised(text: str | Mapping[str, str] | None, lang: str) -> str:
    """A codebook text given once or per language: the report language's, else English's."""
    if isinstance(text, Mapping):
        return text.get(lang) or text.get("en") or next(iter(text.values()), "")
    return text or ""


def platform_label(platform: str, lang: str) -> str:
    """A content platform's name: ``platform.<code>``, else the survey channel's, else the code."""
    found = _message(f"platform.{platform}", lang) or _message(f"channel.{platform}", lang)
    return found or str(platform)


def mode_label(mode: str, lang: str) -> str:
    """An interview mode in words ("CAPI" → personal interviews on a tablet); else as written."""
    return _message(f"mode.{mode.strip().lower()}", lang) or mode


@cache
def _locale(lang: str):
    import babel

    return babel.Locale.parse(lang)


def language_label(tag: str, lang: str) -> str:
    """A language tag in words: "ru-Cyrl" → "русский (кириллица)", "und" → unknown.

    Language and script names come from CLDR through Babel, so every report language has them.
    """
    parts = [p for p in str(tag).replace(" · ", "-").split("-") if p]
    if not parts or parts[0] in ("und", "unknown", "other"):
        return t("language.unknown", lang)
    locale = _locale(lang)
    # A declared name wins over CLDR's where usage in the region differs (кыргызский).
    name = _message(f"language.{parts[0]}", lang) or locale.languages.get(parts[0], parts[0])
    if len(parts) > 1:
        script = locale.scripts.get(parts[1], parts[1])
        return f"{name} ({script.lower() if lang == 'ru' else script})"
    return name
