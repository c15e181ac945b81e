"""Session 15's sweep of rnnlab.nn as a PyTorch user would use it, against torch.nn (float64)."""

import copy
import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from rnnlab.nn import GRU, RNN, GRUCell, LSTMCell, DTRNNCell, LSTM

F64 = torch.float64


def _run(module, x, h0=None):
    """Outputs, final state and the gradients of a fixed weighting of both (x, h0, params)."""
    x = x.clone().requires_grad_()
    h0 = None if h0 is None else h0.clone().requires_grad_()
    out, h_n = module(x, h0)
    w = torch.linspace(-1, 1, out.numel(), dtype=F64).reshape(out.shape)
    loss = (out * w).sum() + (h_n ** 2).sum()
    grads = torch.autograd.grad(loss, [x] + ([] if h0 is None else [h0])
                                + list(module.parameters()))
    return out, h_n, grads


def _cho_twin(gru):
    """A GRU(reset_after=False) holding ``gru``'s parameters."""
    twin = GRU(gru.input_size, gru.hidden_size, num_layers=gru.num_layers,
               bidirectional=gru.bidirectional, reset_after=False).double()
    twin.load_state_dict(gru.state_dict())
    return twin


@pytest.mark.parametrize("impl", ["auto", "reference"])
def test_a_grus_form_set_after_construction_runs_on_every_path(impl):
    # gru.reset_after = False after construction printed reset_after=False, said path
    # "fast", but ran torch's form (the reference template kept the form it was built
    # with), and a deep copy of it ran Cho's: two answers from one module.
    torch.manual_seed(0)
    ours = GRU(3, 4, num_layers=2, bidirectional=True, impl=impl).double()
    x, h0 = torch.randn(5, 2, 3, dtype=F64), torch.randn(4, 2, 4, dtype=F64)
    ours.reset_after = False
    want = _run(_cho_twin(ours), x, h0)
    assert_close(_run(ours, x, h0), want)
    assert_close(_run(copy.deepcopy(ours), x, h0), want)
    if impl == "auto":
        assert ours.path_for(x) == "fast-torch"
    ours.reset_after = True  # and back: torch.nn.GRU's numbers again
    theirs = nn.GRU(3, 4, num_layers=2, bidirectional=True).double()
    theirs.load_state_dict(ours.state_dict())
    assert_close(_run(ours, x, h0), _run(theirs, x, h0))


def test_a_grus_form_is_checked_when_set_as_at_construction():
    fused = GRU(3, 4, impl="fused")
    with pytest.raises(ValueError, match=r"impl='fused' is not available"):
        fused.reset_after = False  # torch has no kernel for Cho's form
    assert fused.reset_after is True and fused.path == "fused"  # left as it was
    loop = GRU(3, 4, reset_after=False, impl="fast")
    with pytest.raises(ValueError, match=r"impl='fast' chooses how rnnlab's own loop runs"):
        loop.reset_after = True
    assert loop.reset_after is False
    with pytest.raises(TypeError, match=r"reset_after must be True or False, got 'no'"):
        GRU(3, 4, reset_after="no")  # a non-empty string was taken as true


def test_a_gru_pickled_with_its_form_as_a_plain_attribute_loads_with_that_form():
    torch.manual_seed(0)
    cho = GRU(3, 4, reset_after=False).double()
    state = cho.__getstate__()
    state["reset_after"] = state.pop("_reset_after")  # as saved before it was a property
    loaded = GRU.__new__(GRU)
    loaded.__setstate__(state)
    x = torch.randn(5, 2, 3, dtype=F64)
    assert loaded.reset_after is False
    assert_close(_run(loaded, x), _run(cho, x))


