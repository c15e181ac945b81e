"""The refusal of a folder given to a load that holds no ``model.json``: a backtest's run
directory (it saves no model), a run's training checkpoints (continued with ``--resume``),
or a folder rnnlab did not write. Each is named, with what to do instead; the saved
model's own reader is :func:`rnnlab.io.model_dir.read_model_json`."""

from __future__ import annotations

from pathlib import Path

from .errors import CheckpointError


def not_a_model(path: Path, kind: str) -> CheckpointError:
    """The error for the folder ``path`` that holds no model.json, loaded as a ``kind``
    model ("forecaster", "panel-forecaster", ...): what the folder holds instead."""
    if (path / "summary.json").is_file() and (path / "forecasts.csv").is_file():
        return _backtest_folder(path, kind)  # (it has checkpoints/ too: not "--resume")
    if (path / "latest.json").is_file() or (path / "meta.json").is_file() or \
            (path / "checkpoints").is_dir():
        return CheckpointError(f"{path}: holds training checkpoints, not a saved model; a run "
                               f"writes model/ when it finishes: continue it with --resume "
                               f"RUN_DIR (a panel run: the command that started it, with "
                               f"--resume; or load what it saved with its run directory)")
    return CheckpointError(f"{path}: not a saved rnnlab model (no model.json); pass the folder "
                           f"written by save() or the run directory's model/ folder")


def _backtest_folder(path: Path, kind: str) -> CheckpointError:
    """The refusal of a backtest's run directory (summary.json, forecasts.csv) given to a
    load: it saves no model, each origin's fit scored and dropped; it said "no model.json"
    or, with the folds it keeps, "holds training checkpoints ... --resume"."""
    cls, config = {"forecaster": ("Forecaster", "ForecastConfig"),
                   "panel-forecaster": ("GlobalForecaster", "PanelConfig")}.get(
        kind, ("the model", "its config"))
    return CheckpointError(
        f"{path}: a backtest's run directory (summary.json, forecasts.csv), which saves no "
        f"model (each origin's fit is scored, not kept); fit one on all the data: in Python "
        f"{cls}(config={config}.from_dict(settings)).fit(data), settings being "
        f"{path / 'config.json'}'s config.model_config, or `rnnlab forecast --data DATA "
        f"--out DIR` with the backtest's model options (its config.json's command), then "
        f"load DIR")
