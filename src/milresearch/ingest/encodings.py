"""Which encoding a text file is in, chosen by a test that knows the region's scripts.

Single-byte encodings decode almost any bytes, so "it decodes" proves nothing: cp1251 read as
koi8-r gives "пРИВЕТ", Russian read as cp1252 gives "Ïðèâåò", French read as cp1251 gives
"cafй". Each candidate's text is scored by how many of its non-ASCII words look like words of
a real script (one script per word, letters in a plausible case pattern, few symbols), and a
file is read only when one candidate clearly wins.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from milresearch.errors import DataError

CANDIDATES = ("cp1251", "koi8-r", "cp866", "cp1252")
"""Non-UTF-8 encodings Central Asian and international vendors' exports come in."""

MIN_SCORE = 0.9
"""The share of non-ASCII words that must look right for an encoding to be trusted."""
MIN_LEAD = 0.1
"""How far the best candidate must be ahead of the next for the choice to be sure."""

# A word: a run of letters and non-ASCII characters; ASCII spaces, digits and punctuation
# (delimiters included) end it, while a mojibake symbol such as "¤" stays inside and shows.
_TOKEN = re.compile(r"[^\x00-\x40\x5b-\x60\x7b-\x7f]+")
_SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class Guess:
    """An encoding and its plausibility score (share of non-ASCII words that look right)."""

    encoding: str
    score: float


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def _word_score(word: str) -> float:
    """1 for a word that looks like a real word, 0.5 for a doubtful one, 0 for mojibake."""
    letters = [c for c in word if c.isalpha()]
    odd = [c for c in word if ord(c) > 127 and not c.isalpha() and c not in "«»–—‘’“”„…№°"]
    if not letters or odd:
        return 0.0
    if len({_script(c) for c in letters}) > 1:
        return 0.0  # "cafй": Latin and Cyrillic in one word
    # Lower case followed by upper case inside a word ("пРИВЕТ") is koi8/cp1251 swapped.
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(letters)):
        return 0.0
    accented = sum(ord(c) > 127 for c in letters)
    if _script(letters[0]) == "LATIN" and len(letters) >= 3 and accented * 2 > len(letters):
        return 0.0  # "Ïðèâåò": a Cyrillic word read as Latin-1
    return 1.0


# The most frequent Cyrillic letters of Russian, Kazakh, Kyrgyz and Tajik text: about four in
# five letters of real text, about half of a single-byte encoding misread as another.
_COMMON_CYRILLIC = set("оеаинтсрвлкмдпуыяб")
_COMMON_SHARE = 0.75
_MIN_LETTERS = 20


def score(text: str) -> float:
    """How much of a text's non-ASCII part looks like real words, from 0 to 1 (1 if none).

    The share of non-ASCII words that look like words, lowered where the Cyrillic letters are
    not the frequent ones (which tells ALL-CAPS text from its mojibake).
    """
    words = [w for w in _TOKEN.findall(text) if not w.isascii()]
    if not words:
        return 1.0
    share = sum(_word_score(w) for w in words) / len(words)
    cyrillic = [c for w in words for c in w.lower() if "а" <= c <= "я" or c == "ё"]
    if len(cyrillic) >= _MIN_LETTERS:
        common = sum(c in _COMMON_CYRILLIC for c in cyrillic) / len(cyrillic)
        share *= min(1.0, common / _COMMON_SHARE)
    return share


def guesses(data: bytes) -> list[Guess]:
    """Every candidate encoding that decodes ``data``, best first."""
    sample = data[:_SAMPLE_BYTES]
    found, texts = [], set()
    for encoding in CANDIDATES:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text not in texts:  # two encodings that read the same text are one choice
            texts.add(text)
            found.append(Guess(encoding, round(score(text), 3)))
    return sorted(found, key=lambda g: -g.score)


def detect_encoding(data: bytes, declared: str = "auto") -> str:
    """Name the encoding of text bytes.

    UTF-8 (with or without BOM) is taken when the bytes are valid UTF-8. Otherwise a candidate
    is chosen only when its text looks right and clearly better than the others'. A declared
    encoding other than ``auto`` is trusted but verified.

    Raises:
        DataError: When the declared encoding does not decode the bytes, or when no candidate,
            or more than one, reads the file plausibly (the message names those that fit).
    """
    if declared and declared != "auto":
        try:
            data.decode(declared)
        except UnicodeDecodeError as exc:
            raise DataError(
                f"the file is not valid {declared} (byte {exc.start})",
                hint="set dataset.encoding to auto, or to the encoding the file really has",
            ) from None
        return declared
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    ranked = guesses(data)
    listed = ", ".join(f"{g.encoding} ({g.score:.0%} of words look right)" for g in ranked[:3])
    if not ranked or ranked[0].score < MIN_SCORE:
        raise DataError(
            "the encoding cannot be recognised: the file is not UTF-8, and no candidate reads it"
            f" as real text ({listed or 'none decodes it'})",
            hint="save the file as UTF-8, or set dataset.encoding in the codebook",
        )
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MIN_LEAD:
        raise DataError(
            f"the encoding is ambiguous: {listed}",
            hint=f"set dataset.encoding in the codebook (e.g. encoding: {ranked[0].encoding}),"
            " or save the file as UTF-8",
        )
    return ranked[0].encoding
