"""Session 30: a backtest begun before its fold folders were renamed (session 29: a label
with capitals, ``Naive``, kept its folds in ``folds/Naive``, now in a digest's folder)
computed every such fold again when resumed. They are read back now, where the old
folder's model.json and the fold's own ``model`` column name that very label (on a file
system that ignores case ``folds/Naive`` may hold ``naive``'s folds: never taken)."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_checkpoints import _name
from rnnlab.panel.baselines import Naive, SeasonalNaive
from rnnlab.panel.fold_records import read_fold, write_fold
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=8, stride=2, baselines=())


class Counted(Naive):
    """The naive baseline, counting its forecasts (a fold read back makes none)."""

    calls = 0

    def predict(self, horizon, future=None, history=None):
        type(self).calls += 1
        return super().predict(horizon, future=future, history=history)


def _old_run(tmp_path, label="Naive", model=None):
    """A run killed after two of its four origins, its folds moved to the folder an older
    rnnlab named them in (``folds/<label>``)."""
    with pytest.raises(Killed):
        backtest({label: model or Counted()}, tiny_frame(), checkpoint_dir=tmp_path,
                 refit=1, progress=kill_after(f"{label}: origin 2/"), **OPTS)
    new = tmp_path / "folds" / _name(label)
    assert new.name != label
    new.rename(tmp_path / "folds" / label)
    return tmp_path / "folds" / label


def test_an_older_runs_folds_of_a_capitalised_label_are_read_back(tmp_path):
    whole = backtest({"Naive": Counted()}, tiny_frame(), refit=1, **OPTS)
    _old_run(tmp_path)
    Counted.calls = 0
    resumed = backtest({"Naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path,
                       resume=True, refit=1, **OPTS)
    assert Counted.calls == 2  # (origins 3 and 4: 1 and 2 read from folds/Naive)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)
    Counted.calls = 0  # (again: every fold read back, the old and the new folder's)
    backtest({"Naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path, resume=True,
             refit=1, **OPTS)
    assert Counted.calls == 0


def test_an_older_runs_folds_of_another_label_sharing_the_folder_are_not_taken(tmp_path):
    # (on a file system that ignores case, folds/Naive is folds/naive: a fold there may
    # be the other label's; its model column says whose it is)
    old = _old_run(tmp_path)
    frame, extra = read_fold(old / "origin1.npz")
    write_fold(old / "origin1.npz", frame.assign(model="naive"), extra)
    Counted.calls = 0
    resumed = backtest({"Naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path,
                       resume=True, refit=1, **OPTS)
    assert Counted.calls == 3  # (origin 2 computed again, beside 3 and 4)
    whole = backtest({"Naive": Counted()}, tiny_frame(), refit=1, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)


def test_an_older_folder_naming_another_label_is_not_read(tmp_path):
    old = _old_run(tmp_path)
    text = (old / "model.json").read_text(encoding="utf-8").replace('"Naive"', '"NAIVE"')
    (old / "model.json").write_text(text, encoding="utf-8")
    Counted.calls = 0
    backtest({"Naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path, resume=True,
             refit=1, **OPTS)
    assert Counted.calls == 4


def test_an_older_runs_model_of_other_settings_is_refused(tmp_path):
    _old_run(tmp_path, "SNaive", SeasonalNaive(period=2))
    with pytest.raises(CheckpointError, match=r"model 'SNaive' differs .*period=4 "
                                              r"\(the folds': 2\)"):
        backtest({"SNaive": SeasonalNaive(period=4)}, tiny_frame(), checkpoint_dir=tmp_path,
                 resume=True, refit=1, **OPTS)


def test_a_lowercase_labels_folder_holding_another_labels_fold_is_not_taken(tmp_path):
    """Review: where case is ignored (macOS, Windows) today's ``folds/naive`` is an older
    run's ``folds/Naive``, which may hold ``Naive``'s folds; the fold's model column was
    checked in the old folder alone, so ``naive`` took ``Naive``'s rows as its own."""
    with pytest.raises(Killed):
        backtest({"naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path, refit=1,
                 progress=kill_after("naive: origin 2/"), **OPTS)
    path = tmp_path / "folds" / "naive" / "origin1.npz"
    frame, extra = read_fold(path)
    write_fold(path, frame.assign(model="Naive"), extra)  # (as the shared folder held it)
    Counted.calls = 0
    resumed = backtest({"naive": Counted()}, tiny_frame(), checkpoint_dir=tmp_path,
                       resume=True, refit=1, **OPTS)
    assert Counted.calls == 3  # (origin 2 computed again, beside 3 and 4)
    assert set(resumed.forecasts["model"]) == {"naive"}
    whole = backtest({"naive": Counted()}, tiny_frame(), refit=1, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)
