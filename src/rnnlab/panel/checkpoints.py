"""A panel fit's checkpoints: ``GlobalForecaster.fit(panel, checkpoint_dir=DIR, resume=True)``.

The training loop's checkpoints (:mod:`rnnlab.train.checkpoint`: atomic, the last good one
kept, data only) are written by each ensemble member into ``DIR/member<k>/`` at every epoch
end (and every ``checkpoint_every`` optimizer steps: a kill mid-epoch loses fewer steps);
``local=True`` fits one model per series into ``DIR/series<i>/`` (the i-th series of
the panel), each laid out the same way. Each checkpoint's ``meta.json`` records what the
fit trains on: the panel's SHA-256, the static covariates' table's, and the settings. A
resume on other data, or with other settings than those free to change
(:data:`FREE_ON_RESUME`), is refused naming what differs: the members' weights and
optimizer states are another model's there. A member whose checkpoint is its last (all
epochs, early stopping, its time budget) is taken as it was, not trained again (as the
one-series Forecaster's, :mod:`rnnlab.forecast.training`), unless the resume gives it
more epochs, or a larger time budget than its budget stopped it under
(:mod:`.budget_resume`). Nothing is written before the
first epoch ends: a fit that fails at its start leaves no folder to refuse the next.

    DIR/member0/latest.json     the loop's checkpoint of member 0 (ckpt-*/ beside it)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..io.errors import CheckpointError, ConfigError
from ..train.checkpoint import CheckpointManager

KIND = "panel_forecaster"
# what a resume may change (more epochs, a larger budget; the calibration and the samples
# come after the training): the other settings make the members' states another model's
FREE_ON_RESUME = ("epochs", "max_seconds", "progress", "calibrate", "samples")


@dataclass(frozen=True)
class PanelCheckpoints:
    """Where a panel fit checkpoints (``directory``; None: nowhere) and whether it resumes."""

    directory: Optional[Path] = None  # the fit's checkpoint_dir
    resume: bool = False  # go on from the checkpoints found there
    record: Optional[Dict[str, Any]] = None  # what each checkpoint's meta.json records
    every: int = 0  # also checkpoint every this many optimizer steps (0: at epoch ends only)

    def member(self, k: int) -> Tuple[Optional[Path], bool]:
        """(member ``k``'s folder, whether it resumes: a checkpoint of it is there)."""
        if self.directory is None:
            return None, False
        folder = self.directory / f"member{k}"
        return folder, self.resume and CheckpointManager(folder).exists()

    def meta(self, k: int) -> Dict[str, Any]:
        """Member ``k``'s checkpoints' meta (the loop adds its own records to it)."""
        return {**(self.record or {"kind": KIND}), "member": k}

    def series(self, i: int) -> "PanelCheckpoints":
        """The checkpoints of the ``i``-th series' own model (``local=True``)."""
        return PanelCheckpoints(None if self.directory is None
                                else self.directory / f"series{i}", self.resume,
                                every=self.every)


def panel_checkpoints(checkpoint_dir, resume: bool, every=0) -> PanelCheckpoints:
    """``fit``'s three arguments, checked before the data is read: a folder (not a file),
    and ``resume=True`` or ``checkpoint_every`` (``every``: a whole number of steps) only
    with one."""
    path = checked_folder("GlobalForecaster.fit", checkpoint_dir, resume, every,
                          f"the folder {'the fit to resume wrote' if resume else 'it writes'} "
                          f"its checkpoints to", "the checkpoints")
    if path is None:
        return PanelCheckpoints()
    return PanelCheckpoints(path, bool(resume), every=int(every))


def checked_folder(owner: str, checkpoint_dir, resume, every, needs: str,
                   holds: str) -> Optional[Path]:
    """``owner``'s (a fit's, a backtest's) ``checkpoint_dir`` (None: none), ``resume``
    and ``checkpoint_every`` (``every``), checked before any data is read: a folder, not
    a file, and ``resume=True`` or ``every`` (a whole number of steps) only with one.
    ``needs``: what the folder is, said where it is missing; ``holds``: what it is for."""
    from ..number_kinds import is_whole

    if not is_whole(every) or every < 0:  # (1.5 steps, True: no step count)
        raise ConfigError(f"{owner}: checkpoint_every must be a whole number of optimizer "
                          f"steps >= 0 (0: checkpoints at epoch ends only), got {every!r}")
    if checkpoint_dir is None:
        if resume or every:
            said = "resume=True" if resume else f"checkpoint_every={every}"
            raise ConfigError(f"{owner}: {said} needs checkpoint_dir, {needs}")
        return None
    path = Path(checkpoint_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{owner}: checkpoint_dir {str(path)!r} is a file, not a folder; "
                          f"pass a folder (made if missing) for {holds}")
    return path


def member_folders(directory: Path) -> List[Path]:
    """The folders of ``directory`` holding a member's checkpoint (``local=True``: the
    series' members too)."""
    found = [*directory.glob("member*"), *directory.glob("series*/member*")]
    return sorted(d for d in found if d.is_dir() and CheckpointManager(d).exists())


def has_panel_checkpoints(run_dir) -> bool:
    """A panel run's folder holds checkpoints to resume (``rnnlab forecast ... --resume``;
    a one-series run's, laid out alike, has its cli.json: ``--resume DIR`` alone)."""
    run_dir = Path(run_dir)
    return not (run_dir / "cli.json").is_file() and bool(member_folders(run_dir / "checkpoints"))


def settings_record(cfg) -> Dict[str, Any]:
    """The settings a checkpoint's training depends on, as JSON keeps them."""
    from ..io.atomic import finite_json

    return {k: v for k, v in finite_json(cfg.to_dict()).items() if k not in FREE_ON_RESUME}


def static_sha256(static, columns=()) -> Optional[str]:
    """SHA-256 of what a fit reads of the static covariates' table: its id column and the
    static covariates ``columns`` it holds, rows in id order, as CSV text (None: no table,
    or none of its columns read). The same table in another row or column order, or with
    columns the fit does not read, is the same (``static_table`` reads it by id)."""
    from ..io.rundir import data_hash
    from .long_table import ID

    if static is None:
        return None
    if ID not in static.columns and ID in static.index.names:
        static = static.reset_index(level=ID)  # (ids as the index: static_table's too)
    read = [c for c in columns if c in static.columns]
    if not read or ID not in static.columns:
        return None
    rows = static[[ID, *read]].astype({ID: str}).drop_duplicates()
    rows = rows.sort_values([ID, *read], kind="mergesort", key=_sortable)
    return data_hash(rows.to_csv(index=False, lineterminator="\n"))


def _sortable(column):
    """A column sorted as text (a column of mixed types, or of NaN, sorts)."""
    return column.astype(str)


def start_run(ck: PanelCheckpoints, cfg, digest: str, static=None) -> PanelCheckpoints:
    """Before the first member trains: refuse a resume of another fit's checkpoints (or a
    new fit into a folder holding some); returns ``ck`` with the record its checkpoints
    keep (``digest``: the panel's SHA-256; ``static``: the static covariates' table)."""
    from .budget_resume import BUDGET

    now = {"kind": KIND, "data_sha256": digest,
           "static_sha256": static_sha256(static, cfg.static_covariates),
           "panel_settings": settings_record(cfg),
           BUDGET: cfg.max_seconds}  # (free on resume; a larger one trains on: .budget_resume)
    found = [] if ck.directory is None else member_folders(ck.directory)
    if found and not ck.resume:
        raise ConfigError(f"GlobalForecaster.fit: checkpoint_dir {str(ck.directory)!r} holds "
                          f"another fit's checkpoints; pass resume=True to go on from them, "
                          f"or another (or empty) folder to start a new fit; delete the "
                          f"folder to discard that fit")
    for folder in found:
        if folder.parent == ck.directory:  # (a series' own: its own fit checks them)
            _check_same_run(folder, now)
        elif not cfg.local:  # (a global fit reads no series<i>/: it started over unsaid)
            raise CheckpointError(
                f"cannot resume {ck.directory}: its checkpoints were trained with other "
                f"settings: local=False (the checkpoints': True, one model per series in "
                f"{folder.parent.name}/ ...); resume with local=True, or fit without "
                f"resume=True into another (or empty) checkpoint_dir to start afresh")
    return replace(ck, record=now)


def _check_same_run(folder: Path, now: dict) -> None:
    """The record of the checkpoint a resume of ``folder`` loads is this fit's."""
    from ..io.json_file import read_json

    at = CheckpointManager(folder).resume_folder()
    if at is None:  # (no complete checkpoint: the loop's resume says so)
        return
    directory = folder.parent
    if not (at / "meta.json").is_file():  # (was read_json's bare "meta.json: not found")
        raise CheckpointError(f"cannot resume {directory}: {at / 'meta.json'} is missing, so "
                              f"the checkpoint is incomplete or not a panel fit's; delete "
                              f"{folder} to train {folder.name} again from its start (seeded: "
                              f"as the uninterrupted fit), or start afresh in another folder")
    was = read_json(at / "meta.json", CheckpointError)  # (checksummed; a dict)
    if was.get("kind") != KIND or not isinstance(was.get("panel_settings"), dict):
        raise CheckpointError(f"cannot resume {directory}: {at} is not a panel fit's "
                              f"checkpoint (kind {was.get('kind')!r}); pass the checkpoint_dir "
                              f"of a GlobalForecaster fit, or start afresh in another folder")
    fresh = ("fit without resume=True into another (or empty) checkpoint_dir to start "
             "afresh")
    if was.get("data_sha256") != now["data_sha256"]:
        old = str(was.get("data_sha256"))[:12]
        raise CheckpointError(f"cannot resume {directory}: its checkpoints were trained on "
                              f"other data (panel SHA-256 {old}… recorded, "
                              f"{now['data_sha256'][:12]}… now); pass the panel the fit "
                              f"started with to continue it, or {fresh}")
    old, new = was.get("static_sha256"), now["static_sha256"]
    if old != new:
        how = ("trained without static= and one is given now" if old is None else
               "trained with a static= table and none is given now" if new is None else
               "trained with other static covariates (another static= table)")
        raise CheckpointError(f"cannot resume {directory}: its checkpoints were {how}; pass "
                              f"the table the fit started with, or {fresh}")
    settings = was["panel_settings"]
    differ = {k: (settings[k], v) for k, v in now["panel_settings"].items()  # (a setting
              if k in settings and settings[k] != v}  # newer than the checkpoint: its default)
    if differ:
        said = ", ".join(f"{k}={v!r} (the checkpoints': {w!r})" for k, (w, v) in differ.items())
        raise CheckpointError(f"cannot resume {directory}: its checkpoints were trained with "
                              f"other settings: {said}; resume with the checkpoints' values "
                              f"(only {', '.join(FREE_ON_RESUME)} may change), or {fresh}")
