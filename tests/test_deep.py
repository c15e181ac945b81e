"""Deep RNNs of Pascanu et al. (2014): DTRNNCell (DT-RNN, DT(S)-RNN) and DeepOutput (DOT-RNN).

Each equation is checked against a transcription of the paper's formula written out
below in its own notation (column vectors, h_t = phi(W_1^T h_{t-1} + U^T x_t) ...),
one sequence and one step at a time, in float64.
"""

import math
import warnings

import pytest
import torch
from torch.func import functional_call
from torch.nn.utils.rnn import pack_padded_sequence
from torch.testing import assert_close

import rnnlab.nn as rnn_nn
from rnnlab.io.errors import ConfigError
from rnnlab.nn import (Bidirectional, CellBase, DeepOutput, DTRNNCell, Recurrent, RNNCell,
                       Stacked)

F64 = torch.float64
I, H, W, T, B = 3, 4, 6, 5, 3  # width W != hidden H != input I
LENGTHS = [3, 5, 1]
PHI = {"tanh": torch.tanh, "relu": torch.relu}
CONFIGS = [(1, False), (2, False), (3, False), (2, True), (3, True)]  # (depth, shortcut)


def dt(depth, shortcut, nonlinearity="tanh", input_size=I, bias=True, width=W):
    width = width if depth > 1 else None  # (depth 1 has no intermediate layer: it would warn)
    return DTRNNCell(input_size, H, depth=depth, width=width, nonlinearity=nonlinearity,
                     shortcut=shortcut, bias=bias).double()


def ref(cell, **kw):
    """The reference time loop (the fast kernels have their own tests against it)."""
    return Recurrent(cell, impl="reference", **kw)


