"""A shop open Monday to Saturday whose dates carry pandas' custom business-day calendar
(``freq=pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat")``), session 25:
its forecasts are dated on open days only, its week is its seasonal period."""

import numpy as np
import pandas as pd
import pytest
from rnnlab.forecast import Forecaster

TINY = dict(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=12, horizon=6,
            device="cpu")
SHOP = "Mon Tue Wed Thu Fri Sat"


def _shop(n=200, mask=SHOP, holidays=()):
    days = pd.offsets.CustomBusinessDay(weekmask=mask, holidays=list(holidays))
    idx = pd.date_range("2024-01-01", periods=n, freq=days)
    week = np.array([1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 0.0])[idx.day_of_week]
    noise = np.random.default_rng(0).normal(0, 2, n)
    return pd.Series(100 * week + np.arange(n) % 5 + noise, index=idx, name="sales")


def test_a_mon_to_sat_index_is_read_as_its_six_day_week():
    # was: freq 'D' with every Sunday a gap (period 7 on a 6-step week, CalendarWarning)
    from rnnlab.data.series import load_series

    got = load_series(_shop())
    assert got.freq == "C" and got.gaps == 0
    assert got.calendar == {"weekmask": SHOP, "holidays": []}
    assert got.gap_note() is None


def test_a_six_day_week_with_a_holiday_counts_the_holiday_as_no_gap():
    from rnnlab.data.series import load_series

    got = load_series(_shop(holidays=["2024-01-15"]))
    assert got.freq == "C" and got.gaps == 0
    assert got.calendar["holidays"] == ["2024-01-15"]


def test_a_plain_business_day_index_is_still_read_as_b():
    from rnnlab.data.series import load_series

    got = load_series(_shop(mask="Mon Tue Wed Thu Fri"))
    assert got.freq == "B" and got.calendar is None


def test_forecasts_of_a_mon_to_sat_shop_skip_sundays_and_its_period_is_six(tmp_path):
    # was: period 7, and the forecasts dated Tue..Sat, Sun, Mon
    f = Forecaster(**TINY).fit(_shop())
    assert f.period == 6
    days = f.predict(8).index
    assert "Sunday" not in set(days.day_name())
    assert days[0] == pd.Timestamp("2024-08-21") and len(days) == 8
    f.save(tmp_path / "m")
    again = Forecaster.load(tmp_path / "m")
    assert again.period == 6 and again.predict(8).index.equals(days)


def test_newer_data_from_a_csv_without_the_calendar_is_read_on_the_fitted_week(tmp_path):
    # was: "the model was fitted on 'C' data and this is 'D' data" (the file's dates read
    # as the daily calendar, every Sunday missing)
    f = Forecaster(**TINY).fit(_shop())
    newer = _shop(230)
    newer.index = pd.DatetimeIndex(newer.index.to_numpy())  # (as a CSV reads it: no freq)
    newer.rename_axis("date").to_csv(tmp_path / "newer.csv")
    got = f.predict(7, history=tmp_path / "newer.csv").index
    assert "Sunday" not in set(got.day_name()) and got[0] > newer.index[-1]


def test_a_backtest_of_a_mon_to_sat_shop_keeps_its_week_and_its_dates():
    # was: each origin's model fitted with no period (difference none: no intervals), and
    # the origins named on a stand-in calendar (2000-02-12, ...)
    import warnings

    s = _shop()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # ("the model's forecasts have no quantiles")
        bt = Forecaster(**TINY).backtest(s, horizon=6, first_origin=24, stride=12,
                                         baselines=("naive",))
    assert all(d in set(s.index) for d in bt.origin_dates)
    assert not set(pd.DatetimeIndex(bt.forecasts["ds"]).day_name()) & {"Sunday"}
    assert "q0.9" in bt.forecasts.columns


def _shop_csv(tmp_path, n=200):
    """The shop's days as a file writes them: dates with no freq, no Sunday rows."""
    s = _shop(n)
    s.index = pd.DatetimeIndex(s.index.to_numpy())
    s.rename_axis("date").to_csv(tmp_path / "shop.csv")
    return tmp_path / "shop.csv"


def test_weekmask_reads_a_file_of_mon_to_sat_days_on_that_week(tmp_path):
    # was: no way to say so from a file: the 'D' calendar, period 7, forecasts on Sundays
    path = _shop_csv(tmp_path)
    f = Forecaster(**TINY, weekmask=SHOP).fit(path)
    assert f.period == 6 and f.series.freq == "C"
    days = f.predict(8).index
    assert "Sunday" not in set(days.day_name()) and days[0] == pd.Timestamp("2024-08-21")
    f.save(tmp_path / "m")
    assert Forecaster.load(tmp_path / "m").predict(8).index.equals(days)
    from rnnlab.forecast.period_line import period_line

    assert period_line(f).startswith(f"seasonal period: 6 (from the dates' 'C' calendar, "
                                     f"its week {SHOP};")


