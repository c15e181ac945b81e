"""Property tests: rnnlab.nn.{RNN, GRU, LSTM} against torch.nn on randomly drawn set-ups.

Each example draws a configuration (mode, layers, directions, layout, bias, proj_size, the
impl), an input (dense, unbatched, packed sorted or not; T and B from 1, an empty batch;
contiguous, strided, expanded or transposed), lengths (random, tied, all equal), a given
initial state or none, whether the input requires grad, how the module was made (dtype=,
``.double()``, ``.to()``), ``flatten_parameters`` and a copy (deepcopy, torch.save /
torch.load(weights_only=True)), the state_dict loaded from torch's and back with
strict=True. The two modules must agree in float64: outputs, final states, the
PackedSequence's fields, and the gradients of every parameter, the input and the initial
state; in training mode with dropout, for one seed; and in second derivatives.
Deterministic (``derandomize``); the wider sweeps are marked slow.
"""

import copy
import io

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnlab.nn as R

F64 = torch.float64
FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
WIDE = settings(FAST, max_examples=1500)


@st.composite
def setups(draw, packed_ok=True):
    kind = draw(st.sampled_from(["rnn_tanh", "rnn_relu", "gru", "lstm"]))
    H = draw(st.integers(1, 4))
    proj = draw(st.integers(0, H - 1)) if kind == "lstm" and draw(st.booleans()) else 0
    modes = ["dense", "unbatched"] + (["packed_sorted", "packed_unsorted"] if packed_ok else [])
    mode = draw(st.sampled_from(modes))
    return dict(
        kind=kind, I=draw(st.integers(1, 3)), H=H, proj=proj, L=draw(st.integers(1, 3)),
        bi=draw(st.booleans()), bf=draw(st.booleans()), bias=draw(st.booleans()),
        impl=draw(st.sampled_from(["auto", "fused", "reference"])), mode=mode,
        T=draw(st.integers(1, 4)), B=draw(st.integers(0 if mode == "dense" else 1, 4)),
        hx=draw(st.booleans()), x_grad=draw(st.booleans()),
        layout=draw(st.sampled_from(["contiguous", "strided", "expanded", "transposed"])),
        lengths=draw(st.sampled_from(["random", "ties", "equal"])),
        made=draw(st.sampled_from(["dtype", "double", "to"])), flatten=draw(st.booleans()),
        copy=draw(st.sampled_from(["none", "deepcopy", "save"])), seed=draw(st.integers(0, 99)))


def torch_kwargs(s, **extra):
    kw = dict(num_layers=s["L"], bidirectional=s["bi"], batch_first=s["bf"], bias=s["bias"],
              **extra)
    if s["kind"].startswith("rnn"):
        return (nn.RNN, R.RNN), dict(kw, nonlinearity=s["kind"][4:])
    if s["kind"] == "gru":
        return (nn.GRU, R.GRU), kw
    return (nn.LSTM, R.LSTM), dict(kw, proj_size=s["proj"])


def pair(s, **extra):
    """torch's module and ours, made as the set-up says, holding torch's parameters."""
    (theirs_cls, ours_cls), kw = torch_kwargs(s, **extra)
    torch.manual_seed(s["seed"])
    theirs = theirs_cls(s["I"], s["H"], **kw).double()
    if s["made"] == "dtype":
        ours = ours_cls(s["I"], s["H"], impl=s["impl"], dtype=F64, **kw)
    else:
        ours = ours_cls(s["I"], s["H"], impl=s["impl"], **kw)
        ours = ours.double() if s["made"] == "double" else ours.to(F64)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    if s["flatten"]:
        ours.flatten_parameters()
    if s["copy"] == "deepcopy":
        ours = copy.deepcopy(ours)
    elif s["copy"] == "save":
        buf = io.BytesIO()
        torch.save(ours, buf)
        buf.seek(0)
        ours = torch.load(buf, weights_only=True)
    back = theirs_cls(s["I"], s["H"], **kw).double()
    back.load_state_dict(ours.state_dict(), strict=True)  # and back, strict
    for (n, p), (m, q) in zip(back.named_parameters(), theirs.named_parameters()):
        assert n == m and torch.equal(p, q), n
    return ours, theirs


