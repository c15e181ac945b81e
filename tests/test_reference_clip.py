"""Gradient clipping by global norm."""

import numpy as np
import pytest

from rnnlab.reference import clip_grad_norm, global_norm


def grads(scale=1.0, seed=0):
    rng = np.random.default_rng(seed)
    return {"weight_ih": scale * rng.normal(size=(8, 3)), "weight_hh": scale * rng.normal(size=(8, 2)),
            "bias_ih": scale * rng.normal(size=8), "x": rng.normal(size=(4, 1, 3)),
            "h0": rng.normal(size=(1, 2))}


def test_large_gradients_are_scaled_to_max_norm():
    g = grads(scale=10.0)
    expected = np.sqrt(sum(np.sum(g[k] ** 2) for k in ("weight_ih", "weight_hh", "bias_ih")))
    clipped, total = clip_grad_norm(g, max_norm=1.0)
    assert total == pytest.approx(expected, rel=1e-12)
    assert total > 10
    assert global_norm(clipped) == pytest.approx(1.0, rel=1e-5)
    for k in ("weight_ih", "weight_hh", "bias_ih"):   # same direction
        np.testing.assert_allclose(clipped[k] * total, g[k] * global_norm(clipped), rtol=1e-9)
    for k in ("x", "h0"):                             # data gradients untouched
        np.testing.assert_array_equal(clipped[k], g[k])
    assert np.abs(g["weight_ih"]).max() > 5           # input not modified


def test_small_gradients_are_unchanged():
    g = grads(scale=0.01)
    clipped, total = clip_grad_norm(g, max_norm=1.0)
    assert total < 1
    for k in g:
        np.testing.assert_array_equal(clipped[k], g[k])


def test_keys_select_what_counts():
    g = grads(scale=1.0)
    clipped, total = clip_grad_norm(g, max_norm=0.5, keys=["bias_ih"])
    assert total == pytest.approx(np.linalg.norm(g["bias_ih"]))
    assert np.linalg.norm(clipped["bias_ih"]) == pytest.approx(0.5, rel=1e-5)
    np.testing.assert_array_equal(clipped["weight_ih"], g["weight_ih"])
    with pytest.raises(KeyError):
        clip_grad_norm(g, 1.0, keys=["nope"])
    with pytest.raises(ValueError):
        clip_grad_norm(g, 0.0)


def test_matches_torch_clip_grad_norm():
    torch = pytest.importorskip("torch")
    g = grads(scale=3.0, seed=4)
    names = ["weight_ih", "weight_hh", "bias_ih"]
    ps = [torch.nn.Parameter(torch.zeros(g[k].shape, dtype=torch.float64)) for k in names]
    for p, k in zip(ps, names):
        p.grad = torch.from_numpy(g[k].copy())
    total_t = torch.nn.utils.clip_grad_norm_(ps, max_norm=2.0)
    clipped, total = clip_grad_norm(g, max_norm=2.0)
    assert total == pytest.approx(float(total_t), rel=1e-12)
    for p, k in zip(ps, names):
        np.testing.assert_allclose(clipped[k], p.grad.numpy(), rtol=1e-12)
