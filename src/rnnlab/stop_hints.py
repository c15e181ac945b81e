"""What ``rnnlab``'s entry point says after a stop (Ctrl-C, SIGTERM) about going on: resume
the run, or run the command again (with --overwrite where the run had written results)."""

from __future__ import annotations


def resume_hint(args, name: str) -> str:
    """How to go on after a Ctrl-C outside training: ``--resume`` for a run that saved its
    options and did not finish (not for a finished run, nor for a folder never made); a
    backtest's command with ``--resume`` where it kept finished folds."""
    import shlex
    from pathlib import Path

    from .io.rundir import WRITTEN_NAME
    from .io.write_failure import is_unfinished

    if name == "backtest":
        return _backtest_hint(args)
    out = getattr(args, "out", None)
    if name not in ("forecast", "lm train") or not out:
        return ""
    run = Path(out)
    from .panel.checkpoints import has_panel_checkpoints

    if name == "forecast" and has_panel_checkpoints(run) \
            and not (run / WRITTEN_NAME).exists():  # (a panel run: its command again)
        from .panel.run_resume import resume_command, started_command

        started = started_command(run)  # (the command now running is gone by now)
        return (f"; continue it with: {resume_command(started)}" if started else
                "; continue it with the command that started it and --resume")
    if not (run / "cli.json").is_file() or (run / WRITTEN_NAME).exists():
        return ""
    if not is_unfinished(run):
        # (no checkpoint yet: `lm train --resume` has nothing to resume, and says so)
        return "; nothing was trained yet: run the same command again to start it over"
    return f"; continue it with: rnnlab {name} --resume {shlex.quote(str(out))}"


def _unfinished_out(args) -> bool:
    """The command's --out holds results of a run that did not finish (a new run there
    needs --overwrite; one that wrote nothing yet is taken over as it is, and a compare's
    or a backtest's by the same command: :func:`rnnlab.io.write_failure.redone`)."""
    from pathlib import Path

    from .io.rundir import WRITTEN_NAME
    from .io.write_failure import is_unfinished, redone

    out = getattr(args, "out", None)
    name = " ".join(n for n in (getattr(args, "command", None),
                                getattr(args, "recipe_command", None)) if n)
    return bool(out) and isinstance(out, str) and not (Path(out) / WRITTEN_NAME).exists() \
        and is_unfinished(Path(out)) and not redone(Path(out), name)


def start_over(args) -> str:
    """How to start a stopped run over: the same command, with --overwrite where its --out
    holds results the run wrote (the same command alone is refused there)."""
    overwrite = " with --overwrite" if _unfinished_out(args) else ""
    return f"run the same command again{overwrite} to start it over"


def start_over_hint(args) -> str:
    """After a Ctrl-C outside training: :func:`start_over` where the command had written
    results, "" where it had not (the same command takes the folder over)."""
    return f"; {start_over(args)}" if _unfinished_out(args) else ""


def _backtest_hint(args) -> str:
    """How to go on with a backtest stopped with finished folds kept (its command with
    ``--resume`` reads them back: :mod:`rnnlab.panel.backtest_resume`); "" where it kept
    none or finished (``--overwrite`` would start it over, the folds thrown away)."""
    from pathlib import Path

    from .io.rundir import WRITTEN_NAME
    from .io.stdin_input import input_name
    from .panel.backtest_checkpoints import RECORD
    from .panel.run_resume import CHECKPOINTS, resume_command, started_command

    given = getattr(args, "resume", None)
    out = getattr(args, "out", None) or (given if isinstance(given, str) else None)
    if out:
        run = Path(out)
    elif getattr(args, "data", None):  # (run_backtest's default --out)
        run = Path(f"runs/backtest-{Path(input_name(args, args.data)).stem}")
    else:
        return ""
    folds = list((run / CHECKPOINTS / "folds").glob("*/origin*.npz"))
    if not folds or not (run / CHECKPOINTS / RECORD).is_file() \
            or (run / WRITTEN_NAME).exists():
        return ""
    started = started_command(run)  # (the command now running, as it started the run)
    kept = f"its {len(folds)} finished fold{'s are' if len(folds) != 1 else ' is'} kept"
    return (f"; {kept}; continue it with: {resume_command(started)}" if started else
            f"; {kept}; continue it with the command that started it and --resume")
