"""A retail forecaster's daily and weekly data (session 24): the seasonal period a user
gives, and what is said when it cannot work."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=14, horizon=14,
            device="cpu")


def _daily(n=728, start="2023-01-04"):
    """Two years of daily sales (less two days), a store closed on Sundays, from a Wednesday."""
    d = pd.date_range(start, periods=n, freq="D")
    t = np.arange(n)
    y = (100 + 30 * np.sin(2 * np.pi * t / 365.25)) * np.where(d.day_of_week == 6, 0, 1)
    return pd.Series(y + np.where(d.day_of_week == 6, 0, t % 5), index=d, name="sales")


def test_a_yearly_period_on_two_years_of_days_counts_whole_seasons_and_the_history_needed():
    # was: "period 365 leaves 2 season(s) in the training part (714 points; two seasons
    # need 730)": 714 / 365 = 1.96 printed as 2, the very count it refused
    with pytest.raises(DataError) as e:
        Forecaster(period=365, **TINY).fit(_daily())
    msg = str(e.value)
    assert "leaves 1 whole season in the training part (714 points" in msg
    assert "728 less the 14 held out" in msg and "at least 744 points" in msg
    assert "2 season" not in msg


@pytest.mark.parametrize("value, whole", [(52.18, 52), (365.25, 365)])
def test_a_fractional_period_names_the_whole_number_to_pass(value, whole):
    # was: "period must be an integer >= 1 (1: no season) or None (from the dates), got
    # 52.18" (the API) and argparse's "invalid int value: '52.18'" (the command)
    from rnnlab.panel import GlobalForecaster

    for make in (lambda: Forecaster(period=value), lambda: GlobalForecaster("lstm",
                                                                            period=value)):
        with pytest.raises(DataError, match=rf"got {value}; .*round it to {whole} "):
            make()


@pytest.mark.parametrize("command", ["forecast", "backtest"])
def test_the_command_refuses_a_fractional_period_with_the_whole_number(command, capsys,
                                                                        tmp_path):
    from cli_run import run

    argv = [command, "--data", "airline", "--period", "52.18", "--horizon", "4"]
    code, err = run(argv + ["--out", str(tmp_path / "r")], capsys)
    assert code == 2 and "got '52.18'; a seasonal period is a whole number" in err, err
    assert "round it to 52 " in err and "invalid int value" not in err
    code, err = run(argv[:4] + ["abc"] + argv[5:] + ["--out", str(tmp_path / "r")], capsys)
    assert code == 2 and "expected a whole number >= 1" in err and "round it" not in err


def test_the_zero_actuals_note_says_what_smape_makes_of_them():
    # was: "...; sMAPE and MASE count every point": on a store closed on Sundays the
    # seasonal naive (0 there) scored sMAPE 10 and the network (0.6 there) 39, at one MAE
    from rnnlab.forecast.metrics import mape_note, metrics

    actual = [0.0, 100.0, 0.0, 120.0]
    assert metrics(actual, [0.6, 100.0, 0.6, 120.0])["smape"] == pytest.approx(100.0)
    assert metrics(actual, [0.0, 100.0, 0.0, 120.0])["smape"] == 0.0
    note = mape_note(actual)
    assert "2 of the 4 actual values are 0" in note
    assert "sMAPE scores each of them 200%, or 0% where the forecast is exactly 0" in note


def test_the_few_seasons_note_never_rounds_up_to_two():
    # was: "the training part holds 2 seasons of period 52, fewer than two" (103 weeks of a
    # weekly series: 1.98 printed by '.2g')
    from rnnlab.forecast.report import format_metrics

    m = {k: 1.0 for k in ("rmse", "mae", "mape", "smape", "mase")}
    ev = {"test_size": 12, "n_train": 103, "period": 52, "forecast": {"model": m}}
    said = " ".join(line.strip() for line in format_metrics(ev, "run").splitlines())
    assert "holds 1.98 seasons of period 52, fewer than two" in said  # (wrapped: as words)


def _store_panel(n=60):
    d = pd.date_range("2024-01-03", periods=n, freq="D")
    y = 100 + 10 * (d.day_of_week == 5) + np.arange(n) % 3
    return pd.DataFrame({"unique_id": "s1", "ds": d, "y": y.astype(float)})


PANEL_TINY = dict(lookback=7, horizon=7, epochs=1, batches_per_epoch=1, hidden_size=4,
                  ensemble=1, progress=False)


def test_a_country_without_the_holiday_feature_is_said_at_fit():
    # (about 1.5 s; a process' first panel fit pays about 8 s of warm-up, whichever test)
    # was: GlobalForecaster(country="US") trained without a word and without any holiday
    # (Prophet's add_country_holidays habit); only calendar feature 'holiday' reads it
    import warnings

    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.covariate_checks import UnreadCountryWarning

    with pytest.warns(UnreadCountryWarning, match=r"country='US' is read only by calendar "
                      r"feature 'holiday'.*calendar=\('dayofweek', 'holiday'\)"):
        GlobalForecaster("gru", country="US", calendar=("dayofweek",),
                         **PANEL_TINY).fit(_store_panel())
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreadCountryWarning)
        GlobalForecaster("gru", country="US", calendar=("holiday",),
                         **PANEL_TINY).fit(_store_panel())


def test_a_holidays_setting_names_the_calendar_feature_and_the_country():
    # was: "unknown setting 'holidays'" and the list of fields (GlobalForecaster), or no
    # word that the panel model reads holidays (Forecaster); the Forecaster reads them too
    # now (rnnlab.forecast.holidays)
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError, match=r"'holidays' \(a country's public holidays, "
                       r"here: calendar=\('holiday',\), country='AU'\)"):
        GlobalForecaster("lstm", holidays="AU")
    with pytest.raises(ConfigTypeError, match=r"'holidays' \(a country's public holidays, "
                       r"here: calendar=\('holiday',\), country='US'\)"):
        Forecaster(holidays="US")


def test_the_command_answers_a_holidays_option_with_calendar_and_country(capsys):
    # was: "did you mean" nothing useful; --country alone reads no holiday
    from cli_run import run

    code, err = run(["forecast", "--data", "airline", "--holidays", "US"], capsys)
    assert code == 2 and "--calendar holiday --country US" in err, err
    # airline is one series, which the one-series model reads holidays of itself (was:
    # "the panel model, for one series too", written before it did)
    assert "the panel model" not in err, err


@pytest.mark.parametrize("mask", ["Mon Tue Wed Thu Fri", "Mon Tue Wed Thu Fri Sat"])
def test_a_custom_business_day_index_with_a_holiday_inside_the_history_is_read(mask):
    # was: "series: cannot be used as a series (ValueError: Custom business days is not
    # supported by is_month_end)" whenever a holiday fell inside the history (pandas'
    # infer_freq gave up, and the semi-month check asked the index for its month ends)
    from rnnlab.data.series import load_series

    days = pd.offsets.CustomBusinessDay(weekmask=mask, holidays=["2024-01-15"])
    index = pd.date_range("2024-01-01", periods=40, freq=days)
    got = load_series(pd.Series(np.arange(40.0) % 5 + 10, index=index, name="sales"))
    assert len(got.values) == 40
    if mask == "Mon Tue Wed Thu Fri":  # (a shop's Mon-Sat week: read as steps, said)
        assert got.freq == "B" and got.gaps == 0
        assert got.calendar == {"weekmask": mask, "holidays": ["2024-01-15"]}


def test_forecasts_on_trading_days_skip_a_holiday_after_one_inside_the_history():
    days = pd.offsets.CustomBusinessDay(holidays=["2024-01-15", "2024-03-01"])
    index = pd.date_range("2024-01-01", periods=43, freq=days)  # (ends 2024-02-29)
    y = pd.Series(50 + np.arange(43.0) % 5 + np.arange(43.0) / 10, index=index, name="close")
    f = Forecaster(**dict(TINY, lookback=5, horizon=3)).fit(y)
    assert list(f.predict(3).index.strftime("%m-%d")) == ["03-04", "03-05", "03-06"]


def _mon_to_sat(start, n=300):
    idx = pd.date_range(start, periods=n * 7 // 6 + 7, freq="D")
    idx = idx[idx.day_of_week != 6][:n]
    week = np.array([1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 0.0])[idx.day_of_week]
    return pd.Series(100 * week + np.arange(n) % 3, index=idx, name="sales")


@pytest.mark.parametrize("start, n, freq", [("2023-01-02", 300, "D"), ("2023-01-04", 624, None)])
def test_a_shop_whose_file_leaves_out_its_closed_sundays_is_told_its_week(start, n, freq):
    # was: "99 dates of its 'D' calendar are missing (holidays or gaps); ...; fill=
    # 'interpolate' fills them" (period 7 on a 6-step week: the seasonal naive's MAE ten
    # times period 6's, forecasts dated on Sundays), or, from another first day, "its dates
    # follow no single frequency" with no word of the 6-day week
    from rnnlab.data.series import load_series

    series = load_series(_mon_to_sat(start, n))
    note = series.gap_note()
    assert series.freq == freq  # (both readings: where the series starts decides)
    assert "no date is a Sunday: a 6-day week" in note
    assert "pass period=6 (--period 6)" in note and "fill='interpolate'" not in note


def test_daily_dates_with_a_few_gaps_on_every_weekday_keep_the_plain_note():
    from rnnlab.data.series import load_series

    idx = pd.date_range("2024-01-01", periods=120, freq="D").delete([10, 20, 31, 45, 60])
    note = load_series(pd.Series(np.arange(115.0), index=idx, name="v")).gap_note()
    assert "5 dates of its 'D' calendar are missing (holidays or gaps)" in note
    assert "-day week" not in note


def test_a_panel_of_shops_without_their_sundays_is_pointed_to_fill_zero():
    # was: "...; pass fill='ffill' (--fill ffill) or clean the data": ffill gave each
    # closed Sunday its Saturday's sales
    from rnnlab.panel import read_panel

    rows = [pd.DataFrame({"unique_id": s, "ds": y.index, "y": y.to_numpy() * k})
            for k, (s, y) in enumerate([("a", _mon_to_sat("2023-01-02")),
                                         ("b", _mon_to_sat("2023-01-02"))], start=1)]
    with pytest.raises(DataError, match=r"no series has a date on a Sunday, a 6-day week "
                       r"\(closed days left out\): pass weekmask='Mon Tue Wed Thu Fri Sat' "
                       r"\(--weekmask 'Mon Tue Wed Thu Fri Sat'\) to read them on that week "
                       r"\(period 6, .*\), or fill='zero'"):
        read_panel(pd.concat(rows), freq="D")
    panel = read_panel(pd.concat(rows), freq="D", fill="zero")
    sundays = panel.df[panel.df["ds"].dt.day_of_week == 6]
    assert len(sundays) and (sundays["y"] == 0).all()


def test_weekly_dates_with_the_holiday_feature_say_how_few_weeks_it_flags():
    # was: silent; on Sunday-ending weeks of 2022-2024 the feature flagged 3 weeks of 157
    # while 36 US holidays fell in their span (a week holding Thanksgiving: 0)
    import warnings

    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.coarse_holidays import CoarseHolidayWarning

    ds = pd.date_range("2022-01-02", "2024-12-29", freq="W-SUN")
    df = pd.DataFrame({"unique_id": "w", "ds": ds, "y": 100.0 + np.arange(len(ds)) % 4})
    tiny = dict(PANEL_TINY, lookback=8, horizon=4)
    with pytest.warns(CoarseHolidayWarning, match=r"7 days apart: 3 of the 157 are, while "
                      r"36 holidays fall in their span"):
        GlobalForecaster("gru", calendar=("holiday",), country="US", **tiny).fit(df)
    with warnings.catch_warnings():  # (daily dates: each holiday is a date of its own)
        warnings.simplefilter("error", CoarseHolidayWarning)
        GlobalForecaster("gru", calendar=("holiday",), country="US",
                         **PANEL_TINY).fit(_store_panel(120))


def test_a_panel_backtest_says_what_smape_makes_of_closed_days(tmp_path, capsys):
    # was: the table's smape (seasonal naive 10, the others 40-50 on a shop closed on
    # Sundays) with no word that each 0 scores 200% unless forecast exactly 0
    from rnnlab.cli import main
    from rnnlab.panel.scaled_note import smape_zero_note

    d = pd.date_range("2024-01-01", periods=84, freq="D")
    y = np.where(d.day_of_week == 6, 0.0, 100.0 + np.arange(84) % 5)
    csv = tmp_path / "shop.csv"
    pd.DataFrame({"unique_id": "shop", "ds": d, "y": y}).to_csv(csv, index=False)
    assert main(["backtest", "--data", str(csv), "--horizon", "14", "--baselines", "naive",
                 "--plot-series", "0", "--out", str(tmp_path / "bt")]) == 0
    out = capsys.readouterr().out
    assert "note: smape: 2 of the 14 actual values are 0, and sMAPE scores each of them " \
           "200%, or 0% where the forecast is exactly 0" in " ".join(out.split()), out  # (wrapped)
    fc = pd.DataFrame({"model": ["a", "a", "b", "b"], "y": [0.0, 5.0, 0.0, 5.0]})
    assert smape_zero_note(fc).startswith("smape: 1 of the 2 actual values are 0")
    assert smape_zero_note(fc.assign(y=[1.0, 5.0, 1.0, 5.0])) == ""
