"""Workers for tests/test_forecast_distributed.py (importable by spawned processes)."""

import json

import numpy as np
import torch

from rnnlab.data.windows import make_windows
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.net import WindowTask
from rnnlab.train import TrainConfig, fit
from rnnlab.train import distributed as D


def payload(epochs=2, batch_size=5, ensemble=2, **extra):
    """16 windows in batches of 5: the last global batch has 1 row, so with 2 processes
    rank 1's share of it is empty (the case fit must weight to 0)."""
    t = np.arange(40, dtype=np.float64)
    z = np.sin(0.5 * t) + 0.1 * np.cos(1.7 * t)
    z_fit, z_val = z[:36], z[36:]
    x, y = make_windows(z_fit, 6, "direct", 2)
    n = len(x)
    x, y = x[:16], y[:16]
    assert n >= 16 and len(x) % batch_size == 1
    cfg = ForecastConfig(model="gru", hidden_size=5, lookback=6, horizon=2, epochs=epochs,
                         strategy="direct",  # the windows above: two targets each
                         batch_size=batch_size, lr=2e-2, ensemble=ensemble, patience=None,
                         clip_norm=1.0, device="cpu", progress=False, seed=1)
    return dict({"config": cfg, "x": x, "y": y, "val": True, "z_fit": z_fit, "z_val": z_val,
                 "checkpoint_dir": None, "resume": False, "precision": "32",
                 "checkpoint_every": 0, "on_nonfinite": "stop", "device": "cpu",
                 "dtype": "float64"}, **extra)


class RecordingTask(WindowTask):
    """Remembers which windows (by their first value) each step trained on, on this rank."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.seen = []

    def train_loss(self, model, batch, carry):
        self.seen.append([float(v) for v in batch[0][:, 0]])
        return super().train_loss(model, batch, carry)


def record_shards(ctx, out_path):
    """Train one epoch; rank 0 writes every rank's rows per step and the global batches."""
    p = payload()
    torch.manual_seed(0)
    from rnnlab.forecast.net import build_net

    net = build_net(p["config"]).double()
    task = RecordingTask(p["x"], p["y"], 5, 7, "direct", 6, device=ctx.device, dtype=torch.float64)
    fit(net, task, TrainConfig(epochs=1, lr=1e-2, progress=False), dist=ctx)
    seen = D.gather_to_all(task.seen, ctx)
    if ctx.is_main:
        glob = [[float(v) for v in task.get_batch(0, i)[0][:, 0]] for i in range(task.num_batches(0))]
        with open(out_path, "w") as f:
            json.dump({"ranks": seen, "global": glob}, f)


def recording_train(ctx, job, log_dir):
    """train_members while recording every file write rnnlab makes in this process; the
    log goes to log_dir/rank<r>.json (the test's instrumentation, written afterwards)."""
    import os

    from rnnlab.forecast.forecaster import train_members
    from write_recorder import recorded_writes

    cwd_before = sorted(os.listdir("."))
    with recorded_writes() as (calls, paths):
        train_members(ctx, job)
    with open(os.path.join(log_dir, f"rank{ctx.rank}.json"), "w") as f:
        json.dump({"calls": calls, "paths": paths,
                   "cwd_changed": sorted(os.listdir(".")) != cwd_before}, f)
