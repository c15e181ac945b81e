"""``impl="auto"``'s table: which backend runs rnnlab's whole-sequence kernels, per device
(and hidden size, as measurements come), in order of preference, each rule with the
measurement that put it there. :mod:`.dispatch` reads it (:func:`.dispatch.auto_backend`)
and re-exports its names; a test that changes the table patches this module's ``AUTO``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from torch import Tensor


@dataclass(frozen=True)
class AutoRule:
    """``impl="auto"`` on this device type (and, when set, up to this hidden size) runs
    rnnlab's kernels on the first backend of ``backends`` that can run the input (Triton
    installed, dtype supported). Rules are read in order; the first that applies wins."""

    device: str
    backends: Tuple[str, ...]
    measured: str  # where the order comes from
    max_hidden: Optional[int] = None  # applies to cells of at most this hidden size

    def applies(self, cell, x: Tensor) -> bool:
        return x.device.type == self.device and (
            self.max_hidden is None or cell.hidden_size <= self.max_hidden)


AUTO: Tuple[AutoRule, ...] = (
    AutoRule("cuda", ("triton-split", "torch"),
             "H200, 2026-12-04 (../shared/gpu, BENCHMARKS.md): triton-split fastest eager path "
             "of the deep-transition family and gru-cho at C0, C1 and C3 (H 64 to 512), fp32 "
             "(dt-rnn d4 fwd+bwd: C1 12.9 ms vs 34.0 torch ops; C3 13.3 vs 108.3); C2 (H 768) "
             "not measured"),
    AutoRule("cpu", ("torch",),
             "2-core CPU, 2026-11-24 (BENCHMARKS.md): the Triton loops run on the CPU only "
             "in Triton's interpreter, for tests"),
)
DEFAULT_AUTO = ("torch",)  # where no rule applies


def auto_rule(cell, x: Tensor) -> Optional[AutoRule]:
    """The rule of :data:`AUTO` that decides for this cell on ``x``, or None."""
    return next((r for r in AUTO if r.applies(cell, x)), None)
