"""Scrubbing personal data from free text before it reaches data/processed, a log or a report.

The identifiers are declared in ``privacy.yml`` beside this module, one pattern per format and
country: e-mail addresses in any script, phone numbers of the six countries with or without
'+', messenger links and handles, Kazakh IIN/BIN, Uzbek PINFL, Pakistani CNIC, passport
numbers, card numbers (Luhn-checked) and IBANs (mod-97-checked). Each becomes a placeholder
such as ``[phone]``; years, dates, percentages, prices and postal codes stay. Digits of other
scripts (Eastern Arabic, Persian, full-width) are first written as ASCII digits, so that
``٠٣٠٠١٢٣٤٥٦٧`` is caught like ``03001234567``.

The patterns avoid look-arounds, so that pandas runs them in pyarrow's RE2 over the whole
column at once; only checksums and links to social-media profiles, which must tell a profile
from a post, use Python's ``re``, and only on the rows that may hold one.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.yamlfile import read_yaml

PATTERNS_FILE = Path(__file__).with_name("privacy.yml")

# Eastern Arabic, Persian/Urdu and full-width digits, and full-width '+' and '@'.
_DIGITS = str.maketrans(
    {
        **{0x0660 + i: str(i) for i in range(10)},
        **{0x06F0 + i: str(i) for i in range(10)},
        **{0xFF10 + i: str(i) for i in range(10)},
        0xFF0B: "+",
        0xFF20: "@",
    }
)
_OTHER_DIGITS = "[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19\uff0b\uff20]"


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _iban(text: str) -> bool:
    code = text.replace(" ", "")
    moved = code[4:] + code[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


CHECKS: dict[str, Callable[[str], bool]] = {
    "luhn": lambda m: _luhn(re.sub(r"[^0-9]", "", m)),
    "iban": _iban,
}
"""Checksums a declared pattern may require of a match (by name)."""


@dataclass(frozen=True)
class Pattern:
    """One declared identifier format."""

    name: str
    countries: tuple[str, ...]
    regex: str
    replacement: str
    check: str | None = None
    needs: str = "."
    """A cheap pattern a text must contain for this one to be tried (RE2)."""

    @property
    def compiled(self) -> re.Pattern:
        r"""The pattern for Python's ``re`` (checked patterns only: they avoid ``\p{..}``)."""
        return re.compile(self.regex)


