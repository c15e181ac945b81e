"""Session 25: a weight ``torch.nn.utils.parametrize`` computes is computed at each read,
and ``spectral_norm`` steps its power iteration at each, so how often a module reads it is
part of its result. rnnlab's modules read such weights more or fewer times a call than
torch.nn's (an input check; the reference path once where torch reads twice; GRUCell's
two slices; the step loop at every step), and under ``spectral_norm`` in training they
drifted from torch.nn's (a GRU's reference path by 8e-5 in float64 after one call)."""

import copy

import pytest
import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm
from torch.testing import assert_close

import rnnlab.nn as R

F64 = torch.float64


def _spectral(module, name):
    """``module`` with ``name`` spectral-normed (the same start for a twin), and a counter
    of the parametrization's runs."""
    torch.manual_seed(1)
    spectral_norm(module, name)
    runs = [0]
    module.parametrizations[name][0].register_forward_hook(
        lambda *_: runs.__setitem__(0, runs[0] + 1))
    return runs


def _first(out):
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("name", ["weight_ih_l0", "weight_hh_l1"])
def test_a_drop_in_reads_a_computed_weight_as_torch_nn_does(kind, impl, name):
    torch.manual_seed(0)
    theirs = getattr(nn, kind)(3, 4, num_layers=2, dtype=F64)
    ours = getattr(R, kind)(3, 4, num_layers=2, dtype=F64, impl=impl)
    ours.load_state_dict(theirs.state_dict())
    runs_t, runs_o = _spectral(theirs, name), _spectral(ours, name)
    x = torch.randn(5, 2, 3, dtype=F64)
    for _ in range(3):  # training mode: each run steps the power iteration
        assert_close(ours(x)[0], theirs(x)[0], rtol=0, atol=1e-12)
    assert runs_o == runs_t
    assert_close(ours.parametrizations[name][0]._u, theirs.parametrizations[name][0]._u,
                 rtol=0, atol=1e-14)


@pytest.mark.parametrize("kind", ["LSTMCell", "GRUCell", "RNNCell"])
@pytest.mark.parametrize("name", ["weight_ih", "weight_hh"])
def test_a_cell_reads_a_computed_weight_as_torch_nn_does(kind, name):
    torch.manual_seed(0)
    theirs = getattr(nn, kind)(3, 4, dtype=F64)
    ours = getattr(R, kind)(3, 4, dtype=F64)
    ours.load_state_dict(theirs.state_dict())
    runs_t, runs_o = _spectral(theirs, name), _spectral(ours, name)
    x = torch.randn(2, 3, dtype=F64)
    for _ in range(3):
        assert_close(_first(ours(x)), _first(theirs(x)), rtol=0, atol=1e-12)
    assert runs_o == runs_t == [3]


@pytest.mark.parametrize("make", [lambda: R.GRUCell(3, 4, dtype=F64),
                                  lambda: R.DTRNNCell(3, 4, depth=2, dtype=F64)])
def test_a_layer_computes_its_cells_weight_once_a_call_on_every_path(make):
    torch.manual_seed(0)
    cell = make()
    fast, ref = R.Recurrent(cell), R.Recurrent(copy.deepcopy(cell), impl="reference")
    runs_f, runs_r = _spectral(fast.cell, "weight_hh"), _spectral(ref.cell, "weight_hh")
    x = torch.randn(6, 2, 3, dtype=F64)
    for _ in range(3):
        assert_close(fast(x)[0], ref(x)[0])
    assert runs_f == runs_r == [3]  # (the step loop: one a step, 18)
    assert_close(fast.cell.parametrizations.weight_hh[0]._u,
                 ref.cell.parametrizations.weight_hh[0]._u, rtol=0, atol=1e-14)


@pytest.mark.parametrize("impl", ["auto", "reference"])
def test_a_layer_of_a_parametrized_cell_traces(impl):
    # the layer's parametrize.cached() made torch.jit.trace die: "Cannot trace a model while
    # caching parametrizations" (it traced before session 25)
    from torch.nn.utils.parametrizations import weight_norm

    torch.manual_seed(0)
    cell = R.GRUCell(2, 3, dtype=F64)
    weight_norm(cell, "weight_hh")
    layer = R.Recurrent(cell, impl=impl).eval()
    x = torch.randn(4, 2, 2, dtype=F64)
    traced = torch.jit.trace(layer, (x,), check_trace=False)
    y = torch.randn(4, 2, 2, dtype=F64)  # (the step loop traces unrolled: the same length)
    assert_close(traced(y)[0], layer(y)[0], rtol=0, atol=1e-12)
