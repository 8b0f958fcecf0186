"""Quality checks of survey interviews: speeders, straight-liners and near-duplicates.

Each check returns one flag per respondent. The near-duplicate check is calibrated to the
delivery: it runs only where agreement between two honest respondents cannot reach its
threshold by chance (:func:`flag_near_duplicates`), so a short battery on a coarse scale
does not flag people who merely answer alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

_CHUNK = 2048
_BIG_BLOCK = 200
_CELLS = 20_000_000


def flag_speeders(duration: pd.Series, country: pd.Series, share: float) -> pd.Series:
    """True where the interview took less than ``share`` of its country's median duration."""
    median = duration.groupby(country).transform("median")
    return (duration < share * median).fillna(False).astype(bool)


def flag_straightliners(
    data: pd.DataFrame, batteries: list[list[str]], min_items: int
) -> pd.Series:
    """True where every valid answer in any battery is identical (with enough valid items)."""
    flag = pd.Series(False, index=data.index)
    for items in batteries:
        if not items:
            continue
        # Column by column, never a copy of the battery; fmax/fmin skip NaN, and a row with
        # no valid answer stays NaN, which is never "flat".
        high = low = np.full(len(data), np.nan)
        valid = np.zeros(len(data), dtype=np.int32)
        for item in items:
            answers = data[item].to_numpy("float64", na_value=np.nan)
            high, low = np.fmax(high, answers), np.fmin(low, answers)
            valid += ~np.isnan(answers)
        flag |= (high == low) & (valid >= min_items)
    return flag


def near_duplicate_share(data: pd.DataFrame, items: list[str], block: list[str]) -> pd.Series:
    """For each respondent, the highest share of identical answers with another respondent.

    Respondents are compared within blocks (e.g. country and interviewer). Small blocks are
    compared pair by pair in vectorised batches; a block larger than ``_BIG_BLOCK`` uses a
    one-hot matrix product in row chunks. A missing answer matches only another missing answer.
    """
    best = _best_matches(_item_codes(data, items), _blocks(data, block))
    return pd.Series(best / max(len(items), 1), index=data.index)


def _item_codes(data: pd.DataFrame, items: list[str]) -> np.ndarray:
    """Small integer codes per item (missing is its own code), which make equality tests cheap.

    Built column by column, so that no float copy of the whole battery is ever made.
    """
    codes = np.empty((len(data), len(items)), dtype=np.int32, order="F")
    for j, item in enumerate(items):
        codes[:, j] = _answer_codes(data[item])
    return codes


