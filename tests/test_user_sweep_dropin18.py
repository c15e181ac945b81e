"""A researcher swapping torch.nn's RNNs and cells for rnnlab's (session 18): what still
differed from torch.nn, each checked against torch.nn in float64."""

import threading

import pytest
import torch
from torch import nn
from torch.testing import assert_close

import rnnlab.nn as rn
from rnnlab.nn import stacked

F64 = torch.float64
I, H, B = 3, 4, 2


def cell_pair(kind, **kwargs):
    theirs = getattr(nn, kind)(I, H, **kwargs).double()
    ours = getattr(rn, kind)(I, H, **kwargs).double()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    return ours, theirs


def a_state(kind, batch=(B,)):
    n = 2 if kind == "LSTMCell" else 1
    hs = tuple(torch.randn(*batch, H, dtype=F64, requires_grad=True) for _ in range(n))
    return hs if n == 2 else hs[0]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("kind", ["RNNCell", "GRUCell", "LSTMCell"])
def test_cells_take_torchs_argument_names(kind, batched):
    """``cell(input=x, hx=h)``, torch.nn's names, raised "unexpected keyword argument
    'hx'"; same numbers as torch's cell, forward and backward."""
    torch.manual_seed(0)
    ours, theirs = cell_pair(kind)
    shape = (B,) if batched else ()
    x = torch.randn(*shape, I, dtype=F64, requires_grad=True)
    hx = a_state(kind, shape)
    got, want = ours(input=x, hx=hx), theirs(input=x, hx=hx)
    assert_close(got, want)
    inputs = [x, *(hx if isinstance(hx, tuple) else (hx,))]
    loss = lambda out, m: sum(t.pow(2).sum() for t in (out if isinstance(out, tuple) else (out,)))
    g_ours = torch.autograd.grad(loss(got, ours), inputs + list(ours.parameters()))
    g_theirs = torch.autograd.grad(loss(want, theirs), inputs + list(theirs.parameters()))
    assert_close(g_ours, g_theirs)
    assert_close(ours(x, state=hx), want)  # rnnlab's own name still works
    with pytest.raises(TypeError, match=rf"^{kind}: got the state twice, as hx and as state"):
        ours(x, hx, state=hx)


