"""A forecasting practitioner's sweep of the one-series API (``Forecaster``) and
``rnnlab forecast``: each test pins a problem found there (tracebacks, silently wrong
results, frictions) that the old code had."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import CheckpointError, DataError

TINY = dict(epochs=1, ensemble=1, progress=False, hidden_size=4)


def _wave(n, index=None, name="y"):
    t = np.arange(n)
    v = 10 + np.sin(2 * np.pi * t / 7) + 0.01 * t
    return pd.Series(v, index=index, name=name)


def test_a_series_in_a_time_zone_across_daylight_saving_is_saved_and_loaded(tmp_path):
    idx = pd.date_range("2021-03-26", periods=72, freq="h", tz="Europe/Warsaw")  # DST: 28th
    f = Forecaster(lookback=6, horizon=3, val_size=0, **TINY).fit(_wave(72, idx))
    f.save(tmp_path / "m")  # its dates have two UTC offsets: load refused them (mixed zones)
    g = Forecaster.load(tmp_path / "m")
    assert g.series.index.equals(f.series.index) and str(g.series.index.tz) == "Europe/Warsaw"
    p, q = f.predict(), g.predict()
    assert q.index.equals(p.index)
    np.testing.assert_array_equal(q.to_numpy(), p.to_numpy())


def test_a_csv_of_dates_whose_utc_offset_changes_is_read_as_instants(tmp_path):
    idx = pd.date_range("2021-03-26", periods=72, freq="h", tz="Europe/Warsaw")
    _wave(72, idx).rename_axis("time").to_csv(tmp_path / "tz.csv")  # +01:00, then +02:00
    f = Forecaster(lookback=6, horizon=3, val_size=0, **TINY).fit(tmp_path / "tz.csv")
    hourly = pd.offsets.Hour().freqstr  # pandas < 2.2 names it "H"
    assert f.series.freq == hourly and f.period == 24  # was refused: "dates in mixed formats"
    assert f.series.index.equals(idx.tz_convert("UTC"))
    assert f.predict().index[0] == idx[-1] + pd.Timedelta(hours=1)


def test_the_date_column_is_refused_as_the_values_to_forecast(tmp_path):
    df = pd.DataFrame({"ds": pd.date_range("2000-01-01", periods=40, freq="MS"),
                       "y": np.arange(40.0)})
    with pytest.raises(DataError, match=r"column 'ds' holds the dates .* choose one of \['y'\]"):
        Forecaster(lookback=6, horizon=3, **TINY).fit(df, column="ds")  # was: ~9.5e14 values
    df.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataError, match=r"column 'ds' holds the dates"):
        Forecaster(lookback=6, horizon=3, **TINY).fit(tmp_path / "d.csv", column="ds")
    with pytest.raises(DataError, match=r"holds dates or durations"):
        Forecaster(lookback=6, horizon=3, **TINY).fit(pd.Series(df["ds"].to_numpy()))


def test_backtest_options_are_checked_and_an_undated_series_keeps_its_positions():
    f = Forecaster(lookback=4, horizon=2, val_size=0, difference="none", **TINY)
    y = _wave(40).to_numpy()
    with pytest.raises(DataError, match=r"stride must be a whole number >= 1, got 0"):
        f.backtest(y, stride=0)  # was taken as the default stride
    with pytest.raises(DataError, match=r"first_origin=50 .* has 40 values"):
        f.backtest(y, first_origin=50)
    with pytest.raises(DataError, match=r"the origin 36 steps before the end leaves 4 of the "
                                        r"40 values .* smaller first_origin"):
        f.backtest(y, first_origin=36)
    with pytest.raises(RuntimeError, match=r"given no series: pass it \(backtest\(data\)"):
        f.backtest()  # was: "not fitted; call fit()", but a backtest fits its own
    res = f.backtest(y, first_origin=4, stride=2, baselines="naive")  # was: baseline 'n'
    fc = res.forecasts
    assert sorted(fc["model"].unique()) == ["model", "naive"]
    assert sorted(fc["origin"].unique()) == [35, 37]  # were days of January 2000
    model = fc[fc["model"] == "model"].sort_values(["origin", "step"])
    assert model["ds"].tolist() == [36, 37, 38, 39]
    np.testing.assert_array_equal(model["y"], y[model["ds"].to_numpy()])


def test_forecast_with_checks_its_steps_and_history():
    y = _wave(40).to_numpy()
    f = Forecaster(lookback=4, horizon=2, val_size=0, difference="none", **TINY).fit(y)
    for steps in (0, -1, 2.5, True):  # were torch / numpy tracebacks, or a TypeError
        with pytest.raises(DataError, match=r"steps must be a whole number from 1"):
            f.forecast_with("linear_ar", y, steps)
    # 2.0 (a TypeError, then refused) is 2, as predict reads a horizon (session 15)
    np.testing.assert_array_equal(f.forecast_with("linear_ar", y, 2.0),
                                  f.forecast_with("linear_ar", y, 2))
    with pytest.raises(DataError, match=r"history has 1 NaN or infinite values \(positions 39\)"):
        f.forecast_with("network", np.r_[y[:-1], np.nan], 3)  # was a forecast of NaNs
    with pytest.raises(DataError, match=r"one series of past values \(1-D\), got shape \(2, 20\)"):
        f.forecast_with("linear_ar", y.reshape(2, 20), 3)  # was: "got 2 past values"
    np.testing.assert_array_equal(f.forecast_with("linear_ar", pd.Series(y), np.int64(3)),
                                  f.forecast_with("linear_ar", y, 3))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A daily model's folder."""
    idx = pd.date_range("2000-01-03", periods=40, freq="D")
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit(_wave(40, idx))
    return f.save(tmp_path_factory.mktemp("saved") / "m")


