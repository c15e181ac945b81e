"""Review of session 30: a backtest whose first fit failed (a look-back too long: the
Python ``backtest`` checks no length before its folder is made) kept its record and its
model's settings, but no fold. Resumed once the setting was fixed (``resume=True``, as a
job scheduler repeats the call), it was refused: "model 'p' differs from the one its
folds were computed with", of folds that were never computed. A difference is refused
only where a fold or a fit's checkpoint is kept."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=())


class Picky(Naive):
    """The naive baseline, whose fit fails while ``lookback`` is above 4 (as a network's
    does on series too short for it)."""

    def __init__(self, lookback: int):
        super().__init__()
        self.lookback = lookback

    def fit(self, panel, static=None):
        if self.lookback > 4:
            raise DataError(f"series too short for lookback {self.lookback}")
        return super().fit(panel, static=static)


def test_a_resume_after_a_first_fit_that_failed_takes_the_fixed_settings(tmp_path):
    with pytest.raises(DataError, match="lookback 9"):
        backtest({"p": Picky(9)}, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    resumed = backtest({"p": Picky(3)}, tiny_frame(), checkpoint_dir=tmp_path, resume=True,
                       **OPTS)
    whole = backtest({"p": Picky(3)}, tiny_frame(), **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)


def test_a_resume_after_a_first_fit_that_failed_takes_other_data(tmp_path):
    with pytest.raises(DataError, match="lookback 9"):
        backtest({"p": Picky(9)}, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    other = tiny_frame().assign(y=lambda d: d["y"] + 1.0)
    resumed = backtest({"p": Picky(3)}, other, checkpoint_dir=tmp_path, resume=True, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts,
                                  backtest({"p": Picky(3)}, other, **OPTS).forecasts)


def test_other_settings_or_data_are_still_refused_once_a_fold_is_kept(tmp_path):
    with pytest.raises(Killed):
        backtest({"p": Picky(3)}, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("p: origin 1/"), **OPTS)
    with pytest.raises(CheckpointError, match=r"model 'p' differs .*lookback=2 \(the folds': 3\)"):
        backtest({"p": Picky(2)}, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    with pytest.raises(CheckpointError, match="other data"):
        backtest({"p": Picky(3)}, tiny_frame().assign(y=lambda d: d["y"] + 1.0),
                 checkpoint_dir=tmp_path, resume=True, **OPTS)
