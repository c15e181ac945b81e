"""N-gram baselines on the same split and vocabulary as the model, in bits per token.

* unigram: add-one (Laplace) smoothed token frequencies;
* bigram and trigram: interpolated Kneser-Ney (Chen & Goodman 1998), discount 0.75,
  lower orders on continuation counts, down to a uniform distribution.

Every validation token but the first is scored, with the history available inside the
validation text (as the model is scored).

The counts are numpy arrays of n-gram codes (an n-gram of ids below ``V`` is the number
``sum(id_j * V**(n-1-j))``), counted chunk by chunk: a corpus of tens of millions of
tokens costs seconds and a few chunks of memory, where tuples in Python dicts cost
minutes and a Python list of the whole corpus (``CharLM.fit`` on a 50 MB text: 190 s).
"""

from __future__ import annotations

from typing import Dict, Sequence, Tuple, Union

import numpy as np

from ..io.errors import ConfigError, DataError

# token ids as given (a tensor too, read through np.asarray): _ids makes them an array
TokenIds = Union[Sequence[int], np.ndarray]
CHUNK = 1 << 20  # positions coded at a time: bounds the memory of a count or a score


def _ids(tokens) -> np.ndarray:
    """Token ids as a 1-d integer array (a list, a tensor or a memory-mapped array), in
    their own type: an int16 corpus is not copied to int64 (the codes are, a chunk at a time)."""
    a = np.asarray(tokens).reshape(-1)
    if a.dtype.kind not in "iu" or a.dtype == np.uint64:
        a = a.astype(np.int64)
    if a.size and a.min() < 0:
        raise DataError(f"n-gram baselines: token ids must be >= 0, found {int(a.min())}")
    return a


def _codes(ids: np.ndarray, m: int, base: int, lo: int, hi: int) -> np.ndarray:
    """Codes of the m-grams ending at positions lo..hi-1 (each >= m - 1)."""
    c = np.zeros(hi - lo, dtype=np.int64)
    for j in range(m):  # oldest token first: the most significant digit
        c = c * base + ids[lo - m + 1 + j:hi - m + 1 + j]
    return c


def _count(ids: np.ndarray, m: int, base: int) -> Tuple[np.ndarray, np.ndarray]:
    """(sorted distinct m-gram codes, their counts) over every position of ``ids``."""
    keys, counts = np.zeros(0, np.int64), np.zeros(0, np.int64)
    for lo in range(m - 1, len(ids), CHUNK):
        k, c = np.unique(_codes(ids, m, base, lo, min(lo + CHUNK, len(ids))),
                         return_counts=True)
        keys, inv = np.unique(np.concatenate([keys, k]), return_inverse=True)
        counts = np.bincount(inv, weights=np.concatenate([counts, c]),
                             minlength=len(keys)).astype(np.int64)
    return keys, counts


