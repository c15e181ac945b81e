"""How each stage of a panel run grows with the number of series: time per stage at two
sizes, and the ratio (linear growth: the ratio of the sizes).

    PYTHONPATH=src python benchmarks/panel_scaling.py [--sizes 1000 4000] [--freq D]
        [--length 100 300] [--horizon 14] [--origins 3] [--ets-series 20] [--json FILE]

A synthetic retail panel per size (seeded): ``n`` series of 100-300 steps ending on the
same date (ragged starts), 2% of them with one date missing (the per-series calendar
path, filled with ``ffill``), a future covariate ``price``, a past one ``visits`` and a
static ``store``; written as a CSV into a temporary folder (deleted at the end). Stages:

* ``read``: ``read_panel(csv, fill="ffill")`` (parsing, checking, putting each series on
  its calendar, filling); ``cut``: ``panel.cut(horizon)``;
* ``fit.*``: ``GlobalForecaster(...).fit`` with one epoch of ``--batches`` batches:
  ``fit.data`` (transforms, scalers, the window buffer), ``fit.train`` (the epoch),
  ``fit.calibrate``, ``fit.other`` (the rest: checks, the tail kept for predict);
* ``predict``: ``predict()`` after the data (calibrated); ``predict.history``: from a
  history (``history=`` the panel, as a backtest's later origins);
* ``backtest.origins``: the cuts and truths of ``--origins`` origins; ``naive`` and
  ``seasonal_naive``: fit and predict at every origin; ``score``: summary, per_series,
  by_step; ``write``: the backtest's CSV files;
* ``ets.per_series``: ETS (statsmodels) fitted and predicted on ``--ets-series`` series,
  seconds per series (one model per series: linear by construction).

Nothing is asserted: the machine's load changes the seconds; compare the ratios (a stage
whose ratio is well above the ratio of sizes grows worse than linearly). Also prints the
peak RSS of the process (ru_maxrss, largest size last).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def make_panel(n: int, length=(100, 300), freq: str = "D", gaps: float = 0.02, seed: int = 0):
    """The synthetic retail panel (module docstring) as a long DataFrame."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    lens = rng.integers(length[0], length[1] + 1, n)
    grid = pd.date_range(end="2024-12-30", periods=int(length[1]), freq=freq)
    pos = np.concatenate([np.arange(k) + length[1] - k for k in lens])
    level = np.repeat(rng.uniform(5, 500, n), lens)
    t = pos.astype(float)
    price = rng.uniform(1, 2, len(t))
    y = level * (1 + 0.2 * np.sin(2 * np.pi * t / 7) + 0.001 * t - 0.1 * (price - 1.5))
    y = np.abs(y + rng.normal(0, 1, len(t)) * np.sqrt(level)) + 1
    ids = np.repeat(np.arange(n), lens)
    df = pd.DataFrame({"unique_id": [f"s{i:05d}" for i in ids], "ds": grid[pos], "y": y,
                       "price": price, "visits": rng.poisson(20, len(t)).astype(float),
                       "store": [f"st{i % 50}" for i in ids]})
    gapped = rng.choice(n, int(gaps * n), replace=False)
    first = np.concatenate([[0], np.cumsum(lens)[:-1]])
    drop = [first[s] + rng.integers(5, lens[s] - 5) for s in gapped]
    return df.drop(index=drop).reset_index(drop=True)


class Timer:
    """Seconds per stage; ``wrap(module, name, stage)`` times every call of a function
    where ``module`` looks it up (its real call path)."""

    def __init__(self):
        self.seconds = {}  # wall-clock
        self.cpu = {}  # this process's CPU time (steadier than wall time on a shared machine)
        self._patched = []

    @contextlib.contextmanager
    def stage(self, name):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c0

    def wrap(self, module, attr, name):
        inner = getattr(module, attr)

        def timed(*a, **k):
            with self.stage(name):
                return inner(*a, **k)

        setattr(module, attr, timed)
        self._patched.append((module, attr, inner))

    def restore(self):
        for module, attr, inner in reversed(self._patched):
            setattr(module, attr, inner)
        self._patched.clear()


