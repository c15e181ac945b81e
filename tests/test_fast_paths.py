"""Every fast path equals the reference loop (STYLE pattern 4), forward and backward, float64.

Each case builds one model, runs it once with every ``Recurrent`` on ``impl="reference"``
and once on ``impl="auto"`` (the fast kernel), and compares outputs, final states and
the gradients of all parameters, the input and the initial state.
"""

from __future__ import annotations

import importlib.util

import pytest
import torch
from torch import nn

from rnnlab.nn import Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell, Stacked
from rnnlab.nn import dispatch
from rnnlab.nn.paths import describe_path, set_impl
from rnnlab.nn.registry import build_model
from rnnlab.nn.torch_compat import GRU

HAS_DEEP = importlib.util.find_spec("rnnlab.nn.deep") is not None
needs_deep = pytest.mark.skipif(not HAS_DEEP, reason="rnnlab.nn.deep not there yet")

T, B, I, H = 6, 3, 4, 5
LENGTHS = torch.tensor([6, 2, 4])


def flat_state(state):
    if isinstance(state, torch.Tensor):
        return [state]
    return [t for s in state for t in flat_state(s)]


def run_both(model, x, state=None, lengths=None, expect_fast=True, fast_impl="auto",
             fast_paths=("fast",)):
    """(outputs, final state tensors, grads) for the reference and the fast path."""
    results = []
    for impl in ("reference", fast_impl):
        set_impl(model, impl)
        paths = {m.path for m in model.modules() if isinstance(m, Recurrent)}
        assert paths == (set(fast_paths) if impl != "reference" and expect_fast
                         else {"reference"})
        xs = x.detach().clone().requires_grad_()
        st = None if state is None else [s.detach().clone().requires_grad_()
                                         for s in flat_state(state)]
        arg = None if st is None else rebuild(state, iter(st))
        out, fin = model(xs, arg, lengths)
        fin = flat_state(fin)
        g = torch.Generator().manual_seed(7)
        loss = 0.0
        for y in [out, *fin]:  # a random linear functional of every output
            w = torch.randn(y.shape, generator=g, dtype=y.dtype).to(y.device)
            loss = loss + (y * w).sum()
        leaves = [xs] + (st or []) + list(model.parameters())
        grads = torch.autograd.grad(loss, leaves)
        results.append([out, *fin, *grads])
    return results


def rebuild(like, it):
    if isinstance(like, torch.Tensor):
        return next(it)
    return type(like)(rebuild(s, it) for s in like) if isinstance(like, tuple) else [
        rebuild(s, it) for s in like]


def assert_equal_paths(model, x, state=None, lengths=None, fast_impl="auto",
                       fast_paths=("fast",)):
    ref, fst = run_both(model, x, state, lengths, fast_impl=fast_impl, fast_paths=fast_paths)
    assert len(ref) == len(fst)
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


