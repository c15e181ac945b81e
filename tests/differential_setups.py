"""Random set-ups for the differential tests (tests/test_differential_*.py): a drawn
configuration of rnnlab's recurrent layers, the layers and inputs it describes, and one
run of a model giving its outputs, final states and the gradients of a fixed loss.

Every implementation the dispatch can pick (:mod:`rnnlab.nn.dispatch`) is compared with
torch.nn where torch.nn has the configuration and with rnnlab's step loop
(``impl="reference"``) everywhere, in float64 to 1e-10."""

from __future__ import annotations

import torch
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence
from torch.utils._pytree import tree_leaves, tree_structure, tree_unflatten

import rnnlab.nn as R
from rnnlab.nn import dispatch

F64 = torch.float64
TOL = dict(rtol=1e-10, atol=1e-10)
FAST = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
# cells with torch.nn's equations (torch.nn has the configuration) and rnnlab's own
TORCH_KINDS = ("rnn_tanh", "rnn_relu", "gru", "lstm", "lstm_proj")
KINDS = TORCH_KINDS + ("gru_cho", "dt", "dts")
LENGTHS = ("none", "sorted", "unsorted", "one", "equal", "short")


@st.composite
def configs(draw, kinds=KINDS):
    """One configuration: the cell and its sizes, the stack, the batch and its lengths."""
    kind = draw(st.sampled_from(kinds))
    H = draw(st.integers(2 if kind == "lstm_proj" else 1, 9))
    depth = draw(st.integers(2 if kind == "dts" else 1, 3)) if kind in ("dt", "dts") else 1
    return dict(
        kind=kind, I=draw(st.integers(1, 9)), H=H,
        proj=draw(st.integers(1, H - 1)) if kind == "lstm_proj" else 0,
        depth=depth, width=draw(st.sampled_from([None, 1, 5, 9])) if depth > 1 else None,
        act=draw(st.sampled_from(["tanh", "relu"])) if kind in ("dt", "dts") else "tanh",
        L=draw(st.integers(1, 3)), bi=draw(st.booleans()), bf=draw(st.booleans()),
        bias=draw(st.booleans()), B=draw(st.integers(1, 4)), T=draw(st.integers(1, 7)),
        reverse=draw(st.booleans()), lengths=draw(st.sampled_from(LENGTHS)),
        packed=draw(st.booleans()),
        hx=draw(st.booleans()), seed=draw(st.integers(0, 2 ** 16)))


def make_cell(s, input_size: int):
    """The configuration's cell reading ``input_size`` features, in float64."""
    kind, H, bias = s["kind"], s["H"], s["bias"]
    if kind.startswith("rnn"):
        cell = R.RNNCell(input_size, H, bias, kind[4:])
    elif kind.startswith("gru"):
        cell = R.GRUCell(input_size, H, bias, reset_after=kind == "gru")
    elif kind.startswith("lstm"):
        cell = R.LSTMCell(input_size, H, bias, proj_size=s["proj"])
    else:
        cell = R.DTRNNCell(input_size, H, depth=s["depth"], width=s["width"],
                           nonlinearity=s["act"], shortcut=kind == "dts", bias=bias)
    return cell.double()


def out_size(s) -> int:
    return s["proj"] or s["H"]


def stack(s) -> R.Stacked:
    """``Stacked`` of L layers (``Bidirectional`` ones if bi) of the configuration's cell;
    a single layer reads its sequence from the end when ``reverse``."""
    torch.manual_seed(s["seed"])
    layers, size = [], s["I"]
    for _ in range(s["L"]):
        rev = s["reverse"] and s["L"] == 1 and not s["bi"]
        fwd = R.Recurrent(make_cell(s, size), reverse=rev, batch_first=s["bf"])
        if s["bi"]:
            bwd = R.Recurrent(make_cell(s, size), reverse=True, batch_first=s["bf"])
            layers.append(R.Bidirectional(fwd, bwd))
        else:
            layers.append(fwd)
        size = out_size(s) * (2 if s["bi"] else 1)
    return R.Stacked(layers)


def torch_module(s) -> nn.RNNBase:
    """torch.nn's module of the configuration (a kind of :data:`TORCH_KINDS`)."""
    kw = dict(num_layers=s["L"], bias=s["bias"], batch_first=s["bf"], bidirectional=s["bi"],
              dtype=F64)
    kind = s["kind"]
    if kind.startswith("rnn"):
        return nn.RNN(s["I"], s["H"], nonlinearity=kind[4:], **kw)
    if kind == "gru":
        return nn.GRU(s["I"], s["H"], **kw)
    return nn.LSTM(s["I"], s["H"], proj_size=s["proj"], **kw)


def impls_for(cell, x: torch.Tensor, drop_in: bool = False, triton: bool = True) -> list:
    """Every impl that runs ``cell`` here: what "auto" picks, torch's kernel ("fused", a
    drop-in's), rnnlab's kernel on every backend it runs on (``triton``: the Triton loops
    too, where they run), the step loop."""
    out = ["auto", "reference"]
    if dispatch.fused_op(cell) is not None:
        out += ["fused"] if drop_in else ["fast"]
    elif dispatch.kernel_for(cell) is not None:
        out.append("fast")
        if triton and dispatch.triton_reason(cell, x) is None:
            out += ["triton", "triton-split", "triton-resident"]
    return out