def test_an_rnns_reference_path_runs_the_kernels_nonlinearity_after_a_copy():
    # torch.nn.RNN fixes its op (self.mode) at construction: a nonlinearity set later is
    # not read. The reference template followed self.nonlinearity when rebuilt (a deep
    # copy, a pickle): the copy then computed ReLU where torch.nn and the original tanh.
    torch.manual_seed(0)
    theirs = nn.RNN(3, 4, num_layers=2).double()
    ours = RNN(3, 4, num_layers=2, impl="reference").double()
    ours.load_state_dict(theirs.state_dict())
    theirs.nonlinearity = ours.nonlinearity = "relu"
    x = 3 * torch.randn(5, 2, 3, dtype=F64)
    want = _run(theirs, x)
    assert_close(_run(ours, x), want)
    assert_close(_run(copy.deepcopy(ours), x), want)


@pytest.mark.parametrize("make", [lambda: GRU(3, 4, num_layers=2, bidirectional=True),
                                  lambda: LSTM(3, 4, num_layers=2, bidirectional=True)],
                         ids=["gru", "lstm"])
def test_a_dropins_state_for_an_unbatched_input_is_described_without_a_batch(make):
    ours = make()
    lstm = isinstance(ours, nn.LSTM)
    h = torch.zeros(4, 1, 4)
    with pytest.raises(ValueError) as err:
        ours(torch.randn(5, 3), (h, h) if lstm else h)
    msg = str(err.value)
    # (it said "(4, 4) (num_layers*num_directions, batch, hidden_size)": three names, two sizes)
    assert "(4, 4) (num_layers*num_directions, hidden_size)" in msg
    assert "unbatched input (T, 3)" in msg and "got (4, 1, 4)" in msg
    assert "h_0.squeeze(1)" in msg  # what to do
    h = torch.zeros(4, 4)
    with pytest.raises(ValueError, match=re.escape("(4, 2, 4) (num_layers*num_directions, "
                                                   "batch, hidden_size)") + r".*unsqueeze\(1\)"):
        ours(torch.randn(5, 2, 3), (h, h) if lstm else h)
    h = torch.zeros(4, 3, 4)  # another batch size
    with pytest.raises(ValueError, match=r"got \(4, 3, 4\); the state is for 3 sequences and "
                                         r"the input has 2"):
        ours(torch.randn(5, 2, 3), (h, h) if lstm else h)


@pytest.mark.parametrize("make", [lambda: GRUCell(3, 4), lambda: LSTMCell(3, 4),
                                  lambda: DTRNNCell(3, 4, depth=2)],
                         ids=["gru", "lstm", "dt"])
def test_a_cells_state_for_an_unbatched_input_is_named_as_given(make):
    # It said "expected state of shape (1, 4) (batch, hidden), got (1, 1, 4)": neither
    # the shape wanted, (4,), nor the one passed, (1, 4).
    cell = make()
    h = torch.zeros(1, 4)
    state = (h, h) if isinstance(cell, LSTMCell) else h
    with pytest.raises(ValueError) as err:
        cell(torch.randn(3), state)
    msg = str(err.value)
    assert "expected state of shape (4,)" in msg and "got (1, 4)" in msg, msg
    assert "(1, 1, 4)" not in msg and "state.squeeze(0)" in msg
    h = torch.zeros(4)
    with pytest.raises(ValueError, match=r"expected state of shape \(2, 4\) \(batch, hidden\), "
                                         r"got \(4,\); a batched input"):
        cell(torch.randn(2, 3), (h, h) if isinstance(cell, LSTMCell) else h)
    # the right shapes still run, as torch's cells
    h = torch.zeros(4)
    out = cell(torch.randn(3), (h, h) if isinstance(cell, LSTMCell) else h)
    assert (out[0] if isinstance(out, tuple) else out).shape == (4,)



def test_an_unbatched_states_wrong_width_is_not_told_of_a_batch():
    # it said "one row per sequence of the batch" (a cell) and "one column per sequence of
    # the batch" (a drop-in) of a state for one unbatched sequence, which has no batch
    with pytest.raises(ValueError) as err:
        GRUCell(3, 4)(torch.randn(3), torch.zeros(5))
    msg = str(err.value)
    assert "got (5,); an unbatched input's state is one vector of 4 features" in msg
    assert "of the batch" not in msg, msg
    with pytest.raises(ValueError) as err:
        GRU(3, 4, num_layers=2)(torch.randn(5, 3), torch.zeros(2, 5))
    msg = str(err.value)
    assert "got (2, 5); give one row per layer and direction (2 = num_layers) and the " \
           "features above" in msg and "of the batch" not in msg, msg


