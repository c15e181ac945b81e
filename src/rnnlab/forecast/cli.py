"""``rnnlab forecast``: train, evaluate against baselines, forecast, and write a run directory.

    run/config.json      resolved ForecastConfig, seed, versions, data SHA-256
    run/metrics.json     model and baselines (naive, seasonal naive, drift, linear ARs, ARMA) on the test part
    run/forecast.csv     test-part forecasts of every method + the forecast past the data
                         (dates written as the data file wrote them: 02/10/2020, Jan-2020)
                         (--quantiles 0.1 0.9: the model's intervals as q0.1, q0.9 columns,
                         scored on the test part under "intervals" in metrics.json)
    run/history.csv      each ensemble member's epochs: member, epoch, train_loss, val_loss, lr, seconds
                         (since the member's start), cpu_seconds (the same span's CPU
                         time), grad_norm_mean, grad_norm_max (the gradient's norm before
                         clipping), clipped_steps, one row each (History.to_csv)
    run/*.png            forecast, loss curves, error by horizon step
    run/model/           weights (safetensors) + config/scaler JSON: Forecaster.load(run/"model")
    run/checkpoints/     training checkpoints (--resume continues them)

``rnnlab forecast --run DIR --horizon N`` reloads DIR/model and forecasts again, no training;
``--data new.csv`` with it forecasts past the end of newer data of the series.
``--seeds 0 1 2`` trains one run per seed into DIR/seed_K and writes DIR/summary.json.
``--val-data FILE`` validates on a series that continues --data (no test part).

Reliability: members checkpoint at each epoch end (and every --checkpoint-every steps);
``--resume DIR`` continues a killed run from its last checkpoint with its saved options
(DIR/cli.json), to the weights of an uninterrupted run; a larger --epochs or --minutes given
with it trains on (a smaller one is refused). Ctrl-C / SIGTERM checkpoint, print
that command and exit 130 / 143. A run directory is locked while written. A panel run
(several series) saves no cli.json: the command that started it, ``--resume`` added, goes
on from its members' checkpoints (DIR/checkpoints/memberK, at epoch ends and every
--checkpoint-every steps).
Data parallelism: --devices N (gloo on CPU, NCCL on GPU) or torchrun; --strategy takes the
forecasting strategy (direct, recursive, seq2seq), the parallel one (auto, ddp), or both.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from ..io.encoded_input import add_encoding_option
from ..config_option import add_config_option
from ..io.atomic import atomic_write_json
from ..io.errors import OptionError
from ..io.cli_options import resolve_run_dir, save_options
from ..io.saved_option_check import command_actions
from ..cli_paths import folder_name
from ..io.stdin_input import input_name
from ..io.previous_run import restoring_previous
from ..io.rundir import PENDING_NAME, RunLock, finish_run_dir, prepare_run_dir
from ..io.resumed_marks import resumed_marks
from .. import options
from ..options import add_options
from ..train.cli_args import (add_device_args, add_run_args, device_config, distinct_seeds,
                              refuse_unread_impl, seed_number)
from ..train.config import STRATEGIES as DIST_STRATEGIES
from ..train.launch_checks import is_main_process
from ..data.option_names import OFF_GRID, OFF_GRID_HELP
from .config import STRATEGIES, ForecastConfig
from ..io.resume_budget import RESUME_BUDGET, check_resume_budget


# options a resumed run takes from the current command line (when given there): how it
# runs, and its budget (--epochs 30 --resume DIR trains on: ..io.resume_budget); every other
# option comes from the run's cli.json, so the run goes on exactly as it started
RUNTIME_OPTIONS = ("accelerator", "devices", "num_nodes", "dist_strategy", "precision",
                   "threads", "no_progress", "checkpoint_every", "on_nonfinite", "device",
                   "impl") + RESUME_BUDGET


# --baselines' help on one series: refused (rnnlab.panel.wants_panel), its own always run
ONE_SERIES_BASELINES = ("; a panel's only: one series is scored beside the one-series "
                        "forecaster's own baselines (naive, seasonal naive, drift, linear ARs, "
                        "ARMA), always")


class _StrategyAction(argparse.Action):
    """--strategy VALUE: a forecasting strategy (direct|recursive|seq2seq) or a parallel
    one (auto|ddp); may be given twice, once for each."""

    def __call__(self, parser, namespace, value, option_string=None):
        setattr(namespace, "dist_strategy" if value in DIST_STRATEGIES else "strategy", value)


# at the end of --help, where a reader lands after the options (it showed none; each line is
# parsed by tests/test_cli_help_truth21.py)
EXAMPLES = """examples:
  rnnlab forecast --data airline --out runs/airline
  rnnlab forecast --data airline --model gru --epochs 50 --out runs/airline-gru
  rnnlab forecast --data prices.csv --column Close --date-column Date --horizon 5 --out runs/p
  rnnlab forecast --run runs/airline --horizon 24 --output next24.csv"""


def register(sub) -> None:
    strategy = ForecastConfig.strategy  # the field's default (an instance checks its model)
    p = sub.add_parser("forecast", help="train, evaluate and forecast a series; write a run directory",
                       description=__doc__, epilog=EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="airline",
                   help="built-in dataset or panel (`rnnlab datasets`), stooq:SYMBOL, or a CSV "
                        "path (.gz, .bz2, .xz, .zip too) (default airline); - reads standard "
                        "input")
    p.add_argument("--column", default=None, help="CSV column name or index (default: the numeric one / Close)")
    p.add_argument("--date-column", default=None, help="date column (default: detected; 'none' to ignore)")
    p.add_argument("--off-grid", default="refuse", choices=OFF_GRID, help=OFF_GRID_HELP + (
        "; the run keeps it, and --run DIR --data NEW reads NEW with it"))
    # the options that set a ForecastConfig field are declared on the field (config.py)
    add_options(p, ForecastConfig, skip=("strategy",))
    # --strategy also takes the parallel strategy: written here, with its own action
    p.add_argument("--strategy", choices=STRATEGIES + DIST_STRATEGIES, default=strategy,
                   action=_StrategyAction,
                   help=f"forecasting strategy {STRATEGIES} (default {strategy}) or, for data "
                        f"parallelism, {DIST_STRATEGIES}; give it twice for both")
    p.add_argument("--forecast-strategy", dest="strategy", choices=STRATEGIES,
                   help="the forecasting strategy (same as --strategy direct|recursive|seq2seq)")
    p.add_argument("--val-data", default=None, metavar="FILE",
                   help="a validation series that continues --data (read with its --column, "
                        "--date-column and --fill): early stopping and the choice between the "
                        "network and its baselines score it, the forecast starts after its "
                        "end; no test part (Forecaster.fit(val_data=)); - reads standard input")
    p.add_argument("--seeds", type=seed_number, nargs="+", default=None,
                   help="several runs (DIR/seed_K) and a mean ± std summary")
    p.add_argument("--out", default=None, help="run directory (default runs/forecast-<data>)")
    add_run_args(p, resume_note="; a run of several series saves no options: the command "
                 "that started it with --resume added (--out DIR --resume)",
                 steps_note="; a run of several series too (its members' checkpoints)")
    p.add_argument("--run", default=None, help="reload this run directory and forecast again")
    p.add_argument("--output", default=None, metavar="FILE.csv",
                   help="with --run: write the forecast (time, forecast) to this CSV file "
                        "(CSV text: a name of another format, out.parquet, out.xlsx, "
                        "out.csv.gz, is refused; an existing file is replaced only with "
                        "--overwrite); default or -: print it")
    add_device_args(p, strategy_flags=("--dist-strategy",), strategy_dest="dist_strategy")
    from ..panel.cli import add_panel_options  # panels: --id-column, covariates, --quantiles

    add_panel_options(p, model_options=True)  # and the global model's options it lacks
    from ..panel.baselines_option import add_baselines_option

    add_baselines_option(p, one_series=ONE_SERIES_BASELINES)  # (a panel's, as backtest's)
    from ..panel.insample_option import add_insample_options

    add_insample_options(p)  # (a panel network's in-sample forecasts: --insample FILE.csv)
    p._option_string_actions["--quantiles"].help = (
        "quantile levels in (0, 1), increasing. One series: the Forecaster's prediction "
        "intervals (q columns in forecast.csv, scored on the test part in metrics.json; with "
        "--run DIR, beside the forecast; default: none); a panel: the global model's "
        "quantiles (default 0.1 0.5 0.9)")
    add_config_option(p)  # (--config FILE)
    add_encoding_option(p)  # (--encoding cp1252: its input files)
    p.set_defaults(func=run)


def config_from_args(args, seed: int) -> ForecastConfig:
    """The run's config: every option declared on a ForecastConfig field (rnnlab.options:
    --no-progress too), with the seed of this run."""
    return options.config_from_args(ForecastConfig, args, seed=seed)


def _parser():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def _parser_defaults():
    return _parser().parse_args(["forecast"])


def run(args) -> int:
    if getattr(args, "threads", 0):
        import torch

        torch.set_num_threads(args.threads)
    from ..panel.forecast_run import wants_panel

    if wants_panel(args):  # many series (rnnlab.panel.forecast_run)
        from ..panel.cli import run_panel_forecast

        return run_panel_forecast(args)
    # (what a run needs imports numpy and pandas, torch once it trains: not for --help)
    from .rerun import predict_again
    from .run_one import train_one

    if args.run:
        return predict_again(args)
    if getattr(args, "output", None):
        raise OptionError("--output writes the forecast of a saved run: give --run DIR with it "
                          "(a training run writes DIR/forecast.csv itself)")
    resuming = bool(args.resume)
    if args.seeds:
        distinct_seeds(args.seeds)  # (each in range: --seeds' type, seed_number)
    from .insample_run import series_insample_target

    # (--insample FILE: before any folder; one inside --out DIR named so before its name)
    series_insample_target(args, None, [args.data], writes=getattr(args, "out", None) or None)
    from .run_intervals import run_levels

    # bad settings, and --quantiles they give no intervals for: before any folder
    run_levels(args, config_from_args(args, (args.seeds or [args.seed])[0]))
    from ..train.launch_checks import check_launchable, picked_by_device

    # as are devices this machine lacks (--device cuda wrote the run directory, then failed)
    with warnings.catch_warnings(record=True) as said:  # (a note: said once, here)
        warnings.simplefilter("always")
        check_launchable(picked_by_device(device_config(args, "dist_strategy"),
                                          getattr(args, "device", None)))
    for w in said:
        print(f"rnnlab forecast: note: {w.message}", file=sys.stderr)
    default = "runs/forecast-" + folder_name(
        input_name(args, args.data).replace(':', '_').replace('/', '_'))
    out = resolve_run_dir(args, default, _parser_defaults, RUNTIME_OPTIONS, "rnnlab forecast",
                          lambda: command_actions(_parser(), ["forecast"]))
    refuse_unread_impl(args)  # (resumed: the run's --model, with this command's --impl)
    if args.resume:  # (a budget given anew: one the run trains on to exactly)
        if is_main_process() and out.is_dir():  # (a run in use: said before its settings)
            RunLock(out).check_free()
        check_resume_budget(args, out)
    if resuming:
        if getattr(args, "threads", 0):
            import torch

            torch.set_num_threads(args.threads)
    seeds = args.seeds or [args.seed]
    if len(seeds) == 1 and not args.seeds:
        train_one(args, out, seeds[0], top=out)
        return 0
    return _run_seeds(args, out, seeds, resuming)


def _run_seeds(args, out, seeds, resuming: bool) -> int:
    """``--seeds``: one run per seed under ``out/seed_S``, and their summary (the main
    process writes it, holding the run's lock)."""
    from .report import format_summary, summarize
    from .run_one import train_one

    lock = None
    if not resuming:  # (a series too short for --lookback: refused before the folder)
        from .run_one import checked_new_run, read_series

        series, cfg = read_series(args, config_from_args(args, seeds[0]))
        checked_new_run(args, cfg, series, out, say=False)  # (each seed's run says its note)
    if is_main_process():
        prepare_run_dir(out, overwrite=args.overwrite, resume=resuming,
                        inputs=[args.data, getattr(args, "val_data", None)])
        lock = RunLock(out).acquire()
    try:
        with restoring_previous(out, when=lock is not None and not resuming):
            # (resumed: unfinished, by this command, until it ends, unless refused before a
            # seed trained; the files the user put there stay out of its record)
            with resumed_marks(out, lock is not None and resuming, [
                    out / f"seed_{s}" / n for s in seeds for n in ("checkpoints", PENDING_NAME)
            ]) as added:
                if lock is not None:
                    save_options(out, args)
                results = {}
                for s in seeds:
                    results[s] = train_one(args, out / f"seed_{s}", s, top=out)
            if lock is None:
                return 0
            summary = summarize(results)
            if resuming:  # the command that started the run, and the resumes (a seed's record)
                summary.update(_started(out / f"seed_{seeds[0]}"))
            atomic_write_json(out / "summary.json", summary)
            finish_run_dir(out, not_written=added)
            print(format_summary(summary, seeds))
    finally:
        if lock is not None:
            lock.release()
    return 0


def _started(run) -> dict:
    """``command`` (the one that started the run), ``cwd`` and ``resumed`` of a seed's
    config.json, for summary.json (it named the resume's command alone: ``--resume DIR``, which repeats
    nothing when run with another --out). ``cwd`` goes with ``command``: None (not known)
    for a record from before rnnlab kept it, not the resume's directory."""
    from .rerun import _read_info

    info = _read_info(run) or {}
    started = {k: info[k] for k in ("command", "cwd", "resumed") if k in info}
    if "command" in started:
        started.setdefault("cwd", None)
    return started