@pytest.mark.parametrize("edit, found", [
    (lambda x: x["series"]["values"].__setitem__(3, float("nan")), "1 not finite"),
    (lambda x: x.__setitem__("n_train", 500), "n_train 500 must be between 1 and the 40"),
    (lambda x: x.__setitem__("period", "7"), "period must be a whole number >= 2"),
    (lambda x: x["pipeline"].__setitem__("lag", -1), "differencing lag -1 must be 0, 1"),
    (lambda x: x["series"]["dates"].reverse(), "dates must increase"),
    (lambda x: x["series"].__setitem__("freq", "fortnightly"), "'fortnightly' is not a pandas"),
])
def test_a_model_json_without_checksum_is_checked_when_loaded(tmp_path, saved, edit, found):
    import json
    import shutil

    shutil.copytree(saved, tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    meta.pop("_sha256")  # as an older rnnlab wrote it: read unverified
    edit(meta["extra"])
    path.write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match=rf"saved series is damaged: .*{found}"):
        Forecaster.load(tmp_path / "m")  # were NaN forecasts, tracebacks or silent


def test_fit_warns_when_the_dates_are_irregular_or_miss_months_not_for_holidays(tmp_path):
    from rnnlab.cli import main
    from rnnlab.forecast.history import CalendarWarning

    mid = pd.date_range("2000-01-01", periods=40, freq="MS") + pd.Timedelta(days=14)
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY)
    with pytest.warns(CalendarWarning, match=r"follow no single frequency"):
        f.fit(_wave(40, mid))  # the 15th of each month: was silent, then undated forecasts
    assert f.predict().index.tolist() == [40, 41]
    months = pd.date_range("2000-01-01", periods=41, freq="MS").delete([20])
    with pytest.warns(CalendarWarning, match=r"1 dates of its 'MS' calendar are missing"):
        f.fit(_wave(40, months))
    days = pd.bdate_range("2021-01-04", periods=41).delete([20])  # a holiday
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", CalendarWarning)
        f.fit(_wave(40, days))
        _wave(40, mid).rename_axis("date").to_csv(tmp_path / "mid.csv")
        assert main(["forecast", "--data", str(tmp_path / "mid.csv"), "--lookback", "4",
                     "--horizon", "2", "--val-size", "0", "--epochs", "1", "--ensemble", "1",
                     "--hidden-size", "4", "--no-progress", "--out", str(tmp_path / "r")]) == 0


# (patience=0 was pinned here as refused; it is off, as None, in every config now, as on
# every command line: tests/test_off_at_zero.py. A negative patience is refused instead)
@pytest.mark.parametrize("setting, found", [(dict(epochs=0), "epochs must be >= 1"),
                                            (dict(patience=-1), "patience must be > 0, or 0 "
                                                                "/ None for off"),
                                            (dict(max_seconds=-1.0), "max_seconds must be > 0")])
def test_training_settings_are_refused_when_the_forecaster_is_made(tmp_path, setting, found):
    from rnnlab.cli import main

    with pytest.raises(DataError, match=rf"ForecastConfig: {found}"):
        Forecaster(**setting)  # was a ValueError naming TrainConfig, once fit had read the data
    if "epochs" in setting:  # and rnnlab forecast left a run folder that --out then refused
        assert main(["forecast", "--data", "airline", "--epochs", "0", "--out",
                     str(tmp_path / "r")]) != 0
        assert not (tmp_path / "r").exists()


