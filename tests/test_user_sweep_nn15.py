"""Session 15's sweep of rnnlab.nn as a PyTorch user would use it, against torch.nn (float64)."""

import copy
import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from rnnlab.nn import GRU, RNN, GRUCell, LSTMCell, DTRNNCell, LSTM

F64 = torch.float64


def _run(module, x, h0=None):
    """Outputs, final state and the gradients of a fixed weighting of both (x, h0, params)."""
    x = x.clone().requires_grad_()
    h0 = None if h0 is None else h0.clone().requires_grad_()
    out, h_n = module(x, h0)
    w = torch.linspace(-1, 1, out.numel(), dtype=F64).reshape(out.shape)
    loss = (out * w).sum() + (h_n ** 2).sum()
    grads = torch.autograd.grad(loss, [x] + ([] if h0 is None else [h0])
                                + list(module.parameters()))
    return out, h_n, grads


def _cho_twin(gru):
    """A GRU(reset_after=False) holding ``gru``'s parameters."""
    twin = GRU(gru.input_size, gru.hidden_size, num_layers=gru.num_layers,
               bidirectional=gru.bidirectional, reset_after=False).double()
    twin.load_state_dict(gru.state_dict())
    return twin


@pytest.mark.parametrize("impl", ["auto", "reference"])
def test_a_grus_form_set_after_construction_runs_on_every_path(impl):
    # gru.reset_after = False after construction printed reset_after=False, said path
    # "fast", but ran torch's form (the reference template kept the form it was built
    # with), and a deep copy of it ran Cho's: two answers from one module.
    torch.manual_seed(0)
    ours = GRU(3, 4, num_layers=2, bidirectional=True, impl=impl).double()
    x, h0 = torch.randn(5, 2, 3, dtype=F64), torch.randn(4, 2, 4, dtype=F64)
    ours.reset_after = False
    want = _run(_cho_twin(ours), x, h0)
    assert_close(_run(ours, x, h0), want)
    assert_close(_run(copy.deepcopy(ours), x, h0), want)
    if impl == "auto":
        assert ours.path_for(x) == "fast-torch"
    ours.reset_after = True  # and back: torch.nn.GRU's numbers again
    theirs = nn.GRU(3, 4, num_layers=2, bidirectional=True).double()
    theirs.load_state_dict(ours.state_dict())
    assert_close(_run(ours, x, h0), _run(theirs, x, h0))


def test_a_grus_form_is_checked_when_set_as_at_construction():
    fused = GRU(3, 4, impl="fused")
    with pytest.raises(ValueError, match=r"impl='fused' is not available"):
        fused.reset_after = False  # torch has no kernel for Cho's form
    assert fused.reset_after is True and fused.path == "fused"  # left as it was
    loop = GRU(3, 4, reset_after=False, impl="fast")
    with pytest.raises(ValueError, match=r"impl='fast' chooses how rnnlab's own loop runs"):
        loop.reset_after = True
    assert loop.reset_after is False
    with pytest.raises(TypeError, match=r"reset_after must be True or False, got 'no'"):
        GRU(3, 4, reset_after="no")  # a non-empty string was taken as true


def test_a_gru_pickled_with_its_form_as_a_plain_attribute_loads_with_that_form():
    torch.manual_seed(0)
    cho = GRU(3, 4, reset_after=False).double()
    state = cho.__getstate__()
    state["reset_after"] = state.pop("_reset_after")  # as saved before it was a property
    loaded = GRU.__new__(GRU)
    loaded.__setstate__(state)
    x = torch.randn(5, 2, 3, dtype=F64)
    assert loaded.reset_after is False
    assert_close(_run(loaded, x), _run(cho, x))


def test_an_rnns_reference_path_runs_the_kernels_nonlinearity_after_a_copy():
    # torch.nn.RNN fixes its op (self.mode) at construction: a nonlinearity set later is
    # not read. The reference template followed self.nonlinearity when rebuilt (a deep
    # copy, a pickle): the copy then computed ReLU where torch.nn and the original tanh.
    torch.manual_seed(0)
    theirs = nn.RNN(3, 4, num_layers=2).double()
    ours = RNN(3, 4, num_layers=2, impl="reference").double()
    ours.load_state_dict(theirs.state_dict())
    theirs.nonlinearity = ours.nonlinearity = "relu"
    x = 3 * torch.randn(5, 2, 3, dtype=F64)
    want = _run(theirs, x)
    assert_close(_run(ours, x), want)
    assert_close(_run(copy.deepcopy(ours), x), want)


@pytest.mark.parametrize("make", [lambda: GRU(3, 4, num_layers=2, bidirectional=True),
                                  lambda: LSTM(3, 4, num_layers=2, bidirectional=True)],
                         ids=["gru", "lstm"])
def test_a_dropins_state_for_an_unbatched_input_is_described_without_a_batch(make):
    ours = make()
    lstm = isinstance(ours, nn.LSTM)
    h = torch.zeros(4, 1, 4)
    with pytest.raises(ValueError) as err:
        ours(torch.randn(5, 3), (h, h) if lstm else h)
    msg = str(err.value)
    # (it said "(4, 4) (num_layers*num_directions, batch, hidden_size)": three names, two sizes)
    assert "(4, 4) (num_layers*num_directions, hidden_size)" in msg
    assert "unbatched input (T, 3)" in msg and "got (4, 1, 4)" in msg
    assert "h_0.squeeze(1)" in msg  # what to do
    h = torch.zeros(4, 4)
    with pytest.raises(ValueError, match=re.escape("(4, 2, 4) (num_layers*num_directions, "
                                                   "batch, hidden_size)") + r".*unsqueeze\(1\)"):
        ours(torch.randn(5, 2, 3), (h, h) if lstm else h)
    h = torch.zeros(4, 3, 4)  # another batch size
    with pytest.raises(ValueError, match=r"got \(4, 3, 4\); give one row per layer and "
                                         r"direction \(4 = 2 directions x num_layers\)"):
        ours(torch.randn(5, 2, 3), (h, h) if lstm else h)


@pytest.mark.parametrize("make", [lambda: GRUCell(3, 4), lambda: LSTMCell(3, 4),
                                  lambda: DTRNNCell(3, 4, depth=2)],
                         ids=["gru", "lstm", "dt"])
def test_a_cells_state_for_an_unbatched_input_is_named_as_given(make):
    # It said "expected state of shape (1, 4) (batch, hidden), got (1, 1, 4)": neither
    # the shape wanted, (4,), nor the one passed, (1, 4).
    cell = make()
    h = torch.zeros(1, 4)
    state = (h, h) if isinstance(cell, LSTMCell) else h
    with pytest.raises(ValueError) as err:
        cell(torch.randn(3), state)
    msg = str(err.value)
    assert "expected state of shape (4,)" in msg and "got (1, 4)" in msg, msg
    assert "(1, 1, 4)" not in msg and "state.squeeze(0)" in msg
    h = torch.zeros(4)
    with pytest.raises(ValueError, match=r"expected state of shape \(2, 4\) \(batch, hidden\), "
                                         r"got \(4,\); a batched input"):
        cell(torch.randn(2, 3), (h, h) if isinstance(cell, LSTMCell) else h)
    # the right shapes still run, as torch's cells
    h = torch.zeros(4)
    out = cell(torch.randn(3), (h, h) if isinstance(cell, LSTMCell) else h)
    assert (out[0] if isinstance(out, tuple) else out).shape == (4,)
