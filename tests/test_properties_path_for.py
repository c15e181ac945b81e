"""Property: ``path_for`` names the path a call really runs (recorded by spies on torch's
kernel, rnnlab's kernels and the step loop), for any cell, impl, lengths (given, equal,
packed), batch (an empty one too), grad mode and forward AD."""

import contextlib

import pytest
import torch
import torch.autograd.forward_ad as fwAD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnlab.nn as R
from rnnlab.nn import dispatch, recurrent
from rnnlab.nn.paths import path_of

F64 = torch.float64
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")  # (forward AD)
FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
LAYER_CELLS = {
    "rnn": lambda: R.RNNCell(2, 3), "gru": lambda: R.GRUCell(2, 3),
    "lstm": lambda: R.LSTMCell(2, 3), "lstm-proj": lambda: R.LSTMCell(2, 3, proj_size=2),
    "gru-cho": lambda: R.GRUCell(2, 3, reset_after=False),
    "dt": lambda: R.DTRNNCell(2, 3, depth=2)}
DROPINS = {"rnn": lambda impl: R.RNN(2, 3, impl=impl), "gru": lambda impl: R.GRU(2, 3, impl=impl),
           "lstm": lambda impl: R.LSTM(2, 3, impl=impl),
           "lstm-proj": lambda impl: R.LSTM(2, 3, proj_size=2, impl=impl),
           "gru-cho": lambda impl: R.GRU(2, 3, reset_after=False, impl=impl)}


@pytest.fixture
def ran(monkeypatch):
    """The paths the calls ran, in order: "fused" (torch's kernel, behind a layer or a
    drop-in), "fast-<backend>" (rnnlab's kernel), else the layer's step loop."""
    seen = []

    def spy(name, wrapped, path):
        def call(*args, **kwargs):
            seen.append(path(*args))
            return wrapped(*args, **kwargs)
        return call

    monkeypatch.setattr(recurrent, "run_fused",
                        spy("run_fused", recurrent.run_fused, lambda *a: "fused"))
    monkeypatch.setattr(dispatch, "run_kernel",
                        spy("run_kernel", dispatch.run_kernel, lambda *a: a[-1]))
    for cls in (nn.RNN, nn.GRU, nn.LSTM):  # a drop-in's super().forward: torch's own call
        monkeypatch.setattr(cls, "forward", spy("forward", cls.forward, lambda *a: "fused"))
    return seen


def draw_call(draw):
    T, B = draw(st.integers(1, 4)), draw(st.integers(0, 3))
    kind = draw(st.sampled_from(["none", "random", "equal", "packed"] if B else ["none"]))
    dtype = draw(st.sampled_from([torch.float32, F64]))
    x = torch.randn(T, B, 2, dtype=dtype, requires_grad=draw(st.booleans()))
    lengths = None
    if kind != "none":
        lengths = torch.full((B,), T) if kind == "equal" else torch.randint(1, T + 1, (B,))
        lengths[0] = T
    if kind == "packed":
        x, lengths = pack_padded_sequence(x, lengths, enforce_sorted=False), None
    return x, lengths, draw(st.booleans()), draw(st.booleans())  # grad mode, forward AD


def called(module, x, lengths, grad, forward_ad, *args):
    """(what path_for says, the paths the call ran), in that grad mode, under forward AD."""
    with contextlib.ExitStack() as ctx:
        ctx.enter_context(torch.set_grad_enabled(grad))
        if forward_ad:
            ctx.enter_context(fwAD.dual_level())
            data = x.data if isinstance(x, PackedSequence) else x
            dual = fwAD.make_dual(data, torch.randn_like(data))
            x = x._replace(data=dual) if isinstance(x, PackedSequence) else dual
        said = module.path_for(x, *args)
        out = module(x, None, *args)
    return said, out


@FAST
@given(st.data())
def test_a_layers_path_for_names_what_runs(ran, data):
    name = data.draw(st.sampled_from(sorted(LAYER_CELLS)))
    impl = data.draw(st.sampled_from(["auto", "fast", "reference"]))
    x, lengths, grad, forward_ad = draw_call(data.draw)
    layer = R.Recurrent(LAYER_CELLS[name](), impl=impl).to(x.data.dtype)
    ran.clear()
    if impl == "fast" and dispatch.fused_op(layer.cell) is None and dispatch.kernel_for(layer.cell) is None:
        # a cell with no whole-sequence kernel: "fast" is refused by path_for and the call
        with pytest.raises(RuntimeError, match="cannot run"):
            layer.path_for(x, lengths)
        with pytest.raises(RuntimeError, match="cannot run"):
            layer(x, None, lengths)
        return
    said, _ = called(layer, x, lengths, grad, forward_ad, lengths)
    assert ran == ([said] if said != "reference" else []), (said, ran)