def test_statsforecast_and_statsmodels_names_of_the_period_are_pointed_to_ours():
    with pytest.raises(TypeError, match=r"'season_length' \(here: period=\)"):
        Forecaster(season_length=12)  # was: "unknown setting", with no name of ours
    with pytest.raises(TypeError, match=r"'seasonal_periods' \(here: period=\)"):
        Forecaster(seasonal_periods=12)


def test_a_series_labelled_by_whole_numbers_is_forecast_after_its_last_label(tmp_path):
    y = _wave(60).iloc[20:]  # a slice of a longer series: labels 20 .. 59
    f = Forecaster(lookback=4, horizon=3, val_size=0, difference="none", **TINY).fit(y)
    p = f.predict()
    assert p.index.tolist() == [60, 61, 62]  # was 40, 41, 42: labels of the slice's own rows
    assert f.evaluate().forecasts.index.tolist() == [57, 58, 59]
    f.save(tmp_path / "m")
    assert Forecaster.load(tmp_path / "m").predict().index.equals(p.index)
    years = pd.Series(y.to_numpy(), index=pd.Index(range(1900, 2100, 5), name="year"))
    assert f.predict(2, history=years).index.tolist() == [2100, 2105]
    fc = f.backtest(years, first_origin=3, baselines=()).forecasts
    assert fc["origin"].unique().tolist() == [2080] and fc["ds"].tolist() == [2085, 2090, 2095]


def test_plot_returns_the_file_it_wrote_and_refuses_a_folder(tmp_path):
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit(_wave(30).to_numpy())
    assert f.plot(tmp_path / "fig") == tmp_path / "fig.png"  # was "fig", a file not there
    assert (tmp_path / "fig.png").is_file()
    with pytest.raises(DataError, match=r"is a folder; plot\(\) takes a file name"):
        f.plot(tmp_path)  # was written beside it, as <folder>.png


def test_evaluate_warns_when_test_values_were_filled_in():
    from rnnlab.forecast.evaluation import FilledTestWarning

    y = _wave(30).to_numpy().copy()
    y[-2:] = np.nan  # the latest values not published yet
    f = Forecaster(lookback=4, horizon=3, val_size=0, fill="ffill", **TINY).fit(y)
    with pytest.warns(FilledTestWarning, match=r"2 of the 3 test values were missing and "
                                               r"filled in \(fill='ffill'\)"):
        f.evaluate()  # was silent (rnnlab forecast notes it)


@pytest.mark.parametrize("device", ["gpu", "mps", "CPU", "cuda:x"])
def test_an_unknown_device_is_refused_when_the_forecaster_is_made(device):
    with pytest.raises(DataError, match=r"device must be auto, cpu, cuda or cuda:N"):
        Forecaster(device=device)  # was accepted, then refused once fit had read the data
        # ("mps": a RuntimeError of torch's)


def test_load_on_an_unknown_device_is_refused_by_name(saved):
    with pytest.raises(DataError, match=r"device must be auto, cpu, cuda or cuda:N, got 'mps'"):
        Forecaster.load(saved, device="mps")  # was torch's RuntimeError


def test_a_column_that_a_series_or_an_array_is_not_is_refused():
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY)
    with pytest.raises(DataError, match=r"column='price' picks a column of a table, and a "
                                        r"pandas Series \('sales'\) is one column"):
        f.fit(_wave(30, name="sales"), column="price")  # was ignored: sales forecast
    with pytest.raises(DataError, match=r"and an array is one column"):
        f.fit(_wave(30).to_numpy(), column="price")
    assert f.fit(_wave(30, name="sales"), column="sales").series.name == "sales"


def test_run_directories_record_the_pandas_version_which_reads_the_dates():
    from rnnlab.io.rundir import versions

    assert versions()["pandas"] == pd.__version__  # the frequency and period come from it


def test_a_forecast_run_whose_data_cannot_be_read_makes_no_run_directory(tmp_path):
    from rnnlab.cli import main

    for data in (["--data", str(tmp_path / "nofile.csv")], ["--data", "airline", "--column", "x"]):
        assert main(["forecast", *data, "--out", str(tmp_path / "r")]) != 0
        assert not (tmp_path / "r").exists()  # was left behind, holding its marker file


