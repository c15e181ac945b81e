"""A forecasting practitioner's sweep (session 18) of awkward single series given to
``Forecaster`` and ``rnnlab forecast``, as users of Darts, NeuralForecast and statsforecast
give them: each test pins a problem found (a traceback, a silently wrong result or a
friction)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.report import format_metrics, format_summary
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=1, ensemble=1, progress=False)


def _daily(n=120, seed=0):
    rng = np.random.default_rng(seed)
    return pd.Series(50 + rng.normal(size=n).cumsum(),
                     index=pd.date_range("2021-01-01", periods=n, freq="D"), name="y")


def test_period_1_means_no_season_as_statsforecasts_season_length_1(tmp_path):
    # was: "period must be an integer >= 2 or None, got 1", and None infers 7 from daily
    # dates: no way to fit a daily series without its weekly season (GlobalForecaster
    # takes period=1)
    from rnnlab.data.frequency import seasonal_period

    assert seasonal_period(1, "D") is None and seasonal_period(None, "D") == 7
    assert seasonal_period(3, "D") == 3
    f = Forecaster(period=1, lookback=7, horizon=7, **TINY).fit(_daily())
    assert f.period is None and f.pipeline.lag == 0
    assert "seasonal_naive" not in f.evaluate().index  # (the naive stands for it)
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    assert g.config.period == 1 and g.period is None
    assert np.array_equal(g.predict(7).to_numpy(), f.predict(7).to_numpy())
    for bad in (0, True, 7.0):
        with pytest.raises(DataError, match=r"period must be an integer >= 1 \(1: no season\)"):
            ForecastConfig(period=bad)


def test_cli_period_1_is_taken_as_no_season(tmp_path, capsys):
    # was: "rnnlab forecast: error: ForecastConfig: period must be an integer >= 2 or None"
    import json

    from cli_run import run

    csv = tmp_path / "d.csv"
    _daily(90).rename_axis("ds").reset_index().to_csv(csv, index=False)
    code, err = run(["forecast", "--data", str(csv), "--period", "1", "--epochs", "1",
                     "--ensemble", "1", "--hidden-size", "4", "--out", str(tmp_path / "r")],
                    capsys)
    assert code == 0, err
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["period"] is None and "seasonal_naive" not in metrics["forecast"]


def _ev(**metrics):
    row = dict(rmse=1.0, mae=1.0, mape=1.0, smape=1.0, mase=1.0)
    return {"test_size": 12, "n_train": 84, "period": None, "lag": 1,
            "forecast": {name: dict(row, **m) for name, m in metrics.items()}}


def _cells(text, method):
    line = next(s for s in text.splitlines() if s.startswith(method + " "))
    return [float(v) for v in line.split()[1:]]


def test_the_metrics_table_keeps_columns_apart_and_shows_tiny_errors():
    # was: "model  1027362837545.26991034735262.57    0.99 ..." (RMSE and MAE of a series
    # in the 1e12 ran together) and every RMSE of a series in the 1e-9 read 0.00
    huge = dict(rmse=1.0273628375452699e12, mae=9.9103473526257e11, mape=0.99, smape=0.99,
                mase=0.294)
    tiny = dict(rmse=2.31e-11, mae=1.87e-11, mape=123456.78, smape=2.5, mase=0.0004)
    text = format_metrics(_ev(model=huge, naive=tiny), Path("run"))
    for name, m in (("model", huge), ("naive", tiny)):
        got = _cells(text, name)
        assert len(got) == 5  # five numbers, each apart from the next
        assert got == pytest.approx([m[k] for k in ("rmse", "mae", "mape", "smape", "mase")],
                                    rel=2e-3)
    normal = format_metrics(_ev(model=dict(rmse=23.07, mae=19.8, mape=8.1, smape=8.2,
                                           mase=0.604)), Path("run"))
    assert re.search(r"^model\s+23\.07\s+19\.80\s+8\.10\s+8\.20\s+0\.604$", normal, re.M)
    summary = {"forecast": {"model": {k: {"mean": v, "std": v / 10} for k, v in huge.items()}}}
    line = format_summary(summary, [0, 1]).splitlines()[-1]
    assert [float(v) for v in line.split()[1:] if v != "±"] == pytest.approx(
        [huge["rmse"], huge["rmse"] / 10, huge["mae"], huge["mae"] / 10], rel=5e-2)


def test_a_forecast_that_outgrows_float64_is_refused_not_returned_as_inf():
    # was: predict(4000) of a model of steady log growth gave inf from step ~2300 on, with
    # only numpy's "overflow encountered in exp" warning
    y = np.exp(0.3 * np.arange(60) + np.random.default_rng(0).normal(0, 0.05, 60))
    f = Forecaster(lookback=4, horizon=4, difference="first", select="linear_ar",
                   **TINY).fit(y)
    with np.errstate(over="ignore"):
        with pytest.raises(DataError, match=r"not a finite number from step (\d+) of 4000 on "
                                            r"\(it outgrows float64.*forecast at most \d+"):
            f.predict(4000)
        assert np.isfinite(f.predict(100).to_numpy()).all()


def test_bad_values_of_data_given_in_python_are_named_once_not_series_series():
    # was: "series: series 'value' has 1 NaN values (rows 2020-06-01); ... or clean the file"
    # for a pandas Series (a CSV's keeps its path: "/data/y.csv: series 'y' has ...")
    from rnnlab.data.series import load_series

    s = pd.Series(np.arange(40.0), index=pd.date_range("2020-01-01", periods=40, freq="MS"))
    s.iloc[5] = np.nan
    for data in (s, s.to_numpy()):
        with pytest.raises(DataError, match=r"^series 'value' has 1 NaN value .* or clean "
                                            r"the data$"):
            load_series(data)
    s.iloc[6] = np.inf
    with pytest.raises(DataError, match=r"^series 'value' has infinite values"):
        load_series(s, fill="ffill")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_new_data_with_irregular_or_missing_dates_is_noted_as_fit_notes_it():
    # was: predict(history=...) of a monthly model on irregular dates gave a forecast
    # numbered 60, 61, 62 (its dates dropped) and on months with gaps read across them,
    # without a word; fit said both of its own data (CalendarWarning)
    from rnnlab.forecast.history import CalendarWarning

    idx = pd.date_range("2000-01-01", periods=72, freq="MS")
    y = pd.Series(100 + 10 * np.sin(np.arange(72) * np.pi / 6)
                  + np.random.default_rng(0).normal(0, 1, 72), index=idx)
    f = Forecaster(lookback=6, horizon=6, **TINY).fit(y)
    days = np.sort(np.random.default_rng(1).choice(2000, 40, replace=False))
    irregular = pd.Series(y.to_numpy()[:40], index=pd.Timestamp("2001-01-01")
                          + pd.to_timedelta(days, "D"))
    with pytest.warns(CalendarWarning, match=r"no single frequency \(the model was fitted "
                                             r"on 'MS' data\).*numbered by step"):
        assert list(f.predict(3, history=irregular).index) == [40, 41, 42]
    with pytest.warns(CalendarWarning, match=r"2 dates of its 'MS' calendar are missing"):
        f.predict(3, history=y.drop(idx[[30, 31]]))
    import warnings

    with warnings.catch_warnings():  # a whole calendar: nothing said
        warnings.simplefilter("error", CalendarWarning)
        f.predict(3, history=y[:50])


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_constant_part_is_named_as_that_part_not_the_whole_series():
    # was: zeros before a test part of ones: "series 'y' is constant (every value is 0);
    # ... Pass a series that varies", of a series that varies
    idx = pd.date_range("2015-01-01", periods=96, freq="MS")
    f = Forecaster(**TINY)
    with pytest.raises(DataError, match=r"^series 'y' is constant \(every value is 0\)"):
        f.fit(pd.Series(0.0, index=idx, name="y"))
    with pytest.raises(DataError, match=r"^the training part of series 'y' \(its first 84 "
                                        r"values\) is constant \(every value is 0\).*test_size"):
        f.fit(pd.Series(np.r_[np.zeros(84), np.ones(12)], index=idx, name="y"))
    with pytest.raises(DataError, match=r"^the part before the validation tail of series 'y' "
                                        r"\(its first 63 values\) is constant.*val_size"):
        f.fit(pd.Series(np.r_[np.zeros(70), np.arange(26.0)], index=idx, name="y"))


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_intervals_refused_for_a_flat_validation_tail_say_so():
    # was: "... and this fit has not both (fitted with val_size=0, or a select that scores
    # no arma ...): refit with the default validation and select", of a default fit whose
    # arma forecast the all-zero validation tail without error (score 0)
    from rnnlab.forecast.intervals import NoIntervalsError

    idx = pd.date_range("2015-01-01", periods=96, freq="MS")
    f = Forecaster(**TINY).fit(pd.Series(np.r_[np.zeros(40), [5.0], np.zeros(55)], index=idx))
    assert f.choice["scores"]["arma"] == 0
    with pytest.raises(NoIntervalsError, match=r"arma forecast the validation origins without "
                                               r"an error \(score 0"):
        f.predict(6, quantiles=(0.1, 0.9))
