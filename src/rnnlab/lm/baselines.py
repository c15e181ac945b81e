"""N-gram baselines on the same split and vocabulary as the model, in bits per token.

* unigram: add-one (Laplace) smoothed token frequencies;
* bigram and trigram: interpolated Kneser-Ney (Chen & Goodman 1998), discount 0.75,
  lower orders on continuation counts, down to a uniform distribution.

Every validation token but the first is scored, with the history available inside the
validation text (as the model is scored).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Dict, List, Sequence, Tuple



def unigram_bits(train: Sequence[int], val: Sequence[int], vocab_size: int) -> float:
    counts = Counter(train)
    n = len(train)
    logs = [math.log2((counts.get(w, 0) + 1) / (n + vocab_size)) for w in val[1:]]
    return -sum(logs) / max(len(logs), 1)


class KneserNey:
    """Interpolated Kneser-Ney n-gram model over integer tokens."""

    def __init__(self, train: Sequence[int], order: int, vocab_size: int, discount: float = 0.75):
        self.n, self.V, self.D = order, vocab_size, discount
        train = list(train)
        # tables[k]: history of k tokens -> Counter(next token); raw counts at the top order,
        # continuation counts (distinct left extensions) below it
        self.tables: List[Dict[Tuple[int, ...], Counter]] = []
        for k in range(order):
            t: Dict[Tuple[int, ...], Counter] = defaultdict(Counter)
            if k == order - 1:
                for i in range(k, len(train)):
                    t[tuple(train[i - k:i])][train[i]] += 1
            else:
                grams = {tuple(train[i - k - 1:i + 1]) for i in range(k + 1, len(train))}
                for g in grams:
                    t[g[1:-1]][g[-1]] += 1
            self.tables.append(t)
        self.totals = [{h: sum(c.values()) for h, c in t.items()} for t in self.tables]

    def prob(self, w: int, history: Tuple[int, ...]) -> float:
        p = 1.0 / self.V
        for k in range(0, min(self.n - 1, len(history)) + 1):
            h = tuple(history[len(history) - k:]) if k else ()
            c = self.tables[k].get(h)
            if not c:
                continue
            tot = self.totals[k][h]
            p = max(c.get(w, 0) - self.D, 0.0) / tot + self.D * len(c) / tot * p
        return p

    def bits(self, val: Sequence[int]) -> float:
        val = list(val)
        logs = [math.log2(self.prob(val[i], tuple(val[max(0, i - self.n + 1):i])))
                for i in range(1, len(val))]
        return -sum(logs) / max(len(logs), 1)


def baseline_bits(train: Sequence[int], val: Sequence[int], vocab_size: int,
                  orders=(1, 2, 3)) -> Dict[str, float]:
    """Bits per token of each baseline on ``val``: {"unigram": .., "bigram": .., "trigram": ..}."""
    out = {}
    names = {1: "unigram", 2: "bigram", 3: "trigram", 4: "4-gram", 5: "5-gram"}
    for n in orders:
        if n == 1:
            out[names[n]] = unigram_bits(train, val, vocab_size)
        else:
            out[names[n]] = KneserNey(train, n, vocab_size).bits(val)
    return out
