"""rnnlab's layers take the initial state by torch.nn's name too, ``layer(x, hx=h0)``, as
its cells and drop-ins do: Recurrent, Bidirectional, Stacked and build_model's models
raised a bare "forward() got an unexpected keyword argument 'hx'"."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import Bidirectional, GRUCell, LSTMCell, Recurrent, Stacked
from rnnlab.nn.registry import build_model

D = torch.float64


def _layers():
    rec = Recurrent(LSTMCell(4, 5, dtype=D))
    bi = Bidirectional(Recurrent(GRUCell(4, 5, dtype=D)),
                       Recurrent(GRUCell(4, 5, dtype=D), reverse=True))
    stack = Stacked([Recurrent(GRUCell(4, 5, dtype=D)), Recurrent(GRUCell(5, 5, dtype=D))])
    dt = build_model("stacked-dt-rnn", input_size=4, hidden_size=5).double()  # (batch first)
    h = torch.randn(3, 5, dtype=D)
    return [(rec, (h, h.flip(0))), (bi, (h, h.flip(0))), (stack, [h, h.flip(0)]),
            (dt, [h, h.flip(0)])]


@pytest.mark.parametrize("k", range(4))
def test_hx_is_state_forward_and_backward(k):
    layer, h0 = _layers()[k]
    x = torch.randn(6, 3, 4, dtype=D)
    x = (x.transpose(0, 1) if k == 3 else x).requires_grad_()
    lengths = torch.tensor([6, 2, 4])
    want, want_h = layer(x, h0, lengths)
    got, got_h = layer(x, hx=h0, lengths=lengths)
    torch.testing.assert_close(got, want, rtol=0, atol=0)
    torch.testing.assert_close(got_h, want_h, rtol=0, atol=0)
    g_want = torch.autograd.grad(want.pow(2).sum(), [x, *layer.parameters()])
    g_got = torch.autograd.grad(got.pow(2).sum(), [x, *layer.parameters()])
    for a, b in zip(g_got, g_want):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    # the state is the one given: not the zeros a dropped hx would start from
    assert not torch.equal(got, layer(x, lengths=lengths)[0])


@pytest.mark.parametrize("k", range(4))
def test_the_state_twice_is_refused(k):
    layer, h0 = _layers()[k]
    with pytest.raises(ConfigTypeError, match="got the initial state twice, as state and as hx"):
        layer(torch.randn(6, 3, 4, dtype=D), h0, hx=h0)