@pytest.mark.parametrize("text, first, freq", [
    (["2019M11", "2019M12", "2020M01"], "2019-11-01", "MS"),   # Eurostat, IMF, Stata
    (["2019M9", "2019M10", "2019M11"], "2019-09-01", "MS"),
    (["2020-W52", "2020-W53", "2021-W01"], "2020-12-21", "W-MON"),  # ISO weeks: Mondays
    (["1998 Q3", "1998 Q4", "1999 Q1"], "1998-07-01", "QS-JAN"),
])
def test_months_and_iso_weeks_written_as_periods_are_dates(tmp_path, text, first, freq):
    from rnnlab.data.series import load_series

    pd.DataFrame({"when": text, "v": [1.0, 2.0, 3.0]}).to_csv(tmp_path / "p.csv", index=False)
    s = load_series(tmp_path / "p.csv")  # were refused: "values that are not dates"
    assert str(s.index[0].date()) == first and s.freq == freq


def test_predict_fills_the_new_data_as_its_message_says(tmp_path):
    from rnnlab.cli import main

    idx = pd.date_range("2000-01-01", periods=40, freq="MS")
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit(_wave(40, idx))
    newer = _wave(44, pd.date_range("2000-01-01", periods=44, freq="MS"))
    newer.iloc[-3] = np.nan
    with pytest.raises(DataError, match=r"pass fill='ffill'"):
        f.predict(2, history=newer)
    p = f.predict(2, history=newer, fill="ffill")  # was a TypeError: no fill=
    filled = newer.ffill()
    np.testing.assert_allclose(p.to_numpy(), f.forecast_from(filled.to_numpy(), 2))
    f.save(tmp_path / "run" / "model")
    newer.rename_axis("date").to_csv(tmp_path / "new.csv")
    assert main(["forecast", "--run", str(tmp_path / "run"), "--data", str(tmp_path / "new.csv"),
                 "--fill", "ffill", "--horizon", "2", "--output", str(tmp_path / "o.csv")]) == 0
    np.testing.assert_allclose(pd.read_csv(tmp_path / "o.csv")["forecast"], p.to_numpy())


def test_new_data_with_zeros_for_a_model_in_logs_says_to_fit_again():
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit(_wave(30).to_numpy())
    assert f.pipeline.log
    newer = np.r_[_wave(30).to_numpy(), 0.0]
    with pytest.raises(DataError, match=r"fitted on log values .* fit again with "
                                        r"transform='none'"):
        f.predict(2, history=newer)  # said "use transform='none'", which predict has not


def test_hours_repeated_by_the_end_of_daylight_saving_time_are_explained():
    local = pd.date_range("2021-10-30 12:00", periods=48, freq="h", tz="Europe/Warsaw")
    s = _wave(48, local.tz_localize(None))  # the wall clock: 02:00 twice on the 31st
    with pytest.raises(DataError, match=r"repeats dates .* daylight saving time ends: write "
                                        r"them in UTC or with their UTC offset"):
        Forecaster(lookback=4, horizon=2, **TINY).fit(s)
    with pytest.raises(DataError, match=r"drop or aggregate the repeated rows$"):
        days = pd.date_range("2021-01-01", periods=30, freq="D")
        Forecaster(lookback=4, horizon=2, **TINY).fit(_wave(31, days.append(days[-1:])))


def test_run_with_new_data_reads_its_dates_as_the_run_did(tmp_path):
    from rnnlab.cli import main

    days = pd.date_range("2020-01-01", periods=40, freq="D")
    df = pd.DataFrame({"date": days, "settled": days + pd.Timedelta(days=2),
                       "v": _wave(40).to_numpy()})
    df.to_csv(tmp_path / "d.csv", index=False)
    args = ["--lookback", "4", "--horizon", "2", "--val-size", "0", "--epochs", "1",
            "--ensemble", "1", "--hidden-size", "4", "--no-progress"]
    assert main(["forecast", "--data", str(tmp_path / "d.csv"), "--date-column", "settled",
                 *args, "--out", str(tmp_path / "r")]) == 0
    assert main(["forecast", "--run", str(tmp_path / "r"), "--data", str(tmp_path / "d.csv"),
                 "--horizon", "2", "--output", str(tmp_path / "o.csv")]) == 0
    # the run's --date-column settled, not the column named date (forecast 2 days early)
    assert pd.read_csv(tmp_path / "o.csv")["time"].tolist() == ["2020-02-12", "2020-02-13"]


