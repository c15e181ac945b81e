"""``rnnlab backtest``: a rolling-origin backtest of a panel model beside its baselines.

    rnnlab backtest --data panel.csv --id-column Series_ID --date-column Month \\
        --column Employed --model seasonal_naive --baselines naive,ets \\
        --horizon 12 --stride 12 --first-origin 36 --out runs/bt

writes into ``--out``: ``forecasts.csv`` (model, unique_id, origin, ds, step, y, mean,
q..., scale, rms_scale), ``summary.csv`` / ``summary.json`` (metrics per model), ``per_series.csv``,
``by_step.csv``, the plots, and ``config.json`` (options, seed, versions), and keeps each
finished (model, origin) fold and the networks' checkpoints in ``checkpoints/``: killed, the
same command with ``--resume`` reads the finished folds back and goes on to the tables an
uninterrupted run writes (``--checkpoint-every N``: the networks checkpoint every N steps too).

``--model``: a baseline (``naive``, ``seasonal_naive``, ``ets``, ``rw_drift``, ``mean``,
``tslm``, ``arima``; for intermittent demand ``croston``, ``sba``, ``tsb``) or an architecture of the global network (``lstm``, ...;
needs ``rnnlab.panel.model.GlobalForecaster``). One series (no id column, no covariate)
with ``--one-series``, or with ``--calendar holiday --country US``, and a network
``--model`` backtests the one-series Forecaster as ``rnnlab forecast`` trains it, with its
defaults (look-back 12, or whole periods: 14 for daily dates; an ensemble of 3;
``config.json``'s ``model_config``), not those listed below; without them, one series is
a panel of one, which the panel model backtests (a note says so).
"""
# (the docstring is the command's --help.) The global model's options are declared once,
# on PanelConfig's fields; panel_config builds the config from them. For `rnnlab forecast`,
# add_panel_options adds the panel options to its parser (those it lacks) and
# run_panel_forecast runs it on a panel (rnnlab.panel.forecast_run).

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io.encoded_input import add_encoding_option
from ..config_option import add_config_option
from ..io.errors import RnnlabError
from ..io.stdin_input import input_name
from ..train.cli_args import at_least, threads_count
from .baseline_names import BASELINE_NAMES
from .backtest_resume import add_resume_options
from .baselines_option import add_baselines_option, chosen_baselines
from .one_series_route import add_one_series_option
from .model_list import add_model_option, refuse_model_list, several
from .config import names
from .data_args import load_panel  # noqa: F401  (its old home, where callers import it)
# DATA_FIELDS: the PanelConfig fields that are data options; the others are the global
# model's (add_panel_options(..., model_options=True))
from .run_checks import (DATA_FIELDS, check_first_origin, left_out_baselines,
                         refuse_short_panel, refuse_unread_network_options,
                         seasonless_baselines, warn_unread_covariates)

def add_panel_options(p: argparse.ArgumentParser, model_options: bool = False) -> None:
    """The panel data options (and with ``model_options`` every other option of
    :class:`~rnnlab.panel.config.PanelConfig`, declared on its fields); an option the parser
    already has (``rnnlab forecast``'s ``--data``, ``--column``, ``--hidden-size``, ...) is
    left as it is: :func:`panel_config` reads its value when it was typed."""
    from ..data.option_names import OFF_GRID, OFF_GRID_HELP
    from ..options import add_options, declared
    from .config import PanelConfig

    have = set(p._option_string_actions)

    def add(*flags, **kw):
        if not have.intersection(flags):
            p.add_argument(*flags, **kw)

    add("--data", required=True, help="a built-in panel (`rnnlab datasets`: us_employment, "
        "elecdaily, visnights) or a long CSV (.gz, .bz2, .xz, .zip too): one row per series and date "
        "(- reads standard input)")
    add("--id-column", default=None, help="series id column (default unique_id); several "
        "key columns, State,Zone: ids NSW/Metro")
    add("--date-column", default=None, help="date column (default ds)")
    add("--column", default=None, help="target column (default y)")
    add("--fill", default=None, choices=["ffill", "bfill", "interpolate", "zero"],
        help="what to do with NaNs (default: refuse and list the rows)")
    add("--off-grid", default="refuse", choices=OFF_GRID, help=OFF_GRID_HELP)
    add("--static-data", default=None, metavar="FILE.csv",
        help="CSV of static covariates: the id column (as in the data, or unique_id) and "
        "one row per series (us_employment_titles: the built-in industries)")
    add("--future-data", "--future", default=None, metavar="FILE.csv",
        help="forecast: CSV of the future covariates over the horizon (id, date and "
        "covariate columns; - reads standard input)")
    present = {f.name for f, o in declared(PanelConfig) if o.flag_for(f.name) in have}
    add_options(p, PanelConfig, only=None if model_options else DATA_FIELDS, skip=present)


