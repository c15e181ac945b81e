"""``--print-config`` beside ``--resume``: the options printed are not the run's.

A resumed run goes on with the options its ``cli.json`` saved (those typed or set by a file
now are ignored, with a warning), so printing the options resolved from this command line
showed values the resume would not use: ``--resume RUN --print-config`` printed the
defaults (300 epochs for a run of 4), ``--config edited.yaml --resume`` the file's. Refused,
naming what prints the run's own options, where a run is there to resume. A panel run
(``rnnlab forecast --data PANEL``) and a backtest save no options: they resume with those
given, which are printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional


def missing_run(args, name: str) -> Optional[str]:
    """The command's own refusal of a resume with no run to go on with, said before
    ``--print-config`` prints options for it: ``--resume RUN_DIR`` of no folder (printed,
    exit 0), a folder without ``cli.json`` (said "the options DIR saved"). ``--out DIR
    --resume`` of no run yet is not refused: it starts the run in DIR."""
    from .io.cli_options import _nothing_yet, no_run_message, not_resumable

    if name == "backtest":  # (resumed with the options given, checked against its folds'
        return None  # record, not a cli.json's: rnnlab.panel.backtest_resume)
    resume = getattr(args, "resume", None)
    target = resume if isinstance(resume, str) else getattr(args, "out", None)
    if not resume or target is None or (resume is True and _nothing_yet(Path(target))):
        return None
    if _panel_resumed(args, name, Path(target)):
        return None
    if not Path(target).is_dir():
        return no_run_message(Path(target))
    return not_resumable(Path(target), f"rnnlab {name}")


def resumed_hint(args, name: str) -> str:
    """The way to resume a backtest by its folder alone (``rnnlab backtest --resume DIR``
    or ``--out DIR --resume``, refused for its missing --data): its config.json repeats
    the command."""
    run = getattr(args, "resume", None)
    run = run if isinstance(run, str) else (getattr(args, "out", None) if run else None)
    if name != "backtest" or not isinstance(run, str):
        return ""
    return (f"; a backtest goes on with the command that started it: `rnnlab backtest "
            f"--config {run} --out {run} --resume` repeats it from its config.json")


def resume_print_problem(args, name: str) -> Optional[str]:
    """Why ``--print-config`` cannot say what this ``--resume`` runs with; None where no
    resume is asked or no run is there yet (``--out DIR --resume`` then starts one with the
    options printed)."""
    resume = getattr(args, "resume", None)
    if not resume or not getattr(args, "print_config", False) or name == "backtest":
        return None  # (a backtest: resumed with the options printed, as missing_run says)
    from .io.cli_options import _nothing_yet

    target = resume if isinstance(resume, str) else getattr(args, "out", None)
    if target is None or not Path(target).is_dir() or (resume is True and
                                                       _nothing_yet(Path(target))):
        return None  # (--resume RUN_DIR that is none: refused by the command, as ever)
    if _panel_resumed(args, name, Path(target)):
        return None
    return (f"--print-config with --resume: the resumed run goes on with the options "
            f"{target} saved, not the ones resolved here (the others typed or from a file "
            f"are ignored, each named in a warning, but for those a resume takes: the "
            f"device, threads, progress{', more epochs or minutes' if name == 'lm train' else ''}"
            f"); print the run's own with `rnnlab {name} --config {target} --print-config`")


def _panel_resumed(args, name: str, target: Path) -> bool:
    """Whether ``rnnlab forecast --data PANEL ... --resume`` goes on with a panel run
    stopped in training in ``target``: a panel run saves no options (no ``cli.json``), so
    it resumes with those given here, checked against its checkpoints
    (:mod:`rnnlab.panel.run_resume`), which ``--print-config`` prints, as a backtest's.
    The folder alone (no ``--data``) has nothing to resume with, and stays refused."""
    if name != "forecast" or "data" not in (getattr(args, "given_options", None) or ()):
        return False
    from .panel.checkpoints import has_panel_checkpoints

    return has_panel_checkpoints(target)
