"""The NumPy reference against torch autograd through rnnlab.nn (and torch.nn) cells."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from rnnlab.nn.cells import GRUCell, LSTMCell, RNNCell  # noqa: E402
from rnnlab.reference import KINDS, backward, forward, init_params  # noqa: E402


def make_cell(kind, I, H, bias, flavour):
    if flavour == "torch.nn":
        if kind.startswith("rnn_"):
            return torch.nn.RNNCell(I, H, bias=bias, nonlinearity=kind[4:])
        if kind == "gru":
            return torch.nn.GRUCell(I, H, bias=bias)
        return torch.nn.LSTMCell(I, H, bias=bias)
    if kind.startswith("rnn_"):
        return RNNCell(I, H, bias=bias, nonlinearity=kind[4:])
    if kind.startswith("gru"):
        return GRUCell(I, H, bias=bias, reset_after=(kind == "gru"))
    return LSTMCell(I, H, bias=bias)


CASES = [(k, "rnnlab.nn") for k in sorted(KINDS)] + [
    (k, "torch.nn") for k in ("rnn_tanh", "rnn_relu", "gru", "lstm")]


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("kind,flavour", CASES)
def test_matches_torch_autograd(kind, flavour, bias):
    T, B, I, H = 6, 3, 4, 5
    rng = np.random.default_rng(11)
    params = init_params(kind, I, H, bias=bias, rng=rng)
    for v in params.values():
        v *= 2.0   # leave the linear range of the nonlinearities
    lstm = kind == "lstm"
    x = rng.normal(size=(T, B, I))
    state0 = tuple(rng.normal(scale=0.5, size=(B, H)) for _ in range(2 if lstm else 1))
    g = rng.normal(size=(T, B, H))
    dstate = tuple(rng.normal(size=(B, H)) for _ in state0)

    # NumPy reference
    hs, cache = forward(kind, params, x, state0)
    grads = backward(kind, params, cache, g, dstate)

    # torch, stepped over time on copied weights
    cell = make_cell(kind, I, H, bias, flavour).double()
    with torch.no_grad():
        for name, p in cell.named_parameters():
            p.copy_(torch.from_numpy(params[name]))
    assert {n for n, _ in cell.named_parameters()} == set(params)
    xt = torch.from_numpy(x).requires_grad_()
    st = [torch.from_numpy(s).requires_grad_() for s in state0]
    state = tuple(st) if lstm else st[0]
    outs = []
    for t in range(T):
        state = cell(xt[t], state)
        outs.append(state[0] if lstm else state)
    hs_t = torch.stack(outs)
    final = state if lstm else (state,)
    loss = (hs_t * torch.from_numpy(g)).sum() + sum(
        (s * torch.from_numpy(d)).sum() for s, d in zip(final, dstate))
    loss.backward()

    np.testing.assert_allclose(hs, hs_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    for name, p in cell.named_parameters():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=f"{kind} {name}")
    np.testing.assert_allclose(grads["x"], xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["h0"], st[0].grad.numpy(), rtol=1e-9, atol=1e-12)
    if lstm:
        np.testing.assert_allclose(grads["c0"], st[1].grad.numpy(), rtol=1e-9, atol=1e-12)


def test_gru_forms_differ():
    """The two GRU forms are different functions of the same parameters."""
    rng = np.random.default_rng(0)
    p = init_params("gru", 3, 4, rng=rng)
    x = rng.normal(size=(5, 2, 3))
    h_after, _ = forward("gru", p, x)
    h_before, _ = forward("gru_reset_before", p, x)
    assert np.abs(h_after - h_before).max() > 1e-3


def test_bad_arguments_say_what_was_expected():
    rng = np.random.default_rng(0)
    p = init_params("lstm", 3, 4, rng=rng)
    with pytest.raises(ValueError, match=r"with T, B >= 1, got \(0, 2, 3\)"):
        forward("lstm", p, np.zeros((0, 2, 3)))
    hs, cache = forward("lstm", p, rng.normal(size=(5, 2, 3)))
    for bad in (np.ones((2, 4)), np.ones((5, 2, 5)), None):
        with pytest.raises(ValueError, match=r"dhs \(dL/dh_t at every step\) must have shape "
                                             r"\(T, B, H\) = \(5, 2, 4\)"):
            backward("lstm", p, cache, bad)
    with pytest.raises(ValueError, match="the cache is from a forward of 'lstm'"):
        backward("gru", init_params("gru", 3, 4, rng=rng), cache, np.ones((5, 2, 4)))
    for size in (0, -2, 2.5):
        with pytest.raises(ValueError, match="hidden_size must be a whole number >= 1"):
            init_params("rnn_tanh", 3, size)
    assert backward("lstm", p, cache, np.zeros_like(hs))["weight_hh"].shape == (16, 4)
