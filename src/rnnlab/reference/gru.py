r"""GRU over a sequence: forward pass and hand-derived backpropagation through time.

Gates in torch's order r, z, n: weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H,),
bias_hh (3H,). With x_r, x_z, x_n the three chunks of x_t W_ih^T + b_ih and
W_hr, W_hz, W_hn (b_hr, ...) the chunks of weight_hh (bias_hh):

    r_t = sigmoid(x_r + h_{t-1} W_hr^T + b_hr)
    z_t = sigmoid(x_z + h_{t-1} W_hz^T + b_hz)
    n_t = tanh(x_n + r_t * (h_{t-1} W_hn^T + b_hn))        reset_after=True  (torch, cuDNN)
    n_t = tanh(x_n + (r_t * h_{t-1}) W_hn^T + b_hn)        reset_after=False (Cho et al. 2014)
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t

Backward, with dh_t the total dL/dh_t (direct part dhs[t] plus what h_{t+1} carries back),
and q_t = h_{t-1} W_hn^T + b_hn (reset_after=True), s_t = r_t * h_{t-1} (reset_after=False):

    dz_t   = dh_t * (h_{t-1} - n_t)            dn_t = dh_t * (1 - z_t)
    dan_t  = dn_t * (1 - n_t^2)                                      (pre-activation of n)
    reset_after=True:   dr_t = dan_t * q_t,          dq_t = dan_t * r_t
    reset_after=False:  ds_t = dan_t W_hn,           dr_t = ds_t * h_{t-1}
    dar_t  = dr_t * r_t (1 - r_t)              daz_t = dz_t * z_t (1 - z_t)
    dh_{t-1} carried = dh_t * z_t + [dar_t, daz_t, dq_t] W_hh                    (after)
                     = dh_t * z_t + ds_t * r_t + [dar_t, daz_t] [W_hr; W_hz]     (before)

The term dh_t * z_t is the GRU's gated shortcut: when z is near 1 the gradient passes
unchanged. Weight gradients are sums over time taken after the loop (``affine.py``).
"""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

from .affine import (Params, collect_input_grads, collect_recurrent_grads, input_projection,
                     previous_states, project, project_backward, sigmoid)


def forward(params: Params, x: np.ndarray, h0: np.ndarray, reset_after: bool = True):
    """Run the GRU over x (T, B, I) from h0 (B, H).

    Returns:
        (hs, cache): hs (T, B, H) holds h_1..h_T; cache is what :func:`backward` needs.
    """
    H = h0.shape[-1]
    w_hh, b_hh = params["weight_hh"], params.get("bias_hh")
    xp = input_projection(params, x)                      # (T, B, 3H): [x_r, x_z, x_n]
    T = x.shape[0]
    hs = np.empty((T,) + h0.shape, dtype=xp.dtype)
    r_all, z_all, n_all, q_all = (np.empty_like(hs) for _ in range(4))
    h = h0
    for t in range(T):
        x_r, x_z, x_n = np.split(xp[t], 3, axis=-1)
        if reset_after:
            hp = project(h, w_hh, b_hh)                   # h W_hh^T + b_hh, all three gates
            h_r, h_z, q = hp[:, :H], hp[:, H:2 * H], hp[:, 2 * H:]
            r = sigmoid(x_r + h_r)                        # [eq:gru.r]
            z = sigmoid(x_z + h_z)                        # [eq:gru.z]
            n = np.tanh(x_n + r * q)                      # [eq:gru.n_after]
            q_all[t] = q
        else:
            hp = project(h, w_hh[:2 * H], None if b_hh is None else b_hh[:2 * H])
            r = sigmoid(x_r + hp[:, :H])
            z = sigmoid(x_z + hp[:, H:])
            b_n = None if b_hh is None else b_hh[2 * H:]
            n = np.tanh(x_n + project(r * h, w_hh[2 * H:], b_n))   # [eq:gru.n_before]
        h = z * h + (1.0 - z) * n                         # [eq:gru.h]
        hs[t], r_all[t], z_all[t], n_all[t] = h, r, z, n
    cache = {"x": x, "h0": h0, "hs": hs, "r": r_all, "z": z_all, "n": n_all,
             "q": q_all if reset_after else None, "reset_after": reset_after, "state_T": (h,)}
    return hs, cache


