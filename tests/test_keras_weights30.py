"""Keras-trained LSTM / GRU / SimpleRNN weights in rnnlab's layers (session 30): the
outputs equal a NumPy float64 reference of Keras' own equations, written here from its
layer code (keras/src/layers/rnn/{lstm,gru,simple_rnn}.py), not from rnnlab's."""

import numpy as np
import pytest
import torch

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.nn import (GRU, LSTM, Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell,
                       Stacked, from_keras_weights, to_keras_weights)


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def keras_lstm(x, kernel, rec, bias=None):
    """Keras' LSTMCell over (B, T, I): gates i, f, c, o in the columns, one bias."""
    B, T, _ = x.shape
    u = rec.shape[0]
    h, c, outs = np.zeros((B, u)), np.zeros((B, u)), []
    for t in range(T):
        z = x[:, t] @ kernel + h @ rec + (0 if bias is None else bias)
        i, f, cc, o = (z[:, k * u:(k + 1) * u] for k in range(4))
        c = _sig(f) * c + _sig(i) * np.tanh(cc)
        h = _sig(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs, 1), (h, c)


def keras_gru(x, kernel, rec, bias=None, reset_after=True):
    """Keras' GRUCell: gates z, r, h in the columns; bias (2, 3u) or (3u,)."""
    B, T, _ = x.shape
    u = rec.shape[0]
    if bias is None:
        b_in, b_rec = np.zeros(3 * u), np.zeros(3 * u)
    elif reset_after:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, None
    h, outs = np.zeros((B, u)), []
    for t in range(T):
        mx = x[:, t] @ kernel + b_in
        x_z, x_r, x_h = mx[:, :u], mx[:, u:2 * u], mx[:, 2 * u:]
        if reset_after:
            inner = h @ rec + b_rec
            z = _sig(x_z + inner[:, :u])
            r = _sig(x_r + inner[:, u:2 * u])
            hh = np.tanh(x_h + r * inner[:, 2 * u:])
        else:
            inner = h @ rec[:, :2 * u]
            z = _sig(x_z + inner[:, :u])
            r = _sig(x_r + inner[:, u:])
            hh = np.tanh(x_h + (r * h) @ rec[:, 2 * u:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, 1), h


def keras_simple_rnn(x, kernel, rec, bias):
    B, T, _ = x.shape
    h, outs = np.zeros((B, rec.shape[0])), []
    for t in range(T):
        h = np.tanh(x[:, t] @ kernel + bias + h @ rec)
        outs.append(h)
    return np.stack(outs, 1), h


def _weights(rng, I, u, G, bias_shape):
    ws = [rng.normal(size=(I, G * u)), rng.normal(size=(u, G * u)) * 0.5]
    if bias_shape is not None:
        ws.append(rng.normal(size=bias_shape))
    return ws


def _x(rng, B=3, T=5, I=4):
    return rng.normal(size=(B, T, I))


def _run(module, x):
    with torch.no_grad():
        return module(torch.from_numpy(x))


@pytest.mark.parametrize("bias", [True, False])
def test_lstm_from_keras_weights_equals_keras_equations(bias):
    rng = np.random.default_rng(0)
    x, ws = _x(rng), _weights(rng, 4, 6, 4, (24,) if bias else None)
    layer = Recurrent(LSTMCell(4, 6, bias=bias), batch_first=True).double()
    layer.load_state_dict(from_keras_weights(layer, ws))
    out, (h, c) = _run(layer, x)
    ref, (rh, rc) = keras_lstm(x, *ws)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.numpy(), rc, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_from_keras_weights_equals_keras_equations_in_both_forms(reset_after):
    """Keras' GRU: z, r, h columns; reset_after=True's (2, 3u) bias is the input and the
    recurrent one (torch's form), reset_after=False's (3u,) one is Cho's form."""
    rng = np.random.default_rng(1)
    x = _x(rng)
    ws = _weights(rng, 4, 5, 3, (2, 15) if reset_after else (15,))
    layer = Recurrent(GRUCell(4, 5, reset_after=reset_after), batch_first=True).double()
    layer.load_state_dict(from_keras_weights(layer, ws))
    out, h = _run(layer, x)
    ref, rh = keras_gru(x, *ws, reset_after=reset_after)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12, atol=1e-12)
    # the drop-in of the same form takes them too, on its own (fused) path
    dropin = GRU(4, 5, batch_first=True, reset_after=reset_after).double()
    dropin.load_state_dict(from_keras_weights(dropin, ws))
    np.testing.assert_allclose(_run(dropin, x)[0].numpy(), ref, rtol=1e-12, atol=1e-12)


def test_simple_rnn_cell_takes_keras_simple_rnn_weights():
    rng = np.random.default_rng(2)
    x, ws = _x(rng), _weights(rng, 4, 3, 1, (3,))
    cell = RNNCell(4, 3).double()
    cell.load_state_dict(from_keras_weights(cell, ws))
    layer = Recurrent(cell, batch_first=True)
    np.testing.assert_allclose(_run(layer, x)[0].numpy(), keras_simple_rnn(x, *ws)[0],
                               rtol=1e-12, atol=1e-12)


