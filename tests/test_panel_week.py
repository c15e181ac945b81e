"""Panels of shops open on a week of their own (``read_panel(weekmask=...)``,
``GlobalForecaster(weekmask=...)``, ``--weekmask``): such a panel was refused (its
Sundays "missing") with a ``fill='zero'`` hint, as panel dates were frequency strings.
On the week: dates and forecast dates on open days only, period 6, day-of-week read from
the real weekdays, save/load and ``--run`` keep the week, another week refused."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError

W = "Mon Tue Wed Thu Fri Sat"
TINY = dict(hidden_size=4, head_size=4, lookback=12, horizon=6, epochs=1, batches_per_epoch=2,
            batch_size=16, progress=False)


def _shops(n=120, mask=W, start="2023-01-02"):
    """Three shops open ``mask``, a Saturday peak (rows of the open days only: a CSV's)."""
    ds = pd.date_range(start, periods=n, freq=pd.offsets.CustomBusinessDay(weekmask=mask))
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": pd.DatetimeIndex(ds.to_numpy()),
                                    "y": 10.0 + k + 5 * (ds.day_of_week == 5)
                                    + rng.normal(0, 0.1, n)}) for k in range(3)])


def _fit(df, **kw):
    from rnnlab.panel import GlobalForecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GlobalForecaster("lstm", **TINY, **kw).fit(df)


def test_a_panel_is_read_on_its_week():
    from rnnlab.panel import read_panel

    p = read_panel(_shops(), weekmask="1111110")  # (pandas' spelling too)
    assert p.period == 6 and len(p.df) == 360 and (p.df["ds"].dt.day_of_week != 6).all()
    assert "freq 'C' (open Mon Tue Wed Thu Fri Sat), period 6" in repr(p)
    # a CustomBusinessDay given as freq= is the week (its name 'C' read Monday to Friday)
    q = read_panel(_shops(), freq=pd.offsets.CustomBusinessDay(weekmask=W))
    assert q.period == 6 and len(q.df) == 360
    with pytest.raises(DataError, match=r"dates off its 'C' \(open Tue Wed Thu Fri Sat Sun\) "
                                        r"calendar .*expected dates on Tue Wed Thu Fri Sat Sun"):
        read_panel(_shops(), weekmask="Tue Wed Thu Fri Sat Sun")
    with pytest.raises(DataError, match=r"freq='MS' steps by another length"):
        read_panel(_shops(), weekmask=W, freq="MS")
    steps = pd.DataFrame({"unique_id": "a", "ds": range(30), "y": np.arange(30.0)})
    with pytest.raises(DataError, match=r"these are integer steps; give dates"):
        read_panel(steps, weekmask=W)


def test_the_weekmask_option_is_the_one_series_one():
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.io.errors import SettingError
    from rnnlab.options import declared
    from rnnlab.panel import PanelConfig

    helps = [o.help for cls in (ForecastConfig, PanelConfig) for f, o in declared(cls)
             if f.name == "weekmask"]
    assert len(helps) == 2 and helps[0] == helps[1]
    with pytest.raises(SettingError, match=r"weekmask must name the open days of the week"):
        PanelConfig(weekmask="Mon")


def test_forecasts_fall_on_open_days_and_save_load_keeps_the_week(tmp_path):
    from rnnlab.panel import GlobalForecaster, read_panel

    df = _shops()
    f = _fit(df[df["ds"] < "2023-05-15"], weekmask=W, calendar=("dayofweek",))
    got = f.predict(6)
    assert (got["ds"].dt.day_of_week != 6).all()
    assert list(got["ds"].iloc[:6].dt.strftime("%a")) == ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                          "Sat"]
    f.save(tmp_path / "m")
    saved = json.loads((tmp_path / "m" / "model.json").read_text())
    assert saved["extra"]["features"]["week"] == {"weekmask": W, "holidays": []}
    g = GlobalForecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(g.predict(6), got)
    # newer data as a CSV file: read on the fitted week (no Sunday to fill)
    df.to_csv(tmp_path / "new.csv", index=False)
    later = g.predict(6, history=str(tmp_path / "new.csv"))
    assert later["ds"].min() > got["ds"].max() and (later["ds"].dt.day_of_week != 6).all()
    # a model fitted on a panel read on the week (no weekmask= of its own) reads so too
    h = _fit(read_panel(df[df["ds"] < "2023-05-15"], weekmask=W))
    assert (h.predict(6, history=str(tmp_path / "new.csv"))["ds"].dt.day_of_week != 6).all()


