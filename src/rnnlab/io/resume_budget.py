"""The budget a resumed run takes anew: more ``--epochs``, a larger ``--minutes``
(``rnnlab forecast --resume`` on one series, ``rnnlab lm train --resume``).

A resume goes on with the options the run started with (its ``cli.json``), and its budget
given anew trains on, as Lightning's ``max_epochs`` does on a resume: a run (a forecast's
members) that had done all its epochs trains to the new count, one its time budget stopped
trains on under the larger one (:mod:`rnnlab.train.budget_stop`), and the run is then the
run started with that budget. A budget that would not give that run is refused, naming the
option and what the resume keeps: fewer epochs (the run may have trained past them), other
epochs under a cosine schedule (it anneals over the epochs it started with), a smaller time
budget, or one added to a run started without any (it trained unbounded so far). Before,
``forecast`` dropped ``--epochs`` and ``--minutes`` given with ``--resume`` for the run's
own, with a warning; ``lm train`` took fewer epochs (or a smaller budget) as they came:
a run already past them trained nothing, and its record then named them beside a model
trained for more.

"""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from ..io.cli_options import CLI_FILE
from ..io.errors import OptionError, RunDirError
from ..io.json_file import read_json

__all__ = ["RESUME_BUDGET", "check_resume_budget"]

RESUME_BUDGET = ("epochs", "minutes")  # (the run's options a resume takes anew)


def check_resume_budget(args: Namespace, run_dir: Path) -> None:
    """Refuse a budget given to ``--resume`` (``args``, the run's options with the runtime
    ones given anew, after :func:`rnnlab.io.cli_options.resolve_run_dir`) that the run in
    ``run_dir`` cannot train on to exactly; a larger one passes (``forecast``, ``lm
    train``: the same rule, the same words)."""
    saved = read_json(Path(run_dir) / CLI_FILE, RunDirError).get("options") or {}
    how = (f"resume without it to keep the run's, or start a new run with it "
           f"(--out {run_dir} --overwrite)")
    was, now = saved.get("epochs"), getattr(args, "epochs", None)
    if isinstance(was, int) and isinstance(now, int) and now != was:
        if now < was:
            raise OptionError(f"--epochs {now} with --resume: the run was started with "
                              f"--epochs {was}, and a resume trains on to more epochs, not "
                              f"fewer (it may have trained past {now}); give "
                              f"--epochs {was} or more, or {how}")
        if saved.get("lr_schedule") == "cosine":
            raise OptionError(f"--epochs {now} with --resume: the run's cosine learning-rate "
                              f"schedule anneals over the {was} epochs it was started with "
                              f"(more would take the rate to 0 at epoch {was} and up again); "
                              f"{how}")
    was, now = saved.get("minutes"), getattr(args, "minutes", None)
    if now is not None and now != was:
        if was is None:
            raise OptionError(f"--minutes {now:g} with --resume: the run was started without "
                              f"a time budget, and it trained unbounded so far; a "
                              f"resume may raise a budget, not add one: {how}")
        if now < was:
            raise OptionError(f"--minutes {now:g} with --resume: the run was started with "
                              f"--minutes {was:g}, and a resume may raise its budget, not "
                              f"lower it (it may have trained longer); give "
                              f"--minutes {was:g} or more, or {how}")
