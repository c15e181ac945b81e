"""The layers' ``forward`` took ``**keras`` only to refuse Keras' call arguments, which
showed in ``help(layer.forward)`` and to a type checker as "any keyword" (session 31):
the signature is now the call's own, and Keras' ``initial_state=``, ``mask=``,
``training=`` are still refused naming what does the same here."""

import inspect

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import LSTM, Bidirectional, LSTMCell, Recurrent, Stacked


def _layers():
    rec = Recurrent(LSTMCell(3, 4))
    bi = Bidirectional(Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(3, 4), reverse=True))
    return [rec, bi, Stacked([Recurrent(LSTMCell(3, 4))]), LSTM(3, 4)]


@pytest.mark.parametrize("layer", _layers(), ids=lambda m: type(m).__name__)
def test_forward_takes_no_catch_all_and_keras_call_arguments_are_still_refused(layer):
    params = inspect.signature(layer.forward).parameters.values()
    assert not any(p.kind is p.VAR_KEYWORD for p in params)
    x = torch.zeros(5, 2, 3)
    with pytest.raises(ConfigTypeError, match=r"'mask' \(Keras': here"):
        layer(x, mask=torch.ones(2, 5))
    with pytest.raises(ConfigTypeError, match=r"'training' \(Keras'.*model.train\(\)"):
        layer(x, training=True)
    with pytest.raises(ConfigTypeError, match=r"'colour'.*call takes"):
        layer(x, colour=1)
    assert layer(x)[0].shape[:2] == (5, 2)
    assert layer(x, hx=None)[0].shape[:2] == (5, 2)  # (its own keywords pass)


def test_a_subclass_whose_forward_takes_more_keywords_gets_them():
    class Mine(Recurrent):
        def forward(self, x, state=None, lengths=None, *, hx=None, scale=1.0):
            out, state = super().forward(x, state, lengths, hx=hx)
            return out * scale, state

    layer = Mine(LSTMCell(3, 4))
    x = torch.randn(5, 2, 3)
    torch.testing.assert_close(layer(x, scale=2.0)[0], 2 * layer(x)[0])
    with pytest.raises(ConfigTypeError, match=r"'mask' \(Keras'"):
        layer(x, mask=None)


def test_fx_still_records_the_layer_as_one_node():
    model = torch.nn.Sequential(Recurrent(LSTMCell(3, 4)))
    graph = torch.fx.symbolic_trace(model).graph
    assert [n.op for n in graph.nodes].count("call_module") == 1