def laid_out(shape, layout, g):
    """A float64 tensor of ``shape`` in memory laid out as asked."""
    if layout == "strided":
        return torch.randn(shape[:-1] + (2 * shape[-1],), dtype=F64, generator=g)[..., ::2]
    if layout == "expanded":
        return torch.randn(shape[:-1] + (1,), dtype=F64, generator=g).expand(shape)
    if layout == "transposed":
        back = tuple(reversed(range(len(shape))))
        return torch.randn(tuple(reversed(shape)), dtype=F64, generator=g).permute(back)
    return torch.randn(shape, dtype=F64, generator=g)


def inputs(s):
    g = torch.Generator().manual_seed(s["seed"])
    T, B, I = s["T"], s["B"], s["I"]
    unbatched = s["mode"] == "unbatched"
    x = laid_out((T, I) if unbatched else (B, T, I) if s["bf"] else (T, B, I), s["layout"], g)
    lengths = None
    if s["mode"].startswith("packed"):
        if s["lengths"] == "equal":
            lengths = torch.full((B,), T)
        elif s["lengths"] == "ties":
            lengths = torch.full((B,), max(1, T - 1))
        else:
            lengths = torch.randint(1, T + 1, (B,), generator=g)
        lengths[0] = T
        if s["mode"] == "packed_sorted":
            lengths = lengths.sort(descending=True).values
    hx = None
    if s["hx"]:
        D = 2 if s["bi"] else 1
        lead = (D * s["L"],) if unbatched else (D * s["L"], B)
        hx = [laid_out(lead + (s["proj"] or s["H"],), s["layout"], g)]
        if s["kind"] == "lstm":
            hx.append(laid_out(lead + (s["H"],), s["layout"], g))
    return x, hx, lengths


def run(module, s, x, hx, lengths, order=1):
    """Outputs, final states and the gradients of a fixed weighting of them (with respect
    to every parameter, the initial state and the input where it requires grad); with
    ``order=2``, those of the squared first gradients instead."""
    x = x.detach().requires_grad_(s["x_grad"])  # (detach keeps the layout)
    hx = None if hx is None else [h.detach().requires_grad_(True) for h in hx]
    inp = x
    if lengths is not None:
        inp = pack_padded_sequence(x, lengths, batch_first=s["bf"],
                                   enforce_sorted=s["mode"] == "packed_sorted")
    out, h_n = module(inp, None if hx is None else tuple(hx) if len(hx) == 2 else hx[0])
    h_n = list(h_n) if isinstance(h_n, tuple) else [h_n]
    flat = out.data if isinstance(out, PackedSequence) else out
    g = torch.Generator().manual_seed(7)
    loss = sum(((h if order == 1 else h.tanh()) * torch.randn(h.shape, dtype=F64, generator=g))
               .sum() for h in [flat, *h_n])
    wrt = list(module.parameters()) + ([x] if s["x_grad"] else []) + (hx or [])
    grads = torch.autograd.grad(loss, wrt, create_graph=order == 2)
    if order == 2:
        grads = torch.autograd.grad(sum((d ** 2).sum() for d in grads), wrt, allow_unused=True)
    fields = ([out.batch_sizes, out.sorted_indices, out.unsorted_indices]
              if isinstance(out, PackedSequence) else [])
    return [flat.detach(), *[h.detach() for h in h_n]], fields, list(grads)


def assert_agree(got, want):
    (g_vals, g_fields, g_grads), (w_vals, w_fields, w_grads) = got, want
    assert len(g_vals) == len(w_vals) and len(g_grads) == len(w_grads)
    for a, b in zip(g_vals, w_vals):
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape)
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)
    for a, b in zip(g_fields, w_fields):
        assert (a is None and b is None) or torch.equal(a, b)
    for k, (a, b) in enumerate(zip(g_grads, w_grads)):
        if b is None or a is None:  # (a second derivative that does not exist: zero)
            assert all(t is None or not t.any() for t in (a, b)), k
            continue
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11, msg=lambda m: f"grad {k}: {m}")


