"""Language and script identification, offline (transliteration: see ``clean.scripts``).

Language ID is py3langid's naive Bayes model restricted to the region's languages, run on many
texts at once, behind a script-and-letter guard. The script comes from Unicode ranges; letters
that only some of the languages use narrow the candidates (Tajik ҷ ӣ ӯ, Uzbek ў, Kazakh ә ұ һ і,
Kyrgyz ң ө ү without any Kazakh, Uzbek or Tajik letter, Uzbek Latin oʻ gʻ, Turkmen ň ý ž ä ö ü ş
ç, Kazakh Latin ğ ı ŋ ū), and the model picks among the candidates that remain. When such letters
are rare in a text (a Kazakh name in a Russian sentence) Russian, or English for Latin script,
stays a candidate.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

LANGUAGES = ("ru", "kk", "ky", "uz", "tg", "tk", "en", "ur")
UNDETERMINED = ("und", "Zyyy")
MIN_LETTERS = 12
"""Texts with fewer letters are undetermined."""
MIN_CONFIDENCE = 0.5
"""Texts whose best candidate has a lower probability (among the candidates) are undetermined."""
RARE_LETTERS = 0.05
"""Below this share of a text's letters, language-specific letters do not rule out ru or en."""
MAX_BYTES = 1000
"""Language ID reads at most this many UTF-8 bytes of a text."""
_CHUNK = 20_000

# Letters of each script (their sum is the text's letter count).
_SCRIPTS = {
    "Cyrl": "[\u0400-\u0481\u048a-\u052f]",
    "Latn": "[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]",
    "Arab": "[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f"
    "\ufb50-\ufdff\ufe70-\ufefc]",
}
# Letter groups, counted in the texts of their script; the rules in _candidates read the counts.
_GROUPS = {
    "tg": "[ҷӣӯҶӢӮ]",
    "uz_cyrl": "[ўЎ]",
    "kk_only": "[әұһіӘҰҺІ]",
    "ky_kk": "[ңөүҢӨҮ]",
    "gq": "[ғқҒҚ]",
    "h": "[ҳҲ]",
    "uz_latn": "[oOgG][ʻʼ'‘’`]",
    "tk_only": "[ňýžŇÝŽ]",
    "kk_latn": "[ğıŋūĞŊŪ]",
    "tk_kk": "[äöüşçÄÖÜŞÇ]",
}
_GROUP_SCRIPT = {
    name: "Latn" if name in ("uz_latn", "tk_only", "kk_latn", "tk_kk") else "Cyrl"
    for name in _GROUPS
}
_CYRILLIC_LANGS = ("ru", "kk", "ky", "uz", "tg")
_LATIN_LANGS = ("uz", "tk", "en")


class _Model:
    """py3langid's model as arrays, so that many texts are scored in one pass."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(list(LANGUAGES))
        self.nextmove = np.asarray(ident.tk_nextmove, dtype=np.int64)
        self.rowbase = np.asarray(ident._rowbase, dtype=np.int64)
        self.output = np.asarray(ident.tk_output, dtype=np.int64)
        self.ptc = np.asarray(ident.nb_ptc, dtype=np.float32)
        self.pc = np.asarray(ident.nb_pc, dtype=np.float32)
        # The model may hold several columns per language (Uzbek in two scripts): sum them.
        self.columns = np.array([LANGUAGES.index(c) for c in ident.nb_classes])

    def log_scores(self, texts: list[str]) -> np.ndarray:
        """Log-scores of each of LANGUAGES, one row per text, scaled as py3langid does."""
        out = np.zeros((len(texts), len(LANGUAGES)), dtype=np.float64)
        for start in range(0, len(texts), _CHUNK):
            out[start : start + _CHUNK] = self._chunk(texts[start : start + _CHUNK])
        return out

    def _chunk(self, texts: list[str]) -> np.ndarray:
        from scipy import sparse

        encoded = [_encode(t) for t in texts]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        flat = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        # Walk the feature automaton over every text at once, longest texts first.
        order = np.argsort(-lengths, kind="stable")
        neg_len, order_start = -lengths[order], starts[order]
        state = np.zeros(len(texts), dtype=np.int64)
        docs, feats = [], []
        for pos in range(int(lengths.max(initial=0))):
            active = int(np.searchsorted(neg_len, -pos, side="left"))
            state[:active] = self.nextmove[
                self.rowbase[state[:active]] + flat[order_start[:active] + pos]
            ]
            found = self.output[state[:active]]
            hit = found >= 0
            docs.append(order[:active][hit])
            feats.append(found[hit])
        docs_all = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        feats_all = np.concatenate(feats) if feats else np.zeros(0, dtype=np.int64)
        counts = sparse.coo_matrix(
            (np.ones(len(docs_all), dtype=np.float32), (docs_all, feats_all)),
            shape=(len(texts), self.ptc.shape[0]),
        ).tocsr()
        counts.data = np.log1p(counts.data)
        scores = np.asarray(counts @ self.ptc) + self.pc
        scores[np.diff(counts.indptr) == 0] = 0.0  # no features: uniform, as py3langid does
        scores /= np.sqrt(np.maximum(lengths, 1))[:, None]
        merged = np.full((len(texts), len(LANGUAGES)), -np.inf)
        for column, lang in enumerate(self.columns):
            merged[:, lang] = np.logaddexp(merged[:, lang], scores[:, column])
        return merged


def _encode(text: str) -> bytes:
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")[:MAX_BYTES]


@cache
def _model() -> _Model:
    return _Model()


def _mask(langs: tuple[str, ...]) -> np.ndarray:
    return np.isin(np.array(LANGUAGES), langs)


def _candidates(n: dict[str, np.ndarray], script: np.ndarray, letters: np.ndarray) -> np.ndarray:
    """Boolean (texts × LANGUAGES): the languages a text's script and letters allow."""
    rows = len(script)
    out = np.zeros((rows, len(LANGUAGES)), dtype=bool)

    def allow(where: np.ndarray, langs: tuple[str, ...]) -> None:
        out[where] = _mask(langs)

    cyr, lat = script == "Cyrl", script == "Latn"
    special_cyr = n["tg"] + n["uz_cyrl"] + n["kk_only"] + n["ky_kk"] + n["gq"] + n["h"]
    # Rules from the most to the least specific; each applies where none before it did.
    rules_cyr = (
        (n["tg"] > 0, ("tg",)),
        (n["uz_cyrl"] > 0, ("uz",)),
        (n["kk_only"] > 0, ("kk",)),
        ((n["ky_kk"] > 0) & (n["gq"] == 0) & (n["h"] == 0), ("ky", "kk")),
        (n["h"] > 0, ("uz", "tg")),
        (n["gq"] > 0, ("kk", "uz", "tg")),
    )
    special_lat = n["uz_latn"] + n["tk_only"] + n["kk_latn"] + n["tk_kk"]
    rules_lat = (
        (n["uz_latn"] > 0, ("uz",)),
        (n["tk_only"] > 0, ("tk",)),
        (n["kk_latn"] > 0, ("kk",)),
        (n["tk_kk"] > 0, ("tk",)),
    )
    for in_script, rules, default, majority, special in (
        (cyr, rules_cyr, _CYRILLIC_LANGS, "ru", special_cyr),
        (lat, rules_lat, _LATIN_LANGS, "en", special_lat),
    ):
        left = in_script.copy()
        for condition, langs in rules:
            allow(left & condition, langs)
            left &= ~condition
        allow(left, default)
        rare = in_script & (special > 0) & (special < RARE_LETTERS * letters)
        out[rare, LANGUAGES.index(majority)] = True
    allow(script == "Arab", ("ur",))
    return out