def _count_groups(regex: str) -> int:
    r"""Capturing groups of an RE2 pattern (Python's ``re`` cannot parse ``\p{L}``)."""
    count, escaped, in_class = 0, False, False
    for i, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(" and not regex.startswith("?", i + 1):
            count += 1
    return count


@cache
def load_patterns(path: Path = PATTERNS_FILE) -> tuple[Pattern, ...]:
    """The declared patterns, macros expanded, each with its replacement (groups put back)."""
    raw = read_yaml(path)
    macros = raw["macros"]
    patterns = []
    for spec in raw["patterns"]:
        regex = spec["regex"]
        for name, value in macros.items():
            regex = regex.replace("{" + name + "}", value)
        groups = _count_groups(regex)
        lead = "\\1" if regex.startswith("(^|") else ""
        trail = f"\\{groups}" if re.search(r"\(\$\|[^()]*\)$", regex) else ""
        replacement = spec.get("replacement") or lead + spec["placeholder"] + trail
        countries = spec["countries"]
        patterns.append(
            Pattern(
                spec["name"],
                tuple(countries) if isinstance(countries, list) else (countries,),
                regex,
                replacement,
                spec.get("check"),
                raw["needs"].get(spec["name"], "."),
            )
        )
    return tuple(patterns)


_SITES = (
    r"t\.me|telegram\.me|instagram\.com|facebook\.com|fb\.com|vk\.com|ok\.ru|tiktok\.com|x\.com|"
    r"twitter\.com|wa\.me"
)
# Path segments that name a post, a page of the site or a public group rather than a person.
_NOT_A_PERSON = (
    "p|reel|reels|tv|explore|stories|posts|post|watch|video|videos|share|sharer|sharer.php|"
    "hashtag|i|intent|search|home|groups|group|wall|events|pages|status|story.php|permalink.php|"
    "music|tag|discover|feed|login|help|about|policies|legal|privacy|settings|joinchat|addstickers"
)
_PROFILE_URL = re.compile(
    rf"(?:https?://)?(?:www\.|m\.|mobile\.)?(?:{_SITES})/"
    r"(?:profile\.php\?id=[0-9]+|profile/[0-9]+|@[A-Za-z0-9_.]+|s/[A-Za-z0-9_]{3,}|"
    rf"(?!(?:{_NOT_A_PERSON})(?:[/?#]|$))[A-Za-z0-9_.]{{3,}})[^\s<>\"')]*",
    re.IGNORECASE,
)
_MENTIONS_SITE = rf"(?i)(?:{_SITES})/"


def _apply(text: pd.Series, pattern: Pattern) -> pd.Series:
    if pattern.check is None:
        # Twice: a match may take the one character that starts the next identifier.
        once = text.str.replace(pattern.regex, pattern.replacement, regex=True)
        if pattern.regex.endswith("$|[^0-9])"):  # the {right} macro
            return once.str.replace(pattern.regex, pattern.replacement, regex=True)
        return once
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "has match groups": only a yes/no is wanted
        rows = text.str.contains(pattern.regex, regex=True).fillna(False).to_numpy(bool)
    if not rows.any():
        return text
    check, compiled = CHECKS[pattern.check], pattern.compiled
    lead = pattern.replacement.startswith("\\1")
    placeholder = re.sub(r"\\[0-9]+", "", pattern.replacement)

    def replace(m: re.Match) -> str:
        head = m.group(1) if lead else ""
        tail = m.group(compiled.groups) if compiled.groups > int(lead) else ""
        core = m.group(0)[len(head) : len(m.group(0)) - len(tail)]
        return head + placeholder + tail if check(core) else m.group(0)

    out = text.copy()
    out[rows] = [compiled.sub(replace, compiled.sub(replace, v)) for v in text[rows]]
    return out


def scrub_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Scrub a text column; returns the scrubbed column and which values held personal data."""
    text = values.astype(pd.StringDtype("pyarrow"))
    codes, uniques = pd.factorize(text)
    if len(uniques) < len(text) // 2:
        # Repeated texts (forwarded posts, copied answers) are scrubbed once.
        scrubbed, changed = _scrub_unique(pd.Series(uniques, dtype=text.dtype))
        taken = codes >= 0
        out = pd.Series(pd.NA, index=text.index, dtype=text.dtype)
        out[taken] = scrubbed.to_numpy()[codes[taken]]
        flags = pd.Series(False, index=text.index)
        flags[taken] = changed.to_numpy()[codes[taken]]
        return out, flags
    return _scrub_unique(text)


def _scrub_unique(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    other = text.str.contains(_OTHER_DIGITS, regex=True).fillna(False).to_numpy(bool)
    if other.any():
        text = text.copy()
        text[other] = [v.translate(_DIGITS) for v in text[other]]
    scrubbed = text
    sites = scrubbed.str.contains(_MENTIONS_SITE, regex=True).fillna(False).to_numpy(bool)
    if sites.any():
        scrubbed = scrubbed.copy()
        scrubbed[sites] = scrubbed[sites].str.replace(_PROFILE_URL, "[handle]", regex=True)
    masks: dict[str, np.ndarray] = {}
    for pattern in load_patterns():
        # Most patterns need digits or an '@': rows without them are not searched.
        if pattern.needs not in masks:
            masks[pattern.needs] = (
                scrubbed.str.contains(pattern.needs, regex=True).fillna(False).to_numpy(bool)
            )
        rows = masks[pattern.needs]
        if rows.all():
            scrubbed = _apply(scrubbed, pattern)
        elif rows.any():
            scrubbed = scrubbed.copy()
            scrubbed[rows] = _apply(scrubbed[rows], pattern)
    # Digits written in ASCII are not personal data: only a placeholder counts as a change.
    return scrubbed, (scrubbed != text).fillna(False).astype(bool)


def scrub_text(text: str) -> str:
    """Replace the declared personal identifiers in one text with placeholders."""
    return str(scrub_series(pd.Series([text]))[0].iloc[0])