def _find(keys: np.ndarray, values: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``values`` at ``q`` in the sorted ``keys``; 0 where ``q`` is not there."""
    j = np.minimum(np.searchsorted(keys, q), max(len(keys) - 1, 0))
    hit = keys[j] == q if len(keys) else np.zeros(q.shape, bool)
    return np.where(hit, values[j] if len(keys) else 0, 0)


def unigram_bits(train: TokenIds, val: TokenIds, vocab_size: int) -> float:
    train, val = _ids(train), _ids(val)
    top = max(vocab_size, int(train.max(initial=-1)) + 1, int(val.max(initial=-1)) + 1)
    counts = np.zeros(top, dtype=np.int64)
    for lo in range(0, len(train), CHUNK):  # (bincount copies its input to int64)
        counts += np.bincount(train[lo:lo + CHUNK], minlength=top)
    logs = np.log2((counts[val[1:]] + 1) / (len(train) + vocab_size))
    return -float(logs.sum()) / max(len(logs), 1)


class KneserNey:
    """Interpolated Kneser-Ney n-gram model over integer tokens."""

    def __init__(self, train: TokenIds, order: int, vocab_size: int, discount: float = 0.75):
        self.n, self.V, self.D = order, vocab_size, discount
        ids = _ids(train)
        self.base = max(vocab_size, int(ids.max(initial=-1)) + 1, 1)  # (ids >= V: own codes)
        if self.base ** order >= 2 ** 62:
            raise ConfigError(f"n-gram baselines: order {order} over {self.base} token ids does "
                              f"not fit 64-bit codes; use lower orders (e.g. orders=(1, 2, 3))")
        # levels[k]: (history of k tokens, next) pair codes -> counts: raw counts at the top
        # order, continuation counts (distinct left extensions) below it; with, per history,
        # its total count and the number of distinct next tokens
        self.levels = []
        for k in range(order):
            if k == order - 1:
                pairs, counts = _count(ids, k + 1, self.base)
            else:  # the distinct (k+2)-grams, their first token dropped
                grams, _ = _count(ids, k + 2, self.base)
                pairs, counts = np.unique(grams % self.base ** (k + 1), return_counts=True)
            hist, first, types = np.unique(pairs // self.base, return_index=True,
                                           return_counts=True)
            tot = np.add.reduceat(counts, first) if len(first) else counts
            self.levels.append((pairs, counts, hist, tot, types))

    def _probs(self, w: np.ndarray, hists: np.ndarray) -> np.ndarray:
        """P(w[i] | hists[i]) for each row: ``hists`` (rows, n - 1) holds each token's
        history, oldest first, -1 where it is shorter."""
        p = np.full(len(w), 1.0 / self.V)
        h = np.zeros(len(w), dtype=np.int64)
        have = np.ones(len(w), dtype=bool)  # the history reaches back k tokens
        for k, (pairs, counts, hist, tot, types) in enumerate(self.levels):
            if k:
                prev = hists[:, -k]
                have &= prev >= 0
                h = h + np.maximum(prev, 0) * self.base ** (k - 1)
            t = _find(hist, tot, h).astype(float)
            seen = have & (t > 0)
            c = _find(pairs, counts, h * self.base + w)
            n_types = _find(hist, types, h)
            t = np.where(seen, t, 1.0)
            p = np.where(seen, np.maximum(c - self.D, 0.0) / t + self.D * n_types / t * p, p)
        return p

    def prob(self, w: int, history: Tuple[int, ...]) -> float:
        hist = list(history)[-(self.n - 1):] if self.n > 1 else []
        row = np.full((1, self.n - 1), -1, dtype=np.int64)
        if hist:
            row[0, -len(hist):] = hist
        return float(self._probs(np.array([w], dtype=np.int64), row)[0])

    def bits(self, val: TokenIds) -> float:
        val = _ids(val)
        total, m = 0.0, self.n - 1
        for lo in range(1, len(val), CHUNK):
            hi = min(lo + CHUNK, len(val))
            pos = np.arange(lo, hi)
            hists = np.full((hi - lo, m), -1, dtype=np.int64)
            for j in range(1, m + 1):  # column m - j: the token j places back
                ok = pos - j >= 0
                hists[ok, m - j] = val[pos[ok] - j]
            total += float(np.log2(self._probs(val[lo:hi], hists)).sum())
        return -total / max(len(val) - 1, 1)


def baseline_bits(train: TokenIds, val: TokenIds, vocab_size: int,
                  orders: Sequence[int] = (1, 2, 3)) -> Dict[str, float]:
    """Bits per token of each baseline on ``val``: {"unigram": .., "bigram": .., "trigram": ..}.
    ``train`` and ``val``: token ids (lists, tensors or numpy arrays, memory-mapped too)."""
    out = {}
    names = {1: "unigram", 2: "bigram", 3: "trigram", 4: "4-gram", 5: "5-gram"}
    train, val = _ids(train), _ids(val)
    for n in orders:
        if n == 1:
            out[names[n]] = unigram_bits(train, val, vocab_size)
        else:
            out[names[n]] = KneserNey(train, n, vocab_size).bits(val)
    return out

