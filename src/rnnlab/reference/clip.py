"""Gradient clipping: by global norm (Pascanu, Mikolov & Bengio, 2013) and by value.

    n = sqrt(sum_k ||g_k||^2)           over the selected gradients
    g_k <- g_k * min(1, max_norm / (n + eps))                       (clip_grad_norm)
    g_k <- min(max(g_k, -c), c)          element-wise                (clip_grad_value)

Clipping by norm keeps the direction of the update; only its length is capped. This is
what ``torch.nn.utils.clip_grad_norm_`` does (same eps), so both give the same numbers.
Clipping by value caps each entry on its own, which can turn the direction.

Non-finite gradients (inf or NaN) are refused with an error naming the arrays that hold
them: scaling an inf by max_norm / inf gives NaN (0 * inf), which would reach the weights
silently. torch's ``clip_grad_norm_`` does the same with ``error_if_nonfinite=True``;
pass ``error_if_nonfinite=False`` to get torch's default (NaN gradients come back).
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Tuple

import numpy as np

from ..number_kinds import is_real
from ..io.errors import ConfigError

#: gradients with respect to data and initial state, not parameters: left out by default
NON_PARAMETER_KEYS = ("x", "h0", "c0")


def global_norm(grads: Dict[str, np.ndarray], keys: Optional[Iterable[str]] = None) -> float:
    """sqrt of the sum of squares of every selected gradient (all parameters by default)."""
    keys = _select(grads, keys)
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sqrt(sum(float(np.sum(np.square(grads[k]))) for k in keys)))
        big = max((float(np.max(np.abs(grads[k]), initial=0.0)) for k in keys), default=0.0)
        if np.isinf(total) and np.isfinite(big):  # finite entries whose squares overflow
            total = big * float(np.sqrt(sum(float(np.sum(np.square(grads[k] / big)))
                                            for k in keys)))
    return total


def clip_grad_norm(grads: Dict[str, np.ndarray], max_norm: float,
                   keys: Optional[Iterable[str]] = None, eps: float = 1e-6, *,
                   error_if_nonfinite: bool = True) -> Tuple[Dict[str, np.ndarray], float]:
    """Scale the selected gradients so that their global norm is at most ``max_norm``.

    Args:
        grads: name -> gradient array; not modified.
        max_norm: the cap, > 0 (``inf``: measure the norm, clip nothing).
        keys: which gradients count and get scaled; default every key except
            'x', 'h0', 'c0'. The others are copied through unchanged.
        eps: added to the norm before dividing, as torch does.
        error_if_nonfinite: raise ValueError when a selected gradient holds inf or NaN
            (default); with False the norm is inf/NaN and the scaled gradients NaN, as torch.

    Returns:
        (clipped, total_norm): a new dict, and the norm before clipping.
    """
    max_norm = _positive("clip_grad_norm", "max_norm", max_norm)
    keys = _select(grads, keys)
    total = global_norm(grads, keys)
    if error_if_nonfinite and not np.isfinite(total):
        _refuse_nonfinite("clip_grad_norm", grads, keys, f"the gradient norm is {total}")
    scale = min(1.0, max_norm / (total + eps))
    clipped = {k: (v * scale if k in keys else v.copy()) for k, v in grads.items()}
    return clipped, total


def clip_grad_value(grads: Dict[str, np.ndarray], clip_value: float,
                    keys: Optional[Iterable[str]] = None) -> Dict[str, np.ndarray]:
    """Clamp every entry of the selected gradients to [-clip_value, clip_value].

    As ``torch.nn.utils.clip_grad_value_``. An inf entry becomes +-clip_value (a clamp is
    defined there); a NaN entry has no value to clamp and is refused with a ValueError.
    ``keys`` and the copy-through of the others are as in :func:`clip_grad_norm`.
    """
    clip_value = _positive("clip_grad_value", "clip_value", clip_value)
    keys = _select(grads, keys, "clip_grad_value")
    if any(np.isnan(grads[k]).any() for k in keys):
        _refuse_nonfinite("clip_grad_value", grads, keys, "a gradient is NaN")
    return {k: (np.clip(v, -clip_value, clip_value) if k in keys else v.copy())
            for k, v in grads.items()}


def _positive(func: str, name: str, value) -> float:
    if not is_real(value) or not value > 0:
        raise ConfigError(f"{func}: {name} must be a number > 0, got {value!r}; "
                          f"e.g. {name}=1.0")
    return float(value)


def _refuse_nonfinite(func: str, grads, keys, what: str) -> None:
    bad = {k: (int(np.isnan(grads[k]).sum()), int(np.isinf(grads[k]).sum())) for k in keys}
    where = ", ".join(f"{k!r} ({n} NaN, {i} inf)" for k, (n, i) in bad.items() if n + i)
    hint = (", or pass error_if_nonfinite=False for torch's default (NaN gradients)"
            if func == "clip_grad_norm" else "")
    raise ConfigError(f"{func}: {what}: non-finite entries in {where}; the forward or backward "
                      f"pass overflowed (weights or learning rate too large, or NaN inputs): "
                      f"fix the cause{hint}")


def _select(grads, keys, func: str = "clip_grad_norm"):
    if keys is None:
        return [k for k in grads if k not in NON_PARAMETER_KEYS]
    keys = list(keys)
    missing = [k for k in keys if k not in grads]
    if missing:
        raise KeyError(f"{func}: no gradient named {missing}; the gradients are {sorted(grads)}")
    return keys
