"""Training with the NumPy reference alone: next-step prediction of a noisy sine series.

    y(t) = 3 sin t + cos 5t + 6 + noise,    sampled every ``dt``

The series is standardised, cut into windows of ``seq_len + 1`` samples, and a recurrence
followed by a linear read-out predicts y_{t+1} from y_1..y_t at every step:

    h_1..h_T = recurrence(x_1..x_T),   yhat_t = h_t W_out^T + b_out,   L = mean (yhat_t - y_{t+1})^2

Gradients come from ``kinds.backward`` and ``losses.readout_backward``; they are clipped
by global norm (``clip.py``) and applied with Adam (Kingma & Ba, 2015), written below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import numpy as np

from ..number_kinds import is_real, is_whole
from .clip import clip_grad_norm
from .kinds import backward, forward, init_params
from .losses import init_readout, mse_loss, readout_backward, readout_forward
from ..io.errors import ConfigError


def sine_series(n: int = 2000, dt: float = 0.1, noise: float = 0.1, seed: int = 0) -> np.ndarray:
    """y_k = 3 sin(t_k) + cos(5 t_k) + 6 + noise * N(0, 1), t_k = k dt; shape (n,)."""
    t = np.arange(n) * dt
    rng = np.random.default_rng(seed)
    return 3.0 * np.sin(t) + np.cos(5.0 * t) + 6.0 + noise * rng.normal(size=n)


def make_windows(series: np.ndarray, seq_len: int):
    """Standardise and cut into all windows of the series.

    Returns inputs (T, N, 1) holding y_1..y_T and targets (T, N, 1) holding y_2..y_{T+1}.
    """
    z = (series - series.mean()) / series.std()
    n = len(z) - seq_len
    if n < 1:
        raise ConfigError(f"make_windows: series of length {len(z)} too short for seq_len={seq_len}")
    idx = np.arange(seq_len)[:, None] + np.arange(n)[None, :]   # (T, N)
    return z[idx][..., None], z[idx + 1][..., None]


def _check_whole(name: str, value, low: int) -> None:
    if not is_whole(value) or value < low:
        raise ConfigError(f"train_sine: {name} must be a whole number >= {low}, got {value!r}")


class Adam:
    """m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  p <- p - lr mhat / (sqrt(vhat) + eps)."""

    def __init__(self, params: Dict[str, np.ndarray], lr: float = 1e-2,
                 betas: Tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads: Dict[str, np.ndarray]) -> None:
        b1, b2 = self.betas
        self.t += 1
        for k, p in self.params.items():
            g = grads[k]
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            mhat = self.m[k] / (1 - b1 ** self.t)
            vhat = self.v[k] / (1 - b2 ** self.t)
            p -= self.lr * mhat / (np.sqrt(vhat) + self.eps)   # in place: params see it


@dataclass
class TrainResult:
    """What :func:`train_sine` returns: the loss and gradient norm of every step, the
    trained parameters and the loss on held-out windows."""

    losses: List[float]                 # training loss per step (before that step's update)
    grad_norms: List[float]             # global gradient norm per step, before clipping
    params: Dict[str, np.ndarray] = field(repr=False)
    eval_loss: float = float("nan")     # loss on held-out windows after training


def loss_and_grads(kind: str, params: Dict[str, np.ndarray], x: np.ndarray, y: np.ndarray):
    """Forward, MSE, backward; params holds the recurrence's names plus 'out.weight', 'out.bias'."""
    rec = {k: v for k, v in params.items() if not k.startswith("out.")}
    out = {"weight": params["out.weight"], "bias": params["out.bias"]}
    hs, cache = forward(kind, rec, x)
    loss, dy = mse_loss(readout_forward(out, hs), y)
    g_out, dhs = readout_backward(out, hs, dy)
    grads = backward(kind, rec, cache, dhs)
    grads["out.weight"], grads["out.bias"] = g_out["weight"], g_out["bias"]
    return loss, grads


def train_sine(kind: str = "lstm", *, hidden_size: int = 16, seq_len: int = 20,
               batch_size: int = 32, steps: int = 200, lr: float = 1e-2, max_norm: float = 1.0,
               series_length: int = 1500, dt: float = 0.2, noise: float = 0.1,
               seed: int = 0) -> TrainResult:
    """Train a recurrence + read-out on the sine series with NumPy only.

    The last 20% of the windows are held out and scored after training (``eval_loss``).
    ``steps=0`` scores the untrained model.
    """
    _check_whole("steps", steps, 0)
    for name, value in (("seq_len", seq_len), ("batch_size", batch_size),
                        ("series_length", series_length)):
        _check_whole(name, value, 1)
    if not is_real(lr) or not 0 < lr < float("inf"):
        raise ConfigError(f"train_sine: lr must be a finite number > 0, got {lr!r}; e.g. lr=1e-2")
    rng = np.random.default_rng(seed)
    x_all, y_all = make_windows(sine_series(series_length, dt=dt, noise=noise, seed=seed),
                                 seq_len)
    split = int(0.8 * x_all.shape[1])
    if split < 1 or split == x_all.shape[1]:
        raise ConfigError(f"train_sine: series_length={series_length} gives "
                          f"{x_all.shape[1]} window(s) of seq_len={seq_len}; at least 2 are "
                          f"needed (80% to train, 20% held out): pass series_length >= "
                          f"{seq_len + 2}")
    params = init_params(kind, 1, hidden_size, rng=rng)
    params.update({"out." + k: v for k, v in init_readout(hidden_size, 1, rng).items()})
    opt = Adam(params, lr=lr)
    losses, norms = [], []
    for _ in range(steps):
        cols = rng.integers(0, split, size=batch_size)
        loss, grads = loss_and_grads(kind, params, x_all[:, cols], y_all[:, cols])
        grads, total = clip_grad_norm(grads, max_norm)
        opt.step(grads)
        losses.append(loss)
        norms.append(total)
    eval_loss, _ = loss_and_grads(kind, params, x_all[:, split:], y_all[:, split:])
    return TrainResult(losses=losses, grad_norms=norms, params=params, eval_loss=eval_loss)
