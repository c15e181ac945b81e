"""The drop-ins given lengths= (as rnnlab's layers take it) say what to do: the error was
"_Compat.forward() got an unexpected keyword argument 'lengths'", naming a class of
rnnlab's inside, with no word of packing or of the layers that take lengths."""

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import GRU, LSTM, RNN, GRUCell, LSTMCell, Recurrent, RNNCell

D = torch.float64


@pytest.mark.parametrize("layer_cls, cell_cls", [(LSTM, LSTMCell), (GRU, GRUCell), (RNN, RNNCell)])
def test_lengths_refused_and_both_ways_it_names_agree(layer_cls, cell_cls):
    torch.manual_seed(0)
    layer = layer_cls(4, 5, batch_first=True, dtype=D)
    x = torch.randn(3, 6, 4, dtype=D, requires_grad=True)
    lengths = torch.tensor([6, 2, 4])
    name = layer_cls.__name__
    with pytest.raises(ConfigTypeError, match=rf"{name}: takes torch.nn.{name}'s arguments "
                                              rf"\(input, hx\), not lengths=") as err:
        layer(x, lengths=lengths)
    assert "_Compat" not in str(err.value)
    assert f"Recurrent({name}Cell(...))" in str(err.value)
    # what it says to do: packed, as torch.nn's, or Recurrent with lengths; the same numbers
    packed, _ = layer(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
    want = pad_packed_sequence(packed, batch_first=True)[0]
    rec = Recurrent(cell_cls(4, 5, dtype=D), batch_first=True)
    rec.cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})
    got = rec(x, lengths=lengths)[0]
    torch.testing.assert_close(got, want, rtol=0, atol=1e-12)
    g_want = torch.autograd.grad(want.pow(2).sum(), x)[0]
    g_got = torch.autograd.grad(got.pow(2).sum(), x)[0]
    torch.testing.assert_close(g_got, g_want, rtol=0, atol=1e-12)


def test_the_usual_call_is_unchanged():
    layer = LSTM(4, 5)
    x = torch.randn(6, 3, 4)
    out, (h, c) = layer(x, None)
    assert out.shape == (6, 3, 5) and h.shape == c.shape == (1, 3, 5)
