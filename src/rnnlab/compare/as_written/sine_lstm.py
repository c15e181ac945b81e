"""The LSTM article's noisy-function fit (E4), as its code ran, defects labelled.

Its text names y = 3 sin x + 5 cos 5x + 6; its code generates y = 3 sin t + cos 5t + 6
plus one N(0, 1) draw per point, t = 0, 1, 2, ... (this reproduction follows the code).
As written:

- training: 500 points, windows of 10 (490), the first 80% (392) in one full batch;
  BatchNorm1d over the 10 window positions -> 2-layer LSTM (hidden 200) -> last step ->
  dropout 0.1 -> linear; Adam lr 1e-2, 5,000 iterations; the printed loss is the MSE
  divided again by 392; ``torch.save(model)`` pickles the module every 1,000 iterations
  (not reproduced: rnnlab never pickles a model);
- test: the data are generated again, 2,000 points with fresh noise; from the values at
  t = 1600..1609 the model rolls out 50 steps, t = 1610..1659, plotted against that
  fresh series (no number reported).

The article's noise is unseeded; here one generator seeded with ``seed`` draws the
training series and then the test series (fresh noise, as written, but reproducible).
5,000 full-batch iterations took 68 minutes on one shared CPU core; ``quick`` runs 20.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import torch
from torch import nn

WINDOW, HIDDEN, LAYERS, DROPOUT, LR, ITERATIONS = 10, 200, 2, 0.1, 1e-2, 5000
TRAIN_POINTS, TEST_POINTS, TRAIN_FACTOR, ROLLOUT = 500, 2000, 0.8, 50
# what the article's code set, as the run records it in config.json
SETTINGS = {"points": TRAIN_POINTS, "window": WINDOW, "train_fraction": TRAIN_FACTOR,
            "hidden_size": HIDDEN, "num_layers": LAYERS, "dropout": DROPOUT,
            "optimizer": "Adam", "lr": LR, "iterations": ITERATIONS, "batch": "full",
            "loss": "MSE", "test_points": TEST_POINTS, "rollout": ROLLOUT}


def load(num: int, rng: np.random.Generator) -> np.ndarray:
    """The code's function (not the text's): 3 sin t + cos 5t + 6 + N(0, 1), float32."""
    t = np.arange(num, dtype=np.float64)
    return (3 * np.sin(t) + np.cos(5 * t) + rng.standard_normal(num) + 6).astype(np.float32)


class WindowLSTM(nn.Module):
    """BatchNorm over window positions, LSTM, last step, dropout, linear: (B, 10) -> (B, 1)."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm1d(WINDOW)
        self.lstm = nn.LSTM(1, HIDDEN, LAYERS)
        self.drop = nn.Dropout(DROPOUT)  # before the head, as written
        self.head = nn.Linear(HIDDEN, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seq = self.bn(x).view(-1, WINDOW, 1).transpose(0, 1)  # (10, B, 1)
        out, _ = self.lstm(seq)
        return self.head(self.drop(out[-1]))


def run(quick: bool = False, seed: int = 0, log: Callable[[str], None] = print) -> dict:
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    data = load(TRAIN_POINTS, rng)
    X = np.stack([data[i:i + WINDOW] for i in range(len(data) - WINDOW)])
    Y = data[WINDOW:]
    n_train = int(len(X) * TRAIN_FACTOR)
    train_x, train_y = torch.from_numpy(X[:n_train]), torch.from_numpy(Y[:n_train, None])
    iterations = 20 if quick else ITERATIONS
    torch.manual_seed(seed)
    model = WindowLSTM()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    printed = []
    for e in range(iterations):
        loss = nn.functional.mse_loss(model(train_x), train_y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (e + 1) % 1000 == 0 or (quick and e + 1 == iterations):
            printed.append({"iteration": e + 1, "printed": loss.item() / n_train,
                            "mse": loss.item()})
            log(f"  iteration {e + 1}: printed loss {loss.item() / n_train:.6f} "
                f"(the MSE is {loss.item():.4f}: the article divides by {n_train})")
    model.eval()
    fresh = load(TEST_POINTS, rng)[int(TEST_POINTS * TRAIN_FACTOR):]  # DEFECT: regenerated
    window = [float(v) for v in fresh[:WINDOW]]
    with torch.no_grad():
        for i in range(ROLLOUT):
            seed_x = torch.tensor(window[i:i + WINDOW], dtype=torch.float32).view(1, WINDOW)
            window.append(model(seed_x).item())
    pred = np.asarray(window[WINDOW:])
    t = np.arange(1610, 1610 + ROLLOUT)
    clean = 3 * np.sin(t) + np.cos(5 * t) + 6
    rmse_noisy = float(np.sqrt(np.mean((pred - fresh[WINDOW:WINDOW + ROLLOUT]) ** 2)))
    rmse_clean = float(np.sqrt(np.mean((pred - clean) ** 2)))
    log(f"  rollout t = 1610..1659: RMSE {rmse_noisy:.3f} against the fresh noisy series, "
        f"{rmse_clean:.3f} against the noiseless function (noise std 1)")
    baselines = rollout_baselines(data, fresh, clean)
    log("  baselines, the same 50 steps: " + "; ".join(
        f"{name} {b['rmse_vs_fresh_series']:.3f} and {b['rmse_vs_noiseless']:.3f}"
        for name, b in baselines.items()))
    return {"experiment": "LSTM article, noisy function (E4)", "seed": seed,
            "iterations": iterations, "quick": quick, "train_windows": n_train,
            "as_written": {"printed_losses": printed, "rollout_t": [1610, 1659],
                           "rollout": pred.tolist(), "rmse_vs_fresh_series": rmse_noisy,
                           "rmse_vs_noiseless": rmse_clean, "baselines": baselines},
            "seconds": time.perf_counter() - t0}


def rollout_baselines(train: np.ndarray, fresh: np.ndarray, clean: np.ndarray) -> dict:
    """RMSEs of two forecasts that learn nothing, over the rollout's 50 steps: the training
    series' mean held flat, and the last value before the rollout (t = 1609) held flat."""
    truth = fresh[WINDOW:WINDOW + ROLLOUT].astype(np.float64)
    flat = {"training mean": float(np.mean(train, dtype=np.float64)),
            "last value": float(fresh[WINDOW - 1])}
    return {name: {"rmse_vs_fresh_series": float(np.sqrt(np.mean((v - truth) ** 2))),
                   "rmse_vs_noiseless": float(np.sqrt(np.mean((v - clean) ** 2)))}
            for name, v in flat.items()}


def markdown(res: dict) -> list:
    a = res["as_written"]
    flat = "; ".join(f"{name} held flat {b['rmse_vs_fresh_series']:.3f} and "
                     f"{b['rmse_vs_noiseless']:.3f}" for name, b in a.get("baselines", {}).items())
    return [f"{res['iterations']} full-batch iterations on {res['train_windows']} windows"
            + ("." if res["iterations"] == ITERATIONS
               else f" (the article: {ITERATIONS:,}; a --quick run)."), "",
            "| iteration | printed loss (MSE / windows) | MSE |", "|---|---|---|",
            *[f"| {p['iteration']} | {p['printed']:.6f} | {p['mse']:.4f} |"
              for p in a["printed_losses"]], "",
            f"Rollout t = 1610..1659 from a regenerated series (the article plots it; no "
            f"number): RMSE {a['rmse_vs_fresh_series']:.3f} against that series, "
            f"{a['rmse_vs_noiseless']:.3f} against the noiseless function."
            + (f" Beside it, forecasts that learn nothing (the same two RMSEs): {flat}."
               if flat else "")]
