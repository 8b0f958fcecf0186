"""Near-duplicate claims, found without comparing all pairs.

Near-duplicate claims are found without comparing all pairs. Texts (``text_latn``: lower-cased,
Uzbek and Kazakh in Latin; then punctuation and the declared stopwords and chain-message chatter
of resources/stopwords.yml removed) are cut into character 5-grams, and 128 MinHash values
estimate the Jaccard similarity of two texts' 5-gram sets. Locality-sensitive hashing (32 bands
of 4 values) puts texts that share a band into one bucket; within a bucket each text is compared
with the next one (so the work grows with the number of texts, not its square). Pairs whose
estimated similarity reaches :data:`NEAR_DUPLICATE_THRESHOLD` are linked, and linked groups
(single linkage) form a cluster. Identical texts always share a cluster. Texts shorter than
:data:`MIN_CLUSTER_CHARS` and texts without a near twin get no cluster (NA).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from milresearch.clean import scripts
from milresearch.clean.arrays import to_series
from milresearch.yamlfile import read_yaml

HERE = Path(__file__).resolve().parent

NEAR_DUPLICATE_THRESHOLD = 0.9
"""Estimated Jaccard similarity of two texts' character 5-gram sets at which they are linked.

Reposts that differ by chatter ("Срочно!", "#новости") or punctuation score 1.0, one changed
word in a 60-letter claim about 0.8: a claim re-told with another number is another claim.
"""
MIN_CLUSTER_CHARS = 20
"""Texts shorter than this (after normalisation) are not clustered."""
SHINGLE = 5
CLUSTER_DETAIL = (
    f"rows in clusters (estimated Jaccard of 5-gram sets >= {NEAR_DUPLICATE_THRESHOLD})"
)
BANDS, ROWS = 32, 4


# Language and Latin text.
def latin_text(texts: pd.Series, langs: pd.Series) -> pd.Series:
    """Lower-cased text, with Uzbek and Kazakh (either script) transliterated to Latin."""
    out = texts.astype(pd.StringDtype("pyarrow")).str.lower()
    for lang in ("uz", "kk"):
        rows = (langs == lang).fillna(False).to_numpy(bool)
        if rows.any():
            out[rows] = scripts.to_latin_lower(texts[rows], lang)
    return out


# Near-duplicate clusters.
@cache
def _stopwords() -> pa.Array:
    """The declared stopwords, normalised like the texts (Uzbek and Kazakh in Latin)."""
    raw = read_yaml(HERE / "stopwords.yml")
    words: set[str] = set()
    for lang, entries in raw.items():
        entries = pd.Series([str(e) for e in entries], dtype="string")
        if lang in ("uz", "kk"):
            entries = scripts.to_latin_lower(entries, lang)
        for entry in normalize_text(entries).dropna():
            words.update(entry.split())
    return pa.array(sorted(words), type=pa.string())


def normalize_text(texts: pd.Series) -> pd.Series:
    """Letters and digits only, lower-cased, single spaces: the form claims are compared in."""
    arr = pa.array(texts.astype("object").where(texts.notna(), None), type=pa.string())
    arr = pc.utf8_lower(pc.replace_substring_regex(arr, r"[^\pL\pN]+", " "))
    return to_series(pc.utf8_trim_whitespace(arr), texts.index)


def _cluster_keys(texts: pd.Series) -> pd.Series:
    """Normalised texts without stopwords, the input of the MinHash signatures."""
    normal = normalize_text(texts)
    words = pc.split_pattern(
        pa.array(normal.astype("object").where(normal.notna(), None), type=pa.string()), " "
    )
    flat = pc.list_flatten(words)
    parents = pc.list_parent_indices(words).to_numpy()
    keep = pc.invert(pc.is_in(flat, value_set=_stopwords())).to_numpy(zero_copy_only=False)
    counts = np.bincount(parents[keep], minlength=len(normal))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int64())
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, flat.filter(keep)), " ")
    return to_series(joined, texts.index).where(normal.notna())


_PRIME = np.uint64(0x100000001B3)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_HASH_SEED = 20250301


def minhash_signatures(docs: list[str], n_hashes: int = BANDS * ROWS) -> np.ndarray:
    """MinHash signatures (docs × n_hashes, uint32) of the character 5-gram sets of ``docs``.

    Every doc must have at least :data:`SHINGLE` characters. A 5-gram is hashed to 32 bits
    once, then permuted by ``n_hashes`` fixed xor-multiply functions, so signatures are the same
    in every run. Docs go in small blocks that fit the CPU cache.
    """
    rng = np.random.default_rng(_HASH_SEED)
    mult = rng.integers(1, 2**32, size=n_hashes, dtype=np.uint32) | np.uint32(1)
    xor = rng.integers(0, 2**32, size=n_hashes, dtype=np.uint32)
    out = np.empty((len(docs), n_hashes), dtype=np.uint32)
    step = 1000
    for start in range(0, len(docs), step):
        chunk = docs[start : start + step]
        lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32)
        n_grams = lengths - SHINGLE + 1
        firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        seg = np.concatenate([[0], np.cumsum(n_grams)[:-1]])
        pos = np.arange(n_grams.sum()) - np.repeat(seg - firsts, n_grams)
        grams = np.zeros(len(pos), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(SHINGLE):
                grams = grams * _PRIME + codes[pos + k]
            grams = ((grams * _GOLDEN) >> np.uint64(32)).astype(np.uint32)
            for j in range(n_hashes):
                out[start : start + len(chunk), j] = np.minimum.reduceat(
                    (grams ^ xor[j]) * mult[j], seg
                )
    return out


def _agreement(signatures: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values of each pair: the estimated Jaccard similarity."""
    out = np.empty(len(left))
    step = 500_000
    for start in range(0, len(left), step):
        a, b = left[start : start + step], right[start : start + step]
        out[start : start + step] = (signatures[a] == signatures[b]).mean(axis=1)
    return out


