"""A load builds the saved model's network, then reads the saved weights into it; the
build draws its (replaced) initial weights from a private generator, so that a fit running
in another thread, holding the process's RNG, keeps its own stream of draws
(rnnlab.io.private_draws)."""

import threading

import pandas as pd
import pytest
import torch

from rnnlab.io.private_draws import private_draws
from test_process_state21 import _a_fit_running, saved  # noqa: F401 (a fixture)


@pytest.mark.parametrize("kind", ["f", "g", "l"])
def test_a_load_beside_a_running_fit_draws_nothing_from_torchs_rng(saved, kind):  # noqa: F811
    """With a fit holding the RNG lock in another thread, a load keeps nothing (it does not
    wait); its build drew the network's initial weights from torch's global generator, the
    one that fit draws its dropout masks and batch orders from."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    load = {"f": Forecaster, "g": GlobalForecaster, "l": CharLM}[kind].load
    alone = load(saved / kind)
    with _a_fit_running():
        before = torch.get_rng_state()
        loaded = load(saved / kind)
        assert torch.equal(torch.get_rng_state(), before)
    if kind == "l":
        assert loaded.bits_per_char("the time machine") == alone.bits_per_char("the time machine")
    else:
        pd.testing.assert_frame_equal(pd.DataFrame(loaded.predict(3)),
                                      pd.DataFrame(alone.predict(3)))


def test_every_kind_of_draw_is_private_and_repeatable():
    torch.manual_seed(3)
    state = torch.get_rng_state()
    made = []
    for _ in range(2):
        with private_draws():
            lstm = torch.nn.LSTM(3, 4)
            lin = torch.nn.Linear(4, 4)
            torch.nn.init.orthogonal_(lin.weight)
            made.append([lstm.weight_hh_l0.detach().clone(), lin.weight.detach().clone(),
                         torch.randn(5), torch.rand(2), torch.randperm(6),
                         torch.randint(0, 9, (4,)), torch.empty(7).bernoulli_(0.5),
                         torch.empty(3).normal_(), torch.nn.Embedding(5, 2).weight.detach()])
    assert torch.equal(torch.get_rng_state(), state)
    for a, b in zip(*made):
        assert torch.equal(a, b)
    torch.manual_seed(3)
    assert not torch.equal(torch.nn.LSTM(3, 4).weight_hh_l0.detach(), made[0][0])


def test_another_threads_draws_stay_on_the_global_generator():
    """Dispatch modes are per thread: a thread fitting beside a load draws as it would alone."""
    torch.manual_seed(11)
    expected = torch.randn(1000)
    torch.manual_seed(11)
    inside, go = threading.Event(), threading.Event()
    got = []

    def other():
        inside.wait(30)
        got.append(torch.randn(1000))
        go.set()

    t = threading.Thread(target=other)
    t.start()
    with private_draws():
        inside.set()
        go.wait(30)
        torch.nn.LSTM(4, 8)
    t.join(30)
    assert torch.equal(got[0], expected)
