"""A pandas user's sweep (session 21) of panels: a long table that lost its id column, and
durations given as the dates."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _long_without_id(n=24):
    d = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame({"ds": np.tile(d, 2), "y": np.arange(2 * n, dtype=float),
                         "temp": 1.0})


def test_a_long_table_that_lost_its_id_column_is_told_to_name_it():
    # (pandas 3's groupby("unique_id").apply drops the grouping column; read as a wide
    # table, the refusal named ('temp', 2000-01-01) as a repeated (id, date) pair)
    with pytest.raises(DataError) as e:
        read_panel(_long_without_id())
    msg = str(e.value)
    assert "no id column, and the dates repeat (2000-01-01 on 2 rows)" in msg
    assert "id_column=NAME" in msg and "['y', 'temp']" in msg and "('temp'" not in msg


def test_a_wide_table_with_a_date_column_still_reads():
    df = pd.DataFrame({"ds": pd.date_range("2000-01-01", periods=24, freq="MS"),
                       "a": np.arange(24.0), "b": np.arange(24.0) + 5})
    assert len(read_panel(df).ids) == 2


@pytest.mark.parametrize("as_series", [False, True])
def test_durations_as_a_panels_dates_are_told_how_to_become_dates_or_steps(as_series):
    ds = pd.timedelta_range("0s", periods=30, freq="5s")
    data = (pd.Series(np.arange(30.0), index=ds) if as_series else
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.arange(30.0)}))
    with pytest.raises(DataError, match=r"holds durations \(timedelta64.*pd.Timestamp"):
        read_panel(data)
    steps = pd.DataFrame({"unique_id": "a", "ds": ds // pd.Timedelta("5s"),
                          "y": np.arange(30.0)})
    assert read_panel(steps).ids == ("a",)  # (what the message says to do reads)


# ---------------------------------------------------------------- backtests of integer steps


def _steps(n=30):
    t = np.arange(n)
    return pd.DataFrame({"unique_id": "a", "ds": t + 1, "y": 50 + t + np.sin(t)})


def _model(**k):
    from rnnlab.panel import GlobalForecaster

    return GlobalForecaster("gru", lookback=4, horizon=2, batches_per_epoch=1, hidden_size=2,
                            head_size=2, **{"epochs": 1, **k})


def test_the_default_baselines_of_integer_steps_leave_seasonal_naive_out_with_a_word():
    # (NeuralForecast's int ds: the default baselines' seasonal_naive was refused after the
    # network had been trained, so GlobalForecaster.backtest(df) ran nothing)
    with pytest.warns(UserWarning, match="seasonal_naive baseline is left out: .*period=N"):
        res = _model().backtest(_steps(), first_origin=4, stride=2)
    assert list(pd.unique(res.forecasts["model"])) == ["gru", "naive", "ets"]


def test_seasonal_naive_asked_for_on_integer_steps_is_refused_before_any_training(monkeypatch):
    from rnnlab.panel import GlobalForecaster

    def no_fit(*a, **k):
        raise AssertionError("trained before the baselines were checked")

    monkeypatch.setattr(GlobalForecaster, "fit", no_fit)
    with pytest.raises(DataError, match=r"baselines: seasonal_naive: .*baselines=\('naive',\)"):
        _model().backtest(_steps(), baselines=("naive", "seasonal_naive"))


def test_integer_steps_with_a_period_keep_seasonal_naive():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        res = _model(period=4).backtest(_steps(), first_origin=4, stride=2,
                                        baselines=("seasonal_naive",))
    assert "seasonal_naive" in set(res.forecasts["model"])
