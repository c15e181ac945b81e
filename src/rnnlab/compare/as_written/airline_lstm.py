"""The overview article's look-back-2 LSTM (E2), as its code ran, defects labelled.

Its data is an unnamed ``data.csv`` (second column); the airline passengers series is an
assumption. As written:

- scaling divides by (max - min) of the whole series, test part included, without
  subtracting the minimum: values land in [0.20, 1.20] for airline;
- windows of 2 values, a chronological split of the 142 windows, 99 (70%) to train;
- the (99, 1, 2) training array goes into an ``nn.LSTM`` without ``batch_first``: torch
  reads it as ONE sequence of 99 steps, batch 1, with the 2 window values as features, so
  the state runs through the whole training set; the linear head scores every step;
- 1,000 full-batch Adam steps (lr 1e-2), the loss printed every 100;
- prediction over all 142 windows as one sequence again, plotted against the series
  without the 2-step offset (the prediction for t + 2 is drawn at t).

The article prints ``loss.data[0]``, which fails on PyTorch >= 0.5 (indexing a 0-d
tensor); this reproduction reads the loss with ``item()`` (the only change). It also
scores what the article only plotted: RMSE in passengers on the 43 test points.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import torch
from torch import nn

from ...data.datasets import airline

LOOK_BACK, HIDDEN, LAYERS, LR, EPOCHS, TRAIN_FRACTION = 2, 4, 2, 1e-2, 1000, 0.7
# what the article's code set, as the run records it in config.json
SETTINGS = {"look_back": LOOK_BACK, "hidden_size": HIDDEN, "num_layers": LAYERS,
            "optimizer": "Adam", "lr": LR, "epochs": EPOCHS, "batch": "full",
            "train_fraction": TRAIN_FRACTION, "loss": "MSE", "scaling": "x / (max - min)"}


class LookBackLSTM(nn.Module):
    """nn.LSTM(2, 4, 2), sequence first, and a linear head on every step: (S, B, 2) -> (S, B, 1)."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(LOOK_BACK, HIDDEN, LAYERS)
        self.reg = nn.Linear(HIDDEN, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)
        return self.reg(out)


def article_arrays():
    """(series, scale, X (142, 2), Y (142,), n_train) as the article built them."""
    values = np.asarray(airline().values, dtype=np.float32)
    scale = float(values.max() - values.min())  # DEFECT: whole series, minimum kept
    data = values / scale
    n = len(data) - LOOK_BACK
    X = np.stack([data[i:i + LOOK_BACK] for i in range(n)])
    Y = data[LOOK_BACK:]
    return values, scale, X, Y, int(n * TRAIN_FRACTION)


def run(quick: bool = False, seed: int = 0, log: Callable[[str], None] = print) -> dict:
    t0 = time.perf_counter()
    values, scale, X, Y, n_train = article_arrays()
    epochs = 50 if quick else EPOCHS
    train_x = torch.from_numpy(X[:n_train]).reshape(-1, 1, LOOK_BACK)  # (99, 1, 2): 99 steps!
    train_y = torch.from_numpy(Y[:n_train]).reshape(-1, 1, 1)
    torch.manual_seed(seed)
    net = LookBackLSTM()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    printed = []
    for e in range(epochs):
        loss = nn.functional.mse_loss(net(train_x), train_y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (e + 1) % 100 == 0 or (quick and e + 1 == epochs):
            printed.append((e + 1, loss.item()))
            log(f"  as written, epoch {e + 1}: loss {loss.item():.5f} (scaled units)")
    net.eval()
    with torch.no_grad():
        pred = net(torch.from_numpy(X).reshape(-1, 1, LOOK_BACK)).view(-1).numpy()
    pred_pax, target = pred * scale, values[LOOK_BACK:]
    test = slice(n_train, None)
    rmse = float(np.sqrt(np.mean((pred_pax[test] - target[test]) ** 2)))
    naive = float(np.sqrt(np.mean((values[LOOK_BACK - 1:-1][test] - target[test]) ** 2)))
    drawn = float(np.sqrt(np.mean((pred_pax[test] - values[:len(pred_pax)][test]) ** 2)))
    log(f"  test RMSE {rmse:.1f} passengers (naive {naive:.1f}); against the article's "
        f"misaligned plot {drawn:.1f}")
    return {"experiment": "overview article, look-back-2 LSTM (E2)", "seed": seed,
            "epochs": epochs, "quick": quick, "data": "airline passengers (assumption)",
            "as_written": {"scale_divisor": scale, "scaled_range": [float(values.min() / scale),
                                                                   float(values.max() / scale)],
                           "train_layout": f"one sequence of {n_train} steps, batch 1, "
                                           f"{LOOK_BACK} features",
                           "printed_losses": printed, "test_points": len(target) - n_train,
                           "test_rmse": rmse, "naive_rmse": naive,
                           "rmse_as_plotted": drawn},
            "seconds": time.perf_counter() - t0}


def markdown(res: dict) -> list:
    a = res["as_written"]
    return [
        f"Data: {res['data']}. Divided by max - min = {a['scale_divisor']:.0f} (whole "
        f"series): values in [{a['scaled_range'][0]:.2f}, {a['scaled_range'][1]:.2f}].",
        f"Training layout (as written): {a['train_layout']}.",
        f"Trained {res['epochs']} full-batch epochs" + (
            "." if res["epochs"] == EPOCHS else f" (the article: {EPOCHS:,}; a --quick run)."), "",
        "| epoch | loss (scaled) |", "|---|---|",
        *[f"| {e} | {v:.5f} |" for e, v in a["printed_losses"]], "",
        f"Test ({a['test_points']} points; the article reports no number): RMSE "
        f"{a['test_rmse']:.1f} passengers, naive {a['naive_rmse']:.1f}; against the series as "
        f"the article plotted it (2 steps off) {a['rmse_as_plotted']:.1f}.",
    ]
