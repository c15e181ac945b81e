"""The n-gram baselines count with numpy arrays: the same numbers as the plain Python
definition, and no Python-level pass over the tokens (a 50 MB corpus took 190 s and a
Python list of every id: now seconds)."""

import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from rnnlab.lm import baselines as B


def _reference_bits(train, val, V, order, D=0.75):
    """Interpolated Kneser-Ney as written out in Python dicts (the definition)."""
    tables = []
    for k in range(order):
        t = defaultdict(Counter)
        if k == order - 1:
            for i in range(k, len(train)):
                t[tuple(train[i - k:i])][train[i]] += 1
        else:
            for g in {tuple(train[i - k - 1:i + 1]) for i in range(k + 1, len(train))}:
                t[g[1:-1]][g[-1]] += 1
        tables.append(t)

    def prob(w, hist):
        p = 1.0 / V
        for k in range(min(order - 1, len(hist)) + 1):
            c = tables[k].get(tuple(hist[len(hist) - k:]) if k else ())
            if c:
                tot = sum(c.values())
                p = max(c.get(w, 0) - D, 0.0) / tot + D * len(c) / tot * p
        return p
    logs = [math.log2(prob(val[i], val[max(0, i - order + 1):i])) for i in range(1, len(val))]
    return -sum(logs) / len(logs)


@pytest.mark.parametrize("V,chunk", [(5, 1 << 20), (40, 7), (300, 64)])
def test_kneser_ney_equals_the_python_definition(monkeypatch, V, chunk):
    monkeypatch.setattr(B, "CHUNK", chunk)  # counts merged across chunks
    rng = np.random.default_rng(V)
    train = (rng.zipf(1.4, 3000) % V).tolist()
    val = (rng.zipf(1.4, 400) % V).tolist()
    for order in (2, 3):
        assert B.KneserNey(train, order, V).bits(val) == pytest.approx(
            _reference_bits(train, val, V, order), rel=1e-12)
    counts = Counter(train)
    want = -sum(math.log2((counts[w] + 1) / (len(train) + V)) for w in val[1:]) / (len(val) - 1)
    assert B.unigram_bits(np.array(train), np.array(val), V) == pytest.approx(want, rel=1e-12)


class _NoPythonLoop(np.ndarray):
    """Token ids that refuse to be walked one by one in Python."""

    def __iter__(self):
        raise AssertionError("the baselines iterated the tokens in Python")

    def tolist(self):
        raise AssertionError("the baselines made a Python list of the tokens")


def test_baselines_read_arrays_without_a_python_loop():
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 20, 5000)).view(_NoPythonLoop)
    val = (rng.integers(0, 20, 500)).view(_NoPythonLoop)
    b = B.baseline_bits(train, val, 20)
    assert set(b) == {"unigram", "bigram", "trigram"}
    assert all(math.isfinite(v) and 0 < v < 2 * math.log2(20) for v in b.values())


def test_charlm_fit_hands_the_baselines_its_id_tensors(monkeypatch):
    import rnnlab.lm.api as api
    from rnnlab.lm import CharLM

    seen = []

    def spy(train, val, V, *a):
        seen.append((type(train), type(val)))
        return B.baseline_bits(train, val, V, *a)
    monkeypatch.setattr(api, "baseline_bits", spy)
    text = "the quick brown fox jumps over the lazy dog. " * 30
    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4).fit(
        text, seq_len=16, batch_size=4, epochs=1, progress=False)
    assert seen and not any(issubclass(t, list) for pair in seen for t in pair)
    assert lm.baselines["bigram"] < lm.baselines["unigram"]
