"""A torch.nn RNN's state_dict into rnnlab's composed layers and back
(rnnlab.nn.from_torch_state_dict / to_torch_state_dict), and what a plain load_state_dict
of torch's names into them says: before, torch's "Missing key(s)" alone, with no word
that the keys were torch.nn's nor how to load them."""

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.nn import (LSTM, Bidirectional, DTRNNCell, GRUCell, LSTMCell, Recurrent, RNNCell,
                       Stacked, from_torch_state_dict, to_torch_state_dict)

D = torch.float64


def _stack(cell, size, layers, bidirectional, **kw):
    """A Stacked of Recurrent (or Bidirectional) layers of ``cell`` for input 4, hidden 5."""
    out, width = [], 4
    for _ in range(layers):
        if bidirectional:
            out.append(Bidirectional(Recurrent(cell(width, 5, dtype=D, **kw)),
                                     Recurrent(cell(width, 5, dtype=D, **kw), reverse=True)))
        else:
            out.append(Recurrent(cell(width, 5, dtype=D, **kw)))
        width = size * (2 if bidirectional else 1)
    return Stacked(out, dropout=0.25)


CASES = [  # (rnnlab cell, its keywords, torch.nn module, its keywords, output features)
    (LSTMCell, {}, torch.nn.LSTM, {}, 5),
    (LSTMCell, {"proj_size": 3}, torch.nn.LSTM, {"proj_size": 3}, 3),
    (GRUCell, {}, torch.nn.GRU, {}, 5),
    (RNNCell, {"nonlinearity": "relu"}, torch.nn.RNN, {"nonlinearity": "relu"}, 5),
]


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("cell,ckw,torch_cls,tkw,size", CASES)
def test_a_torch_checkpoint_runs_as_torch_in_a_composed_stack(cell, ckw, torch_cls, tkw, size,
                                                              bidirectional):
    torch.manual_seed(0)
    ref = torch_cls(4, 5, num_layers=2, bidirectional=bidirectional, dropout=0.25, dtype=D, **tkw)
    stack = _stack(cell, size, 2, bidirectional, **ckw)
    stack.load_state_dict(from_torch_state_dict(stack, ref.state_dict()))  # strict
    x = torch.randn(6, 3, 4, dtype=D, requires_grad=True)
    lengths = torch.tensor([6, 2, 4])
    for train in (False, True):  # the dropout masks too, drawn alike
        ref.train(train)
        stack.train(train)
        torch.manual_seed(1)
        want, _ = ref(pack_padded_sequence(x, lengths, enforce_sorted=False))
        want = pad_packed_sequence(want)[0]
        torch.manual_seed(1)
        got, _ = stack(x, lengths=lengths)
        torch.testing.assert_close(got, want, rtol=0, atol=1e-12)
        g_want = torch.autograd.grad(want.pow(2).sum(), [x, *ref.parameters()])
        g_got = torch.autograd.grad(got.pow(2).sum(), [x, *stack.parameters()])
        for a, b in zip(g_got, g_want):  # the parameters in torch's order, named alike
            torch.testing.assert_close(a, b, rtol=0, atol=1e-12)
    # and back: torch.nn's module takes the stack's weights under its own names
    back = torch_cls(4, 5, num_layers=2, bidirectional=bidirectional, dtype=D, **tkw)
    back.load_state_dict(to_torch_state_dict(stack))
    ref.eval()
    torch.testing.assert_close(back(x)[0], ref(x)[0], rtol=0, atol=0)


def test_one_recurrent_layer_and_back_to_torch():
    rec = Recurrent(GRUCell(4, 5, bias=False))
    ref = torch.nn.GRU(4, 5, bias=False)
    rec.load_state_dict(from_torch_state_dict(rec, ref.state_dict()))
    assert sorted(to_torch_state_dict(rec)) == sorted(ref.state_dict())
    x = torch.randn(7, 2, 4)
    torch.testing.assert_close(rec(x)[0], ref(x)[0])


def test_loading_torch_names_directly_says_how():
    rec = Recurrent(LSTMCell(4, 5))
    sd = torch.nn.LSTM(4, 5).state_dict()
    with pytest.raises(RuntimeError, match=r"Missing key\(s\)") as err:
        rec.load_state_dict(sd)
    assert "torch.nn's RNN names (weight_ih_l0" in str(err.value)
    assert "from_torch_state_dict(layer, state_dict)" in str(err.value)
    stack = _stack(LSTMCell, 5, 2, True)
    with pytest.raises(RuntimeError, match="Stacked: the state_dict holds torch.nn's"):
        stack.load_state_dict(torch.nn.LSTM(4, 5, num_layers=2, bidirectional=True).state_dict())
    # strict=False stays torch's: the keys that did not fit, returned, nothing raised
    keys = rec.load_state_dict(sd, strict=False)
    assert keys.unexpected_keys == list(sd) and len(keys.missing_keys) == 4
    # a load that fails for another reason is torch's error as it was
    with pytest.raises(RuntimeError) as err:
        rec.load_state_dict({"cell.weight_ih": torch.zeros(1)})
    assert "torch.nn's RNN names" not in str(err.value)


def test_refusals_name_what_differs():
    with pytest.raises(ConfigError, match="weight_ih_l1.*no place for"):
        from_torch_state_dict(Recurrent(LSTMCell(4, 5)), torch.nn.LSTM(4, 5, 2).state_dict())
    with pytest.raises(ConfigError, match="lacks bias_hh_l0"):
        from_torch_state_dict(Recurrent(LSTMCell(4, 5)),
                              torch.nn.LSTM(4, 5, bias=False).state_dict())
    # cells whose equation is not torch.nn's: the weights would load and compute another function
    with pytest.raises(ConfigError, match="Cho et al.'s GRU"):
        from_torch_state_dict(Recurrent(GRUCell(4, 5, reset_after=False)),
                              torch.nn.GRU(4, 5).state_dict())
    with pytest.raises(ConfigError, match="DTRNNCell has no torch.nn counterpart"):
        to_torch_state_dict(Recurrent(DTRNNCell(4, 5)))
    with pytest.raises(ConfigTypeError, match="keep torch.nn's names already"):
        from_torch_state_dict(LSTM(4, 5), torch.nn.LSTM(4, 5).state_dict())
