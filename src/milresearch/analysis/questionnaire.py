"""Item names of the harmonised MIL questionnaire that reports and the sample generator share.

A codebook maps a vendor's columns to these names (``use_<channel>``, ``trust_<source>``,
``mil_<item>``); a report section shows whichever of them a dataset has.
"""

from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""


CHANNELS = (
    "tv", "radio", "print", "news_sites", "telegram", "whatsapp", "instagram",
    "tiktok", "youtube", "facebook", "vk", "odnoklassniki",
)  # fmt: skip
SOURCES = (
    "state_media", "private_national_media", "russian_media", "western_media",
    "bloggers", "telegram_channels", "friends_family", "official_gov_sources",
)  # fmt: skip
MIL_ITEMS = ("search", "source", "crosscheck", "detect", "create", "share", "privacy")


@cache
def scales() -> dict[str, dict[int, dict[str, str]]]:
    """The canonical answer scales and their labels (``resources/scales.yml``)."""
    return yaml.safe_load((HERE / "scales.yml").read_text(encoding="utf-8"))


def answer_label(scale: str, code: int, lang: str) -> str:
    """The label of a canonical answer code in the report language (English, then the code)."""
    labels = scales().get(scale, {}).get(int(code), {})
    return labels.get(lang) or labels.get("en") or str(code)
