"""Property tests of the paths: composed layers against torch.nn, the registry's models on
every impl against their step loop, and ``path_for`` against the path a call really runs.

Deterministic (``derandomize``); the wider sweeps are marked slow.
"""

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils._pytree import tree_leaves, tree_map, tree_structure, tree_unflatten

import rnnlab.nn as R
from rnnlab.nn.paths import set_impl
from rnnlab.nn.registry import ARCHITECTURES, build_model

F64 = torch.float64
FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
WIDE = settings(FAST, max_examples=600)
CELLS = {"rnn_tanh": lambda i, h, b: R.RNNCell(i, h, b, "tanh"),
         "rnn_relu": lambda i, h, b: R.RNNCell(i, h, b, "relu"),
         "gru": R.GRUCell, "lstm": R.LSTMCell}


def lengths_of(kind, T, B, g):
    if kind == "equal":
        return torch.full((B,), T)
    lengths = torch.ones(B, dtype=torch.long) if kind == "ones" else \
        torch.randint(1, T + 1, (B,), generator=g)
    lengths[0] = T
    return lengths


def weighted_grads(out, finals, wrt):
    """The detached outputs and final states and the gradients of a fixed weighting."""
    w = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)
    loss = (out * w).sum() + sum(((k + 1.3) * f).sin().sum() for k, f in enumerate(finals))
    return [out.detach(), *[f.detach() for f in finals], *torch.autograd.grad(loss, wrt)]


def assert_all_close(got, want):
    assert len(got) == len(want)
    for k, (a, b) in enumerate(zip(got, want)):
        assert a.shape == b.shape, (k, a.shape, b.shape)
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-10, msg=lambda m: f"item {k}: {m}")


# --- Recurrent / Bidirectional / Stacked of the standard cells = torch.nn -------------------
def composed_like(theirs, kind):
    """rnnlab's layers composed by hand, holding torch module ``theirs``'s parameters."""
    layers, D = [], 2 if theirs.bidirectional else 1
    for k in range(theirs.num_layers):
        size = theirs.input_size if k == 0 else theirs.hidden_size * D
        both = []
        for suffix in [""] + (["_reverse"] if theirs.bidirectional else []):
            cell = CELLS[kind](size, theirs.hidden_size, theirs.bias).double()
            cell.load_state_dict({n: getattr(theirs, f"{n}_l{k}{suffix}").detach().clone()
                                  for n, _ in cell.named_parameters()}, strict=True)
            both.append(R.Recurrent(cell, reverse=bool(suffix), batch_first=theirs.batch_first))
        layers.append(R.Bidirectional(*both) if theirs.bidirectional else both[0])
    return R.Stacked(layers)


def run_pair(ours, theirs, x, hx, lengths, mode, bi, x_grad):
    results = []
    for m, torch_style in ((theirs, True), (ours, False)):
        xx = x.clone().requires_grad_(x_grad)
        hh = None if hx is None else [h.clone().requires_grad_(True) for h in hx]
        if torch_style or hh is None:
            state = None if hh is None else tuple(hh) if len(hh) == 2 else hh[0]
        else:  # torch's (D*L, B, H) as one state per layer (a pair per bidirectional one)
            one = (lambda i: (hh[0][i], hh[1][i])) if len(hh) == 2 else (lambda i: hh[0][i])
            L = hh[0].shape[0] // (2 if bi else 1)
            state = [(one(2 * k), one(2 * k + 1)) if bi else one(k) for k in range(L)]
        bf, T = m.batch_first, x.shape[1 if m.batch_first else 0]
        if mode == "packed" or (torch_style and mode == "lengths"):
            packed = pack_padded_sequence(xx, lengths, batch_first=bf, enforce_sorted=False)
            out, fin = m(packed, state)
            out = pad_packed_sequence(out, batch_first=bf, total_length=T)[0]
        else:
            out, fin = m(xx, state) if torch_style else \
                m(xx, state, lengths if mode == "lengths" else None)
        if not torch_style:  # one state per layer -> torch's stacked layout
            flat = [d for f in fin for d in (f if bi else (f,))]
            fin = tuple(torch.stack(z) for z in zip(*flat)) if isinstance(flat[0], tuple) \
                else torch.stack(flat)
        finals = list(fin) if isinstance(fin, tuple) else [fin]
        wrt = list(m.parameters()) + ([xx] if x_grad else []) + (hh or [])
        results.append(weighted_grads(out, finals, wrt))
    assert_all_close(results[1], results[0])


@st.composite
def stacks(draw):
    return dict(kind=draw(st.sampled_from(sorted(CELLS))), L=draw(st.integers(1, 3)),
                bi=draw(st.booleans()), bf=draw(st.booleans()), bias=draw(st.booleans()),
                T=draw(st.integers(1, 4)), B=draw(st.integers(1, 4)),
                mode=draw(st.sampled_from(["none", "lengths", "packed"])),
                lengths=draw(st.sampled_from(["random", "equal", "ones"])),
                hx=draw(st.booleans()), x_grad=draw(st.booleans()),
                impl=draw(st.sampled_from(["auto", "fast", "reference"])),
                train=draw(st.booleans()), seed=draw(st.integers(0, 99)))


