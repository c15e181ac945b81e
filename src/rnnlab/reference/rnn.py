r"""Vanilla (Elman) RNN over a sequence: forward pass and hand-derived backpropagation through time.

Forward, for t = 1..T (row vectors, x_t (B, I), h_t (B, H)):

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    h_t = phi(a_t),            phi = tanh or relu

Backward. Write dh_t for the *total* derivative dL/dh_t. The loss reads h_t directly
(``dhs[t]``, zero where it does not) and through h_{t+1}, which depends on h_t via a_{t+1}:

    dh_t  = dhs[t] + da_{t+1} W_hh                      (da_{T+1} W_hh := dh_T argument, or 0)
    da_t  = dh_t * phi'(a_t)          phi' = 1 - h_t^2 (tanh),  [h_t > 0] (relu)
    dW_hh = sum_t da_t^T h_{t-1},   dW_ih = sum_t da_t^T x_t,   db_ih = db_hh = sum_t da_t
    dx_t  = da_t W_ih,              dh_0 = da_1 W_hh

Unrolling the carry: dh_{t-k} contains prod_{j} (diag(phi'(a_j)) W_hh), a product of k
Jacobians whose norm shrinks or grows geometrically with k: the vanishing/exploding gradient.

Parameters use torch's names and shapes: weight_ih (H, I), weight_hh (H, H), bias_ih (H,),
bias_hh (H,); the biases may be absent (bias=False).
"""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

from .affine import (Params, collect_input_grads, collect_recurrent_grads, input_projection,
                     previous_states)
from ..io.errors import ConfigError

NONLINEARITIES = ("tanh", "relu")


def forward(params: Params, x: np.ndarray, h0: np.ndarray, nonlinearity: str = "tanh"):
    """Run the RNN over x (T, B, I) from h0 (B, H).

    Returns:
        (hs, cache): hs (T, B, H) holds h_1..h_T; cache is what :func:`backward` needs.
    """
    if nonlinearity not in NONLINEARITIES:
        raise ConfigError(f"rnn: nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")
    w_hh, b_hh = params["weight_hh"], params.get("bias_hh")
    xp = input_projection(params, x)                      # (T, B, H), hoisted out of the loop
    hs = np.empty(xp.shape, dtype=xp.dtype)
    h = h0
    for t in range(x.shape[0]):
        a = xp[t] + h @ w_hh.T                            # [eq:rnn.a]
        if b_hh is not None:
            a = a + b_hh
        h = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)   # [eq:rnn.h]
        hs[t] = h
    cache = {"x": x, "h0": h0, "hs": hs, "nonlinearity": nonlinearity, "state_T": (h,)}
    return hs, cache


def backward(params: Params, cache: dict, dhs: np.ndarray, dh_T: Optional[np.ndarray] = None,
             *, return_state_grads: bool = False):
    """Backpropagation through time.

    Args:
        params: the parameters given to :func:`forward`.
        cache: the cache returned by :func:`forward`.
        dhs: dL/dh_t as the loss reads each output directly, (T, B, H); zeros where it does not.
        dh_T: extra gradient on the final state h_T (e.g. from a later truncated chunk).
        return_state_grads: also return {'h': (T, B, H)} with the total dL/dh_t, t = 1..T.

    Returns:
        grads: dict with 'weight_ih', 'weight_hh', ('bias_ih', 'bias_hh'), 'x' (T, B, I),
        'h0' (B, H); and, when asked, the state gradients as a second value.
    """
    x, h0, hs = cache["x"], cache["h0"], cache["hs"]
    w_hh = params["weight_hh"]
    relu = cache["nonlinearity"] == "relu"
    da_all = np.empty_like(hs)                            # dL/da_t for every step
    dh_all = np.empty_like(hs) if return_state_grads else None
    carry = np.zeros_like(h0) if dh_T is None else np.array(dh_T, dtype=hs.dtype)
    for t in reversed(range(x.shape[0])):
        dh = dhs[t] + carry                               # [eq:rnn.dh]
        if dh_all is not None:
            dh_all[t] = dh
        da = dh * (hs[t] > 0) if relu else dh * (1.0 - hs[t] ** 2)         # [eq:rnn.da]
        da_all[t] = da
        carry = da @ w_hh                                 # [eq:rnn.dh_prev]
    grads: Dict[str, np.ndarray] = {}
    collect_input_grads(params, x, da_all, grads)
    collect_recurrent_grads(params, previous_states(h0, hs), da_all, grads)
    grads["h0"] = carry
    if return_state_grads:
        return grads, {"h": dh_all}
    return grads
