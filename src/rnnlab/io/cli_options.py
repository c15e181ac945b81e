"""The options a command-line run was started with, kept in its run directory.

``--resume RUN_DIR`` reads them back, so an interrupted run goes on exactly as it
started without the user repeating its command line. Runtime options (devices,
threads, progress, checkpoint cadence) may change on resume; any other option given
again with a different value is ignored with a warning.
"""

from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .atomic import atomic_write_json
from .errors import OptionError, RunDirError
from .json_file import read_json
from ..warning_lines import print_warning

CLI_FILE = "cli.json"  # {"options": {dest: value}}; written once, when the run starts
NOT_SAVED = ("resume", "out", "overwrite", "run", "func", "command", "lm_command",
             "given_options", "config", "print_config", "set")


# files a run reads: kept as absolute paths
INPUT_OPTIONS = ("data", "corpus", "val_text", "val_data", "static_data", "future_data")


def saved_options(args: Namespace) -> dict:
    """The options worth keeping: everything but where the run goes and how it was asked.
    An input given as a relative path is kept absolute, so ``--resume`` works from any
    working directory (a built-in name stays a name)."""
    return absolute_inputs({k: v for k, v in vars(args).items()
                            if k not in NOT_SAVED and not callable(v)})


def absolute_inputs(options: dict) -> dict:
    """``options`` with each input file (:data:`INPUT_OPTIONS`) given as a relative path made
    absolute: a record (cli.json, a panel run's config.json) then repeats its run from any
    working directory (``--config RUN_DIR``, ``--resume``); a built-in name stays a name."""
    out = dict(options)
    out.pop("copies", None)  # (where `--data -` was copied: no option; rnnlab.io.stdin_input)
    for k in INPUT_OPTIONS:
        if isinstance(out.get(k), str) and Path(out[k]).exists():
            out[k] = str(Path(out[k]).resolve())
    return out


def save_options(run_dir: Path, args: Namespace) -> None:
    """Write ``cli.json``: the options the run goes on with (on resume: its own, with the
    runtime options given anew, such as a larger --epochs or another --devices)."""
    command = " ".join(n for n in (getattr(args, "command", None),
                                   getattr(args, "lm_command", None)) if isinstance(n, str))
    record = {"options": saved_options(args), "command": f"rnnlab {command}".strip()}
    if isinstance(getattr(args, "config", None), (str, list)):  # (--config FILE: said
        record["config_file"] = args.config  # where from; several files: a list of them)
    atomic_write_json(Path(run_dir) / CLI_FILE, record, checksum=True)


def run_kind(saved: dict) -> str:
    """The command a run's ``cli.json`` was written by: recorded, or (older runs) told by
    its options: a corpus is a language model's, data a forecast's."""
    command = saved.get("command")
    if isinstance(command, str) and command.startswith("rnnlab ") and command != "rnnlab":
        return command
    given = saved.get("options")
    options = given if isinstance(given, dict) else {}
    return ("rnnlab lm train" if "corpus" in options else
            "rnnlab forecast" if "data" in options else "")


