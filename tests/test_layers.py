"""Recurrent, Bidirectional and Stacked: the time loop, reversal, lengths, packing, dropout, errors."""

import pytest
import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence
from torch.testing import assert_close

from rnnlab.nn import Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell, Stacked

F64 = torch.float64
I, H, T, B = 3, 4, 5, 3
LENGTHS = [3, 5, 1]  # unsorted, one full, one of a single step
KINDS = ["rnn_tanh", "rnn_relu", "gru", "gru_articles", "lstm"]
_IMPL = ["reference"]  # the impl every layer of the running test is built with


@pytest.fixture(autouse=True, params=["reference", "auto"], ids=["loop", "auto"])
def impl(request):
    """Every test runs on the reference loop and on impl="auto" (torch's fused kernel for
    the standard cells, rnnlab's kernel for the articles' GRU): both must pass all of them."""
    _IMPL[0] = request.param
    yield request.param
    _IMPL[0] = "reference"


def Rec(cell, **kwargs) -> Recurrent:
    return Recurrent(cell, impl=_IMPL[0], **kwargs)


def make_cell(kind, input_size=I, hidden_size=H):
    if kind.startswith("rnn_"):
        cell = RNNCell(input_size, hidden_size, nonlinearity=kind[4:])
    elif kind.startswith("gru"):
        cell = GRUCell(input_size, hidden_size, reset_after=(kind == "gru"))
    else:
        cell = LSTMCell(input_size, hidden_size)
    return cell.double()


def random_state(layer, batch):
    """A random initial state with the structure the layer expects."""
    if isinstance(layer, Recurrent):
        n = layer.cell.num_state_tensors
        tensors = tuple(torch.randn(batch, H, dtype=F64) for _ in range(n))
        return tensors if n == 2 else tensors[0]
    if isinstance(layer, Bidirectional):
        return (random_state(layer.forward_layer, batch), random_state(layer.backward_layer, batch))
    return [random_state(sub, batch) for sub in layer.layers]


def select(state, b):
    """Sequence b (kept as a batch of one) of a possibly nested state."""
    if isinstance(state, torch.Tensor):
        return state[b:b + 1]
    return type(state)(select(s, b) for s in state)


def flatten(state):
    if isinstance(state, torch.Tensor):
        return [state]
    return [t for s in state for t in flatten(s)]


def output_of(state):
    return state[0] if isinstance(state, tuple) else state


def bidir(kind, input_size=I, batch_first=False):
    return Bidirectional(
        Rec(make_cell(kind, input_size), batch_first=batch_first),
        Rec(make_cell(kind, input_size), reverse=True, batch_first=batch_first),
    )


def build(structure, kind, batch_first=False, dropout=0.0):
    if structure == "recurrent":
        return Rec(make_cell(kind), batch_first=batch_first)
    if structure == "reverse":
        return Rec(make_cell(kind), reverse=True, batch_first=batch_first)
    if structure == "bidirectional":
        return bidir(kind, batch_first=batch_first)
    # stacked: a bidirectional layer under a unidirectional one
    return Stacked([bidir(kind, batch_first=batch_first),
                    Rec(make_cell(kind, 2 * H), batch_first=batch_first)], dropout)


STRUCTURES = ["recurrent", "reverse", "bidirectional", "stacked"]


# -- the time loop -------------------------------------------------------------------

@pytest.mark.parametrize("given_state", [True, False], ids=["state", "zero_state"])
@pytest.mark.parametrize("kind", KINDS)
def test_stepping_the_cell_by_hand_equals_recurrent(kind, given_state):
    torch.manual_seed(0)
    layer = Rec(make_cell(kind))
    x = torch.randn(T, B, I, dtype=F64, requires_grad=True)
    state0 = random_state(layer, B) if given_state else None

    out, fin = layer(x, state0)
    loss = (out * torch.linspace(-1, 1, out.numel(), dtype=F64).view_as(out)).sum()
    grads = torch.autograd.grad(loss, [x, *layer.parameters()])

    state, outs = state0, []
    for t in range(T):
        state = layer.cell(x[t], state)
        outs.append(output_of(state))
    by_hand = torch.stack(outs)
    loss_hand = (by_hand * torch.linspace(-1, 1, out.numel(), dtype=F64).view_as(out)).sum()
    grads_hand = torch.autograd.grad(loss_hand, [x, *layer.parameters()])

    assert out.shape == (T, B, H)
    assert_close(out, by_hand)
    assert_close(fin, state)
    assert_close(grads, grads_hand)