def x64(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# -- gru-cho ---------------------------------------------------------------------------------
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("lengths", [None, LENGTHS])
def test_gru_cho_layer(reverse, bias, with_state, lengths):
    torch.manual_seed(0)
    model = Recurrent(GRUCell(I, H, bias=bias, reset_after=False), reverse=reverse).double()
    state = x64(B, H) if with_state else None
    assert_equal_paths(model, x64(T, B, I), state, lengths)


@pytest.mark.parametrize("lengths", [None, LENGTHS])
def test_gru_cho_stacked_bidirectional(lengths):
    torch.manual_seed(1)
    layers = [Bidirectional(Recurrent(GRUCell(I, H, reset_after=False)),
                            Recurrent(GRUCell(I, H, reset_after=False), reverse=True)),
              Recurrent(GRUCell(2 * H, H, reset_after=False))]
    model = Stacked(layers).double()
    state = [(x64(B, H), x64(B, H)), x64(B, H)]
    assert_equal_paths(model, x64(T, B, I), state, lengths)


def test_gru_cho_torch_compat_runs_fast_and_matches():
    """The registry's gru-cho (torch-compatible GRU, reset_after=False) goes through the kernel."""
    torch.manual_seed(2)
    model = build_model("gru-cho", input_size=I, hidden_size=H, num_layers=2).double()
    ref_modules = [m for m in model.body._reference.modules() if isinstance(m, Recurrent)]
    assert ref_modules and all(m.path == "fast" for m in ref_modules)

    def set_loops(impl):
        for m in ref_modules:
            m.impl = impl

    ref, fst = outputs_and_grads(model, x64(B, T, I), LENGTHS, set_loops, ("reference", "auto"))
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


def outputs_and_grads(model, x, lengths, switch, impls):
    """[output, final state, grads of input and parameters] of a sequence model, per impl
    (``switch(impl)`` switches it), for one scalar loss."""
    results = []
    for impl in impls:
        switch(impl)
        xs = x.clone().requires_grad_()
        out, h = model(xs, lengths=lengths)
        loss = out.square().sum() + h.sum()
        results.append([out, h, *torch.autograd.grad(loss, [xs, *model.parameters()])])
    return results


def test_reset_after_gru_has_no_rnnlab_kernel_but_torchs():
    assert dispatch.kernel_for(GRUCell(I, H)) is None
    assert Recurrent(GRUCell(I, H)).path == "fused"
    assert Recurrent(GRUCell(I, H), impl="reference").path == "reference"
    assert Recurrent(GRUCell(I, H, reset_after=False), impl="reference").path == "reference"


def test_autocast_runs_reference_loop():
    cell = GRUCell(I, H, reset_after=False)
    xp = torch.randn(T, B, 3 * H)
    assert dispatch.can_run(cell, xp)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert not dispatch.can_run(cell, xp)
        out, _ = Recurrent(cell)(torch.randn(T, B, I))
    assert out.shape == (T, B, H)


def test_no_grad_and_float32_agree():
    torch.manual_seed(3)
    model = Recurrent(GRUCell(I, H, reset_after=False))
    x = torch.randn(T, B, I)
    with torch.no_grad():
        fast_out, fast_h = model(x)
        model.impl = "reference"
        ref_out, ref_h = model(x)
    torch.testing.assert_close(fast_out, ref_out)
    torch.testing.assert_close(fast_h, ref_h)


@pytest.mark.parametrize("name", ["gru-cho", pytest.param("dt-rnn", marks=needs_deep)])
def test_second_derivatives_raise_on_the_kernel_and_run_on_the_loop(name):
    """A gradient penalty through the kernel must fail loudly, never come back None or
    wrong; on the reference loop it is autograd's own double backward."""
    torch.manual_seed(5)
    model = build_model(name, input_size=I, hidden_size=H).double()
    x = torch.randn(B, T, I, dtype=torch.float64, requires_grad=True)
    assert describe_path(model) == "fast-torch"
    out, _ = model(x)
    with pytest.raises(RuntimeError, match="create_graph=True.*impl='reference'"):
        torch.autograd.grad(out.pow(2).sum(), x, create_graph=True)
    (g,) = torch.autograd.grad(model(x)[0].pow(2).sum(), x)  # first order still runs
    set_impl(model, "reference")
    out, _ = model(x)
    (g_ref,) = torch.autograd.grad(out.pow(2).sum(), x, create_graph=True)
    torch.testing.assert_close(g, g_ref.detach(), rtol=1e-10, atol=1e-12)
    penalty = torch.autograd.grad(g_ref.pow(2).sum(), [x, *model.parameters()])
    assert all(p is not None and p.abs().sum() > 0 for p in penalty)


def test_bad_impl_is_rejected():
    with pytest.raises(ValueError, match="impl"):
        Recurrent(GRUCell(I, H), impl="fused")


def test_gru_torch_compat_reference_equals_torch():
    """Sanity: the compat GRU(reset_after=False) still builds and runs."""
    m = GRU(I, H, reset_after=False)
    out, h = m(torch.randn(T, B, I))
    assert out.shape == (T, B, H) and h.shape == (1, B, H)


# -- the standard cells on torch's fused kernel (fast/fused.py) ------------------------------
def standard_cell(kind, i=I, bias=True):
    if kind.startswith("rnn_"):
        return RNNCell(i, H, bias=bias, nonlinearity=kind[4:])
    return GRUCell(i, H, bias=bias) if kind == "gru" else LSTMCell(i, H, bias=bias)


def standard_state(kind):
    return (x64(B, H), x64(B, H)) if kind == "lstm" else x64(B, H)


STANDARD_KINDS = ["rnn_tanh", "rnn_relu", "gru", "lstm"]


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("lengths", [None, LENGTHS])
@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_standard_cell_on_torch_kernel(kind, reverse, bias, with_state, lengths):
    torch.manual_seed(0)
    model = Recurrent(standard_cell(kind, bias=bias), reverse=reverse).double()
    assert_equal_paths(model, x64(T, B, I), standard_state(kind) if with_state else None,
                       lengths, fast_paths=("fused",))


@pytest.mark.parametrize("lengths", [None, LENGTHS])
@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_standard_cells_stacked_bidirectional_on_torch_kernel(kind, lengths):
    torch.manual_seed(1)
    model = Stacked([Bidirectional(Recurrent(standard_cell(kind)),
                                   Recurrent(standard_cell(kind), reverse=True)),
                     Recurrent(standard_cell(kind, 2 * H))]).double()
    state = [(standard_state(kind), standard_state(kind)), standard_state(kind)]
    assert_equal_paths(model, x64(T, B, I), state, lengths, fast_paths=("fused",))


def standard_stack(kind, layers, bidirectional, batch_first=False, bias=True, dropout=0.0):
    def rec(i, reverse=False):
        return Recurrent(standard_cell(kind, i, bias), reverse=reverse, batch_first=batch_first)

    D = 2 if bidirectional else 1
    sizes = [I] + [D * H] * (layers - 1)
    return Stacked([Bidirectional(rec(i), rec(i, True)) if bidirectional else rec(i)
                    for i in sizes], dropout)


def stack_state(kind, layers, bidirectional, missing=False):
    """One state per layer; with ``missing``, layer 0 (or its backward direction) has none."""
    one = (lambda: (standard_state(kind), standard_state(kind))) if bidirectional else \
        (lambda: standard_state(kind))
    state = [one() for _ in range(layers)]
    if missing:
        state[0] = (state[0][0], None) if bidirectional else None
    return state


class CountCalls:
    """Counts the calls of torch's op for ``kind`` (torch.lstm, ...) while active."""

    def __init__(self, monkeypatch, kind):
        name = {"rnn_tanh": "rnn_tanh", "rnn_relu": "rnn_relu"}.get(kind, kind)
        real = getattr(torch, name)
        self.calls = 0

        def counted(*args):
            self.calls += 1
            return real(*args)

        monkeypatch.setattr(torch, name, counted)


STACK_SHAPES = [(2, False), (3, False), (1, True), (2, True)]


@pytest.mark.parametrize("layers,bidirectional", STACK_SHAPES)
@pytest.mark.parametrize("lengths", [None, LENGTHS])
@pytest.mark.parametrize("state", ["none", "given", "partly"])
@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_standard_stack_runs_as_one_multilayer_call(monkeypatch, kind, state, lengths, layers,
                                                    bidirectional):
    """A stack of standard cells is one call of torch's multi-layer kernel (as torch.nn.LSTM
    with num_layers and bidirectional makes), equal to the layers' reference loops."""
    torch.manual_seed(11)
    model = standard_stack(kind, layers, bidirectional).double()
    st = None if state == "none" else stack_state(kind, layers, bidirectional,
                                                  missing=state == "partly")
    x = x64(T, B, I)
    if st is not None and state == "partly":  # None inside: zeros, as the layers' own default
        out, _ = model(x, st, lengths)
        set_impl(model, "reference")
        torch.testing.assert_close(out, model(x, st, lengths)[0], rtol=1e-10, atol=1e-12)
        set_impl(model, "auto")
        st = [s if s is not None else standard_state(kind) for s in st]
        if bidirectional:
            st[0] = (st[0][0], standard_state(kind))
    counter = CountCalls(monkeypatch, kind)
    assert_equal_paths(model, x, st, lengths, fast_paths=("fused",))
    # the reference run calls none; the fused run one for the stack, or, for lengths on the
    # CPU (run padded, fast.fused.pads), one per layer and direction
    padded = lengths is not None and kind != "rnn_relu"
    assert counter.calls == (layers * (2 if bidirectional else 1) if padded else 1)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_standard_stack_batch_first_no_bias(monkeypatch, bidirectional):
    torch.manual_seed(12)
    model = standard_stack("gru", 2, bidirectional, batch_first=True, bias=False).double()
    counter = CountCalls(monkeypatch, "gru")
    assert_equal_paths(model, x64(B, T, I), None, None, fast_paths=("fused",))
    assert counter.calls == 1
    assert_equal_paths(model, x64(B, T, I), None, LENGTHS, fast_paths=("fused",))


def test_standard_stack_equals_torch_nn_bit_for_bit():
    """With torch.nn.LSTM's weights, the composed stack makes torch.nn.LSTM's very call;
    with lengths (packed for torch.nn; on the CPU, padded for rnnlab) it agrees to rounding."""
    torch.manual_seed(13)
    ref = nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True)
    model = standard_stack("lstm", 2, True, batch_first=True)
    for k, layer in enumerate(model.layers):
        for suffix, rec in (("", layer.forward_layer), ("_reverse", layer.backward_layer)):
            rec.cell.load_state_dict({n: getattr(ref, f"{n}_l{k}{suffix}")
                                      for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
    x = torch.randn(B, T, I)

    def finals_of(finals):
        return (torch.stack([d[0] for layer in finals for d in layer]),
                torch.stack([d[1] for layer in finals for d in layer]))

    out, finals = model(x)
    out_t, (h_t, c_t) = ref(x)
    torch.testing.assert_close(out, out_t, rtol=0, atol=0)
    torch.testing.assert_close(finals_of(finals), (h_t, c_t), rtol=0, atol=0)
    packed = nn.utils.rnn.pack_padded_sequence(x, LENGTHS, batch_first=True,
                                               enforce_sorted=False)
    out, finals = model(x, None, LENGTHS)
    out_t, (h_t, c_t) = ref(packed)
    out_t, _ = nn.utils.rnn.pad_packed_sequence(out_t, batch_first=True, total_length=T)
    torch.testing.assert_close(out, out_t)
    torch.testing.assert_close(finals_of(finals), (h_t, c_t))


def test_stack_falls_back_to_one_call_per_layer(monkeypatch):
    """What cannot be one call runs layer by layer, each layer still on torch's kernel."""
    torch.manual_seed(14)
    x = torch.randn(T, B, I)

    def calls(model, train=True):
        model.train(train)
        counter = CountCalls(monkeypatch, "lstm")
        model(x)
        monkeypatch.undo()
        return counter.calls

    assert calls(standard_stack("lstm", 3, False)) == 1
    assert calls(standard_stack("lstm", 1, False)) == 1
    drop = standard_stack("lstm", 3, False, dropout=0.5)
    assert calls(drop) == 3  # dropout between layers is ours, not the kernel's
    assert calls(drop, train=False) == 1  # in eval mode there is none
    hooked = standard_stack("lstm", 2, False)
    seen = []
    hooked.layers[1].register_forward_hook(lambda m, a, o: seen.append(1))
    assert calls(hooked) == 2 and seen == [1]  # the hook still runs
    mixed = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(LSTMCell(H, H), reverse=True)])
    assert calls(mixed) == 2
    sizes = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(LSTMCell(H, H + 1))])
    assert calls(sizes) == 2
    biases = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(LSTMCell(H, H, bias=False))])
    assert calls(biases) == 2
    ref_layer = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(LSTMCell(H, H), impl="reference")])
    assert calls(ref_layer) == 1  # only the first layer is on torch's kernel