def check_against_torch(s):
    ours, theirs = pair(s)
    x, hx, lengths = inputs(s)
    assert_agree(run(ours, s, x, hx, lengths), run(theirs, s, x, hx, lengths))


@FAST
@given(setups())
def test_dropins_equal_torch_nn(s):
    """Forward and backward, every drawn set-up, every impl."""
    check_against_torch(s)


@pytest.mark.slow
@WIDE
@given(setups())
def test_dropins_equal_torch_nn_wide(s):
    check_against_torch(s)


def check_dropout_in_training(s, p):
    """Training mode with dropout between the layers: one seed, the same masks."""
    ours, theirs = pair(dict(s, L=max(2, s["L"])), dropout=p)
    s = dict(s, L=max(2, s["L"]))
    x, hx, lengths = inputs(s)
    runs = []
    for m in (ours, theirs):
        torch.manual_seed(1234)
        runs.append(run(m.train(), s, x, hx, lengths))
    assert_agree(*runs)


@settings(FAST, max_examples=15)
@given(setups(), st.sampled_from([0.3, 0.5, 1.0]))
def test_dropins_draw_torch_nns_dropout_masks(s, p):
    check_dropout_in_training(s, p)


@settings(FAST, max_examples=15)
@given(setups())
def test_dropins_second_derivatives_equal_torch_nn(s):
    """Double backward (a gradient penalty): torch.nn runs it on the CPU; so must every
    impl of ours, to the same numbers."""
    s = dict(s, T=min(s["T"], 3), L=min(s["L"], 2))
    ours, theirs = pair(s)
    x, hx, lengths = inputs(s)
    assert_agree(run(ours, s, x, hx, lengths, order=2), run(theirs, s, x, hx, lengths, order=2))


@pytest.mark.slow
@settings(WIDE, max_examples=300)
@given(setups(), st.sampled_from([0.3, 1.0]))
def test_dropout_and_second_derivatives_wide(s, p):
    check_dropout_in_training(s, p)
    s = dict(s, T=min(s["T"], 3), L=min(s["L"], 2))
    ours, theirs = pair(s)
    x, hx, lengths = inputs(s)
    assert_agree(run(ours, s, x, hx, lengths, order=2), run(theirs, s, x, hx, lengths, order=2))


def test_gradgradcheck_on_the_reference_path():
    """torch.autograd.gradgradcheck itself (numerical second derivatives), once per mode,
    on the step loop and on torch's kernel behind the drop-in."""
    for cls, kw in [(R.RNN, {}), (R.GRU, {}), (R.LSTM, {"proj_size": 1})]:
        for impl in ("reference", "auto"):
            torch.manual_seed(0)
            m = cls(2, 2, impl=impl, bidirectional=True, **kw).double()
            x = torch.randn(2, 1, 2, dtype=F64, requires_grad=True)
            assert torch.autograd.gradgradcheck(lambda t: m(t)[0], (x,))



@pytest.mark.parametrize("impl", ["auto", "fused", "reference"])
def test_a_packed_lstm_state_of_unequal_layers_is_refused_before_torchs_kernel(impl):
    """torch.nn.LSTM (torch 2.13, CPU) given a PackedSequence and h and c of different
    numbers of layers dies with a segmentation fault (its packed path skips the check
    of c); the drop-in checks both before any kernel runs and says which is wrong."""
    x = pack_padded_sequence(torch.randn(3, 2, 2), torch.tensor([3, 2]))
    with pytest.raises(R.ShapeError, match="h_0"):
        R.LSTM(2, 3, impl=impl)(x, (torch.zeros(2, 2, 3), torch.zeros(1, 2, 3)))
    with pytest.raises(R.ShapeError, match="c_0"):
        R.LSTM(2, 3, impl=impl)(x, (torch.zeros(1, 2, 3), torch.zeros(2, 2, 3)))