def apply_saved_options(args: Namespace, run_dir: Path, defaults: Namespace,
                        runtime: Iterable[str], prog: str, actions: Optional[dict] = None) -> None:
    """On resume: set ``args`` to the run's saved options, except runtime options given on
    this command line (different from their defaults). A directory without ``cli.json``
    is no run of this command's: nothing to resume."""
    path = Path(run_dir) / CLI_FILE
    if not_resumable(run_dir, prog):
        raise RunDirError(not_resumable(run_dir, prog))
    record = read_json(path, RunDirError, note_unverified=True)
    kind = run_kind(record)
    if kind and kind != prog:
        what = "a forecasting run" if kind == "rnnlab forecast" else \
            "a language-model run" if kind == "rnnlab lm train" else "a run"
        raise RunDirError(f"{run_dir}: {what} of `{kind}`, not of `{prog}`; continue it with "
                          f"`{kind} --resume {run_dir}`, or give {prog} another run directory")
    if isinstance(record.get("config_file"), (str, list)):  # (started with --config: kept)
        args.config = record["config_file"]
    saved = record.get("options")
    if not isinstance(saved, dict):
        raise RunDirError(f"{path}: has no 'options' object; the file is damaged")
    if actions is not None:  # (each value one the option takes: saved_option_check)
        from .saved_option_check import check_saved_options

        check_saved_options(path, saved, actions)
    runtime, default_of = set(runtime), vars(defaults)  # {dest: the parser default}
    given = getattr(args, "given_options", None)  # typed on the command line (rnnlab.cli)

    def typed(k, now) -> bool:  # without the record: a value other than the default
        return k in given if given is not None else now != default_of.get(k)

    ignored, unknown = [], []
    for k, v in saved.items():
        if not hasattr(args, k) or k in NOT_SAVED:
            if k not in NOT_SAVED:  # saved by another (newer) rnnlab: said, not dropped silently
                unknown.append(f"--{k.replace('_', '-')}")
            continue
        now = getattr(args, k)
        if k in runtime:
            if not typed(k, now):
                setattr(args, k, v)
        else:
            same_file = (k in INPUT_OPTIONS and isinstance(now, str) and Path(now).exists()
                         and str(Path(now).resolve()) == v)
            if now != v and typed(k, now) and not same_file:  # (`-`: as typed, its copy)
                shown = (getattr(args, "copies", None) or {}).get(now) if isinstance(
                    now, str) else None  # (a list typed, --quantiles 0.2 0.8: unhashable)
                typed_as = " ".join(map(str, now)) if isinstance(now, (list, tuple)) else now
                ignored.append((f"--{k.replace('_', '-')} {typed_as}" if shown is None
                                else f"--{k.replace('_', '-')} {shown} (kept as {now})")
                               + _from(given, k))
            setattr(args, k, v)
    # an option the run's cli.json does not hold: the run started before rnnlab recorded it
    # (--max-vocab) and went on without it; typed now, it was kept and recorded, though the
    # checkpoint (its vocabulary) was what trained on: ignored as any other, said as such
    unrecorded = [k for k in vars(args) if k not in saved and k not in runtime
                  and k not in NOT_SAVED and k in default_of and not callable(getattr(args, k))
                  and getattr(args, k) != default_of[k] and typed(k, getattr(args, k))]
    for k in unrecorded:
        ignored.append(f"--{k.replace('_', '-')} {getattr(args, k)} (its {CLI_FILE} does not "
                       f"record it: started by an rnnlab without that option, the run goes "
                       f"on as it started)")
        setattr(args, k, default_of[k])
    if ignored:
        print_warning(f"{prog}: warning: a resumed run keeps its options; ignored "
                      f"{', '.join(ignored)}")
    if unknown:
        print_warning(f"{prog}: warning: {path} holds options this rnnlab does not know: "
                      f"{', '.join(unknown)} (saved by another, perhaps newer, version); the "
                      f"run goes on without them: resume it with the rnnlab that started it "
                      f"to keep them")


def _from(given, dest: str) -> str:
    """`` (from --config FILE)`` or `` (from --set K=V)`` for an option a settings file or an
    override gave, not typed (a resume with an edited file named its keys as if typed)."""
    source = (getattr(given, "sources", None) or {}).get(dest)
    if not source or source == "command line":
        return ""
    return f" (from {source if source.startswith('--set') else '--config ' + source})"


