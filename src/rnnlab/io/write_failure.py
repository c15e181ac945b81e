"""What to tell the user when a run cannot write: a full disk, a read-only file system.

Nothing is lost when a write fails: every file is written atomically (the old one stays
until the new one is complete), a checkpoint becomes current only when whole, and
``--overwrite`` keeps the replaced run aside until the new one finishes. The message
says which of those applies to this run directory, and what to do next.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Optional

WRITE_ERRNOS = {errno.ENOSPC: "no space left on the device",
                errno.EDQUOT: "the disk quota is exceeded",
                errno.EROFS: "the file system is read-only",
                errno.EFBIG: "the file is too large for the file system"}


def is_write_failure(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in WRITE_ERRNOS


def _reason(e: OSError) -> str:
    """Why the write failed, in words: those of :data:`WRITE_ERRNOS`, else the system's."""
    said = WRITE_ERRNOS.get(e.errno) if e.errno is not None else None
    return said or e.strerror or f"{type(e).__name__} {e}"


def describe_write_failure(e: OSError, out: Optional[str], command: str,
                           resuming: bool = False) -> str:
    """One message: what failed, what was kept, what to do (``command``: "forecast",
    "lm train", ...; ``out``: the run directory, when the command has one)."""
    where = f" {e.filename}" if e.filename else ""  # ("cannot write writing X" before)
    lines = [f"cannot write{where}: {_reason(e)}."]
    fix = ("choose an --out on a writable file system" if e.errno == errno.EROFS
           else "free some space (or choose an --out on another disk)"
           if e.errno in WRITE_ERRNOS else "choose an --out you can write to")
    if out is None:
        return " ".join(lines + [f"Nothing was replaced; {fix} and run the command again."])
    from .rundir import REPLACING_NAME, WRITTEN_NAME, previous_of

    run = Path(out)
    kept = []
    if (run / REPLACING_NAME).exists() and previous_of(run).is_dir():
        kept.append(f"the previous run is kept whole in {previous_of(run)} (it comes back "
                    f"if you delete {run} and rename it)")
    elif not resuming and (run / WRITTEN_NAME).exists():  # a finished run, put back
        kept.append(f"the finished run in {run} is whole")
        return " ".join(lines) + " Nothing was lost: " + kept[0] + f". To go on: {fix}, " \
            f"then run the same command again."
    ckpt = _latest_checkpoint(run)
    if ckpt:
        kept.append(f"the last complete checkpoint is kept ({ckpt})")
    if not kept:
        kept.append("files already written are kept as they were" if run.is_dir()
                    else "nothing was written")
    return " ".join(lines) + " Nothing was lost: " + "; ".join(kept) + \
        f". To go on: {_todo(e, run, command, resuming, ckpt, fix)}."


def _todo(e: OSError, run: Path, command: str, resuming: bool, ckpt, fix: str) -> str:
    """What to do next: resume where a checkpoint was kept, else run again (a resumed run
    in place; a run that wrote results needs --overwrite, which --resume refuses)."""
    if e.errno == errno.EROFS and resuming:  # (--resume continues the run where it is)
        return (f"make {run} writable again (or copy it to a writable disk and resume the "
                f"copy: rnnlab {command} --resume COPY)")
    if e.errno == errno.EROFS:
        return f"{fix} and run the command again"
    from ..panel.checkpoints import has_panel_checkpoints

    if ckpt and command == "forecast" and has_panel_checkpoints(run):
        from ..panel.run_resume import resume_command, started_command  # (a panel run: its

        started = started_command(run)  # command again, with --resume)
        return (f"{fix.split(' (')[0]}, then continue with: "
                + (resume_command(started) if started else
                   "the command that started the run, with --resume"))
    if ckpt and command in ("forecast", "lm train"):
        return f"{fix.split(' (')[0]}, then continue with: rnnlab {command} --resume {run}"
    if resuming:
        return f"{fix.split(' (')[0]}, then run the same command again"
    if is_unfinished(run) and not redone(run, command):  # (results of its own: the same
        # command alone is refused)
        return (f"{fix}, then run the same command again with --overwrite (it replaces the "
                f"unfinished run in {run})")
    return f"{fix}, then run the same command again"


# the commands that keep no checkpoints to resume (prepare_run_dir's resumable=False): the
# same command alone runs a killed one again (a backtest goes on from its finished folds)
REDONE = ("compare", "recipe run", "backtest")


def redone(run: Path, command: str) -> bool:
    """The same command, given again, takes the unfinished run in ``run`` up without
    ``--overwrite`` (:func:`rnnlab.io.incomplete_run.is_incomplete`, started by it)."""
    from .incomplete_run import is_incomplete, same_command

    return command in REDONE and is_incomplete(run) and same_command(run)


def _latest_checkpoint(run: Path) -> Optional[str]:
    """"step N" of the run's newest checkpoint (one member's, for a forecast), or None."""
    found = sorted(run.glob("checkpoints/ckpt-*")) + sorted(run.glob("checkpoints/*/ckpt-*")) \
        + sorted(run.glob("seed_*/checkpoints/*/ckpt-*"))
    found = [p for p in found if p.is_dir() and not p.name.startswith(".")]
    if not found:
        return None
    newest = max(found, key=lambda p: p.name)
    return f"step {int(newest.name.split('-')[1])}, in {newest.parent}"


def is_unfinished(run: Path) -> bool:
    """``run`` holds results of a run that did not finish: a new run here needs --overwrite
    (one that wrote nothing yet is taken over as it is, :func:`rnnlab.io.rundir.is_unstarted`)."""
    from .rundir import is_unstarted
    from .runlock import LOCK_NAME

    if not run.is_dir():
        return False
    return not is_unstarted([p.name for p in run.iterdir() if p.name != LOCK_NAME], run)
