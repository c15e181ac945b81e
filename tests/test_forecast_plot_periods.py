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
