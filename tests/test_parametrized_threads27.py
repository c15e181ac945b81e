"""Session 27: a layer of a parametrized cell computed the cell's weights once a call with
``torch.nn.utils.parametrize.cached()``, whose cache is the process's: while the layer ran
in one thread, another thread's parametrized module read its weight from that cache (the
value before its optimizer step: stale). The layer now runs on a view of the cell whose
weights are computed once (rnnlab.nn.stored_weight.computed_once), equal to the cached
path forward and backward, spectral_norm's state too. And a Stacked on torch's
whole-stack kernel with lengths computed such a weight twice a call (a check, then the
call), where its layers compute it once."""

import contextlib
import copy
import threading

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal, spectral_norm
from torch.testing import assert_close

import rnnlab.nn as R
import rnnlab.nn.recurrent as recurrent

F64 = torch.float64


class _Paused(nn.Module):
    """The identity, which on its first run in thread "A" waits: A's layer call is then
    under way while the test reads another module's weight."""

    def __init__(self, inside, go):
        super().__init__()
        self.inside, self.go, self.first = inside, go, True

    def forward(self, w):
        if self.first and threading.current_thread().name == "A":
            self.first = False
            self.inside.set()
            self.go.wait(20)
        return w


class _Double(nn.Module):
    def forward(self, w):
        return 2 * w


def test_another_threads_parametrized_weight_is_fresh_while_a_layer_runs():
    inside, go = threading.Event(), threading.Event()
    cell = R.GRUCell(3, 4)
    parametrize.register_parametrization(cell, "weight_hh", _Paused(inside, go))
    layer = R.Recurrent(cell, impl="reference")
    other = nn.Linear(2, 2)
    parametrize.register_parametrization(other, "weight", _Double())
    a = threading.Thread(target=lambda: layer(torch.randn(5, 2, 3)), name="A")
    a.start()
    try:
        assert inside.wait(20)
        other.weight  # (read once before the step, as a forward would)
        with torch.no_grad():
            other.parametrizations.weight.original.add_(1.0)  # an optimizer step
        seen = other.weight.detach().clone()
    finally:
        go.set()
        a.join()
    # was the weight before the step, from the cache A's call had turned on
    assert_close(seen, 2 * other.parametrizations.weight.original.detach(), rtol=0, atol=0)


def _cached_path(monkeypatch):
    """The layer's call as it was: the cell itself, under parametrize.cached()."""
    monkeypatch.setattr(recurrent, "computed_once", contextlib.nullcontext)


CELLS = {"gru": lambda: R.GRUCell(3, 4, dtype=F64),
         "gru_cho": lambda: R.GRUCell(3, 4, reset_after=False, dtype=F64),
         "lstm_proj": lambda: R.LSTMCell(3, 4, proj_size=2, dtype=F64),
         "rnn": lambda: R.RNNCell(3, 4, dtype=F64),
         "dt": lambda: R.DTRNNCell(3, 4, depth=2, dtype=F64)}


@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("kind", sorted(CELLS))
def test_the_view_equals_the_cached_path_forward_and_backward(kind, impl, monkeypatch):
    torch.manual_seed(0)
    cell = CELLS[kind]()
    torch.manual_seed(1)
    spectral_norm(cell, "weight_hh")  # (state: its power iteration steps at each compute)
    orthogonal(cell, "weight_ih")  # (a second computed weight, without state)
    new, old = R.Recurrent(cell, impl=impl), R.Recurrent(copy.deepcopy(cell), impl=impl)
    x = torch.randn(6, 2, 3, dtype=F64)
    lengths = torch.tensor([6, 4])
    outs_new, outs_old = [], []
    for call in range(3):  # (spectral_norm's vectors carried from call to call)
        outs_new.append(new(x, lengths=lengths if call == 2 else None))
    with monkeypatch.context() as m:
        _cached_path(m)
        for call in range(3):
            with parametrize.cached():
                outs_old.append(old(x, lengths=lengths if call == 2 else None))
    for (o_n, h_n), (o_o, h_o) in zip(outs_new, outs_old):
        assert_close(o_n, o_o, rtol=0, atol=1e-13)
    loss_n = sum(o.square().sum() for o, _ in outs_new)
    loss_o = sum(o.square().sum() for o, _ in outs_old)
    loss_n.backward()
    loss_o.backward()
    for (name, p_n), (_, p_o) in zip(new.named_parameters(), old.named_parameters()):
        assert p_n.grad is not None, name
        assert_close(p_n.grad, p_o.grad, rtol=0, atol=1e-12, msg=name)
    assert_close(new.cell.parametrizations.weight_hh[0]._u,
                 old.cell.parametrizations.weight_hh[0]._u, rtol=0, atol=0)


def test_the_cell_itself_runs_when_nothing_is_parametrized():
    cell = R.GRUCell(3, 4)
    with recurrent.computed_once(cell) as running:
        assert running is cell


def _spectral_stack(impl, bidirectional):
    """Two GRU layers on torch's whole-stack kernel ("auto") or the step loop, the first
    cell spectral-normed (the same start for both), and a counter of its runs."""
    torch.manual_seed(0)
    if bidirectional:
        layers = [R.Bidirectional(R.Recurrent(R.GRUCell(3, 4, dtype=F64), impl=impl),
                                  R.Recurrent(R.GRUCell(3, 4, dtype=F64), impl=impl,
                                              reverse=True)),
                  R.Bidirectional(R.Recurrent(R.GRUCell(8, 4, dtype=F64), impl=impl),
                                  R.Recurrent(R.GRUCell(8, 4, dtype=F64), impl=impl,
                                              reverse=True))]
        cell = layers[0].forward_layer.cell
    else:
        layers = [R.Recurrent(R.GRUCell(3, 4, dtype=F64), impl=impl),
                  R.Recurrent(R.GRUCell(4, 4, dtype=F64), impl=impl)]
        cell = layers[0].cell
    torch.manual_seed(1)
    spectral_norm(cell, "weight_hh")
    runs = [0]
    cell.parametrizations.weight_hh[0].register_forward_hook(
        lambda *_: runs.__setitem__(0, runs[0] + 1))
    return R.Stacked(layers), cell, runs


@pytest.mark.parametrize("bidirectional", [False, True])
def test_a_stack_with_lengths_computes_a_weight_once_a_call(bidirectional):
    # the whole-stack kernel read the computed weights to decide padded or packed, then
    # again for the call: spectral_norm stepped twice a call where the layers step once
    # (u apart by 6e-4, outputs by 8e-9 after 3 calls)
    fast, cell_f, runs_f = _spectral_stack("auto", bidirectional)
    ref, cell_r, runs_r = _spectral_stack("reference", bidirectional)
    x, lengths = torch.randn(6, 2, 3, dtype=F64), torch.tensor([6, 4])
    for _ in range(3):
        assert_close(fast(x, lengths=lengths)[0], ref(x, lengths=lengths)[0],
                     rtol=0, atol=1e-13)
    assert runs_f == runs_r == [3]
    assert_close(cell_f.parametrizations.weight_hh[0]._u,
                 cell_r.parametrizations.weight_hh[0]._u, rtol=0, atol=1e-14)
