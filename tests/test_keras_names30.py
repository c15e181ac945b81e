"""Keras' recurrent-layer arguments given to rnnlab's layers (session 30): each is
refused as a TypeError of rnnlab's naming what does the same here; they were Python's
bare "unexpected keyword argument", which named nothing of rnnlab's."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import (GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, Recurrent,
                       RNNCell)


@pytest.mark.parametrize("make, fix", [
    (lambda: LSTM(3, 5, batch_first=True, return_sequences=True), r"outputs\[:, -1\]"),
    (lambda: GRU(3, 5, go_backwards=True), r"reverse=True.*flip\(1\)"),
    (lambda: RNN(3, 5, stateful=True), r"layer\(x2, state\)"),
    (lambda: Recurrent(LSTMCell(3, 5), go_backwards=True), r"reverse=True"),
    (lambda: Recurrent(GRUCell(3, 5), return_state=True), r"always returned"),
    (lambda: LSTMCell(3, 5, recurrent_dropout=0.2), r"Recurrent\(cell, recurrent_dropout=p\)"),
    (lambda: LSTMCell(3, 5, unit_forget_bias=True), r"bias_ih\[H:2\*H\]\.fill_\(1\.0\)"),
    (lambda: GRUCell(3, 5, activation="relu"), r"Writing your own cell"),
    (lambda: RNNCell(3, 5, activation="relu"), r"nonlinearity='relu'"),
    (lambda: Recurrent(LSTMCell(3, 5), merge_mode="sum"), r"Bidirectional\(.*merge_mode='sum'"),
    (lambda: Bidirectional(Recurrent(LSTMCell(3, 5)), Recurrent(LSTMCell(3, 5), reverse=True),
                           return_sequences=True), r"outputs\[:, -1\]"),
])
def test_keras_arguments_are_refused_naming_rnnlabs_way(make, fix):
    with pytest.raises(ConfigTypeError, match=fix) as err:
        make()
    assert isinstance(err.value, TypeError)  # (what Python raised: except TypeError holds)
    assert "Keras'" in str(err.value)


def test_other_unknown_keywords_still_fail_and_torchs_own_arguments_still_work():
    with pytest.raises(ConfigTypeError, match=r"'colour'.*takes"):
        Recurrent(LSTMCell(3, 5), colour=1)
    with pytest.raises(TypeError, match="colour"):  # (torch.nn's check, as before)
        LSTM(3, 5, colour=1)
    lstm = LSTM(3, 5, num_layers=2, dropout=0.1, bias=False, batch_first=True)
    assert lstm(torch.zeros(2, 4, 3))[0].shape == (2, 4, 5)
    assert GRU(3, 5, reset_after=False).reset_after is False
    assert RNNCell(3, 5, nonlinearity="relu").nonlinearity == "relu"


def test_bidirectional_of_one_layer_says_to_build_both_directions():
    """Keras' Bidirectional(LSTM(...)) copies the layer; here it was Python's "missing 1
    required positional argument: 'backward_layer'"."""
    with pytest.raises(ConfigTypeError, match=r"got one.*reverse=True\)\)"):
        Bidirectional(Recurrent(LSTMCell(3, 5)))


def _stacked():
    from rnnlab.nn import Stacked
    return Stacked([Recurrent(GRUCell(3, 5), batch_first=True)])


@pytest.mark.parametrize("layer, kwargs, fix", [
    (Recurrent(LSTMCell(3, 5), batch_first=True), dict(initial_state=None),
     r"layer\(x, state\)"),
    (Recurrent(LSTMCell(3, 5), batch_first=True), dict(mask=None), r"lengths = mask\.sum\(1\)"),
    (_stacked(), dict(training=True), r"model\.train\(\)"),
    (Bidirectional(Recurrent(GRUCell(3, 5)), Recurrent(GRUCell(3, 5), reverse=True)),
     dict(mask=None), r"lengths="),
    (LSTM(3, 5, batch_first=True), dict(initial_state=None), r"lstm\(x, \(h0, c0\)\)"),
    (GRU(3, 5, batch_first=True), dict(mask=None), r"pack_padded_sequence"),
])
def test_keras_call_arguments_are_refused_naming_rnnlabs_way(layer, kwargs, fix):
    """Keras' layer(x, initial_state=..., mask=..., training=...) was Python's bare
    "forward() got an unexpected keyword argument"."""
    with pytest.raises(ConfigTypeError, match=fix):
        layer(torch.zeros(2, 4, 3), **kwargs)
    assert layer(torch.zeros(2, 4, 3))[0].shape[-1] in (5, 10)  # (the call itself as before)


@pytest.mark.parametrize("make, fix", [
    (lambda: LSTM(32), r"LSTM\(input_size, 32\)"),
    (lambda: GRU(32, batch_first=True), r"GRU\(input_size, 32\)"),
    (lambda: RNN(input_size=3), r"got no hidden_size")])
def test_a_dropin_given_keras_units_alone_says_the_input_size_comes_first(make, fix):
    """Keras' LSTM(32) reads its input's features from the data; torch's takes them first.
    It was torch's "RNNBase.__init__() missing 1 required positional argument"."""
    with pytest.raises(ConfigTypeError, match=r"takes \(input_size, hidden_size, \.\.\.\)"):
        make()
    with pytest.raises(ConfigTypeError, match=fix):
        make()
