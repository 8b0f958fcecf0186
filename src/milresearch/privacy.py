"""Scrubbing personal data from free text before it reaches data/processed or a report."""

from __future__ import annotations

import re

import pandas as pd

# Order matters: URLs with handles go before bare @handles, e-mails before handles.
_PATTERNS = (
    (
        "[handle]",
        re.compile(
            r"(?:https?://)?(?:www\.|m\.)?(?:t\.me|telegram\.me|instagram\.com|facebook\.com|"
            r"fb\.com|vk\.com|ok\.ru|tiktok\.com|x\.com|twitter\.com)/@?[A-Za-z0-9_.]{3,}/?",
            re.IGNORECASE,
        ),
    ),
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")),
    (
        "[phone]",
        re.compile(
            # International: +7, +996, +992, +993, +998, +92 and the digits that follow.
            r"\+(?:7|9\d{1,2})[\s\-()]*\d(?:[\s\-()]*\d){6,11}"
            # Local: 8 (701) 123-45-67 (ex-USSR trunk prefix) or 03xx-xxxxxxx (Pakistan mobile).
            r"|\b8[\s\-(]+\d{3}[\s\-)]+\d{3}[\s\-]?\d{2}[\s\-]?\d{2}\b"
            r"|\b03\d{2}[\s\-]?\d{7}\b"
        ),
    ),
    ("[handle]", re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{3,}")),
)


def scrub_text(text: str) -> str:
    """Replace e-mail addresses, phone numbers and personal handles with placeholders."""
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def scrub_series(values: pd.Series) -> tuple[pd.Series, int]:
    """Scrub a text column; returns the scrubbed column and how many values changed."""
    text = values.astype("string")
    scrubbed = text
    for placeholder, pattern in _PATTERNS:
        scrubbed = scrubbed.str.replace(pattern, placeholder, regex=True)
    changed = int((scrubbed != text).fillna(False).sum())
    return scrubbed, changed
