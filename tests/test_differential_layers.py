"""Differential tests of rnnlab's composed layers (``Recurrent``, ``Bidirectional``,
``Stacked``) over random configurations (tests/differential_setups.py): every impl the
dispatch can pick against the step loop, and against torch.nn where torch.nn has the
configuration, forward and backward, in float64 to 1e-10.

Drawn: the cell (tanh and ReLU RNN, GRU in torch's and Cho's form, LSTM with and without
proj_size, DT-RNN and DT(S)-RNN of depth 1-3, any width and nonlinearity), input and
hidden size 1-9, 1-3 layers, one or two directions, batch_first, bias, a single layer
reversed, batch 1-4, T 1-7, lengths (none, sorted, unsorted, a row of one step, all equal,
all shorter than T) given by keyword or packed, an initial state or none. Compared: the
outputs, every final state and the gradients of every weight, the input and the initial
state. A bare layer (one layer: the ``Recurrent`` or ``Bidirectional`` itself) and a
``Stacked`` both run. The impls: "auto", "fast" (torch's kernel for the standard cells, in
one multi-layer call where the stack allows it, padded or packed for lengths; rnnlab's
kernel for the others), the Triton loops where they run (Triton's CPU interpreter here)
and "reference"."""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import rnnlab.nn as R
from rnnlab.nn.paths import set_impl
from rnnlab.nn.torch_keys import from_torch_state_dict

from differential_setups import (FAST, KINDS, TORCH_KINDS, TorchLayout, assert_same, configs, inputs,
                                 impls_for, params_in_torch_order, run, stack, torch_module,
                                 torch_state)


def layer_of(s, model: R.Stacked, state):
    """The stack itself, or for one layer the layer alone (and its state)."""
    if s["L"] == 1:
        return model.layers[0], None if state is None else state[0]
    return model, state


def check_impls_equal_the_step_loop(s, with_triton: bool = True):
    model = stack(s)
    x, lengths, state = inputs(s)
    ref = copy.deepcopy(model)
    set_impl(ref, "reference")
    layer, st = layer_of(s, ref, state)
    want = run(layer, x, st, lengths, s["packed"], s["bf"])
    cell = next(m for m in model.modules() if isinstance(m, R.Recurrent)).cell
    for impl in impls_for(cell, x):
        if impl == "reference" or (impl.startswith("triton") and not with_triton):
            continue
        other = copy.deepcopy(model)
        set_impl(other, impl)
        layer, st = layer_of(s, other, state)
        assert_same(run(layer, x, st, lengths, s["packed"], s["bf"]), want, impl)


def check_standard_layers_equal_torch_nn(s):
    theirs = torch_module(s)
    s = dict(s, reverse=False)
    model = stack(s)
    model.load_state_dict(from_torch_state_dict(model, theirs.state_dict()), strict=True)
    x, lengths, _ = inputs(s)
    hx = torch_state(s, torch.Generator().manual_seed(s["seed"] + 1))
    # torch.nn takes lengths packed; ours by keyword or packed
    want = run(theirs, x, hx, lengths, lengths is not None or s["packed"], s["bf"])
    cell = model.layers[0].cell if isinstance(model.layers[0], R.Recurrent) else \
        model.layers[0].forward_layer.cell
    for impl in impls_for(cell, x):
        other = copy.deepcopy(model)
        set_impl(other, impl)
        params = params_in_torch_order(other, theirs)
        got = run(TorchLayout(other, s["bi"]), x, hx, lengths, s["packed"], s["bf"], params)
        assert_same(got, want, impl)


@pytest.mark.parametrize("kind", KINDS)  # (each kind drawn: derandomized, 60 draws over all
@settings(FAST, max_examples=8)         # kinds held no LSTM and 7 with a bias)
@given(data=st.data())
def test_every_impl_of_a_layer_equals_the_step_loop(kind, data):
    check_impls_equal_the_step_loop(data.draw(configs(kinds=(kind,))), with_triton=False)


@settings(FAST, max_examples=3)
@given(configs(kinds=("gru_cho", "dt", "dts")))
def test_the_triton_loops_equal_the_step_loop(s):
    """The Triton impls (here Triton's CPU interpreter, slow: few examples; CUDA where
    there is one)."""
    check_impls_equal_the_step_loop(s)


@pytest.mark.parametrize("kind", TORCH_KINDS)
@settings(FAST, max_examples=8)
@given(data=st.data())
def test_every_impl_of_a_standard_layer_equals_torch_nn(kind, data):
    check_standard_layers_equal_torch_nn(data.draw(configs(kinds=(kind,))))


@pytest.mark.slow
@settings(FAST, max_examples=1500)
@given(configs())
def test_every_impl_of_a_layer_equals_the_step_loop_wide(s):
    check_impls_equal_the_step_loop(s, with_triton=False)


@pytest.mark.slow
@settings(FAST, max_examples=60)
@given(configs(kinds=("gru_cho", "dt", "dts")))
def test_the_triton_loops_equal_the_step_loop_wide(s):
    check_impls_equal_the_step_loop(s)


@pytest.mark.slow
@settings(FAST, max_examples=1000)
@given(configs(kinds=TORCH_KINDS))
def test_every_impl_of_a_standard_layer_equals_torch_nn_wide(s):
    check_standard_layers_equal_torch_nn(s)