@pytest.mark.parametrize("kind", KINDS)
def test_reverse_equals_flip_run_flip(kind):
    torch.manual_seed(0)
    fwd = Rec(make_cell(kind))
    rev = Rec(fwd.cell, reverse=True)
    x = torch.randn(T, B, I, dtype=F64)
    state0 = random_state(fwd, B)
    out_r, fin_r = rev(x, state0)
    out_f, fin_f = fwd(x.flip(0), state0)
    assert_close(out_r, out_f.flip(0))
    assert_close(fin_r, fin_f)
    assert not torch.allclose(out_r, fwd(x, state0)[0])  # reversal changes something


@pytest.mark.parametrize("structure", STRUCTURES)
def test_batch_first_equals_time_major(structure):
    torch.manual_seed(0)
    tm = build(structure, "lstm")
    bf = build(structure, "lstm", batch_first=True)
    bf.load_state_dict(tm.state_dict())
    x = torch.randn(T, B, I, dtype=F64)
    state0 = random_state(tm, B)
    lengths = torch.tensor(LENGTHS)
    for lens in (None, lengths):
        out_tm, fin_tm = tm(x, state0, lens)
        out_bf, fin_bf = bf(x.transpose(0, 1).contiguous(), state0, lens)
        assert out_bf.shape[:2] == (B, T)
        assert_close(out_bf, out_tm.transpose(0, 1))
        assert_close(fin_bf, fin_tm)


# -- variable lengths -----------------------------------------------------------------

@pytest.mark.parametrize("given_state", [True, False], ids=["state", "zero_state"])
@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("kind", KINDS)
def test_lengths_equal_running_each_sequence_alone(kind, structure, given_state):
    torch.manual_seed(0)
    layer = build(structure, kind)
    x = torch.randn(T, B, I, dtype=F64)
    state0 = random_state(layer, B) if given_state else None
    out, fin = layer(x, state0, torch.tensor(LENGTHS))
    assert out.shape[:2] == (T, B)
    for b, L in enumerate(LENGTHS):
        alone_out, alone_fin = layer(x[:L, b:b + 1], None if state0 is None else select(state0, b))
        assert_close(out[:L, b:b + 1], alone_out)
        assert torch.count_nonzero(out[L:, b]) == 0  # zero past the end
        assert_close(select(fin, b), alone_fin)


@pytest.mark.parametrize("structure", STRUCTURES)
def test_padding_has_no_influence(structure):
    torch.manual_seed(0)
    layer = build(structure, "gru")
    lengths = torch.tensor(LENGTHS)
    pad = torch.arange(T).unsqueeze(1) >= lengths.unsqueeze(0)  # (T, B) True on padding
    x = torch.randn(T, B, I, dtype=F64, requires_grad=True)
    out, fin = layer(x, None, lengths)
    loss = out.sum() + sum(s.sum() for s in flatten(fin))
    (grad,) = torch.autograd.grad(loss, [x])
    assert grad[~pad].abs().sum() > 0
    assert torch.count_nonzero(grad[pad]) == 0

    noisy = x.detach().clone()
    noisy[pad] = 100.0
    out2, fin2 = layer(noisy, None, lengths)
    assert_close(out2, out)
    assert_close(fin2, fin)


