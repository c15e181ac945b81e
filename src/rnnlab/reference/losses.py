"""Small losses and a linear read-out, each returning its value and its gradient.

Every function returns the gradient with respect to its input next to its value, so
that a training step reads: forward -> loss -> backward, with no autograd anywhere.
"""

from __future__ import annotations

from typing import Dict, Tuple

import numpy as np
from numpy.typing import DTypeLike

from ..io.errors import ConfigError


def mse_loss(pred: np.ndarray, target: np.ndarray) -> Tuple[float, np.ndarray]:
    """L = mean((pred - target)^2);  dL/dpred = 2 (pred - target) / N, N = pred.size.

    Refuses empty arrays (the mean of nothing is undefined) and inf/NaN entries (a NaN
    loss would go on to make every gradient NaN), with an error saying which.
    """
    pred, target = np.asarray(pred), np.asarray(target)
    if pred.shape != target.shape:
        raise ConfigError(f"mse_loss: pred {pred.shape} and target {target.shape} differ; "
                          f"pass arrays of the same shape")
    if pred.size == 0:
        raise ConfigError(f"mse_loss: pred and target are empty, shape {pred.shape}; the mean "
                          f"of no values is undefined: pass at least one value")
    for name, a in (("pred", pred), ("target", target)):
        if not np.isfinite(a).all():
            raise ConfigError(f"mse_loss: {name} has {int(np.isnan(a).sum())} NaN and "
                              f"{int(np.isinf(a).sum())} inf values of {a.size}; expected "
                              f"finite numbers: clean the data, or lower the learning rate if "
                              f"the model diverged")
    diff = pred - target
    return float(np.mean(diff ** 2)), 2.0 * diff / diff.size


def last_step_loss(hs: np.ndarray, v: np.ndarray) -> Tuple[float, np.ndarray]:
    """L = sum(v * h_T), a loss that reads only the last state.

    Its gradient dhs is zero at every step but the last, where it is v; any gradient
    reaching h_t for t < T has therefore travelled T - t steps back through the recurrence.
    """
    dhs = np.zeros_like(hs)
    dhs[-1] = v
    return float(np.sum(v * hs[-1])), dhs


def init_readout(hidden_size: int, output_size: int, rng: np.random.Generator,
                 dtype: DTypeLike = np.float64) -> Dict[str, np.ndarray]:
    """torch.nn.Linear's initialisation: weight, bias ~ U(-1/sqrt(H), 1/sqrt(H))."""
    k = 1.0 / np.sqrt(hidden_size)
    return {"weight": rng.uniform(-k, k, (output_size, hidden_size)).astype(dtype),
            "bias": rng.uniform(-k, k, (output_size,)).astype(dtype)}


def readout_forward(readout: Dict[str, np.ndarray], hs: np.ndarray) -> np.ndarray:
    """y_t = h_t W^T + b for every step: (T, B, H) -> (T, B, O)."""
    return hs @ readout["weight"].T + readout["bias"]


def readout_backward(readout: Dict[str, np.ndarray], hs: np.ndarray,
                     dy: np.ndarray) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """Gradients of y = h W^T + b: returns ({'weight': sum dy^T h, 'bias': sum dy}, dhs = dy W)."""
    o, h = readout["weight"].shape
    grads = {"weight": dy.reshape(-1, o).T @ hs.reshape(-1, h),
             "bias": dy.reshape(-1, o).sum(axis=0)}
    return grads, dy @ readout["weight"]
