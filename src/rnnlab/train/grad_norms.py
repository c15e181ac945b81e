"""Each training step's total gradient norm, gathered into three numbers per epoch.

A run's history records, for each epoch, the mean and the largest total gradient norm
(the 2-norm of every parameter's gradient together, taken *before* clipping) and the
number of steps whose gradient clipping changed: what a researcher reads to choose
``clip_norm``, or to see a run heading for divergence before its loss shows it.

It costs no second pass over the gradients where clipping is on: torch's
``clip_grad_norm_`` computes the total norm to clip by and returns it, and that tensor
is the one kept. Without clipping the norm is one ``get_total_norm`` pass over the
gradients (what ``clip_grad_norm_`` runs before it rescales), and nothing is rescaled.
The norms stay tensors on the device as the steps run (no host sync per step); they are
read once every :data:`FOLD` steps and at the epoch's end. The numbers change nothing
in the training: the same gradients, the same steps, the same weights.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import torch
from torch import Tensor, nn

FOLD = 1024  # steps whose norms are held as tensors before they are read and summed

# the fields each epoch's record gains (history.csv, metrics.csv, History.epochs)
NORM_FIELDS = ("grad_norm_mean", "grad_norm_max", "clipped_steps")


def total_norm(params: Sequence[Tensor]) -> Tensor:
    """The 2-norm of every gradient of ``params`` together (0 where none has one), as
    ``clip_grad_norm_`` computes it, without rescaling anything."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    get = getattr(nn.utils, "get_total_norm", None)  # (torch 2.6 on)
    if get is not None:
        return get(grads)
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))


def clip_or_measure(params: Sequence[Tensor], clip_norm: Optional[float]) -> Tensor:
    """The step's total gradient norm before clipping; the gradients clipped to
    ``clip_norm`` (None: left as they are). Clipping's own norm: no second pass."""
    if clip_norm is not None:
        return nn.utils.clip_grad_norm_(params, clip_norm)
    return total_norm(params)


class EpochNorms:
    """The gradient norms of the epoch's steps so far: :meth:`add` each step's (a tensor,
    left on its device), :meth:`record` the epoch's three numbers, :meth:`start` the next
    epoch (or, resuming mid-epoch, with the totals a checkpoint kept of its steps so far).

    ``clip``: the run's ``clip_norm``; a step counts as clipped where torch's rescaling
    factor ``clip / (norm + 1e-6)`` is below 1 (elsewhere it multiplies by exactly 1).
    A step whose norm is inf or NaN (under fp16 loss scaling, a step the scaler skips)
    is left out of all three."""

    def __init__(self, clip: Optional[float]):
        self.clip = clip
        self.start()

    def start(self, kept: Optional[Sequence[Any]] = None, known: bool = True) -> None:
        """A new epoch; ``kept``: ``totals()`` of its steps before a resume. ``known``
        False: resumed mid-epoch from a checkpoint that kept none (an earlier rnnlab's):
        the epoch's numbers are None, not those of its later steps as if they were all."""
        s, m, n, c = kept if kept is not None else (0.0, 0.0, 0, 0)
        self._sum, self._max, self._count, self._clipped = float(s), float(m), int(n), int(c)
        self._held: List[Tensor] = []
        self._known = known

    def add(self, norm: Tensor) -> None:
        """One step's total norm (what :func:`clip_or_measure` returned)."""
        self._held.append(norm.detach().reshape(()))
        if len(self._held) >= FOLD:
            self._fold()

    def totals(self) -> Optional[List[Any]]:
        """``[sum, max, count, clipped]`` of the epoch's finite norms so far (a
        checkpoint's ``epoch_grad_norms``); None where the epoch's first steps are not
        known (``start(known=False)``: a later checkpoint of the epoch says so too)."""
        self._fold()
        return [self._sum, self._max, self._count, self._clipped] if self._known else None

    def record(self) -> Dict[str, Any]:
        """The epoch's fields: ``grad_norm_mean`` and ``grad_norm_max`` (None: no step
        with a finite norm), ``clipped_steps`` (None: the run does not clip); all three
        None where the epoch's first steps are not known."""
        t = self.totals()
        if t is None:
            return dict.fromkeys(NORM_FIELDS)
        s, m, n, c = t
        return {"grad_norm_mean": s / n if n else None, "grad_norm_max": m if n else None,
                "clipped_steps": c if self.clip is not None else None}

    def _fold(self) -> None:
        if not self._held:
            return
        norms = torch.stack(self._held)  # (FOLD,) on the device, in the gradients' dtype
        self._held = []
        ok = norms[torch.isfinite(norms)]
        if ok.numel() == 0:
            return
        clipped = (self.clip / (ok + 1e-6) < 1.0).sum() if self.clip is not None else ok.new_zeros(())
        s, m, c = torch.stack([ok.double().sum(), ok.double().max(),
                               clipped.double()]).tolist()  # (the one read from the device)
        self._sum += s
        self._max = max(self._max, m)
        self._count += ok.numel()
        self._clipped += int(c)


__all__ = ["EpochNorms", "clip_or_measure", "total_norm", "NORM_FIELDS", "FOLD"]
