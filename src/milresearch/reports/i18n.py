"""The report message catalogue: every visible report string, in English and Russian."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from milresearch.errors import DataError
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent
"""Declared data (YAML) lives beside the code that reads it."""

MESSAGES_FILE = HERE / "messages.yml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages by language, then key."""
    return read_yaml(MESSAGES_FILE)


def languages() -> list[str]:
    """Languages the catalogue covers."""
    return list(catalogue())


def check_language(lang: str) -> str:
    """Return ``lang`` if the catalogue covers it, else raise a clear error."""
    if lang not in catalogue():
        raise DataError(
            f"no messages for language {lang!r}",
            where="--lang",
            hint=f"use one of {', '.join(languages())}, or add it to {MESSAGES_FILE}",
        )
    return lang


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang`` with placeholders filled.

    Raises:
        KeyError: When the key is missing in that language (tests keep catalogues complete).
    """
    text = catalogue()[check_language(lang)][key]
    return text.format(**values) if values else text