def cluster_near_duplicates(
    texts: pd.Series, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> pd.Series:
    """Cluster ids (``C000001`` ...) for groups of near-identical texts; NA for the rest.

    See the module docstring for the method. Ids are numbered in the order in which clusters
    first appear in ``texts``, so they are the same in every run.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keys = _cluster_keys(texts)
    keys = keys.where(keys.str.len() >= MIN_CLUSTER_CHARS)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    result = pd.Series(pd.NA, index=texts.index, dtype="string")
    if len(uniques) == 0:
        return result
    signatures = minhash_signatures(uniques.to_numpy().tolist())
    n = len(uniques)
    pairs = []
    for band in range(BANDS):
        block = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        with np.errstate(over="ignore"):
            bucket = block[:, 0]
            for k in range(1, ROWS):
                bucket = bucket * _PRIME + block[:, k]
        order = np.argsort(bucket, kind="stable")
        same = bucket[order[1:]] == bucket[order[:-1]]
        left, right = order[:-1][same], order[1:][same]
        pairs.append(np.minimum(left, right) * n + np.maximum(left, right))
    joined = np.sort(np.concatenate(pairs))
    joined = joined[np.concatenate([[True], joined[1:] != joined[:-1]])] if len(joined) else joined
    left, right = joined // n, joined % n
    similar = _agreement(signatures, left, right) >= threshold
    left, right = left[similar], right[similar]
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    rows = np.flatnonzero(codes >= 0)
    row_component = component[codes[rows]]
    sizes = np.bincount(row_component, minlength=n)
    clustered = rows[sizes[row_component] > 1]
    labels = pd.Series(component[codes[clustered]])
    numbers = pd.factorize(labels)[0] + 1  # in order of first appearance
    result.iloc[clustered] = [f"C{k:06d}" for k in numbers]
    return result
