"""A fitted model and its training loop's optimizer are freed by reference counting
alone once the caller drops the model: no reference cycle, cache or hook of rnnlab keeps
them (a loop of fits in one process would otherwise hold every earlier model until the
cyclic collector ran, or for good)."""

import gc
import importlib
import weakref

import rnnlab.train.loop as loop
from rnnlab.lm import CharLM

TEXT = "the quick brown fox jumps over the lazy dog. " * 30
SMALL = dict(model="lstm", hidden_size=8, num_layers=1, embedding=4)
FIT = dict(seq_len=16, batch_size=4, epochs=1, progress=False)


def test_charlm_fit_and_generate_leave_nothing_alive(monkeypatch):
    importlib.import_module("torch._dynamo")  # (torch's own first import, inside the first
    # optimizer, ties that fit's objects in a cycle of import frames: not rnnlab's)

    CharLM(**SMALL).fit(TEXT, **FIT)  # warm-up: every lazy import done
    made = []
    real = loop.make_optimizer

    def spy(*a, **k):
        opt = real(*a, **k)
        made.append(weakref.ref(opt))
        return opt
    monkeypatch.setattr(loop, "make_optimizer", spy)
    gc.collect()
    gc.disable()
    try:
        lm = CharLM(**SMALL).fit(TEXT, **FIT)
        lm.generate("the ", 20, seed=0)
        lm.perplexity(TEXT[:200])
        net = weakref.ref(lm.net)
        del lm
        assert made and net() is None and all(r() is None for r in made)
    finally:
        gc.enable()
