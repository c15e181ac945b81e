"""Differential tests of the deep-transition models over random configurations:
``build_model`` of dt-rnn, dts-rnn (DT(S)), dot-rnn, dots-rnn (DOT: the deep output on
top) and stacked-dt-rnn, on every impl the dispatch can pick, against a step loop
written here from Pascanu et al.'s equations (not rnnlab's): forward and backward
(outputs, final states, the gradients of every parameter, the input and the initial
state), float64 to 1e-10, with ``lengths=`` and with a state carried from one call to
the next (two calls equal one over the whole sequence).

Drawn: the architecture, input and hidden size 1-6, 1-3 stacked layers (2-3 for
stacked-dt-rnn), transition depth 1-3 (2-3 with the shortcut), its width, the deep
output's depth 1-3 and width, tanh or ReLU, batch 1-4, T 1-7, lengths (none, sorted,
unsorted, a row of one step, all equal, all shorter than T), an initial state or none."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import rnnlab.nn as R
from rnnlab.nn import dispatch

from differential_setups import FAST, F64, LENGTHS, assert_same, draw_lengths, run
from test_differential_state import TwoCalls, split_point

NAMES = ("dt-rnn", "dts-rnn", "dot-rnn", "dots-rnn", "stacked-dt-rnn")
PHI = {"tanh": torch.tanh, "relu": torch.relu}


@st.composite
def deep_configs(draw, names=NAMES):
    name = draw(st.sampled_from(names))
    shortcut = name in ("dts-rnn", "dots-rnn")
    depth = draw(st.integers(2 if shortcut else 1, 3))
    dot = name.startswith("dot")
    return dict(
        name=name, shortcut=shortcut, depth=depth, dot=dot,
        width=draw(st.sampled_from([None, 1, 4, 7])) if depth > 1 else None,
        out_depth=draw(st.integers(1, 3)) if dot else 1,
        out_width=draw(st.sampled_from([None, 1, 5])) if dot else None,
        act=draw(st.sampled_from(["tanh", "relu"])),
        I=draw(st.integers(1, 6)), H=draw(st.integers(1, 6)),
        L=draw(st.integers(2 if name == "stacked-dt-rnn" else 1, 3)),
        B=draw(st.integers(1, 4)), T=draw(st.integers(1, 7)),
        lengths=draw(st.sampled_from(LENGTHS)), hx=draw(st.booleans()),
        seed=draw(st.integers(0, 2 ** 16)))


def build(c, impl: str = "auto"):
    torch.manual_seed(c["seed"])
    kw = dict(depth=c["depth"], width=c["width"], nonlinearity=c["act"], num_layers=c["L"],
              impl=impl)
    if c["dot"]:
        kw.update(out_depth=c["out_depth"], out_width=c["out_width"])
    return R.build_model(c["name"], input_size=c["I"], hidden_size=c["H"], **kw).double()


def batch(c):
    """x (B, T, I), the lengths (or None) and a state per layer (or None)."""
    g = torch.Generator().manual_seed(c["seed"])
    x = torch.randn(c["B"], c["T"], c["I"], dtype=F64, generator=g)
    lengths = draw_lengths(dict(c, bf=True), g)
    state = None
    if c["hx"]:
        state = [torch.randn(c["B"], c["H"], dtype=F64, generator=g) for _ in range(c["L"])]
    return x, lengths, state


class ByHand(nn.Module):
    """The model's equations as a step loop over its parameters (read by name): per
    layer, h_t = phi(... phi(x_t U^T + b_ih + h_{t-1} W_1^T + b_hh) ... W_L^T + b_L
    [+ h_{t-1} W_s^T + x_t U_s^T]); a finished sequence keeps its state and outputs 0;
    then the deep output o = phi(... phi(h V_1^T + c_1) ...), 0 past each length."""

    def __init__(self, model, c):
        super().__init__()
        self.model, self.c = model, c

    def step(self, cell, x, h):
        c, phi = self.c, PHI[self.c["act"]]
        z = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
        if c["depth"] == 1:
            return phi(z)
        z = phi(z)
        for l in range(2, c["depth"] + 1):
            pre = z @ getattr(cell, f"weight_tl{l}").T + getattr(cell, f"bias_tl{l}")
            if l == c["depth"] and c["shortcut"]:
                pre = pre + h @ cell.weight_sh.T + x @ cell.weight_sx.T
            z = phi(pre)
        return z

    def forward(self, x, state=None, lengths=None):
        c = self.c
        B, T = x.shape[:2]
        alive = torch.ones(B, T, dtype=torch.bool) if lengths is None else \
            torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)  # (B, T)
        finals = []
        for k, layer in enumerate(self.model.body.layers):
            h = torch.zeros(B, c["H"], dtype=F64) if state is None else state[k]
            outs = []
            for t in range(T):
                on = alive[:, t:t + 1]
                h = torch.where(on, self.step(layer.cell, x[:, t], h), h)
                outs.append(torch.where(on, h, torch.zeros_like(h)))
            x = torch.stack(outs, 1)
            finals.append(h)
        if c["dot"]:
            for lin in self.model.deep_output.layers:
                x = PHI[c["act"]](x @ lin.weight.T + lin.bias)
            x = x * alive.unsqueeze(-1).to(x.dtype)
        return x, finals


def model_impls(model, x) -> list:
    """Every impl the dispatch can pick for the model's cells here (Triton's loops where
    they run: its CPU interpreter here, CUDA where there is one)."""
    cell = model.body.layers[0].cell
    out = ["auto", "reference", "fast"]
    if dispatch.triton_reason(cell, x) is None:
        out += ["triton", "triton-split", "triton-resident"]
    return out


def check_against_hand(c, triton: bool):
    model = build(c)
    x, lengths, state = batch(c)
    params = list(model.parameters())
    want = run(ByHand(model, c), x, state, lengths, False, True, params)
    for impl in model_impls(model, x):
        if impl.startswith("triton") and not triton:
            continue
        other = build(c, impl)
        other.load_state_dict(model.state_dict())
        assert_same(run(other, x, state, lengths, False, True), want, impl)


def check_carried(c, frac: float):
    c = dict(c, T=max(c["T"], 2))
    model = build(c)
    x, lengths, state = batch(c)
    k = split_point(dict(c, bf=True), lengths, frac)
    want = run(ByHand(model, c), x, state, lengths, False, True, list(model.parameters()))
    for impl in model_impls(model, x)[:3]:  # (Triton: with the one-call test)
        other = build(c, impl)
        other.load_state_dict(model.state_dict())
        two = TwoCalls(other, k, batch_first=True, pack=False)
        assert_same(run(two, x, state, lengths, False, True), want, impl)


@pytest.mark.parametrize("name", NAMES)  # (each drawn: see test_differential_layers)
@settings(FAST, max_examples=8)
@given(data=st.data())
def test_every_impl_of_a_deep_model_equals_the_equations_step_by_step(name, data):
    check_against_hand(data.draw(deep_configs(names=(name,))), triton=False)


@pytest.mark.parametrize("name", NAMES)
@settings(FAST, max_examples=5)
@given(data=st.data(), frac=st.floats(0, 1))
def test_a_deep_models_state_carried_to_the_next_call_equals_one_call(name, data, frac):
    check_carried(data.draw(deep_configs(names=(name,))), frac)


@settings(FAST, max_examples=1)
@given(deep_configs(names=("dots-rnn",)))
def test_the_triton_loops_of_a_deep_model_equal_the_equations(c):
    """Triton's CPU interpreter here (slow: one example; the slow set draws more)."""
    check_against_hand(c, triton=True)


@pytest.mark.slow
@settings(FAST, max_examples=800)
@given(deep_configs())
def test_every_impl_of_a_deep_model_equals_the_equations_step_by_step_wide(c):
    check_against_hand(c, triton=False)


@pytest.mark.slow
@settings(FAST, max_examples=400)
@given(deep_configs(), st.floats(0, 1))
def test_a_deep_models_state_carried_to_the_next_call_equals_one_call_wide(c, frac):
    check_carried(c, frac)


@pytest.mark.slow
@settings(FAST, max_examples=30)
@given(deep_configs())
def test_the_triton_loops_of_a_deep_model_equal_the_equations_wide(c):
    check_against_hand(c, triton=True)