def test_bidirectional_stack_and_dropin_lstm_take_a_keras_models_weights_in_order():
    """Keras' Bidirectional(LSTM(u, return_sequences=True)) twice: forward then backward
    weights of each layer, the backward direction run on the reversed sequence and its
    outputs reversed back (Keras' Bidirectional), concatenated."""
    rng = np.random.default_rng(3)
    x, u = _x(rng), 3
    ws = (_weights(rng, 4, u, 4, (4 * u,)) + _weights(rng, 4, u, 4, (4 * u,))
          + _weights(rng, 2 * u, u, 4, (4 * u,)) + _weights(rng, 2 * u, u, 4, (4 * u,)))
    ref = x
    for k in range(2):
        fwd = keras_lstm(ref, *ws[6 * k:6 * k + 3])[0]
        bwd = keras_lstm(ref[:, ::-1], *ws[6 * k + 3:6 * k + 6])[0][:, ::-1]
        ref = np.concatenate([fwd, bwd], -1)

    def bi(I):
        return Bidirectional(Recurrent(LSTMCell(I, u), batch_first=True),
                             Recurrent(LSTMCell(I, u), reverse=True, batch_first=True))
    stack = Stacked([bi(4), bi(2 * u)]).double()
    stack.load_state_dict(from_keras_weights(stack, ws))
    np.testing.assert_allclose(_run(stack, x)[0].numpy(), ref, rtol=1e-12, atol=1e-12)
    dropin = LSTM(4, u, num_layers=2, bidirectional=True, batch_first=True).double()
    dropin.load_state_dict(from_keras_weights(dropin, ws))
    np.testing.assert_allclose(_run(dropin, x)[0].numpy(), ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make", [
    lambda: Recurrent(LSTMCell(4, 5)), lambda: Recurrent(GRUCell(4, 5)),
    lambda: Recurrent(GRUCell(4, 5, reset_after=False)), lambda: RNNCell(4, 5, bias=False),
    lambda: GRU(4, 5, num_layers=2, bidirectional=True)])
def test_to_keras_weights_round_trips_and_computes_the_same(make):
    """to_keras_weights gives Keras' layout back: from_keras_weights of it is the same
    function (torch's two LSTM biases come back added into Keras' one)."""
    torch.manual_seed(0)
    a, b = make().double(), make().double()
    ws = to_keras_weights(a)
    b.load_state_dict(from_keras_weights(b, ws))
    assert all(np.array_equal(p, q) for p, q in zip(to_keras_weights(b), ws))
    x = torch.randn(6, 2, 4, dtype=torch.float64)
    with torch.no_grad():
        if isinstance(a, RNNCell):
            torch.testing.assert_close(a(x[0]), b(x[0]), rtol=1e-12, atol=1e-12)
        else:
            torch.testing.assert_close(a(x)[0], b(x)[0], rtol=1e-12, atol=1e-12)


def test_keras_shapes_counts_and_gru_forms_are_refused_naming_the_fix():
    rng = np.random.default_rng(4)
    gru = Recurrent(GRUCell(4, 5))
    cho = _weights(rng, 4, 5, 3, (15,))  # a Keras GRU(reset_after=False)'s
    with pytest.raises(ConfigError, match=r"reset_after=False\)"):
        from_keras_weights(gru, cho)
    with pytest.raises(ConfigError, match=r"takes 3 Keras arrays.*got 2.*bias=False"):
        from_keras_weights(gru, cho[:2])
    with pytest.raises(ConfigError, match=r"kernel should have shape \(4, 15\).*got \(3, 15\)"):
        from_keras_weights(gru, [cho[0][:3]] + cho[1:])
    with pytest.raises(ConfigTypeError, match="proj_size"):
        from_keras_weights(LSTM(4, 5, proj_size=2), [])
    with pytest.raises(ConfigTypeError, match="got Linear; it holds no recurrent layer"):
        from_keras_weights(torch.nn.Linear(4, 5), [])


@pytest.mark.parametrize("mode", ["sum", "mul", "ave"])
def test_a_keras_bidirectional_gru_of_each_merge_mode_loads_with_the_same_merge(mode):
    """Keras' Bidirectional(GRU(u, return_sequences=True), merge_mode=mode): its weights
    in Bidirectional(..., merge_mode=mode) give its outputs."""
    rng = np.random.default_rng(5)
    x, u = _x(rng), 4
    ws = _weights(rng, 4, u, 3, (2, 3 * u)) + _weights(rng, 4, u, 3, (2, 3 * u))
    f = keras_gru(x, *ws[:3])[0]
    b = keras_gru(x[:, ::-1], *ws[3:])[0][:, ::-1]
    ref = {"sum": f + b, "mul": f * b, "ave": (f + b) / 2}[mode]
    bi = Bidirectional(Recurrent(GRUCell(4, u), batch_first=True),
                       Recurrent(GRUCell(4, u), reverse=True, batch_first=True),
                       merge_mode=mode).double()
    bi.load_state_dict(from_keras_weights(bi, ws))
    np.testing.assert_allclose(_run(bi, x)[0].numpy(), ref, rtol=1e-12, atol=1e-12)
