r"""LSTM over a sequence: forward pass and hand-derived backpropagation through time.

Gates in torch's order i, f, g, o (g is the candidate cell, written c~ in the articles):
weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,).

    A_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh = [a_i, a_f, a_g, a_o]
    i_t = sigmoid(a_i)   f_t = sigmoid(a_f)   g_t = tanh(a_g)   o_t = sigmoid(a_o)
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)

Backward. dh_t and dc_t are the total derivatives dL/dh_t and dL/dc_t; the loss reads
h_t directly (dhs[t]) and both states through step t+1:

    dh_t      = dhs[t] + dA_{t+1} W_hh
    do_t      = dh_t * tanh(c_t)
    dc_t      = dc_{t+1} * f_{t+1}  +  dh_t * o_t * (1 - tanh^2(c_t))
    df_t      = dc_t * c_{t-1}       di_t = dc_t * g_t       dg_t = dc_t * i_t
    dc_{t-1} gets dc_t * f_t;         dh_{t-1} gets dA_t W_hh, with
    dA_t      = [di_t i_t(1-i_t), df_t f_t(1-f_t), dg_t (1-g_t^2), do_t o_t(1-o_t)]

The cell path dc_{t-1} = dc_t * f_t has no weight matrix and no squashing derivative:
with f near 1 the gradient travels far back (the constant error carousel).
"""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

from .affine import (Params, collect_input_grads, collect_recurrent_grads, input_projection,
                     previous_states, sigmoid)


def forward(params: Params, x: np.ndarray, h0: np.ndarray, c0: np.ndarray):
    """Run the LSTM over x (T, B, I) from (h0, c0), each (B, H).

    Returns:
        (hs, cache): hs (T, B, H) holds h_1..h_T; cache is what :func:`backward` needs
        (it also holds the cell states under 'cs' and the final state (h_T, c_T) under 'state_T').
    """
    H = h0.shape[-1]
    w_hh, b_hh = params["weight_hh"], params.get("bias_hh")
    xp = input_projection(params, x)                      # (T, B, 4H), hoisted out of the loop
    T = x.shape[0]
    hs = np.empty((T,) + h0.shape, dtype=xp.dtype)
    cs, tanh_cs = np.empty_like(hs), np.empty_like(hs)
    acts = np.empty_like(xp)                              # [i, f, g, o] after their squashing
    h, c = h0, c0
    for t in range(T):
        a = xp[t] + h @ w_hh.T                            # [eq:lstm.A]
        if b_hh is not None:
            a = a + b_hh
        i = sigmoid(a[:, :H])                             # [eq:lstm.i]
        f = sigmoid(a[:, H:2 * H])                        # [eq:lstm.f]
        g = np.tanh(a[:, 2 * H:3 * H])                    # [eq:lstm.g]
        o = sigmoid(a[:, 3 * H:])                         # [eq:lstm.o]
        c = f * c + i * g                                 # [eq:lstm.c]
        tc = np.tanh(c)
        h = o * tc                                        # [eq:lstm.h]
        hs[t], cs[t], tanh_cs[t] = h, c, tc
        acts[t] = np.concatenate([i, f, g, o], axis=-1)
    cache = {"x": x, "h0": h0, "c0": c0, "hs": hs, "cs": cs, "tanh_cs": tanh_cs, "acts": acts,
             "state_T": (h, c)}
    return hs, cache


def backward(params: Params, cache: dict, dhs: np.ndarray, dh_T: Optional[np.ndarray] = None,
             dc_T: Optional[np.ndarray] = None, *, return_state_grads: bool = False):
    """Backpropagation through time for the LSTM.

    Args:
        params: the parameters given to :func:`forward`.
        cache: the cache returned by :func:`forward`.
        dhs: dL/dh_t as the loss reads each output directly, (T, B, H).
        dh_T, dc_T: extra gradients on the final state (h_T, c_T).
        return_state_grads: also return {'h': dL/dh_t, 'c': dL/dc_t}, each (T, B, H), t = 1..T.

    Returns:
        grads: 'weight_ih', 'weight_hh', ('bias_ih', 'bias_hh'), 'x' (T, B, I), 'h0', 'c0'
        (B, H); and, when asked, the state gradients as a second value.
    """
    x, h0, c0, hs, cs = cache["x"], cache["h0"], cache["c0"], cache["hs"], cache["cs"]
    tanh_cs, acts = cache["tanh_cs"], cache["acts"]
    H = h0.shape[-1]
    w_hh = params["weight_hh"]
    T = x.shape[0]
    dA = np.empty_like(acts)                              # dL/dA_t, pre-activations of all gates
    dh_all = np.empty_like(hs) if return_state_grads else None
    dc_all = np.empty_like(hs) if return_state_grads else None
    dh_next = np.zeros_like(h0) if dh_T is None else np.array(dh_T, dtype=hs.dtype)
    dc_next = np.zeros_like(c0) if dc_T is None else np.array(dc_T, dtype=hs.dtype)
    for t in reversed(range(T)):
        i, f, g, o = (acts[t, :, k * H:(k + 1) * H] for k in range(4))
        c_prev = cs[t - 1] if t > 0 else c0
        tc = tanh_cs[t]
        dh = dhs[t] + dh_next                             # [eq:lstm.dh]
        do = dh * tc                                      # [eq:lstm.do]
        dc = dc_next + dh * o * (1.0 - tc ** 2)           # [eq:lstm.dc]
        df = dc * c_prev                                  # [eq:lstm.df]
        di = dc * g                                       # [eq:lstm.di]
        dg = dc * i                                       # [eq:lstm.dg]
        if dh_all is not None and dc_all is not None:  # (both made, or neither)
            dh_all[t], dc_all[t] = dh, dc
        dA[t, :, :H] = di * i * (1.0 - i)                 # [eq:lstm.dai]
        dA[t, :, H:2 * H] = df * f * (1.0 - f)            # [eq:lstm.daf]
        dA[t, :, 2 * H:3 * H] = dg * (1.0 - g ** 2)       # [eq:lstm.dag]
        dA[t, :, 3 * H:] = do * o * (1.0 - o)             # [eq:lstm.dao]
        dc_next = dc * f                                  # [eq:lstm.dc_prev]
        dh_next = dA[t] @ w_hh                            # [eq:lstm.dh_prev]
    grads: Dict[str, np.ndarray] = {}
    collect_input_grads(params, x, dA, grads)
    collect_recurrent_grads(params, previous_states(h0, hs), dA, grads)
    grads["h0"], grads["c0"] = dh_next, dc_next
    if return_state_grads:
        return grads, {"h": dh_all, "c": dc_all}
    return grads