@FAST
@given(st.data())
def test_a_dropins_path_for_names_what_runs(ran, data):
    name = data.draw(st.sampled_from(sorted(DROPINS)))
    impl = data.draw(st.sampled_from(["auto", "reference"]))
    x, lengths, grad, forward_ad = draw_call(data.draw)
    if lengths is not None:  # (a drop-in takes no lengths: torch.nn's forward)
        x = pack_padded_sequence(x, lengths, enforce_sorted=False)
    module = DROPINS[name](impl).to(x.data.dtype)
    ran.clear()
    said, _ = called(module, x, None, grad, forward_ad)
    assert set(ran) == ({said} if said != "reference" else set()), (said, ran)


def test_forward_ad_with_lengths_is_said_to_run_the_step_loop(ran):
    """Old: under forward AD, lengths that differ take torch's kernel off (its packing has
    no forward AD) and the masked loop runs; ``path_for`` said "fused" all the same (a
    layer, a stack, ``path_of`` and a drop-in given a PackedSequence that trains)."""
    x, lengths = torch.randn(4, 2, 2, dtype=F64), torch.tensor([4, 2])
    layer = R.Recurrent(R.LSTMCell(2, 3, dtype=F64))
    stack = R.Stacked([R.Bidirectional(R.Recurrent(R.GRUCell(2, 3)),
                                       R.Recurrent(R.GRUCell(2, 3), reverse=True))]).double()
    packed = pack_padded_sequence(x, lengths)
    with fwAD.dual_level():
        assert layer.path_for(x, lengths) == stack.path_for(x, lengths) == "reference"
        assert path_of(stack, x, lengths) == layer.path_for(packed) == "reference"
        assert R.LSTM(2, 3, dtype=F64).path_for(packed) == "reference"
        assert layer.path_for(x, torch.tensor([4, 4])) == "fused"  # equal: nothing to mask
        ran.clear()
        layer(fwAD.make_dual(x, torch.ones_like(x)), None, lengths)
        assert ran == []
    assert layer.path_for(x, lengths) == stack.path_for(x, lengths) == "fused"
    assert R.LSTM(2, 3, dtype=F64).path_for(packed) == "fused"


def test_a_float32_lstm_runs_under_forward_ad_on_the_cpu():
    """Old: inside ``forward_ad.dual_level()`` every float32 LSTM on the CPU died with
    "Trying to use forward AD with mkldnn_rnn_layer" (torch's CPU kernel for it is
    oneDNN's, which has no forward AD; torch.nn.LSTM dies too, float64 runs): a layer,
    a stack, the drop-in and the registry's lstm. Now the step loop runs them, and the
    tangent equals torch.nn.LSTM's in float64."""
    from rnnlab.nn.registry import build_model

    torch.manual_seed(0)
    theirs = nn.LSTM(2, 3, num_layers=2).double()
    x, t = torch.randn(4, 2, 2, dtype=F64), torch.randn(4, 2, 2, dtype=F64)
    with fwAD.dual_level():
        want = fwAD.unpack_dual(theirs(fwAD.make_dual(x, t))[0]).tangent
    dropin = R.LSTM(2, 3, num_layers=2)
    dropin.load_state_dict(theirs.state_dict())
    cells = [R.LSTMCell(2, 3), R.LSTMCell(3, 3)]
    for k, cell in enumerate(cells):
        cell.load_state_dict({n: getattr(theirs, f"{n}_l{k}").float() for n, _ in
                              cell.named_parameters()})
    stack = R.Stacked([R.Recurrent(c) for c in cells])
    model = build_model("lstm", input_size=2, hidden_size=3, num_layers=2)
    model.body.load_state_dict(dropin.state_dict())
    x, t = x.float(), t.float()
    for name, m, flip in [("drop-in", dropin, False), ("stack", stack, False),
                          ("registry", model, True)]:
        with fwAD.dual_level():
            arg = fwAD.make_dual(x, t)
            assert path_of(m, arg) == "reference", name
            out = m(arg.transpose(0, 1) if flip else arg)[0]
            got = fwAD.unpack_dual(out).tangent
        got = got.transpose(0, 1) if flip else got
        torch.testing.assert_close(got.double(), want, rtol=1e-4, atol=1e-5, msg=name)
