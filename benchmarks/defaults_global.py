"""The issue-21 test series forecast by one global model, for comparison with the default.

    python benchmarks/defaults_global.py [max_seconds]     # default 300 s of training

One ``GlobalForecaster("lstm", lookback=36, horizon=24)`` is fitted on all 148 us_employment
series with each series' last 24 months cut (so no held-out month is seen), then forecasts
them. Scored as ``defaults_us_employment.py`` scores the single-series default (MASE against
the in-sample seasonal naive, "beats" = strictly lower), on its 30 test series and on the
118 others. Writes ``benchmarks/results/defaults_global.{json,md}``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_us_employment as D  # noqa: E402


def main(max_seconds: float = 300.0) -> int:
    import torch

    from rnnlab.panel.datasets import load_panel
    from rnnlab.panel.model import GlobalForecaster

    torch.set_num_threads(1)
    H, P = D.HOLDOUT, D.PERIOD
    panel = load_panel("us_employment")
    t0, c0 = time.perf_counter(), time.process_time()
    f = GlobalForecaster("lstm", lookback=36, horizon=H, max_seconds=max_seconds).fit(panel.cut(H))
    out = f.predict(H)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = {}
    for uid, g in panel.df.groupby("unique_id"):
        y = g["y"].to_numpy(np.float64)
        train, test = y[:-H], y[-H:]
        pred = out.loc[out["unique_id"] == uid].sort_values("ds")["mean"].to_numpy(np.float64)
        scale = D.mase_scale(train)
        snaive = np.tile(train[-P:], H // P)
        rows[str(uid)] = {"model": float(np.mean(np.abs(pred - test)) / scale),
                          "seasonal_naive": float(np.mean(np.abs(snaive - test)) / scale)}
    test_ids = set(D.draw(sorted(rows), tune=False))
    summary = {}
    for name, ids in (("test (30)", sorted(test_ids)), ("others (118)", sorted(set(rows) - test_ids))):
        m = np.array([rows[i]["model"] for i in ids])
        s = np.array([rows[i]["seasonal_naive"] for i in ids])
        summary[name] = {"series": len(ids), "beats_seasonal_naive": int(np.sum(m < s)),
                         "mean_mase": float(m.mean()), "median_mase": float(np.median(m)),
                         "seasonal_naive_mean_mase": float(s.mean())}
    meta = {"command": "python " + " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:]),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "threads": 1,
            "load": os.getloadavg()[0], "torch": torch.__version__, "max_seconds": max_seconds,
            "fit_predict_seconds": fit_s, "fit_predict_cpu_seconds": fit_cpu,
            "steps": [h.get("steps") for h in f.histories],
            "stop": [h.get("stop_reason") for h in f.histories]}
    lines = ["# One global LSTM on us_employment, last 24 months held out", "",
             f"Run: `{meta['command']}` ({meta['when']}; fit + predict {fit_s:.0f} s wall, "
             f"{fit_cpu:.0f} s CPU, one thread; load average at start {meta['load']:.2f}).", "",
             "| series | beat seasonal naive | mean MASE | median MASE | seasonal naive mean MASE |",
             "|---|---|---|---|---|"]
    for name, v in summary.items():
        lines.append(f"| {name} | {v['beats_seasonal_naive']} of {v['series']} | {v['mean_mase']:.3f} "
                     f"| {v['median_mase']:.3f} | {v['seasonal_naive_mean_mase']:.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    D.write_results("defaults_global", "", meta, summary, rows, text)
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    raise SystemExit(main(*(float(a) for a in sys.argv[1:2])))
