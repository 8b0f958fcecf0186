"""Uzbek and Kazakh between Cyrillic and Latin, offline, with each alphabet's context rules.

Uzbek follows the 1995 Latin alphabet, Kazakh the 2021 Latin alphabet. Claims are compared in
Latin (:func:`to_latin_lower`), so one text written in two scripts is one text.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

# Transliteration. Uzbek follows the 1995 Latin alphabet, Kazakh the 2021 Latin alphabet.
_UZ_TO_LATN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ц": "s",
    "ч": "ch",
    "ш": "sh",
    "ъ": "ʼ",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ў": "oʻ",
    "қ": "q",
    "ғ": "gʻ",
    "ҳ": "h",
}
_KK_TO_LATN = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ŋ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "ş",
    "щ": "şş",
    "ъ": "",
    "ы": "y",
    "і": "ı",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_TO_LATN = {"uz": _UZ_TO_LATN, "kk": _KK_TO_LATN}
# Capitals where Python's str.upper() is wrong for Kazakh: и/й are İ, і is I.
_KK_UPPER = {"и": "İ", "й": "İ", "ё": "İo", "ю": "İu", "я": "İa", "і": "I"}
_UZ_VOWELS_CYRL = "аеёиоуэюяўъь"
_UZ_VOWELS_LATN = "aeiou"
# Context rules of the 1995 Uzbek alphabet: е is "ye" at the start of a word and after a vowel;
# ц is "ts" after a vowel and "s" elsewhere; сҳ is "sʼh" so that it is not read as ш.
_UZ_TO_CYRL = {
    "yoʻ": "йў",
    "sʼh": "сҳ",
    "oʻ": "ў",
    "gʻ": "ғ",
    "sh": "ш",
    "ch": "ч",
    "yo": "ё",
    "yu": "ю",
    "ya": "я",
    "ye": "е",
    "a": "а",
    "b": "б",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "ҳ",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "x": "х",
    "y": "й",
    "z": "з",
    "ʼ": "ъ",
}
_KK_TO_CYRL = {
    "ch": "ч",
    "iu": "ю",
    "ia": "я",
    "a": "а",
    "ä": "ә",
    "b": "б",
    "v": "в",
    "g": "г",
    "ğ": "ғ",
    "d": "д",
    "e": "е",
    "j": "ж",
    "z": "з",
    "i": "и",
    "k": "к",
    "q": "қ",
    "l": "л",
    "m": "м",
    "n": "н",
    "ŋ": "ң",
    "o": "о",
    "ö": "ө",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "ū": "ұ",
    "ü": "ү",
    "f": "ф",
    "h": "х",
    "ş": "ш",
    "y": "ы",
    "ı": "і",
}
_KK_VOWELS_LATN = "aäeoöuūüyıi"
_TO_CYRL = {"uz": _UZ_TO_CYRL, "kk": _KK_TO_CYRL}
# The same rules for lower-case text, without look-arounds (RE2). The е rule runs twice, for "ее"
# (the second time the first е is already the Latin e of "ye").
_UZ_VOWEL_OR_EDGE = rf"(^|[^\pL]|[{_UZ_VOWELS_CYRL}e])"
_UZ_LATIN_RE2 = (
    ("([og])[ʻʼ'‘’`´]", "\\1ʻ"),
    ("(\\pL)['’`´](\\pL)", "\\1ʼ\\2"),
    (f"{_UZ_VOWEL_OR_EDGE}е", "\\1ye"),
    (f"{_UZ_VOWEL_OR_EDGE}е", "\\1ye"),
    (f"([{_UZ_VOWELS_CYRL}])ц", "\\1ts"),
    ("сҳ", "sʼҳ"),
)
_UZ_APOSTROPHE_OG = re.compile(r"(?<=[oOgG])[ʻʼ'‘’`´]")
_UZ_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’`´](?=[^\W\d_])")


def unify_uzbek_apostrophes(text: str) -> str:
    """Uzbek Latin with one spelling of oʻ and gʻ (U+02BB) and of the tutuq belgisi (U+02BC)."""
    return _UZ_APOSTROPHE.sub("ʼ", _UZ_APOSTROPHE_OG.sub("ʻ", text))


@cache
def _tokenizer(lang: str) -> re.Pattern:
    keys = sorted(_TO_CYRL[lang], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


def _upper(latin: str, whole_word_upper: bool, lang: str, cyr: str) -> str:
    if lang == "kk" and cyr in _KK_UPPER:
        latin = _KK_UPPER[cyr]
        return latin.upper().replace("İ", "İ") if whole_word_upper else latin
    return latin.upper() if whole_word_upper else latin[:1].upper() + latin[1:]


def _cyrl_to_latn(text: str, lang: str) -> str:
    table = _TO_LATN[lang]
    out = []
    for i, char in enumerate(text):
        low = char.lower()
        latin = table.get(low)
        if latin is None:
            out.append(char)
            continue
        if lang == "uz":
            latin = _uz_context(text, i, low, latin)
        if char != low:
            neighbours = text[max(i - 1, 0) : i] + text[i + 1 : i + 2]
            caps = any(c.isupper() for c in neighbours)
            latin = _upper(latin, caps, lang, low)
        out.append(latin)
    return "".join(out)


def _uz_context(text: str, i: int, low: str, latin: str) -> str:
    prev = text[i - 1].lower() if i > 0 else ""
    if low == "е" and (not prev.isalpha() or prev in _UZ_VOWELS_CYRL):
        return "ye"
    if low == "ц" and prev and prev in _UZ_VOWELS_CYRL:
        return "ts"
    if low == "с" and text[i + 1 : i + 2].lower() == "ҳ":
        return "sʼ"
    return latin


def _latn_to_cyrl(text: str, lang: str) -> str:
    table = _TO_CYRL[lang]
    if lang == "kk":  # Kazakh capitals: İ is и, I is і
        lower = text.replace("İ", "i").replace("I", "ı").lower()
    else:
        lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    out, end = [], 0
    for match in _tokenizer(lang).finditer(lower):
        if match.start() < end:  # the s of a ts already written as ц
            continue
        out.append(text[end : match.start()])
        start, end = match.span()
        key, prev = match.group(), lower[start - 1] if start else ""
        cyr = table[key]
        if lang == "uz" and key == "e" and (not prev.isalpha() or prev in _UZ_VOWELS_LATN):
            cyr = "э"  # an Uzbek e at the start of a word or after a vowel is э
        elif lang == "uz" and key == "t" and _UZ_TS.match(lower, start):
            cyr = "ц"  # -tsiya, -tsion in loanwords
            end += 1
        elif lang == "kk" and key == "i" and prev and prev in _KK_VOWELS_LATN:
            cyr = "й"  # a Kazakh i after a vowel is й
        out.append(_match_case(text[start:end], cyr))
    out.append(text[end:])
    return "".join(out)


_UZ_TS = re.compile(rf"(?<=[{_UZ_VOWELS_LATN}])ts(?=i(?:ya|o))")


def _match_case(source: str, target: str) -> str:
    letters = [c for c in source if c.isalpha()]
    if not letters or not letters[0].isupper():
        return target
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return target.upper()
    return target[:1].upper() + target[1:]


def transliterate(text: str, lang: str, to: str) -> str:
    """Convert Uzbek (``uz``) or Kazakh (``kk``) text to ``Latn`` or ``Cyrl``.

    Uzbek follows the official 1995 Latin alphabet (oʻ gʻ sh ch; е as "ye" at the start of a
    word and after vowels; ц as "ts" after vowels, else "s"), Kazakh the 2021 Latin alphabet
    (ä ğ ı ŋ ö ş ū ü; и and й are both i, х and һ both h, so the way back picks й after a vowel
    and х). Uzbek Latin apostrophes are unified first (ʻ ’ ‘ ` ' → ʻ after o and g). Letters of
    the other script pass through unchanged.

    Raises:
        ValueError: For another language or script.
    """
    if lang not in _TO_LATN or to not in ("Latn", "Cyrl"):
        raise ValueError(
            f"transliterate supports uz and kk to Latn or Cyrl, not {lang!r} to {to!r}"
        )
    if lang == "uz":
        text = unify_uzbek_apostrophes(text)
    return _cyrl_to_latn(text, lang) if to == "Latn" else _latn_to_cyrl(text, lang)


@cache
def _lower_table(lang: str) -> dict[int, str]:
    return {ord(c): latin for c, latin in _TO_LATN[lang].items()}


def to_latin_lower(texts: pd.Series, lang: str) -> pd.Series:
    """Lower-cased Latin of many Uzbek or Kazakh texts at once (Cyrillic or already Latin).

    The same as ``transliterate(t, lang, "Latn")`` lower-cased (Kazakh I as ı), in vectorised
    string operations (pyarrow's RE2).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.utf8_lower(pa.array(texts.astype("object").where(texts.notna(), None), pa.string()))
    if lang == "uz":
        for pattern, replacement in _UZ_LATIN_RE2:
            arr = pc.replace_substring_regex(arr, pattern, replacement)
    out = arr.to_pandas().set_axis(texts.index).astype(pd.StringDtype("pyarrow"))
    return out.str.translate(_lower_table(lang))
