"""Session 31: a user model's forecasts with an object column a kept fold cannot read back
(dates, text and numbers mixed) were refused as the fold was written, in words that named
the column alone: not the model, nor the origin, nor that the run goes on without
checkpoint_dir. Checked now as the first fold's forecasts come back, before anything of it
is written or another fold fitted, naming the model, the origin, the column, what it
holds and what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=("naive",), refit=1)


class DatedMean(Naive):
    """The naive forecast, its mean an object column of dates (not numbers): fits counted."""

    fits = 0

    def fit(self, panel, static=None):
        type(self).fits += 1
        return super().fit(panel, static=static)

    def predict(self, horizon, future=None, history=None):
        out = super().predict(horizon, future=future, history=history)
        return out.assign(mean=pd.Series([pd.Timestamp("2020-01-01")] * len(out),
                                         dtype=object, index=out.index))


def test_a_column_a_fold_cannot_keep_is_refused_at_the_first_fold_naming_all(tmp_path):
    DatedMean.fits = 0
    with pytest.raises(CheckpointError) as e:
        backtest({"dated": DatedMean()}, tiny_frame(), checkpoint_dir=tmp_path, **OPTS)
    said = str(e.value)
    assert "model 'dated'" in said and "origin 1 of 3" in said, said  # (whose, where)
    assert "column 'mean'" in said and "Timestamp" in said and "2020-01-01" in said, said
    assert ".astype(float)" in said and "without checkpoint_dir" in said, said  # (to do)
    assert DatedMean.fits == 1  # (refused at its first fold's forecasts, no later fit)
    assert not list(tmp_path.rglob("*.npz"))  # (nothing of it kept)
    fine = backtest({"dated": DatedMean()}, tiny_frame(), **OPTS)  # (no folds kept: runs)
    assert len(fine.forecasts) > 0
