"""Session 30: a fold kept by a backtest's checkpoints wrote any object column as text, so
a user model's forecasts in an object column of numbers (``mean`` built from a list with
a None) read back as strings after a resume, and the resumed tables were not the
uninterrupted run's. Numbers are kept as numbers now, read back as the same values; an
object column of neither text nor numbers is refused when the fold is kept, by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from rnnlab.panel.fold_records import read_fold, write_fold
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=())


class ObjectMean(Naive):
    """The naive forecast, its mean as an object column of Python floats (and ints)."""

    def predict(self, horizon, future=None, history=None):
        out = super().predict(horizon, future=future, history=history)
        values = [int(v) if k % 3 == 0 else float(v) for k, v in enumerate(out["mean"])]
        return out.assign(mean=pd.Series(values, dtype=object, index=out.index))


def test_a_resumed_object_column_of_numbers_reads_back_as_numbers(tmp_path):
    whole = backtest({"obj": ObjectMean()}, tiny_frame(), **OPTS)
    assert whole.forecasts["mean"].dtype == object
    with pytest.raises(Killed):
        backtest({"obj": ObjectMean()}, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("obj: origin 2/"), **OPTS)
    resumed = backtest({"obj": ObjectMean()}, tiny_frame(), checkpoint_dir=tmp_path,
                       resume=True, **OPTS)
    # (was: the first two origins' means read back as '12.0', '7' ...)
    assert not any(isinstance(v, str) for v in resumed.forecasts["mean"])
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)
    for x, y in zip(resumed.tables(), whole.tables()):
        pd.testing.assert_frame_equal(x.drop(columns=["seconds"], errors="ignore"),
                                      y.drop(columns=["seconds"], errors="ignore"))


def test_a_fold_keeps_each_kind_of_number_exactly(tmp_path):
    values = [1, 2 ** 70, 0.1, float("nan"), float("inf"), -0.0, True, np.float32(0.1),
              np.int64(-3), np.bool_(False), None, 1e-320]
    frame = pd.DataFrame({"x": pd.Series(values, dtype=object),
                          "t": pd.Series(["a", None, *"bcdefghijk"], dtype=object)})
    write_fold(tmp_path / "f.npz", frame, {})
    got, _ = read_fold(tmp_path / "f.npz")
    back = list(got["x"])
    assert [type(v) for v in back] == [int, int, float, float, float, float, bool, float, int,
                                       bool, type(None), float]
    assert back[:3] == values[:3] and np.isnan(back[3]) and back[4:7] == values[4:7]
    assert back[7] == float(np.float32(0.1)) and back[8] == -3 and back[9] is False
    assert str(back[5]) == "-0.0" and back[11] == 1e-320
    assert got["t"].isna().tolist() == frame["t"].isna().tolist()  # (text as before)
    assert got["t"].dropna().tolist() == frame["t"].dropna().tolist()


@pytest.mark.parametrize("odd, said", [(["a", 1.5], "float, str"), ([None, "a", 2], "int, str"),
                                       ([pd.Timestamp("2020-01-01"), 2.0], "Timestamp"),
                                       ([[1, 2], 3], "list")])
def test_an_object_column_of_neither_text_nor_numbers_is_refused_by_name(tmp_path, odd, said):
    frame = pd.DataFrame({"mean": pd.Series(odd, dtype=object)})
    with pytest.raises(CheckpointError, match=rf"column 'mean'.*{said}"):
        write_fold(tmp_path / "f.npz", frame, {})
    assert not (tmp_path / "f.npz").exists()


@pytest.mark.parametrize("column", [pd.Series([True, None, False], dtype="boolean"),
                                    pd.Series([1.5, None, 2.0], dtype="Float64"),
                                    pd.Series([1, None, 3], dtype="Int64")])
def test_a_nullable_column_with_missing_values_reads_back(tmp_path, column):
    # (a boolean column with <NA>, and on pandas 2 an Int64 or Float64 one, a user model's
    # convert_dtypes(): its values came out as objects, which np.savez pickled; every
    # resume then refused the record, computed the fold again and wrote it so again)
    frame = pd.DataFrame({"mean": column})
    write_fold(tmp_path / "f.npz", frame, {})
    got, _ = read_fold(tmp_path / "f.npz")
    pd.testing.assert_frame_equal(got, frame)


def test_an_object_column_of_nan_alone_reads_back_as_nan(tmp_path):
    # (a user model's object mean, all NaN at one origin: taken for text, it read back
    # as None, and the resumed forecasts held None where the uninterrupted run's held NaN)
    frame = pd.DataFrame({"mean": pd.Series([np.nan, np.nan], dtype=object),
                          "none": pd.Series([None, None], dtype=object)})
    write_fold(tmp_path / "f.npz", frame, {})
    got, _ = read_fold(tmp_path / "f.npz")
    assert [type(v) for v in got["mean"]] == [float, float] and got["mean"].isna().all()
    assert list(got["none"]) == [None, None]
