"""``rnnlab forecast``: train, evaluate against baselines, forecast, and write a run directory.

    run/config.json      resolved ForecastConfig, seed, versions, data SHA-256
    run/metrics.json     model and baselines (naive, seasonal naive, linear AR) on the test part
    run/forecast.csv     test-part forecasts of every method + the forecast past the data
    run/*.png            forecast, loss curves, error by horizon step
    run/model/           weights (safetensors) + config/scaler JSON: Forecaster.load(run/"model")
    run/checkpoints/     training checkpoints (--resume continues them)

``rnnlab forecast --run DIR --horizon N`` reloads DIR/model and forecasts again, no training.
``--seeds 0 1 2`` trains one run per seed into DIR/seed_K and writes DIR/summary.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.atomic import atomic_write_json, atomic_write_text
from ..io.errors import DataError, RunDirError
from ..io.rundir import RunLock, data_hash, prepare_run_dir, write_run_info
from .config import DIFFERENCES, STRATEGIES, TRANSFORMS, ForecastConfig
from .forecaster import Forecaster

METHODS = ("model", "seasonal_naive", "naive", "linear_ar")


def _size(s: str):
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a count (12) or a fraction (0.2), got {s!r}")
    return int(v) if v.is_integer() and v >= 1 else v


def register(sub) -> None:
    d = ForecastConfig()
    p = sub.add_parser("forecast", help="train, evaluate and forecast a series; write a run directory",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="airline",
                   help="built-in dataset (`rnnlab datasets`), stooq:SYMBOL, or a CSV path (default airline)")
    p.add_argument("--column", default=None, help="CSV column name or index (default: the numeric one / Close)")
    p.add_argument("--date-column", default=None, help="date column (default: detected; 'none' to ignore)")
    p.add_argument("--fill", default=None, choices=["ffill", "bfill", "interpolate", "drop"],
                   help="what to do with NaNs (default: refuse and list the rows)")
    p.add_argument("--model", default=d.model, help=f"architecture (`rnnlab models`; default {d.model})")
    p.add_argument("--hidden-size", type=int, default=d.hidden_size)
    p.add_argument("--num-layers", type=int, default=d.num_layers)
    p.add_argument("--lookback", type=int, default=d.lookback)
    p.add_argument("--horizon", type=int, default=None, help=f"forecast steps (default {d.horizon})")
    p.add_argument("--strategy", choices=STRATEGIES, default=d.strategy)
    p.add_argument("--transform", choices=TRANSFORMS, default=d.transform)
    p.add_argument("--difference", choices=DIFFERENCES, default=d.difference)
    p.add_argument("--period", type=int, default=None, help="seasonal period (default: from the dates)")
    p.add_argument("--scaler", choices=["standard", "minmax", "none"], default=d.scaler)
    p.add_argument("--test-size", type=_size, default=None,
                   help="held-out end: count or fraction (default: the horizon)")
    p.add_argument("--val-size", type=_size, default=None,
                   help="validation tail of the training part (default: the horizon; 0: none)")
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--patience", type=int, default=d.patience)
    p.add_argument("--clip-norm", type=float, default=d.clip_norm)
    p.add_argument("--ensemble", type=int, default=d.ensemble, help="seeds averaged per model")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seeds", type=int, nargs="+", default=None,
                   help="several runs (DIR/seed_K) and a mean ± std summary")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N")
    p.add_argument("--threads", type=int, default=1,
                   help="CPU threads for torch (default 1: small recurrent models run fastest, "
                        "and far faster on a busy machine, on one thread; 0: torch's default)")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--out", default=None, help="run directory (default runs/forecast-<data>)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run directory")
    p.add_argument("--run", default=None, help="reload this run directory and forecast again")
    p.set_defaults(func=run)


def config_from_args(args, seed: int) -> ForecastConfig:
    d = ForecastConfig()
    return ForecastConfig(
        model=args.model, hidden_size=args.hidden_size, num_layers=args.num_layers,
        lookback=args.lookback, horizon=args.horizon or d.horizon, strategy=args.strategy,
        transform=args.transform, difference=args.difference, period=args.period,
        scaler=args.scaler, fill=args.fill, test_size=args.test_size, val_size=args.val_size,
        epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, patience=args.patience,
        clip_norm=args.clip_norm, ensemble=args.ensemble, seed=seed, device=args.device,
        progress=not args.no_progress)


def run(args) -> int:
    if getattr(args, "threads", 0):
        import torch

        torch.set_num_threads(args.threads)
    if args.run:
        return predict_again(args)
    out = Path(args.out or f"runs/forecast-{str(args.data).replace(':', '_').replace('/', '_')}")
    seeds = args.seeds or [args.seed]
    if len(seeds) == 1 and not args.seeds:
        train_one(args, out, seeds[0])
        return 0
    prepare_run_dir(out, overwrite=args.overwrite, resume=args.resume)
    results = {}
    for s in seeds:
        results[s] = train_one(args, out / f"seed_{s}", s)
    summary = summarize(results)
    atomic_write_json(out / "summary.json", summary)
    print(format_summary(summary, seeds))
    return 0


def train_one(args, out: Path, seed: int) -> dict:
    """One run; every file of the run directory is written here, by this (rank-0) process."""
    cfg = config_from_args(args, seed)
    date_col = False if (args.date_column or "").lower() == "none" else args.date_column
    prepare_run_dir(out, overwrite=args.overwrite, resume=args.resume)
    with RunLock(out):
        f = Forecaster(config=cfg)
        f.fit(args.data, column=args.column, date_column=date_col,
              checkpoint_dir=out / "checkpoints", resume=args.resume)
        write_run_info(out, {**cfg.to_dict(), "data": args.data, "column": args.column}, seed,
                       data_hash(f.series.values))
        ev = f.evaluate()
        future = f.predict(cfg.horizon)
        f.save(out / "model")
        atomic_write_json(out / "metrics.json", {k: v for k, v in ev.items() if k != "predictions"})
        atomic_write_text(out / "forecast.csv", forecast_csv(f, ev, future))
        f.plot(out / "forecast.png", "forecast", future=future)
        f.plot(out / "loss.png", "loss")
        f.plot(out / "error_by_step.png", "horizon")
    print(format_metrics(ev, out))
    return ev


def forecast_csv(f: Forecaster, ev: dict, future: pd.Series) -> str:
    s, nt = f.series, f.n_train
    idx = s.index if s.index is not None else pd.RangeIndex(len(s))
    test = pd.DataFrame({"time": idx[nt:], "part": "test", "actual": s.values[nt:]})
    for name, pred in ev["predictions"].items():
        test[name] = pred
    fut = pd.DataFrame({"time": future.index, "part": "future", "actual": np.nan,
                        "model": future.values})
    return pd.concat([test, fut], ignore_index=True).to_csv(index=False)


def format_metrics(ev: dict, out: Path) -> str:
    lines = [f"test part: last {ev['test_size']} points; forecast from the end of the training part",
             f"{'method':<16}{'RMSE':>10}{'MAE':>10}{'MAPE%':>8}{'sMAPE%':>8}{'MASE':>7}"]
    for name in METHODS:
        if name in ev["forecast"]:
            m = ev["forecast"][name]
            lines.append(f"{name:<16}{m['rmse']:>10.2f}{m['mae']:>10.2f}{m['mape']:>8.2f}"
                         f"{m['smape']:>8.2f}{m['mase']:>7.3f}")
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


def predict_again(args) -> int:
    run_dir = Path(args.run)
    model = run_dir / "model"
    if not model.exists():
        raise RunDirError(f"{run_dir}: no model/ folder; pass a directory written by "
                          f"`rnnlab forecast --out DIR`")
    f = Forecaster.load(model, device="cpu")
    steps = args.horizon or f.config.horizon
    if steps < 1:
        raise DataError(f"--horizon must be >= 1, got {steps}")
    pred = f.predict(steps)
    text = pd.DataFrame({"time": pred.index, "forecast": pred.values}).to_csv(index=False)
    if args.out:
        path = Path(args.out)
        if path.exists() and not args.overwrite:
            raise RunDirError(f"{path}: exists; pass --overwrite to replace it or choose another --out")
        atomic_write_text(path, text)
        print(f"wrote {steps} forecasts to {path}")
    else:
        print(text, end="")
    return 0
