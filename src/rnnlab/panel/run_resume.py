"""``rnnlab forecast --data PANEL ... --out DIR --resume``: a panel run whose training was
stopped (Ctrl-C, SIGTERM, a kill) goes on from ``DIR/checkpoints/`` (the members' epoch-end
checkpoints, :mod:`.checkpoints`) to the model an uninterrupted run trains. A panel run
saves no options of its own (the one-series run's cli.json): the command that started it
is given again with ``--resume``, and a resume on other data or with other settings is
refused (what differs named). ``--out DIR --resume`` where DIR holds no run yet starts it,
as the one-series run does: the one command a job scheduler can repeat after a kill."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import List, Optional, Tuple

from ..io.errors import CheckpointError, OptionError, RunDirError

CHECKPOINTS = "checkpoints"  # the run directory's folder of them (the one-series run's name)


def resumed_out(args, default: Path) -> Tuple[Path, bool]:
    """(the run directory, whether the run resumes from its checkpoints) of ``--out`` /
    ``--resume [DIR]``; refused where there is nothing of a network's to go on from."""
    from ..io.rundir import is_run_dir
    from ..io.runlock import RunLock
    from .baselines import BASELINES
    from .checkpoints import has_panel_checkpoints

    out, given = resume_target(args, default)
    if not given:
        return out, False
    if args.model in BASELINES:
        raise OptionError(f"--resume goes on from a network's checkpoints; --model "
                          f"{args.model} is a baseline, which trains none: run the command "
                          f"without --resume (with --overwrite to replace the run in {out})")
    if has_panel_checkpoints(out):
        return out, going_on(out)
    if is_run_dir(out) and (out / CHECKPOINTS).is_dir():  # (killed in its first save)
        RunLock(out).check_free()  # (a live run's save in progress is not ours to clean)
        _clean_temporaries(out / CHECKPOINTS)
    entries = run_entries(out)
    if starts_there(out, entries, "rnnlab forecast"):
        return out, False
    raise RunDirError(_nothing_to_resume(out, entries))


def resume_target(args, default: Path) -> Tuple[Path, object]:
    """(the run directory, the ``--resume`` given: False, True or RUN_DIR) of ``--out`` /
    ``--resume [RUN_DIR]`` (``default`` where neither names one); refused where
    ``--resume`` comes with ``--overwrite`` or names another directory than ``--out``
    (a panel forecast's and a backtest's rule: :mod:`.backtest_resume`)."""
    given = getattr(args, "resume", False)
    out = Path(args.out or (given if isinstance(given, str) else default))
    if given and getattr(args, "overwrite", False):
        raise OptionError("--resume continues the run where it stopped and --overwrite starts "
                          "it over (the old one set aside); pass one of them")
    if isinstance(given, str) and args.out is not None and Path(args.out) != Path(given):
        raise OptionError(f"--resume {given} continues that run where it is; --out "
                          f"{args.out} names another directory. Pass one of them")
    return out, given


def going_on(out: Path) -> bool:
    """True, once ``out`` is found to hold no link (``ln -s ../shared.json config.json``):
    a run goes on only in a folder of its own files, as ``rnnlab forecast --resume`` of one
    series is refused (naming the link, before anything is written). A panel's or a
    backtest's resume rewrote its config.json over the link, which became a file: the
    user's link lost (or, written through, their shared file overwritten)."""
    from ..io.rundir import refuse_links

    refuse_links(out)
    return True


def run_entries(out: Path) -> List[str]:
    """The names in the folder ``out`` but its lock (none where it is no folder)."""
    from ..io.rundir import LOCK_NAME

    return [p.name for p in out.iterdir() if p.name != LOCK_NAME] if out.is_dir() else []


def starts_there(out: Path, entries: List[str], prog: str) -> bool:
    """Whether ``--out DIR --resume`` starts the run (said in a note): ``out`` holds no
    run yet (``entries``: none, or those of a run killed before it wrote anything)."""
    from ..io.rundir import is_unstarted

    if entries and not is_unstarted(entries, out):
        return False
    print(f"{prog}: note: {out}: no run to resume there yet, so it starts (--out DIR --resume "
          f"goes on with the run in DIR, or starts it: the one command a job scheduler can "
          f"repeat after a kill)", file=sys.stderr)
    return True


def _clean_temporaries(checkpoints: Path) -> None:
    """Remove what a save a kill cut short left in the members' folders (``.ckpt-*``): a
    run killed while writing its first checkpoint has none to resume, and so starts."""
    from ..train.checkpoint import CheckpointManager

    for folder in (*checkpoints.glob("member*"), *checkpoints.glob("series*/member*")):
        if folder.is_dir() and not folder.is_symlink():
            CheckpointManager(folder).clean_temporaries()


