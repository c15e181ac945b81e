"""The affine maps of a recurrent layer, applied to a whole sequence at once.

Every cell here computes, at each step, pre-activations of the form

    A_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh          (row vectors, shapes (B, G*H))

(the GRU's candidate gate varies this; see ``gru.py``). Neither product depends on the
recurrence once the inputs x_1..x_T and the states h_0..h_{T-1} are known, so the
forward pass projects all inputs before the time loop, and the backward pass collects
the weight gradients after the time loop, in one contraction over time and batch:

    dL/dW = sum_t dA_t^T u_t,      dL/db = sum_t sum_batch dA_t,      dL/du_t = dA_t W

where u_t is x_t (input side) or h_{t-1} (recurrent side) and dA_t = dL/dA_t.
"""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

Params = Dict[str, np.ndarray]


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic function written as 0.5 (1 + tanh(a/2)): exact, and no overflow for large |a|."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def project(u: np.ndarray, weight: np.ndarray, bias: Optional[np.ndarray] = None) -> np.ndarray:
    """u W^T + b for any leading shape: (..., K) -> (..., G*H)."""
    out = u @ weight.T
    if bias is not None:
        out = out + bias
    return out


def project_backward(da: np.ndarray, u: np.ndarray, weight: np.ndarray):
    """Gradients of the map A = u W^T + b, summed over every leading axis (time, batch).

    Args:
        da: dL/dA, shape (..., G*H).
        u: the map's input, shape (..., K).
        weight: W, shape (G*H, K).

    Returns:
        (dW (G*H, K), db (G*H,), du (..., K)) with dW = sum dA^T u, db = sum dA, du = dA W.
    """
    g, k = weight.shape
    d_weight = da.reshape(-1, g).T @ u.reshape(-1, k)   # [eq:affine.dW]
    d_bias = da.reshape(-1, g).sum(axis=0)               # [eq:affine.db]
    d_u = da @ weight                                    # [eq:affine.du]
    return d_weight, d_bias, d_u


def input_projection(params: Params, x: np.ndarray) -> np.ndarray:
    """x_t W_ih^T + b_ih for all steps at once: (T, B, I) -> (T, B, G*H)."""
    return project(x, params["weight_ih"], params.get("bias_ih"))


def previous_states(h0: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """h_0 .. h_{T-1} stacked (T, B, H): the state each step reads."""
    return np.concatenate([h0[None], hs[:-1]], axis=0)


def collect_input_grads(params: Params, x: np.ndarray, dxp: np.ndarray, grads: dict) -> None:
    """Fill grads['weight_ih'], grads['bias_ih'] (if the layer has biases) and grads['x'].

    ``dxp`` is dL/d(x_t W_ih^T + b_ih) for every step, shape (T, B, G*H).
    """
    dw, db, dx = project_backward(dxp, x, params["weight_ih"])
    grads["weight_ih"] = dw
    if params.get("bias_ih") is not None:
        grads["bias_ih"] = db
    grads["x"] = dx


def collect_recurrent_grads(params: Params, h_prev: np.ndarray, dhp: np.ndarray,
                            grads: dict) -> None:
    """Fill grads['weight_hh'] and grads['bias_hh'] from dL/d(h_{t-1} W_hh^T + b_hh), (T, B, G*H).

    The gradient flowing back into h_{t-1} itself is computed inside the time loop (it is
    the recurrence); here only the parameter sums are taken.
    """
    g, k = params["weight_hh"].shape
    grads["weight_hh"] = dhp.reshape(-1, g).T @ h_prev.reshape(-1, k)  # [eq:affine.dW_hh]
    if params.get("bias_hh") is not None:
        grads["bias_hh"] = dhp.reshape(-1, g).sum(axis=0)
