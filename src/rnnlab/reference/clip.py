"""Gradient clipping by global norm (Pascanu, Mikolov & Bengio, 2013).

    n = sqrt(sum_k ||g_k||^2)           over the selected gradients
    g_k <- g_k * min(1, max_norm / (n + eps))

The direction of the update is kept; only its length is capped. This is what
``torch.nn.utils.clip_grad_norm_`` does (same eps), so both give the same numbers.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Tuple

import numpy as np

#: gradients with respect to data and initial state, not parameters: left out by default
NON_PARAMETER_KEYS = ("x", "h0", "c0")


def global_norm(grads: Dict[str, np.ndarray], keys: Optional[Iterable[str]] = None) -> float:
    """sqrt of the sum of squares of every selected gradient (all parameters by default)."""
    keys = _select(grads, keys)
    return float(np.sqrt(sum(float(np.sum(np.square(grads[k]))) for k in keys)))


def clip_grad_norm(grads: Dict[str, np.ndarray], max_norm: float,
                   keys: Optional[Iterable[str]] = None,
                   eps: float = 1e-6) -> Tuple[Dict[str, np.ndarray], float]:
    """Scale the selected gradients so that their global norm is at most ``max_norm``.

    Args:
        grads: name -> gradient array; not modified.
        max_norm: the cap, > 0.
        keys: which gradients count and get scaled; default every key except
            'x', 'h0', 'c0'. The others are copied through unchanged.
        eps: added to the norm before dividing, as torch does.

    Returns:
        (clipped, total_norm): a new dict, and the norm before clipping.
    """
    if not max_norm > 0:
        raise ValueError(f"clip_grad_norm: max_norm must be > 0, got {max_norm!r}")
    keys = _select(grads, keys)
    total = global_norm(grads, keys)
    scale = min(1.0, max_norm / (total + eps))
    clipped = {k: (v * scale if k in keys else v.copy()) for k, v in grads.items()}
    return clipped, total


def _select(grads, keys):
    if keys is None:
        return [k for k in grads if k not in NON_PARAMETER_KEYS]
    keys = list(keys)
    missing = [k for k in keys if k not in grads]
    if missing:
        raise KeyError(f"clip_grad_norm: no gradient named {missing}")
    return keys
