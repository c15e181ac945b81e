"""Differential tests of ``Bidirectional``'s merges other than concat (``merge_mode="sum"``,
``"mul"``, ``"ave"``) over random configurations (tests/differential_setups.py), forward
and backward, in float64 to 1e-10:

* against torch.nn: one single-layer bidirectional torch.nn module per layer, its output's
  two halves (the two directions) merged by hand and fed to the next layer, lengths
  packed; for the cells torch.nn has (tanh/ReLU RNN, GRU, LSTM with and without
  proj_size), on every impl the dispatch can pick;
* for every cell (Cho's GRU and DT(S) too), on every impl: against the same two
  directions in a concatenating ``Bidirectional`` (weights shared), split and merged by
  hand, on the step loop.

Compared: outputs, every final state (each direction's own, whatever the merge), the
gradients of every weight, the input and the initial state; a bare layer (one layer) and a
``Stacked`` of 2-3 merged layers (each reading the merged width below), lengths by keyword
or packed, an initial state or none."""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import rnnlab.nn as R
from rnnlab.nn.paths import set_impl

from differential_setups import (FAST, KINDS, TORCH_KINDS, assert_same, configs, impls_for,
                                 inputs, make_cell, out_size, run, torch_module)

# written apart from rnnlab's own table (the thing under test)
BY_HAND = {"sum": lambda f, b: f + b, "mul": lambda f, b: f * b,
           "ave": lambda f, b: 0.5 * f + 0.5 * b}
MERGES = st.sampled_from(sorted(BY_HAND))


def merged_stack(s, merge: str) -> R.Stacked:
    """L ``Bidirectional(..., merge_mode=merge)`` layers; layer k > 0 reads the merged
    width (the cell's output size, not twice it)."""
    torch.manual_seed(s["seed"])
    layers, size = [], s["I"]
    for _ in range(s["L"]):
        fwd = R.Recurrent(make_cell(s, size), batch_first=s["bf"])
        bwd = R.Recurrent(make_cell(s, size), reverse=True, batch_first=s["bf"])
        layers.append(R.Bidirectional(fwd, bwd, merge_mode=merge))
        size = out_size(s)
    return R.Stacked(layers)


def bare_or_stack(s, model: R.Stacked, state):
    """One layer: the ``Bidirectional`` itself and its state; else the stack."""
    if s["L"] == 1:
        return model.layers[0], None if state is None else state[0]
    return model, state


class TorchMerged(nn.Module):
    """torch.nn's single-layer bidirectional modules one after another, each output's two
    halves merged by hand; called and answering as ``merged_stack`` does (a state per
    layer, (forward, backward); ``bare``: one layer's state, not a list)."""

    def __init__(self, mods, merge: str, batch_first: bool, bare: bool):
        super().__init__()
        self.mods, self.merge, self.bf, self.bare = nn.ModuleList(mods), merge, batch_first, bare

    def forward(self, x, state=None, lengths=None):
        states = [state] if self.bare and state is not None else state
        T, finals = x.shape[1 if self.bf else 0], []
        for k, mod in enumerate(self.mods):
            hx = None
            if states is not None:
                f, b = states[k]
                hx = tuple(torch.stack(z) for z in zip(f, b)) if isinstance(f, tuple) \
                    else torch.stack([f, b])
            if lengths is None:
                out, fin = mod(x, hx)
            else:
                packed = pack_padded_sequence(x, lengths, batch_first=self.bf,
                                              enforce_sorted=False)
                out, fin = mod(packed, hx)
                out = pad_packed_sequence(out, batch_first=self.bf, total_length=T)[0]
            half = out.shape[-1] // 2
            x = BY_HAND[self.merge](out[..., :half], out[..., half:])
            if isinstance(fin, tuple):  # (h_n, c_n), each (2, B, ·)
                finals.append(((fin[0][0], fin[1][0]), (fin[0][1], fin[1][1])))
            else:
                finals.append((fin[0], fin[1]))
        return x, finals[0] if self.bare else finals