def panel_config(args, **overrides):
    """The :class:`PanelConfig` of the parsed options (:func:`rnnlab.options.config_from_args`).
    Run from the command line (``args.given_options``), only the options typed there count:
    the others keep PanelConfig's defaults, also where the parser is ``rnnlab forecast``'s
    whose options of the same name default to the one-series forecaster's settings.
    ``--minutes`` (``rnnlab forecast``) sets ``max_seconds`` unless ``--max-seconds`` is given."""
    from ..options import config_from_args
    from .config import PanelConfig

    typed = getattr(args, "given_options", None)
    values = vars(args) if typed is None else {k: v for k, v in vars(args).items() if k in typed}
    if hasattr(args, "no_progress"):  # (a flag: not typed is the commands' progress, "log",
        values["no_progress"] = args.no_progress  # not PanelConfig's quiet default)
    minutes = values.get("minutes")
    if minutes is not None and values.get("max_seconds") is None:
        overrides.setdefault("max_seconds", 60 * minutes)
    return config_from_args(PanelConfig, argparse.Namespace(**values), **overrides)


def register(sub) -> None:
    p = sub.add_parser("backtest", help="rolling-origin backtest of a panel model and its "
                       "baselines; write forecasts, metrics and plots",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_option(p, "seasonal_naive", f"{', '.join(BASELINE_NAMES)}, or an architecture "
                     f"of the global network (`rnnlab models`) (default seasonal_naive); "
                     f"several networks, space- or comma-separated (lstm gru), are each "
                     f"trained and scored over the same origins, one row each")
    add_baselines_option(p)
    p.add_argument("--first-origin", type=at_least(1), default=None,
                   help="first origin, in steps before the end (default: horizon)")
    p.add_argument("--align", choices=("date", "end"), default=None,
                   help="where origins are counted from: date (the default) from the panel's "
                        "last date, every series cut at the same dates (no model sees another "
                        "series' later values); end: from each series' own end")
    p.add_argument("--stride", type=at_least(1), default=None,
                   help="steps between origins (default: horizon)")
    p.add_argument("--refit", default="never", help="never (fit once, at the first origin; "
                   "the default) or k: refit every k origins")
    # the global model's options, declared on PanelConfig's fields (--horizon, --period,
    # --lookback, --epochs, --max-seconds, --seed, ...); --period is also the baselines' and
    # the MASE scale's seasonal period
    add_panel_options(p, model_options=True)
    add_one_series_option(p)  # (--one-series: the Forecaster rnnlab forecast trains)
    p.add_argument("--threads", type=threads_count, default=1, help="CPU threads for torch (default 1; 0: torch's default)")
    p.add_argument("--plot-series", type=at_least(0), default=6,
                   help="series in the forecast grid (default 6; 0: no plots)")
    p.add_argument("--out", default=None, help="run directory (default runs/backtest-<data>)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    add_resume_options(p)  # (--resume [RUN_DIR], --checkpoint-every N: .backtest_resume)
    add_config_option(p)  # (--config FILE)
    add_encoding_option(p)  # (--encoding cp1252: its input files)
    p.set_defaults(func=run_backtest)


def model_factory(args, horizon: int):
    """``(name, factory)`` of the model named by ``--model``."""
    q = tuple(args.quantiles) if args.quantiles else None
    if args.model in BASELINE_NAMES:
        from .baselines import make_baseline

        return args.model, lambda: make_baseline(args.model, q)
    try:
        from .model import GlobalForecaster
    except ImportError:
        raise RnnlabError(
            f"--model {args.model}: the global network (rnnlab.panel.model.GlobalForecaster) "
            f"is not in this install; backtest a baseline with --model "
            f"{'|'.join(BASELINE_NAMES)}") from None
    from .models_backtest import check_network_option

    config = panel_config(args, model=args.model, horizon=horizon)
    check_network_option(config)  # (the fit's error, before the run directory is made)
    kw = config.to_dict()
    return args.model, lambda: GlobalForecaster(**kw)


def _networks(args):
    """``((first name, {name: factory}), {name: settings})`` of ``--model lstm gru``;
    ``((), {})`` for one model (:mod:`.model_list`)."""
    if not several(args.model):
        return (), {}
    from .model_list import network_factories, network_names

    nets = network_names(args)
    factories, settings = network_factories(args, nets, args.horizon)
    return (nets[0], factories), settings


def _setup(args, command: str = "forecast"):
    import numpy as np

    from .call_args import option_quantiles

    option_quantiles(args.quantiles)  # (a usage error, as forecast's)
    refuse_model_list(args.model, command)  # (--model lstm,naive; forecast: lstm,gru)
    np.random.seed(args.seed)
    if args.model not in BASELINE_NAMES and getattr(args, "threads", None):
        import torch

        torch.set_num_threads(args.threads)


def run_backtest(args) -> int:
    from ..io.previous_run import restoring_previous
    from ..io.resumed_marks import resumed_marks
    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir, write_run_info
    from .backtest import backtest
    from .backtest_args import origin_options
    from .backtest_resume import backtest_out, kept_options, stopped_words
    from .backtest_save import panel_sha256, write_results
    from .recorded_options import backtest_record
    from ..train.stops import TrainingInterrupted

    _setup(args, "backtest")
    refit, first = origin_options(args)  # (in the options' words, before any folder)
    baselines = chosen_baselines(args.baselines, args.model)  # (refused: unknown names)
    nets, settings = _networks(args)  # (--model lstm gru: each over the same origins)
    from .holiday_backtest import backtest_inputs

    panel, static, route = backtest_inputs(args)  # (route: one series with holidays)
    check_first_origin(panel, first, args.horizon, typed=args.first_origin is not None)
    name, factory = nets or (model_factory(args, args.horizon) if route is None else
                             (args.model, route.factory))  # (one series: as forecast's)
    refuse_unread_network_options(args, name)
    warn_unread_covariates(args, name)
    left_out = left_out_baselines(args, name, baselines)
    left_out.update(seasonless_baselines(args, panel, name, baselines))
    baselines = [b for b in baselines if b not in left_out]
    named = Path(input_name(args, args.data)).stem
    out, resuming = backtest_out(args, Path(f"runs/backtest-{named}"))  # (.backtest_resume)
    kept = kept_options(args, out, resuming, name, route)  # (out/checkpoints: its folds)
    if not resuming:
        refuse_short_panel(args, panel, name, route)  # (too short: before the folder)
        prepare_run_dir(out, overwrite=args.overwrite, resumable=False, inputs=[
            args.data, getattr(args, "static_data", None), getattr(args, "future_data", None)])
    with restoring_previous(out, when=not resuming), RunLock(out), \
            resumed_marks(out, resuming) as added:  # (stopped early: the replaced run back)
        model_config = (panel_config(args, model=name, horizon=args.horizon).to_dict()
                        if route is None and not settings and name not in BASELINE_NAMES
                        else None)  # (the global model's resolved settings)
        write_run_info(out, backtest_record(args, route, settings, model_config),
                       seed=args.seed, data_sha256=panel_sha256(panel))
        try:
            result = backtest(factory, panel, horizon=args.horizon,
                              first_origin=args.first_origin, stride=args.stride or args.horizon,
                              refit=refit, static=static, baselines=baselines,
                              future_covariates=names(args.future_covariates),
                              quantiles=args.quantiles, name="model" if settings else name,
                              progress=say("backtest", args), align=args.align, **kept)
        except TrainingInterrupted as e:  # (the command that goes on said; other errors
            raise stopped_words(e) from None  # as they are, their context kept)
        if route is not None:  # (a stand-in calendar's rows back on the series' dates)
            result = route.dated(result, panel)
        def plots(out, per_series, by_step):  # (before summary.json, the mark of a finished run)
            if args.plot_series:
                from .plots import plot_backtest

                plot_backtest(out, result, panel.df, n=args.plot_series,
                              tables=(per_series, by_step), networks=list(settings))
        summary = write_results(result, out, {"baselines_left_out": left_out, **(
            route.choices() if route is not None else {})}, plots)  # (what each fit chose)
        finish_run_dir(out, not_written=added)
    from .backtest_said import print_outcome

    print_outcome(summary, result, left_out)  # (the table, origins, tests and notes)
    print(f"rnnlab backtest: wrote {out}", file=sys.stderr)
    return 0


def say(command: str, args=None):
    """A ``progress`` for :func:`~rnnlab.panel.backtest.backtest`: each line to stderr,
    ``rnnlab COMMAND: ...`` (a panel of thousands of series runs for minutes); None (no
    lines) where the parsed ``args`` say --no-progress."""
    if getattr(args, "no_progress", False):
        return None

    def line(text: str) -> None:
        print(f"rnnlab {command}: {text}", file=sys.stderr, flush=True)

    return line


def run_panel_forecast(args) -> int:
    """``rnnlab forecast`` on a panel (:mod:`rnnlab.panel.forecast_run`): with ``--run DIR``
    (:mod:`rnnlab.panel.forecast_again`)
    the saved model forecasts from new data; else one model is trained, evaluated on each
    series' last horizon beside the baselines, and forecasts the next ``--horizon`` steps."""
    from .forecast_again import predict_panel_again
    from .forecast_run import train_panel

    if getattr(args, "run", None):
        return predict_panel_again(args)
    from ..train.cli_args import refuse_device_options, refuse_unread_impl

    if args.model not in BASELINE_NAMES:  # --impl fast --model lstm: said as for one series
        refuse_unread_impl(args)
    refuse_device_options(args, "the panel model (the data is a panel)", "dist_strategy")
    from .run_checks import refuse_one_series_options

    refuse_one_series_options(args)  # (--refit, --seeds, --depth ...: ignored before)
    return train_panel(args)
