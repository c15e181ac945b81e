"""The GRU article's airline forecast (E5), as its code ran, defects labelled.

As written: min-max to [-1, 1] fitted on the first 132 months, windows of 12, a GRU
(hidden 100, sequence first, batch 1) and a linear head whose last step is the
prediction; the state lives on the module (``hidden_cell``) and every forward stores its
final state there. Training (300 epochs, one window per Adam step, lr 1e-3) resets
``hidden_cell`` to zeros before every window. Prediction (12 months, recursive) resets a
misspelt ``model.hidden`` instead, so every step starts from the state the previous call
left: the first from the last training window's, the next from the first prediction's.

The corrected forecast uses the same trained model and starts every step from zeros, as
training did. Both are inverse-scaled and scored on the 12 held-out months.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import torch
from torch import nn

from ...data.datasets import airline

WINDOW, HIDDEN, LR, EPOCHS, HELD_OUT = 12, 100, 1e-3, 300, 12
# what the article's code set, as the run records it in config.json
SETTINGS = {"window": WINDOW, "hidden_size": HIDDEN, "num_layers": 1, "optimizer": "Adam",
            "lr": LR, "epochs": EPOCHS, "batch_size": 1, "held_out": HELD_OUT,
            "loss": "MSE", "scaling": "min-max to [-1, 1] on the training part"}


class StatefulGRU(nn.Module):
    """The article's model: the state kept on the module between calls (the defect)."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, HIDDEN)
        self.linear = nn.Linear(HIDDEN, 1)
        self.hidden_cell = torch.zeros(1, 1, HIDDEN)

    def forward(self, seq: torch.Tensor) -> torch.Tensor:  # seq (L,) -> (1,)
        out, self.hidden_cell = self.gru(seq.view(len(seq), 1, -1), self.hidden_cell)
        return self.linear(out.view(len(seq), -1))[-1]


def _forecast(model: StatefulGRU, start: list, reset: bool) -> list:
    inputs = list(start)
    with torch.no_grad():
        for _ in range(HELD_OUT):
            seq = torch.tensor(inputs[-WINDOW:], dtype=torch.float32)
            if reset:
                model.hidden_cell = torch.zeros(1, 1, HIDDEN)  # corrected
            else:
                model.hidden = torch.zeros(1, 1, HIDDEN)  # DEFECT (as written): misspelt
            inputs.append(model(seq).item())
    return inputs[WINDOW:]


def run(quick: bool = False, seed: int = 0, log: Callable[[str], None] = print) -> dict:
    t0 = time.perf_counter()
    values = np.asarray(airline().values, dtype=np.float64)
    train, test = values[:-HELD_OUT], values[-HELD_OUT:]
    lo, hi = train.min(), train.max()
    norm = torch.tensor(2 * (train - lo) / (hi - lo) - 1, dtype=torch.float32)
    pairs = [(norm[i:i + WINDOW], norm[i + WINDOW:i + WINDOW + 1])
             for i in range(len(norm) - WINDOW)]
    epochs = 3 if quick else EPOCHS
    torch.manual_seed(seed)
    model = StatefulGRU()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    for i in range(epochs):
        for seq, label in pairs:
            opt.zero_grad()
            model.hidden_cell = torch.zeros(1, 1, HIDDEN)  # training resets the right name
            loss = nn.functional.mse_loss(model(seq), label)
            loss.backward()
            opt.step()
        if i % 25 == 1 or i == epochs - 1:
            log(f"  epoch {i:3}: loss of the last window {loss.item():.8f}")
    model.eval()
    start = norm[-WINDOW:].tolist()
    back = lambda z: [float((v + 1) / 2 * (hi - lo) + lo) for v in z]  # noqa: E731
    carried = back(_forecast(model, start, reset=False))
    zeroed = back(_forecast(model, start, reset=True))
    rmse = lambda p: float(np.sqrt(np.mean((np.asarray(p) - test) ** 2)))  # noqa: E731
    snaive = rmse(values[-2 * HELD_OUT:-HELD_OUT])
    log(f"  forecast RMSE: as written (state carried) {rmse(carried):.1f}, state reset "
        f"{rmse(zeroed):.1f}, seasonal naive {snaive:.1f} passengers")
    return {"experiment": "GRU article, airline forecast (E5)", "seed": seed, "epochs": epochs,
            "quick": quick, "test": test.tolist(),
            "as_written": {"forecast": carried, "rmse": rmse(carried)},
            "corrected": {"forecast": zeroed, "rmse": rmse(zeroed)},
            "seasonal_naive_rmse": snaive, "seconds": time.perf_counter() - t0}


def markdown(res: dict) -> list:
    rows = zip(res["test"], res["as_written"]["forecast"], res["corrected"]["forecast"])
    # (a --quick run's 3 epochs read like the article's: only the title said "quick")
    trained = f"Trained {res['epochs']} epochs" + (
        "" if res["epochs"] == EPOCHS else f" (the article: {EPOCHS}; a --quick run)")
    return [trained + ", then the 12-month recursive forecast:", "",
            "| month | actual | as written (state carried) | corrected (zero state) |",
            "|---|---|---|---|",
            *[f"| {133 + i} | {a:.0f} | {w:.1f} | {c:.1f} |" for i, (a, w, c) in enumerate(rows)],
            "", f"RMSE: as written {res['as_written']['rmse']:.1f}, corrected "
            f"{res['corrected']['rmse']:.1f}, seasonal naive {res['seasonal_naive_rmse']:.1f} "
            f"passengers (the article reports no number, only a plot)."]