# -- PackedSequence under torch.func transforms and forward-mode AD -----------------------

def _packed(seed=0, n=(2, 5, 3), features=3):
    g = torch.Generator().manual_seed(seed)
    from torch.nn.utils.rnn import pack_sequence
    return pack_sequence([torch.randn(k, features, dtype=F64, generator=g) for k in n],
                         enforce_sorted=False)


def _pair(kind, **kw):
    torch.manual_seed(0)
    theirs = {"lstm": nn.LSTM, "gru": nn.GRU}[kind](3, 4, **kw).double()
    ours = {"lstm": LSTM, "gru": GRU}[kind](3, 4, **kw).double()
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


@pytest.mark.parametrize("kind,kw", [("lstm", dict(num_layers=2, bidirectional=True)),
                                     ("gru", dict(num_layers=2, bidirectional=True)),
                                     ("lstm", dict(proj_size=2, bidirectional=True))],
                         ids=["lstm", "gru", "lstm-proj"])
def test_a_packed_batch_runs_under_torch_func_grad(kind, kw):
    # torch.func.grad over functional_call with a PackedSequence failed in
    # pad_packed_sequence ("Cannot access data pointer of Tensor that doesn't have
    # storage"), torch.nn's modules too; rnnlab's run the loop there (README) and now
    # unpack it too. Per-sample or meta-gradients of packed batches: torch.nn's numbers.
    from torch.func import functional_call, grad
    ours, theirs = _pair(kind, **kw)
    packed = _packed()

    def loss(params, module):
        out, h_n = functional_call(module, params, (packed,))
        h = h_n[0] if isinstance(h_n, tuple) else h_n
        return (out.data ** 2).sum() + (h ** 3).sum()

    got = grad(loss)(dict(ours.named_parameters()), ours)
    params = dict(theirs.named_parameters())
    want = torch.autograd.grad(loss(params, theirs), list(params.values()))
    assert list(got) == list(params)
    assert_close(list(got.values()), list(want))


@pytest.mark.parametrize("make", [lambda: LSTM(3, 4, num_layers=2, bidirectional=True),
                                  lambda: GRU(3, 4, bidirectional=True, reset_after=False)],
                         ids=["lstm", "gru-cho"])
def test_a_packed_batch_runs_under_forward_mode_ad(make):
    # forward AD on a PackedSequence failed: "Trying to use forward AD with
    # _pack_padded_sequence that does not support it". The tangent equals the jvp by
    # double backward (torch.autograd.functional.jvp) of the same module on the loop.
    import torch.autograd.forward_ad as fwAD
    from torch.nn.utils.rnn import PackedSequence
    torch.manual_seed(0)
    module = make().double()
    packed, tangent = _packed(0), _packed(1)

    def run(m, data):
        out, _ = m(PackedSequence(data, packed.batch_sizes, packed.sorted_indices,
                                  packed.unsorted_indices))
        return out

    with fwAD.dual_level():
        out = run(module, fwAD.make_dual(packed.data, tangent.data))
        assert isinstance(out, PackedSequence)
        assert torch.equal(out.batch_sizes, packed.batch_sizes)
        got = fwAD.unpack_dual(out.data).tangent
    loop = copy.deepcopy(module)
    loop.impl = "reference"  # the step loop, which autograd differentiates twice
    _, want = torch.autograd.functional.jvp(lambda d: run(loop, d).data, packed.data,
                                            tangent.data)
    assert_close(got, want)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_packing_by_index_ops_equals_torchs_packing(batch_first, enforce_sorted):
    import torch.autograd.forward_ad as fwAD
    from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence
    from rnnlab.nn.packing import repack, unpack
    g = torch.Generator().manual_seed(0)
    n = (5, 3, 3, 1) if enforce_sorted else (2, 5, 1, 3)
    packed = pack_sequence([torch.randn(k, 2, 3, dtype=F64, generator=g) for k in n],
                           enforce_sorted=enforce_sorted)
    want, want_lengths = pad_packed_sequence(packed, batch_first=batch_first)
    with fwAD.dual_level():  # (the index ops run where torch's cannot)
        got, lengths = unpack(packed, batch_first=batch_first)
        again = repack(got, packed, batch_first)
    assert torch.equal(got, want) and torch.equal(lengths, want_lengths)
    assert torch.equal(again.data, packed.data)
    assert torch.equal(repack(want, packed, batch_first).data, packed.data)  # torch's ops


