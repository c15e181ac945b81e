"""Which implementation a model's recurrent layers run on (names kept for callers):
:mod:`rnnlab.nn.dispatch` decides; this module re-exports what training, the bench and
the configs use.

``"torch"`` (a plain ``torch.nn`` RNN), ``"fused"`` (torch's kernel behind rnnlab's
modules), ``"fast-torch"`` / ``"fast-triton"`` / ``"fast-triton-split"`` /
``"fast-triton-resident"`` (rnnlab's own whole-sequence kernels) or ``"reference"``
(the step loop); several joined by ``+`` when the layers differ. The bench prints it per row and training records it in the
history, so every result says what produced it.
"""

from __future__ import annotations

from .dispatch import IMPLS, describe_path, path_of, set_impl  # IMPLS: what --impl takes

__all__ = ["IMPLS", "describe_path", "path_of", "set_impl"]
