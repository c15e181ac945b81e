"""A backtest's checkpoints: ``backtest(..., checkpoint_dir=DIR, resume=True)`` (and
``backtest_models``, ``rnnlab backtest --resume``) goes on where a killed run stopped.

A backtest of several networks over several origins runs for hours; a kill must not lose
the folds it finished. With ``checkpoint_dir`` it keeps, as it goes:

    DIR/backtest.json               what the folds depend on: the data's SHA-256, the
                                    origins, horizon, refit, align (checked on resume)
    DIR/versions.json               rnnlab's, torch's, NumPy's versions, the CPU, torch's
                                    threads at the start, and a resume's other ones
                                    (:mod:`.backtest_versions`: a resume under others is
                                    warned, not refused)
    DIR/folds/<model>/model.json    the model's settings (checked on resume)
    DIR/folds/<model>/origin<j>.npz the forecasts of origin j, once computed
                                    (:mod:`.fold_records`: written atomically, data only)
    DIR/fits/<model>/origin<j>/     the panel fit's checkpoints of the network fitted at
                                    origin j (:mod:`.checkpoints`: member<k>/, at each
                                    epoch end and every ``checkpoint_every`` steps)

Resumed, a fold whose record is there is read back, not computed again; a network fitted
at an origin goes on from its checkpoints (or, finished, is taken as it was), else is
fitted again from its start (seeded: as the uninterrupted run). So the tables are those
of the uninterrupted run, to the bit on CPU with a seed (the ``seconds`` column, a
timing, aside). Other data or settings are refused, naming what differs. The folder is
locked while the backtest runs (:class:`~rnnlab.io.runlock.RunLock`): a second process
given it is refused, naming the holder's PID.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from ..io.errors import CheckpointError, ConfigError
from .legacy_folds import legacy_fold, legacy_folder, own_fold

KIND = "panel_backtest"
RECORD = "backtest.json"
FRESH = ("start afresh: another (or empty) checkpoint_dir without resume=True (on the "
         "command line: --overwrite in place of --resume)")
FREE = ("progress",)  # a model's settings that change no number (its progress display)


@dataclass(frozen=True)
class BacktestCheckpoints:
    """Where a backtest keeps its folds and its networks' checkpoints (``directory``;
    None: nowhere), whether it resumes from them, and ``every``: the fits' checkpoints
    every this many optimizer steps too (0: at epoch ends)."""

    directory: Optional[Path] = None
    resume: bool = False
    every: int = 0
    # (a resume's check of the versions, put off until a fold is computed: :meth:`computing`)
    _unsaid: list = field(default_factory=list, compare=False, repr=False)

    def locked(self):
        """The folder's lock while the backtest runs (nothing without a folder)."""
        if self.directory is None:
            return nullcontext()
        from ..io.runlock import RunLock

        self.directory.mkdir(parents=True, exist_ok=True)
        return RunLock(self.directory)

    def start(self, record: Dict[str, Any]) -> None:
        """Write the run's ``record``, or (resumed, a fold or a fit's checkpoint kept)
        refuse one of other data or settings; a new backtest into a folder holding
        another's is refused."""
        if self.directory is None:
            return
        from ..io.atomic import atomic_write_json
        from ..io.json_file import read_json
        from .backtest_versions import keep_versions, warn_other_versions

        path = self.directory / RECORD
        now = _as_json(record)
        work = path.is_file() and self._holds_work()
        if work and not self.resume:
            raise ConfigError(f"backtest: checkpoint_dir {str(self.directory)!r} holds "
                              f"another backtest's folds; pass resume=True (--resume) to "
                              f"go on from them, or another (or empty) folder to start "
                              f"anew; delete the folder to discard that run")
        if path.is_file() and self.resume:
            was = read_json(path, CheckpointError)
            if was.get("kind") != KIND:
                raise CheckpointError(f"cannot resume {self.directory}: {path} is not a "
                                      f"backtest's record; {FRESH}")
        if work:  # (a run that failed before its first fold: nothing to hold it to)
            _refuse_other(self.directory, "the run", was, now)
            self._unsaid.append(warn_other_versions)  # (other software or threads: said
            # where a fold is computed under them, :meth:`computing`)
        else:
            keep_versions(self.directory)
        atomic_write_json(path, {"kind": KIND, **now})

    def check_model(self, label: str, settings: Dict[str, Any]) -> None:
        """Record model ``label``'s settings, or (resumed, a fold or a fit of it kept)
        refuse other ones than those its folds were computed with."""
        if self.directory is None:
            return
        from ..io.atomic import atomic_write_json
        from ..io.json_file import read_json

        path = self._folder(label) / "model.json"
        now = {k: v for k, v in _as_json(settings).items() if k not in FREE}
        legacy = self._legacy(label) if self.resume else None
        old = path if path.is_file() or legacy is None else legacy / "model.json"
        if old.is_file() and self.resume and self._model_work(label, legacy):
            was = read_json(old, CheckpointError)
            _refuse_other(self.directory, f"model {label!r}", was.get("settings", {}), now)
        atomic_write_json(path, {"label": label, "settings": now})

    def computing(self) -> None:
        """Called before a fold is computed (not read back): a resume under other versions
        or threads than its folds were computed with warns now, once (every fold kept,
        nothing is computed under them: it warned that the folds computed now may differ,
        and recorded versions no fold was computed under)."""
        while self._unsaid:
            assert self.directory is not None
            if self._unsaid.pop()(self.directory):  # (said: the fits' notes of it not again)
                from ..io.versions_said import say_versions_said

                say_versions_said()

    def kept(self, label: str, j: int) -> Optional[Tuple[Any, float]]:
        """(the forecasts, the seconds) of model ``label`` at origin ``j`` read back, when
        resuming and a record of it is there; else None."""
        if self.directory is None or not self.resume:
            return None
        found = own_fold(self._folder(label) / f"origin{j}.npz", label)
        return found if found is not None else legacy_fold(self._legacy(label), label, j)

    def keep(self, label: str, j: int, frame, seconds: float) -> None:
        """Record model ``label``'s forecasts at origin ``j`` (atomically)."""
        if self.directory is not None:
            from .fold_records import write_fold

            write_fold(self._folder(label) / f"origin{j}.npz", frame, {"seconds": seconds})

    def fit_options(self, model, label: str, j: int) -> Dict[str, Any]:
        """The keywords that make ``model.fit`` (a network's, which takes them) checkpoint
        into its folder for the fit at origin ``j``, and resume from it."""
        if self.directory is None or not _checkpoints(model):
            return {}
        return {"checkpoint_dir": self.directory / "fits" / _name(label) / f"origin{j}",
                "resume": self.resume, "checkpoint_every": self.every}

    def _holds_work(self) -> bool:
        """A fold or a fit's checkpoint is kept (a run that failed before either, a typo
        in a model's settings, leaves nothing to refuse the next)."""
        assert self.directory is not None
        return any(p.is_file() for p in (*self.directory.glob("folds/*/origin*.npz"),
                                         *self.directory.glob("fits/*/*/member*/latest.json")))

    def _model_work(self, label: str, legacy: Optional[Path]) -> bool:
        """Model ``label`` has a fold or a fit's checkpoint kept (its first fit failed, on
        settings fixed since: none, and nothing its model.json says holds the resume to
        it; "differs from the one its folds were computed with" was said of no fold)."""
        assert self.directory is not None
        folders = [self.directory / "folds" / _name(label), *([legacy] if legacy else [])]
        return (any(p.is_file() for f in folders for p in f.glob("origin*.npz"))
                or any(p.is_file() for p in (self.directory / "fits" / _name(label)).glob(
                    "*/member*/latest.json")))

    def _legacy(self, label: str) -> Optional[Path]:
        """Model ``label``'s folder as a backtest named it before session 29 (its label,
        capitals and all), where one of its own is there (:func:`.legacy_folds.
        legacy_folder`)."""
        assert self.directory is not None
        return legacy_folder(self.directory / "folds", label, _name(label))

    def _folder(self, label: str) -> Path:
        assert self.directory is not None
        folder = self.directory / "folds" / _name(label)
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def backtest_checkpoints(checkpoint_dir, resume: bool,
                         checkpoint_every=0) -> BacktestCheckpoints:
    """The three keywords checked before anything is read: a folder (not a file), and
    ``resume=True`` or ``checkpoint_every`` (a whole number of steps) only with one."""
    from .checkpoints import checked_folder

    if isinstance(resume, (str, Path)) or resume not in (True, False):  # (a folder: not it)
        raise ConfigError(f"backtest: resume is True or False (go on from checkpoint_dir), "
                          f"got {resume!r}; the folder goes in checkpoint_dir=")
    path = checked_folder("backtest", checkpoint_dir, resume, checkpoint_every,
                          "the folder the backtest keeps its finished folds and checkpoints "
                          "in", "the folds and checkpoints")
    if path is None:
        return BacktestCheckpoints()
    return BacktestCheckpoints(path, bool(resume), int(checkpoint_every))