def torch_layers_like(s, ours: R.Stacked) -> list:
    """One single-layer bidirectional torch.nn module per layer, holding our weights
    (copied), and our parameters in the order of theirs."""
    mods, order = [], []
    for k, layer in enumerate(ours.layers):
        mod = torch_module(dict(s, L=1, bi=True, I=s["I"] if k == 0 else out_size(s)))
        with torch.no_grad():
            for name, p in mod.named_parameters():
                rec = layer.backward_layer if name.endswith("_reverse") else layer.forward_layer
                mine = getattr(rec.cell, name.split("_l0")[0])
                p.copy_(mine)
                order.append(mine)
        mods.append(mod)
    return mods, order


def check_merge_equals_torch_nn(s, merge: str):
    s = dict(s, bi=True, reverse=False)
    model = merged_stack(s, merge)
    x, lengths, state = inputs(s)
    mods, _ = torch_layers_like(s, model)
    theirs = TorchMerged(mods, merge, s["bf"], bare=s["L"] == 1)
    _, st_ = bare_or_stack(s, model, state)
    want = run(theirs, x, st_, lengths, False, s["bf"], list(theirs.parameters()))
    cell = model.layers[0].forward_layer.cell
    for impl in impls_for(cell, x, triton=False):
        other = copy.deepcopy(model)
        set_impl(other, impl)
        _, order = torch_layers_like(s, other)
        layer, st_ = bare_or_stack(s, other, state)
        got = run(layer, x, st_, lengths, s["packed"], s["bf"], order)
        assert_same(got, want, f"{merge} {impl}")


class ConcatSplit(nn.Module):
    """A merged stack's own directions in concatenating ``Bidirectional`` layers (the
    same Recurrent modules: weights shared), each output split and merged by hand."""

    def __init__(self, merged: R.Stacked, merge: str, bare: bool):
        super().__init__()
        self.layers = nn.ModuleList(R.Bidirectional(m.forward_layer, m.backward_layer)
                                    for m in merged.layers)
        self.merge, self.bare = merge, bare

    def forward(self, x, state=None, lengths=None):
        states = [state] if self.bare else state
        finals = []
        for k, layer in enumerate(self.layers):
            out, fin = layer(x, None if states is None else states[k], lengths)
            half = out.shape[-1] // 2
            x = BY_HAND[self.merge](out[..., :half], out[..., half:])
            finals.append(fin)
        return x, finals[0] if self.bare else finals


def check_merge_equals_concat_split(s, merge: str):
    s = dict(s, bi=True, reverse=False)
    model = merged_stack(s, merge)
    x, lengths, state = inputs(s)
    ref = copy.deepcopy(model)
    set_impl(ref, "reference")
    hand = ConcatSplit(ref, merge, bare=s["L"] == 1)
    _, st_ = bare_or_stack(s, ref, state)
    want = run(hand, x, st_, lengths, False, s["bf"], list(ref.parameters()))
    cell = model.layers[0].forward_layer.cell
    for impl in impls_for(cell, x, triton=False):
        other = copy.deepcopy(model)
        set_impl(other, impl)
        layer, st_ = bare_or_stack(s, other, state)
        got = run(layer, x, st_, lengths, s["packed"], s["bf"], list(other.parameters()))
        assert_same(got, want, f"{merge} {impl}")


@pytest.mark.parametrize("kind", TORCH_KINDS)  # (each kind drawn: see the layers')
@settings(FAST, max_examples=4)
@given(data=st.data(), merge=MERGES)
def test_a_merged_bidirectional_equals_torch_nns_directions_merged_by_hand(kind, data, merge):
    check_merge_equals_torch_nn(data.draw(configs(kinds=(kind,))), merge)


@pytest.mark.parametrize("kind", KINDS)
@settings(FAST, max_examples=4)
@given(data=st.data(), merge=MERGES)
def test_a_merged_bidirectional_equals_its_concatenated_directions_merged_by_hand(kind, data,
                                                                                 merge):
    check_merge_equals_concat_split(data.draw(configs(kinds=(kind,))), merge)


@pytest.mark.slow
@settings(FAST, max_examples=600)
@given(configs(kinds=TORCH_KINDS), MERGES)
def test_a_merged_bidirectional_equals_torch_nns_directions_merged_by_hand_wide(s, merge):
    check_merge_equals_torch_nn(s, merge)


@pytest.mark.slow
@settings(FAST, max_examples=600)
@given(configs(kinds=KINDS), MERGES)
def test_a_merged_bidirectional_equals_its_concatenated_directions_merged_by_hand_wide(s,
                                                                                       merge):
    check_merge_equals_concat_split(s, merge)