def run_size(n: int, args, folder: Path) -> dict:
    import torch

    from rnnlab.panel import backtest as B
    from rnnlab.panel import model as PM
    from rnnlab.panel.backtest_save import write_results
    from rnnlab.panel.baselines import ETS
    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    torch.set_num_threads(1)
    csv = folder / f"panel{n}.csv"
    make_panel(n, tuple(args.length), args.freq).to_csv(csv, index=False)
    T = Timer()
    with T.stage("read"):
        panel = read_panel(str(csv), fill="ffill")
    with T.stage("cut"):
        train = panel.cut(args.horizon)
    for attr, name in (("training_data", "fit.data"), ("fit", "fit.train"),
                       ("calibrate", "fit.calibrate")):
        T.wrap(PM, attr, name)
    model = GlobalForecaster("lstm", lookback=28, horizon=args.horizon, epochs=1,
                             batches_per_epoch=args.batches, hidden_size=32,
                             future_covariates=("price",), past_covariates=("visits",),
                             static_covariates=("store",), calendar=("dayofweek",))
    static = panel.df.groupby("unique_id", sort=False)["store"].first().dropna().reset_index()
    with T.stage("fit"):
        model.fit(train, static=static)
    T.restore()
    for d in (T.seconds, T.cpu):
        d["fit.other"] = d.pop("fit") - sum(d[k] for k in ("fit.data", "fit.train",
                                                            "fit.calibrate"))
    future = panel.df.groupby("unique_id", sort=False).tail(args.horizon)[
        ["unique_id", "ds", "price"]]
    with T.stage("predict"):
        model.predict(args.horizon, future=future)
    with T.stage("predict.history"):
        model.predict(args.horizon, future=future, history=train)
    first = args.horizon * args.origins
    offsets = B.origin_offsets(args.horizon, first, args.horizon)
    with T.stage("backtest.origins"):
        origins = B._origins(panel, offsets, args.horizon, "never", 2)
    frames = []
    for name in ("naive", "seasonal_naive"):
        with T.stage(name):
            B._forecast_origins(name, B.instantiate(name, (0.1, 0.5, 0.9)), origins, None, (),
                                {}, frames)
    import pandas as pd

    res = B.BacktestResult(forecasts=pd.concat(frames, ignore_index=True),
                           horizon=args.horizon, offsets=offsets, refit="never")
    with T.stage("score"):
        res.summary(), res.per_series(), res.by_step()
    with T.stage("write"):
        write_results(res, folder)
    k = min(args.ets_series, n)
    if k:
        few = panel.with_df(panel.df[panel.df["unique_id"].isin(panel.ids[:k])])
        with T.stage("ets.per_series"):
            ETS().fit(few).predict(args.horizon)
        T.seconds["ets.per_series"] /= k
        T.cpu["ets.per_series"] /= k
    return {"rows": len(panel.df), "wall": T.seconds, "cpu": T.cpu}


def main(argv=None):
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__.split("\n\n")[0],
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs=2, default=[1000, 4000], metavar=("N1", "N2"))
    p.add_argument("--freq", default="D")
    p.add_argument("--length", type=int, nargs=2, default=[100, 300], metavar=("MIN", "MAX"))
    p.add_argument("--horizon", type=int, default=14)
    p.add_argument("--origins", type=int, default=3)
    p.add_argument("--batches", type=int, default=20, help="batches in the one epoch")
    p.add_argument("--ets-series", type=int, default=20)
    p.add_argument("--json", default=None, help="also write the numbers to this file")
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")  # (the gaps' fill notes, new-series notes)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        run_size(50, args, Path(tmp))  # warm-up (first imports, first kernels), not shown
        runs = [run_size(n, args, Path(tmp)) for n in args.sizes]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n1, n2 = args.sizes
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
          + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"rows: {runs[0]['rows']} and {runs[1]['rows']} (sizes ratio {n2 / n1:.2f}); "
          f"peak RSS {peak:.0f} MiB")
    print("seconds: wall (CPU of this process)")
    print(f"{'stage':<18}{n1:>16}{n2:>16}{'ratio':>7}{'cpu ratio':>10}")
    for k in runs[0]["wall"]:
        (a, b), (ca, cb) = [(r[w][k] for r in runs) for w in ("wall", "cpu")]
        print(f"{k:<18}{a:>8.3f} ({ca:>5.2f}){b:>8.3f} ({cb:>5.2f})"
              f"{b / a if a else float('nan'):>7.2f}{cb / ca if ca else float('nan'):>10.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": args.sizes, "freq": args.freq,
                                               "load": load, "peak_rss_mib": peak,
                                               "stages": runs}, indent=1))


if __name__ == "__main__":
    main()