def _best_matches(codes: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Most identical answers each row shares with another row of its block."""
    best = np.zeros(len(codes))
    by_size: dict[int, list[np.ndarray]] = {}
    for idx in groups:
        if len(idx) > _BIG_BLOCK:
            best[idx] = _block_matches(codes[idx])
        elif len(idx) > 1:
            by_size.setdefault(len(idx), []).append(idx)
    if by_size:
        bits = _one_hot_bits(codes)
        for members in by_size.values():
            best[np.concatenate(members)] = _pair_matches(
                bits, np.stack(members), codes.shape[1]
            ).ravel()
    return best


def _answer_codes(values: pd.Series) -> np.ndarray:
    """Small integer codes of one item, missing as its own code (0 for a short integer scale)."""
    if pd.api.types.is_integer_dtype(values) and values.notna().any():
        low, high = int(values.min()), int(values.max())
        if high - low < 64:  # a short scale is its own code table: ~4x faster than factorize
            numbers = values.to_numpy(dtype=np.int32, na_value=low - 1)
            return numbers - np.int32(low - 1)  # missing becomes 0
    return pd.factorize(values, use_na_sentinel=False)[0].astype(np.int32)


def _one_hot_bits(codes: np.ndarray) -> np.ndarray:
    """Answers as one-hot bits in uint64 words, shape (words, rows).

    Two rows share ``sum(popcount(a & b))`` answers. An item straddles words only if it has
    more than 64 codes.
    """
    widths = codes.max(axis=0, initial=0) + 1
    starts, used = [], 0
    for width in widths:
        if used % 64 and used % 64 + width > 64:
            used += 64 - used % 64
        starts.append(used)
        used += int(width)
    bits = np.zeros((max(1, -(-used // 64)), len(codes)), dtype=np.uint64)
    one = np.uint64(1)
    for j, start in enumerate(starts):
        position = codes[:, j] + start
        for word in range(start // 64, (start + int(widths[j]) - 1) // 64 + 1):
            if widths[j] > 64:
                inside = position // 64 == word
                bits[word] |= np.where(inside, one << (position % 64).astype(np.uint64), 0)
            else:
                bits[word] |= one << (position % 64).astype(np.uint64)
    return bits


def _pair_matches(bits: np.ndarray, blocks: np.ndarray, items: int) -> np.ndarray:
    """Most answers each row shares with another row of its block; ``blocks`` is (k, size)."""
    size = blocks.shape[1]
    count = np.uint8 if items < 2**8 else np.uint16 if items < 2**16 else np.uint32
    best = np.zeros(blocks.shape)
    batch = max(1, _CELLS // (size * size))
    diagonal = np.arange(size)
    for start in range(0, len(blocks), batch):
        chunk = blocks[start : start + batch]
        # Every pair of a batch of blocks at once, one word at a time: (blocks, size, size).
        matches = np.zeros((len(chunk), size, size), dtype=count)
        for word in bits:
            answers = word[chunk]
            matches += np.bitwise_count(answers[:, :, None] & answers[:, None, :])
        matches[:, diagonal, diagonal] = 0
        best[start : start + batch] = matches.max(axis=2)
    return best


def _block_matches(codes: np.ndarray) -> np.ndarray:
    """Most identical answers each row shares with another row of one large block."""
    widths = codes.max(axis=0) + 1
    offsets = np.concatenate([[0], np.cumsum(widths)[:-1]])
    onehot = np.zeros((len(codes), int(widths.sum())), dtype=np.float32)
    onehot[np.arange(len(codes))[:, None], codes + offsets] = 1.0
    best = np.zeros(len(codes))
    for start in range(0, len(codes), _CHUNK):
        matches = onehot[start : start + _CHUNK] @ onehot.T
        rows = np.arange(matches.shape[0])
        matches[rows, start + rows] = -1
        best[start : start + _CHUNK] = matches.max(axis=1)
    return best


_PAIRS = 20_000
"""Random pairs drawn to measure how alike two respondents of a delivery answer by chance."""


@dataclass(frozen=True)
class NearDuplicates:
    """The near-duplicate check of one delivery, and how its threshold was set."""

    share: pd.Series
    """Each respondent's highest share of identical answers with another respondent."""
    flag: pd.Series
    threshold: float | None
    """Share at or above which a respondent is flagged; None: the check could not discriminate."""
    items: int
    chance: float
    """Mean share of identical answers between two random respondents of the same block."""
    expected: float
    """Respondents expected at or above the threshold by chance alone (at full agreement when
    the check was skipped)."""

    def describe(self) -> str:
        """The calibration in words, for the cleaning log and the report's method section."""
        basis = f"{self.items} items, chance agreement {self.chance:.2f}"
        if self.threshold is None:
            return (
                f"not run: {basis}; {self.expected:.1f} respondents would agree on every item"
                " with someone by chance, so agreement cannot tell a copy from a look-alike"
            )
        return f"threshold {self.threshold:.2f} ({basis}; {self.expected:.2f} expected by chance)"


def _blocks(data: pd.DataFrame, block: list[str]) -> list[np.ndarray]:
    if not block:
        return [np.arange(len(data))]
    key = np.zeros(len(data), dtype=np.int64)
    for column in block:
        codes_, uniques = pd.factorize(data[column], use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes_
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]])
    return np.split(order, starts[1:])


