"""rnnlab.nn cells against torch.nn cells: the state_dict contract, forward, gradients, init."""

import math

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from rnnlab.nn import GRUCell, LSTMCell, RNNCell

F64 = torch.float64
I, H, B = 3, 4, 2
KINDS = ["rnn_tanh", "rnn_relu", "gru", "lstm"]
CHUNKS = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}


def make_ours(kind, input_size=I, hidden_size=H, bias=True):
    if kind.startswith("rnn_"):
        return RNNCell(input_size, hidden_size, bias, nonlinearity=kind[4:])
    if kind == "gru":
        return GRUCell(input_size, hidden_size, bias)
    return LSTMCell(input_size, hidden_size, bias)


def make_torch(kind, input_size=I, hidden_size=H, bias=True):
    if kind.startswith("rnn_"):
        return nn.RNNCell(input_size, hidden_size, bias, nonlinearity=kind[4:])
    if kind == "gru":
        return nn.GRUCell(input_size, hidden_size, bias)
    return nn.LSTMCell(input_size, hidden_size, bias)


def as_tuple(state):
    return tuple(state) if isinstance(state, (tuple, list)) else (state,)


# -- the state_dict contract -------------------------------------------------------

@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_keys_and_shapes(kind, bias):
    ours = make_ours(kind, bias=bias)
    G = CHUNKS[kind] * H
    expected = {"weight_ih": (G, I), "weight_hh": (G, H)}
    if bias:
        expected.update(bias_ih=(G,), bias_hh=(G,))
    got = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    assert got == expected
    # same keys in the same order as torch's cell
    assert list(ours.state_dict()) == list(make_torch(kind, bias=bias).state_dict())


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_loads_strict_both_ways(kind, bias):
    torch.manual_seed(0)
    theirs, ours = make_torch(kind, bias=bias), make_ours(kind, bias=bias)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    for name, p in theirs.state_dict().items():
        assert torch.equal(ours.state_dict()[name], p), name

    ours2, theirs2 = make_ours(kind, bias=bias), make_torch(kind, bias=bias)
    assert not torch.equal(ours2.weight_ih, theirs2.weight_ih)  # independent inits
    theirs2.load_state_dict(ours2.state_dict(), strict=True)
    for name, p in ours2.state_dict().items():
        assert torch.equal(theirs2.state_dict()[name], p), name


def test_gru_reset_after_false_takes_torchs_shapes_and_says_the_form_differs():
    """The same weights, another function: torch's load with a warning, and Cho's dict
    carries the mark of its form, which torch.nn.GRUCell calls unexpected (gru_form)."""
    from rnnlab.nn.gru_form import GRUFormWarning

    theirs = nn.GRUCell(I, H)
    ours = GRUCell(I, H, reset_after=False)
    with pytest.warns(GRUFormWarning):
        ours.load_state_dict(theirs.state_dict(), strict=True)
    with pytest.raises(RuntimeError, match="reset_after"):
        theirs.load_state_dict(ours.state_dict(), strict=True)
    theirs.load_state_dict({k: v for k, v in ours.state_dict().items() if k != "reset_after"})


# -- forward and gradients ---------------------------------------------------------

def run_two_steps(cell, xs, state0, weights):
    """Two steps (the second consumes the state the cell produced); backward of a weighted sum."""
    xs = [x.clone().requires_grad_() for x in xs]
    leaves = None if state0 is None else [s.clone().requires_grad_() for s in state0]
    state = None if leaves is None else (tuple(leaves) if len(leaves) == 2 else leaves[0])
    for x in xs:
        state = cell(x, state)
    out = as_tuple(state)
    sum((o * w).sum() for o, w in zip(out, weights)).backward()
    return {
        "out": out,
        "x_grads": [x.grad for x in xs],
        "state_grads": [] if leaves is None else [s.grad for s in leaves],
        "param_grads": {n: p.grad for n, p in cell.named_parameters()},
    }