@pytest.mark.parametrize("kind, kwargs", [
    (kind, kwargs) for kind in ("RNNCell", "GRUCell", "LSTMCell") for kwargs in ({}, {"bias": False})
] + [("RNNCell", {"nonlinearity": "relu"})])
def test_cells_print_as_torchs(kind, kwargs):
    ours, theirs = cell_pair(kind, **kwargs)
    assert repr(ours) == repr(theirs)
    assert "reset_after=False" in repr(rn.GRUCell(I, H, reset_after=False))


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_threads_running_the_reference_path_at_once_each_run_their_own_parameters(
        monkeypatch, kind):
    """The reference path swaps the module's parameters into a template for the call;
    two threads shared one template, so a thread ran on another's parameters (two
    DataParallel replicas: silently wrong outputs) or on none, the meta tensors ("Tensor
    on device meta", two threads calling one module). The threads here interleave at the
    worst point: the second starts and enters its call while the first is inside its own."""
    torch.manual_seed(0)
    one = getattr(rn, kind)(I, H, num_layers=2, impl="reference").double()
    other = one._replicate_for_data_parallel()  # (as DataParallel makes one per device)
    for name, p in one.named_parameters():
        other._parameters[name] = torch.randn_like(p)
    other._init_flat_weights()
    x = torch.randn(5, B, I, dtype=F64)
    want_one, want_other = one(x), other(x)
    inside, first_done, got = threading.Event(), threading.Event(), {}
    forward = stacked.Stacked.forward

    def interleaved(self, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            second.start()
            inside.wait(timeout=10)  # (the second thread is inside its call now, or has its own template)
        else:
            inside.set()
            first_done.wait(timeout=10)
        return forward(self, *args, **kwargs)

    def run_other():
        try:
            got["other"] = other(x)
        except RuntimeError as e:  # (before: "Tensor on device meta is not on the expected device")
            got["other"] = e

    second = threading.Thread(target=run_other)
    monkeypatch.setattr(stacked.Stacked, "forward", interleaved)
    try:
        got["one"] = one(x)
    finally:
        first_done.set()
        second.join(timeout=30)
    assert_close(got["one"], want_one)
    assert not isinstance(got["other"], Exception), got["other"]
    assert_close(got["other"], want_other)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_a_packed_lstm_trains_under_a_cpu_autocast_in_torchs_precision(dtype):
    """torch's packed LSTM is not cast by a CPU autocast: it runs in fp32. Training on a
    PackedSequence ran it padded, on the unpacked kernel, which autocast casts: the
    output came back in bf16/fp16, with that precision's error, where torch.nn's is fp32."""
    torch.manual_seed(0)
    theirs = nn.LSTM(I, H, num_layers=2)
    ours = rn.LSTM(I, H, num_layers=2)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(6, 3, I, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor([6, 2, 5]), enforce_sorted=False)
    with torch.autocast("cpu", dtype=dtype):
        (out, (h, c)), (ref, (ref_h, ref_c)) = ours(packed), theirs(packed)
    assert out.data.dtype == ref.data.dtype
    assert_close((out.data, h, c), (ref.data, ref_h, ref_c))
    g_ours = torch.autograd.grad(out.data.sum(), list(ours.parameters()))
    g_theirs = torch.autograd.grad(ref.data.sum(), list(theirs.parameters()))
    assert_close(g_ours, g_theirs)


def _torch_style_init(model):
    """What training scripts do to torch's cells: picked out by isinstance."""
    for m in model.modules():
        if isinstance(m, nn.RNNCellBase):
            nn.init.orthogonal_(m.weight_hh)
        if isinstance(m, nn.LSTMCell):
            with torch.no_grad():
                m.bias_ih[m.hidden_size:2 * m.hidden_size].fill_(1.0)  # forget gate


def test_an_initialiser_that_picks_torchs_cells_out_of_a_model_finds_rnnlabs():
    """isinstance(cell, nn.LSTMCell) was False for rnnlab's cells (the layers already
    subclass torch's): code that initialises torch's cells skipped them, silently."""
    torch.manual_seed(0)
    ours = nn.ModuleList([rn.RNNCell(I, H), rn.GRUCell(I, H), rn.LSTMCell(I, H)]).double()
    theirs = nn.ModuleList([nn.RNNCell(I, H), nn.GRUCell(I, H), nn.LSTMCell(I, H)]).double()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    torch.manual_seed(1)
    _torch_style_init(ours)
    torch.manual_seed(1)
    _torch_style_init(theirs)
    assert_close(ours.state_dict(), theirs.state_dict())
    assert (ours[2].bias_ih[H:2 * H] == 1).all()
    assert not isinstance(rn.DTRNNCell(I, H, depth=2), nn.RNNCellBase)  # (no torch cell)


def _mistakes(kind):
    """(name, call) pairs: a wrong-shape call as torch.nn refuses it with a RuntimeError."""
    cell = kind.endswith("Cell")
    lstm = kind.startswith("LSTM")
    if cell:
        h = torch.zeros(B + 1, H, dtype=F64)
        return [("state of another batch", lambda m: m(torch.randn(B, I, dtype=F64),
                                                       (h, h) if lstm else h)),
                ("features", lambda m: m(torch.randn(B, I + 1, dtype=F64)))]
    h = torch.zeros(1, B + 1, H, dtype=F64)
    return [("state of another batch", lambda m: m(torch.randn(5, B, I, dtype=F64),
                                                   (h, h) if lstm else h)),
            ("state without its layer dimension", lambda m: m(torch.randn(5, B, I, dtype=F64),
                                                              (h[0], h[0]) if lstm else h[0])),
            ("features", lambda m: m(torch.randn(5, B, I + 1, dtype=F64))),
            ("no steps", lambda m: m(torch.randn(0, B, I, dtype=F64)))]


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell"])
def test_a_wrong_shape_is_a_runtime_error_as_torchs_and_a_value_error_as_rnnlabs(kind):
    """torch.nn raises RuntimeError for these; rnnlab raised ValueError only, so code
    written for torch.nn (``except RuntimeError``, ``pytest.raises(RuntimeError)``) let it through."""
    ours, theirs = (cell_pair(kind) if kind.endswith("Cell") else
                    (getattr(rn, kind)(I, H).double(), getattr(nn, kind)(I, H).double()))
    for what, call in _mistakes(kind):
        with pytest.raises(RuntimeError):
            call(theirs)
        with pytest.raises(RuntimeError, match=rf"^{kind}: ") as err:
            call(ours)
        assert isinstance(err.value, ValueError) and isinstance(err.value, rn.ShapeError), what


class _Model(nn.Module):
    def __init__(self, lib, layer):
        super().__init__()
        self.layer = layer
        self.rnn = (lib.LSTM(I, H, num_layers=2, batch_first=True) if layer else
                    lib.LSTMCell(I, H))
        self.head = nn.Linear(H, 1)

    def forward(self, x):
        if self.layer:
            out, (h, c) = self.rnn(x)
            return self.head(out[:, -1]) + h[-1].sum() + c.sum()
        h, c = self.rnn(x)
        return self.head(h) + c.sum()


@pytest.mark.parametrize("layer, impl", [(True, "auto"), (True, "reference"), (False, None)],
                         ids=["layer", "layer-reference", "cell"])
def test_torch_fx_traces_a_model_holding_rnnlabs_modules_as_one_node_each(layer, impl):
    """torch.fx.symbolic_trace records torch.nn's RNNs and cells as leaves; it traced into
    rnnlab's forward and died on its first check ("expected the input as a torch.Tensor,
    got torch.fx.proxy.Proxy"). Now one call_module node, as torch.nn's."""
    torch.manual_seed(0)
    theirs = _Model(nn, layer).double()
    ours = _Model(rn, layer).double()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    if layer:
        ours.rnn.impl = impl
    graph = torch.fx.symbolic_trace(ours)
    assert [n.target for n in graph.graph.nodes if n.op == "call_module"] == ["rnn", "head"]
    want_nodes = [(n.op, str(n.target)) for n in torch.fx.symbolic_trace(theirs).graph.nodes]
    assert [(n.op, str(n.target)) for n in graph.graph.nodes] == want_nodes
    x = torch.randn(B, 5, I, dtype=F64) if layer else torch.randn(B, I, dtype=F64)
    assert_close(graph(x), theirs(x))


@pytest.mark.parametrize("name", ["lstm", "dt-rnn"])
def test_torch_fx_traces_a_model_holding_rnnlabs_composed_layers(name):
    """The same for what has no torch.nn counterpart: the registry's models (Stacked,
    Recurrent inside) as one node each."""
    from rnnlab.nn.registry import build_model

    class Wrapper(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = build_model(name, input_size=I, hidden_size=H).double()
            self.stack = rn.Stacked([rn.Recurrent(rn.GRUCell(I, H)), rn.Bidirectional(
                rn.Recurrent(rn.GRUCell(H, H)), rn.Recurrent(rn.GRUCell(H, H), reverse=True))]).double()

        def forward(self, x):
            return self.net(x)[0].sum() + self.stack(x.transpose(0, 1))[0].sum()

    model = Wrapper()
    graph = torch.fx.symbolic_trace(model)
    assert [n.target for n in graph.graph.nodes if n.op == "call_module"] == ["net", "stack"]
    x = torch.randn(B, 5, I, dtype=F64)
    assert_close(graph(x), model(x))