def test_stack_state_errors_are_clear():
    model = standard_stack("lstm", 2, True)
    x = torch.randn(T, B, I)
    with pytest.raises(ValueError, match="one state per layer"):
        model(x, [None])
    with pytest.raises(ValueError, match=r"expected its state as \(forward_state"):
        model(x, [(None, None, None), None])
    with pytest.raises(ValueError):
        model(x, [((torch.zeros(B, H + 1), torch.zeros(B, H)), None), None])
    # a batch of no sequences: empty outputs, as torch.nn's (it was refused, "empty batch")
    out, states = model(torch.randn(T, 0, I), None, torch.zeros(0, dtype=torch.long))
    assert out.shape == (T, 0, 2 * H) and len(states) == 2
    # refused at construction, naming the layer (test_user_sweep_deep; the call said the
    # inner cell's "expected input with 6 features", the layer's own message, not the kernel's)
    with pytest.raises(ValueError, match="layer 1 reads 6 features, but layer 0 outputs 5"):
        Stacked([Recurrent(LSTMCell(I, H)), Recurrent(LSTMCell(H + 1, H))])


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_variable_lengths_on_cpu_run_padded_and_exact(monkeypatch, kind, dtype):
    """On the CPU, lengths run the padded batch whole on torch's kernel (not packed, which
    is a slow loop there), except for the ReLU RNN. Long padding, NaN and huge values in
    it (no path reads them, forward or backward), and the LSTM's final cell state held
    fixed past the end: equal to the reference loop."""
    from rnnlab.nn.fast import fused

    torch.manual_seed(16)
    T_long = 40
    lengths = torch.tensor([T_long, 3, 1, 17])
    for reverse in (False, True):
        layer = Recurrent(standard_cell(kind), reverse=reverse).to(dtype)
        x = torch.randn(T_long, 4, I, dtype=dtype)
        x[3:, 1] = float("nan")  # padding is never read: NaN there changes nothing
        x[1:, 2] = 1e30
        x[17:, 3] = float("nan")
        packs = []
        real_pack = fused.pack_padded_sequence
        monkeypatch.setattr(fused, "pack_padded_sequence",
                            lambda *a, **k: packs.append(1) or real_pack(*a, **k))
        outs = []
        for impl in ("reference", "auto"):
            layer.impl = impl
            xs = x.clone().requires_grad_()
            out, fin = layer(xs, None, lengths)
            fin = list(fin) if isinstance(fin, tuple) else [fin]
            loss = out.sum() + sum((f * (k + 2)).sum() for k, f in enumerate(fin))
            grads = torch.autograd.grad(loss, [xs] + list(layer.parameters()))
            assert all(torch.isfinite(t).all() for t in [out, *fin, *grads])
            outs.append([out, *fin, *grads])
        assert bool(packs) == (kind == "rnn_relu")
        tol = dict(rtol=1e-10, atol=1e-12) if dtype == torch.float64 else dict(rtol=1e-4,
                                                                                atol=1e-5)
        for a, b in zip(*outs):
            torch.testing.assert_close(b, a, **tol)
        monkeypatch.undo()