@pytest.mark.parametrize("given_state", [True, False], ids=["state", "zero_state"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind", KINDS)
def test_matches_torch_forward_and_gradients(kind, bias, batched, given_state):
    torch.manual_seed(0)
    theirs = make_torch(kind, bias=bias).double()
    ours = make_ours(kind, bias=bias).double()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    lead = (B,) if batched else ()
    n_state = 2 if kind == "lstm" else 1
    xs = [torch.randn(*lead, I, dtype=F64) for _ in range(2)]
    state0 = [torch.randn(*lead, H, dtype=F64) for _ in range(n_state)] if given_state else None
    weights = [torch.randn(*lead, H, dtype=F64) for _ in range(n_state)]

    got = run_two_steps(ours, xs, state0, weights)
    want = run_two_steps(theirs, xs, state0, weights)

    for o in got["out"]:
        assert o.shape == (*lead, H)
    assert_close(got["out"], want["out"])
    assert_close(got["x_grads"], want["x_grads"])
    assert_close(got["state_grads"], want["state_grads"])
    assert set(got["param_grads"]) == set(want["param_grads"])
    for name, g in got["param_grads"].items():
        assert g is not None, name
        assert_close(g, want["param_grads"][name], msg=f"gradient of {name}")


# -- GRU in the articles' form -------------------------------------------------------

def gru_articles_step(cell, x, h):
    """Cho et al.'s GRU, transcribed: n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)."""
    W_ir, W_iz, W_in = cell.weight_ih.chunk(3)
    W_hr, W_hz, W_hn = cell.weight_hh.chunk(3)
    b_ir, b_iz, b_in = cell.bias_ih.chunk(3)
    b_hr, b_hz, b_hn = cell.bias_hh.chunk(3)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = torch.tanh(x @ W_in.T + b_in + (r * h) @ W_hn.T + b_hn)
    return (1 - z) * n + z * h


def test_gru_reset_after_false_matches_transcription():
    torch.manual_seed(0)
    cell = GRUCell(I, H, reset_after=False).double()
    x = torch.randn(B, I, dtype=F64, requires_grad=True)
    h = torch.randn(B, H, dtype=F64, requires_grad=True)
    w = torch.randn(B, H, dtype=F64)

    got = cell(x, h)
    grads_got = torch.autograd.grad((got * w).sum(), [x, h, *cell.parameters()])
    want = gru_articles_step(cell, x, h)
    grads_want = torch.autograd.grad((want * w).sum(), [x, h, *cell.parameters()])
    assert_close(got, want)
    assert_close(grads_got, grads_want)

    # the flag changes the equation: torch's form on the same parameters gives another h
    torch_form = GRUCell(I, H, reset_after=True).double()
    torch_form.load_state_dict({k: v for k, v in cell.state_dict().items()
                                if k != "reset_after"})  # (with the mark of Cho's: refused)
    assert not torch.allclose(torch_form(x, h), got)


# -- initialisation --------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_init_is_uniform_over_plus_minus_one_over_sqrt_hidden(kind):
    torch.manual_seed(0)
    hidden = 64
    k = 1.0 / math.sqrt(hidden)
    cell = make_ours(kind, input_size=8, hidden_size=hidden)
    for name, p in cell.named_parameters():
        p = p.detach()
        assert float(p.min()) >= -k and float(p.max()) <= k, name
        # spread over the whole interval (catches a narrower range or a constant init)
        assert float(p.max()) > 0.5 * k and float(p.min()) < -0.5 * k, name
        assert abs(float(p.std()) - k / math.sqrt(3)) < 0.25 * k / math.sqrt(3), name
    before = cell.weight_hh.detach().clone()
    cell.reset_parameters()
    assert not torch.equal(before, cell.weight_hh)
    assert float(cell.weight_hh.detach().abs().max()) <= k


# -- properties and errors ----------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_output_and_initial_state(kind):
    cell = make_ours(kind)
    assert cell.output_size == H
    state = cell.initial_state(B, F64, torch.device("cpu"))
    tensors = as_tuple(state)
    assert len(tensors) == (2 if kind == "lstm" else 1)
    for s in tensors:
        assert s.shape == (B, H) and s.dtype == F64 and not s.any()


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_input_size_names_cell_and_size(kind):
    cell = make_ours(kind)
    with pytest.raises(ValueError) as err:
        cell(torch.randn(B, I + 2))
    msg = str(err.value)
    assert type(cell).__name__ in msg and f"{I} features" in msg and str(I + 2) in msg


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_input_rank_names_expected_shape(kind):
    cell = make_ours(kind)
    with pytest.raises(ValueError, match=rf"{type(cell).__name__}.*\(B, {I}\)"):
        cell(torch.randn(5, B, I))


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_state_shape_names_expected_shape(kind):
    cell = make_ours(kind)
    bad = torch.randn(B + 1, H)
    state = (bad, bad) if kind == "lstm" else bad
    with pytest.raises(ValueError) as err:
        cell(torch.randn(B, I), state)
    msg = str(err.value)
    assert type(cell).__name__ in msg and f"({B}, {H})" in msg and f"({B + 1}, {H})" in msg


def test_lstm_state_needs_two_tensors():
    with pytest.raises(ValueError, match="LSTMCell.*2 tensor"):
        LSTMCell(I, H)(torch.randn(B, I), torch.randn(B, H))


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_bad_sizes_rejected(bad):
    with pytest.raises(ValueError, match="GRUCell: hidden_size"):
        GRUCell(I, bad)


def test_bad_nonlinearity_rejected():
    with pytest.raises(ValueError, match="RNNCell: nonlinearity.*'sigmoid'"):
        RNNCell(I, H, nonlinearity="sigmoid")
