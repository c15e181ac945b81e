"""Serving a fitted model: predictions from several threads, interleaved generations and
forked workers give what one call alone gives, and leave the model as it was."""

import multiprocessing as mp
import os
import queue
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from rnnlab.lm import CharLM
from rnnlab.lm.generate import stream

TEXT = "the quick brown fox jumps over the lazy dog. " * 30
FAST = dict(seq_len=16, batch_size=4, epochs=1, progress=False, lr=1e-2)


@pytest.fixture(scope="module")
def lm():
    # dropout: a generation run in train mode draws other text than in eval mode
    return CharLM(model="lstm", hidden_size=16, num_layers=2, embedding=8,
                  dropout=0.5).fit(TEXT, **FAST)


def test_fit_leaves_the_net_in_eval_mode_as_load_does(lm, tmp_path):
    assert not lm.net.training
    assert not CharLM.load(lm.save(tmp_path / "m")).net.training


def test_interleaved_generations_in_train_mode_each_give_their_own_text(lm):
    """Two streams of one net in train mode, consumed in turn (as two threads do): the
    first's end put the net back in train mode under the second, whose text then came out
    with dropout on, and the net was left in eval mode."""
    alone = [lm.generate("the ", 40, seed=s) for s in (1, 2)]
    lm.net.train()
    try:
        a = stream(lm.net, lm.vocab, "the ", 40, seed=1)
        b = stream(lm.net, lm.vocab, "the ", 40, seed=2)
        got_a = [next(a)]  # a runs
        got_b = [next(b)]  # b starts while a runs
        got_a = "".join(got_a + list(a))  # a ends while b is still running
        got_b = "".join(got_b + list(b))
        assert ["the " + got_a, "the " + got_b] == alone
        assert lm.net.training  # (as it came in)
        assert lm.bits_per_char(TEXT[:200]) == pytest.approx(lm.bits_per_char(TEXT[:200]))
        assert lm.net.training
    finally:
        lm.net.eval()


def test_threads_generating_and_scoring_in_train_mode_match_one_call_alone(lm):
    def job(i):
        return lm.generate("the ", 30, seed=i % 3), lm.bits_per_char(TEXT[:120])

    alone = [job(i) for i in range(24)]
    lm.net.train()
    try:
        with ThreadPoolExecutor(6) as ex:
            futures = [ex.submit(job, i) for i in range(24)]
            got = [fu.result(timeout=60) for fu in futures]  # (a deadlock fails here)
        assert got == alone
        assert lm.net.training
    finally:
        lm.net.eval()


def _forked_generate(lm, q):
    q.put(lm.generate("the ", 30, seed=3))


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="no fork on this platform")
def test_a_worker_forked_after_a_generation_on_two_threads_does_not_hang(lm):
    """torch's OpenMP pool does not survive fork: the worker hung in its first LSTM forward."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        want = lm.generate("the ", 30, seed=3)  # (the parent's pool started)
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        p = ctx.Process(target=_forked_generate, args=(lm, q))
        p.start()
        try:
            got = q.get(timeout=60)
        except queue.Empty:
            got = None
        finally:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(5)
        assert got == want
        assert torch.get_num_threads() == 2  # (the parent's own is left alone)
    finally:
        torch.set_num_threads(threads)