def test_a_history_on_another_week_is_refused():
    from rnnlab.panel import read_panel

    other = read_panel(_shops(mask="Tue Wed Thu Fri Sat Sun", start="2023-01-03"),
                       weekmask="Tue Wed Thu Fri Sat Sun")
    f = _fit(read_panel(_shops(), weekmask=W))  # (the week from the panel read on it)
    with pytest.raises(DataError, match=r"the history: its dates are open on Tue Wed Thu Fri "
                                        r"Sat Sun and the model was fitted on a week open on "
                                        r"Mon Tue Wed Thu Fri Sat; .*seasonal period 6"):
        f.predict(6, history=other)
    g = _fit(_shops(), weekmask=W)  # (the week named: the panel given is read on another)
    with pytest.raises(DataError, match=r"weekmask='Mon Tue Wed Thu Fri Sat', and the panel "
                                        r"given was read on 'C' \(open Tue Wed Thu Fri Sat Sun\)"):
        g.predict(6, history=other)
    with pytest.raises(DataError, match=r"dates off its 'C' \(open Mon Tue Wed Thu Fri Sat\)"):
        g.predict(6, history=_shops(mask="Tue Wed Thu Fri Sat Sun", start="2023-01-03"))
    zero = read_panel(_shops(), freq="D", fill="zero")  # (Sundays put back as 0)
    with pytest.raises(DataError, match=r"the panel given was read on 'D'; read it on that "
                                        r"week \(read_panel\(\.\.\., weekmask="):
        _fit(zero, weekmask=W)


def test_the_backtest_origins_and_season_are_the_week():
    from rnnlab.panel import GlobalForecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GlobalForecaster("lstm", **TINY, weekmask=W).backtest(
            _shops(), first_origin=12, stride=6, baselines=("seasonal_naive",))
    fc = res.forecasts
    assert (fc["ds"].dt.day_of_week != 6).all() and (fc["origin"].dt.day_of_week != 6).all()
    summary = res.summary().set_index("model")
    # period 6: last week's Saturday peak foretells this one's (period 7: a day off)
    assert summary.loc["seasonal_naive", "mase"] < 2


def test_plain_panels_save_as_before():
    from rnnlab.panel.week_freq import freq_from_json, freq_to_json

    assert freq_to_json("MS") == {"freq": "MS"}  # (no "week": files as before)
    assert freq_from_json({"freq": "MS"}, "f") == "MS"
    week = freq_from_json(freq_to_json(pd.offsets.CustomBusinessDay(weekmask=W)), "f")
    assert week == pd.offsets.CustomBusinessDay(weekmask=W)


def test_rnnlab_backtest_takes_weekmask(tmp_path, capsys):
    from rnnlab.cli import main

    _shops().to_csv(tmp_path / "shops.csv", index=False)
    assert main(["backtest", "--data", str(tmp_path / "shops.csv"), "--weekmask", W,
                 "--horizon", "6", "--first-origin", "12", "--stride", "6", "--plot-series",
                 "0", "--baselines", "naive", "--out", str(tmp_path / "bt")]) == 0
    fc = pd.read_csv(tmp_path / "bt" / "forecasts.csv", parse_dates=["ds"])
    assert len(fc) and (fc["ds"].dt.day_of_week != 6).all()
    assert json.loads((tmp_path / "bt" / "config.json").read_text())["config"][
        "weekmask"] == W


@pytest.mark.slow
def test_rnnlab_forecast_on_a_panel_takes_weekmask_and_run_keeps_it(tmp_path, capsys):
    from rnnlab.cli import main

    _shops().to_csv(tmp_path / "shops.csv", index=False)
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(tmp_path / "shops.csv"), "--id-column", "unique_id",
                 "--weekmask", W, "--horizon", "6", "--lookback", "12", "--epochs", "1",
                 "--hidden-size", "4", "--batch-size", "16", "--no-progress",
                 "--out", str(run)]) == 0
    info = json.loads((run / "panel.json").read_text())
    assert info["freq"] == "C" and info["week"]["weekmask"] == W
    out = pd.read_csv(run / "forecasts.csv", parse_dates=["ds"])
    assert (out["ds"].dt.day_of_week != 6).all()
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--data", str(tmp_path / "shops.csv"),
                 "--out", str(tmp_path / "again")]) == 0


