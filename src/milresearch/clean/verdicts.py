"""Fact-check verdicts: raw labels in any language read to one canonical scale.

The labels are declared in verdicts.yml beside this module. A compound label ("false and
misleading") takes its least true part; a known prefix ("Вердикт:") and unknown qualifiers in
parentheses are dropped and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.ingest.countries import normalize_name
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent

VERDICTS = ("false", "misleading", "mixed", "unproven", "satire", "true")
"""Canonical verdicts from least to most true; a compound label takes its least true part."""
_SPLIT = re.compile(r"\s+(?:и|and|және|жана|va|ва|ham|we|اور)\s+|\s*[/,;+&]\s*")
_PREFIX = re.compile(r"^(?P<prefix>[^:()\[\]]{1,40}?)\s*:\s*(?P<rest>.+)$")
_PARENTHETICAL = re.compile(r"[(\[]([^()\[\]]*)(?:[)\]]|$)")
_TRIM = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class VerdictParse:
    """How a raw fact-check label was read (see :func:`parse_verdict`)."""

    verdict: str
    """A canonical verdict (:data:`VERDICTS`) or ``other``."""
    head: str | None
    """The normalised head label (after any prefix, without parentheticals); None when empty."""
    qualifiers: tuple[str, ...] = ()
    """Normalised parentheticals and joined parts that are not known verdicts, in order.

    When ``verdict`` is not ``other`` these were dropped to reach it.
    """
    prefix: str | None = None
    """The normalised verdict prefix that was dropped ("вердикт" of "Вердикт: фейк")."""


@cache
def _verdict_data() -> tuple[dict[str, str], frozenset[str]]:
    raw = read_yaml(HERE / "verdicts.yml")
    prefixes = frozenset(_norm(p) for p in raw.pop("prefixes", None) or ())
    unknown = set(raw) - set(VERDICTS)
    if unknown:  # e.g. an unquoted false: key, which YAML reads as a boolean
        raise ValueError(f"verdicts.yml: unknown verdict(s) {unknown}; use {VERDICTS}")
    table: dict[str, str] = {}
    for verdict, labels in raw.items():
        for label in labels:
            key = _norm(label)
            if table.setdefault(key, verdict) != verdict:
                raise ValueError(
                    f"verdicts.yml: {label!r} is listed as {table[key]} and as {verdict}"
                )
    return table, prefixes


def _verdict_table() -> dict[str, str]:
    return _verdict_data()[0]


def _verdict_prefixes() -> frozenset[str]:
    return _verdict_data()[1]


def _norm(label: object) -> str:
    return _TRIM.sub("", normalize_name(str(label)).replace("ё", "е"))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _single_verdict(label: str) -> str | None:
    table = _verdict_table()
    if label in table:
        return table[label]
    if len(label) >= 5:
        close = {
            v for known, v in table.items() if len(known) >= 5 and _within_one_edit(label, known)
        }
        if len(close) == 1:
            return close.pop()
    return None


def _split_parts(text: str) -> list[str]:
    return [p for p in (_norm(x) for x in _SPLIT.split(text)) if p]


def parse_verdict(raw: object) -> VerdictParse:
    """Read a raw fact-check label: its canonical verdict, head and dropped qualifiers.

    A label listed (or within one edit of a listed label) in verdicts.yml is that verdict.
    Otherwise, in order: a leading ``<prefix>:`` is dropped when the prefix is declared
    (verdicts.yml ``prefixes``: "Вердикт: фейк", "Үкім: жалған"); parentheticals become
    qualifiers of the label ("правда (с неточностями)"); the rest is split into parts on
    и / and / және / va / ... and on / , ; + & (the first part is the head). The head must be a
    known verdict, or the result is ``other``. A parenthetical that reads as a listed label with
    the head ("Правда (частично)": "частично правда") is that label. All known parts and
    qualifiers count and the least true wins (:data:`VERDICTS` order). Unknown parts and
    parentheticals are qualifiers: a known head keeps its verdict and the qualifiers are
    returned (and logged as ``verdict_qualifier``), so "фейк и техническая ошибка" is false.
    An unknown head is ``other``, whatever its qualifiers: a label is never guessed.
    """
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return VerdictParse("other", None)
    label = _norm(raw)
    if not label:
        return VerdictParse("other", None)
    found = _single_verdict(label)
    if found is not None:
        return VerdictParse(found, label)

    prefix = None
    rest = normalize_name(str(raw))
    match = _PREFIX.match(rest)
    if match and _norm(match["prefix"]) in _verdict_prefixes():
        prefix, rest = _norm(match["prefix"]), match["rest"]
        found = _single_verdict(_norm(rest))
        if found is not None:
            return VerdictParse(found, _norm(rest), prefix=prefix)

    bracketed = [q for inner in _PARENTHETICAL.findall(rest) for q in _split_parts(inner)]
    parts = _split_parts(_PARENTHETICAL.sub(" ", rest))
    if not parts:
        return VerdictParse("other", None, tuple(bracketed), prefix)
    head = parts[0]
    joined = [(p, _single_verdict(p)) for p in parts]
    qualified = [(q, _single_verdict(q)) for q in bracketed]
    table = _verdict_table()
    for i, (q, v) in enumerate(qualified):  # "Правда (частично)" reads as "частично правда"
        phrase = next((x for x in (f"{q} {head}", f"{head} {q}") if x in table), None)
        if v is None and phrase is not None:
            qualified[i] = (q, table[phrase])
    unknown = tuple(p for p, v in (*joined[1:], *qualified) if v is None)
    known = [v for _, v in (*joined, *qualified) if v is not None]
    if joined[0][1] is None:
        return VerdictParse("other", head, unknown, prefix)
    # A known head keeps its verdict; what could not be read is recorded, not guessed at.
    return VerdictParse(min(known, key=VERDICTS.index), head, unknown, prefix)


def normalize_verdict(raw: str) -> str:
    """Canonical verdict of a raw fact-check label in any of the region's languages.

    Returns one of false, misleading, mixed, true, unproven, satire, or ``other`` when the
    declared mapping (verdicts.yml) does not know the label. A compound label whose parts are all
    known takes its least true part (false < misleading < mixed < unproven < satire < true), so
    "правда и манипуляция" is misleading. Prefixes, parentheticals and qualifiers are read as
    :func:`parse_verdict` describes.
    """
    return parse_verdict(raw).verdict
