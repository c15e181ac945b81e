"""Review of session 30's Keras work (keras30): each test pins a fix."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import GRU, LSTM, RNN


@pytest.mark.parametrize("make", [lambda: LSTM(3, hiden_size=5), lambda: GRU(3, hidden=5),
                                  lambda: RNN(input_size=3, hidensize=5)])
def test_a_dropin_given_a_misspelt_hidden_size_names_the_misspelling(make):
    """LSTM(3, hiden_size=5) said "got LSTM(3), Keras' units alone: here
    LSTM(input_size, 3)": the advice builds a layer of 3 hidden features, and the
    misspelt keyword went unnamed (torch's own check names it, as before keras30)."""
    with pytest.raises(TypeError) as err:
        make()
    message = str(err.value)
    assert "units alone" not in message
    assert any(bad in message for bad in ("hiden_size", "'hidden'", "hidensize")), message
