"""rnnlab.nn.{RNN, GRU, LSTM} against torch.nn: forward, gradients, state_dict, paths, errors."""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence
from torch.testing import assert_close

from rnnlab.nn import GRU, LSTM, RNN, GRUCell

F64 = torch.float64
I, H, T, B = 3, 4, 5, 3
LENGTHS = [3, 5, 2]  # unsorted: packing with enforce_sorted=False permutes the batch
KINDS = ["rnn_tanh", "rnn_relu", "gru", "lstm"]
MODES = ["time_major", "batch_first", "unbatched", "packed", "packed_batch_first"]


def make_pair(kind, impl="auto", **kwargs):
    """A torch.nn module and ours with the same (torch's) parameters, in float64."""
    if kind.startswith("rnn_"):
        kwargs["nonlinearity"] = kind[4:]
        torch_cls, our_cls = nn.RNN, RNN
    else:
        torch_cls, our_cls = {"gru": (nn.GRU, GRU), "lstm": (nn.LSTM, LSTM)}[kind]
    theirs = torch_cls(I, H, **kwargs).double()
    ours = our_cls(I, H, impl=impl, **kwargs).double()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    return ours, theirs


def make_inputs(kind, mode, num_layers, bidirectional, given_state):
    D = 2 if bidirectional else 1
    batched = mode != "unbatched"
    x = torch.randn(B, T, I, dtype=F64) if "batch_first" in mode else torch.randn(T, B, I, dtype=F64)
    if not batched:
        x = torch.randn(T, I, dtype=F64)
    hx = None
    if given_state:
        shape = (D * num_layers, B, H) if batched else (D * num_layers, H)
        n = 2 if kind == "lstm" else 1
        hx = [torch.randn(shape, dtype=F64) for _ in range(n)]
    return x, hx


def run(module, mode, x, hx):
    """Forward, then backward of a fixed random weighting of outputs and final states."""
    x = x.clone().requires_grad_()
    hx = None if hx is None else [h.clone().requires_grad_() for h in hx]
    inp = x
    if mode.startswith("packed"):
        inp = pack_padded_sequence(x, torch.tensor(LENGTHS), batch_first=mode.endswith("batch_first"),
                                   enforce_sorted=False)
    state = None if hx is None else (tuple(hx) if len(hx) == 2 else hx[0])
    out, h_n = module(inp, state)
    h_n = h_n if isinstance(h_n, tuple) else (h_n,)

    gen = torch.Generator().manual_seed(1)
    flat_out = out.data if isinstance(out, PackedSequence) else out
    loss = (flat_out * torch.randn(flat_out.shape, generator=gen, dtype=F64)).sum()
    for h in h_n:
        loss = loss + (h * torch.randn(h.shape, generator=gen, dtype=F64)).sum()
    loss.backward()
    return {
        "out": out,
        "h_n": h_n,
        "x_grad": x.grad,
        "hx_grads": [] if hx is None else [h.grad for h in hx],
        "param_grads": {n: p.grad for n, p in module.named_parameters()},
    }


def assert_same_run(got, want):
    if isinstance(want["out"], PackedSequence):
        assert isinstance(got["out"], PackedSequence)
        for field in ("batch_sizes", "sorted_indices", "unsorted_indices"):
            assert torch.equal(getattr(got["out"], field), getattr(want["out"], field)), field
        assert_close(got["out"].data, want["out"].data)
    else:
        assert got["out"].shape == want["out"].shape
        assert_close(got["out"], want["out"])
    assert [h.shape for h in got["h_n"]] == [h.shape for h in want["h_n"]]
    assert_close(got["h_n"], want["h_n"])
    assert_close(got["x_grad"], want["x_grad"])
    assert_close(got["hx_grads"], want["hx_grads"])
    assert set(got["param_grads"]) == set(want["param_grads"])
    for name, g in want["param_grads"].items():
        assert g is not None and got["param_grads"][name] is not None, name
        assert_close(got["param_grads"][name], g, msg=f"gradient of {name}")


