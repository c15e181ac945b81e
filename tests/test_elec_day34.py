"""A daily electricity-demand forecaster's day (elecdaily: Demand, WorkDay, Temperature):
the mistakes a Darts or NeuralForecast user makes with future covariates, frequencies and
covariates kept apart, each answered by an error that says what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _future(days: int, start: str = "2015-01-01") -> pd.DataFrame:
    """One series' future covariates over ``days`` days from ``start``."""
    ds = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame({"unique_id": "Demand", "ds": ds,
                         "Temperature": [25.0 + i % 5 for i in range(days)],
                         "WorkDay": [float(d.weekday() < 5) for d in ds]})


def test_an_empty_future_cell_is_said_as_one_not_as_a_shorter_horizon():
    from rnnlab.panel.future_table import future_block

    fut = _future(14)
    fut.loc[5, "Temperature"] = float("nan")  # the weather forecast lacks one day
    last = {"Demand": pd.Timestamp("2014-12-31")}
    with pytest.raises(DataError) as e:
        future_block(fut, ["Demand"], last, 14, "D", ["Temperature", "WorkDay"])
    said = str(e.value)
    # the 14 rows are there: no "the table gives every series' first 5 steps: forecast 5"
    assert "forecast 5" not in said and "first 5 step" not in said
    assert "2015-01-06" in said and "no value in ['Temperature']" in said
    # make_future_dataframe()'s NaN column left unfilled: the rows are there, each empty
    with pytest.raises(DataError) as e:
        future_block(_future(14).assign(WorkDay=float("nan")), ["Demand"], last, 14, "D",
                     ["Temperature", "WorkDay"])
    assert "the table has those rows, with no value in ['WorkDay']" in str(e.value)
    # a table one day short keeps its hint: the horizon it serves
    with pytest.raises(DataError) as e:
        future_block(_future(13), ["Demand"], last, 14, "D", ["Temperature", "WorkDay"])
    assert "first 13 steps: forecast 13" in str(e.value)
    assert "no value in" not in str(e.value)


