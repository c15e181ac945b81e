"""The forecast plot of a series given with a PeriodIndex (review of the periods kept in
outputs): the forecast past the data sits on the same calendar as the history."""

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from rnnlab.data.series import load_series
from rnnlab.forecast.plots import forecast_figure


def _x(line) -> np.ndarray:
    line.figure.canvas.draw()
    return line.get_path().vertices[:, 0]


def test_the_future_of_a_period_index_is_drawn_at_the_month_after_the_data():
    idx = pd.period_range("2000-01", periods=36, freq="M")
    s = load_series(pd.Series(np.arange(36.0) + 1, index=idx, name="y"))
    future = pd.Series([37.0, 38.0, 39.0], index=s.future_index(3))
    band = pd.DataFrame({"mean": future.to_numpy(), "q0.1": future.to_numpy() - 1,
                         "q0.9": future.to_numpy() + 1}, index=future.index)
    assert isinstance(future.index, pd.PeriodIndex)  # (what predict() gives back)
    for fut in (future, band):
        fig, ax = forecast_figure(s, 30, None, fut)
        history, drawn = ax.get_lines()[0], ax.get_lines()[-1]
        step = _x(history)[-1] - _x(history)[-2]  # May to June 2002: 31 days
        assert _x(history)[-1] == mdates.date2num(pd.Timestamp("2002-06-01"))
        assert _x(drawn)[0] == mdates.date2num(pd.Timestamp("2003-01-01"))
        assert step == 31
        for band_drawn in ax.collections:  # the 80% band starts there too
            fig.canvas.draw()
            assert band_drawn.get_paths()[0].vertices[0, 0] == _x(drawn)[0]
        fig.clf()


def test_a_saved_period_freq_pandas_does_not_know_is_refused_at_load(tmp_path):
    """The saved series' period frequency is checked by the panel's own check
    (rnnlab.panel.date_kind.check_period_freq), one function for both model kinds."""
    import json

    import pytest

    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    s = pd.Series(np.sin(np.arange(48.0)) + 5, index=pd.period_range("2000-01", periods=48,
                                                                     freq="M"), name="y")
    f = Forecaster(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=6,
                   horizon=3, val_size=0, select="network").fit(s)
    path = f.save(tmp_path / "m")
    meta = json.loads((path / "model.json").read_text())
    assert meta["extra"]["series"]["period_freq"] == "M"
    meta["extra"]["series"]["period_freq"] = "every blue moon"
    meta.pop("_sha256", None)
    (path / "model.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match=r"period frequency 'every blue moon' is not "
                                              r"one pandas knows"):
        Forecaster.load(path)


def test_periods_named_by_date_column_or_in_a_column_come_back_as_periods():
    """A PeriodIndex named by date_column (the frame's index reset to a column) and a
    column of periods gave timestamps back; the same periods as the frame's index gave
    periods (rnnlab.data.series)."""
    idx = pd.period_range("2000-01", periods=36, freq="M")
    df = pd.DataFrame({"y": np.arange(36.0) + 1}, index=pd.Index(idx, name="month"))
    for s in (load_series(df), load_series(df, date_column="month"),
              load_series(df.reset_index()), load_series(df.reset_index(), date_column="month")):
        assert s.period_freq == "M"
        assert isinstance(s.labels(), pd.PeriodIndex) and s.labels()[0] == idx[0]
        assert str(s.future_index(1)[0]) == "2003-01"
    timestamps = df.reset_index().assign(month=lambda d: d["month"].dt.to_timestamp())
    assert load_series(timestamps).period_freq is None