def test_settings_beside_a_config_are_refused_not_ignored():
    from rnnlab.forecast import ForecastConfig

    cfg = ForecastConfig(horizon=6)
    with pytest.raises(TypeError, match=r"not both \(given: model\)"):
        Forecaster("gru", config=cfg)  # the model was ignored: an LSTM trained
    with pytest.raises(TypeError, match=r"not both \(given: epochs, lookback\)"):
        Forecaster(lookback=24, epochs=3, config=cfg)
    assert Forecaster(config=cfg).config.horizon == 6


def test_a_series_shorter_than_a_season_and_a_half_is_fitted_without_its_period():
    idx = pd.date_range("2000-01-01", periods=18, freq="MS")  # 18 months: period 12 inferred
    f = Forecaster(lookback=3, horizon=2, **TINY)
    with pytest.warns(UserWarning, match=r"period of 12, and the 11 values before the "
                                         r"validation tail hold less than one season") as w:
        f.fit(_wave(18, idx))  # was: "seasonal_naive needs one period (12) ..., got 11"
    assert w[0].filename == __file__
    assert f.period is None and "seasonal_naive" not in f.evaluate().index
    assert f.predict().index[0] == pd.Timestamp("2001-07-01")
    weeks = pd.date_range("2015-01-04", periods=50, freq="W")  # a year of weekly data failed
    with pytest.warns(UserWarning, match=r"period of 52"):
        assert Forecaster(lookback=4, horizon=4, **TINY).fit(_wave(50, weeks)).period is None
    with pytest.raises(DataError, match=r"select='seasonal_naive' needs a period"), \
            pytest.warns(UserWarning, match=r"less than one season"):
        Forecaster(lookback=3, horizon=2, select="seasonal_naive", **TINY).fit(_wave(18, idx))


def test_new_data_shorter_than_the_season_the_choice_reads_is_refused_up_front():
    idx = pd.date_range("2000-01-01", periods=40, freq="MS")
    f = Forecaster(lookback=3, horizon=2, select="seasonal_naive", **TINY).fit(_wave(40, idx))
    with pytest.raises(DataError, match=r"has 6 values and a forecast reads the last 12 \(one "
                                        r"season of the seasonal naive in the choice"):
        f.predict(2, history=_wave(40, idx).iloc[-6:])  # was raised inside the forecast,
        # naming seasonal_naive (the choice weighted said nothing of it)


def test_paths_starting_with_a_tilde_are_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "home").mkdir()
    _wave(30).rename_axis("t").to_csv(tmp_path / "home" / "d.csv")
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit("~/d.csv")  # as pandas reads it
    f.save("~/m")  # was a folder named "~" in the working directory
    assert (tmp_path / "home" / "m" / "model.json").is_file() and not (tmp_path / "~").exists()
    assert Forecaster.load("~/m").predict().equals(f.predict())


def test_values_labelled_newest_first_by_whole_numbers_are_refused():
    years = pd.Series(_wave(30).to_numpy(), index=range(2020, 1990, -1))  # newest first
    with pytest.raises(DataError, match=r"index decreases \(2020, 2019, ... 1991\), so the "
                                        r"values run newest first"):
        Forecaster(lookback=4, horizon=2, **TINY).fit(years)  # was forecast reversed


def test_a_spreadsheet_given_as_data_says_how_to_read_it(tmp_path):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(DataError, match=r"binary file, not a CSV text file: save it as CSV, or "
                                        r"read it with pandas.read_excel"):
        Forecaster(**TINY).fit(tmp_path / "book.xlsx")  # said only "a binary file"


def test_date_column_may_name_the_frames_index():
    idx = pd.date_range("2000-01-01", periods=30, freq="MS").rename("date")
    df = pd.DataFrame({"v": _wave(30).to_numpy()}, index=idx)
    f = Forecaster(lookback=4, horizon=2, val_size=0, **TINY).fit(df, date_column="date")
    assert f.series.freq == "MS" and f.series.name == "v"  # was "date column not found"


def test_a_pickle_given_as_data_is_called_code_not_data(tmp_path):
    # the hint for a .pkl suggested pandas.read_pickle without saying unpickling runs code
    (tmp_path / "frame.pkl").write_bytes(b"\x80\x04\x95\x00\x00binary")
    with pytest.raises(DataError, match=r"unpickling can run code\); if you made it yourself"):
        Forecaster(**TINY).fit(tmp_path / "frame.pkl")
