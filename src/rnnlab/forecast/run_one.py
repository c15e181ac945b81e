"""One seed's run of ``rnnlab forecast``: the series read, the run directory made and
locked, the Forecaster trained (resumed) and every file of the run written, by rank 0
alone. The parser and the runs of several seeds are :mod:`rnnlab.forecast.cli`."""

from __future__ import annotations

import warnings
from pathlib import Path

from ..io.incomplete_run import mark_finished
from ..io.previous_run import restoring_previous
from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir
from ..io.resumed_marks import resumed_marks
from ..train.cli_args import device_config
from ..train.launch_checks import is_main_process
from .insample_run import series_insample_target, write_series_insample
from .rerun import _read_info, resume_command
from .report import print_outcome, write_outputs
from .run_settings import record, sized
from .series_checks import check_series_fits
from .val_data_option import with_val_data


def train_one(args, out: Path, seed: int, top: Path) -> dict:
    """One run. Every file of the run directory is written here, by rank 0 alone (this
    process, whose spawned workers train; or rank 0 under torchrun)."""
    from ..train.launch_checks import OneProcessNote
    from ..train.budget_note import TimeBudgetNote
    from ..train.loop import TrainingDiverged, TrainingInterrupted
    from .forecaster import Forecaster
    from .history import CalendarWarning
    from .period_defaults import PeriodSizesNote
    from .resume_data import ResumeDataWarning
    from .cli import config_from_args  # (the parser's module imports this one)
    from .run_intervals import recorded_levels, run_levels

    # (--insample inside the run directory replaced a file of the run, forecast.csv...)
    insample = series_insample_target(args, None, [args.data, getattr(args, "val_data", None)],
                                      writes=top)
    cfg = config_from_args(args, seed)
    resuming = bool(args.resume)
    main = is_main_process()
    lock = None
    # read before the run directory is made: a typo in --data or --column left an empty one
    series, cfg = read_series(args, cfg)
    if not resuming:  # (too short for --lookback, constant: said before the folder is made)
        cfg = checked_new_run(args, cfg, series, out, main)
    if main:
        if resuming and out.is_dir():
            RunLock(out).check_free()
        else:
            prepare_run_dir(out, overwrite=args.overwrite, resume=resuming,
                            inputs=[args.data, getattr(args, "val_data", None)])
        lock = RunLock(out).acquire()
    # (Ctrl-C or an error before any result: the run --overwrite replaced comes back)
    with restoring_previous(out, when=main and not resuming):
        try:  # (resumed, a seed's run too: unfinished, by this command, until it ends;
            with resumed_marks(out, main and resuming) as added:  # the files the user put
                if resuming:  # (its look-back and test part) there: not its record)
                    cfg = sized(args, cfg, series, out, resuming, main)
                # --quantiles: typed, or recorded in config.json by the run being resumed
                levels = run_levels(args, cfg) or (recorded_levels(_read_info(out)) if resuming
                                                   else None)
                if main:
                    record(args, cfg, series, out, top, seed, resuming, levels)
                f = Forecaster(config=cfg)
                dev = device_config(args, "dist_strategy")
                try:
                    with warnings.catch_warnings():  # record / run printed them as notes
                        warnings.simplefilter("ignore", CalendarWarning)
                        warnings.simplefilter("ignore", OneProcessNote)
                        warnings.simplefilter("ignore", PeriodSizesNote)  # (sized said it)
                        warnings.simplefilter("ignore", ResumeDataWarning)  # (record said it)
                        warnings.simplefilter("ignore", TimeBudgetNote)  # (the summary says it)
                        f.fit(series, checkpoint_dir=out / "checkpoints", resume=resuming,
                              accelerator=None if dev.accelerator == "auto" else dev.accelerator,
                              devices=dev.devices, num_nodes=dev.num_nodes, strategy=dev.strategy,
                              precision=dev.precision, checkpoint_every=args.checkpoint_every,
                              on_nonfinite=args.on_nonfinite,  # (read above; kept in
                              off_grid=getattr(args, "off_grid", "refuse"))  # model.json)
                except TrainingInterrupted as e:
                    raise e.with_resume_command(resume_command(top)) from None
                except TrainingDiverged as e:
                    raise TrainingDiverged(
                        f"{e}. On the command line: resume from the last checkpoint skipping bad "
                        f"steps with `{resume_command(top)} --on-nonfinite skip`, or start again "
                        f"with a lower --lr") from None
            if not main:
                return {}
            ev = write_outputs(f, out, levels)
            if out == top:
                finish_run_dir(out, not_written=added)
            else:  # (a seed of several: the run whole is the top one, finished after them)
                mark_finished(out)  # (its own record's "finished": `rnnlab runs` lists it)
        finally:
            if lock is not None:
                lock.release()
    if main:  # (the run whole: its in-sample forecasts, --insample FILE.csv)
        write_series_insample(insample, args, f, None, levels)
    print_outcome(f, ev, out, getattr(args, "val_data", None))
    return ev


def read_series(args, cfg):
    """(the series of ``--data``, with ``--val-data`` joined after it; ``cfg`` sized for
    that tail), read as the run trains on it."""
    from ..data.datasets import resolve_data

    date_col = False if (args.date_column or "").lower() == "none" else args.date_column
    series = resolve_data(args.data, column=args.column, date_column=date_col, fill=cfg.fill,
                          weekmask=cfg.weekmask, off_grid=getattr(args, "off_grid", "refuse"))
    return with_val_data(args, series, cfg)


def checked_new_run(args, cfg, series, out: Path, say: bool):
    """``cfg`` with the period's look-back and test part (:func:`.run_settings.sized`,
    its note said when ``say``), checked against ``series`` as the fit checks it
    (:func:`.series_checks.check_series_fits`): a series too short for ``--lookback`` is
    refused before a run directory is made, not after, leaving an unfinished run there."""
    cfg = sized(args, cfg, series, out, False, say)
    check_series_fits(series, cfg)
    return cfg
