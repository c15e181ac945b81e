"""Session 31: a backtest's kept fold read ``pd.NA`` and ``NaT`` in an object column back
as None (a user model's mean of numbers with <NA> cells), so a resumed run's forecasts
differed silently from the uninterrupted run's. Each missing value now reads back as the
one written: None, NaN, <NA> or NaT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from rnnlab.panel.fold_records import read_fold, write_fold
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=())


class MissingMean(Naive):
    """The naive forecast, its mean an object column of floats with <NA> and NaT cells."""

    def predict(self, horizon, future=None, history=None):
        out = super().predict(horizon, future=future, history=history)
        gaps = (pd.NA, pd.NaT, None, np.nan)
        values = [gaps[k % 8] if k % 8 < 4 else float(v)
                  for k, v in enumerate(out["mean"])]
        return out.assign(mean=pd.Series(values, dtype=object, index=out.index))


def test_a_resumed_object_column_keeps_its_missing_values(tmp_path):
    whole = backtest({"gaps": MissingMean()}, tiny_frame(), **OPTS)
    assert any(v is pd.NA for v in whole.forecasts["mean"])  # (the model's cells came through)
    with pytest.raises(Killed):
        backtest({"gaps": MissingMean()}, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("gaps: origin 2/"), **OPTS)
    resumed = backtest({"gaps": MissingMean()}, tiny_frame(), checkpoint_dir=tmp_path,
                       resume=True, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)  # (was: <NA> as None)


@pytest.mark.parametrize("dtype", [object, "str"])
def test_each_missing_value_reads_back_as_written(tmp_path, dtype):
    numbers = pd.Series([1.5, pd.NA, None, np.nan, pd.NaT, 2], dtype=object)
    text = pd.Series(["a", pd.NA, None, np.nan, pd.NaT, "b"], dtype=object)
    frame = pd.DataFrame({"x": numbers, "t": text if dtype is object else text.astype(dtype)})
    write_fold(tmp_path / "f.npz", frame, {})
    got, _ = read_fold(tmp_path / "f.npz")
    pd.testing.assert_frame_equal(got, frame)
    assert [type(v) for v in got["x"]] == [type(v) for v in numbers]
