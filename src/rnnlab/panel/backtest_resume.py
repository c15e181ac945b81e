"""``rnnlab backtest ... --out DIR --resume`` (and ``--checkpoint-every N``): a backtest
killed midway goes on from ``DIR/checkpoints/`` (:mod:`.backtest_checkpoints`: the folds
it finished, read back; the networks' training checkpoints), to the tables an
uninterrupted run writes. Spelled and ruled as the panel forecast's (:mod:`.run_resume`):
the command that started the run is given again with ``--resume`` (other data or
settings are refused, naming what differs); ``--resume RUN_DIR`` names the run;
``--out DIR --resume`` where DIR holds no run yet starts it, the one command a job
scheduler can repeat after a kill. A run in use by another process is refused, naming
its PID. The same command alone, given again on a killed run with finished folds, goes
on from them too (a run killed before its first fold starts over, as before).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

from ..io.errors import OptionError, RunDirError
from .backtest_checkpoints import RECORD
from .run_resume import (CHECKPOINTS, going_on, no_run_to_resume, resume_target,
                         run_entries, starts_there)


def add_resume_options(p: argparse.ArgumentParser) -> None:
    """``--resume [RUN_DIR]`` and ``--checkpoint-every N`` (the panel forecast's spelling)."""
    from ..train.cli_args import at_least

    p.add_argument("--resume", nargs="?", const=True, default=False, metavar="RUN_DIR",
                   help="continue a killed backtest (RUN_DIR, or --out) with the command "
                        "that started it: the folds it finished are read back, a network "
                        "stopped in training goes on from its checkpoint; --out DIR --resume "
                        "starts the run when DIR has none yet")
    p.add_argument("--checkpoint-every", type=at_least(0), default=0, metavar="N",
                   help="a network's fits also checkpoint every N optimizer steps (default "
                        "0: at epoch ends; finished folds are always kept); refused with a "
                        "baseline --model and with the one-series Forecaster (--one-series), "
                        "whose fits keep none")


def backtest_out(args, default: Path) -> Tuple[Path, bool]:
    """(the run directory, whether it resumes) of ``--out`` / ``--resume [RUN_DIR]``,
    refused where the two disagree or the folder holds nothing of a backtest's to go on
    from; a live writer is named (its PID) before anything else is said."""
    from ..io.runlock import RunLock

    out, given = resume_target(args, default)  # (the panel forecast's rule)
    if not given:
        return out, not getattr(args, "overwrite", False) and _goes_on(out)
    if out.is_dir():
        RunLock(out).check_free()
    if (out / CHECKPOINTS / RECORD).is_file():
        return out, going_on(out)  # (a link in the run refused, as a forecast's resume)
    entries = run_entries(out)
    if starts_there(out, entries, "rnnlab backtest"):
        return out, False
    raise RunDirError(_nothing_to_resume(out, entries))


def _goes_on(out: Path) -> bool:
    """The same command alone, given again on a backtest killed with finished folds kept,
    goes on from them, as ``--resume`` (it started the run over and dropped them; a run
    killed before its first fold, or given another command, is as before: started over,
    or refused)."""
    from ..io.incomplete_run import is_incomplete, same_command
    from ..io.runlock import RunLock

    folds = list((out / CHECKPOINTS / "folds").glob("*/origin*.npz"))
    if not folds or not (out / CHECKPOINTS / RECORD).is_file() or not is_incomplete(out) \
            or not same_command(out):
        return False
    RunLock(out).check_free()  # (a live run is named first: its PID)
    going_on(out)  # (a link refused before the note: it said the run went on, then not)
    n = len(folds)
    print(f"rnnlab backtest: note: {out}: its run was stopped before it finished; it goes on "
          f"from its {n} finished fold{'s' if n != 1 else ''} (as --resume; --overwrite "
          f"starts it over)", file=sys.stderr)
    return True


def _nothing_to_resume(out: Path, entries: List[str]) -> str:
    """Why ``out`` (not empty) holds no backtest to resume, by what it holds."""
    return no_run_to_resume(out, entries, "backtest folds", "another command's run, or one "
                            "that finished before backtests kept them; run it again with "
                            "--overwrite, or choose another --out")


def kept_options(args, out: Path, resuming: bool, name, route) -> Dict[str, Any]:
    """backtest()'s checkpoint keywords for the run in ``out``: its folds and the
    networks' checkpoints in ``out/checkpoints``; ``--checkpoint-every`` refused where no
    network of the panel's is trained (a baseline ``--model``; one series with holidays,
    the one-series Forecaster's fits)."""
    from .baseline_names import BASELINE_NAMES

    every = getattr(args, "checkpoint_every", 0) or 0
    if every and (name in BASELINE_NAMES or route is not None):
        from .one_series_route import route_words

        why = (f"--model {name} is a baseline, which trains no network" if route is None else
               f"{route_words(args)} backtests the one-series Forecaster, whose fits keep "
               f"no checkpoints here")
        raise OptionError(f"--checkpoint-every {every}: {why}; drop --checkpoint-every (the "
                          f"finished folds are kept all the same: --resume goes on from "
                          f"them)")
    return {"checkpoint_dir": out / CHECKPOINTS, "resume": resuming, "checkpoint_every": every}


def stopped_words(e: BaseException) -> BaseException:
    """A stop in a network's training, saying the command that goes on from there."""
    from ..train.stops import TrainingInterrupted
    from .run_resume import resume_command

    if isinstance(e, TrainingInterrupted) and not e.start_over:
        return e.with_resume_command(resume_command())
    return e


__all__ = ["add_resume_options", "backtest_out", "kept_options", "stopped_words"]