@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_padded_or_packed_by_what_pays(monkeypatch, kind):
    """Padded where it was measured to pay: training with at least PAD_FILL_TRAIN of the
    steps valid; forward only, an LSTM at least PAD_FILL_INFER_LSTM full; else packed."""
    from rnnlab.nn.fast import fused

    torch.manual_seed(18)
    layer = Recurrent(standard_cell(kind))
    stack = standard_stack(kind, 2, False)
    T_ = 20
    x = torch.randn(T_, 4, I)
    full = torch.tensor([20, 20, 20, 10])  # fill 0.875
    half = torch.tensor([20, 6, 4, 4])  # fill 0.425
    low = torch.tensor([20, 1, 1, 1])  # fill 0.29

    def packed(model, lengths, grad):
        packs = []
        real = fused.pack_padded_sequence
        monkeypatch.setattr(fused, "pack_padded_sequence",
                            lambda *a, **k: packs.append(1) or real(*a, **k))
        with torch.set_grad_enabled(grad):
            model(x, None, lengths)
        monkeypatch.undo()
        return bool(packs)

    relu = kind == "rnn_relu"
    assert packed(layer, half, grad=True) == relu
    assert packed(layer, low, grad=True)
    assert packed(layer, full, grad=False) == (kind != "lstm")
    assert packed(layer, half, grad=False)
    assert packed(stack, low, grad=True) and packed(stack, half, grad=False)
    assert packed(stack, half, grad=True) == relu  # layer by layer, each padded
    for p in layer.parameters():  # frozen weights and an input without grad: inference
        p.requires_grad_(False)
    assert packed(layer, half, grad=True)