@pytest.mark.parametrize("kind", KINDS)
def test_reverse_with_lengths_equals_per_sequence_reversal(kind):
    torch.manual_seed(0)
    fwd = Rec(make_cell(kind))
    rev = Rec(fwd.cell, reverse=True)
    x = torch.randn(T, B, I, dtype=F64)
    state0 = random_state(fwd, B)
    lengths = torch.tensor(LENGTHS)

    # reverse each sequence within its own length, by hand; padding stays where it is
    flipped = x.clone()
    for b, L in enumerate(LENGTHS):
        flipped[:L, b] = x[:L, b].flip(0)
    out_f, fin_f = fwd(flipped, state0, lengths)
    expected = out_f.clone()
    for b, L in enumerate(LENGTHS):
        expected[:L, b] = out_f[:L, b].flip(0)

    out_r, fin_r = rev(x, state0, lengths)
    assert_close(out_r, expected)
    assert_close(fin_r, fin_f)


def test_full_lengths_equal_no_lengths():
    torch.manual_seed(0)
    layer = build("stacked", "lstm")
    x = torch.randn(T, B, I, dtype=F64)
    assert_close(layer(x, None, torch.full((B,), T)), layer(x))


# -- PackedSequence ------------------------------------------------------------------------

@pytest.mark.parametrize("enforce_sorted", [False, True], ids=["unsorted", "sorted"])
@pytest.mark.parametrize("batch_first", [False, True], ids=["time_major", "batch_first"])
@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("kind", ["rnn_tanh", "gru", "lstm"])
def test_packed_in_packed_out(kind, structure, batch_first, enforce_sorted):
    torch.manual_seed(0)
    layer = build(structure, kind, batch_first=batch_first)
    x = torch.randn(T, B, I, dtype=F64)
    if batch_first:
        x = x.transpose(0, 1).contiguous()
    lengths = torch.tensor(sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS)
    state0 = random_state(layer, B)  # in the original batch order
    packed = pack_padded_sequence(x, lengths, batch_first=batch_first,
                                  enforce_sorted=enforce_sorted)

    out, fin = layer(packed, state0)
    assert isinstance(out, PackedSequence)
    for field in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        a, b = getattr(out, field), getattr(packed, field)
        assert (a is None and b is None) or torch.equal(a, b), field

    padded, out_lengths = pad_packed_sequence(out, batch_first=batch_first, total_length=T)
    assert torch.equal(out_lengths, lengths)
    ref_out, ref_fin = layer(x, state0, lengths)
    assert_close(padded, ref_out)
    assert_close(fin, ref_fin)


# -- Bidirectional ------------------------------------------------------------------------

@pytest.mark.parametrize("use_lengths", [False, True], ids=["full", "lengths"])
@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_concatenates_forward_and_reverse(kind, use_lengths):
    torch.manual_seed(0)
    layer = bidir(kind)
    x = torch.randn(T, B, I, dtype=F64)
    s_f, s_b = random_state(layer, B)
    lengths = torch.tensor(LENGTHS) if use_lengths else None

    out, (fin_f, fin_b) = layer(x, (s_f, s_b), lengths)
    fwd_out, fwd_fin = Rec(layer.forward_layer.cell)(x, s_f, lengths)
    bwd_out, bwd_fin = Rec(layer.backward_layer.cell, reverse=True)(x, s_b, lengths)

    assert out.shape == (T, B, 2 * H) and layer.output_size == 2 * H
    assert_close(out, torch.cat([fwd_out, bwd_out], dim=-1))
    assert_close(fin_f, fwd_fin)
    assert_close(fin_b, bwd_fin)
    # the backward half at t=0 has read the whole sequence: its final state is its output at 0
    assert_close(out[0, :, H:], output_of(fin_b))


def test_bidirectional_rejects_wrong_directions():
    with pytest.raises(ValueError, match="Bidirectional.*reverse"):
        Bidirectional(Rec(make_cell("gru")), Rec(make_cell("gru")))
    with pytest.raises(ValueError, match="Bidirectional.*batch_first"):
        Bidirectional(Rec(make_cell("gru")),
                      Rec(make_cell("gru"), reverse=True, batch_first=True))


# -- Stacked ------------------------------------------------------------------------------

