"""What ``rnnlab forecast`` prints and writes beside the model: the metrics table with the
choice, ``forecast.csv``, and the summary over seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .selection import describe

METHODS = ("model", "network", "seasonal_naive", "naive", "drift", "linear_ar", "linear_ar0")


def forecast_csv(f, ev: dict, future: pd.Series) -> str:
    s, nt = f.series, f.n_train
    idx = s.index if s.index is not None else pd.RangeIndex(len(s))
    test = pd.DataFrame({"time": idx[nt:], "part": "test", "actual": s.values[nt:]})
    for name, pred in ev["predictions"].items():
        test[name] = pred
    fut = pd.DataFrame({"time": future.index, "part": "future", "actual": np.nan,
                        "model": future.values})
    return pd.concat([test, fut], ignore_index=True).to_csv(index=False)


def format_metrics(ev: dict, out: Path) -> str:
    k = ev["test_size"]
    if k == 0:
        return (f"no test part (--test-size 0): trained on the whole series, so there are no "
                f"held-out metrics; the forecast starts after its last point\n"
                f"run directory: {out}")
    lines = [f"test part: last {k} point{'s' if k != 1 else ''}; forecast from the end of the "
             f"training part",
             f"{'method':<16}{'RMSE':>10}{'MAE':>10}{'MAPE%':>8}{'sMAPE%':>8}{'MASE':>7}"]
    for name in METHODS:
        if name in ev["forecast"]:
            m = ev["forecast"][name]
            lines.append(f"{name:<16}{m['rmse']:>10.2f}{m['mae']:>10.2f}{m['mape']:>8.2f}"
                         f"{m['smape']:>8.2f}{m['mase']:>7.3f}")
    if "choice" in ev:
        lines.append(describe(ev["choice"]))
    p, nt = ev.get("period"), ev.get("n_train", 0)
    if p and nt < 2 * p:  # an inferred period (a given one is refused): said beside the table
        lines.append(f"note: the training part holds {nt / p:.2g} seasons of period {p}, fewer "
                     f"than two: " + ("seasonal_naive is left out and MASE scales by the lag-1 "
                                      "naive error" if nt <= p else "MASE rests on one season"))
    lines.append(f"run directory: {out}")
    return "\n".join(lines)


def summarize(results: dict) -> dict:
    summary = {"seeds": list(results), "forecast": {}}
    for name in METHODS:
        vals = {k: [r["forecast"][name][k] for r in results.values() if name in r["forecast"]]
                for k in ("rmse", "mae", "mape", "smape", "mase")}
        if vals["rmse"]:
            summary["forecast"][name] = {k: {"mean": float(np.mean(v)), "std": float(np.std(v)),
                                             "values": v} for k, v in vals.items()}
    return summary


def format_summary(summary: dict, seeds) -> str:
    lines = [f"over seeds {list(seeds)} (mean ± std):", f"{'method':<16}{'RMSE':>18}{'MAE':>18}"]
    for name, m in summary["forecast"].items():
        lines.append(f"{name:<16}{m['rmse']['mean']:>10.2f} ± {m['rmse']['std']:<5.2f}"
                     f"{m['mae']['mean']:>10.2f} ± {m['mae']['std']:<5.2f}")
    return "\n".join(lines)