@pytest.mark.parametrize("impl", ["reference", "auto"])
def test_nan_padding_never_reaches_any_path(impl):
    """Padding is cleared before any path runs: NaN there leaves outputs, final states and
    every gradient finite, on rnnlab's kernels as on the loop."""
    torch.manual_seed(17)
    layers = [Recurrent(GRUCell(I, H, reset_after=False), impl=impl)]
    if HAS_DEEP:
        layers.append(Recurrent(dt_cell(H, 2, True), reverse=True, impl=impl))
    model = Stacked(layers).double()
    x = x64(T, B, I)
    x[2:, 1] = float("nan")
    xs = x.clone().requires_grad_()
    out, fin = model(xs, None, LENGTHS)
    grads = torch.autograd.grad(out.sum() + sum(f.sum() for f in fin),
                                [xs] + list(model.parameters()))
    assert all(torch.isfinite(t).all() for t in [out, *fin, *grads])
    assert (out[2:, 1] == 0).all() and (grads[0][2:, 1] == 0).all()


def test_fused_and_rnnlab_kernels_mix_in_one_stack():
    torch.manual_seed(2)
    model = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(GRUCell(H, H, reset_after=False))])
    model = model.double()
    assert_equal_paths(model, x64(T, B, I), None, LENGTHS, fast_paths=("fused", "fast"))


def test_fused_path_equals_torch_nn_and_says_so():
    """Recurrent(LSTMCell) with torch.nn.LSTM's weights gives torch.nn.LSTM's numbers."""
    torch.manual_seed(3)
    ref = nn.LSTM(I, H).double()
    layer = Recurrent(LSTMCell(I, H)).double()
    layer.cell.load_state_dict({k[:-3]: v for k, v in ref.state_dict().items()})
    x = x64(T, B, I)
    assert layer.path == "fused" and layer.path_for(x) == "fused"
    out, (h, c) = layer(x)
    out_t, (h_t, c_t) = ref(x)
    torch.testing.assert_close(out, out_t, rtol=0, atol=0)  # the same kernel: bit for bit
    torch.testing.assert_close((h, c), (h_t[0], c_t[0]), rtol=0, atol=0)