def _chance_agreement(
    codes: np.ndarray, groups: list[np.ndarray], floor: float
) -> tuple[float, float]:
    """Mean and intra-pair correlation of identical answers between random same-block pairs.

    Items answered alike are correlated (a person who never reads papers rarely listens to
    radio), so the count of agreements is over-dispersed; its beta-binomial correlation is
    estimated by moments from the same pairs.
    """
    sizes = np.array([len(g) for g in groups], dtype=np.float64)
    pairs = sizes * (sizes - 1)
    if pairs.sum() == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(0)
    which = rng.choice(len(groups), size=_PAIRS, p=pairs / pairs.sum())
    first = rng.random(_PAIRS)
    second = rng.random(_PAIRS)
    a = np.empty(_PAIRS, dtype=np.int64)
    b = np.empty(_PAIRS, dtype=np.int64)
    for g in np.unique(which):
        at = which == g
        n = len(groups[g])
        i = (first[at] * n).astype(np.int64)
        j = (second[at] * (n - 1)).astype(np.int64)
        j = j + (j >= i)  # a different respondent of the same block
        a[at], b[at] = groups[g][i], groups[g][j]
    k = codes.shape[1]
    agree = (codes[a] == codes[b]).sum(axis=1).astype(np.float64)
    # Pairs already at the floor are the candidates under test: they must not set the chance
    # they are tested against (in a small delivery one copied pair would swamp the variance).
    agree = agree[agree < floor * k - 1e-9] if (agree < floor * k - 1e-9).any() else agree
    p = agree.mean() / k
    binomial = k * p * (1 - p)
    rho = 0.0
    if binomial > 0 and k > 1:
        rho = max(0.0, (agree.var() / binomial - 1) / (k - 1))
    return float(p), float(rho)


def _tail(m: int, k: int, p: float, rho: float) -> float:
    """Chance that two respondents agree on at least ``m`` of ``k`` items.

    Binomial when pairs agree independently item by item (``rho`` 0), else beta-binomial with
    intra-pair correlation ``rho``. Summed from log-gamma terms rather than taken from
    scipy.stats, whose import alone costs a cleaning run a second (``k`` is the number of
    items, so the sum is short).
    """
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    if rho <= 0:
        terms = [
            _log_choose(k, j) + j * math.log(p) + (k - j) * math.log1p(-p)
            for j in range(max(m, 0), k + 1)
        ]
    else:
        scale = 1 / rho - 1
        a, b = p * scale, (1 - p) * scale
        terms = [
            _log_choose(k, j) + _log_beta(j + a, k - j + b) - _log_beta(a, b)
            for j in range(max(m, 0), k + 1)
        ]
    return min(1.0, math.fsum(math.exp(t) for t in terms))


def _log_choose(n: int, j: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)


def _log_beta(x: float, y: float) -> float:
    return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)


def flag_near_duplicates(
    data: pd.DataFrame, items: list[str], block: list[str], floor: float, chance: float
) -> NearDuplicates:
    """Flag respondents whose answers copy another's beyond what chance allows.

    The threshold is the smallest share of identical answers, at least ``floor``, that fewer
    than ``chance`` respondents of the delivery would reach with someone by chance, given how
    alike random pairs of the same block answer. Where even agreement on every item is that
    likely (few items, few answer options, a big block), the check is not run.

    Args:
        data: Respondents.
        items: The answers compared.
        block: Columns within which respondents are compared (e.g. country and interviewer).
        floor: The lowest threshold ever used (a share of the items).
        chance: Respondents the delivery may have flagged by chance alone.
    """
    k = len(items)
    # The codes and blocks are made once, for the shares and for the chance they are tested against.
    codes, groups = _item_codes(data, items), _blocks(data, block)
    share = pd.Series(_best_matches(codes, groups) / max(k, 1), index=data.index)
    p, rho = _chance_agreement(codes, groups, floor) if k and len(data) > 1 else (0.0, 0.0)
    ordered = float(sum(len(g) * (len(g) - 1) for g in groups))
    threshold, expected = None, ordered * _tail(k, k, p, rho) if k else 0.0
    for m in range(max(1, math.ceil(floor * k - 1e-9)), k + 1):
        found = ordered * _tail(m, k, p, rho)
        if found <= chance:
            threshold, expected = m / k, found
            break
    flag = (
        share >= threshold - 1e-9 if threshold is not None else pd.Series(False, index=data.index)
    )
    return NearDuplicates(share, flag.astype(bool), threshold, k, p, expected)
