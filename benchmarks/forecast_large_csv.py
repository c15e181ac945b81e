"""Forecast training on a large CSV: steps/s of the real loop and peak memory of loading.

    PYTHONPATH=src python benchmarks/forecast_large_csv.py [--rows 7000000] [--steps 2000]

Writes a CSV of ``--rows`` minutes (``time,value``: a daily cycle plus noise) into a
temporary folder (deleted at the end; nothing lands in the repository), then, in a fresh
process (so the CSV's generation does not count in its peak RSS):

1. ``Forecaster.fit`` on that file, exactly as ``rnnlab forecast --data FILE`` calls it
   (reading and checking the CSV, the split, the log / difference / scaler pipeline, the
   windows, the training task), except that training is replaced by ``--steps`` optimizer
   steps of the real loop (``rnnlab.train.fit``) in the first epoch: a full epoch of
   7M windows is 437,500 steps; the clock starts after the first 20 (warm-up), so the
   epoch's one permutation and the optimizer's first-use imports are not counted;
2. prints steps/s of those steps and the peak RSS (VmHWM) over loading and training; the
   same run on a 2,000-row CSV gives the fixed cost (torch, its kernels, the loop: about
   0.4 GiB) and the steps/s of a short series, and the difference is the data's memory,
   printed as a ratio to the CSV's size (the target: under 2);
3. times ``WindowTask.get_batch`` alone at 100,000 and at ``--rows`` windows: the cost of a
   step must not grow with the series (it built ``randperm(N)`` for every batch before).

One thread (``torch.set_num_threads(1)``), the forecast CLI's default.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_csv(path: Path, rows: int, chunk: int = 1_000_000) -> int:
    import numpy as np

    rng = np.random.default_rng(0)
    start = np.datetime64("2000-01-01T00:00", "m")
    with open(path, "w", encoding="utf-8") as f:
        f.write("time,value\n")
        for a in range(0, rows, chunk):
            n = min(chunk, rows - a)
            t = start + np.arange(a, a + n).astype("timedelta64[m]")
            v = 100 + 10 * np.sin(2 * np.pi * np.arange(a, a + n) / 1440) + rng.normal(0, 1, n)
            stamps = np.datetime_as_string(t, unit="m")
            f.write("\n".join(f"{s},{x:.3f}" for s, x in zip(stamps, v)) + "\n")
    return path.stat().st_size


WARM = 20  # steps before the clock starts (the optimizer's first use imports torch._dynamo)


def rss_mb() -> float:
    """This process's peak RSS (VmHWM; ru_maxrss would carry the parent's peak across exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(csv: str, steps: int) -> dict:
    import torch

    torch.set_num_threads(1)
    after_import = rss_mb()
    import rnnlab.forecast.forecaster as F
    from rnnlab.forecast import Forecaster
    from rnnlab.train import TrainConfig, fit

    timing = {}

    def few_steps(payload, dev_cfg):
        """train_members' first member, limited to ``steps`` steps of epoch 0."""
        cfg = payload["config"]
        net = F.build_net(cfg)
        task = F.WindowTask(payload["x"], payload["y"], cfg.batch_size, 0, cfg.strategy,
                            cfg.lookback)
        task.num_batches = lambda epoch: steps
        timing["windows"] = len(task.x)
        get_batch = task.get_batch

        def timed(epoch, index):  # the clock starts at step WARM (imports, first steps done)
            if index == WARM:
                timing["t0"] = time.perf_counter()
            return get_batch(epoch, index)

        task.get_batch = timed
        fit(net, task, TrainConfig(epochs=1, batch_size=cfg.batch_size, lr=cfg.lr,
                                   progress=False, device="cpu"))
        timing["seconds"] = time.perf_counter() - timing["t0"]
        return [{k: v.detach() for k, v in net.state_dict().items()}] * cfg.ensemble, [{}]

    F.run_training = few_steps
    t0 = time.perf_counter()
    Forecaster(lookback=12, horizon=12, val_size=0, device="cpu",
               progress=False).fit(csv)
    total = time.perf_counter() - t0
    return {"windows": timing["windows"], "steps": steps,
            "steps_per_s": (steps - WARM) / timing["seconds"],
            "load_seconds": total - timing["seconds"],
            "peak_rss_mb": rss_mb(), "rss_after_import_torch_mb": after_import}


def get_batch_cost(rows: int, repeats: int = 2000) -> float:
    """Microseconds per WindowTask.get_batch at ``rows`` windows (one epoch's batches)."""
    import numpy as np
    import torch

    from rnnlab.data.windows import make_windows
    from rnnlab.forecast.net import WindowTask

    x, y = make_windows(np.zeros(rows + 13), 12, "direct", 1)
    task = WindowTask(x, y, 16, 0, "direct", 12)
    task.get_batch(0, 0)  # the epoch's permutation, once
    t0 = time.perf_counter()
    for i in range(repeats):
        task.get_batch(0, i + 1)
    del torch
    return (time.perf_counter() - t0) / repeats * 1e6


def main() -> None:
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=7_000_000)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(worker(a.worker, a.steps)))
        return
    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-") as tmp:
        csv = Path(tmp) / "large.csv"
        t0 = time.perf_counter()
        size = write_csv(csv, a.rows)
        gen_s = time.perf_counter() - t0
        tiny = Path(tmp) / "tiny.csv"
        write_csv(tiny, 2000)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parent.parent / "src"), os.environ.get("PYTHONPATH", "")]))

        def run(path, steps):
            out = subprocess.run([sys.executable, __file__, "--worker", str(path), "--steps",
                                  str(steps)], env=env, check=True, capture_output=True, text=True)
            return json.loads(out.stdout.strip().splitlines()[-1])

        base = run(tiny, 120)  # the same run on 2,000 rows (124 batches an epoch)
        r = run(csv, a.steps)
    import torch

    torch.set_num_threads(1)
    small, large = get_batch_cost(100_000), get_batch_cost(a.rows)
    mb = size / 2**20
    print(f"CSV: {a.rows:,} rows, {mb:.0f} MiB (written in {gen_s:.0f} s); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"training: {r['steps']} steps over {r['windows']:,} windows at "
          f"{r['steps_per_s']:.0f} steps/s (lstm, hidden 32, lookback 12, batch 16, 1 thread)")
    print(f"the same loop on the 2,000-row CSV: {base['steps_per_s']:.0f} steps/s (ratio "
          f"{r['steps_per_s'] / base['steps_per_s']:.2f}: a step costs the same at any length)")
    print(f"loading and set-up (read, check, split, pipeline, windows, first {WARM} steps): "
          f"{r['load_seconds']:.1f} s")
    data = r["peak_rss_mb"] - base["peak_rss_mb"]
    print(f"peak RSS {r['peak_rss_mb']:.0f} MiB ({r['peak_rss_mb'] / mb:.2f} x the CSV); the "
          f"same run on a 2,000-row CSV peaks at {base['peak_rss_mb']:.0f} MiB (torch alone "
          f"{base['rss_after_import_torch_mb']:.0f} MiB): the data's share is {data:.0f} MiB "
          f"= {data / mb:.2f} x the CSV")
    print(f"WindowTask.get_batch: {small:.0f} us at 100,000 windows, {large:.0f} us at "
          f"{a.rows:,} (ratio {large / small:.2f})")


if __name__ == "__main__":
    main()