def test_fused_path_only_for_exact_standard_cells():
    class Peephole(LSTMCell):  # a subclass may change the equation: the loop runs it
        pass

    assert Recurrent(Peephole(I, H)).path == "reference"
    assert Recurrent(LSTMCell(I, H), impl="reference").path == "reference"
    with pytest.raises(RuntimeError, match="LSTMCell has no Triton kernel"):
        Recurrent(LSTMCell(I, H), impl="triton").path_for(torch.randn(T, B, I))


def test_set_impl_keeps_torch_kernels_and_sets_rnnlab_loops():
    model = Stacked([Recurrent(LSTMCell(I, H)), Recurrent(GRUCell(H, H, reset_after=False))])
    compat = build_model("gru-cho", input_size=I, hidden_size=H)
    assert describe_path(model) == "fast-torch+fused" and describe_path(compat) == "fast-torch"
    set_impl(model, "reference")
    set_impl(compat, "reference")
    assert describe_path(model) == "reference" == describe_path(compat)
    set_impl(model, "triton")  # the LSTM layer has no Triton loop: it goes back to torch's kernel
    assert [m.impl for m in model.modules() if isinstance(m, Recurrent)] == ["auto", "triton"]
    with pytest.raises(ValueError, match="impl must be one of"):
        set_impl(model, "cudnn")
    lstm = build_model("lstm", input_size=I, hidden_size=H)  # and back from the loop
    set_impl(lstm, "reference")
    assert describe_path(lstm) == "reference"
    set_impl(lstm, "fast")
    assert describe_path(lstm) == "fused"


@pytest.mark.parametrize("impl", ["auto", "fused", "fast", "reference"])
@pytest.mark.parametrize("name", ["lstm", "bigru", "gru-cho", pytest.param("dt-rnn",
                                                                       marks=needs_deep)])
def test_build_model_takes_impl_as_set_impl_does(name, impl):
    """One meaning of impl for a whole model: built with it, or set afterwards."""
    built = build_model(name, input_size=I, hidden_size=H, impl=impl)
    later = build_model(name, input_size=I, hidden_size=H)
    if impl != "fused":  # not a set_impl choice; "fused" keeps the kernel where there is one
        set_impl(later, impl)
    assert describe_path(built) == describe_path(later)
    standard = name in ("lstm", "bigru")
    expected = ("reference" if impl == "reference" else "fused" if standard else "fast-torch")
    assert describe_path(built) == expected


def test_fused_path_gives_way_to_vmap():
    """Under torch.func transforms the loop runs (torch's kernel does not batch under vmap)."""
    torch.manual_seed(4)
    layer = Recurrent(GRUCell(I, H)).double()
    xs = x64(2, T, B, I)
    seen = []

    def run(x):
        seen.append(layer.path_for(x))
        return layer(x)[0]

    batched = torch.func.vmap(run)(xs)
    assert seen == ["reference"] and layer.path_for(xs[0]) == "fused"
    torch.testing.assert_close(batched, torch.stack([layer(x)[0] for x in xs]))


# -- deep transition (dt-rnn, dts-rnn, dot-rnn, stacked-dt-rnn) -------------------------------
def dt_cell(i, depth, shortcut, width=None, nonlinearity="tanh", bias=True):
    from rnnlab.nn.deep import DTRNNCell

    width = width if depth > 1 else None  # (depth 1 has no intermediate layer: it would warn)
    return DTRNNCell(i, H, depth=depth, width=width, nonlinearity=nonlinearity,
                     shortcut=shortcut, bias=bias)


DT_CASES = [(d, s) for d in (1, 2, 3, 4) for s in (False, True) if not (s and d == 1)]


@needs_deep
@pytest.mark.parametrize("depth,shortcut", DT_CASES)
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_dt_layer(depth, shortcut, reverse, with_state):
    torch.manual_seed(depth)
    model = Recurrent(dt_cell(I, depth, shortcut, width=7), reverse=reverse).double()
    state = x64(B, H) if with_state else None
    assert_equal_paths(model, x64(T, B, I), state)


@needs_deep
@pytest.mark.parametrize("depth,shortcut", [(1, False), (2, True), (3, False), (4, True)])
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_dt_lengths_nonlinearity_bias(depth, shortcut, nonlinearity, bias):
    torch.manual_seed(10 + depth)
    model = Recurrent(dt_cell(I, depth, shortcut, nonlinearity=nonlinearity, bias=bias),
                      reverse=depth % 2 == 1).double()
    assert_equal_paths(model, x64(T, B, I), x64(B, H), LENGTHS)


