"""A panel fit's checkpoints: ``GlobalForecaster.fit(panel, checkpoint_dir=DIR, resume=True)``.

The training loop's checkpoints (:mod:`rnnlab.train.checkpoint`: atomic, the last good one
kept, data only) are written by each ensemble member into ``DIR/member<k>/`` at every epoch
end; ``local=True`` fits one model per series into ``DIR/series<i>/`` (the i-th series of
the panel), each laid out the same way. ``DIR/panel_run.json`` records what the run
trains on: the panel's SHA-256 and the settings. A resume on other data, or with other
settings than those free to change (:data:`FREE_ON_RESUME`), is refused naming what
differs: the members' weights and optimizer states are another model's there. A member
whose checkpoint is its last (all epochs, early stopping, its time budget) is taken as it
was, not trained again (as the one-series Forecaster's, :mod:`rnnlab.forecast.training`).

    DIR/panel_run.json          {"kind": "panel_forecaster", "data_sha256": ..., "settings": {...}}
    DIR/member0/latest.json     the loop's checkpoint of member 0 (ckpt-*/ beside it)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from ..io.errors import CheckpointError, ConfigError
from ..train.checkpoint import CheckpointManager

RUN_FILE = "panel_run.json"
KIND = "panel_forecaster"
# what a resume may change (more epochs, a larger budget; the calibration and the samples
# come after the training): the other settings make the members' states another model's
FREE_ON_RESUME = ("epochs", "max_seconds", "progress", "calibrate", "samples")


@dataclass(frozen=True)
class PanelCheckpoints:
    """Where a panel fit checkpoints (``directory``; None: nowhere) and whether it resumes."""

    directory: Optional[Path] = None  # the fit's checkpoint_dir
    resume: bool = False  # go on from the checkpoints found there

    def member(self, k: int) -> Tuple[Optional[Path], bool]:
        """(member ``k``'s folder, whether it resumes: a checkpoint of it is there)."""
        if self.directory is None:
            return None, False
        folder = self.directory / f"member{k}"
        return folder, self.resume and CheckpointManager(folder).exists()

    def series(self, i: int) -> "PanelCheckpoints":
        """The checkpoints of the ``i``-th series' own model (``local=True``)."""
        return PanelCheckpoints(None if self.directory is None
                                else self.directory / f"series{i}", self.resume)


def panel_checkpoints(checkpoint_dir, resume: bool) -> PanelCheckpoints:
    """``fit``'s two arguments, checked before the data is read: a folder (not a file)
    and ``resume=True`` only with one."""
    if checkpoint_dir is None:
        if resume:
            raise ConfigError("GlobalForecaster.fit: resume=True needs checkpoint_dir, the "
                              "folder the fit to resume wrote its checkpoints to")
        return PanelCheckpoints()
    path = Path(checkpoint_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"GlobalForecaster.fit: checkpoint_dir {str(path)!r} is a file, not "
                          f"a folder; pass a folder (made if missing) for the checkpoints")
    return PanelCheckpoints(path, bool(resume))


def settings_record(cfg) -> Dict[str, Any]:
    """The settings a checkpoint's training depends on, as JSON keeps them."""
    from ..io.atomic import finite_json

    return {k: v for k, v in finite_json(cfg.to_dict()).items() if k not in FREE_ON_RESUME}


def static_sha256(static) -> Optional[str]:
    """SHA-256 of the static covariates' table as CSV text (None: no table)."""
    from ..io.rundir import data_hash

    return None if static is None else data_hash(
        static.to_csv(index=False, lineterminator="\n"))


def start_run(ck: PanelCheckpoints, cfg, digest: str, static=None) -> None:
    """Before the first member trains: refuse a resume of another run's checkpoints (or a
    new fit into a folder holding a run), then record this run in ``panel_run.json``
    (``digest``: the panel's SHA-256; ``static``: the static covariates' table, or None)."""
    from ..io.atomic import atomic_write_json

    if ck.directory is None:
        return
    path = ck.directory / RUN_FILE
    now = {"kind": KIND, "data_sha256": digest, "static_sha256": static_sha256(static),
           "settings": settings_record(cfg)}
    if path.exists() or _any_member(ck.directory):
        if not ck.resume:
            raise ConfigError(f"GlobalForecaster.fit: checkpoint_dir {str(ck.directory)!r} "
                              f"holds another fit's checkpoints; pass resume=True to go on "
                              f"from them, or another (or empty) folder to start a new fit; "
                              f"delete the folder to discard that fit")
        _check_same_run(ck.directory, path, now)
    ck.directory.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, now, checksum=True)  # (read_json checks it)


def _any_member(directory: Path) -> bool:
    return any(CheckpointManager(d).exists() for d in directory.glob("member*")
               if d.is_dir()) or any(directory.glob("series*/" + RUN_FILE))


def _check_same_run(directory: Path, path: Path, now: dict) -> None:
    """The recorded run (``panel_run.json``) is this one: same data, same settings."""
    from ..io.json_file import read_json

    if not path.exists():
        raise CheckpointError(f"cannot resume {directory}: its {RUN_FILE} is missing, so the "
                              f"data and settings its checkpoints were trained with are "
                              f"unknown; fit without resume=True into another folder to "
                              f"start afresh")
    was = read_json(path, CheckpointError)  # (a dict, or a CheckpointError naming the file)
    if was.get("kind") != KIND or not isinstance(was.get("settings"), dict):
        raise CheckpointError(f"cannot resume {directory}: {RUN_FILE} is not a panel fit's "
                              f"record (kind {was.get('kind')!r}); pass the checkpoint_dir "
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
    differ = {k: (was["settings"].get(k), v) for k, v in now["settings"].items()
              if was["settings"].get(k) != v}
    if differ:
        said = ", ".join(f"{k}={v!r} (the checkpoints': {w!r})" for k, (w, v) in differ.items())
        raise CheckpointError(f"cannot resume {directory}: its checkpoints were trained with "
                              f"other settings: {said}; resume with the checkpoints' values "
                              f"(only {', '.join(FREE_ON_RESUME)} may change), or {fresh}")


def finished_member(folder: Path, tcfg, net) -> Optional[dict]:
    """The member's history when its last checkpoint is its final one, its final weights
    then loaded into ``net``; else None (the loop resumes it)."""
    from ..forecast.training import _finished_member
    from ..io.weights_match import check_state_dict

    done = _finished_member(folder, tcfg)
    if done is None:
        return None
    weights, hist = done
    check_state_dict(net, weights, f"{folder} (the checkpoint to resume)")
    net.load_state_dict(weights)
    return hist
