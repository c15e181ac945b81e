"""``input_dropout=`` and ``recurrent_dropout=`` on the torch.nn drop-ins (session 31):
each layer and direction draws its own masks, once per sequence, in training; torch's
``dropout`` stays the one between layers; eval mode and 0 compute what torch.nn does."""

import pytest
import torch

from rnnlab.io.errors import ConfigError, UnsupportedError
from rnnlab.nn import (GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, Recurrent,
                       RNNCell, Stacked)
from rnnlab.nn.variational import draw_masks
from test_recurrent_dropout31 import _reference, assert_computes_as

D = torch.float64
KINDS = [(RNN, RNNCell), (GRU, GRUCell), (LSTM, LSTMCell)]


@pytest.mark.parametrize("dropin, cell_type", KINDS)
def test_one_layer_equals_the_step_equations_given_the_same_masks(dropin, cell_type):
    torch.manual_seed(0)
    layer = dropin(3, 5, batch_first=True, input_dropout=0.3, recurrent_dropout=0.4).to(D)
    x = torch.randn(4, 6, 3, dtype=D, requires_grad=True)
    torch.manual_seed(2)
    out, _ = layer(x)
    torch.manual_seed(2)
    masks = draw_masks(0.3, 0.4, 4, 3, 5, x)
    cell = cell_type(3, 5).to(D)
    cell.load_state_dict({k: getattr(layer, f"{k}_l0") for k in cell.state_dict()})
    ref, _ = _reference(cell, x.transpose(0, 1), masks)
    torch.testing.assert_close(out, ref.transpose(0, 1))
    w = torch.randn_like(out)
    got = torch.autograd.grad((out * w).sum(), [x, *layer.parameters()])
    want = torch.autograd.grad((ref.transpose(0, 1) * w).sum(), [x, *cell.parameters()])
    for g, r in zip(got, want):
        torch.testing.assert_close(g, r)


def test_stacked_bidirectional_equals_the_composed_layers_with_the_same_rates():
    """Layer by layer, forward direction before backward: each its own masks, the
    between-layer dropout as Stacked draws it."""
    torch.manual_seed(0)
    lstm = LSTM(3, 4, num_layers=2, bidirectional=True, dropout=0.2, input_dropout=0.25,
                recurrent_dropout=0.5).to(D)
    rates = dict(input_dropout=0.25, recurrent_dropout=0.5)

    def pair(i):
        return Bidirectional(Recurrent(LSTMCell(i, 4), **rates),
                             Recurrent(LSTMCell(i, 4), reverse=True, **rates))

    mine = Stacked([pair(3), pair(8)], dropout=0.2).to(D)
    for k in range(2):
        for side, suffix in (("forward_layer", ""), ("backward_layer", "_reverse")):
            cell = getattr(mine.layers[k], side).cell
            cell.load_state_dict({n: getattr(lstm, f"{n}_l{k}{suffix}")
                                  for n in cell.state_dict()})
    x = torch.randn(5, 2, 3, dtype=D)
    torch.manual_seed(9)
    out, (h, c) = lstm(x)
    torch.manual_seed(9)
    want, finals = mine(x)
    torch.testing.assert_close(out, want)
    torch.testing.assert_close(h[-1], finals[-1][1][0])
    assert lstm.path_for(x) == "reference"


@pytest.mark.parametrize("dropin", [RNN, GRU, LSTM])
def test_eval_mode_and_zero_rates_compute_what_torch_nn_computes(dropin):
    """On torch's kernel and on the template's step loop (impl='reference')."""
    torch.manual_seed(0)
    theirs = getattr(torch.nn, dropin.__name__)(3, 5, num_layers=2).to(D)
    x = torch.randn(4, 2, 3, dtype=D, requires_grad=True)
    mine = [m.to(D) for impl in ("auto", "reference") for m in (
        dropin(3, 5, num_layers=2, impl=impl, input_dropout=0.3, recurrent_dropout=0.3).eval(),
        dropin(3, 5, num_layers=2, impl=impl).train())]
    for m in mine:
        m.load_state_dict(theirs.state_dict())
    assert [m.path_for(x) for m in mine] == ["fused"] * 2 + ["reference"] * 2
    assert_computes_as(theirs, mine, x)


def test_the_path_says_which_ran_and_fused_is_refused_while_h_is_masked():
    x = torch.randn(4, 2, 3)
    inputs_only = LSTM(3, 5, input_dropout=0.2)
    assert inputs_only.path_for(x) == "fused"  # (the template's layers on torch's kernel)
    torch.manual_seed(0)
    a = inputs_only(x)[0]
    inputs_only.eval()
    assert not torch.allclose(a, inputs_only(x)[0])  # (the mask was applied)
    masked = GRU(3, 5, recurrent_dropout=0.2, impl="fused")
    with pytest.raises(UnsupportedError, match="recurrent_dropout"):
        masked(x)
    with pytest.raises(UnsupportedError, match="impl='auto'"):
        masked.path_for(x)
    masked.eval()
    assert masked.path_for(x) == "fused" and masked(x)[0].shape == (4, 2, 5)


def test_rates_are_checked_shown_and_kept_by_a_state_dict_free_pickle():
    import io

    with pytest.raises(ConfigError, match="recurrent_dropout must be in"):
        LSTM(3, 5, recurrent_dropout=1.0)
    lstm = GRU(3, 5, recurrent_dropout=0.1)
    assert "recurrent_dropout=0.1" in repr(lstm)
    assert set(lstm.state_dict()) == set(torch.nn.GRU(3, 5).state_dict())
    buf = io.BytesIO()
    torch.save(lstm, buf)
    buf.seek(0)
    assert torch.load(buf, weights_only=True).recurrent_dropout == 0.1