def _nothing_to_resume(out: Path, entries: List[str]) -> str:
    """Why ``out`` (not empty) holds no panel run to resume, by what it holds."""
    if (out / "cli.json").is_file():  # (was "holds a panel run without checkpoints")
        return (f"{out}: holds a one-series run (cli.json), not a panel run: `rnnlab "
                f"forecast --resume {out}` alone continues it; give this panel another --out")
    if (out / "panel.json").is_file():
        return (f"{out}: holds a panel run without checkpoints (one that finished before "
                f"panel runs kept them, or a baseline's): nothing to resume; train it "
                f"again with --overwrite, or choose another --out")
    # (a run stopped before its first checkpoint, with files of its own)
    return no_run_to_resume(out, entries, "checkpoint", "train it again with --overwrite, "
                            "or choose another --out")


def no_run_to_resume(out: Path, entries: List[str], what: str, then: str) -> str:
    """Why ``out`` (not empty: ``entries``, named) holds nothing to resume, where it holds
    no file that says more: a run of rnnlab's with no ``what`` to go on from (``then``:
    what to do), or no run of rnnlab's (a panel forecast's and a backtest's words)."""
    from ..io.rundir import is_run_dir

    names = _shown_names(entries)
    if is_run_dir(out):
        return f"{out}: holds a run with no {what} to resume ({names}): {then}"
    return (f"{out}: holds no run of rnnlab's ({names}): nothing to resume; choose another "
            f"(or an empty) --out")


def _shown_names(entries: List[str]) -> str:
    """The first three of ``entries`` the user knows (sorted), rnnlab's own marks and a
    killed write's temporaries left out: they were listed first ("(.rnnlab-pending,
    .rnnlab-run, a.csv)"), hidden names the user never wrote nor sees in ``ls``."""
    from ..io.atomic import is_temporary
    from ..io.rundir import MARKER_NAME, PENDING_NAME, REPLACING_NAME, WRITTEN_NAME
    from ..io.user_added import RESUMED_RECORD

    marks = {MARKER_NAME, PENDING_NAME, REPLACING_NAME, WRITTEN_NAME, RESUMED_RECORD}
    theirs = sorted(e for e in entries if e not in marks and not is_temporary(e))
    if not theirs:
        return "rnnlab's marks alone"
    return ", ".join(theirs[:3]) + (", ..." if len(theirs) > 3 else "")


def checkpointed(model, out: Path, resuming: bool, every: int = 0):
    """``model`` (a GlobalForecaster) whose ``fit`` (the backtest calls it with the data
    alone) checkpoints into ``out/checkpoints`` (also every ``every`` optimizer steps:
    ``--checkpoint-every``) and resumes from them when ``resuming``."""
    model.fit = partial(model.fit, checkpoint_dir=out / CHECKPOINTS, resume=resuming,
                        checkpoint_every=every)
    return model


def checkpoint_steps(args) -> int:
    """``--checkpoint-every N`` of a panel run: N for a network; typed with a baseline
    ``--model``, which trains nothing to checkpoint, an OptionError (not ignored)."""
    from .baselines import BASELINES

    every = getattr(args, "checkpoint_every", 0) or 0
    if every and args.model in BASELINES:
        raise OptionError(f"--checkpoint-every {every}: --model {args.model} is a baseline, "
                          f"which trains no network and so writes no checkpoints; drop "
                          f"--checkpoint-every, or pass --model lstm (or another "
                          f"architecture, `rnnlab models`) to train the network")
    return every


def resume_command(argv: Optional[List[str]] = None) -> str:
    """``argv`` (default: the command now running) with ``--resume`` (and without
    ``--overwrite``, which it refuses): what goes on with a panel run stopped in training."""
    import shlex

    from ..io.command_line import command

    words = [w for w in (command() if argv is None else argv) if w != "--overwrite"]
    return shlex.join(words if "--resume" in words else [*words, "--resume"])


def started_command(out: Path) -> Optional[List[str]]:
    """The command that started the unfinished run in ``out`` (its pending mark), or None."""
    from ..io.json_file import peek_json
    from ..io.rundir import PENDING_NAME

    words = peek_json(out / PENDING_NAME)  # (a pipe there blocked the command: not read)
    ok = isinstance(words, list) and words and all(isinstance(w, str) for w in words)
    return words if ok else None


def in_the_commands_words(e: BaseException, resuming: bool) -> BaseException:
    """A stop or a refused resume during the run's training, saying what to type."""
    from ..train.stops import TrainingInterrupted

    if isinstance(e, TrainingInterrupted) and not e.start_over:
        return e.with_resume_command(resume_command())
    if isinstance(e, CheckpointError) and resuming:
        return CheckpointError(f"{e}. On the command line: --resume with the command that "
                               f"started the run (its --data and options), or start it over "
                               f"with --overwrite in place of --resume")
    return e
