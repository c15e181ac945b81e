"""The deep-RNN article's DJI data and models, set up as its code set them up.

The article read ^DJI from stooq with a data reader that returns the rows newest first
(its printed frame starts at 2023-02-10 and ends at 2018-02-13) and used the Close column
in that order, so everything downstream runs on reversed time. The shipped snapshot is
oldest first; :func:`article_close` gives it back in the article's order.

Windows (seq-to-seq, labels shifted by one step in the frame's order):

    X[i, j] = x[i + j],  Y[i, j] = x[i + j + 1],  i < n - 16,  j < 16

with x the Close z-scored over the whole series (torch's unbiased standard deviation).
Shapes: X (n - 16, 16, 1), Y (n - 16, 16); n = 1258 gives 1242 windows.

Models: input 1, hidden 64, 2 layers, batch-first torch recurrent layers, and a linear
head applied at every step (output (B, 16, 1)). The vanilla ones start from an explicit
zero state, the gated ones from torch's default zero state: the same thing.
"""

from __future__ import annotations

from typing import Tuple

import numpy as np
import torch
from torch import nn

from ...data.datasets import dji
from ...io.errors import ConfigError, DataError

SEQ_LEN = 16
BATCH = 16
HIDDEN = 64
LAYERS = 2
LR = 1e-3
EPOCHS = 20
MODEL_NAMES = ("DRNN", "BRNN", "LSTM", "GRU")
# what the article's code set (its "定义超参数" block of section 5.2, repeated in 5.3), as
# the run records it in config.json
SETTINGS = {"window": SEQ_LEN, "batch_size": BATCH, "input_size": 1, "hidden_size": HIDDEN,
            "num_layers": LAYERS, "optimizer": "Adam", "lr": LR, "epochs": EPOCHS,
            "loss": "sum of per-element squared errors", "scaling": "z-score, whole series",
            "order": "newest first"}


def article_close(newest_first: bool = True) -> Tuple[np.ndarray, list]:
    """(closes, ISO dates) of the shipped snapshot, newest first as the article's frame."""
    s = dji()
    if s.index is None:  # (the shipped file has a Date column: read without it)
        raise DataError("the shipped DJI snapshot was read without its dates: expected "
                        "its Date column; reinstall rnnlab (rnnlab/data/builtin)")
    values = np.asarray(s.values, dtype=np.float64)
    dates = [d.date().isoformat() for d in s.index]
    if newest_first:
        return values[::-1].copy(), dates[::-1]
    return values, dates


def zscore(values) -> torch.Tensor:
    """The article's scaling: mean and (unbiased) std of the whole series, float32."""
    x = torch.tensor(np.asarray(values), dtype=torch.float32)
    return (x - x.mean()) / x.std()


def windows(x: torch.Tensor, seq_len: int = SEQ_LEN) -> Tuple[torch.Tensor, torch.Tensor]:
    """X (n - L, L, 1) and Y (n - L, L): every window and the same window one step on."""
    n = len(x)
    idx = torch.arange(n - seq_len)[:, None] + torch.arange(seq_len)[None, :]  # (n-L, L)
    return x[idx].unsqueeze(2), x[idx + 1]


class ArticleNet(nn.Module):
    """One of the article's four models: a torch recurrent stack and a per-step linear head."""

    LAYER = {"DRNN": (nn.RNN, False), "BRNN": (nn.RNN, True), "LSTM": (nn.LSTM, False),
             "GRU": (nn.GRU, False)}

    def __init__(self, kind: str, input_size: int = 1, output_size: int = 1,
                 hidden: int = HIDDEN, layers: int = LAYERS):
        super().__init__()
        if kind not in self.LAYER:
            raise ConfigError(f"ArticleNet kind must be one of {list(self.LAYER)}, got {kind!r}")
        layer, bidirectional = self.LAYER[kind]
        self.kind = kind
        self.rnn = layer(input_size, hidden, layers, batch_first=True, bidirectional=bidirectional)
        self.linear = nn.Linear(hidden * (2 if bidirectional else 1), output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x (B, L, 1) -> (B, L, 1)
        out, _ = self.rnn(x)
        return self.linear(out)


def train_loader(X: torch.Tensor, Y: torch.Tensor, seed: int,
                 batch_size: int = BATCH) -> torch.utils.data.DataLoader:
    """The article's loader: batches of 16 windows, reshuffled every pass (seeded here)."""
    g = torch.Generator().manual_seed(seed)
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y),
                                       batch_size=batch_size, shuffle=True, generator=g)


def snapshot(model: nn.Module) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def max_change(model: nn.Module, before: dict) -> float:
    """Largest absolute change of any weight since ``before``."""
    return max(float((v - before[k]).abs().max()) for k, v in model.state_dict().items())
