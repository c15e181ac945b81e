"""Bidirectional layers on variable-length batches, every architecture, float64.

The silent bug this file guards against: the reverse direction of a padded sequence must
start at the sequence's own last real step, not at the padding. Two oracles:

* the torch analogues (``RNN``, ``GRU``, ``LSTM``) against ``torch.nn``'s with copied
  weights: outputs, h_n / c_n, and the gradients of the input, h0 and every parameter;
* every other architecture (composed cells, Cho's GRU, DT, DT(S), DOT, the registry's
  models) against each sequence run alone, unpadded, as a batch of one: its outputs at
  the real steps, its final states (the reverse direction's is the state after reading
  step 0) and the gradients (the batch's parameter gradient is the sum of the rows').

Each case is run packed (sorted and ``enforce_sorted=False``) and padded with lengths,
batch-first; padded outputs are zero and pass no gradient back.
"""

from __future__ import annotations

import copy
import itertools

import pytest
import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from rnnlab.nn import GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell
from rnnlab.nn import ShapeError, Stacked
from rnnlab.nn.deep import DTRNNCell
from rnnlab.nn.paths import set_impl
from rnnlab.nn.registry import ARCHITECTURES, build_model, run_layers

I, H = 3, 4
LENGTHS = torch.tensor([2, 5, 1, 4])  # a length of 1, the longest not first
MODES = ("packed_sorted", "packed_unsorted", "padded")


def flat(state):
    if state is None:
        return []
    if isinstance(state, torch.Tensor):
        return [state]
    return [t for s in state for t in flat(s)]


def rebuild(like, it):
    if like is None:
        return None
    if isinstance(like, torch.Tensor):
        return next(it)
    return type(like)(rebuild(s, it) for s in like)


def weighted_sum(tensors, seed=7):
    g = torch.Generator().manual_seed(seed)
    return sum((t * torch.randn(t.shape, generator=g, dtype=t.dtype)).sum() for t in tensors)


def lengths_for(mode, lengths=LENGTHS):
    return lengths.sort(descending=True).values if mode == "packed_sorted" else lengths


def run_batch(model, x, state, lengths, mode):
    """(padded outputs (B, T, F), final state) of a batch-first model."""
    if mode == "padded":
        return model(x, state, lengths)
    packed = pack_padded_sequence(x, lengths, batch_first=True,
                                  enforce_sorted=mode == "packed_sorted")
    out, fin = model(packed, state)
    return pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])[0], fin


# -- torch analogues against torch.nn ---------------------------------------------------------
TORCH = {RNN: torch.nn.RNN, GRU: torch.nn.GRU, LSTM: torch.nn.LSTM}


def assert_same_outputs_and_grads(fast, ref, x, state, mode):
    """``fast`` and ``ref`` give the same outputs, final states and gradients (w.r.t. the
    input, the initial state and the parameters) on the batch, in float64."""
    results = []
    for model in (fast, ref):
        leaves = [s.clone().requires_grad_() for s in flat(state)]
        xs = x.clone().requires_grad_()
        out, fin = run_batch(model, xs, rebuild(state, iter(leaves)), LENGTHS, mode)
        fins = flat(fin)
        grads = torch.autograd.grad(weighted_sum([out, *fins]),
                                    [xs, *leaves, *model.parameters()])
        results.append([out, *fins, *grads])
    for a, b in zip(*results):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def torch_case(cls, layers, bi, batch_first):
    torch.manual_seed(1)
    ours = cls(I, H, num_layers=layers, bidirectional=bi, batch_first=batch_first).double()
    theirs = TORCH[cls](I, H, num_layers=layers, bidirectional=bi,
                        batch_first=batch_first).double()
    theirs.load_state_dict(ours.state_dict())
    rows = (2 if bi else 1) * layers
    h0 = [torch.randn(rows, len(LENGTHS), H, dtype=torch.float64) for _ in
          range(2 if cls is LSTM else 1)]
    return ours, theirs, h0