def draw_lengths(s, g: torch.Generator):
    """(B,) lengths as the configuration asks (None: every sequence runs all T steps)."""
    T, B, mode = s["T"], s["B"], s["lengths"]
    if mode == "none":
        return None
    if mode == "equal":
        return torch.full((B,), T)
    if mode == "short":  # every sequence shorter than the batch's T (or one step)
        return torch.randint(1, max(T - 1, 1) + 1, (B,), generator=g)
    lengths = torch.randint(1, T + 1, (B,), generator=g)
    lengths[0] = T
    if mode == "one":
        lengths[-1] = 1  # (the batch's only row when B = 1: T = 1 or a row of one step)
    if mode == "sorted":
        lengths = lengths.sort(descending=True).values
    return lengths


def inputs(s, in_features=None):
    """x (T, B, I) or batch-first, the lengths, and a state per layer (or None)."""
    g = torch.Generator().manual_seed(s["seed"])
    T, B, I = s["T"], s["B"], in_features or s["I"]
    x = torch.randn((B, T, I) if s["bf"] else (T, B, I), dtype=F64, generator=g)
    lengths = draw_lengths(s, g)
    state = None
    if s["hx"]:
        def one():
            h = torch.randn(B, out_size(s), dtype=F64, generator=g)
            is_lstm = s["kind"].startswith("lstm")
            return (h, torch.randn(B, s["H"], dtype=F64, generator=g)) if is_lstm else h
        state = [(one(), one()) if s["bi"] else one() for _ in range(s["L"])]
    return x, lengths, state


def weighted_loss(out: torch.Tensor, finals: list) -> torch.Tensor:
    """A fixed loss of everything a call gives, reading every element differently."""
    return sum((t * torch.arange(t.numel(), dtype=t.dtype).mul(1.7).add(k).cos().view(t.shape))
               .sum() + (t.sin() ** 2).sum() for k, t in enumerate([out, *finals]))


def run(model, x, state, lengths, packed: bool, batch_first: bool, params=None):
    """[outputs, final states…, gradients of the loss wrt the parameters (``params``, in
    their order, else the model's), x and the state].

    ``packed``: the batch goes in as a PackedSequence (sorted when the lengths are),
    compared as its padded outputs; else the lengths go by keyword (or none)."""
    x = x.clone().requires_grad_(True)
    leaves = [] if state is None else [t.clone().requires_grad_(True) for t in tree_leaves(state)]
    given = None if state is None else tree_unflatten(leaves, tree_structure(state))
    T = x.shape[1 if batch_first else 0]
    if packed:
        lengths = torch.full((x.shape[0 if batch_first else 1],), T) if lengths is None \
            else lengths
        sorted_ = bool((lengths[:-1] >= lengths[1:]).all())
        inp = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=sorted_)
        out, fin = model(inp, given)
        assert isinstance(out, PackedSequence)
        out = pad_packed_sequence(out, batch_first=batch_first, total_length=T)[0]
    else:
        out, fin = model(x, given) if lengths is None else model(x, given, lengths)
    finals = tree_leaves(fin)
    wrt = list(model.parameters() if params is None else params) + [x] + leaves
    grads = torch.autograd.grad(weighted_loss(out, finals), wrt, allow_unused=True)
    return [out.detach(), *[f.detach() for f in finals], *grads]


def assert_same(got: list, want: list, what: str = "") -> None:
    assert len(got) == len(want), (what, len(got), len(want))
    for k, (a, b) in enumerate(zip(got, want)):
        if a is None or b is None:  # (a parameter no output reads: no gradient on both)
            assert a is None and b is None, (what, k)
            continue
        assert a.shape == b.shape and a.dtype == b.dtype, (what, k, a.shape, b.shape)
        torch.testing.assert_close(a, b, **TOL, msg=lambda m: f"{what} item {k}: {m}")


class TorchLayout(nn.Module):
    """A ``Stacked`` called as torch.nn's RNNs are: ``hx`` one (D*L, B, H) tensor (an LSTM's
    pair), the final states joined back into that layout (split and joined inside the
    call, so that gradients reach torch's layout)."""

    def __init__(self, inner: R.Stacked, bidirectional: bool):
        super().__init__()
        self.inner, self.bi = inner, bidirectional

    def forward(self, x, hx=None, lengths=None):
        state = None
        if hx is not None:
            pair = isinstance(hx, (tuple, list))
            one = (lambda i: (hx[0][i], hx[1][i])) if pair else (lambda i: hx[i])
            L = len(self.inner.layers)
            state = [(one(2 * k), one(2 * k + 1)) if self.bi else one(k) for k in range(L)]
        out, finals = self.inner(x, state, lengths)
        flat = [d for f in finals for d in (f if self.bi else (f,))]
        if isinstance(flat[0], tuple):
            return out, tuple(torch.stack(z) for z in zip(*flat))
        return out, torch.stack(flat)


def torch_state(s, g: torch.Generator):
    """An initial state in torch.nn's layout, (D*L, B, H) (an LSTM's (h_0, c_0)), or None."""
    if not s["hx"]:
        return None
    rows = (2 if s["bi"] else 1) * s["L"]
    h = torch.randn(rows, s["B"], out_size(s), dtype=F64, generator=g)
    if s["kind"].startswith("lstm"):
        return (h, torch.randn(rows, s["B"], s["H"], dtype=F64, generator=g))
    return h


def params_in_torch_order(ours: R.Stacked, theirs: nn.RNNBase) -> list:
    """``ours``'s parameters in the order of torch's of the same names (torch_key_map)."""
    from rnnlab.nn.torch_keys import torch_key_map

    back = {t: o for o, t in torch_key_map(ours).items()}
    named = dict(ours.named_parameters())
    return [named[back[n]] for n, _ in theirs.named_parameters()]