@pytest.mark.parametrize("given, named", [("d", "D"), ("w", "W-SUN"), ("b", "B")])
def test_a_lower_case_frequency_is_read_as_pandas_names_it(given, named):
    import warnings

    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-06", periods=70, freq=named)
    df = pd.DataFrame({"ds": days, "Demand": range(70)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (pandas' deprecation of the lower-case name: not said)
        panel = read_panel(df, target="Demand", freq=given)
    # 'd' kept as given had no season (period None: no weekly seasonal naive, MASE by lag 1)
    assert (panel.freq, panel.period) == (named, read_panel(df, target="Demand").period)


def test_an_hourly_freq_for_daily_dates_names_the_daily_one_not_a_fill():
    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-01", periods=60, freq="D")
    df = pd.DataFrame({"Date": days, "Demand": range(60)})
    with pytest.raises(DataError) as e:
        read_panel(df, target="Demand", freq="h")
    said = str(e.value)
    # "the target has 1416 NaN values ...: pass fill='ffill'" made up 23 hours a day
    assert "fill='ffill'" not in said and "pass freq='D'" in said
    assert "60 of the 1417 dates" in said
    # a true gap in daily data keeps its fill advice
    with pytest.raises(DataError) as e:
        read_panel(df.drop(index=[10, 11]), target="Demand", freq="D")
    assert "fill='ffill'" in str(e.value) and "pass freq=" not in str(e.value)


def _elec_without_temperature(tmp_path):
    """The user's demand file without Temperature, and the temperatures in a file apart."""
    days = pd.date_range("2014-01-01", periods=60, freq="D")
    data = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Demand": range(200, 260),
                         "WorkDay": [int(d.weekday() < 5) for d in days]})
    path = tmp_path / "demand.csv"
    data.to_csv(path, index=False)
    return path, data


def test_a_covariate_in_a_file_of_its_own_is_said_how_to_join(tmp_path, capsys):
    from rnnlab.cli import main

    path, _ = _elec_without_temperature(tmp_path)
    code = main(["forecast", "--data", str(path), "--column", "Demand", "--future-covariates",
                 "Temperature,WorkDay", "--horizon", "7", "--epochs", "1",
                 "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code != 0 and "covariate columns ['Temperature'] not found" in err
    # a future covariate, not a static one: "static covariates may come from
    # --static-data" pointed the wrong way; the join onto the data is said
    assert "--static-data" not in err and "joined onto the data first" in err
    assert "--future FILE.csv gives only its values after the data" in err
    code = main(["forecast", "--data", str(path), "--column", "Demand",
                 "--static-covariates", "Region", "--horizon", "7", "--epochs", "1",
                 "--out", str(tmp_path / "run2")])
    err = capsys.readouterr().err
    assert code != 0 and "--static-data FILE.csv" in err and "joined onto" not in err


def test_fit_without_a_future_covariate_column_says_to_join_its_table(tmp_path):
    from rnnlab.panel import GlobalForecaster, read_panel

    _, data = _elec_without_temperature(tmp_path)
    f = GlobalForecaster("lstm", lookback=14, horizon=7, epochs=1, batches_per_epoch=1,
                         future_covariates=("Temperature", "WorkDay"))
    with pytest.raises(DataError) as e:
        f.fit(read_panel(data, target="Demand"))
    assert "'Temperature' is not a column of the data" in str(e.value)
    assert "data.merge(table, on='Date')" in str(e.value)


@pytest.mark.parametrize("key", ["subdiv", "state", "prov"])
def test_a_region_given_as_the_holidays_packages_subdiv_names_country_au_vic(key):
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.forecast import Forecaster
    from rnnlab.panel import GlobalForecaster

    for make in (GlobalForecaster, Forecaster):
        with pytest.raises(ConfigTypeError) as e:
            make(calendar=("holiday",), country="au", **{key: "vic"})
        # ('state' was "did you mean strategy, scale?")
        assert "country='AU-VIC'" in str(e.value) and "did you mean" not in str(e.value)


@pytest.mark.parametrize("flag", ["--subdiv", "--state"])
def test_the_command_lines_region_option_names_country_au_vic(flag, capsys):
    from rnnlab.cli import main

    assert main(["forecast", "--data", "elecdaily", "--calendar", "holiday", "--country",
                 "AU", flag, "VIC"]) != 0
    assert "--country AU-VIC" in capsys.readouterr().err


def test_the_country_options_help_names_a_regions_code(capsys):
    from rnnlab.cli import main

    main(["forecast", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    # (only "a country code ... (e.g. AU)": Victoria's holidays were not to be found)
    assert "AU-VIC" in out.split("--country COUNTRY")[-1].split("--")[0]


def test_a_future_table_after_newer_data_names_history():
    from rnnlab.panel.future_table import future_block

    # fitted up to 2014-12-01; tomorrow's weather (2015-01-01) given without the newer data
    last = {"Demand": pd.Timestamp("2014-12-01")}
    with pytest.raises(DataError) as e:
        future_block(_future(1), ["Demand"], last, 1, "D", ["Temperature", "WorkDay"])
    said = str(e.value)
    assert "none of them the forecast dates (2014-12-02 .. 2014-12-02)" in said
    assert "predict(history=panel, future=...)" in said and "newer than 2014-12-01" in said
    # dates before the forecast's (last year's): no word of newer data
    with pytest.raises(DataError) as e:
        future_block(_future(1, "2014-11-01"), ["Demand"], last, 1, "D",
                     ["Temperature", "WorkDay"])
    assert "history=" not in str(e.value)


def test_spreadsheet_serial_day_numbers_are_named_where_no_date_column_is_found(tmp_path,
                                                                                capsys):
    from rnnlab.cli import main
    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-01", periods=60, freq="D")
    serial = (days - pd.Timestamp("1899-12-30")).days  # (Excel's "General" format)
    df = pd.DataFrame({"Date": serial, "Demand": range(60), "WorkDay": 1})
    with pytest.raises(DataError) as e:
        read_panel(df, target="Demand")
    said = str(e.value)
    assert "no date column" in said and "(41640 .. 41699)" in said
    assert "41640 is 2014-01-01" in said and "origin='1899-12-30'" in said
    # the fix it gives reads the dates
    df["Date"] = pd.to_datetime(df["Date"], unit="D", origin="1899-12-30")
    assert read_panel(df, target="Demand").df["ds"].tolist() == list(days)
    # a column of other whole numbers is not said to be serial days
    with pytest.raises(DataError) as e:
        read_panel(pd.DataFrame({"Date": range(60), "Demand": range(60), "x": 1}),
                   target="Demand")
    assert "serial" not in str(e.value)
    df.assign(Date=serial).to_csv(tmp_path / "d.csv", index=False)
    assert main(["backtest", "--data", str(tmp_path / "d.csv"), "--column", "Demand",
                 "--model", "naive", "--out", str(tmp_path / "r")]) != 0
    assert "spreadsheet's serial day numbers" in capsys.readouterr().err


def test_serial_day_numbers_named_as_the_date_column_are_said_to_be_read_as_steps():
    from rnnlab.forecast.history import CalendarWarning
    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-01", periods=60, freq="D")
    df = pd.DataFrame({"Date": (days - pd.Timestamp("1899-12-30")).days,
                       "Demand": range(60)})
    # date_column='Date' reads them as integer steps (no season: seasonal naive left out,
    # --calendar refused), which nothing said
    with pytest.warns(CalendarWarning, match="read as integer time steps.*41640 is "
                                             "2014-01-01"):
        panel = read_panel(df, target="Demand", date_column="Date")
    assert panel.period is None  # (read as before: the warning only says so)


def test_tomorrows_future_row_in_day_first_dates_is_read_by_the_forecast_date(tmp_path):
    from rnnlab.panel.future_file import read_future
    from rnnlab.panel.future_table import future_block

    # an Australian weather forecast for tomorrow: 02/01/2015 after 2014's last day read
    # 2015-01-01; alone it reads as 2 January and as 1 February, and was refused
    last = {"Demand": pd.Timestamp("2015-01-01")}
    fut = pd.DataFrame({"ds": ["02/01/2015"], "Temperature": [31.0], "WorkDay": [1.0]})
    block = future_block(fut, ["Demand"], last, 1, "D", ["Temperature", "WorkDay"])
    assert block["Demand"].index[0] == pd.Timestamp("2015-01-02")
    # the same row in month-first order (US) after 2015-01-31: 1 February
    us = fut.assign(ds=["02/01/2015"])
    block = future_block(us, ["Demand"], {"Demand": pd.Timestamp("2015-01-31")}, 1, "D",
                         ["Temperature", "WorkDay"])
    assert block["Demand"].index[0] == pd.Timestamp("2015-02-01")
    # the command line's --future file, read with the series' last dates
    path = tmp_path / "tomorrow.csv"
    fut.rename(columns={"ds": "Date"}).to_csv(path, index=False)
    read = read_future(str(path), ("Temperature", "WorkDay"), None, "Date", "D",
                       lasts=pd.Series([pd.Timestamp("2015-01-01")]))
    assert read["ds"].tolist() == [pd.Timestamp("2015-01-02")]
    # New Year's Day, one date either way: read (it was refused as reading both ways)
    block = future_block(fut.assign(ds=["01/01/2015"]), ["Demand"],
                         {"Demand": pd.Timestamp("2014-12-31")}, 1, "D",
                         ["Temperature", "WorkDay"])
    assert block["Demand"].index[0] == pd.Timestamp("2015-01-01")
    # where neither reading is a forecast date, both are named, and the ISO form to write
    with pytest.raises(DataError) as e:
        future_block(fut, ["Demand"], {"Demand": pd.Timestamp("2015-03-01")}, 1, "D",
                     ["Temperature", "WorkDay"])
    said = str(e.value)
    assert "(2015-01-02 or 2015-02-01)" in said and "date_column=False" not in said


def test_an_empty_future_table_is_refused_not_an_index_error(tmp_path):
    from rnnlab.panel.future_table import future_values

    last = {"Demand": pd.Timestamp("2014-12-31")}
    dates = [pd.date_range("2015-01-01", periods=14, freq="D")]
    cols = ["Temperature", "WorkDay"]
    with pytest.raises(DataError, match="the table has no rows"):  # (a header-only CSV)
        future_values(_future(0), ["Demand"], last, 14, "D", cols, dates)
    # a table missing a date is refused naming it, whichever row came last
    with pytest.raises(DataError, match="2015-01-14"):
        future_values(_future(13), ["Demand"], last, 14, "D", cols, dates)


@pytest.mark.parametrize("given, meant", [("weekday", "dayofweek"), ("dow", "dayofweek"),
                                          ("day_of_week", "dayofweek"),
                                          ("holidays", "holiday")])
def test_other_libraries_calendar_names_are_answered_with_ours(given, meant):
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigError) as e:
        GlobalForecaster(calendar=(given,), country="AU-VIC")
    # pandas' and Darts' "weekday" had no hint: no close spelling of 'dayofweek'
    assert f"(meant: {meant}?)" in str(e.value)


@pytest.mark.parametrize("key", ["future", "futr_df"])
def test_future_given_to_fit_names_predicts_future(key):
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import GlobalForecaster

    days = pd.date_range("2014-01-01", periods=60, freq="D")
    df = pd.DataFrame({"unique_id": "Demand", "ds": days, "y": range(60),
                       "Temperature": 25.0, "WorkDay": 1.0})
    f = GlobalForecaster(lookback=14, horizon=7, future_covariates=("Temperature",))
    with pytest.raises(ConfigTypeError) as e:  # (Python's bare "unexpected keyword")
        f.fit(df, **{key: _future(7, "2014-03-02")})
    assert "predict(h, future=...)" in str(e.value)


@pytest.mark.parametrize("given", ["AU-vic", "AU_VIC", "AU VIC", "au:vic"])
def test_victorias_code_written_otherwise_names_au_vic(given):
    from rnnlab.panel.calendar import holiday_dates

    with pytest.raises(DataError) as e:
        holiday_dates(pd.date_range("2014-01-01", periods=10), given)
    # ('AU_VIC' was "not known ... use a code such as 'US'", 'AU-vic' listed VIC among
    # the subdivisions without saying it was meant)
    assert "pass 'AU-VIC'" in str(e.value)


def test_a_covariate_named_in_another_case_is_a_misspelling_not_a_file_apart(tmp_path,
                                                                          capsys):
    from rnnlab.cli import main
    from rnnlab.panel import GlobalForecaster, read_panel

    path, data = _elec_without_temperature(tmp_path)
    f = GlobalForecaster("lstm", lookback=14, horizon=7, future_covariates=("workday",))
    with pytest.raises(DataError) as e:
        f.fit(read_panel(data, target="Demand"))
    assert "did you mean 'WorkDay'?" in str(e.value) and "joined onto" not in str(e.value)
    assert main(["forecast", "--data", str(path), "--column", "Demand",
                 "--future-covariates", "workday", "--horizon", "7",
                 "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "did you mean 'WorkDay'?" in err and "joined onto" not in err


@pytest.mark.parametrize("given", ["m", "15m"])
def test_an_m_frequency_is_refused_as_minutes_or_months_under_any_pandas(given):
    from rnnlab.data.freq_names import checked_freq, this_pandas_freq

    # pandas 2.2/2.3 read 'm' as month ends with a warning; respelled to 'ME' it was taken
    # silently (15m: fifteen months for fifteen minutes); pandas 3 refuses it
    assert "ME" not in this_pandas_freq(given)
    with pytest.raises(DataError, match=r"pass 'min' for minutes, 'ME' \(or 'MS'\)"):
        checked_freq(given, "data")
    # the other lower-case names pandas reads keep their meaning
    assert [checked_freq(n, "data") for n in ("min", "ms", "s", "us", "h", "d")] == \
        ["min", "ms", "s", "us", "h", "D"]


def test_tomorrows_day_first_row_is_read_by_the_forecast_date_in_the_datas_zone(tmp_path):
    from rnnlab.panel.future_file import read_future

    # --time-zone Australia/Melbourne: the series' last dates carry the zone, the file's
    # text none; the one-row 02/01/2015 was refused as reading both ways
    zone = "Australia/Melbourne"
    path = tmp_path / "tomorrow.csv"
    pd.DataFrame({"Date": ["02/01/2015"], "Temperature": [31.0]}).to_csv(path, index=False)
    lasts = pd.Series([pd.Timestamp("2015-01-01", tz=zone)])
    read = read_future(str(path), ("Temperature",), None, "Date", "D", zone, lasts=lasts)
    assert read["ds"].tolist() == [pd.Timestamp("2015-01-02", tz=zone)]
    # and a US month-first row after 2015-01-31 in the zone: 1 February
    read = read_future(str(path), ("Temperature",), None, "Date", "D", zone,
                       lasts=pd.Series([pd.Timestamp("2015-01-31", tz=zone)]))
    assert read["ds"].tolist() == [pd.Timestamp("2015-02-01", tz=zone)]


def test_an_empty_cell_names_only_the_columns_empty_on_its_rows():
    from rnnlab.panel.future_table import future_block

    fut = _future(13)  # one day short, and Temperature empty on 2015-01-06
    fut.loc[5, "Temperature"] = float("nan")
    with pytest.raises(DataError) as e:
        future_block(fut, ["Demand"], {"Demand": pd.Timestamp("2014-12-31")}, 14, "D",
                     ["Temperature", "WorkDay"])
    said = str(e.value)
    assert "2015-01-06, 2015-01-14" in said  # (both dates named)
    # WorkDay is there on 2015-01-06: only the missing 14th row lacks it
    assert "rows on 2015-01-06, with no value in ['Temperature'] there" in said


def test_integer_steps_beside_a_large_day_column_are_not_said_to_be_serial_days():
    import warnings

    from rnnlab.panel import read_panel

    # steps in ds, and a day's load in whole kWh (30000 ..): not the date column
    df = pd.DataFrame({"unique_id": "a", "ds": range(1, 61), "y": range(60),
                       "DayLoad": range(30000, 30060)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_panel(df)
    # the date column itself holding them is still said
    days = df.rename(columns={"ds": "Date"}).assign(Date=range(41640, 41700))
    with pytest.warns(Warning, match="'Date' holds whole numbers"):
        read_panel(days, date_column="Date")


def test_the_join_said_for_a_missing_covariate_reads_the_data_and_names_its_date(tmp_path,
                                                                              capsys):
    from rnnlab.cli import main

    # a built-in panel's name is no file: pd.read_csv('elecdaily') was said
    assert main(["forecast", "--data", "elecdaily", "--future-covariates", "Humidity",
                 "--epochs", "1", "--out", str(tmp_path / "run")]) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert "pd.read_csv('elecdaily')" not in err
    assert "pd.read_csv(rnnlab.data.catalog.builtin_path('elecdaily.csv'))" in err
    # the date column found by its values is the one to join on (a placeholder 'DATE' was)
    path, _ = _elec_without_temperature(tmp_path)
    assert main(["forecast", "--data", str(path), "--column", "Demand",
                 "--future-covariates", "Humidity", "--epochs", "1",
                 "--out", str(tmp_path / "run2")]) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert "on='Date')" in err and "on='DATE'" not in err


def test_a_misspelt_covariate_beside_one_the_data_lacks_is_said_as_each(tmp_path, capsys):
    from rnnlab.cli import main

    path, _ = _elec_without_temperature(tmp_path)
    assert main(["forecast", "--data", str(path), "--column", "Demand",
                 "--future-covariates", "workday,Humidity", "--epochs", "1",
                 "--out", str(tmp_path / "run")]) != 0
    err = " ".join(capsys.readouterr().err.split())
    # 'workday' is WorkDay in another case, Humidity a file apart ('workday by date' was said)
    assert "did you mean 'WorkDay'?" in err and "(Humidity by date)" in err


@pytest.mark.parametrize("given, said", [(dict(state="CA"), "country='COUNTRY-CA'"),
                                         (dict(country="AU-VIC", subdiv="VIC"),
                                          "country='AU-VIC':")])
def test_a_region_alone_or_beside_a_full_code_names_no_made_up_country(given, said):
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(calendar=("holiday",), **given)
    # ('AU-CA' was said for California; 'AU-VIC-VIC' for a region given twice)
    assert said in str(e.value) and "AU-CA" not in str(e.value)
    assert "VIC-VIC" not in str(e.value)


def test_the_forecast_dates_are_worked_out_only_for_a_date_that_reads_both_ways(monkeypatch):
    import rnnlab.panel.future_table as ft
    from rnnlab.panel.future_table import future_block

    calls = []
    real = ft.first_forecast_dates
    monkeypatch.setattr(ft, "first_forecast_dates", lambda *a: calls.append(1) or real(*a))
    # ISO dates: no date after each series' end is worked out (a loop over the series'
    # ends: 0.5 s a predict for 10,000 ragged series)
    last = {"Demand": pd.Timestamp("2014-12-31")}
    future_block(_future(14), ["Demand"], last, 14, "D", ["Temperature", "WorkDay"])
    assert calls == []
    fut = _future(1).assign(ds=["02/01/2015"])
    block = future_block(fut, ["Demand"], {"Demand": pd.Timestamp("2015-01-01")}, 1, "D",
                         ["Temperature", "WorkDay"])
    assert calls == [1] and block["Demand"].index[0] == pd.Timestamp("2015-01-02")


def test_the_docs_say_how_lower_case_frequency_names_are_read():
    from pathlib import Path

    row = next(line for line in (Path(__file__).parents[1] / "docs" / "panels.md").read_text(
        encoding="utf-8").splitlines() if line.startswith('| `NeuralForecast(..., freq="MS")`'))
    assert '`"d"`' in row and '`"m"`' in row and '`"min"`' in row
