"""Hand-derived BPTT gradients against central finite differences (float64)."""

import numpy as np
import pytest

from rnnlab.reference import (KINDS, backward, check_gradients, forward, init_params,
                              init_readout, mse_loss, numerical_gradient, readout_backward,
                              readout_forward, relative_error)
from rnnlab.reference.gradcheck import make_problem

TOL = 1e-6


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_gradient_matches_finite_differences(kind, bias):
    errors = check_gradients(kind, bias=bias, seed=3, input_size=3, hidden_size=4, batch=2,
                             seq_len=6)
    expected = {"weight_ih", "weight_hh", "x", "h0"}
    expected |= {"bias_ih", "bias_hh"} if bias else set()
    expected |= {"c0"} if kind == "lstm" else set()
    assert set(errors) == expected
    bad = {k: v for k, v in errors.items() if not v < TOL}
    assert not bad, f"{kind}: relative error >= {TOL}: {bad}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_gradcheck_catches_a_wrong_gradient(kind):
    """The check has teeth: a perturbed analytic gradient fails it."""
    params, inputs, loss_fn, analytic = make_problem(kind, seed=1)
    grads = analytic()
    numeric = numerical_gradient(loss_fn, params["weight_hh"])
    assert relative_error(grads["weight_hh"], numeric) < TOL
    wrong = grads["weight_hh"].copy()
    wrong[0, 0] += 1e-3 * np.abs(wrong).max()
    assert relative_error(wrong, numeric) > TOL


def test_state_gradient_input_dh_T_is_used():
    """dstate_T enters the gradient: with dhs = 0 and dh_T = v, dL/dh_0 is nonzero and linear in v."""
    rng = np.random.default_rng(0)
    p = init_params("gru", 2, 3, rng=rng)
    x = rng.normal(size=(4, 2, 2))
    hs, cache = forward("gru", p, x)
    v = rng.normal(size=(2, 3))
    g1 = backward("gru", p, cache, np.zeros_like(hs), v)
    g2 = backward("gru", p, cache, np.zeros_like(hs), 2 * v)
    g0 = backward("gru", p, cache, np.zeros_like(hs))
    assert np.abs(g1["h0"]).max() > 1e-3
    np.testing.assert_allclose(g2["h0"], 2 * g1["h0"], rtol=1e-12)
    assert np.all(g0["h0"] == 0)


def test_readout_and_mse_gradients():
    rng = np.random.default_rng(0)
    hs = rng.normal(size=(5, 3, 4))
    target = rng.normal(size=(5, 3, 2))
    ro = init_readout(4, 2, rng)

    def loss():
        return mse_loss(readout_forward(ro, hs), target)[0]

    _, dy = mse_loss(readout_forward(ro, hs), target)
    grads, dhs = readout_backward(ro, hs, dy)
    assert relative_error(grads["weight"], numerical_gradient(loss, ro["weight"])) < TOL
    assert relative_error(grads["bias"], numerical_gradient(loss, ro["bias"])) < TOL
    assert relative_error(dhs, numerical_gradient(loss, hs)) < TOL


def test_float64_throughout():
    rng = np.random.default_rng(0)
    p = init_params("lstm", 2, 3, rng=rng)
    hs, cache = forward("lstm", p, rng.normal(size=(3, 2, 2)))
    grads = backward("lstm", p, cache, np.ones_like(hs))
    assert hs.dtype == np.float64 and all(g.dtype == np.float64 for g in grads.values())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shapes(kind):
    rng = np.random.default_rng(0)
    T, B, I, H = 7, 3, 5, 4
    p = init_params(kind, I, H, rng=rng)
    assert p["weight_ih"].shape == (KINDS[kind] * H, I)
    assert p["weight_hh"].shape == (KINDS[kind] * H, H)
    assert p["bias_ih"].shape == p["bias_hh"].shape == (KINDS[kind] * H,)
    bound = 1 / np.sqrt(H)
    assert all(np.abs(v).max() <= bound for v in p.values())
    hs, cache = forward(kind, p, rng.normal(size=(T, B, I)))
    assert hs.shape == (T, B, H)
    np.testing.assert_array_equal(cache["state_T"][0], hs[-1])
    grads = backward(kind, p, cache, np.ones_like(hs))
    for name, arr in p.items():
        assert grads[name].shape == arr.shape
    assert grads["x"].shape == (T, B, I) and grads["h0"].shape == (B, H)


def test_errors():
    rng = np.random.default_rng(0)
    p = init_params("gru", 2, 3, rng=rng)
    with pytest.raises(ValueError, match="unknown kind"):
        forward("transformer", p, np.zeros((2, 1, 2)))
    with pytest.raises(ValueError, match="features"):
        forward("gru", p, np.zeros((2, 1, 5)))
    with pytest.raises(ValueError, match=r"\(T, B, I\)"):
        forward("gru", p, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="rows"):
        forward("lstm", p, np.zeros((2, 1, 2)))
    with pytest.raises(ValueError, match="state"):
        forward("gru", p, np.zeros((2, 1, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="state of 2"):
        forward("lstm", init_params("lstm", 2, 3, rng=rng), np.zeros((2, 1, 2)), np.zeros((1, 3)))
