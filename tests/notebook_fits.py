"""The small fits the notebook tests (test_notebook19, test_process_state21) run: one of
each kind (Forecaster, GlobalForecaster, CharLM, train.fit), on data made here."""

import random

import numpy as np
import pandas as pd
import torch

TINY_F = dict(hidden_size=3, epochs=2, ensemble=1, progress=False, batch_size=32, lookback=6,
              horizon=3, patience=None)
TINY_P = dict(hidden_size=4, head_size=8, batch_size=16, batches_per_epoch=2, epochs=1,
              transform="none", difference="none", calibrate="none")
TEXT = "the quick brown fox jumps over the lazy dog. " * 30


def _monthly(n=60):
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    t = np.arange(n)
    return pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), index=idx, name="sales")


def _panel(series=2, n=40):
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range(
        "2001-01-01", periods=n, freq="D"), "y": 5.0 + rng.standard_normal(n)})
        for i in range(series)], ignore_index=True)


def _draws():
    return torch.rand(2).tolist(), np.random.rand(2).tolist(), random.random()


def _fits():
    from rnnlab import CharLM, Forecaster, GlobalForecaster
    from rnnlab.train import TensorTask, TrainConfig, fit

    def train_fit():
        x = torch.randn(40, 4, generator=torch.Generator().manual_seed(0))
        with torch.random.fork_rng():  # (the model's initialisation: not fit's doing)
            model = torch.nn.Linear(4, 1)
        fit(model, TensorTask(x, x.sum(1, keepdim=True), batch_size=8),
            TrainConfig(epochs=1, progress=False))

    return {"Forecaster": lambda: Forecaster("gru", **TINY_F).fit(_monthly()),
            "GlobalForecaster": lambda: GlobalForecaster("gru", lookback=6, horizon=3,
                                                         **TINY_P).fit(_panel()),
            "CharLM": lambda: CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
                TEXT, seq_len=16, batch_size=4, epochs=1, progress=False),
            "train.fit": train_fit}
