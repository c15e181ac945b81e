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


@pytest.mark.parametrize("layer", _layers(), ids=lambda m: type(m).__name__)
def test_a_forward_pre_hook_with_kwargs_still_takes_keywords_before_forward(layer):
    """torch runs a ``with_kwargs=True`` pre-hook before ``forward``: a keyword it takes
    (Keras' ``training=`` turned into the module's mode here) reaches it, as it did when
    ``forward`` took ``**keras``; it was refused by the call before the hook ran."""
    seen = []

    def keras_training(module, args, kwargs):
        kwargs = dict(kwargs)
        training = kwargs.pop("training", None)
        if training is not None:
            module.train(training)
        seen.append(training)
        return args, kwargs

    handle = layer.register_forward_pre_hook(keras_training, with_kwargs=True)
    x = torch.zeros(5, 2, 3)
    out = layer(x, training=False)[0]
    assert seen == [False] and not layer.training and out.shape[:2] == (5, 2)
    handle.remove()
    with pytest.raises(ConfigTypeError, match=r"'training' \(Keras'"):
        layer(x, training=True)  # (no hook: refused again, naming model.train())


def test_a_forward_set_on_the_module_gets_its_own_keywords():
    layer = Recurrent(LSTMCell(3, 4))
    plain = layer.forward
    layer.forward = lambda x, scale=1.0: (plain(x)[0] * scale, None)
    x = torch.randn(5, 2, 3)
    torch.testing.assert_close(layer(x, scale=2.0)[0], 2 * plain(x)[0])