class kept_run:  # (a class, not a generator: a resume's warning names the caller's line)
    """While the backtest runs: its folder locked and its record written (or checked)."""

    def __init__(self, ck: BacktestCheckpoints, record: Dict[str, Any]) -> None:
        self.ck, self.record = ck, record
        self._held = ExitStack()

    def __enter__(self) -> None:
        from ..io.versions_said import versions_closed, versions_kept

        with ExitStack() as held:  # (refused: the lock let go again)
            held.enter_context(self.ck.locked())
            held.callback(versions_closed, versions_kept())  # (a resume's warning: said
            self.ck.start(self.record)  # for the fits of this run alone)
            self._held = held.pop_all()

    def __exit__(self, *exc) -> Optional[bool]:
        return self._held.__exit__(*exc)


def _refuse_other(directory: Path, whose: str, was: Dict[str, Any],
                  now: Dict[str, Any]) -> None:
    """Refuse a resume where ``now`` differs from ``was`` (naming each setting)."""
    differ = {k: (was.get(k), v) for k, v in now.items() if k != "kind" and was.get(k) != v}
    differ.update({k: (w, None) for k, w in was.items() if k not in now and k != "kind"})
    if not differ:
        return
    if "data_sha256" in differ:
        old, new = (str(v)[:12] for v in differ["data_sha256"])
        raise CheckpointError(f"cannot resume {directory}: its folds were computed on other "
                              f"data (SHA-256 {old}… recorded, {new}… now); pass the data "
                              f"the run started with to continue it, or {FRESH}")
    said = ", ".join(f"{k}={v!r} (the folds': {w!r})" for k, (w, v) in differ.items())
    raise CheckpointError(f"cannot resume {directory}: {whose} differs from the one its "
                          f"folds were computed with: {said}; resume with the recorded "
                          f"values, or {FRESH}")


