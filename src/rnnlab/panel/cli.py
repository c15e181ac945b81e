"""``rnnlab backtest``: a rolling-origin backtest of a panel model beside its baselines.

    rnnlab backtest --data panel.csv --id-column Series_ID --date-column Month \\
        --column Employed --model seasonal_naive --baselines naive,ets \\
        --horizon 12 --stride 12 --first-origin 36 --out runs/bt

writes into ``--out``: ``forecasts.csv`` (model, unique_id, origin, ds, step, y, mean,
q..., scale), ``summary.csv`` / ``summary.json`` (metrics per model), ``per_series.csv``,
``by_step.csv``, the plots, and ``config.json`` (options, seed, versions).

``--model``: a baseline (``naive``, ``seasonal_naive``, ``ets``) or an architecture of the
global network (``lstm``, ...; needs ``rnnlab.panel.model.GlobalForecaster``).

For ``rnnlab forecast``: :func:`add_panel_options` adds the panel data options to its
parser (those it lacks) and :func:`run_panel_forecast` fits on the whole panel and writes
the forecast of the next ``--horizon`` steps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io.errors import DataError, RnnlabError
from ..train.cli_args import at_least, positive_number
from .baselines import BASELINES

PANEL_OPTIONS = ("data", "id_column", "date_column", "column", "fill", "future_covariates",
                 "past_covariates", "static_covariates", "calendar", "quantiles", "future_data")


def _names(text) -> tuple:
    return tuple(s.strip() for s in (text or "").split(",") if s.strip())


def add_panel_options(p: argparse.ArgumentParser) -> None:
    """The panel data options; an option the parser already has (``rnnlab forecast``'s
    ``--data``, ``--column``, ``--date-column``, ``--fill``) is left as it is."""
    have = set(p._option_string_actions)

    def add(flag, **kw):
        if flag not in have:
            p.add_argument(flag, **kw)

    add("--data", required=True, help="long CSV: one row per series and date")
    add("--id-column", default=None, help="series id column (default unique_id)")
    add("--date-column", default=None, help="date column (default ds)")
    add("--column", default=None, help="target column (default y)")
    add("--fill", default=None, choices=["ffill", "bfill", "interpolate", "drop"],
        help="what to do with NaNs (default: refuse and list the rows)")
    add("--future-covariates", default="", help="comma-separated columns known ahead "
        "(calendar, holidays, planned prices, weather forecasts)")
    add("--past-covariates", default="", help="comma-separated columns observed up to now")
    add("--static-covariates", default="", help="comma-separated columns constant per series")
    add("--calendar", default="", help="calendar features from the dates, e.g. "
        "month,dayofweek,holidays (global model)")
    add("--quantiles", type=float, nargs="+", default=[0.1, 0.5, 0.9],
        help="quantile levels in (0, 1), increasing (default 0.1 0.5 0.9)")
    add("--future-data", default=None, help="forecast: CSV of the future covariates over "
        "the horizon (id, date and covariate columns)")


def register(sub) -> None:
    p = sub.add_parser("backtest", help="rolling-origin backtest of a panel model and its "
                       "baselines; write forecasts, metrics and plots",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_panel_options(p)
    p.add_argument("--model", default="seasonal_naive",
                   help=f"{', '.join(BASELINES)}, or an architecture of the global network "
                        f"(`rnnlab models`)")
    p.add_argument("--baselines", default="naive,seasonal_naive,ets",
                   help="comma-separated baselines run over the same origins ('none': none)")
    p.add_argument("--horizon", type=at_least(1), required=True)
    p.add_argument("--period", type=at_least(1), default=None, help="seasonal period of the "
                   "seasonal naive and the MASE scale (default: from the frequency)")
    p.add_argument("--first-origin", type=at_least(1), default=None,
                   help="first origin, in steps before each series' end (default: horizon)")
    p.add_argument("--stride", type=at_least(1), default=None,
                   help="steps between origins (default: horizon)")
    p.add_argument("--refit", default="never", help="never (fit once, at the first origin) "
                   "or k: refit every k origins")
    p.add_argument("--lookback", type=at_least(1), default=None, help="global model's input "
                   "window (default: the model's)")
    p.add_argument("--epochs", type=at_least(1), default=None)
    p.add_argument("--max-seconds", type=positive_number("a time limit in seconds"),
                   default=None, help="global model's training time limit per fit")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=at_least(0), default=1, help="torch threads (0: torch's)")
    p.add_argument("--plot-series", type=at_least(0), default=6,
                   help="series in the forecast grid (0: no plots)")
    p.add_argument("--out", default=None, help="run directory (default runs/backtest-<data>)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    p.set_defaults(func=run_backtest)


def load_panel(args):
    """``(panel, static)`` from the data options: the panel through panels-core's
    ``read_panel`` (a stand-in reader until it is merged), static covariates as a frame
    ``unique_id, <columns>`` (one row per series)."""
    try:
        from .frame import read_panel
    except ImportError:  # panels-core's reader not merged in this install
        from ._stand_in_frame import read_panel
    panel = read_panel(args.data, id_column=args.id_column, date_column=args.date_column,
                       target=args.column, fill=args.fill)
    cols = [c for opt in ("future_covariates", "past_covariates", "static_covariates")
            for c in _names(getattr(args, opt, ""))]
    missing = [c for c in cols if c not in panel.df.columns]
    if missing:
        raise DataError(f"{args.data}: covariate columns {missing} not found; the columns are "
                        f"{[c for c in panel.df.columns if c not in ('unique_id', 'ds')]}")
    static = None
    names = list(_names(getattr(args, "static_covariates", "")))
    if names:
        g = panel.df.groupby("unique_id", sort=False)
        varies = [c for c in names if (g[c].nunique(dropna=False) > 1).any()]
        if varies:
            bad = g[varies[0]].nunique(dropna=False)
            raise DataError(f"static covariate {varies[0]!r} varies in time in series "
                            f"{list(bad[bad > 1].index[:5])}; pass it as a past or future "
                            f"covariate instead")
        static = g[names].first().reset_index()
    return panel, static


def model_factory(args, horizon: int):
    """``(name, factory)`` of the model named by ``--model``."""
    q = tuple(args.quantiles) if args.quantiles else None
    if args.model in BASELINES:
        from .baselines import make_baseline

        return args.model, lambda: make_baseline(args.model, q)
    try:
        from .model import GlobalForecaster
    except ImportError:
        raise RnnlabError(
            f"--model {args.model}: the global network (rnnlab.panel.model.GlobalForecaster) "
            f"is not in this install; backtest a baseline with --model "
            f"{'|'.join(BASELINES)}") from None
    kw = dict(model=args.model, horizon=horizon, quantiles=q,
              future_covariates=_names(args.future_covariates),
              past_covariates=_names(args.past_covariates),
              static_covariates=_names(args.static_covariates),
              calendar=_names(args.calendar), seed=args.seed)
    for opt in ("lookback", "epochs", "max_seconds"):
        if getattr(args, opt, None) is not None:
            kw[opt] = getattr(args, opt)
    return args.model, lambda: GlobalForecaster(**kw)


def _refit(text: str):
    if str(text) == "never":
        return "never"
    try:
        return int(text)
    except ValueError:
        raise DataError(f"--refit: expected 'never' or a whole number k >= 1, got "
                        f"{text!r}") from None


def _packages() -> dict:
    import importlib.metadata as md

    out = {}
    for name in ("pandas", "statsmodels", "properscoring", "scipy", "matplotlib"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


def _setup(args):
    import numpy as np

    from .baselines import check_quantiles

    check_quantiles(args.quantiles)
    np.random.seed(args.seed)
    if args.model not in BASELINES and getattr(args, "threads", 0):
        import torch

        torch.set_num_threads(args.threads)


def run_backtest(args) -> int:
    from ..io.atomic import atomic_write_json, atomic_write_text, finite_json
    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir, write_run_info
    from .backtest import backtest

    _setup(args)
    refit = _refit(args.refit)
    baselines = [b for b in _names(args.baselines) if b != "none"]
    unknown = [b for b in baselines if b not in BASELINES]
    if unknown:
        raise DataError(f"--baselines: unknown {unknown}; choose from {', '.join(BASELINES)} "
                        f"or 'none'")
    panel, static = load_panel(args)
    if args.period is not None:
        import dataclasses

        panel = dataclasses.replace(panel, period=args.period)
    name, factory = model_factory(args, args.horizon)
    baselines = [b for b in baselines if b != name]
    out = Path(args.out or f"runs/backtest-{Path(str(args.data)).stem}")
    prepare_run_dir(out, overwrite=args.overwrite, inputs=[args.data], resumable=False)
    with RunLock(out):
        config = {k: v for k, v in vars(args).items()
                  if k not in ("func", "given_options", "overwrite")}
        config["packages"] = _packages()
        write_run_info(out, config, seed=args.seed)
        result = backtest(factory, panel, horizon=args.horizon, first_origin=args.first_origin,
                          stride=args.stride or args.horizon, refit=refit, static=static,
                          baselines=baselines, future_covariates=_names(args.future_covariates),
                          quantiles=args.quantiles, name=name)
        summary = result.summary()
        atomic_write_text(out / "forecasts.csv", result.forecasts.to_csv(index=False))
        atomic_write_text(out / "summary.csv", summary.to_csv(index=False))
        atomic_write_json(out / "summary.json", finite_json(
            {"models": summary.to_dict(orient="records"), "origins_before_end": result.offsets,
             "horizon": args.horizon, "refit": refit}))
        atomic_write_text(out / "per_series.csv", result.per_series().to_csv(index=False))
        atomic_write_text(out / "by_step.csv", result.by_step().to_csv(index=False))
        if args.plot_series:
            from .plots import plot_backtest

            plot_backtest(out, result, panel.df, n=args.plot_series)
        finish_run_dir(out)
    cols = [c for c in ("model", "mase", "rmse", "smape", "crps", "coverage80", "width80",
                        "n_series", "seconds") if c in summary]
    print(summary[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"rnnlab backtest: wrote {out}", file=sys.stderr)
    return 0


def run_panel_forecast(args) -> int:
    """Fit ``--model`` on the whole panel and write ``forecasts.csv`` (unique_id, ds,
    step, mean, q...) for the next ``--horizon`` steps into ``--out``; future covariates
    over the horizon come from ``--future-data``."""
    import pandas as pd

    from ..io.atomic import atomic_write_text
    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir, write_run_info

    _setup(args)
    panel, static = load_panel(args)
    name, factory = model_factory(args, args.horizon)
    future = None
    cols = list(_names(args.future_covariates))
    if cols:
        if not args.future_data:
            raise DataError(f"future covariates {cols} need their values over the "
                            f"{args.horizon} steps ahead: pass --future-data FILE.csv")
        raw = pd.read_csv(args.future_data)
        idc, dc = args.id_column or "unique_id", args.date_column or "ds"
        missing = [c for c in [idc, dc] + cols if c not in raw.columns]
        if missing:
            raise DataError(f"{args.future_data}: columns {missing} not found (found "
                            f"{list(raw.columns)})")
        future = raw.rename(columns={idc: "unique_id", dc: "ds"})[["unique_id", "ds"] + cols]
        future["unique_id"] = future["unique_id"].astype(str)
        future["ds"] = pd.to_datetime(future["ds"])
    out = Path(args.out or f"runs/forecast-{Path(str(args.data)).stem}")
    prepare_run_dir(out, overwrite=getattr(args, "overwrite", False), inputs=[args.data],
                    resumable=False)
    with RunLock(out):
        write_run_info(out, {k: v for k, v in vars(args).items()
                             if k not in ("func", "given_options")}, seed=args.seed)
        model = factory().fit(panel, static=static)
        fc = model.predict(args.horizon, future=future)
        atomic_write_text(out / "forecasts.csv", fc.to_csv(index=False))
        finish_run_dir(out)
    print(f"rnnlab forecast: wrote {out / 'forecasts.csv'} ({name}, {len(fc)} rows)",
          file=sys.stderr)
    return 0
