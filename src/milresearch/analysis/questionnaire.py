"""The built-in MIL questionnaire: default declarations, not a limit.

A codebook variable says what it measures (``concept:``) and which answers count for its share
(``share:``, else its scale's). Where it says nothing, the built-in questionnaire's names give
the default: ``use_<channel>`` is media use, ``trust_<source>`` trust, ``mil_<item>`` MIL
skill, and so on (:func:`default_concept`). A report section shows every item of its concept
that a dataset has, under the item's codebook label.
"""

from functools import cache
from pathlib import Path
from typing import Any

from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""


CHANNELS = (
    "tv",
    "radio",
    "print",
    "news_sites",
    "telegram",
    "whatsapp",
    "instagram",
    "tiktok",
    "youtube",
    "facebook",
    "vk",
    "odnoklassniki",
)
SOURCES = (
    "state_media",
    "private_national_media",
    "russian_media",
    "western_media",
    "bloggers",
    "telegram_channels",
    "friends_family",
    "official_gov_sources",
)
MIL_ITEMS = ("search", "source", "crosscheck", "detect", "create", "share", "privacy")


ShareCodes = tuple[int, ...]

DEFAULT_CONCEPTS = {
    "trust_news_general": "trust",
    "concern_fake": "trust",
    "mil_training": "training",
    "fc_aware": "factcheck",
    "fc_use": "factcheck",
    "settlement": "demographic",
    "interview_lang": "demographic",
}
"""Built-in item names whose concept is not given by their prefix."""
DEFAULT_PREFIXES = {
    "use_": "media_use",
    "trust_": "trust",
    "mil_": "mil_skill",
    "fc_": "factcheck",
}


def default_concept(name: str, veracity: bool | None = None) -> str | None:
    """The concept the built-in questionnaire gives a variable name (None: no section)."""
    if veracity is not None:
        return "discernment"
    if name in DEFAULT_CONCEPTS:
        return DEFAULT_CONCEPTS[name]
    for prefix, concept in DEFAULT_PREFIXES.items():
        if name.startswith(prefix):
            return concept
    return None


@cache
def _declared() -> dict[str, dict]:
    return read_yaml(HERE / "scales.yml")


@cache
def scales() -> dict[str, dict[int, dict[str, str]]]:
    """The canonical answer scales: code to {language: label} (``scales.yml``)."""
    return {
        name: {code: labels for code, labels in spec.items() if isinstance(code, int)}
        for name, spec in _declared().items()
    }


@cache
def canonical_shares() -> dict[str, dict[str | None, ShareCodes]]:
    """Per canonical scale, the codes each declared share counts (None: the headline share)."""
    found: dict[str, dict[str | None, ShareCodes]] = {}
    for name, spec in _declared().items():
        named: dict[str | None, ShareCodes] = {}
        if "share" in spec:
            named[None] = tuple(spec["share"])
        named |= {key: tuple(codes) for key, codes in (spec.get("shares") or {}).items()}
        if named:
            found[name] = named
    return found


def share_codes(item: dict[str, Any] | None, which: str | None = None) -> ShareCodes | None:
    """The answer codes that count for an item's share, from the scale it was asked on.

    ``item`` is how the dataset asked it (its manifest entry: ``scale``, ``codes`` and, when its
    codebook declares them, ``share`` and ``shares``). A codebook's own declaration wins; else a
    scale with a canonical name and exactly the canonical codes uses the canonical declaration.
    Anything else has no share, so an item asked on an unfamiliar scale is left out rather
    than miscounted.

    Args:
        item: The item's manifest entry, or None when the survey does not have it.
        which: A named share (e.g. ``"monthly"``), or None for the headline share.
    """
    if not item or not item.get("scale"):
        return None
    if "share" in item or "shares" in item:
        declared: dict[str | None, Any] = {None: item.get("share")}
        declared |= dict(item.get("shares") or {})
        codes = declared.get(which)
        return tuple(codes) if codes else None
    scale = item["scale"]
    if sorted(item.get("codes") or []) != sorted(scales().get(scale, {})):
        return None
    return canonical_shares().get(scale, {}).get(which)


def answer_label(scale: str, code: int, lang: str) -> str:
    """The label of a canonical answer code in the report language (English, then the code)."""
    labels = scales().get(scale, {}).get(int(code), {})
    return labels.get(lang) or labels.get("en") or str(code)
