"""``rnnlab forecast --run DIR`` on a one-series run stopped mid-ensemble (killed, Ctrl-C):
DIR has no ``model/`` yet, but the members that finished before the stop are whole in its
checkpoints (``member<k>/``). The forecast is made with those, as ``lm generate`` and ``lm
eval`` use an unfinished run's best weights so far (:mod:`rnnlab.lm.unfinished`).

A member is only kept when it finished: the first ``k`` of the run's ``N`` members (they
train in turn), each its own seed, exactly as a run with ``--ensemble k`` trains them. The
choice between the network and its baselines needs the ensemble's validation forecasts, so
it is made again, on those ``k``, from the run's own data (config.json's ``data``, with its
SHA-256 checked): the forecast is that of ``--ensemble k``, not of the run when finished,
and the note says so, with how many of how many members were used. Nothing trains (a
``--refit`` run, whose refit would, is refused) and nothing in DIR is written (the finished
members are copied aside to be read)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import warnings
from dataclasses import fields
from pathlib import Path

from ..io.errors import RunDirError
from .config import ForecastConfig


def finished_members(checkpoints: Path, cfg: ForecastConfig) -> int:
    """How many of the run's first members finished (their last checkpoint is their final
    one), counted in training order up to the first that did not."""
    from ..train.checkpoint import CheckpointManager
    from ..train.final_checkpoint import final_checkpoint

    for m in range(cfg.ensemble):
        ck = checkpoints / f"member{m}"
        if not CheckpointManager(ck).exists() or \
                final_checkpoint(ck, cfg.epochs) is None:
            return m
    return cfg.ensemble


def _recorded(run: Path, resume: str):
    """(the run's config, its config.json) or a RunDirError saying what continues it."""
    from .older_runs import fields_before
    from .rerun import _read_info

    info = _read_info(run)
    saved = info.get("config") if isinstance(info, dict) else None
    if not isinstance(saved, dict) or not isinstance(saved.get("data"), str) or \
            not isinstance(saved.get("val_data") or "", str):
        raise RunDirError(f"{run}: this run did not finish, and its config.json holds no "
                          f"config and data to forecast with; continue it with: {resume}")
    names = {f.name for f in fields(ForecastConfig)}
    config = {k: v for k, v in saved.items() if k in names}
    cfg = ForecastConfig.from_dict({**config, **fields_before(config)},
                                   run / "config.json")
    return cfg, info


def _series(run: Path, info: dict, cfg: ForecastConfig, resume: str):
    """The series the run trained on (its data, and --val-data's joined after it), refused
    when it is no longer what the run recorded."""
    from ..data.datasets import resolve_data
    from ..io.rundir import data_hash
    from .val_data import join_validation

    from .rerun import _saved_columns

    saved, columns = _inputs(run, info["config"]), _saved_columns(run)  # (names or None)
    date_col = columns["date_column"]
    date_col = False if (date_col or "").lower() == "none" else date_col
    read = dict(column=columns["column"], date_column=date_col, fill=cfg.fill,
                weekmask=cfg.weekmask, off_grid=info["config"].get("off_grid") or "refuse")
    series = resolve_data(saved["data"], **read)
    if saved.get("val_data"):
        split = cfg.replace(val_size=None, test_size=None)
        series, _ = join_validation(series, resolve_data(saved["val_data"], **read),
                                    saved["val_data"], split)
    if info.get("data_sha256") not in (None, data_hash(series.values)):
        files = saved["data"] + (f" and --val-data {saved['val_data']}"  # (either may be
                                 if saved.get("val_data") else "")  # the one that changed)
        raise RunDirError(f"{run}: this run did not finish, and its data ({files}) changed "
                          f"since it started, so the finished members' choice cannot be made "
                          f"again; continue it with: {resume}")
    return series


def _inputs(run: Path, saved: dict) -> dict:
    """config.json's ``data`` and ``val_data`` as cli.json records them: absolute, as
    ``--resume`` reads them (config.json keeps them as typed: a relative path, read from
    another working directory, was "train.csv: no such file", or another file of that
    name); config.json's where cli.json holds no such path."""
    from ..io.cli_options import CLI_FILE
    from ..io.json_file import read_json

    record = read_json(run / CLI_FILE, RunDirError, note_unverified=True)
    options = record.get("options") if isinstance(record, dict) else None
    options = options if isinstance(options, dict) else {}
    return {k: (options[k] if isinstance(options.get(k), str) and saved.get(k) else
                saved.get(k)) for k in ("data", "val_data")}


def forecaster_of_unfinished(run: Path, resume: str):
    """A Forecaster of the members of ``run`` that finished (a note on stderr: how many of
    how many), or None when none did (the caller refuses the run as unfinished)."""
    cfg, info = _recorded(run, resume)
    k = finished_members(run / "checkpoints", cfg)
    if k == 0:
        return None
    if cfg.refit:
        raise RunDirError(f"{run}: this run did not finish ({k} of its {cfg.ensemble} "
                          f"members did), and its --refit trains the members again after the "
                          f"choice, which --run does not do; continue it with: {resume}")
    series = _series(run, info, cfg, resume)
    said = (f"all {k} of its ensemble members had finished (it stopped before its results "
            f"were written): forecasting with them, the choice among the baselines made again "
            f"as the run makes it; to write its results, continue it with: {resume}"
            if k == cfg.ensemble else
            f"forecasting with {k} of its {cfg.ensemble} ensemble members, those that "
            f"finished, the network's weights and the choice among the baselines made again "
            f"on them: the forecast of a run with --ensemble {k}, not of this run once "
            f"finished; for that, continue it with: {resume}")
    print(f"rnnlab forecast: note: {run} did not finish (no model/ yet): {said}",
          file=sys.stderr)
    return _fitted(run, series, cfg.replace(ensemble=k, progress=False, device="cpu"), k)


def _fitted(run: Path, series, cfg: ForecastConfig, k: int):
    """``Forecaster(cfg).fit`` resumed from copies of the ``k`` finished members (each taken
    as it finished: nothing trains)."""
    from .forecaster import Forecaster

    with tempfile.TemporaryDirectory(prefix="rnnlab-unfinished-") as tmp:
        for m in range(k):
            shutil.copytree(run / "checkpoints" / f"member{m}", Path(tmp) / f"member{m}")
        with warnings.catch_warnings():  # (the run said them when it started)
            warnings.simplefilter("ignore")
            return Forecaster(config=cfg).fit(series, checkpoint_dir=tmp, resume=True)