@pytest.mark.parametrize("impl", ["reference", "fused", "auto"])
@pytest.mark.parametrize("given_state", [True, False], ids=["hx", "zero_hx"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bidirectional", [False, True], ids=["uni", "bi"])
@pytest.mark.parametrize("num_layers", [1, 2, 3], ids=["L1", "L2", "L3"])
@pytest.mark.parametrize("kind", KINDS)
def test_matches_torch(kind, num_layers, bidirectional, mode, given_state, impl):
    torch.manual_seed(0)
    ours, theirs = make_pair(kind, impl, num_layers=num_layers, bidirectional=bidirectional,
                             batch_first="batch_first" in mode)
    assert ours.path == ("fused" if impl == "auto" else impl)
    x, hx = make_inputs(kind, mode, num_layers, bidirectional, given_state)
    assert_same_run(run(ours, mode, x, hx), run(theirs, mode, x, hx))


@pytest.mark.parametrize("kind", KINDS)
def test_packed_training_on_cpu_runs_padded_where_it_pays(kind):
    """impl="auto": a PackedSequence that trains runs padded, layer by layer, on torch's
    kernel (torch's packed CPU kernel is a slow loop); forward-only, impl="fused" and the
    ReLU RNN keep torch's packed call. test_matches_torch checks the numbers."""
    ours, _ = make_pair(kind, "auto", num_layers=2, bidirectional=True)
    x = torch.randn(T, B, I, dtype=F64)
    inp = pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)  # fill 0.67
    assert ours._pads(inp, None) == (kind != "rnn_relu")
    assert not ours._pads(x, None)  # padded input with no lengths: torch's own call
    with torch.no_grad():
        assert not ours._pads(inp, None)  # forward only: torch's packed call
    ours.impl = "fused"
    assert not ours._pads(inp, None)


@pytest.mark.parametrize("mode", ["time_major", "unbatched", "packed_batch_first"])
@pytest.mark.parametrize("kind", KINDS)
def test_reference_equals_fused_on_the_same_module(kind, mode):
    torch.manual_seed(0)
    ours, _ = make_pair(kind, "auto", num_layers=2, bidirectional=True,
                        batch_first=mode.endswith("batch_first"))
    x, hx = make_inputs(kind, mode, 2, True, given_state=True)
    assert ours.path == "fused"
    fused = run(ours, mode, x, hx)
    ours.zero_grad(set_to_none=True)
    ours.impl = "reference"
    assert ours.path == "reference"
    assert_same_run(run(ours, mode, x, hx), fused)


# -- the state_dict contract -----------------------------------------------------------

def test_state_dict_keys_and_shapes_lstm_bidirectional():
    ours = LSTM(I, H, num_layers=2, bidirectional=True)
    expected = [
        ("weight_ih_l0", (4 * H, I)), ("weight_hh_l0", (4 * H, H)),
        ("bias_ih_l0", (4 * H,)), ("bias_hh_l0", (4 * H,)),
        ("weight_ih_l0_reverse", (4 * H, I)), ("weight_hh_l0_reverse", (4 * H, H)),
        ("bias_ih_l0_reverse", (4 * H,)), ("bias_hh_l0_reverse", (4 * H,)),
        ("weight_ih_l1", (4 * H, 2 * H)), ("weight_hh_l1", (4 * H, H)),
        ("bias_ih_l1", (4 * H,)), ("bias_hh_l1", (4 * H,)),
        ("weight_ih_l1_reverse", (4 * H, 2 * H)), ("weight_hh_l1_reverse", (4 * H, H)),
        ("bias_ih_l1_reverse", (4 * H,)), ("bias_hh_l1_reverse", (4 * H,)),
    ]
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == expected


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind", KINDS + ["gru_articles"])
def test_state_dict_keys_and_shapes_match_torch(kind, bias):
    kwargs = dict(num_layers=3, bidirectional=True, bias=bias)
    if kind == "gru_articles":
        ours, theirs = GRU(I, H, reset_after=False, **kwargs), nn.GRU(I, H, **kwargs)
    else:
        ours, theirs = make_pair(kind, **kwargs)
    G = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "gru_articles": 3, "lstm": 4}[kind] * H
    got = [(k, tuple(v.shape)) for k, v in ours.state_dict().items()]
    if kind == "gru_articles":  # torch's weights, then the mark of Cho's form (gru_form)
        assert got[-1] == ("reset_after", ())
        got = got[:-1]
    assert got == [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert len(got) == 3 * 2 * (4 if bias else 2)
    assert ("weight_hh_l2_reverse", (G, H)) in got and ("weight_ih_l1", (G, 2 * H)) in got
    assert any(k.startswith("bias_") for k, _ in got) == bias


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_torch_rnnlab_torch(kind):
    torch.manual_seed(0)
    kwargs = dict(num_layers=2, bidirectional=True)
    _, theirs = make_pair(kind, **kwargs)
    ours, _ = make_pair(kind, **kwargs)  # fresh, independently initialised
    assert not torch.equal(ours.weight_ih_l0, theirs.weight_ih_l0)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    back = type(theirs)(I, H, **kwargs, **({"nonlinearity": kind[4:]} if "rnn" in kind else {}))
    back = back.double()
    back.load_state_dict(ours.state_dict(), strict=True)
    for name, p in theirs.state_dict().items():
        assert torch.equal(back.state_dict()[name], p), name
    assert list(back.state_dict()) == list(theirs.state_dict())


# -- paths -----------------------------------------------------------------------------

def test_path_property():
    assert RNN(I, H).path == "fused"
    assert RNN(I, H, impl="reference").path == "reference"
    assert LSTM(I, H, impl="fused").path == "fused"
    assert GRU(I, H).path == "fused"
    assert GRU(I, H, reset_after=False).path == "fast"
    assert GRU(I, H, reset_after=False, impl="reference").path == "reference"


def test_bad_impl_and_proj_size_rejected():
    with pytest.raises(ValueError, match="LSTM: impl must be one of"):
        LSTM(I, H, impl="cudnn")
    with pytest.raises(ValueError, match="proj_size"):  # (a proj_size < H runs: sweep-torch)
        LSTM(I, H, proj_size=H)


def test_gru_reset_after_false_is_reference_only():
    with pytest.raises(ValueError) as err:
        GRU(I, H, reset_after=False, impl="fused")
    msg = str(err.value)
    assert "GRU" in msg and "impl='fused'" in msg and "reference" in msg


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
def test_gru_reset_after_false_runs_the_articles_cell(batched):
    torch.manual_seed(0)
    ours = GRU(I, H, reset_after=False).double()
    cell = GRUCell(I, H, reset_after=False).double()
    weights = {k: v for k, v in ours.state_dict().items() if k != "reset_after"}  # (its mark)
    cell.load_state_dict({k[: -len("_l0")]: v for k, v in weights.items()}, strict=True)
    x = torch.randn(T, B, I, dtype=F64) if batched else torch.randn(T, I, dtype=F64)
    h0 = torch.randn(1, B, H, dtype=F64) if batched else torch.randn(1, H, dtype=F64)

    out, h_n = ours(x, h0)
    h, outs = h0[0], []
    for t in range(T):
        h = cell(x[t], h)
        outs.append(h)
    assert_close(out, torch.stack(outs))
    assert_close(h_n, h.unsqueeze(0))
    # it is not torch's GRU on the same parameters
    theirs = nn.GRU(I, H).double()
    theirs.load_state_dict(weights, strict=True)  # (with the mark of Cho's form: refused)
    assert not torch.allclose(theirs(x, h0)[0], out)


# -- dropout -----------------------------------------------------------------------------

@pytest.mark.parametrize("impl", ["reference", "fused"])
@pytest.mark.parametrize("kind", KINDS)
def test_dropout_in_eval_equals_torch(kind, impl):
    torch.manual_seed(0)
    ours, theirs = make_pair(kind, impl, num_layers=3, dropout=0.5)
    ours.eval()
    theirs.eval()
    x, hx = make_inputs(kind, "time_major", 3, False, given_state=True)
    assert_same_run(run(ours, "time_major", x, hx), run(theirs, "time_major", x, hx))


def test_reference_dropout_is_active_in_train_mode():
    torch.manual_seed(0)
    ours, _ = make_pair("lstm", "reference", num_layers=2, dropout=0.5)
    x = torch.randn(T, B, I, dtype=F64)
    ours.train()
    a, b = ours(x)[0], ours(x)[0]
    assert not torch.allclose(a, b)  # different masks
    ours.eval()
    c, d = ours(x)[0], ours(x)[0]
    assert torch.equal(c, d)
    assert not torch.allclose(a, c)


@pytest.mark.parametrize("kind", KINDS)
def test_dropout_one_in_train_mode_equals_torch(kind):
    """p=1 is allowed by torch and zeroes every layer's input but the first: deterministic."""
    torch.manual_seed(0)
    ours, theirs = make_pair(kind, "reference", num_layers=2, dropout=1.0)
    x, hx = make_inputs(kind, "time_major", 2, False, given_state=True)
    assert ours.training and theirs.training
    assert_same_run(run(ours, "time_major", x, hx), run(theirs, "time_major", x, hx))


def test_dropout_set_after_construction_is_used_by_the_reference_path():
    torch.manual_seed(0)
    ours, theirs = make_pair("gru", "reference", num_layers=2, dropout=0.0)
    ours.dropout = theirs.dropout = 1.0  # torch reads it at every forward
    x, hx = make_inputs("gru", "time_major", 2, False, given_state=True)
    assert_same_run(run(ours, "time_major", x, hx), run(theirs, "time_major", x, hx))
    ours.dropout = 0.0
    ours.zero_grad(set_to_none=True)
    ours.eval()
    theirs.eval()
    assert_close(ours(x, hx[0]), theirs(x, hx[0]))
    ours.train()
    a = ours(x, hx[0])[0]
    assert torch.equal(a, ours(x, hx[0])[0])  # dropout 0 again: deterministic in train mode


# -- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("impl", ["reference", "fused"])
@pytest.mark.parametrize("kind", KINDS)
def test_bad_hx_shape(kind, impl):
    ours, _ = make_pair(kind, impl, num_layers=2, bidirectional=True)
    name = type(ours).__name__
    n = 2 if kind == "lstm" else 1
    bad = [torch.zeros(4, B + 1, H, dtype=F64)] * n
    with pytest.raises(ValueError) as err:
        ours(torch.randn(T, B, I, dtype=F64), tuple(bad) if n == 2 else bad[0])
    msg = str(err.value)
    assert msg.startswith(f"{name}:") and f"(4, {B}, {H})" in msg and f"(4, {B + 1}, {H})" in msg

    # unbatched input wants a 2-D state
    with pytest.raises(ValueError, match=rf"{name}: expected initial state of shape \(4, {H}\)"):
        h = torch.zeros(4, 1, H, dtype=F64)
        ours(torch.randn(T, I, dtype=F64), (h, h) if n == 2 else h)


def test_lstm_hx_needs_two_tensors():
    ours, _ = make_pair("lstm")
    with pytest.raises(ValueError, match=r"LSTM: expected hx as \(h_0, c_0\)"):
        ours(torch.randn(T, B, I, dtype=F64), torch.zeros(1, B, H, dtype=F64))


@pytest.mark.parametrize("impl", ["reference", "fused"])
@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_size(kind, impl):
    ours, _ = make_pair(kind, impl)
    name = type(ours).__name__
    with pytest.raises(ValueError, match=rf"^{name}: expected input with {I} features.*got {I + 1}"):
        ours(torch.randn(T, B, I + 1, dtype=F64))
    packed = pack_padded_sequence(torch.randn(T, B, I + 1, dtype=F64), torch.tensor(LENGTHS),
                                  enforce_sorted=False)
    with pytest.raises(ValueError, match=rf"^{name}: expected input with {I} features"):
        ours(packed)
    with pytest.raises(ValueError, match=rf"^{name}: expected input of shape \(T, B, {I}\)"):
        ours(torch.randn(2, T, B, I, dtype=F64))


@pytest.mark.parametrize("impl", ["reference", "fused"])
def test_no_time_steps_is_refused(impl):
    ours, _ = make_pair("gru", impl)
    with pytest.raises(ValueError, match=r"^GRU: got an input of no time steps, shape \(0, 2, 3\)"):
        ours(torch.randn(0, 2, I, dtype=F64))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("impl", ["reference", "auto"])
@pytest.mark.parametrize("kind", ["rnn", "gru", "gru-cho", "lstm"])
def test_a_batch_of_no_sequences_answers_as_torch_does(kind, impl, batch_first):
    torch.manual_seed(0)
    cls = {"rnn": RNN, "gru": GRU, "gru-cho": GRU, "lstm": LSTM}[kind]
    extra = {"reset_after": False} if kind == "gru-cho" else {}
    ours = cls(I, H, num_layers=2, bidirectional=True, batch_first=batch_first, impl=impl,
               **extra).double()
    theirs = getattr(nn, "GRU" if kind == "gru-cho" else kind.upper())(
        I, H, num_layers=2, bidirectional=True, batch_first=batch_first).double()
    x = torch.randn((0, T, I) if batch_first else (T, 0, I), dtype=F64)
    out, fin = ours(x)
    ref_out, ref_fin = theirs(x)
    assert out.shape == ref_out.shape and out.dtype == ref_out.dtype
    fin, ref_fin = [(s if isinstance(s, tuple) else (s,)) for s in (fin, ref_fin)]
    assert len(fin) == len(ref_fin)
    for a, b in zip(fin, ref_fin):
        assert a.shape == b.shape == (4, 0, H)
    (out.sum() + sum(t.sum() for t in fin)).backward()
    assert all(p.grad is not None and not p.grad.any() for p in ours.parameters())


def test_loop_impls_only_where_rnnlab_runs_the_loop():
    from rnnlab.nn.torch_compat import GRU, LSTM

    for impl in ("fast", "triton", "triton-split"):
        with pytest.raises(ValueError, match="runs torch's fused kernel"):
            LSTM(3, 4, impl=impl)
        assert GRU(3, 4, reset_after=False, impl=impl).path == "fast"
    assert GRU(3, 4, reset_after=False, impl="fast").path_for(torch.randn(2, 1, 3)) == "fast-torch"
    assert LSTM(3, 4).path_for(torch.randn(2, 1, 3)) == "fused"


def test_torchscript_is_refused_with_what_to_use_and_trace_works():
    import warnings

    torch.manual_seed(2)
    ours = LSTM(I, H, num_layers=2, batch_first=True)
    with pytest.raises(RuntimeError, match=r"^LSTM: TorchScript \(torch.jit.script\) cannot "
                                           r"compile rnnlab's modules; use torch.jit.trace"):
        torch.jit.script(ours)
    x = torch.randn(B, T, I)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        traced = torch.jit.trace(ours, x)
    ours_warn = [w for w in seen if "rnnlab" in w.filename]  # torch.nn's own ones stay
    assert not ours_warn, [str(w.message) for w in ours_warn]
    assert_close(traced(x)[0], ours(x)[0])