# -- composed layers given a state in torch.nn's layout -----------------------------------

def _bi(cell, I):
    from rnnlab.nn import Bidirectional, Recurrent
    return Bidirectional(Recurrent(cell(I, 4)), Recurrent(cell(I, 4), reverse=True))


@pytest.mark.parametrize("train", [False, True], ids=["one-call", "layer-by-layer"])
def test_a_stack_given_torchs_state_layout_says_how_to_split_it(train):
    # Stacked of two LSTM layers given torch.nn.LSTM's (h_0, c_0), each (2, B, H): the
    # inner cell said "expected a state of 2 tensor(s) ... got one tensor of shape
    # (2, 2, 4)", naming no layer and no layout.
    from rnnlab.nn import Recurrent, Stacked
    torch.manual_seed(0)
    uni = Stacked([Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(4, 4))], dropout=0.5)
    h, c = torch.randn(2, 2, 4), torch.randn(2, 2, 4)
    x = torch.randn(5, 2, 3)
    uni.train(train)
    with pytest.raises(ValueError, match=re.escape(
            "Stacked: expected one state per layer; got the state in torch.nn's layout, "
            "(h_0, c_0), each of shape (2, 2, 4) (num_layers*num_directions, B, H): pass "
            "[(h_0[k], c_0[k]) for k in range(2)]")):
        uni(x, (h, c))
    uni.eval()  # the split it names runs
    assert uni(x, [(h[k], c[k]) for k in range(2)])[0].shape == (5, 2, 4)
    bi = Stacked([_bi(GRUCell, 3), _bi(GRUCell, 8)])
    h = torch.randn(4, 2, 4)
    with pytest.raises(ValueError, match=re.escape(
            "(forward_state, backward_state) for a bidirectional one; got the state in "
            "torch.nn's layout, h_0 of shape (4, 2, 4) (num_layers*num_directions, B, H): "
            "pass [(h_0[2 * k], h_0[2 * k + 1]) for k in range(2)]")):
        bi(x, h)
    assert bi(x, [(h[2 * k], h[2 * k + 1]) for k in range(2)])[0].shape == (5, 2, 8)
    gru = Stacked([Recurrent(GRUCell(3, 4)), Recurrent(GRUCell(4, 4))])
    assert gru(x, torch.zeros(2, 2, 4))[0].shape == (5, 2, 4)  # (layers, B, H) still taken


def test_a_bidirectional_or_recurrent_layer_given_torchs_state_layout_says_what_to_pass():
    from rnnlab.nn import Recurrent
    x = torch.randn(5, 2, 3)
    h = torch.zeros(2, 2, 4)
    with pytest.raises(ValueError, match=re.escape("one state per direction; got the state in "
                                                   "torch.nn's layout") + r".*" + re.escape(
                                                   ": pass ((h_0[0], c_0[0]), (h_0[1], c_0[1]))")):
        _bi(LSTMCell, 3)(x, (h, h))
    with pytest.raises(ValueError, match=re.escape("pass (h_0[0], h_0[1])")):
        _bi(GRUCell, 3)(x, h)
    with pytest.raises(ValueError, match=r"got \(1, 2, 4\); a layer's state has no num_layers "
                                         r"dimension .*pass h_0\[0\]"):
        Recurrent(GRUCell(3, 4))(x, torch.zeros(1, 2, 4))


# -- hooks on composed layers given a PackedSequence ---------------------------------------