@needs_deep
@pytest.mark.parametrize("lengths", [None, LENGTHS])
@pytest.mark.parametrize("shortcut", [False, True])
def test_dt_stacked_bidirectional(lengths, shortcut):
    torch.manual_seed(4)
    model = Stacked([
        Bidirectional(Recurrent(dt_cell(I, 3, shortcut)),
                      Recurrent(dt_cell(I, 3, shortcut), reverse=True)),
        Recurrent(dt_cell(2 * H, 4, shortcut, width=6)),
    ]).double()
    state = [(x64(B, H), x64(B, H)), x64(B, H)]
    assert_equal_paths(model, x64(T, B, I), state, lengths)


@needs_deep
@pytest.mark.parametrize("name", ["dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn"])
def test_registry_deep_models_run_fast_and_match(name):
    torch.manual_seed(5)
    model = build_model(name, input_size=I, hidden_size=H, depth=3).double()
    assert {m.path for m in model.modules() if isinstance(m, Recurrent)} == {"fast"}
    layers = len(model.body.layers)
    assert_equal_paths(model, x64(B, T, I), [x64(B, H) for _ in range(layers)], LENGTHS)


@needs_deep
def test_dt_float32_close_to_reference():
    torch.manual_seed(6)
    model = Recurrent(dt_cell(I, 4, True))
    ref, fst = run_both(model, torch.randn(T, B, I), torch.randn(B, H), LENGTHS)
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_kernels_on_cuda_equal_reference():
    """The kernels are plain torch ops, so they run on CUDA too; same check there."""
    torch.manual_seed(8)
    layers = [Recurrent(GRUCell(I, H, reset_after=False))]
    if HAS_DEEP:
        layers.append(Recurrent(dt_cell(H, 3, True), reverse=True))
    model = Stacked(layers).double().cuda()
    x = x64(T, B, I).cuda()
    ref, fst = run_both(model, x, None, LENGTHS)
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_fused_path_on_cuda_equals_reference_and_stays_quiet():
    """cuDNN (float64) under composed layers, with lengths, reverse and states; the weights
    are not one flat buffer, and cuDNN's warning about that must not reach the user."""
    import warnings

    torch.manual_seed(10)
    model = Stacked([Bidirectional(Recurrent(LSTMCell(I, H)),
                                   Recurrent(LSTMCell(I, H), reverse=True)),
                     Recurrent(GRUCell(2 * H, H))]).double().cuda()
    state = [((x64(B, H).cuda(), x64(B, H).cuda()), (x64(B, H).cuda(), x64(B, H).cuda())),
             x64(B, H).cuda()]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ref, fst = run_both(model, x64(T, B, I).cuda(), state, LENGTHS, fast_paths=("fused",))
    assert not [w for w in seen if "contiguous chunk" in str(w.message)]
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-9, atol=1e-11)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_standard_stack_on_cuda_is_one_cudnn_call(monkeypatch, kind):
    """A 2-layer bidirectional stack as one cuDNN call (float64), lengths and states."""
    import warnings

    torch.manual_seed(15)
    model = standard_stack(kind, 2, True).double().cuda()
    state = [tuple(_cuda(s) for s in layer) for layer in stack_state(kind, 2, True)]
    counter = CountCalls(monkeypatch, kind)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ref, fst = run_both(model, x64(T, B, I).cuda(), state, LENGTHS, fast_paths=("fused",))
    assert counter.calls == 1
    assert not [w for w in seen if "contiguous chunk" in str(w.message)]
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-9, atol=1e-11)


def _cuda(s):
    return tuple(t.cuda() for t in s) if isinstance(s, tuple) else s.cuda()


def test_torch_func_transforms_run_reference_loop():
    torch.manual_seed(9)
    model = Recurrent(GRUCell(I, H, reset_after=False)).double()
    x = x64(T, B, I)
    params = dict(model.named_parameters())

    def loss(p):
        return torch.func.functional_call(model, p, (x,))[0].sum()

    grads = torch.func.grad(loss)(params)  # would raise inside the autograd.Function
    expected = torch.autograd.grad(model(x)[0].sum(), list(params.values()))
    for g, e in zip(grads.values(), expected):
        torch.testing.assert_close(g, e)


