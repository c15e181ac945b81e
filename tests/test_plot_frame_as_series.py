"""``GlobalForecaster.plot(fc)``: a forecast table passed where the ids to draw go (as
utilsforecast's ``plot_series(df, forecasts_df)`` or Darts' ``pred.plot()`` draw a forecast
one has) was read as a list of ids, its column names: "series ['unique_id', 'ds', 'step',
'mean', 'q0.05'] are not in the forecast", or, for a model reading future covariates, an
error asking for ``future=``. It is refused first, saying what ``plot`` draws."""

import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.forecast_plot import plot_panel_forecast


def _forecast():
    return pd.DataFrame({"unique_id": ["a", "a"], "ds": [1, 2], "step": [1, 2],
                         "mean": [1.0, 2.0], "q0.1": [0.5, 1.5], "q0.9": [1.5, 2.5]})


def test_model_plot_refuses_a_forecast_table_before_predicting():
    f = GlobalForecaster("lstm", future_covariates=("temp",))
    with pytest.raises(DataError, match=r"series= names the series to draw") as e:
        f.plot(_forecast())
    assert "history=" in str(e.value) and "['unique_id', 'ds', 'step'" in str(e.value)


def test_panel_plot_refuses_a_forecast_table_as_series():
    past = pd.DataFrame({"unique_id": ["a"] * 3, "ds": [-2, -1, 0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match=r"series= names the series to draw"):
        plot_panel_forecast(_forecast(), past, series=_forecast())


def test_a_column_of_ids_draws_each_series_once():
    """series=fc["unique_id"] (the forecast's column, each id once per step, where
    .unique() was meant) drew each series once per step: 4 axes for 2 series."""
    fc = pd.concat([_forecast(), _forecast().assign(unique_id="b")], ignore_index=True)
    past = pd.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3, "ds": [-2, -1, 0] * 2,
                         "y": [1.0, 2.0, 3.0] * 2})
    fig = plot_panel_forecast(fc, past, series=fc["unique_id"])
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["a", "b"]


def test_a_backtest_plot_names_each_series_once():
    from rnnlab.panel.backtest_plot import _named

    fc = pd.DataFrame({"unique_id": ["a", "a", "b", "b"]})
    assert _named(fc, fc["unique_id"]) == ["a", "b"]
