"""Does GlobalForecaster use future covariates? elecdaily (daily demand, Victoria 2014), the
same model with and without Temperature and WorkDay as future-known covariates.

Rolling origin: the last ORIGINS x HORIZON days are forecast HORIZON days at a time, the
model refitted at each origin on everything before it; RMSE over all forecast days, 3 seeds,
beside the seasonal naive (7 days) over the same origins.

    PYTHONPATH=src python benchmarks/covariates_elecdaily.py
"""

import sys
import time

import numpy as np
import torch

from rnnlab.panel.baselines import SeasonalNaive
from rnnlab.panel.datasets import load_panel
from rnnlab.panel.model import GlobalForecaster

HORIZON, ORIGINS, SEEDS = 14, 4, (0, 1, 2)


def origins():
    """(training part, test part) of each origin, oldest first."""
    panel = load_panel("elecdaily")
    for k in range(ORIGINS, 0, -1):
        seen = panel.cut((k - 1) * HORIZON)  # up to the end of this origin's window
        yield seen.cut(HORIZON), seen.df.groupby("unique_id").tail(HORIZON)


def baseline_rmse():
    """The seasonal naive's RMSE over the same origins and days (no seeds: no training)."""
    errs = []
    for train, test in origins():
        m = SeasonalNaive().fit(train).predict(HORIZON).merge(test, on=["unique_id", "ds"])
        errs.append((m["mean"] - m["y"]).to_numpy())
    return float(np.sqrt(np.mean(np.concatenate(errs) ** 2)))


def run(covariates, seed):
    errs = []
    for train, test in origins():
        # difference="none" in both: the same model, with and without the covariates
        f = GlobalForecaster("lstm", lookback=28, horizon=HORIZON, future_covariates=covariates,
                             difference="none", seed=seed, epochs=30, batch_size=64, batches_per_epoch=20,
                             max_seconds=30).fit(train)
        out = f.predict(HORIZON, future=test[["unique_id", "ds", *covariates]])
        m = out.merge(test, on=["unique_id", "ds"])
        errs.append((m["mean"] - m["y"]).to_numpy())
    return float(np.sqrt(np.mean(np.concatenate(errs) ** 2)))


def main():
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    res = {}
    for name, cov in (("without", ()), ("with Temperature, WorkDay", ("Temperature", "WorkDay"))):
        res[name] = [run(cov, s) for s in SEEDS]
        print(f"{name:28s} RMSE per seed {np.round(res[name], 2).tolist()}  mean "
              f"{np.mean(res[name]):.2f}", flush=True)
    print(f"{'seasonal naive (7 days)':28s} RMSE {baseline_rmse():.2f}", flush=True)
    a, b = np.mean(res["without"]), np.mean(res["with Temperature, WorkDay"])
    print(f"RMSE with covariates is {100 * (1 - b / a):.1f}% lower ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    sys.exit(main())