@pytest.mark.parametrize("use_lengths", [False, True], ids=["full", "lengths"])
@pytest.mark.parametrize("kind", KINDS)
def test_stacked_equals_manual_composition(kind, use_lengths):
    torch.manual_seed(0)
    layers = [bidir(kind), Rec(make_cell(kind, 2 * H)), Rec(make_cell(kind, H))]
    stack = Stacked(layers, dropout=0.5).eval()
    x = torch.randn(T, B, I, dtype=F64)
    state0 = random_state(stack, B)
    lengths = torch.tensor(LENGTHS) if use_lengths else None

    out, finals = stack(x, state0, lengths)
    h, expected_finals = x, []
    for layer, s in zip(layers, state0):
        h, fin = layer(h, s, lengths)
        expected_finals.append(fin)
    assert len(finals) == 3
    assert_close(out, h)
    assert_close(finals, expected_finals)
    assert_close(stack(x, state0, lengths), (out, finals))  # eval: deterministic


def test_stacked_dropout_between_layers_not_after_last():
    torch.manual_seed(0)
    layers = [Rec(make_cell("rnn_tanh", I)), Rec(make_cell("rnn_tanh", H)),
              Rec(make_cell("rnn_tanh", H))]
    stack = Stacked(layers, dropout=0.5).train()
    seen = []
    for layer in layers:
        layer.register_forward_hook(lambda mod, args, result: seen.append((args[0], result)))
    x = torch.randn(T, 8, I, dtype=F64)
    out, finals = stack(x)

    assert len(seen) == 3
    assert torch.equal(seen[0][0], x)  # no dropout on the input of the first layer
    for below, above in zip(seen[:-1], seen[1:]):
        produced, received = below[1][0], above[0]
        dropped = received == 0
        assert dropped.any() and (~dropped).any()
        assert_close(received[~dropped], 2.0 * produced[~dropped])  # scaled by 1/(1-p)
    # the top layer's output comes out as it is: not dropped, not scaled
    assert torch.equal(out, seen[-1][1][0])
    assert torch.count_nonzero(out) == out.numel()
    # final states are never dropped
    for fin, (_, result) in zip(finals, seen):
        assert torch.equal(fin, result[1])

    # eval: no dropout anywhere, the same output twice, and it differs from the train-mode one
    stack.eval()
    a, b = stack(x)[0], stack(x)[0]
    assert torch.equal(a, b)
    assert not torch.allclose(a, out)


def test_stacked_state_count_and_arguments_checked():
    stack = Stacked([Rec(make_cell("gru")), Rec(make_cell("gru", H))])
    x = torch.randn(T, B, I, dtype=F64)
    with pytest.raises(ValueError, match=r"Stacked: expected one state per layer \(2\), got 1"):
        stack(x, [torch.zeros(B, H, dtype=F64)])
    with pytest.raises(ValueError, match=r"got one tensor of shape \(3, 4\): for a single "
                                         r"layer pass \[state\]"):
        stack(x, torch.zeros(B, H, dtype=F64))  # (B, H): the batch read as the layer count
    with pytest.raises(ValueError, match="Stacked: expected at least one layer"):
        Stacked([])
    with pytest.raises(ValueError, match="Stacked: dropout must be in"):
        Stacked([Rec(make_cell("gru"))], dropout=1.5)
    with pytest.raises(ValueError, match="Stacked: dropout must be in"):
        Stacked([Rec(make_cell("gru"))], dropout=-0.1)


def test_stacked_refuses_layers_that_disagree_on_batch_first():
    # the second layer would read (B, T) as (T, B): sequences mixed, final state of batch T
    with pytest.raises(ValueError, match=r"Stacked: every layer must use the same batch_first, "
                                         r"got \[True, False\]"):
        Stacked([Rec(make_cell("lstm"), batch_first=True), Rec(make_cell("lstm", H))])
    assert Stacked([Rec(make_cell("lstm"), batch_first=True),
                    Rec(make_cell("lstm", H), batch_first=True)]).batch_first


