"""Windows as views: all series in one buffer, a window is (series, start).

The buffer holds every series' model-space rows one after another, (N, F) float32 with
columns ``[z, level, past covariates..., future covariates..., calendar...]``. A window of
series i starting at s covers buffer rows ``offset_i + s ... offset_i + s + lookback +
horizon - 1``. Nothing per window is stored: a batch draws window numbers k uniformly
from [0, total windows), finds their series with a binary search over the cumulative
counts, and gathers only its own rows. Memory is the series themselves plus O(series).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

import numpy as np
import torch


@dataclass
class WindowIndex:
    offsets: np.ndarray  # (S,) first buffer row of each series
    counts: np.ndarray  # (S,) windows of each series

    def __post_init__(self):
        self.cum = np.cumsum(self.counts)  # (S,)

    @classmethod
    def build(cls, offsets: np.ndarray, rows: np.ndarray, width: int,
              tail: int = 0) -> "WindowIndex":
        """Windows of ``width`` rows inside each series of ``rows`` rows, ending at least
        ``tail`` rows before the series' end (the validation tail)."""
        counts = np.maximum(rows - tail - width + 1, 0).astype(np.int64)
        return cls(np.asarray(offsets, dtype=np.int64), counts)

    @property
    def total(self) -> int:
        return int(self.cum[-1]) if len(self.cum) else 0

    def locate(self, k: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Window numbers k -> (series (B,), buffer row of the window's start (B,))."""
        k = np.asarray(k, dtype=np.int64)
        series = np.searchsorted(self.cum, k, side="right")  # (B,)
        before = np.where(series > 0, self.cum[np.maximum(series - 1, 0)], 0)
        return series, self.offsets[series] + (k - before)

    def sample(self, gen: np.random.Generator, batch: int) -> Tuple[np.ndarray, np.ndarray]:
        """``batch`` windows drawn uniformly (with replacement) from all windows."""
        return self.locate(gen.integers(0, self.total, size=batch))


def gather(buffer: torch.Tensor, start: np.ndarray, width: int) -> torch.Tensor:
    """(B, width, F): rows start[b] ... start[b] + width - 1 of the (N, F) buffer."""
    rows = torch.as_tensor(start, dtype=torch.long)[:, None] + torch.arange(width)  # (B, W)
    return buffer[rows]


def last_windows(offsets: np.ndarray, rows: np.ndarray, width: int) -> np.ndarray:
    """Buffer row where each series' last window of ``width`` rows starts (-1: too short)."""
    return np.where(rows >= width, offsets + rows - width, -1)