@pytest.mark.parametrize("structure", ["recurrent", "bidirectional", "stacked"])
def test_a_composed_layers_hooks_run_once_per_call_on_a_packed_batch(structure):
    # A PackedSequence was run by calling the module again on the padded batch: its hooks
    # ran twice, the second time on a tensor the caller never passed, and a pre-hook that
    # changes the input changed it twice. torch.nn.LSTM runs them once.
    from torch.nn.utils.rnn import PackedSequence
    from rnnlab.nn import Recurrent, Stacked
    torch.manual_seed(0)
    layer = {"recurrent": lambda: Recurrent(LSTMCell(3, 4)),
             "bidirectional": lambda: _bi(LSTMCell, 3),
             "stacked": lambda: Stacked([Recurrent(LSTMCell(3, 4)),
                                         Recurrent(LSTMCell(4, 4))])}[structure]().double()
    packed = _packed()
    want = layer(PackedSequence(2 * packed.data, packed.batch_sizes, packed.sorted_indices,
                                packed.unsorted_indices))[0]
    seen = []

    def double_input(module, args):
        seen.append(("pre", type(args[0]).__name__))
        return (args[0]._replace(data=2 * args[0].data),) + args[1:]

    layer.register_forward_pre_hook(double_input)
    layer.register_forward_hook(lambda module, args, out: seen.append(
        ("hook", type(out[0]).__name__)))
    got = layer(packed)[0]
    assert seen == [("pre", "PackedSequence"), ("hook", "PackedSequence")]
    assert_close(got.data, want.data)


def test_a_deep_outputs_hooks_run_once_per_call_on_a_packed_batch():
    from rnnlab.nn import DeepOutput
    torch.manual_seed(0)
    head = DeepOutput(3, depth=2, width=5).double()
    packed = _packed()
    seen = []
    head.register_forward_pre_hook(lambda m, args: seen.append(type(args[0]).__name__))
    out = head(packed)
    assert seen == ["PackedSequence"]  # (and not the packed data after it)
    assert_close(out.data, head(packed.data))


@pytest.mark.parametrize("structure", ["recurrent-lstm", "bidirectional", "stacked",
                                       "model-dt", "model-lstm"])
def test_lengths_given_where_the_state_goes_are_named(structure):
    # layer(x, lengths): the lengths went in as the state, and the message spoke of the
    # state's shape ("got one tensor of shape (2,)"), a layer count ("expected one state
    # per layer (3), got 2") or a 0-d state, never of the lengths.
    import warnings
    from rnnlab.nn import Recurrent, Stacked
    from rnnlab.nn.registry import build_model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = {"recurrent-lstm": lambda: Recurrent(LSTMCell(3, 4)),
                  "bidirectional": lambda: _bi(GRUCell, 3),
                  "stacked": lambda: Stacked([Recurrent(GRUCell(3, 4)), Recurrent(GRUCell(4, 4))]),
                  "model-dt": lambda: build_model("dt-rnn", input_size=3, hidden_size=4),
                  "model-lstm": lambda: build_model("lstm", input_size=3, hidden_size=4),
                  }[structure]()
    x, lengths = torch.randn(2, 5, 3), torch.tensor([5, 3])
    if not structure.startswith("model"):
        x = x.transpose(0, 1)
    with pytest.raises(ValueError, match=r"got the state \(the second argument\) as a tensor of "
                                         r"int64, shape \(2,\); lengths go by keyword, "
                                         r"module\(x, lengths=lengths\)"):
        module(x, lengths)
    assert module(x, lengths=lengths)[0].shape[:2] == x.shape[:2]


# -- torch.export ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: GRU(3, 4, reset_after=False, bidirectional=True),
                                  lambda: _dt_model()], ids=["gru-cho", "dts-rnn"])
def test_torch_export_of_rnnlabs_own_kernels_runs_the_loop_and_equals_eager(make):
    # torch.export.export failed in the whole-sequence kernels' out= ops ("addmm():
    # functions with out=... arguments don't support automatic differentiation"), where
    # torch.nn's modules and the fused drop-ins export; the loop is exported instead, as
    # torch.jit.trace records it (for the traced sequence length).
    torch.manual_seed(0)
    module = make().double().eval()
    x = torch.randn(5, 2, 3, dtype=F64)
    program = torch.export.export(module, (x,))
    assert_close(program.module()(x), module(x))




