"""Checking hand-derived gradients against central finite differences.

For a scalar function L of an array p, each entry is perturbed both ways:

    dL/dp_j ~ (L(p + eps e_j) - L(p - eps e_j)) / (2 eps)

whose error is O(eps^2) from the Taylor remainder plus O(u / eps) from rounding
(u ~ 1e-16 in float64). With eps = 1e-6 both are far below the 1e-6 relative
tolerance used in the tests. Work in float64: in float32 u / eps alone is ~0.1.
"""

from __future__ import annotations

from typing import Callable, Dict, Optional

import numpy as np

from .kinds import KINDS, backward, forward, init_params, num_state_tensors
from ..io.errors import ConfigError


def numerical_gradient(f: Callable[[], float], p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to every entry of ``p``.

    ``p`` is perturbed in place (and restored), so ``f`` must read it. It must be a
    writeable floating-point array; any memory layout works (a transposed view too).
    """
    if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
        got = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
        raise ConfigError(f"numerical_gradient: p must be a floating-point NumPy array that f "
                          f"reads, got {got}; a perturbation of {eps} would be rounded away "
                          f"(pass p.astype(np.float64) and let f read that array)")
    if not p.flags.writeable:
        raise ConfigError("numerical_gradient: p is read-only, so it cannot be perturbed; "
                          "pass a writeable array (p.copy()) that f reads")
    grad = np.zeros(p.shape, dtype=np.float64)
    for j in np.ndindex(p.shape):   # index p itself: a reshape of a strided view is a copy
        old = p[j]
        p[j] = old + eps
        up = f()
        p[j] = old - eps
        down = f()
        p[j] = old
        grad[j] = (up - down) / (2.0 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / max(||a||, ||b||), 0 when both are 0 (norms over all entries)."""
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a - b)) / scale


def make_problem(kind: str, *, input_size: int = 3, hidden_size: int = 4, batch: int = 2,
                 seq_len: int = 5, bias: bool = True, seed: int = 0):
    """A random float64 problem whose loss reads every output and the final state.

        L = sum_t sum(G_t * h_t) + sum(u * h_T) [+ sum(w * c_T)]

    Returns (params, inputs, loss_fn, analytic) where ``inputs`` holds 'x', 'h0' ('c0'),
    ``loss_fn()`` evaluates L from the current arrays, and ``analytic()`` returns the
    gradients from the hand-written backward pass.
    """
    rng = np.random.default_rng(seed)
    params = init_params(kind, input_size, hidden_size, bias=bias, rng=rng)
    # scale weights up from torch's init so the nonlinearities leave their linear range
    for name in params:
        params[name] *= 2.0
    inputs = {"x": rng.normal(size=(seq_len, batch, input_size))}
    names = ("h0", "c0")[:num_state_tensors(kind)]
    for name in names:
        inputs[name] = rng.normal(scale=0.5, size=(batch, hidden_size))
    g = rng.normal(size=(seq_len, batch, hidden_size))
    dstate = tuple(rng.normal(size=(batch, hidden_size)) for _ in names)

    def loss_fn() -> float:
        hs, cache = forward(kind, params, inputs["x"], tuple(inputs[n] for n in names))
        return float(np.sum(g * hs) + sum(np.sum(d * s) for d, s in zip(dstate, cache["state_T"])))

    def analytic() -> Dict[str, np.ndarray]:
        _, cache = forward(kind, params, inputs["x"], tuple(inputs[n] for n in names))
        return backward(kind, params, cache, g, dstate)

    return params, inputs, loss_fn, analytic


def check_gradients(kind: str, *, eps: float = 1e-6, seed: int = 0, bias: bool = True,
                    **sizes: int) -> Dict[str, float]:
    """Relative error between analytic and finite-difference gradients, per array.

    Covers every parameter, the inputs 'x' and the initial state 'h0' ('c0').
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    params, inputs, loss_fn, analytic = make_problem(kind, seed=seed, bias=bias, **sizes)
    grads = analytic()
    errors = {}
    for store in (params, inputs):
        for name, arr in store.items():
            errors[name] = relative_error(grads[name], numerical_gradient(loss_fn, arr, eps))
    extra = set(grads) - set(errors)
    if extra:
        raise AssertionError(f"backward returned gradients for unknown arrays: {sorted(extra)}")
    return errors


def max_error(errors: Dict[str, float], names: Optional[list] = None) -> float:
    return max(errors[k] for k in (names or errors))
