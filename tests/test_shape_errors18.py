"""Every wrong-shape input or state of rnnlab's own layers is an rnnlab.nn.ShapeError (a
ValueError and a RuntimeError, as torch.nn raises RuntimeError for these): the drop-ins'
were, and Recurrent's, Stacked's, Bidirectional's, DeepOutput's and a cell's state count
were plain ValueErrors, which ``except RuntimeError`` code written for torch.nn missed."""

import pytest
import torch

from rnnlab.nn import (Bidirectional, DeepOutput, LSTMCell, Recurrent, RNNCell, ShapeError,
                       Stacked)


def _cases():
    rec = Recurrent(RNNCell(3, 4))
    stack = Stacked([Recurrent(RNNCell(3, 4)), Recurrent(RNNCell(4, 4))])
    bi = Bidirectional(Recurrent(RNNCell(3, 4)), Recurrent(RNNCell(3, 4), reverse=True))
    x = torch.randn(5, 2, 3)
    return [
        ("a 2-D input to Recurrent", lambda: rec(torch.randn(5, 3))),
        ("no steps", lambda: rec(torch.randn(0, 2, 3))),
        ("one state for a stack of two", lambda: stack(x, [torch.zeros(2, 4)])),
        ("a 2-D tensor state for a stack", lambda: stack(x, torch.zeros(2, 4))),
        ("one state for two directions", lambda: bi(x, torch.zeros(2, 4))),
        ("DeepOutput's features", lambda: DeepOutput(4)(torch.randn(2, 5))),
        ("an LSTM cell given h alone", lambda: LSTMCell(3, 4)(torch.randn(2, 3),
                                                              torch.zeros(2, 4))),
    ]


@pytest.mark.parametrize("what, call", _cases(), ids=[c[0] for c in _cases()])
def test_wrong_shapes_are_shape_errors(what, call):
    with pytest.raises(RuntimeError) as err:  # as torch.nn's code catches them
        call()
    assert isinstance(err.value, ShapeError) and isinstance(err.value, ValueError), what
    assert "expected" in str(err.value) or "no steps" in str(err.value)