def fold_settings(model) -> Dict[str, Any]:
    """What model ``model`` (unfitted) computes its folds with, checked on resume: its
    settings (:func:`.backtest_save.model_settings`: a network's config) and, for a model
    without a config (a baseline, a model of the user's), its public attributes of plain
    values, which tell two instances of one class apart (``SeasonalNaive(period=4)`` from
    ``period=2``, Croston's ``alpha``): its class and quantiles alone did not."""
    from .backtest_save import model_settings

    settings = model_settings(model)
    if hasattr(getattr(model, "config", None), "to_dict") or not hasattr(model, "__dict__"):
        return settings
    own = {k: v for k, v in vars(model).items() if not k.startswith("_") and _plain(v)}
    return {**own, **settings}


def _plain(value) -> bool:
    """Whether ``value`` is a setting of plain JSON values (a number, text, a list)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, (list, tuple)) and all(_plain(v) for v in value)


def _as_json(d: Dict[str, Any]) -> Dict[str, Any]:
    """``d`` as it reads back from JSON (tuples as lists), to compare with a record."""
    import json

    from ..io.atomic import finite_json, json_text

    return json.loads(json_text(finite_json(d)))


# (names Windows keeps for devices, with any extension: a folder "con" cannot be made)
_RESERVED = {"con", "prn", "aux", "nul",
             *(f"{p}{k}" for p in ("com", "lpt") for k in range(1, 10))}


def _name(label: str) -> str:
    """A folder name for model ``label`` that no other label's shares on any file system:
    itself when plain (lowercase: macOS' and Windows' file systems ignore case, so
    ``LSTM`` and ``lstm`` would share one folder; no trailing dot, which Windows drops;
    no name Windows reserves, ``con``), else a digest of it."""
    if (re.fullmatch(r"[a-z0-9_][a-z0-9_.-]{0,63}", label) and not label.endswith(".")
            and label.split(".")[0] not in _RESERVED):
        return label
    return "m-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:16]


def _checkpoints(model) -> bool:
    """Whether ``model.fit`` keeps checkpoints (a panel network's: ``checkpoint_dir``)."""
    try:
        params = inspect.signature(model.fit).parameters
    except (TypeError, ValueError):
        return False
    return {"checkpoint_dir", "resume", "checkpoint_every"} <= set(params)


__all__ = ["BacktestCheckpoints", "backtest_checkpoints", "fold_settings", "kept_run"]
