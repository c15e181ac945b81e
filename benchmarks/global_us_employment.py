"""A quick global fit on us_employment (148 monthly series): fit time, peak memory, and
the last 12 months' MASE beside seasonal naive, with the 80% interval's coverage.
(The full rolling backtest with ETS is panels-eval's `rnnlab backtest`.)

    PYTHONPATH=src python benchmarks/global_us_employment.py [max_seconds] [ensemble]
"""

import resource
import sys
import time

import numpy as np
import torch

from rnnlab.panel.datasets import load_panel
from rnnlab.panel.model import GlobalForecaster

H = 12


def main(max_seconds=60.0, ensemble=1):
    torch.set_num_threads(1)
    panel = load_panel("us_employment")
    train = panel.cut(H)
    test = panel.df.groupby("unique_id").tail(H)
    t0 = time.perf_counter()
    f = GlobalForecaster("lstm", lookback=36, horizon=H, max_seconds=max_seconds,
                         ensemble=ensemble).fit(train)
    out = f.predict(H)
    secs = time.perf_counter() - t0
    m = out.merge(test, on=["unique_id", "ds"])
    scale = {u: np.mean(np.abs(g["y"].to_numpy()[12:] - g["y"].to_numpy()[:-12]))
             for u, g in train.df.groupby("unique_id")}
    snaive = {u: g["y"].to_numpy()[-12:] for u, g in train.df.groupby("unique_id")}
    m["scale"] = m["unique_id"].map(scale)
    m["snaive"] = [snaive[u][s - 1] for u, s in zip(m["unique_id"], m["step"])]
    mase = (np.abs(m["mean"] - m["y"]) / m["scale"]).groupby(m["unique_id"]).mean().mean()
    mase_sn = (np.abs(m["snaive"] - m["y"]) / m["scale"]).groupby(m["unique_id"]).mean().mean()
    cover = ((m["y"] >= m["q0.1"]) & (m["y"] <= m["q0.9"])).mean()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"series {len(f.features.transforms)}, fit+predict {secs:.0f} s (max_seconds "
          f"{max_seconds}, ensemble {ensemble}), steps {[h['steps'] for h in f.histories]}, "
          f"stop {[h['stop_reason'] for h in f.histories]}")
    print(f"last 12 months: mean MASE {mase:.3f}, seasonal naive {mase_sn:.3f} (ratio "
          f"{mase / mase_sn:.2f}); 80% interval coverage {cover:.3f}; peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    sys.exit(main(*(float(a) if i == 0 else int(a) for i, a in enumerate(sys.argv[1:]))))