@pytest.mark.parametrize("state", ["three", "tensor"])
def test_bidirectional_state_must_be_one_per_direction(state):
    layer = bidir("gru")
    x = torch.randn(T, B, I, dtype=F64)
    bad = ((None, None, None) if state == "three"
           else torch.zeros(2, B, H, dtype=F64))
    with pytest.raises(ValueError, match=r"Bidirectional: expected state=\(forward_state, "
                                         r"backward_state\)"):
        layer(x, bad)


def test_composed_layers_say_their_path(impl):
    from rnnlab.nn import DTRNNCell

    x = torch.randn(T, B, I, dtype=F64)
    mixed = Bidirectional(Rec(LSTMCell(I, H)), Rec(DTRNNCell(I, H), reverse=True))
    stack = Stacked([mixed, Rec(RNNCell(2 * H, H))])
    if impl == "reference":
        assert mixed.path_for(x) == stack.path_for(x) == "reference"
        return
    assert mixed.path_for(x) == "fast-torch+fused"
    assert stack.path_for(x) == "fast-torch+fused"
    stack.layers[0].backward_layer.impl = "reference"
    assert stack.path_for(x) == "fused+reference"


# -- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize("structure", STRUCTURES)
def test_wrong_input_size(structure):
    layer = build(structure, "lstm")
    with pytest.raises(ValueError) as err:
        layer(torch.randn(T, B, I + 2, dtype=F64))
    msg = str(err.value)
    assert "LSTMCell" in msg and f"{I} features" in msg and f"got {I + 2}" in msg


@pytest.mark.parametrize("batch_first", [False, True])
def test_wrong_input_rank(batch_first):
    layer = Rec(make_cell("gru"), batch_first=batch_first)
    expected = "(B, T, I)" if batch_first else "(T, B, I)"
    with pytest.raises(ValueError) as err:
        layer(torch.randn(T, I, dtype=F64))
    msg = str(err.value)
    assert "Recurrent(GRUCell)" in msg and expected in msg and f"I={I}" in msg


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_state_shape(kind):
    layer = Rec(make_cell(kind))
    bad = random_state(layer, B + 1)
    with pytest.raises(ValueError) as err:
        layer(torch.randn(T, B, I, dtype=F64), bad)
    msg = str(err.value)
    assert type(layer.cell).__name__ in msg and f"({B}, {H})" in msg and f"({B + 1}, {H})" in msg


@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("lengths", [[3, T + 1, 1], [3, 0, 1], [-1, 2, 2]],
                         ids=["too_long", "zero", "negative"])
def test_bad_lengths(structure, lengths):
    layer = build(structure, "gru")
    with pytest.raises(ValueError) as err:
        layer(torch.randn(T, B, I, dtype=F64), None, torch.tensor(lengths))
    msg = str(err.value)
    assert "Recurrent" in msg and f"between 1 and the sequence length {T}" in msg


def test_lengths_of_wrong_shape():
    with pytest.raises(ValueError, match=rf"Recurrent: expected lengths of shape \({B},\)"):
        Rec(make_cell("gru"))(torch.randn(T, B, I, dtype=F64), None, torch.tensor([1, 2]))


@pytest.mark.parametrize("batch_first", [False, True], ids=["time_major", "batch_first"])
@pytest.mark.parametrize("structure", STRUCTURES)
def test_sequences_of_no_steps_are_refused(structure, batch_first):
    """As torch.nn refuses them ("Expected sequence length to be larger than 0")."""
    layer = build(structure, "rnn_tanh", batch_first=batch_first)
    shape = (B, 0, I) if batch_first else (0, B, I)
    with pytest.raises(ValueError) as err:
        layer(torch.randn(*shape, dtype=F64))
    msg = str(err.value)
    assert "Recurrent(RNNCell)" in msg and "no steps" in msg and str(shape) in msg