def test_the_closed_sundays_hint_names_the_weekmask(tmp_path):
    from rnnlab.data.series import load_series

    note = load_series(_shop_csv(tmp_path)).gap_note()
    assert f"weekmask={SHOP!r} (--weekmask {SHOP!r})" in note


@pytest.mark.parametrize("mask, problem", [
    ("Mon-Sat", "weekmask must name the open days"),
    ("Mon Tue Wed Thu Fri", r"\d+ of its dates are not open days .*\(Saturday\)")])
def test_a_weekmask_the_dates_do_not_fit_is_refused_naming_them(tmp_path, mask, problem):
    from rnnlab.io.errors import DataError

    path = _shop_csv(tmp_path)
    with pytest.raises(DataError, match=problem):
        Forecaster(**TINY, weekmask=mask).fit(path)


@pytest.mark.parametrize("mask", [SHOP, "Mon Tue Wed Thu Fri Sat Sun"])
def test_a_weekmask_of_monthly_dates_is_refused_as_not_daily(mask):
    # was: refused for airline's Sundays ("drop those rows"), and with all seven days read
    # as a daily series with 4,209 gaps, its period 7, its forecasts dated on days
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match=r"reads daily dates on a week of open days, and these "
                                        r"are 'MS' dates \(144 dates, \d+ open days of that "
                                        r"week between them without one\); drop weekmask"):
        Forecaster(**TINY, weekmask=mask).fit("airline")


def test_the_weekmask_of_data_without_dates_is_refused():
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match="have no dates; drop weekmask"):
        Forecaster(**TINY, weekmask=SHOP).fit(np.arange(60.0) % 6 + 1)


def test_the_command_dates_its_forecast_csv_on_open_days(tmp_path, capsys):
    from cli_run import run

    out = tmp_path / "run"
    code, err = run(["forecast", "--data", str(_shop_csv(tmp_path)), "--weekmask", SHOP,
                     "--epochs", "1", "--hidden-size", "4", "--ensemble", "1",
                     "--out", str(out)], capsys)
    assert code == 0, err
    table = pd.read_csv(out / "forecast.csv", parse_dates=["time"])
    future = table[table["part"] == "future"]["time"]
    assert len(future) and "Sunday" not in set(future.dt.day_name())


def test_compare_gives_its_weekmask_to_every_model_and_refuses_a_bad_one():
    # was: no --weekmask: a comparison of a shop's file compared them on period 7
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.matching import forecast_config
    from rnnlab.io.errors import ConfigError

    cfg = CompareConfig(data="shop.csv", models=("gru",), weekmask=SHOP)
    assert forecast_config(cfg, "gru", 4, 0).weekmask == SHOP
    with pytest.raises(ConfigError, match=r"weekmask must name the open days.*\(--weekmask\)"):
        CompareConfig(data="shop.csv", models=("gru",), weekmask="Mon-Sat")


def test_compare_of_a_language_model_refuses_a_weekmask(capsys):
    from cli_run import run

    code, err = run(["compare", "--task", "lm", "--data", "tiny", "--weekmask", SHOP], capsys)
    assert code == 2 and "--weekmask: read by --task forecast only" in err, err


def test_a_backtest_of_values_without_dates_still_saves(tmp_path):
    # (the origins put back on the series' own dates only where it has dates: its step
    # numbers made the summary's origin dates 1970-01-01 00:00:00.000000070 and save failed)
    y = 10 + np.sin(np.arange(60) / 3) + np.random.default_rng(0).normal(0, 0.1, 60)
    bt = Forecaster(**TINY).backtest(y, horizon=3, first_origin=9, stride=3,
                                     baselines=("naive",))
    bt.save(tmp_path / "bt")
    assert (tmp_path / "bt" / "summary.json").exists() and "1970" not in repr(bt)


def test_weekmask_reads_mon_to_sat_rows_that_read_as_no_single_frequency():
    # (from a Wednesday, pandas finds no frequency in them: forecasts were numbered by step)
    from rnnlab.data.series import load_series

    idx = pd.date_range("2023-01-04", periods=800, freq="D")
    idx = idx[idx.day_of_week != 6][:624]
    s = pd.Series(np.arange(624.0) % 6, index=idx, name="sales")
    assert load_series(s).freq is None
    got = load_series(s, weekmask="1111110")
    assert got.freq == "C" and got.gaps == 0 and got.calendar["weekmask"] == SHOP
    last = idx[-1].day_name()  # (a Tuesday: the next open days follow it)
    assert last == "Tuesday" and got.future_index(6).day_name().tolist() == [
        "Wednesday", "Thursday", "Friday", "Saturday", "Monday", "Tuesday"]
