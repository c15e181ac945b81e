"""Speed of scoring a cross-validation frame of many cutoffs: ``score_forecast`` (the
``rnnlab score`` path) and ``rnnlab.panel.accuracy`` on 200 monthly series, 10 cutoffs,
3 models, horizon 12 (72,000 forecast rows). Prints seconds per call; run before and
after a change on the same machine and compare.

    PYTHONPATH=src python benchmarks/score_cutoffs_speed.py
"""

import time
import warnings

import numpy as np
import pandas as pd

from rnnlab.forecast.scoring import score_forecast
from rnnlab.panel import accuracy, read_panel


def frames(n_series=200, length=240, cutoffs=10, horizon=12, models=3, seed=0):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2000-01-01", periods=length, freq="MS")
    season = np.sin(np.arange(length) * 2 * np.pi / 12)
    data = pd.concat([pd.DataFrame({"unique_id": f"s{i:03d}", "ds": dates,
                                    "y": 50 + 10 * season + rng.normal(0, 2, length)})
                      for i in range(n_series)], ignore_index=True)
    cuts = dates[length - horizon - cutoffs: length - horizon]
    rows = []
    for m in range(models):
        for c in cuts:
            ds = pd.date_range(c, periods=horizon + 1, freq="MS")[1:]
            for i in range(n_series):
                rows.append(pd.DataFrame({"unique_id": f"s{i:03d}", "ds": ds, "cutoff": c,
                                          "model": f"m{m}", "mean": 50.0 + m}))
    return pd.concat(rows, ignore_index=True), data


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    fc, data = frames()
    panel = read_panel(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = best(lambda: score_forecast(fc, data))
        a = best(lambda: accuracy(fc, panel, by=("model",)))
    print(f"{len(fc)} rows: score_forecast {s:.2f} s, accuracy {a:.2f} s")


if __name__ == "__main__":
    main()
