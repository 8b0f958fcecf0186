"""Language and script identification, and Uzbek and Kazakh transliteration, offline.

Language ID is py3langid restricted to the region's languages, with a script-and-letter guard:
letters that only one of the Turkic languages (or Tajik) uses overrule the statistical model,
which confuses them on short texts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

LANGUAGES = ("ru", "kk", "ky", "uz", "tg", "tk", "en", "ur")
UNDETERMINED = ("und", "Zyyy")
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.6

# Letters that settle the language when present (checked in this order).
_LETTER_GUARDS = (
    ("tg", re.compile(r"[ҷӣӯ]", re.IGNORECASE)),
    ("kk", re.compile(r"[әіұһ]", re.IGNORECASE)),
    ("uz", re.compile(r"[ў]|[oOgG][ʻ'‘’`]", re.IGNORECASE)),
    ("tk", re.compile(r"[äňşýž]", re.IGNORECASE)),
)
_KY_ONLY = re.compile(r"[ңөү]", re.IGNORECASE)
_KK_OR_TG_OR_UZ = re.compile(r"[әғқіұһҷӣӯў]", re.IGNORECASE)


@cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=list(LANGUAGES))


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script among letters: Cyrl, Latn, Arab or Zyyy."""
    counts = {"Cyrl": 0, "Latn": 0, "Arab": 0}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script, word in (("Cyrl", "CYRILLIC"), ("Latn", "LATIN"), ("Arab", "ARABIC")):
            if name.startswith(word):
                counts[script] += 1
                break
    best = max(counts, key=counts.get)
    return best if counts[best] else "Zyyy"


def detect_language(text: str) -> tuple[str, str]:
    """ISO 639-1 language and ISO 15924 script of a text, e.g. ("uz", "Latn").

    Returns ("und", "Zyyy") for empty, very short or unclear texts.
    """
    if not isinstance(text, str):
        return UNDETERMINED
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return UNDETERMINED
    script = detect_script(text)
    for lang, pattern in _LETTER_GUARDS:
        if pattern.search(text):
            if lang == "uz" and script == "Arab":
                break
            return lang, script
    lang, confidence = _identifier().classify(text)
    if lang == "kk" and _KY_ONLY.search(text) and not _KK_OR_TG_OR_UZ.search(text):
        lang = "ky"  # ң ө ү without any Kazakh-only letter
    if script == "Arab":
        lang = "ur"
    elif lang == "ur":
        return UNDETERMINED
    if confidence < MIN_CONFIDENCE:
        return UNDETERMINED
    return lang, script


def detect_languages(texts: pd.Series) -> pd.DataFrame:
    """``lang`` and ``script`` for every text; identical texts are identified once."""
    uniques = texts.dropna().unique()
    found = {t: detect_language(t) for t in uniques}
    pairs = texts.map(found)
    pairs = pairs.where(pairs.notna(), pd.Series([UNDETERMINED] * len(texts), index=texts.index))
    return pd.DataFrame(pairs.tolist(), index=texts.index, columns=["lang", "script"])


# Uzbek: the 1995 Latin alphabet. Multi-letter sequences come first.
_UZ_CYRL_TO_LATN = {
    "ё": "yo", "ю": "yu", "я": "ya", "ц": "ts", "ч": "ch", "ш": "sh", "ў": "oʻ", "ғ": "gʻ",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "x", "қ": "q", "ҳ": "h", "ъ": "ʼ", "ь": "", "э": "e",
}  # fmt: skip
_UZ_LATN_TO_CYRL = [
    ("oʻ", "ў"), ("gʻ", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"),
    ("ye", "е"), ("ts", "ц"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "ҳ"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"), ("z", "з"), ("ʼ", "ъ"),
]  # fmt: skip
# Kazakh: the 2021 Latin alphabet. и/й and х/һ share a Latin letter, so Latin-to-Cyrillic
# chooses и and х.
_KK_CYRL_TO_LATN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ŋ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_KK_LATN_TO_CYRL = [
    ("ch", "ч"), ("ts", "ц"), ("iu", "ю"), ("ia", "я"), ("a", "а"), ("ä", "ә"), ("b", "б"),
    ("v", "в"), ("g", "г"), ("ğ", "ғ"), ("d", "д"), ("e", "е"), ("j", "ж"), ("z", "з"),
    ("i", "и"), ("k", "к"), ("q", "қ"), ("l", "л"), ("m", "м"), ("n", "н"), ("ŋ", "ң"),
    ("o", "о"), ("ö", "ө"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("ū", "ұ"), ("ü", "ү"), ("f", "ф"), ("h", "х"), ("ş", "ш"), ("y", "ы"), ("ı", "і"),
]  # fmt: skip
_APOSTROPHES = re.compile(r"(?<=[oOgG])[ʻ'‘’`ʼ]")
_WORD_INITIAL_E = re.compile(r"(?<![\w])е", re.IGNORECASE)


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def _cyrl_to_latn(text: str, table: dict[str, str], lang: str) -> str:
    out = []
    for i, char in enumerate(text):
        low = char.lower()
        if low not in table:
            out.append(char)
            continue
        latin = table[low]
        # Uzbek writes a word-initial е as "ye".
        if lang == "uz" and low == "е" and (i == 0 or not text[i - 1].isalpha()):
            latin = "ye"
        if char.isupper():
            following = text[i + 1 : i + 2]
            latin = latin.upper() if following.isupper() and len(latin) > 1 else latin.capitalize()
        out.append(latin)
    return "".join(out)


def _latn_to_cyrl(text: str, table: list[tuple[str, str]], lang: str) -> str:
    out = []
    i = 0
    while i < len(text):
        for latin, cyr in table:
            chunk = text[i : i + len(latin)]
            if chunk.lower() == latin:
                word_start = i == 0 or not text[i - 1].isalpha()
                if lang == "uz" and latin == "e" and word_start:
                    cyr = "э"  # a word-initial Uzbek e is э
                out.append(_match_case(chunk, cyr))
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def transliterate(text: str, lang: str, to: str) -> str:
    """Convert Uzbek (``uz``) or Kazakh (``kk``) text to ``Latn`` or ``Cyrl``.

    Text already in the target script passes through unchanged.
    """
    if lang not in ("uz", "kk") or to not in ("Latn", "Cyrl"):
        raise ValueError(
            f"transliterate supports uz and kk to Latn or Cyrl, not {lang!r} to {to!r}"
        )
    if lang == "uz":
        text = _APOSTROPHES.sub("ʻ", text)
    if to == "Latn":
        table = _UZ_CYRL_TO_LATN if lang == "uz" else _KK_CYRL_TO_LATN
        return _cyrl_to_latn(text, table, lang)
    table = _UZ_LATN_TO_CYRL if lang == "uz" else _KK_LATN_TO_CYRL
    return _latn_to_cyrl(text, table, lang)


def read_conllu_sentences(path: str | Path) -> list[str]:
    """The raw sentences (``# text = ...`` lines) of a CoNLL-U file."""
    sentences = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            if line.startswith("# text = "):
                sentences.append(line[len("# text = ") :].strip())
    return sentences


def language_accuracy(sentences: list[str], expected: str) -> float:
    """Share of sentences identified as ``expected`` (undetermined ones count as wrong)."""
    if not sentences:
        return float("nan")
    return sum(detect_language(s)[0] == expected for s in sentences) / len(sentences)