def test_a_torch_without_torch_compiler_is_exporting_runs_the_kernels(monkeypatch):
    # torch.compiler.is_exporting came after torch 2.4, the declared floor: asked
    # unguarded, every layer with an rnnlab kernel raised AttributeError there
    from rnnlab.nn import dispatch

    class Compiler:  # torch.compiler of a torch 2.4 (torch's own is left: dynamo reads it)
        def __getattr__(self, name):
            if name == "is_exporting":
                raise AttributeError(name)
            return getattr(torch.compiler, name)

    class Torch:
        compiler = Compiler()

        def __getattr__(self, name):
            return getattr(torch, name)

    monkeypatch.setattr(dispatch, "torch", Torch())
    torch.manual_seed(0)
    module = GRU(3, 4, reset_after=False).double()
    x = torch.randn(5, 2, 3, dtype=F64)
    assert module.path_for(x) == "fast-torch"  # (rnnlab's kernel, not the loop)
    reference = copy.deepcopy(module)
    reference.impl = "reference"
    assert_close(module(x), reference(x))

def _dt_model():
    from rnnlab.nn.registry import build_model
    return build_model("dts-rnn", input_size=3, hidden_size=4, depth=2)


# -- a batch of no sequences with a given state ---------------------------------------------

@pytest.mark.parametrize("make", [lambda: LSTM(3, 4, num_layers=2, impl="reference"),
                                  lambda: LSTM(3, 4, proj_size=2, bidirectional=True,
                                               impl="reference"),
                                  lambda: GRU(3, 4, reset_after=False, batch_first=True)],
                         ids=["lstm-reference", "lstm-proj", "gru-cho"])
def test_a_batch_of_no_sequences_passes_a_zero_gradient_to_the_given_state(make):
    # torch.nn answers an empty batch with the state in the graph; rnnlab's empty answer
    # left it out: autograd.grad(..., h_0) raised "appears to not have been used in the
    # graph" where torch.nn's gives an empty gradient.
    module = make().double()
    lstm = isinstance(module, nn.LSTM)
    D = 2 if module.bidirectional else 1
    rows, P = D * module.num_layers, getattr(module, "proj_size", 0) or 4
    x = torch.randn((0, 5, 3) if module.batch_first else (5, 0, 3), dtype=F64,
                    requires_grad=True)
    h = torch.randn(rows, 0, P, dtype=F64, requires_grad=True)
    c = torch.randn(rows, 0, 4, dtype=F64, requires_grad=True)
    out, h_n = module(x, (h, c) if lstm else h)
    loss = out.sum() + sum(t.sum() for t in (h_n if lstm else (h_n,)))
    given = [h, c] if lstm else [h]
    grads = torch.autograd.grad(loss, [x, *given, *module.parameters()])
    assert [g.shape for g in grads[1:1 + len(given)]] == [t.shape for t in given]
    assert all(bool((g == 0).all()) for g in grads)


def test_path_for_takes_the_packed_sequence_the_call_takes():
    # layer.path_for(packed) raised "'PackedSequence' object has no attribute 'device'"
    # for the layers on rnnlab's kernels (the drop-ins on torch's answered).
    from rnnlab.nn import DTRNNCell, Recurrent, Stacked
    from rnnlab.nn.paths import path_of
    packed = _packed()
    for module, want in [(GRU(3, 4, reset_after=False), "fast-torch"),
                         (Recurrent(DTRNNCell(3, 4)), "fast-torch"),
                         (Stacked([Recurrent(DTRNNCell(3, 4))]), "fast-torch"),
                         (LSTM(3, 4), "fused"), (Recurrent(LSTMCell(3, 4)), "fused")]:
        module = module.double()
        assert module.path_for(packed) == want == path_of(module, packed)