TORCH_LAYERS = {"rnn_tanh": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


@pytest.mark.parametrize("batch_first", [False, True], ids=["time_major", "batch_first"])
@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("kind", KINDS)
def test_empty_batch_gives_empty_outputs_as_torch(kind, structure, batch_first):
    """A batch of no sequences: empty outputs and final states of the right shapes, zero
    gradients to the parameters and empty ones to the input and a given state, as torch.nn's
    layers (and rnnlab's drop-ins) give; it was refused ("got an empty batch")."""
    layer = build(structure, kind, batch_first=batch_first)
    x = torch.randn((0, T, I) if batch_first else (T, 0, I), dtype=F64, requires_grad=True)
    state = random_state(layer, 0)
    for t in flatten(state):
        t.requires_grad_()
    out, final = layer(x, state)
    width = 2 * H if structure == "bidirectional" else H
    assert out.shape == ((0, T, width) if batch_first else (T, 0, width)) and out.dtype == F64
    assert [t.shape for t in flatten(final)] == [t.shape for t in flatten(state)]
    (out.sum() + sum(t.sum() for t in flatten(final))).backward()
    assert x.grad.shape == x.shape and all(t.grad.shape == t.shape for t in flatten(state))
    assert all(p.grad is not None and not p.grad.any() for p in layer.parameters())
    if kind in TORCH_LAYERS and structure != "reverse":  # (torch.nn has no reverse-only layer)
        ref = TORCH_LAYERS[kind](I, H, num_layers=2 if structure == "stacked" else 1,
                                 bidirectional=structure == "bidirectional",
                                 batch_first=batch_first, dtype=F64)
        ref_out, ref_final = ref(x.detach())
        assert out.shape == ref_out.shape
        ref_out.sum().backward()
        assert [p.grad.shape for p in ref.parameters()] == [
            p.shape for p in ref.parameters()] and not any(p.grad.any() for p in ref.parameters())
        # torch's (layers * directions, 0, H) is one (0, H) state per layer and direction
        assert flatten(ref_final)[0].shape[1:] == flatten(final)[0].shape == (0, H)


def test_an_empty_batch_leaves_the_next_call_as_it_was():
    layer = build("stacked", "gru")
    x = torch.randn(T, B, I, dtype=F64)
    before = layer(x)[0]
    layer(torch.randn(T, 0, I, dtype=F64), lengths=torch.zeros(0, dtype=torch.long))
    assert_close(layer(x)[0], before, rtol=0, atol=0)


def test_float_lengths_are_refused_not_truncated():
    layer = Rec(RNNCell(2, 3))
    with pytest.raises(ValueError, match="lengths must be integers"):
        layer(torch.randn(4, 2, 2), lengths=torch.tensor([2.7, 4.0]))


def test_dtype_and_device_mismatch_name_the_module_and_the_fix():
    layer = Rec(GRUCell(3, 4))
    with pytest.raises(ValueError, match=r"GRUCell: the input is float64 on cpu but the "
                                         r"parameters are float32 on cpu; convert"):
        layer(torch.randn(5, 2, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"GRUCell: the initial state is float64"):
        layer(torch.randn(5, 2, 3), torch.randn(2, 4, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"the input is float32 on meta .* move one"):
        layer(torch.randn(5, 2, 3, device="meta"))
    with torch.autocast("cpu", dtype=torch.bfloat16):  # autocast casts: allowed
        out, _ = layer(torch.randn(5, 2, 3, dtype=torch.bfloat16))
    assert out.shape == (5, 2, 4)
    from rnnlab.nn import DTRNNCell

    for cell in (GRUCell(3, 4), DTRNNCell(3, 4, depth=2)):  # one step, as torch.nn.*Cell
        with pytest.raises(ValueError, match=rf"{type(cell).__name__}: the input is float64 on "
                                             r"cpu but the parameters are float32"):
            cell(torch.randn(2, 3, dtype=torch.float64))
        with pytest.raises(ValueError, match=r"the input is int64 .* pass floating-point "
                                             r"values: x.to\(torch.float32\)"):
            cell(torch.ones(2, 3, dtype=torch.long))