def check_composed(s):
    torch.manual_seed(s["seed"])
    (cls, extra) = (nn.RNN, {"nonlinearity": s["kind"][4:]}) if s["kind"].startswith("rnn") \
        else ({"gru": nn.GRU, "lstm": nn.LSTM}[s["kind"]], {})
    theirs = cls(2, 3, num_layers=s["L"], bidirectional=s["bi"], batch_first=s["bf"],
                 bias=s["bias"], **extra).double()
    ours = composed_like(theirs, s["kind"])
    set_impl(ours, s["impl"])
    ours.train(s["train"])  # (training: the padded path where it pays, no one-call stack)
    g = torch.Generator().manual_seed(s["seed"])
    x = torch.randn((s["B"], s["T"], 2) if s["bf"] else (s["T"], s["B"], 2), dtype=F64,
                    generator=g)
    lengths = lengths_of(s["lengths"], s["T"], s["B"], g)
    D = 2 if s["bi"] else 1
    hx = None if not s["hx"] else [torch.randn(D * s["L"], s["B"], 3, dtype=F64, generator=g)
                                   for _ in range(2 if s["kind"] == "lstm" else 1)]
    run_pair(ours, theirs, x, hx, lengths, s["mode"], s["bi"], s["x_grad"])


@FAST
@given(stacks())
def test_composed_standard_layers_equal_torch_nn(s):
    """Recurrent / Bidirectional / Stacked of RNNCell, GRUCell, LSTMCell on every impl
    (torch's kernel, one multi-layer call, padded or packed lengths, the step loop)."""
    check_composed(s)


@pytest.mark.slow
@WIDE
@given(stacks())
def test_composed_standard_layers_equal_torch_nn_wide(s):
    check_composed(s)


# --- the registry's models: every impl equals the step loop ----------------------------------
@st.composite
def models(draw):
    name = draw(st.sampled_from(sorted(ARCHITECTURES)))
    arch = ARCHITECTURES[name]
    layers = max(arch.min_layers, draw(st.integers(1, 3)))
    kw = dict(input_size=2, hidden_size=3, num_layers=layers,
              dropout=draw(st.sampled_from([0.0, 0.4])) if layers > 1 else 0.0)
    if "depth" in arch.options:
        kw["depth"] = draw(st.integers(2 if name in ("dts-rnn", "dots-rnn") else 1, 3))
        kw["width"] = draw(st.sampled_from([None, 2])) if kw["depth"] > 1 else None
    if "nonlinearity" in arch.options:
        kw["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    if "out_depth" in arch.options:
        kw["out_depth"] = draw(st.integers(1, 2))
    return dict(name=name, kw=kw, impl=draw(st.sampled_from(["auto", "fast", "fused"])),
                T=draw(st.integers(1, 4)), B=draw(st.integers(0, 3)),
                lengths=draw(st.sampled_from([None, "random", "equal", "ones"])),
                state=draw(st.booleans()), x_grad=draw(st.booleans()),
                train=draw(st.booleans()), seed=draw(st.integers(0, 99)))


def check_model(s):
    torch.manual_seed(s["seed"])
    ref = build_model(s["name"], **s["kw"]).double().train(s["train"])
    set_impl(ref, "reference")
    other = build_model(s["name"], **s["kw"]).double().train(s["train"])
    other.load_state_dict(ref.state_dict(), strict=True)
    if s["impl"] != "fused":  # ("fused": as built, torch's kernel where there is one)
        set_impl(other, s["impl"])
    g = torch.Generator().manual_seed(s["seed"])
    x = torch.randn(s["B"], s["T"], 2, dtype=F64, generator=g)
    lengths = None if s["lengths"] is None or not s["B"] else \
        lengths_of(s["lengths"], s["T"], s["B"], g)
    state = None
    if s["state"]:  # the model's own state layout, from one step of it
        state = tree_map(torch.Tensor.detach, ref(torch.randn(s["B"], 1, 2, dtype=F64))[1])
    results = []
    for m in (ref, other):
        torch.manual_seed(77)  # (dropout: the same masks)
        xx = x.clone().requires_grad_(s["x_grad"])
        leaves = [t.clone().requires_grad_(True) for t in tree_leaves(state)] if s["state"] else []
        given_state = None if state is None else tree_unflatten(leaves, tree_structure(state))
        out, fin = m(xx, given_state, lengths)
        wrt = list(m.parameters()) + ([xx] if s["x_grad"] else []) + leaves
        results.append(weighted_grads(out, tree_leaves(fin), wrt))
    assert_all_close(results[1], results[0])


@FAST
@given(models())
def test_registry_models_equal_their_step_loop_on_every_impl(s):
    """Every architecture (deep output included), dropout in training mode, lengths, a
    carried state, an empty batch: impl auto / fast / as built against "reference"."""
    check_model(s)


@pytest.mark.slow
@WIDE
@given(models())
def test_registry_models_equal_their_step_loop_wide(s):
    check_model(s)
