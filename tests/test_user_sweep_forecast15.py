"""A forecasting practitioner's sweep (session 15) of the panel API and the one-series
Forecaster, as users of Darts, NeuralForecast and statsforecast call them: each test pins
a problem found (a traceback, a silently wrong result or an unclear message)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.forecast.intervals import quantile_levels
from rnnlab.io.errors import DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import ETS, Naive, SeasonalNaive
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=16,
            max_seconds=5)


def _panel(n_series=2, n=30, freq="D", seed=0):
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2021-01-04", periods=n, freq=freq),
        "y": 20 + 5 * i + np.sin(np.arange(n) / 2) + 0.3 * rng.standard_normal(n)})
        for i in range(n_series)], ignore_index=True)


def test_quantile_levels_given_as_percentages_say_the_fractions_meant():
    # was: "quantiles must lie in (0, 1), got [10.0, 50.0, 90.0]; e.g. (0.1, 0.5, 0.9)",
    # nothing said of the percentages, nor of 80 read as NeuralForecast's 80% interval
    with pytest.raises(DataError, match=r"not percentages: \(10, 50, 90\) as percentiles "
                                        r"is quantiles=\(0\.1, 0\.5, 0\.9\)$"):
        GlobalForecaster(quantiles=(10, 50, 90))
    with pytest.raises(ValueError, match=r"\(80, 95\) as percentiles is quantiles=\(0\.8, "
                                         r"0\.95\), and as central intervals in % \(Neural"
                                         r"Forecast's level=\) quantiles=\(0\.025, 0\.1, 0\.5, "
                                         r"0\.9, 0\.975\)"):
        Naive(quantiles=[80, 95])
    with pytest.raises(DataError, match=r"predict\(quantiles=...\).*quantiles=\(0\.1, 0\.9\)"):
        quantile_levels([10, 90])  # Forecaster.predict's levels
    with pytest.raises(ValueError, match=r"quantiles=\(0\.1, 0\.5, 0\.9\)"):
        backtest(None, _panel(), horizon=2, baselines=["naive"], quantiles=[10, 50, 90])
    with pytest.raises(DataError, match=r"lie in \(0, 1\), got \[1\.5\]; e\.g\. \(0\.1, 0\.5, "
                                        r"0\.9\)$"):  # (no percentages guessed from 1.5)
        GlobalForecaster(quantiles=(0.5, 1.5))


def test_one_quantile_level_given_as_a_number_is_one_level_everywhere():
    # was: GlobalForecaster(quantiles=0.9): "quantiles must be numbers in (0, 1), got 0.9";
    # Naive(quantiles=0.9) and backtest(quantiles=0.9): TypeError 'float' object is not
    # iterable (Forecaster.predict(quantiles=0.9) took it)
    assert GlobalForecaster(quantiles=0.9, likelihood="gaussian").config.quantiles == (0.9,)
    assert Naive(quantiles=0.9).quantiles == (0.9,)
    assert quantile_levels(0.9) == (0.9,)
    res = backtest(None, _panel(), horizon=2, baselines=["naive"], quantiles=0.9)
    assert [c for c in res.forecasts.columns if c.startswith("q")] == ["q0.9"]
    with pytest.raises(DataError, match=r"a number or a sequence of numbers in \(0, 1\).*"
                                        r"got '0\.1,0\.9'"):
        GlobalForecaster(quantiles="0.1,0.9")


def test_neuralforecasts_level_names_the_quantiles_that_hold_its_intervals():
    # was: "'level' (here: quantiles=)" with no levels; Forecaster(level=...) pointed to
    # GlobalForecaster; Forecaster.predict(level=..., n=...) a bare TypeError
    with pytest.raises(TypeError, match=r"'level' \(here: quantiles=\): quantiles=\(0\.025, "
                                        r"0\.1, 0\.5, 0\.9, 0\.975\) gives the central "
                                        r"intervals level=\[80, 95\] and the median\."):
        GlobalForecaster(level=[80, 95])
    with pytest.raises(TypeError, match=r"'level' \(here: predict\(quantiles=\)\): predict\("
                                        r"quantiles=\(0\.1, 0\.5, 0\.9\)\) gives"):
        Forecaster(level=[80])
    with pytest.raises(TypeError, match=r"'level' \(here: quantiles, set when the model is "
                                        r"created: GlobalForecaster\(quantiles=\(0\.05, 0\.5, "
                                        r"0\.95\)\) gives the central intervals level=\[90\] "
                                        r"and the median\)"):
        GlobalForecaster().predict(3, level=[90])
    with pytest.raises(TypeError, match=r"Forecaster\.predict\(\) got unexpected keyword "
                                        r"arguments 'n' \(here: horizon.*'level' \(here: "
                                        r"quantiles: predict\(quantiles=\(0\.1, 0\.5, 0\.9\)\)"):
        Forecaster().predict(n=3, level=[80])
    with pytest.raises(TypeError, match=r"level= takes central intervals in percent"):
        GlobalForecaster(level=0.8)  # (a fraction: no interval of 0.8%)


@pytest.mark.parametrize("model", [Naive(), SeasonalNaive(period=7), ETS(trend=None)],
                         ids=["naive", "seasonal_naive", "ets"])
def test_baselines_read_a_horizon_as_the_global_model_does(model):
    # was: predict(2.0) an IndexError (arrays used as indices must be of integer type),
    # predict(True) "TypeError: an integer is required", predict(0) an empty frame whose
    # ids were floats
    model.fit(read_panel(_panel()))
    pd.testing.assert_frame_equal(model.predict(2.0), model.predict(2))
    for bad, says in ((2.5, "a whole number of steps, got 2.5"),
                      (True, "a whole number of steps, got True"),
                      (0, "at least 1 step, got 0")):
        with pytest.raises(DataError, match=f"horizon must be {says}"):
            model.predict(bad)



def test_a_horizon_held_in_a_0d_array_or_tensor_is_read_as_its_number():
    # np.array(2) ran before the horizon checks (int(float(h)), np.arange(1, h + 1)); they
    # refused it: "horizon must be a whole number of steps, got array(2)"
    import torch

    from rnnlab.panel.call_args import horizon_steps

    model = Naive().fit(read_panel(_panel()))
    for h in (np.array(2), np.array(2.0), torch.tensor(2)):
        assert horizon_steps(h) == 2 and type(horizon_steps(h)) is int
        pd.testing.assert_frame_equal(model.predict(h), model.predict(2))
    for bad in (np.array(2.5), np.array(True), np.array([2]), torch.tensor([2])):
        with pytest.raises(DataError, match="horizon must be a whole number of steps"):
            horizon_steps(bad)

@pytest.fixture(scope="module")
def one_series():
    y = pd.Series(20 + np.sin(np.arange(60) / 2) + np.arange(60) * 0.05,
                  index=pd.date_range("2021-01-04", periods=60, freq="D"), name="sales")
    return Forecaster(lookback=7, horizon=7, hidden_size=4, epochs=1, ensemble=1,
                      progress=False).fit(y)


def test_forecaster_predict_reads_a_horizon_as_the_panel_models_do(one_series):
    # was: predict(True) a forecast of 1 step, silently; predict(3.0) refused
    f = one_series
    pd.testing.assert_series_equal(f.predict(3.0), f.predict(3))
    for bad in (True, 2.5, 0, "3"):
        with pytest.raises(DataError, match="horizon must be"):
            f.predict(bad)


def test_a_panel_horizon_of_zero_is_not_told_to_train_with_horizon_zero():
    # was: "horizon must be between 1 and the trained horizon 3, got 0; train with horizon=0"
    f = GlobalForecaster("gru", lookback=4, horizon=3, difference="none", **TINY)
    f.fit(_panel())
    with pytest.raises(DataError, match=r"horizon must be at least 1 step, got 0$"):
        f.predict(0)
    with pytest.raises(DataError, match=r"trained horizon 3, got 4; train with horizon=4"):
        f.predict(4)


def test_a_static_table_of_other_ids_names_them_as_the_future_table_does():
    # was: "static covariate 'size' has no value for series ['0', '1'] (2 of 2)" for a table
    # holding rows 0.0 and 1.0 (a CSV id column with a blank reads as floats)
    df = _panel().assign(unique_id=lambda d: d.unique_id.str[1:].astype(int))
    static = pd.DataFrame({"unique_id": [0.0, 1.0], "size": [1.0, 2.0]})
    f = GlobalForecaster("gru", lookback=4, horizon=2, static_covariates=("size",), **TINY)
    with pytest.raises(DataError, match=r"no value for series \['0', '1'\] \(2 of 2\).*the "
                                        r"table's ids \['0\.0', '1\.0'\] are not the series' "
                                        r"ids: give them as in the data \(e\.g\. '0'\)"):
        f.fit(df, static=static)


def test_a_one_series_frame_with_integer_ds_is_forecast_after_its_last_step():
    # was: NeuralForecast's frame (unique_id, ds 101..140, y) forecast as 40, 41, ...: the
    # ds column was dropped as a row counter and the frame's index 0..39 labelled the
    # values, so the forecasts merged onto earlier rows; ds 0, 2, 4, ... was refused with
    # "several numeric columns (ds, y) and none is Close"
    from rnnlab.data.series import load_series

    y = 20 + np.sin(np.arange(40) / 2)
    s = load_series(pd.DataFrame({"unique_id": "a", "ds": np.arange(101, 141), "y": y}))
    assert (s.name, s.first, s.step) == ("y", 101, 1)
    assert s.future_index(2).tolist() == [141, 142]
    s = load_series(pd.DataFrame({"ds": np.arange(0, 80, 2), "y": y}))
    assert (s.name, s.first, s.step) == ("y", 0, 2)
    with pytest.raises(DataError, match=r"'y' has 1 NaN value \(row 103\)"):  # its labels
        load_series(pd.DataFrame({"ds": np.arange(101, 141), "y": np.r_[y[:2], np.nan, y[3:]]}))
    # a counter named otherwise, the only numeric column, or days of the month (not rising
    # evenly: no labels to continue) are read as before
    assert load_series(pd.DataFrame({"n": np.arange(5, 45), "y": y})).first == 0
    assert load_series(pd.DataFrame({"time": np.arange(5, 45)})).name == "time"
    with pytest.raises(DataError, match="several numeric columns"):
        load_series(pd.DataFrame({"day": np.arange(40) % 28 + 1, "y": y}))


def test_forecaster_on_integer_ds_continues_them_in_predict_and_backtest():
    y = 50 + 5 * np.sin(np.arange(60) / 2) + 0.1 * np.arange(60)
    df = pd.DataFrame({"unique_id": "a", "ds": np.arange(101, 161), "y": y})
    f = Forecaster(lookback=6, horizon=4, hidden_size=4, epochs=1, ensemble=1, progress=False,
                   difference="first").fit(df)
    assert f.predict().index.tolist() == [161, 162, 163, 164]
    assert f.predict(2, history=df.iloc[:50]).index.tolist() == [151, 152]
    res = f.backtest(first_origin=4, baselines=("naive",), quantiles=None)
    model = res.forecasts[res.forecasts["model"] == "model"]
    assert model["ds"].tolist() == [157, 158, 159, 160]
    np.testing.assert_allclose(model["y"], y[-4:])


def test_a_table_of_other_column_names_is_pointed_to_read_panel_from_fit():
    # was: fit(df) said "expected 'unique_id' ... or id_column=NAME", and fit(df,
    # id_column=...) (or fill='ffill', as the NaN message says) was a bare TypeError
    df = _panel().rename(columns={"unique_id": "item_id", "ds": "timestamp", "y": "target"})
    f = GlobalForecaster("gru", lookback=4, horizon=2, **TINY)
    with pytest.raises(DataError, match=r"read_panel\(df, id_column=NAME, date_column=\.\.\., "
                                        r"target=\.\.\.\)"):
        f.fit(df)
    for kw in ("id_column", "fill", "time_col"):
        with pytest.raises(TypeError, match=rf"fit\(\) got unexpected keyword argument '{kw}' "
                                            rf"\(here: read_panel\(df, id_column="):
            f.fit(df, **{kw: "x"})
    f.fit(read_panel(df, id_column="item_id", date_column="timestamp", target="target"))
    with pytest.raises(TypeError, match=r"'fill' \(here: history=read_panel\(df, fill=\.\.\.\)"):
        f.predict(history=df, fill="ffill")


def test_cross_validation_names_of_neuralforecast_and_darts_point_to_the_backtests():
    # was: Python's "unexpected keyword argument 'n_windows'" (or "missing 1 required
    # keyword-only argument: 'horizon'" for h=), nothing of first_origin / stride
    df = _panel()
    with pytest.raises(TypeError, match=r"'h' \(here: horizon=\); 'n_windows' \(here: "
                                        r"first_origin=7 \(horizon 3 \+ \(n_windows - 1\) \* "
                                        r"stride 2\), stride=2\); 'step_size' \(here: stride=\)"):
        backtest(None, df, h=3, n_windows=3, step_size=2, baselines=["naive"])
    with pytest.raises(TypeError, match=r"'level' \(here: quantiles=\(0\.1, 0\.5, 0\.9\) gives"):
        backtest(None, df, horizon=3, baselines=["naive"], level=[80])
    with pytest.raises(TypeError, match=r"GlobalForecaster\.backtest\(\) got unexpected keyword "
                                        r"arguments 'n_windows' \(here: first_origin=8 .*'level' "
                                        r"\(here: quantiles, set when the model is created: "
                                        r"GlobalForecaster\(quantiles=\(0\.05, 0\.5, 0\.95\)\)"):
        GlobalForecaster(horizon=4).backtest(df, n_windows=2, level=[90])
    with pytest.raises(TypeError, match=r"Forecaster\.backtest\(\) got unexpected keyword "
                                        r"arguments 'n_windows' \(here: first_origin=24 .*"
                                        r"'retrain' \(here: refit="):
        Forecaster(horizon=6).backtest(df, n_windows=4, retrain=True)


def test_a_backtest_without_a_horizon_says_it_is_missing():
    # horizon became optional (so that h= is named); given neither it said "horizon must
    # be a whole number of steps; got None", of a None the caller never passed
    with pytest.raises(TypeError, match=r"backtest\(\) missing 1 required keyword-only "
                                        r"argument: 'horizon'"):
        backtest(None, _panel(), baselines=["naive"])

def test_rows_to_forecast_left_in_the_data_with_no_value_are_named_not_to_be_filled():
    # was: "the target has 8 NaN values ...; pass fill='ffill'", which made up the values
    # of the dates to forecast (NeuralForecast's frames append them with y NaN) and
    # forecast after them
    df = _panel(n=30).assign(temp=1.0)
    df.loc[df.groupby("unique_id").tail(3).index, "y"] = np.nan
    with pytest.raises(DataError, match=r"2 series end with rows without a value \('s0': 3 "
                                        r"from 2021-01-31\): if they are the dates to forecast, "
                                        r"drop them .* give their covariates as future="):
        read_panel(df)
    df.loc[3, "y"] = np.nan  # a gap inside, and none at the end: no such note
    with pytest.raises(DataError, match=r"or clean the data$"):
        read_panel(df.dropna(subset=["y"]).pipe(lambda d: pd.concat([d, df.loc[[3]]])))
    from rnnlab.data.series import load_series

    s = df[df.unique_id == "s0"].set_index("ds")["y"]
    with pytest.raises(DataError, match=r"its last 3 values are missing \(from 2021-01-31\): "
                                        r"if they are the dates to forecast, fill='drop'"):
        load_series(s)
    assert load_series(s, fill="drop").future_index(1)[0] == pd.Timestamp("2021-01-31")


def test_future_dates_off_the_datas_calendar_are_shown_beside_the_dates_needed():
    # was: "missing for series 's0' on 3 of the 3 forecast dates (2023-08-01, ...)" for a
    # table of month ends (2023-08-31, ...) beside month-start data: nothing said of them
    df = _panel(n=30, freq="MS").assign(temp=1.0)
    f = GlobalForecaster("gru", lookback=4, horizon=3, future_covariates=("temp",), **TINY)
    f.fit(df)
    fut = pd.DataFrame({"unique_id": np.repeat(["s0", "s1"], 3), "temp": 1.0,
                        "ds": np.tile(pd.date_range("2023-08-01", periods=3, freq="MS"), 2)})
    assert len(f.predict(future=fut)) == 6
    with pytest.raises(DataError, match=r"forecast dates \(2023-08-01, 2023-09-01, 2023-10-01\)"
                                        r".*the table has other dates for it \(2023-08-31, "
                                        r"2023-09-30, 2023-10-31\), off the data's calendar "
                                        r"\(frequency 'MS'\)"):
        f.predict(future=fut.assign(ds=fut.ds + pd.offsets.MonthEnd(0)))


def test_a_holiday_missing_from_every_series_of_a_business_day_panel_is_said_so():
    # was: "the target has 2 NaN values or missing dates ...; pass fill='ffill'", nothing
    # of the holiday (which the one-series Forecaster reads as consecutive business days)
    df = _panel(n=30, freq="B")
    with pytest.raises(DataError, match=r"1 date \(2021-01-18\) missing from every series of "
                                        r"this business-day \('B'\) calendar \(holidays\?\)"):
        read_panel(df[df.ds != "2021-01-18"])
    with pytest.raises(DataError, match=r"or clean the data$"):  # one series' gap: no note
        read_panel(df.drop(index=10))
    filled = read_panel(df[df.ds != "2021-01-18"], fill="ffill").df
    assert (filled.ds == "2021-01-18").sum() == 2
