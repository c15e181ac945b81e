"""The default Forecaster on many series: 30 US employment series, last 24 months held out.

    python benchmarks/defaults_us_employment.py                 # the 30 test series, recorded
    python benchmarks/defaults_us_employment.py --series 5      # the first 5 of them, quickly
    python benchmarks/defaults_us_employment.py --tune --series 10 --set epochs=100
                                                                # 10 *other* series (tuning)

Series: 30 drawn at random (numpy seed 21) from the 148 of
``../shared/data/panels/us_employment.csv`` (beside the repository; ``--panel`` to point
elsewhere). Each is fitted on all but its last 24 months with ``Forecaster(horizon=24)``
and every other setting at its default (``--set key=value`` changes one, for tuning),
one series at a time, then forecasts the 24 held-out months once. ``--tune`` draws from
the other 118 series instead, so defaults can be tuned without looking at the test series.

Scores: MASE = MAE on the 24 months / in-sample MAE of the seasonal naive (lag 12) on the
training part. "beats seasonal naive" = a strictly lower MASE (equivalently MAE) than the
seasonal naive on that series; a tie (the choice *is* the seasonal naive) does not count.
ETS: statsmodels ExponentialSmoothing per series, additive trend (damped or not) and
additive or multiplicative season, the lowest AICc of the four.
Intervals: the share of held-out months inside the model's 80% and 95% intervals
(``predict(quantiles=...)``, :mod:`rnnlab.forecast.intervals`).
Writes ``benchmarks/results/defaults_us_employment[-tag].{json,md}`` (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the repository (CI); a worktree finds it further up
PANEL = next((d / "shared" / "data" / "panels" / "us_employment.csv" for d in ROOT.parents
              if (d / "shared" / "data" / "panels" / "us_employment.csv").is_file()),
             ROOT.parent / "shared" / "data" / "panels" / "us_employment.csv")
HOLDOUT, PERIOD, SEED, COUNT = 24, 12, 21, 30


def load_panel(path: Path) -> dict:
    if not path.is_file():
        sys.exit(f"defaults_us_employment: {path} not found. The benchmark reads the panel from "
                 f"../shared/data/panels/us_employment.csv beside the repository; pass "
                 f"--panel PATH to the us_employment.csv of the fpp3 data sets")
    d = pd.read_csv(path)
    out = {}
    for sid, g in d.groupby("Series_ID", sort=True):
        idx = pd.DatetimeIndex(pd.to_datetime(g["Month"], format="%Y-%m"), freq="MS")
        out[sid] = pd.Series(g["Employed"].to_numpy(np.float64), index=idx, name=sid)
    return out


def draw(ids: list, tune: bool) -> list:
    """The 30 test series (seed 21), or, for tuning, every other series: first the 30 drawn
    from them with seed 22 (the tuning set), then the rest in order (a larger tuning set
    with ``--series 118``)."""
    rng = np.random.default_rng(SEED)
    test = [ids[i] for i in rng.choice(len(ids), COUNT, replace=False)]
    if not tune:
        return test
    rest = [s for s in ids if s not in test]
    first = [rest[i] for i in np.random.default_rng(SEED + 1).choice(len(rest), COUNT, replace=False)]
    return first + [s for s in rest if s not in first]


def mase_scale(train: np.ndarray) -> float:
    return float(np.mean(np.abs(train[PERIOD:] - train[:-PERIOD])))


def ets_forecast(train: np.ndarray, steps=None) -> tuple:
    steps = HOLDOUT if steps is None else steps  # read at call time (defaults_visnights sets it)
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    best = None
    for damped in (True, False):
        for season in ("add", "mul"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    r = ExponentialSmoothing(train, trend="add", damped_trend=damped,
                                             seasonal=season, seasonal_periods=PERIOD,
                                             initialization_method="estimated").fit()
                except (ValueError, np.linalg.LinAlgError):
                    continue
            if np.isfinite(r.aicc) and (best is None or r.aicc < best[0]):
                best = (r.aicc, r.forecast(steps), f"A{'d' if damped else ''},{season[0].upper()}")
    return np.asarray(best[1]), best[2]


def run_series(s: pd.Series, settings: dict) -> dict:
    from rnnlab.forecast import Forecaster

    values = s.to_numpy()
    train, test = values[:-HOLDOUT], values[-HOLDOUT:]
    t0, c0 = time.perf_counter(), time.process_time()
    f = Forecaster(horizon=HOLDOUT, progress=False, **settings).fit(s)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    scale = mase_scale(train)
    preds = {"model": f.forecast_from(train, HOLDOUT),
             "network": f.forecast_with("network", train, HOLDOUT),
             "seasonal_naive": np.tile(train[-PERIOD:], HOLDOUT // PERIOD),
             "drift": f.forecast_with("drift", train, HOLDOUT),
             "combined": f.forecast_with("combined", train, HOLDOUT),
             "linear_ar": f.forecast_with("linear_ar", train, HOLDOUT),
             "linear_ar0": f.forecast_with("linear_ar0", train, HOLDOUT),
             "arma": f.forecast_with("arma", train, HOLDOUT),
             "weighted": f.forecast_with("weighted", train, HOLDOUT)}
    t1 = time.perf_counter()
    preds["ets"], ets_form = ets_forecast(train)
    ets_s = time.perf_counter() - t1
    from rnnlab.forecast.intervals import error_sd, quantile_forecast, width_scale

    q = quantile_forecast(f, train, preds["model"], (0.025, 0.1, 0.9, 0.975))
    inside = {"80": float(np.mean((test >= q[:, 1]) & (test <= q[:, 2]))),
              "95": float(np.mean((test >= q[:, 0]) & (test <= q[:, 3])))}
    pipe = f.pipeline  # the errors in units of the width before its scale c (any c: offline)
    unit = (pipe.transform(test) - pipe.transform(preds["model"])) / error_sd(
        f.arma, pipe.changes(train), pipe.lag, HOLDOUT)
    mase = {k: float(np.mean(np.abs(p - test)) / scale) for k, p in preds.items()}
    rmse = {k: float(np.sqrt(np.mean((p - test) ** 2))) for k, p in preds.items()}
    return {"series": s.name, "points": len(values), "choice": f.choice["method"],
            "validation": f.choice.get("scores", {}), "mase": mase, "rmse": rmse,
            "interval_coverage": inside, "width_scale": width_scale(f.choice),
            "unit_errors": [float(v) for v in unit],
            "fit_seconds": fit_s, "fit_cpu_seconds": fit_cpu, "ets_seconds": ets_s, "ets_form": ets_form,
            "epochs": [len(h["epochs"]) for h in f.histories],
            "best_epoch": [h.get("best_epoch") for h in f.histories]}


def summarize(rows: list) -> dict:
    m = {k: np.array([r["mase"][k] for r in rows]) for k in rows[0]["mase"]}
    choices = pd.Series([r["choice"] for r in rows]).value_counts().to_dict()
    fits = np.array([r["fit_seconds"] for r in rows])
    cpu = np.array([r.get("fit_cpu_seconds", np.nan) for r in rows])
    return {"series": len(rows),
            "beats_seasonal_naive": float(np.mean(m["model"] < m["seasonal_naive"])),
            "network_beats_seasonal_naive": float(np.mean(m["network"] < m["seasonal_naive"])),
            "model_not_worse_than_seasonal_naive": float(np.mean(m["model"] <= m["seasonal_naive"])),
            "beats_ets": float(np.mean(m["model"] < m["ets"])),
            "mean_mase": {k: float(v.mean()) for k, v in m.items()},
            "median_mase": {k: float(np.median(v)) for k, v in m.items()},
            "choices": {str(k): int(v) for k, v in choices.items()},
            "fit_seconds": {"mean": float(fits.mean()), "max": float(fits.max()),
                            "total": float(fits.sum())},
            "fit_cpu_seconds": {"mean": float(cpu.mean()), "max": float(cpu.max())},
            "interval_coverage": {k: float(np.mean([r["interval_coverage"][k] for r in rows]))
                                  for k in ("80", "95") if "interval_coverage" in rows[0]}}


def markdown(summary: dict, rows: list, meta: dict) -> str:
    s = summary
    lines = [f"# Default Forecaster on {s['series']} us_employment series (last {HOLDOUT} months held out)",
             "", f"Run: `{meta['command']}` ({meta['when']}, {meta['threads']} torch thread(s); "
             f"machine load average at start {meta['load']}; CPU "
             f"{meta.get('cpu') or 'not recorded'}, torch kernels {meta.get('cpu_kernels') or 'not recorded'}).", "",
             f"- beats seasonal naive (strictly lower MASE): {s['beats_seasonal_naive']:.0%} "
             f"(not worse: {s['model_not_worse_than_seasonal_naive']:.0%}; the network alone: "
             f"{s['network_beats_seasonal_naive']:.0%}); beats ETS: {s['beats_ets']:.0%}",
             f"- choices: {s['choices']}",
             f"- fit seconds per series (whole ensemble): mean {s['fit_seconds']['mean']:.1f}, "
             f"max {s['fit_seconds']['max']:.1f} wall; CPU time (the process's, one thread: "
             f"the wall time it would take on a free core) mean {s['fit_cpu_seconds']['mean']:.1f}, "
             f"max {s['fit_cpu_seconds']['max']:.1f}",
             "- share of the held-out months inside predict(quantiles=...)'s intervals: "
             + ", ".join(f"{k}% interval {v:.3f}" for k, v in s.get("interval_coverage", {}).items()),
             "",
             "| method | mean MASE | median MASE |", "|---|---|---|"]
    for k in s["mean_mase"]:
        lines.append(f"| {k} | {s['mean_mase'][k]:.3f} | {s['median_mase'][k]:.3f} |")
    lines += ["", "| series | points | choice | model | network | combined | seasonal naive | drift | linear AR | ETS (form) | fit s (CPU s) |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        q = r["mase"]
        lines.append(f"| {r['series']} | {r['points']} | {r['choice']} | {q['model']:.3f} | "
                     f"{q['network']:.3f} | {q['combined']:.3f} | {q['seasonal_naive']:.3f} | {q['drift']:.3f} | "
                     f"{q['linear_ar']:.3f} | {q['ets']:.3f} ({r['ets_form']}) | "
                     f"{r['fit_seconds']:.1f} ({r.get('fit_cpu_seconds', float('nan')):.1f}) |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--series", type=int, default=COUNT, help="use the first N of the 30")
    p.add_argument("--tune", action="store_true", help="30 other series (for tuning defaults; "
                   "with --series 118: every series but the 30 test ones)")
    p.add_argument("--start", type=int, default=0, help="skip the first K of the drawn 30")
    p.add_argument("--panel", type=Path, default=PANEL)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="a Forecaster setting other than its default (repeatable)")
    p.add_argument("--tag", default="", help="suffix of the result files")
    p.add_argument("--no-write", action="store_true")
    a = p.parse_args(argv)
    settings = {}
    for kv in a.set:
        k, _, v = kv.partition("=")
        settings[k] = json.loads(v) if v[:1] in "0123456789-[{tfn" else v
    import torch

    from rnnlab.io.versions import cpu_model

    panel = load_panel(a.panel)
    ids = draw(sorted(panel), a.tune)[a.start: a.series]
    meta = {"command": "python " + " ".join([Path(sys.argv[0]).as_posix()] + (argv or sys.argv[1:])),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "threads": settings.get("threads", 1), "load": os.getloadavg()[0],
            "settings": settings, "tune": a.tune, "torch": torch.__version__,
            "cpu": cpu_model(), "cpu_kernels": torch.backends.cpu.get_cpu_capability()}
    rows = []
    for i, sid in enumerate(ids):
        r = run_series(panel[sid], settings)
        rows.append(r)
        print(f"[{i + 1}/{len(ids)}] {sid} ({r['points']} pts) choice={r['choice']:<14} "
              f"MASE model {r['mase']['model']:.3f} network {r['mase']['network']:.3f} "
              f"snaive {r['mase']['seasonal_naive']:.3f} ets {r['mase']['ets']:.3f} "
              f"fit {r['fit_seconds']:.1f}s", flush=True)
    summary = summarize(rows)
    text = markdown(summary, rows, meta)
    print(text)
    if not a.no_write:
        write_results("defaults_us_employment", a.tag, meta, summary, rows, text)
    return 0


def write_results(name: str, tag: str, meta: dict, summary, rows, text: str) -> None:
    """``benchmarks/results/NAME[-TAG].{json,md}``, each written atomically."""
    from rnnlab.io.atomic import atomic_write_json, atomic_write_text

    stem = ROOT / "benchmarks" / "results" / f"{name}{'-' + tag if tag else ''}"
    atomic_write_json(stem.with_suffix(".json"), {"meta": meta, "summary": summary, "rows": rows})
    atomic_write_text(stem.with_suffix(".md"), text)
    print(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    raise SystemExit(main())