def randomize(module, seed=0):
    """Weights large enough that every layer matters (init values are small)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.6)
    return module


# -- the paper's formulas, transcribed -------------------------------------------------
def paper_dt_step(cell, x, h):
    """One step for one sequence, column vectors (x (I,), h (H,)), Pascanu et al. 2014.

    DT-RNN:    h_t = phi_L(W_L^T phi_{L-1}(... phi_1(W_1^T h_{t-1} + U^T x_t)))
    DT(S)-RNN: the last layer also receives W_s^T h_{t-1} + U_s^T x_t (shortcuts).
    Paper matrices are (in, out): U = weight_ih^T, W_1 = weight_hh^T, W_l = weight_tl{l}^T.
    """
    phi = PHI[cell.nonlinearity]
    U, W1 = cell.weight_ih.T, cell.weight_hh.T
    b1 = 0.0 if cell.bias_ih is None else cell.bias_ih + cell.bias_hh
    z = phi(torch.mv(W1.T, h) + torch.mv(U.T, x) + b1)
    L = cell.depth
    for l in range(2, L + 1):
        Wl = getattr(cell, f"weight_tl{l}").T
        bl = getattr(cell, f"bias_tl{l}")
        pre = torch.mv(Wl.T, z) + (0.0 if bl is None else bl)
        if cell.shortcut and l == L:
            Ws, Us = cell.weight_sh.T, cell.weight_sx.T
            pre = pre + torch.mv(Ws.T, h) + torch.mv(Us.T, x)
        z = phi(pre)
    return z


def paper_dt_sequence(cell, x, h0):
    """x (T, I), h0 (H,) -> outputs (T, H), one step at a time."""
    outs, h = [], h0
    for t in range(x.shape[0]):
        h = paper_dt_step(cell, x[t], h)
        outs.append(h)
    return torch.stack(outs), h


def paper_deep_output(mod, h):
    """o = phi(V_D^T ... phi(V_1^T h + c_1) ... + c_D) for one vector h; paper V_k = weight^T."""
    phi = PHI[mod.nonlinearity]
    o = h
    for layer in mod.layers:
        V = layer.weight.T  # (in, out)
        o = phi(torch.mv(V.T, o) + layer.bias)
    return o


# -- equations ---------------------------------------------------------------------------
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("depth,shortcut", CONFIGS)
def test_dt_matches_paper_formula(depth, shortcut, nonlinearity):
    torch.manual_seed(depth * 10 + shortcut)
    cell = randomize(dt(depth, shortcut, nonlinearity))
    x = torch.randn(T, B, I, dtype=F64)
    h0 = torch.randn(B, H, dtype=F64)
    out, hT = ref(cell)(x, h0)
    assert out.shape == (T, B, H) and hT.shape == (B, H)
    for b in range(B):
        want, want_h = paper_dt_sequence(cell, x[:, b], h0[b])
        assert_close(out[:, b], want)
        assert_close(hT[b], want_h)
    # the cell's own one-step forward, batched and unbatched
    step = torch.stack([paper_dt_step(cell, x[0, b], h0[b]) for b in range(B)])
    assert_close(cell(x[0], h0), step)
    assert_close(cell(x[0, 0], h0[0]), paper_dt_step(cell, x[0, 0], h0[0]))


@pytest.mark.parametrize("depth,shortcut", [(2, False), (3, True)])
def test_dt_without_bias_matches_paper_formula(depth, shortcut):
    cell = randomize(dt(depth, shortcut, bias=False))
    assert all(not n.startswith("bias") for n, _ in cell.named_parameters())
    x, h0 = torch.randn(T, 1, I, dtype=F64), torch.randn(1, H, dtype=F64)
    out, _ = ref(cell)(x, h0)
    assert_close(out[:, 0], paper_dt_sequence(cell, x[:, 0], h0[0])[0])


@pytest.mark.parametrize("depth", [2, 3])
def test_shortcut_is_the_only_difference(depth):
    """DT(S) with its shortcut weights zeroed is the DT-RNN; with them it is not."""
    plain, short = randomize(dt(depth, False)), randomize(dt(depth, True), seed=1)
    short.load_state_dict({**plain.state_dict(), "weight_sh": torch.zeros(H, H, dtype=F64),
                           "weight_sx": torch.zeros(H, I, dtype=F64)})
    x = torch.randn(T, B, I, dtype=F64)
    assert_close(ref(short)(x)[0], ref(plain)(x)[0])
    with torch.no_grad():
        short.weight_sh.normal_()
    assert not torch.allclose(ref(short)(x)[0], ref(plain)(x)[0])


def test_project_input_is_hoistable():
    """project_input works on (T, B, I) at once and equals the per-step projection."""
    for depth, shortcut in CONFIGS:
        cell = randomize(dt(depth, shortcut))
        x = torch.randn(T, B, I, dtype=F64)
        xp = cell.project_input(x)
        assert xp.shape == (T, B, cell.first_layer_size + (H if shortcut else 0))
        assert_close(xp[2], cell.project_input(x[2]))


# -- parameters and depth 1 ---------------------------------------------------------------
def test_parameter_names_and_shapes():
    shapes = {k: tuple(v.shape) for k, v in dt(3, True).state_dict().items()}
    assert shapes == {
        "weight_ih": (W, I), "weight_hh": (W, H), "bias_ih": (W,), "bias_hh": (W,),
        "weight_tl2": (W, W), "bias_tl2": (W,), "weight_tl3": (H, W), "bias_tl3": (H,),
        "weight_sh": (H, H), "weight_sx": (H, I),
    }
    shapes = {k: tuple(v.shape) for k, v in dt(2, False).state_dict().items()}
    assert shapes == {"weight_ih": (W, I), "weight_hh": (W, H), "bias_ih": (W,), "bias_hh": (W,),
                      "weight_tl2": (H, W), "bias_tl2": (H,)}
    assert [w.shape for w, _ in dt(3, False).transition_layers()] == [(W, W), (H, W)]


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_depth1_is_exactly_rnncell(nonlinearity, bias):
    rnn = randomize(RNNCell(I, H, bias=bias, nonlinearity=nonlinearity).double())
    cell = dt(1, False, nonlinearity, bias=bias, width=W)  # width is unused at depth 1
    assert set(cell.state_dict()) == set(rnn.state_dict())
    cell.load_state_dict(rnn.state_dict(), strict=True)
    x, h0 = torch.randn(T, B, I, dtype=F64), torch.randn(B, H, dtype=F64)
    lengths = torch.tensor(LENGTHS)
    for reverse in (False, True):
        a = ref(cell, reverse=reverse)(x, h0, lengths)
        b = ref(rnn, reverse=reverse)(x, h0, lengths)
        assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    back = RNNCell(I, H, bias=bias, nonlinearity=nonlinearity).double()
    back.load_state_dict(cell.state_dict(), strict=True)  # and the other way
    assert torch.equal(back(x[0], h0), cell(x[0], h0))


def test_depth1_initialises_like_rnncell():
    torch.manual_seed(7)
    rnn = RNNCell(I, H)
    torch.manual_seed(7)
    cell = DTRNNCell(I, H, depth=1)
    for k, v in rnn.state_dict().items():
        assert torch.equal(cell.state_dict()[k], v)


def test_initialisation_range():
    torch.manual_seed(0)
    cell = DTRNNCell(I, 100, depth=3, width=50, shortcut=True)
    k = 1 / math.sqrt(100)
    for name, p in cell.named_parameters():
        assert p.abs().max() <= k, name
        assert p.abs().max() > 0.8 * k, name  # drawn over the whole range, not zeros
    cell.reset_parameters()
    assert all(p.abs().max() <= k for p in cell.parameters())


# -- layers: lengths, reverse, bidirectional, stacked -------------------------------------
@pytest.mark.parametrize("depth,shortcut", CONFIGS)
@pytest.mark.parametrize("reverse", [False, True])
def test_lengths_and_reverse(depth, shortcut, reverse):
    cell = randomize(dt(depth, shortcut))
    x, h0 = torch.randn(T, B, I, dtype=F64), torch.randn(B, H, dtype=F64)
    out, hT = ref(cell, reverse=reverse)(x, h0, torch.tensor(LENGTHS))
    for b, n in enumerate(LENGTHS):
        seq = x[:n, b].flip(0) if reverse else x[:n, b]
        want, want_h = paper_dt_sequence(cell, seq, h0[b])
        got = out[:n, b].flip(0) if reverse else out[:n, b]
        assert_close(got, want)
        assert_close(hT[b], want_h)  # final state at the last valid step
        assert torch.equal(out[n:, b], torch.zeros(T - n, H, dtype=F64))


def test_batch_first_and_packed():
    cell = randomize(dt(3, True))
    x = torch.randn(B, T, I, dtype=F64)
    lengths = torch.tensor(LENGTHS)
    out_bf, h_bf = ref(cell, batch_first=True)(x, None, lengths)
    out_tm, h_tm = ref(cell)(x.transpose(0, 1), None, lengths)
    assert_close(out_bf, out_tm.transpose(0, 1))
    assert_close(h_bf, h_tm)
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out_p, h_p = ref(cell, batch_first=True)(packed)
    assert_close(h_p, h_bf)


@pytest.mark.parametrize("shortcut", [False, True])
def test_bidirectional(shortcut):
    fwd, bwd = randomize(dt(2, shortcut)), randomize(dt(3, shortcut), seed=1)
    layer = Bidirectional(ref(fwd), ref(bwd, reverse=True))
    assert layer.output_size == 2 * H
    x = torch.randn(T, B, I, dtype=F64)
    out, (hf, hb) = layer(x, None, torch.tensor(LENGTHS))
    for b, n in enumerate(LENGTHS):
        zero = torch.zeros(H, dtype=F64)
        want_f, want_hf = paper_dt_sequence(fwd, x[:n, b], zero)
        want_b, want_hb = paper_dt_sequence(bwd, x[:n, b].flip(0), zero)
        assert_close(out[:n, b], torch.cat([want_f, want_b.flip(0)], dim=-1))
        assert_close(hf[b], want_hf)
        assert_close(hb[b], want_hb)


def test_stacked_dt_cells():
    """Stacking DT-RNNs (several time scales and deep transitions): layer 2 reads layer 1."""
    l1, l2 = randomize(dt(2, True)), randomize(dt(3, False, input_size=H), seed=1)
    model = Stacked([ref(l1), ref(l2)])
    x = torch.randn(T, B, I, dtype=F64)
    out, (f1, f2) = model(x, None, torch.tensor(LENGTHS))
    for b, n in enumerate(LENGTHS):
        zero = torch.zeros(H, dtype=F64)
        mid, want_f1 = paper_dt_sequence(l1, x[:n, b], zero)
        top, want_f2 = paper_dt_sequence(l2, mid, zero)
        assert_close(out[:n, b], top)
        assert_close(f1[b], want_f1)
        assert_close(f2[b], want_f2)


def test_default_recurrent_path_agrees():
    """Whatever path Recurrent picks by default (a fast kernel or the loop) gives the same."""
    pytest.importorskip("rnnlab.nn.fast.dt", reason="no DT fast kernel module yet")
    cell = randomize(dt(3, True))
    x, lengths = torch.randn(T, B, I, dtype=F64), torch.tensor(LENGTHS)
    auto = Recurrent(cell)(x, None, lengths)
    assert_close(auto[0], ref(cell)(x, None, lengths)[0])
    assert_close(auto[1], ref(cell)(x, None, lengths)[1])


# -- gradients ------------------------------------------------------------------------------
@pytest.mark.parametrize("depth,shortcut", [(2, False), (3, False), (2, True), (3, True)])
def test_gradcheck_through_recurrent(depth, shortcut):
    torch.manual_seed(depth)
    cell = DTRNNCell(2, 3, depth=depth, width=4, shortcut=shortcut).double()
    layer = ref(cell)
    names = [n for n, _ in layer.named_parameters()]
    params = tuple(p.detach().clone().requires_grad_() for p in layer.parameters())
    x = torch.randn(4, 2, 2, dtype=F64, requires_grad=True)
    h0 = torch.randn(2, 3, dtype=F64, requires_grad=True)
    lengths = torch.tensor([4, 2])

    def run(x, h0, *ps):
        out, hT = functional_call(layer, dict(zip(names, ps)), (x, h0, lengths))
        return out, hT

    assert torch.autograd.gradcheck(run, (x, h0) + params)


@pytest.mark.parametrize("depth", [1, 3])
def test_gradcheck_deep_output(depth):
    torch.manual_seed(depth)
    mod = DeepOutput(3, depth=depth, width=5).double()
    names = [n for n, _ in mod.named_parameters()]
    params = tuple(p.detach().clone().requires_grad_() for p in mod.parameters())
    x = torch.randn(2, 4, 3, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda x, *ps: functional_call(mod, dict(zip(names, ps)), (x,)), (x,) + params)


# -- DeepOutput and DOT-RNN ------------------------------------------------------------------
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_deep_output_matches_paper_formula(depth, nonlinearity):
    mod = randomize(DeepOutput(H, depth=depth, width=W, nonlinearity=nonlinearity).double())
    assert mod.output_size == W
    assert [tuple(layer.weight.shape) for layer in mod.layers] == [(W, H)] + [(W, W)] * (depth - 1)
    h = torch.randn(B, T, H, dtype=F64)
    y = mod(h)
    assert y.shape == (B, T, W)
    for b in range(B):
        for t in range(T):
            assert_close(y[b, t], paper_deep_output(mod, h[b, t]))


def test_deep_output_defaults_and_init():
    torch.manual_seed(0)
    mod = DeepOutput(64, depth=2, width=256)
    assert DeepOutput(8).output_size == 8  # width defaults to in_features
    first, second = mod.layers
    assert first.weight.abs().max() <= 1 / 8 and first.weight.abs().max() > 0.1
    assert second.weight.abs().max() <= 1 / 16 and second.bias.abs().max() <= 1 / 16


def test_deep_output_dropout():
    h = torch.randn(10, H, dtype=F64)
    for depth in (1, 2):
        mod = DeepOutput(H, depth=depth, width=50, dropout=0.5).double()
        plain = DeepOutput(H, depth=depth, width=50).double()
        plain.load_state_dict(mod.state_dict())
        mod.eval()
        assert_close(mod(h), plain(h))  # identity when evaluating
        mod.train()
        y = mod(h)
        assert 0.3 < (y == 0).double().mean() < 0.7  # about half of the last layer dropped
    # one layer: the survivors are the plain output scaled by 1/(1-p)
    mod = DeepOutput(H, depth=1, width=50, dropout=0.5).double().train()
    plain = DeepOutput(H, depth=1, width=50).double()
    plain.load_state_dict(mod.state_dict())
    y = mod(h)
    kept = y != 0
    assert 0.3 < kept.double().mean() < 0.7
    assert_close(y[kept], 2 * plain(h)[kept])


def test_dot_rnn_composition():
    """DOT-RNN = Recurrent(DTRNNCell) then DeepOutput per step (here on a packed sequence too)."""
    cell, head = randomize(dt(2, False)), randomize(DeepOutput(H, depth=2, width=W).double())
    x = torch.randn(T, B, I, dtype=F64)
    out, _ = ref(cell)(x)
    y = head(out)  # (T, B, W) at once
    for t in range(T):
        assert_close(y[t], head(out[t]))
    h0 = torch.zeros(H, dtype=F64)
    assert_close(y[:, 1], torch.stack([paper_deep_output(head, o)
                                        for o in paper_dt_sequence(cell, x[:, 1], h0)[0]]))
    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)
    out_p, _ = ref(cell)(packed)
    y_p = head(out_p)
    assert_close(y_p.data, head(out_p.data))
    assert y_p.batch_sizes.tolist() == out_p.batch_sizes.tolist()


# -- errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,match", [
    (dict(depth=0), "DTRNNCell: depth must be an integer >= 1"),
    (dict(depth=-2), "DTRNNCell: depth"),
    (dict(depth=2.0), "DTRNNCell: depth"),
    (dict(depth=True), "DTRNNCell: depth"),
    (dict(width=0), "DTRNNCell: width must be a positive integer"),
    (dict(width=-4), "DTRNNCell: width"),
    (dict(nonlinearity="sigmoid"), "DTRNNCell: nonlinearity"),
    (dict(depth=1, shortcut=True), r"DTRNNCell: shortcut=True \(DT\(S\)-RNN\) needs depth >= 2"),
])
def test_dt_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DTRNNCell(I, H, **kwargs)


def test_dt_wrong_input_size():
    cell = DTRNNCell(I, H, depth=2, width=W)
    with pytest.raises(ValueError, match=r"DTRNNCell: expected input with 3 features"):
        cell(torch.randn(B, I + 1))
    with pytest.raises(ValueError, match=r"DTRNNCell: expected input with 3 features"):
        ref(cell)(torch.randn(T, B, I + 1))
    with pytest.raises(ValueError, match=r"DTRNNCell: expected state of shape"):
        cell(torch.randn(B, I), torch.randn(B, W))  # the width is not the state size
    with pytest.raises(ValueError, match="DTRNNCell: input_size must be a positive integer"):
        DTRNNCell(0, H)


@pytest.mark.parametrize("kwargs,match", [
    (dict(depth=0), "DeepOutput: depth must be an integer >= 1"),
    (dict(width=0), "DeepOutput: width must be a positive integer"),
    (dict(nonlinearity="gelu"), "DeepOutput: nonlinearity"),
    (dict(dropout=1.0), r"DeepOutput: dropout must be in \[0, 1\)"),
    (dict(in_features=0), "DeepOutput: in_features"),
])
def test_deep_output_bad_arguments(kwargs, match):
    kwargs = {"in_features": H, **kwargs}
    with pytest.raises(ValueError, match=match):
        DeepOutput(**kwargs)


def test_deep_output_wrong_input_size():
    with pytest.raises(ValueError, match=r"DeepOutput: expected input with 4 features"):
        DeepOutput(H)(torch.randn(B, T, H + 1))


def test_base_first_layer_size():
    """The CellBase extension: default unchanged, explicit size used, bad size rejected."""
    assert RNNCell(I, H).weight_ih.shape == (H, I)
    assert CellBase(I, H, num_chunks=4).weight_hh.shape == (4 * H, H)
    assert CellBase(I, H, first_layer_size=7).weight_ih.shape == (7, I)
    with pytest.raises(ValueError, match="CellBase: first_layer_size must be a positive integer"):
        CellBase(I, H, first_layer_size=0)


def test_exported():
    assert {"DTRNNCell", "DeepOutput"} <= set(rnn_nn.__all__)
    assert rnn_nn.DTRNNCell is DTRNNCell and rnn_nn.DeepOutput is DeepOutput


def test_a_width_at_depth_one_is_refused_as_build_model_refuses_it():
    """``DTRNNCell(I, H, depth=1, width=7)`` warned and built the one-layer cell, while
    ``build_model("dt-rnn", depth=1, width=7)`` and ``--depth 1 --width 7`` refuse it (the
    README: a shape option a model does not read is refused); now the cell refuses it too.
    dot-rnn at depth 1 gives its width to the deep output, not to the cell: built."""
    from rnnlab.nn.registry import build_model

    with pytest.raises(ConfigError, match=r"DTRNNCell: width=7 shapes the intermediate "
                                          r"layers.*depth=1 has none.*leave width out"):
        DTRNNCell(I, H, depth=1, width=7)
    with pytest.raises(ConfigError, match=r"at depth=1 has no intermediate layer for width=7"):
        build_model("dt-rnn", input_size=I, hidden_size=H, depth=1, width=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert DTRNNCell(I, H, depth=1).weight_hh.shape == (H, H)
        DTRNNCell(I, H, depth=2, width=7)
        dot = build_model("dot-rnn", input_size=I, hidden_size=H, depth=1, width=7)
    assert dot.output_size == 7 and dot.body.layers[0].cell.weight_hh.shape == (H, H)