def resolve_run_dir(args: Namespace, default: Union[str, Path, None],
                    defaults: Callable[[], Namespace], runtime: Iterable[str], prog: str,
                    actions: Optional[Callable[[], dict]] = None) -> Path:
    """Where the run goes: ``--resume RUN_DIR``, else ``--out``, else ``default``. On
    resume the directory must exist (but for ``--out DIR --resume``: a DIR without a run,
    or with one that wrote nothing yet, starts it), and ``args`` takes the run's saved options
    (:func:`apply_saved_options`; ``defaults`` gives the parser's defaults, ``actions``
    its options' actions, against which the saved values are checked)."""
    if args.resume and getattr(args, "overwrite", False):  # (--overwrite was dropped unsaid)
        raise OptionError("--resume continues the run where it stopped and --overwrite starts "
                          "it over (the old one set aside); pass one of them")
    if isinstance(args.resume, str):
        if args.out is not None and Path(args.out) != Path(args.resume):
            raise OptionError(f"--resume {args.resume} continues that run where it is; "
                              f"--out {args.out} names another directory. Pass one of them")
        args.out = args.resume
    where = args.out if args.out is not None else default
    if where is None:
        raise OptionError("say where the run goes with --out DIR (or continue one with "
                          "--resume RUN_DIR)")
    out = Path(where)
    if args.resume is True and args.out is not None and _nothing_yet(out):
        import sys

        print(f"{prog}: note: {out}: no run to resume there yet, so it starts (--out DIR "
              f"--resume goes on with the run in DIR, or starts it: the one command a job "
              f"scheduler can repeat after a kill)", file=sys.stderr)
        args.resume = False  # (--resume RUN_DIR still wants the run: a typo is refused)
        return out
    if args.resume:
        if not out.is_dir():
            raise RunDirError(no_run_message(out))
        from .rundir import refuse_links

        refuse_links(out)
        apply_saved_options(args, out, defaults(), runtime, prog,
                            actions() if actions is not None else None)
    return out


def not_resumable(run_dir: Path, prog: str) -> Optional[str]:
    """Why the folder ``run_dir`` holds no run to resume (no ``cli.json``); None where it
    has one (also before ``--print-config``: :func:`rnnlab.config_resume.missing_run`), or
    where something else stands at its name (a folder, a pipe: its reader says what; it was
    called a run of several series, which saves none)."""
    if os.path.lexists(Path(run_dir) / CLI_FILE):
        return None
    from ..panel.checkpoints import has_panel_checkpoints

    if has_panel_checkpoints(run_dir):  # (a panel run stopped in training: no panel.json
        from ..panel.run_resume import resume_command, started_command  # yet; was "not a

        started = started_command(Path(run_dir))  # run directory ... start a new run")
        return (f"{run_dir}: a run of several series stopped in training (its checkpoints "
                f"in {Path(run_dir) / 'checkpoints'}), which saves no options: --resume with "
                f"the folder alone has nothing to resume with; continue it with: "
                + (resume_command(started) if started else
                   f"the command that started it (its --data and options) with --out "
                   f"{run_dir} --resume"))
    if (Path(run_dir) / "panel.json").is_file():
        return (f"{run_dir}: a run of several series (panel.json), which saves no options: "
                f"--resume with the folder alone has nothing to resume with; give the "
                f"command that started it (its --data and options) with --out {run_dir} "
                f"--resume, forecast from its model again with "
                f"`rnnlab forecast --run {run_dir}`, or train it again with "
                f"--out {run_dir} --overwrite")
    return (f"{run_dir}: not a run directory of {prog} (no {CLI_FILE}); nothing "
            f"to resume. Start a new run with --out {run_dir}")


def no_run_message(out: Path) -> str:
    """The refusal of ``--resume RUN_DIR`` where RUN_DIR is no folder (also before
    ``--print-config``: :func:`rnnlab.config_resume.missing_run`)."""
    return f"{out}: no such run directory; nothing to resume"


def _nothing_yet(out: Path) -> bool:
    """No folder at ``out``, or a run directory that wrote nothing yet (killed before its
    first checkpoint: :func:`rnnlab.io.rundir.is_unstarted`), which a new run takes over."""
    from .rundir import LOCK_NAME, is_run_dir, is_unstarted

    if not out.exists():
        return True
    if out.is_symlink() or not out.is_dir() or not is_run_dir(out):
        return False
    return is_unstarted([p.name for p in out.iterdir() if p.name != LOCK_NAME], out)