def backward(params: Params, cache: dict, dhs: np.ndarray, dh_T: Optional[np.ndarray] = None,
             *, return_state_grads: bool = False):
    """Backpropagation through time for the GRU.

    Args:
        params: the parameters given to :func:`forward`.
        cache: the cache returned by :func:`forward`.
        dhs: dL/dh_t as the loss reads each output directly, (T, B, H).
        dh_T: extra gradient on the final state h_T.
        return_state_grads: also return {'h': (T, B, H)} with the total dL/dh_t, t = 1..T.

    Returns:
        grads: 'weight_ih', 'weight_hh', ('bias_ih', 'bias_hh'), 'x' (T, B, I), 'h0' (B, H);
        and, when asked, the state gradients as a second value.
    """
    x, h0, hs = cache["x"], cache["h0"], cache["hs"]
    r_all, z_all, n_all, q_all = cache["r"], cache["z"], cache["n"], cache["q"]
    reset_after = cache["reset_after"]
    H = h0.shape[-1]
    w_hh = params["weight_hh"]
    w_rz, w_n = w_hh[:2 * H], w_hh[2 * H:]
    h_prev_all = previous_states(h0, hs)
    T = x.shape[0]
    dxp = np.empty(hs.shape[:-1] + (3 * H,), dtype=hs.dtype)   # dL/d(x W_ih^T + b_ih)
    dhp = np.empty_like(dxp)                                   # dL/d(h W_hh^T + b_hh), after
    dan_all = np.empty_like(hs)                                # dL/d(n pre-activation)
    dh_all = np.empty_like(hs) if return_state_grads else None
    carry = np.zeros_like(h0) if dh_T is None else np.array(dh_T, dtype=hs.dtype)
    for t in reversed(range(T)):
        h_prev, r, z, n = h_prev_all[t], r_all[t], z_all[t], n_all[t]
        dh = dhs[t] + carry                               # [eq:gru.dh]
        if dh_all is not None:
            dh_all[t] = dh
        dz = dh * (h_prev - n)                            # [eq:gru.dz]
        dn = dh * (1.0 - z)                               # [eq:gru.dn]
        dan = dn * (1.0 - n ** 2)                         # [eq:gru.dan]
        if reset_after:
            dr = dan * q_all[t]                           # [eq:gru.dr_after]
        else:
            ds = dan @ w_n                                # [eq:gru.ds_before]
            dr = ds * h_prev                              # [eq:gru.dr_before]
        dar = dr * r * (1.0 - r)                          # [eq:gru.dar]
        daz = dz * z * (1.0 - z)                          # [eq:gru.daz]
        dxp[t, :, :H], dxp[t, :, H:2 * H], dxp[t, :, 2 * H:] = dar, daz, dan
        if reset_after:
            dhp[t, :, :2 * H] = dxp[t, :, :2 * H]
            dhp[t, :, 2 * H:] = dan * r                   # [eq:gru.dq_after]
            carry = dh * z + dhp[t] @ w_hh                # [eq:gru.dh_prev_after]
        else:
            carry = dh * z + ds * r + dxp[t, :, :2 * H] @ w_rz   # [eq:gru.dh_prev_before]
        dan_all[t] = dan
    grads: Dict[str, np.ndarray] = {}
    collect_input_grads(params, x, dxp, grads)
    if reset_after:
        collect_recurrent_grads(params, h_prev_all, dhp, grads)
    else:
        # r, z read h_{t-1}; the candidate reads s_t = r_t * h_{t-1}
        dw_rz, db_rz, _ = project_backward(dxp[..., :2 * H], h_prev_all, w_rz)
        dw_n, db_n, _ = project_backward(dan_all, r_all * h_prev_all, w_n)  # [eq:gru.dW_hn]
        grads["weight_hh"] = np.concatenate([dw_rz, dw_n], axis=0)
        if params.get("bias_hh") is not None:
            grads["bias_hh"] = np.concatenate([db_rz, db_n], axis=0)
    grads["h0"] = carry
    if return_state_grads:
        return grads, {"h": dh_all}
    return grads