@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_torch_compile_of_a_composed_stack_runs_and_agrees(kind):
    """torch.compile traces around torch's kernel call, as it does for torch.nn.LSTM;
    traced, the CPU LSTM kernel failed ("expected Tensor() for op mkldnn_rnn_layer")."""
    torch.manual_seed(8)
    model = Stacked([Recurrent(standard_cell(kind)), Recurrent(standard_cell(kind, i=H))])
    x = torch.randn(T, B, I)  # float32, the input not requiring grad: the failing case
    out, _ = model(x)
    grads = torch.autograd.grad(out.sum(), list(model.parameters()))
    compiled = torch.compile(model, backend="aot_eager")
    out_c, _ = compiled(x)
    grads_c = torch.autograd.grad(out_c.sum(), list(model.parameters()))
    torch.testing.assert_close(out_c, out)
    torch.testing.assert_close(grads_c, grads)


@pytest.mark.parametrize("kind", STANDARD_KINDS)
def test_variable_lengths_on_cuda_run_padded_where_measured_faster(monkeypatch, kind):
    """On CUDA a batch at least PAD_FILL_CUDA valid runs padded at full length (cuDNN's
    packed path measured 2-9x slower than the full batch on an H200), training or not,
    but for the ReLU RNN. The CUDA route is forced here on the CPU: outputs, final states
    and gradients equal the reference loop, forward-only and training."""
    from rnnlab.nn.fast import fused

    assert fused.pads_at(standard_cell(kind), 0.75, False, True) == (kind != "rnn_relu")
    assert not fused.pads_at(standard_cell(kind), 0.1, True, True)
    monkeypatch.setattr(fused, "pads", lambda cell, x, lengths, grad, steps=None:
                        fused.pads_at(cell, float(lengths.sum()) / (
                            (x.shape[0] if steps is None else steps) * lengths.numel()),
                            grad, True))
    packs = []
    real_pack = fused.pack_padded_sequence
    monkeypatch.setattr(fused, "pack_padded_sequence",
                        lambda *a, **k: packs.append(1) or real_pack(*a, **k))
    torch.manual_seed(19)
    lengths = torch.tensor([12, 5, 9, 12])  # fill 0.79
    for model in (Recurrent(standard_cell(kind), reverse=True).double(),
                  standard_stack(kind, 2, True).double()):
        x = x64(12, 4, I)
        x[5:, 1] = float("nan")
        for grad in (False, True):
            outs = []
            for impl in ("reference", "auto"):
                set_impl(model, impl)
                xs = x.clone().requires_grad_(grad)
                with torch.set_grad_enabled(grad):
                    out, fin = model(xs, None, lengths)
                flat = [out] + [t for t in _flatten(fin)]
                if grad:
                    loss = sum((t * (k + 1)).sum() for k, t in enumerate(flat))
                    flat += list(torch.autograd.grad(loss, [xs, *model.parameters()]))
                outs.append(flat)
            for a, b in zip(*outs):
                torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)
    assert bool(packs) == (kind == "rnn_relu")


def _flatten(state):
    if isinstance(state, torch.Tensor):
        return [state]
    return [t for s in state for t in _flatten(s)]


def test_stack_check_is_cached_and_sees_every_later_change(monkeypatch):
    """The one-call check is made once per stack; what it read is re-verified at each
    call, so a later impl, hook, reversal or replaced cell is seen."""
    torch.manual_seed(20)
    x = torch.randn(T, B, I)

    def calls(model):
        counter = CountCalls(monkeypatch, "lstm")
        model(x)
        monkeypatch.undo()
        return counter.calls

    stack = standard_stack("lstm", 2, False)
    assert calls(stack) == 1 and calls(stack) == 1
    plan = stack.__dict__["_stack_plan"]
    assert calls(stack) == 1 and stack.__dict__["_stack_plan"] is plan  # reused
    stack.layers[1].impl = "reference"
    assert calls(stack) == 1  # layer 0 on torch's kernel, layer 1 on the loop
    stack.layers[1].impl = "auto"
    assert calls(stack) == 1
    seen = []
    handle = stack.layers[0].cell.register_forward_hook(lambda m, a, o: seen.append(1))
    assert calls(stack) == 2  # layer by layer: the hook is not skipped
    handle.remove()
    stack.layers[1].reverse = True
    assert calls(stack) == 2
    stack.layers[1].reverse = False
    stack.layers[1].cell = LSTMCell(H, H + 1)
    assert calls(stack) == 2
    bi = standard_stack("lstm", 2, True)
    assert calls(bi) == 1
    bi.layers[0].backward_layer = Recurrent(GRUCell(I, H), reverse=True)
    assert calls(bi) >= 2