def detect_languages(texts: pd.Series) -> pd.DataFrame:
    """``lang`` (ISO 639-1) and ``script`` (ISO 15924) of every text, ("und", "Zyyy") if unsure.

    Identical texts are identified once; everything else runs on arrays, so half a million
    short texts take seconds.
    """
    values = texts.astype("string")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.DataFrame(
            {
                "lang": pd.array(["und"] * len(texts), dtype="string"),
                "script": pd.array(["Zyyy"] * len(texts), dtype="string"),
            },
            index=texts.index,
        )
    unique = pd.Series(uniques, dtype="string")
    by_script = np.column_stack([unique.str.count(p).to_numpy() for p in _SCRIPTS.values()])
    letters = by_script.sum(axis=1)
    script = np.array(list(_SCRIPTS))[by_script.argmax(axis=1)]
    script[letters == 0] = "Zyyy"
    counts = {name: np.zeros(len(unique), dtype=np.int64) for name in _GROUPS}
    for name, pattern in _GROUPS.items():  # each group only where its script is
        rows = np.flatnonzero(script == _GROUP_SCRIPT[name])
        counts[name][rows] = unique.iloc[rows].str.count(pattern).to_numpy()
    allowed = _candidates(counts, script, letters)

    lang = np.full(len(unique), "und", dtype=object)
    confidence = np.zeros(len(unique))
    single = allowed.sum(axis=1) == 1
    lang[single] = np.array(LANGUAGES)[allowed[single].argmax(axis=1)]
    confidence[single] = 1.0
    ask = np.flatnonzero((allowed.sum(axis=1) > 1) & (letters >= MIN_LETTERS))
    if len(ask):
        scores = np.where(allowed[ask], _model().log_scores(unique.iloc[ask].tolist()), -np.inf)
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        best = probs.argmax(axis=1)
        lang[ask] = np.array(LANGUAGES)[best]
        confidence[ask] = probs.max(axis=1) / probs.sum(axis=1)
    unsure = (letters < MIN_LETTERS) | (script == "Zyyy") | (confidence < MIN_CONFIDENCE)
    lang[unsure] = "und"
    script[unsure] = "Zyyy"
    found = pd.DataFrame({"lang": lang, "script": script}).astype("string")
    undetermined = pd.DataFrame({"lang": ["und"], "script": ["Zyyy"]}).astype("string")
    found = pd.concat([found, undetermined], ignore_index=True)
    return found.iloc[np.where(codes < 0, len(unique), codes)].set_index(texts.index)


def detect_language(text: str) -> tuple[str, str]:
    """ISO 639-1 language and ISO 15924 script of one text, e.g. ("uz", "Latn").

    Returns ("und", "Zyyy") for empty, very short or unclear texts.
    """
    if not isinstance(text, str):
        return UNDETERMINED
    row = detect_languages(pd.Series([text])).iloc[0]
    return str(row["lang"]), str(row["script"])


def read_conllu_sentences(path: str | Path) -> list[str]:
    """The raw sentences (``# text = ...`` lines) of a CoNLL-U file."""
    sentences = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            if line.startswith("# text = "):
                sentences.append(line[len("# text = ") :].strip())
    return sentences


def language_accuracy(sentences: list[str], expected_lang: str) -> float:
    """Share of sentences identified as ``expected_lang`` (undetermined ones count as wrong)."""
    if not sentences:
        return float("nan")
    found = detect_languages(pd.Series(sentences, dtype="string"))["lang"]
    return float((found == expected_lang).mean())