def test_series_whose_index_carries_the_week_are_read_on_it():
    """A dict of Series (or a wide frame) whose index is a Mon-Sat CustomBusinessDay: each
    forecast on its week alone (the one-series Forecaster reads the index' week), and
    together they were refused ("18 NaN values or missing dates": their Sundays)."""
    from rnnlab.panel import read_panel

    idx = pd.date_range("2023-01-02", periods=60, freq=pd.offsets.CustomBusinessDay(weekmask=W))
    s = pd.Series(np.arange(60.0), index=idx)
    for data in ({"a": s, "b": 2 * s}, pd.DataFrame({"a": s, "b": s})):
        p = read_panel(data)
        assert p.period == 6 and len(p.df) == 120
    plain = s.copy()
    plain.index = pd.DatetimeIndex(idx.to_numpy())  # (no freq: as before, refused)
    with pytest.raises(DataError, match=r"pass weekmask='Mon Tue Wed Thu Fri Sat'"):
        read_panel({"a": plain, "b": s})


def test_accuracy_reads_the_data_on_the_week():
    """``accuracy(fc, "shops.csv")`` was refused for the file's Sundays, its hint naming a
    ``weekmask=`` accuracy did not take."""
    from rnnlab.panel import accuracy, read_panel
    from rnnlab.panel.baselines import make_baseline

    df = _shops()
    seen = read_panel(df[df["ds"] < "2023-05-15"], weekmask=W)
    fc = make_baseline("seasonal_naive", (0.1, 0.5, 0.9)).fit(seen).predict(6)
    with pytest.raises(DataError, match=r"pass weekmask='Mon Tue Wed Thu Fri Sat'"):
        accuracy(fc, df)
    got = accuracy(fc, df, weekmask=W)
    assert len(got) == 3 and (got["mase"] < 2).all()  # (the week's scale: period 6)
    with pytest.raises(DataError, match=r"the panel given was read on 'D'"):
        accuracy(fc, read_panel(df, freq="D", fill="zero"), weekmask=W)


def test_the_backtest_function_reads_the_data_on_the_week(tmp_path):
    """``backtest(GlobalForecaster(weekmask=W), "shops.csv", ...)`` was refused for the
    file's Sundays (the model's week unread), its hint naming a ``weekmask=`` backtest did
    not take; baselines alone had no way to give the week."""
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.backtest import backtest

    _shops().to_csv(tmp_path / "shops.csv", index=False)
    res = backtest(None, tmp_path / "shops.csv", horizon=6, first_origin=12, stride=6,
                   baselines=("seasonal_naive",), weekmask=W)
    assert len(res.forecasts) and (res.forecasts["ds"].dt.day_of_week != 6).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = backtest(GlobalForecaster("lstm", **TINY, weekmask=W), tmp_path / "shops.csv",
                       horizon=6, first_origin=6)
    assert len(res.forecasts) == 18 and (res.forecasts["ds"].dt.day_of_week != 6).all()
    with pytest.raises(DataError, match=r"pass weekmask='Mon Tue Wed Thu Fri Sat'"):
        backtest(None, tmp_path / "shops.csv", horizon=6, baselines=("naive",))


def test_weekly_and_monthly_panels_are_refused_as_not_daily():
    """A monthly panel read with ``weekmask=`` was refused for "853 NaN values or missing
    dates", pointed to fill='ffill' and a holidays= clause (the one-series ``weekmask=``
    says its dates are not daily), an hourly one for "dates off its calendar ... drop those
    rows"; daily rows of intermittent series are read."""
    from rnnlab.panel import read_panel

    for freq, mask, found in (("MS", "1111111", "'MS' dates"), ("W-MON", "1111100",
                                                                 "'W-MON' dates")):
        df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2020-01-06", periods=30,
                                                                  freq=freq), "y": 1.0})
        with pytest.raises(DataError, match=rf"reads daily dates on a week of open days, "
                                            rf"and these are {found} \(no two of the 30 "
                                            rf"dates are open days in a row"):
            read_panel(df, weekmask=mask)
    hourly = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2023-01-02", periods=50,
                                                                 freq="h"), "y": 1.0})
    with pytest.raises(DataError, match=r"and these are intraday \(50 times on 3 days of the "
                                        r"series\); drop weekmask"):
        read_panel(hourly, weekmask=W)
    shops = _shops(n=30)  # (one time a day each, not the same: daily)
    later = shops["unique_id"] == "s1"
    shops.loc[later, "ds"] = shops.loc[later, "ds"] + pd.Timedelta(hours=5)
    assert read_panel(shops, weekmask=W).period == 6
    df = _shops(n=60)
    sparse = df[(df["unique_id"] != "s0") | (np.arange(len(df)) % 3 == 0)]
    assert read_panel(sparse, weekmask=W, fill="zero").period == 6
