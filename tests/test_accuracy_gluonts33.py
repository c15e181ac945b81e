"""accuracy() given GluonTS' Evaluator keywords, or a one-series Forecaster.predict() frame,
says what does the same here (session 33): they were refused with the list of its
keywords, no word of msis95, the q... columns or score_forecast."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError, DataError


def _panel_and_forecast():
    from rnnlab.panel import load_panel

    panel = load_panel("visnights")
    last = panel.df.groupby("unique_id").tail(2)
    fc = last[["unique_id", "ds"]].assign(mean=last["y"].to_numpy() + 1.0)
    return panel, fc.assign(**{"q0.025": fc["mean"] - 2, "q0.975": fc["mean"] + 2})


@pytest.mark.parametrize("key, value, said", [
    ("alpha", 0.05, "alpha=0.05 (GluonTS' default) is column msis95"),
    ("quantiles", (0.1, 0.9), "the levels are the forecasts' q... columns"),
    ("seasonality", 1, "accuracy(fc, dataclasses.replace(panel, period=1))"),
])
def test_gluonts_evaluator_keywords_name_what_does_their_work(key, value, said):
    from rnnlab.panel import accuracy

    panel, fc = _panel_and_forecast()
    with pytest.raises(ConfigTypeError) as e:
        accuracy(fc, panel, **{key: value})
    assert said in str(e.value)


def test_the_seasonality_recipe_scales_by_lag_one():
    """What the seasonality hint says: the scale becomes mean |y_t - y_(t-1)|."""
    from rnnlab.panel import accuracy

    panel, fc = _panel_and_forecast()
    got = accuracy(fc, dataclasses.replace(panel, period=1)).set_index("unique_id")
    y = panel.df[panel.df.unique_id == "NSWMetro"]["y"].to_numpy()[:-2]
    assert got.loc["NSWMetro", "mase"] == pytest.approx(
        np.mean(np.abs(fc[fc.unique_id == "NSWMetro"]["mean"].to_numpy()
                       - panel.df[panel.df.unique_id == "NSWMetro"]["y"].to_numpy()[-2:]))
        / np.mean(np.abs(np.diff(y))))


def test_a_one_series_predict_frame_names_score_forecast():
    from rnnlab.forecast import score_forecast
    from rnnlab.panel import accuracy

    dates = pd.date_range("2000-01-01", periods=30, freq="MS")
    series = pd.Series(np.linspace(10.0, 39.0, 30), index=dates, name="sales")
    p = pd.DataFrame({"mean": series.iloc[-3:].to_numpy() + 1.0}, index=dates[-3:])
    p = p.assign(**{"q0.025": p["mean"] - 3, "q0.975": p["mean"] + 3})
    with pytest.raises(DataError) as e:
        accuracy(p, series)
    assert "rnnlab.forecast.score_forecast(forecast, series)" in str(e.value)
    s = score_forecast(p, series).summary.iloc[0]  # (what it names scores it)
    assert s["msis95"] == pytest.approx(6.0 / 12.0)  # width 6, no miss; lag-12 changes: 12
