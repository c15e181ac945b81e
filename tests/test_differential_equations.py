"""Differential tests of rnnlab's own cells, those torch.nn lacks (Cho et al.'s GRU,
``reset_after=False``; DT-RNN and DT(S)-RNN), against their equations written here as a
step loop, over random configurations (tests/differential_setups.py): every impl the
dispatch can pick, including the step loop itself, forward and backward (outputs, final
states, gradients of every weight, the input and the initial state), float64 to 1e-10.

The other differential tests hold these cells' kernels to rnnlab's step loop, which
shares their input projection (``project_input``) and their parameters' reading: a fault
in what both share passes there and fails here. Drawn as there: sizes, 1-3 layers, one or
two directions, a single layer reversed, batch_first, bias, lengths by keyword or packed
(each sequence read from its own last step backwards), an initial state or none."""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import rnnlab.nn as R
from rnnlab.nn.paths import set_impl

from differential_setups import (FAST, F64, assert_same, configs, impls_for, inputs, out_size,
                                 run, stack)

OWN_KINDS = ("gru_cho", "dt", "dts")
PHI = {"tanh": torch.tanh, "relu": torch.relu}


def lin(x, w, b=None):
    return x @ w.T if b is None else x @ w.T + b


def gru_cho_step(cell, x, h):
    """r, z = σ(x W_i{r,z}^T + b_i{r,z} + h W_h{r,z}^T + b_h{r,z});
    n = tanh(x W_in^T + b_in + (r ⊙ h) W_hn^T + b_hn); h' = z ⊙ h + (1 - z) ⊙ n."""
    H = h.shape[-1]
    wi, wh = cell.weight_ih, cell.weight_hh
    bi = bh = [None] * 3
    if cell.bias_ih is not None:
        bi, bh = cell.bias_ih.split(H), cell.bias_hh.split(H)
    (wir, wiz, win), (whr, whz, whn) = wi.split(H), wh.split(H)
    r = torch.sigmoid(lin(x, wir, bi[0]) + lin(h, whr, bh[0]))
    z = torch.sigmoid(lin(x, wiz, bi[1]) + lin(h, whz, bh[1]))
    n = torch.tanh(lin(x, win, bi[2]) + lin(r * h, whn, bh[2]))
    return z * h + (1 - z) * n


def dt_step(s, cell, x, h):
    """z_1 = φ(x U^T + b_ih + h W_1^T + b_hh); z_l = φ(z_{l-1} W_l^T + b_l);
    h' = φ(z_{L-1} W_L^T + b_L [+ h W_s^T + x U_s^T]) (DT(S): the bracket)."""
    phi, depth = PHI[s["act"]], s["depth"]
    z = lin(x, cell.weight_ih, cell.bias_ih) + lin(h, cell.weight_hh, cell.bias_hh)
    for l in range(2, depth + 1):
        z = lin(phi(z), getattr(cell, f"weight_tl{l}"), getattr(cell, f"bias_tl{l}"))
        if l == depth and s["kind"] == "dts":
            z = z + lin(h, cell.weight_sh) + lin(x, cell.weight_sx)
    return phi(z)


def hand_direction(s, cell, x, h, alive, reverse: bool):
    """One direction over x (B, T, I) from h: (outputs (B, T, H), final h); a step past
    a sequence's end keeps h and outputs 0 (reversed, each sequence starts at its own
    last step)."""
    step = gru_cho_step if s["kind"] == "gru_cho" else lambda c, xt, ht: dt_step(s, c, xt, ht)
    T = x.shape[1]
    outs = [None] * T
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        on = alive[:, t:t + 1]
        h = torch.where(on, step(cell, x[:, t], h), h)
        outs[t] = torch.where(on, h, torch.zeros_like(h))
    return torch.stack(outs, 1), h


class ByHand(nn.Module):
    """The configuration's layers (``stack(s)``'s cells, read by name) as the equations'
    step loop, called and answering as the stack (or its one layer, ``bare``) does."""

    def __init__(self, s, model: R.Stacked, bare: bool):
        super().__init__()
        self.s, self.model, self.bare = s, model, bare

    def forward(self, x, state=None, lengths=None):
        s = self.s
        x = x if s["bf"] else x.transpose(0, 1)  # (B, T, I) here
        B, T = x.shape[:2]
        alive = torch.ones(B, T, dtype=torch.bool) if lengths is None else \
            torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)
        states = [state] if self.bare and state is not None else state
        zeros = torch.zeros(B, out_size(s), dtype=F64)
        finals = []
        for k, layer in enumerate(self.model.layers):
            given = None if states is None else states[k]
            if s["bi"]:
                h_f, h_b = (zeros, zeros) if given is None else given
                out_f, fin_f = hand_direction(s, layer.forward_layer.cell, x, h_f, alive, False)
                out_b, fin_b = hand_direction(s, layer.backward_layer.cell, x, h_b, alive, True)
                x, fin = torch.cat([out_f, out_b], -1), (fin_f, fin_b)
            else:
                h = zeros if given is None else given
                x, fin = hand_direction(s, layer.cell, x, h, alive, layer.reverse)
            finals.append(fin)
        out = x if s["bf"] else x.transpose(0, 1)
        return out, finals[0] if self.bare else finals


def check_against_equations(s):
    model = stack(s)
    x, lengths, state = inputs(s)
    bare = s["L"] == 1
    st_ = state[0] if bare and state is not None else state
    want = run(ByHand(s, model, bare), x, st_, lengths, False, s["bf"],
               list(model.parameters()))
    cell = next(m for m in model.modules() if isinstance(m, R.Recurrent)).cell
    for impl in impls_for(cell, x, triton=False):
        other = copy.deepcopy(model)
        set_impl(other, impl)
        layer = other.layers[0] if bare else other
        got = run(layer, x, st_, lengths, s["packed"], s["bf"], list(other.parameters()))
        assert_same(got, want, impl)


@pytest.mark.parametrize("kind", OWN_KINDS)  # (each kind drawn: see the layers')
@settings(FAST, max_examples=13)
@given(data=st.data())
def test_every_impl_of_rnnlabs_own_cells_equals_their_equations(kind, data):
    check_against_equations(data.draw(configs(kinds=(kind,))))


@pytest.mark.slow
@settings(FAST, max_examples=800)
@given(configs(kinds=OWN_KINDS))
def test_every_impl_of_rnnlabs_own_cells_equals_their_equations_wide(s):
    check_against_equations(s)
