"""The gradient-through-time measurement and the demo that plots it."""

import numpy as np
import pytest

from rnnlab.reference import backward, forward, gradient_norms_through_time, init_params
from rnnlab.reference.demo import main
from rnnlab.reference.vanishing import parse_config

SMALL = dict(seq_len=40, hidden_size=16, input_size=4, batch=8, seeds=(0, 1))


def test_ratio_starts_at_one_and_has_T_plus_one_points():
    r = gradient_norms_through_time("rnn_tanh", **SMALL)
    assert r.distances.tolist() == list(range(41))
    assert r.log10_ratio.shape == (2, 41)
    assert r.ratio[0] == pytest.approx(1.0)
    assert r.ratio_c is None


def test_vanishing_at_default_init_and_exploding_with_large_weights():
    tanh = gradient_norms_through_time("rnn_tanh", **SMALL)
    assert tanh.ratio[40] < 1e-6 and tanh.ratio[40] < tanh.ratio[10] < tanh.ratio[1]
    boom = gradient_norms_through_time("rnn_tanh", hh_gain=4.0, **SMALL)
    assert boom.ratio[40] > 10.0
    lstm = gradient_norms_through_time("lstm", **SMALL)
    open_gate = gradient_norms_through_time("lstm", forget_bias=3.0, **SMALL)
    assert lstm.ratio_c is not None
    assert open_gate.ratio[40] > 1e3 * lstm.ratio[40]      # the open forget gate carries it
    assert open_gate.ratio_c[40] > 1e-2


@pytest.mark.parametrize("kind", ["rnn_relu", "gru_reset_before", "lstm"])
def test_state_gradients_equal_the_h0_gradient_of_the_suffix(kind):
    """dL/dh_t recorded during BPTT equals dL/dh_0 of a run started at h_t over x_{t+1..T}."""
    rng = np.random.default_rng(2)
    p = init_params(kind, 3, 4, rng=rng)
    x = rng.normal(size=(8, 2, 3))
    g = rng.normal(size=(8, 2, 4))
    hs, cache = forward(kind, p, x)
    _, states = backward(kind, p, cache, g, return_state_grads=True)
    t = 3                                  # suffix starts after h_{t+1} = hs[t]
    state = (hs[t], cache["cs"][t]) if kind == "lstm" else (hs[t],)
    _, c2 = forward(kind, p, x[t + 1:], state)
    g2 = backward(kind, p, c2, g[t + 1:], None)
    # states['h'][t] includes the direct term g[t]; the suffix's h0 gradient does not
    np.testing.assert_allclose(states["h"][t] - g[t], g2["h0"], rtol=1e-10, atol=1e-12)
    if kind == "lstm":
        dc_t = states["c"][t + 1] * cache["acts"][t + 1, :, 4:8]   # dc_{t+1} * f_{t+2}
        np.testing.assert_allclose(dc_t, g2["c0"], rtol=1e-10, atol=1e-12)


def test_parse_config():
    assert parse_config("lstm:forget_bias=1,hh_gain=0.5") == {
        "kind": "lstm", "forget_bias": 1.0, "hh_gain": 0.5}
    assert parse_config("gru") == {"kind": "gru"}
    with pytest.raises(ValueError):
        parse_config("lstm:bogus=1")
    with pytest.raises(ValueError):
        parse_config("rnn")


def test_demo_writes_png_and_prints_table(tmp_path, capsys):
    out = tmp_path / "sub" / "norms.png"
    rc = main(["--out", str(out), "--seq-len", "30", "--hidden-size", "8", "--seeds", "2",
               "--batch", "4", "--configs", "rnn_tanh", "lstm", "lstm:forget_bias=3"])
    assert rc == 0
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    text = capsys.readouterr().out
    assert "| `rnn_tanh` | 1.0e+00 |" in text
    assert "`lstm` (cell c)" in text and "`lstm forget_bias=3`" in text
    assert "k=20" in text and "k=50" not in text      # distances beyond T are dropped


def test_demo_rejects_bad_input(tmp_path, capsys):
    # usage errors (OptionError), exit status 2 as every rnnlab command's
    assert main(["--out", str(tmp_path / "a.png"), "--configs", "nope"]) == 2
    assert main(["--out", str(tmp_path / "a.png"), "--seq-len", "5", "--distances", "9"]) == 2
    assert "error" in capsys.readouterr().err
    assert not (tmp_path / "a.png").exists()