def torch_run(model, x, h0, lengths, mode, batch_first):
    """Outputs, h_n (and c_n) and gradients of x, h0 and the parameters."""
    x = x.detach().clone().requires_grad_()
    h0 = [h.detach().clone().requires_grad_() for h in h0]
    hx = tuple(h0) if len(h0) == 2 else h0[0]
    inp = x if batch_first else x.transpose(0, 1)
    if mode == "padded":  # rnnlab's lengths= entry (batch-first)
        out, fin = run_layers(model, inp, hx, lengths)
    else:
        packed = pack_padded_sequence(inp, lengths, batch_first=batch_first,
                                      enforce_sorted=mode == "packed_sorted")
        out, fin = model(packed, hx)
        out = pad_packed_sequence(out, batch_first=batch_first, total_length=x.shape[1])[0]
    fins = flat(fin)
    grads = torch.autograd.grad(weighted_sum([out, *fins]), [x, *h0, *model.parameters()])
    return [out, *fins, *grads]


@pytest.mark.parametrize("impl", ["auto", "fused", "reference"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bi", [False, True])
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("cls", [RNN, GRU, LSTM], ids=lambda c: c.__name__)
def test_torch_analogues_equal_torch_nn(cls, layers, bi, mode, impl):
    batch_first = mode != "packed_sorted"  # (the sorted packing time-major)
    ours, theirs, h0 = torch_case(cls, layers, bi, batch_first)
    ours.impl = impl
    lengths = lengths_for(mode)
    x = torch.randn(len(lengths), int(lengths.max()), I, dtype=torch.float64)
    want = torch_run(theirs, x, h0, lengths, "packed_unsorted" if mode == "padded" else mode,
                     batch_first)
    got = torch_run(ours, x, h0, lengths, mode, batch_first)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b)
    assert got[1].shape == ((2 if bi else 1) * layers, len(lengths), H)  # h_n


# -- every other architecture against each sequence alone -----------------------------------
def make_cell(kind, i):
    return {"rnn": lambda: RNNCell(i, H), "gru": lambda: GRUCell(i, H),
            "lstm": lambda: LSTMCell(i, H),
            "gru-cho": lambda: GRUCell(i, H, reset_after=False),
            "dt": lambda: DTRNNCell(i, H, depth=2, width=5),
            "dts": lambda: DTRNNCell(i, H, depth=3, width=5, shortcut=True),
            "dt1": lambda: DTRNNCell(i, H, depth=1)}[kind]()


def composed(kind, layers, bi, impl, dropout=0.0):
    """A batch-first Stacked of Recurrent or Bidirectional layers of ``kind`` cells."""
    built, size = [], I
    for _ in range(layers):
        fwd = Recurrent(make_cell(kind, size), batch_first=True, impl=impl)
        if bi:
            bwd = Recurrent(make_cell(kind, size), reverse=True, batch_first=True, impl=impl)
            built.append(Bidirectional(fwd, bwd))
        else:
            built.append(fwd)
        size = (2 if bi else 1) * H
    return Stacked(built, dropout).double()


def random_state(kind, layers, bi, batch):
    def one():
        if kind == "lstm":
            return (torch.randn(batch, H, dtype=torch.float64),
                    torch.randn(batch, H, dtype=torch.float64))
        return torch.randn(batch, H, dtype=torch.float64)
    return [(one(), one()) if bi else one() for _ in range(layers)]


def assert_rows_alone(model, x, state, lengths, mode):
    """The batch's outputs, final states and gradients equal each sequence run alone.
    A state tensor is (B, H), or (L*D, B, H) in torch's layout: the batch is dim -2."""
    leaves = [s.detach().clone().requires_grad_() for s in flat(state)]
    x = x.detach().clone().requires_grad_()
    params = list(model.parameters())
    out, fin = run_batch(model, x, rebuild(state, iter(leaves)), lengths, mode)
    fins = flat(fin)
    loss = weighted_sum([out, *fins])
    grads = torch.autograd.grad(loss, [x, *leaves, *params], allow_unused=True)
    gx, gstate, gparams = grads[0], grads[1:1 + len(leaves)], grads[1 + len(leaves):]
    summed = [torch.zeros_like(p) for p in params]
    g = torch.Generator().manual_seed(7)
    weights = [torch.randn(t.shape, generator=g, dtype=t.dtype) for t in [out, *fins]]
    for b, n in enumerate(lengths.tolist()):
        assert bool((out[b, n:] == 0).all()), f"row {b}: padded outputs are not zero"
        assert bool((gx[b, n:] == 0).all()), f"row {b}: padding got a gradient"
        xb = x.detach()[b:b + 1, :n].requires_grad_()
        sb = [s.detach().narrow(s.dim() - 2, b, 1).requires_grad_()
              for s in leaves]
        ob, fb = model(xb, rebuild(state, iter(sb)))
        fbs = flat(fb)
        torch.testing.assert_close(out[b:b + 1, :n], ob)
        for f, f1 in zip(fins, fbs):
            torch.testing.assert_close(f.narrow(f.dim() - 2, b, 1), f1)
        lossb = (ob * weights[0][b:b + 1, :n]).sum() + sum(
            (f1 * w.narrow(w.dim() - 2, b, 1)).sum() for f1, w in zip(fbs, weights[1:]))
        gb = torch.autograd.grad(lossb, [xb, *sb, *params], allow_unused=True)
        torch.testing.assert_close(gx[b:b + 1, :n], gb[0])
        for gs, gs1 in zip(gstate, gb[1:1 + len(sb)]):
            torch.testing.assert_close(gs.narrow(gs.dim() - 2, b, 1), gs1)
        for k, gp in enumerate(gb[1 + len(sb):]):
            if gp is not None:
                summed[k] += gp
    for gp, want in zip(gparams, summed):
        torch.testing.assert_close(torch.zeros_like(want) if gp is None else gp, want)


COMPOSED = list(itertools.product(["dt", "dts", "dt1", "gru-cho"], ["auto", "fast", "reference"]))
COMPOSED += list(itertools.product(["rnn", "gru", "lstm"], ["auto", "reference"]))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bi", [False, True])
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("kind,impl", COMPOSED)
def test_composed_layers_equal_each_sequence_alone(kind, impl, layers, bi, mode):
    torch.manual_seed(2)
    model = composed(kind, layers, bi, impl)
    lengths = lengths_for(mode)
    x = torch.randn(len(lengths), int(lengths.max()), I, dtype=torch.float64)
    assert_rows_alone(model, x, random_state(kind, layers, bi, len(lengths)), lengths, mode)


def _state_like(model, x):
    """A random state of the shape ``model`` returns for ``x`` (torch's layout or per layer)."""
    with torch.no_grad():
        _, fin = model(x[:, :1])
    it = iter([torch.randn_like(t) for t in flat(fin)])
    return rebuild(fin, it)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_registry_models_equal_each_sequence_alone(name, mode):
    torch.manual_seed(3)
    model = build_model(name, input_size=I, hidden_size=H).double().eval()
    lengths = lengths_for(mode)
    x = torch.randn(len(lengths), int(lengths.max()), I, dtype=torch.float64)
    state = _state_like(model, x)  # (L*D, B, H) for the torch bodies, [(B, H)] for the deep
    assert_rows_alone(model, x, state, lengths, mode)


def test_deep_transition_of_depth_one_equals_torch_rnn_bidirectional_packed():
    """DT-RNN at depth 1 is the Elman RNN: a composed bidirectional stack of them equals
    torch.nn.RNN(bidirectional=True, num_layers=2) with the same weights, packed."""
    torch.manual_seed(4)
    model = composed("dt1", 2, True, "auto")
    ref = torch.nn.RNN(I, H, num_layers=2, bidirectional=True, batch_first=True).double()
    with torch.no_grad():
        for k, layer in enumerate(model.layers):
            for suffix, rec in (("", layer.forward_layer), ("_reverse", layer.backward_layer)):
                for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    getattr(rec.cell, p).copy_(getattr(ref, f"{p}_l{k}{suffix}"))
    x = torch.randn(4, 5, I, dtype=torch.float64)
    packed = pack_padded_sequence(x, LENGTHS, batch_first=True, enforce_sorted=False)
    out, fin = model(packed)
    want, h_n = ref(packed)
    torch.testing.assert_close(out.data, want.data)
    torch.testing.assert_close(torch.stack(flat(fin)), h_n)


# -- fast paths against the reference loop, packed and bidirectional --------------------------
@pytest.mark.parametrize("mode", ["packed_unsorted", "padded"])
@pytest.mark.parametrize("kind,impl", [("dt", "fast"), ("dts", "fast"), ("gru-cho", "fast"),
                                       ("dt1", "auto"), ("lstm", "auto"), ("gru", "auto")])
def test_fast_paths_equal_reference_packed_bidirectional(kind, impl, mode):
    torch.manual_seed(5)
    fast = composed(kind, 2, True, impl)
    ref = copy.deepcopy(fast)
    set_impl(ref, "reference")
    assert "reference" not in fast.path_for(torch.zeros(1, 1, I, dtype=torch.float64))
    x = torch.randn(4, 5, I, dtype=torch.float64)
    state = random_state(kind, 2, True, 4)
    assert_same_outputs_and_grads(fast, ref, x, state, mode)


TRITON_IMPLS = ("triton", "triton-split", "triton-resident")


@pytest.mark.parametrize("impl", TRITON_IMPLS)
def test_triton_paths_equal_reference_packed_unsorted_bidirectional(impl):
    """Each Triton loop (on CUDA, or in Triton's CPU interpreter) on a two-layer
    bidirectional DT(S) stack given unsorted packed input and a state."""
    from test_triton_paths import _PROBLEM, DEVICE  # (skips where it cannot run, as they do)

    if _PROBLEM is not None:
        pytest.skip(str(_PROBLEM))
    torch.manual_seed(9)
    fast = composed("dts", 2, True, impl).to(DEVICE)
    ref = copy.deepcopy(fast)
    set_impl(ref, "reference")
    x = torch.randn(4, 5, I, dtype=torch.float64, device=DEVICE)
    assert fast.path_for(x) == f"fast-{impl}" or (impl == "triton-resident"
                                                 and fast.path_for(x) == "fast-triton-split")
    state = [tuple(s.to(DEVICE) for s in layer) for layer in random_state("dts", 2, True, 4)]
    assert_same_outputs_and_grads(fast, ref, x, state, "packed_unsorted")


# -- edge batches ------------------------------------------------------------------------------
@pytest.mark.parametrize("lengths", [[1, 1, 1], [4, 4, 4], [3]], ids=["all-one", "equal", "one"])
@pytest.mark.parametrize("kind", ["dt", "gru-cho", "lstm"])
def test_edge_batches_equal_each_sequence_alone(kind, lengths):
    torch.manual_seed(6)
    model = composed(kind, 2, True, "auto")
    lengths = torch.tensor(lengths)
    x = torch.randn(len(lengths), 4, I, dtype=torch.float64)  # (padding past every length 1)
    for mode in MODES:
        assert_rows_alone(model, x, random_state(kind, 2, True, len(lengths)),
                          lengths_for(mode, lengths), mode)


@pytest.mark.parametrize("name", ["bilstm", "bigru", "dt-rnn", "dot-rnn"])
def test_a_length_of_zero_is_refused_saying_the_range(name):
    model = build_model(name, input_size=I, hidden_size=H)
    with pytest.raises(ValueError, match="between 1 and the sequence length 5, got min 0"):
        model(torch.randn(3, 5, I), None, torch.tensor([5, 0, 2]))


# -- initial states ----------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [RNN, GRU, LSTM], ids=lambda c: c.__name__)
def test_bidirectional_two_layer_h0_shape_and_a_wrong_one(cls):
    model = cls(I, H, num_layers=2, bidirectional=True, batch_first=True)
    packed = pack_padded_sequence(torch.randn(4, 5, I), LENGTHS, batch_first=True,
                                  enforce_sorted=False)
    pair = cls is LSTM
    good = torch.zeros(4, 4, H)
    _, fin = model(packed, (good, good) if pair else good)
    assert all(t.shape == (4, 4, H) for t in flat(fin))
    bad = torch.zeros(2, 4, H)  # num_layers rows, not num_layers * 2
    with pytest.raises(ShapeError, match=r"expected initial state of shape \(4, 4, 4\).*"
                                         r"got \(2, 4, 4\); give one row per layer and "
                                         r"direction \(4 = 2 directions x num_layers\)"):
        model(packed, (bad, good) if pair else bad)


def test_deep_bidirectional_state_per_layer_and_torch_layout_refused():
    model = composed("dt", 2, True, "auto")
    packed = pack_padded_sequence(torch.randn(4, 5, I, dtype=torch.float64), LENGTHS,
                                  batch_first=True, enforce_sorted=False)
    _, fin = model(packed, random_state("dt", 2, True, 4))
    assert [[tuple(t.shape) for t in layer] for layer in fin] == [[(4, H)] * 2] * 2
    with pytest.raises(ValueError, match=r"torch.nn's layout.*pass \[\(h_0\[2 \* k\], "
                                         r"h_0\[2 \* k \+ 1\]\) for k in range\(2\)\]"):
        model(packed, torch.zeros(4, 4, H, dtype=torch.float64))
    with pytest.raises(ShapeError, match=r"expected state of shape \(4, 4\)"):
        model(packed, random_state("dt", 2, True, 3))  # a state for 3 sequences, 4 packed


# -- dropout -----------------------------------------------------------------------------------
def _dropped(model, x, seed):
    torch.manual_seed(seed)
    out, _ = run_batch(model, x, None, LENGTHS, "packed_unsorted")
    return out


@pytest.mark.parametrize("kind", ["dt", "gru-cho", "lstm", "LSTM"])
def test_dropout_between_layers_reproducible_and_eval_deterministic(kind):
    torch.manual_seed(8)
    model = (LSTM(I, H, num_layers=2, bidirectional=True, dropout=0.5, batch_first=True)
             .double() if kind == "LSTM" else composed(kind, 2, True, "auto", dropout=0.5))
    x = torch.randn(4, 5, I, dtype=torch.float64, requires_grad=True)
    model.train()
    a, b, c = _dropped(model, x, 1), _dropped(model, x, 1), _dropped(model, x, 2)
    torch.testing.assert_close(a, b)
    assert not torch.equal(a, c)  # it acts
    for row, n in enumerate(LENGTHS.tolist()):
        assert bool((a[row, n:] == 0).all())
    if kind != "LSTM":  # (the same masks drawn on the reference loop)
        ref = copy.deepcopy(model)
        set_impl(ref, "reference")
        torch.testing.assert_close(_dropped(ref, x, 1), a)
    model.eval()
    d, e = _dropped(model, x, 1), _dropped(model, x, 2)
    torch.testing.assert_close(d, e)
    assert not torch.equal(a, d)


@pytest.mark.parametrize("name", ["bilstm", "dt-rnn"])
def test_a_padding_mask_given_as_lengths_is_refused_saying_how_to_count(name):
    """A bool tensor of shape (B,) ran every sequence as one step long (True is 1); a
    padding mask (B, T) of 0s and 1s was refused with no word of how to get lengths from it."""
    model = build_model(name, input_size=I, hidden_size=H)
    x = torch.randn(3, 5, I)
    mask = torch.ones(3, 5, dtype=torch.bool)
    with pytest.raises(ValueError, match=r"lengths must be integers.*got dtype torch.bool.*"
                                         r"mask.sum\(1\)"):
        model(x, None, mask[:, 0])
    with pytest.raises(ValueError, match=r"got \(3, 5\).*mask.sum\(1\)"):
        model(x, None, mask.long())  # (a 0/1 mask of integers)


TIES = torch.tensor([2, 5, 1, 5, 2])  # (ties: the packing's order among equal lengths)


@pytest.mark.parametrize("grad", [True, False])
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("cls", [RNN, GRU, LSTM], ids=lambda c: c.__name__)
def test_dropout_masks_on_packed_input_are_torch_nn_s(cls, impl, grad):
    """In training, torch.nn's kernel draws the dropout between layers on a PackedSequence's
    data; the drop-ins drew it on the padded batch where they run it padded (the CPU
    training path and impl='reference'): other masks than torch.nn's for the same seed,
    and other masks with and without a graph (torch.no_grad, MC dropout)."""
    torch.manual_seed(12)
    ours = cls(I, H, num_layers=3, bidirectional=True, dropout=0.5, batch_first=True,
               impl=impl).double().train()
    theirs = TORCH[cls](I, H, num_layers=3, bidirectional=True, dropout=0.5,
                        batch_first=True).double().train()
    theirs.load_state_dict(ours.state_dict())
    x = torch.randn(len(TIES), 5, I, dtype=torch.float64, requires_grad=grad)
    packed = pack_padded_sequence(x, TIES, batch_first=True, enforce_sorted=False)
    got, want = [], []
    for model, into in ((ours, got), (theirs, want)):
        torch.manual_seed(3)
        with torch.set_grad_enabled(grad):
            out, fin = model(packed)
        into += [out.data, *flat(fin)]
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b)
    if cls is LSTM:  # the registry's bilstm: this module, given a padded batch and lengths
        body = build_model("bilstm", input_size=I, hidden_size=H, num_layers=3,
                           dropout=0.5).body.double().train()
        body.load_state_dict(theirs.state_dict())
        torch.manual_seed(3)
        with torch.set_grad_enabled(grad):
            out, _ = run_layers(body, x, None, TIES)
        torch.testing.assert_close(out, pad_packed_sequence(PackedSequence(
            want[0], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
            batch_first=True)[0])


@pytest.mark.parametrize("kind", ["dt", "gru-cho", "lstm"])
def test_dropout_masks_packed_equal_padded_with_lengths(kind):
    """One seed, one batch: the same masks whether it comes packed or padded with lengths."""
    torch.manual_seed(13)
    model = composed(kind, 3, True, "auto", dropout=0.5).train()
    x = torch.randn(len(TIES), 5, I, dtype=torch.float64)
    outs = []
    for mode in ("packed_unsorted", "padded"):
        torch.manual_seed(4)
        outs.append(run_batch(model, x, None, TIES, mode)[0])
    torch.testing.assert_close(outs[0], outs[1])


@pytest.mark.parametrize("lengths", [TIES, None], ids=["lengths", "full"])
@pytest.mark.parametrize("name", ["stacked-dt-rnn", "bilstm"])
def test_dropout_masks_under_torch_func_grad_equal_eager(name, lengths):
    """Per-sample-gradient code (torch.func.grad over functional_call) draws the masks the
    eager call draws for one seed (the deep models' dropout met the batch in another
    memory layout there, and other masks came out)."""
    from torch.func import functional_call, grad_and_value

    torch.manual_seed(14)
    model = build_model(name, input_size=I, hidden_size=H, num_layers=2, dropout=0.5)
    model = model.double().train()
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = torch.randn(len(TIES), 5, I, dtype=torch.float64)
    w = torch.randn(len(TIES), 5, model.output_size, dtype=torch.float64)

    def loss(p):
        return (functional_call(model, p, (x, None, lengths))[0] * w).sum()

    torch.manual_seed(5)
    grads, value = grad_and_value(loss)(params)
    torch.manual_seed(5)
    eager = {k: v.clone().requires_grad_() for k, v in params.items()}
    want = loss(eager)
    torch.testing.assert_close(value, want.detach())
    for g, (k, p) in zip(torch.autograd.grad(want, list(eager.values())), eager.items()):
        torch.testing.assert_close(grads[k], g)


def test_dropout_masks_batch_first_equal_time_major():
    """A batch-first stack with a bidirectional layer drew its masks in the batch-first
    order (the concatenated directions are stored batch-first), its time-major twin in the
    time-major one, torch's kernel's: other outputs for one seed."""
    torch.manual_seed(15)
    model = Stacked([Bidirectional(Recurrent(GRUCell(I, H), batch_first=True),
                                   Recurrent(GRUCell(I, H), reverse=True, batch_first=True)),
                     Recurrent(DTRNNCell(2 * H, H), batch_first=True)], dropout=0.5)
    model = model.double().train()
    twin = copy.deepcopy(model)
    for m in twin.modules():
        if isinstance(m, (Recurrent, Bidirectional, Stacked)):
            m.batch_first = False
    x = torch.randn(4, 5, I, dtype=torch.float64)
    torch.manual_seed(6)
    want, _ = twin(x.transpose(0, 1))
    torch.manual_seed(6)
    got, _ = model(x)
    torch.testing.assert_close(got, want.transpose(0, 1))


@pytest.mark.parametrize("lengths", [[5, 5, 3, 3, 3, 1, 1], [4, 4, 4], [1, 1]],
                         ids=["sorted-ties", "equal", "ones"])
def test_dropout_masks_sorted_packing_with_ties_are_torch_nn_s(lengths):
    """enforce_sorted=True keeps the given order of equal lengths; so does the stable sort
    the masks are drawn in: torch.nn's masks, time-major input."""
    torch.manual_seed(16)
    ours = LSTM(I, H, num_layers=3, bidirectional=True, dropout=0.3).double().train()
    theirs = torch.nn.LSTM(I, H, num_layers=3, bidirectional=True, dropout=0.3).double().train()
    theirs.load_state_dict(ours.state_dict())
    lengths = torch.tensor(lengths)
    x = torch.randn(int(lengths.max()), len(lengths), I, dtype=torch.float64)
    packed = pack_padded_sequence(x, lengths, enforce_sorted=True)
    outs = []
    for model in (ours, theirs):
        torch.manual_seed(1)
        outs.append(model(packed)[0].data)
    torch.testing.assert_close(outs[0], outs[1])
