"""The benchmark workloads (issue 6). Sizes are per direction; inputs are batch-first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional


@dataclass(frozen=True)
class BenchConfig:
    name: str  # key in CONFIGS
    T: int  # time steps
    B: int  # batch size
    I: int  # input features per step (embedding size when vocab is set)
    H: int  # hidden units per layer
    layers: int  # stacked layers (architectures with a higher minimum use theirs)
    vocab: Optional[int] = None  # char LM: embedding of this many symbols + softmax head
    note: str = ""  # where the workload comes from


CONFIGS: Dict[str, BenchConfig] = {c.name: c for c in [
    BenchConfig("C0", 16, 16, 64, 64, 2, note="PERF_NOTES' small size: per-call overhead shows"),
    BenchConfig("C1", 100, 64, 512, 512, 1, note="PyTorch fastrnns / TorchScript blog size"),
    BenchConfig("C1-256", 100, 64, 256, 256, 1, note="C1 at H=256: the CPU size of PERF_NOTES"),
    BenchConfig("C2", 1024, 16, 768, 768, 1, note="FlashRNN's size: long sequence, small batch"),
    BenchConfig("C3", 168, 32, 8, 128, 2, note="forecasting: a week of hourly data"),
    BenchConfig("C4", 100, 64, 128, 512, 2, vocab=70,
                note="char LM: embedding 128, 70 symbols, cross-entropy head"),
]}

QUICK_CONFIGS = ("C1-256", "C3")
