"""A panel's time zone (read_panel(tz=), GlobalForecaster(time_zone=), --time-zone): dates
written with changing UTC offsets (what pandas writes for a zone's hourly dates) were read
as UTC instants, and the command line had no way to name their zone, so hour and holiday
features were taken on the UTC clock (a Victorian Good Friday flagged from 13:00 the day
before) and a saved model's dates lost their zone."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.freq_names import this_pandas_freq
from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.calendar import UtcClockWarning, calendar_features
from rnnlab.panel.config import PanelConfig

from cli_run import run

TINY = dict(epochs=1, batches_per_epoch=1, batch_size=8, hidden_size=4, head_size=4,
            calibrate="none", val_size=0, patience=None)
# each series spans a change of the clocks: spring forward, then fall back
SPANS = {"Europe/London": ("2021-03-27 12:00", "2021-10-30 12:00"),
         "Australia/Melbourne": ("2021-10-02 12:00", "2021-04-03 12:00")}


def _written(zone: str, hours: int = 48) -> pd.DataFrame:
    """Two series of hourly dates in ``zone`` as a CSV holds them (text with offsets)."""
    parts = []
    for uid, start in zip(("spring", "fall"), SPANS[zone]):
        idx = pd.date_range(start, periods=hours, freq="h", tz=zone)
        parts.append(pd.DataFrame({"unique_id": uid, "ds": [t.isoformat() for t in idx],
                                   "y": 10 + np.sin(np.arange(hours) * 2 * np.pi / 24)}))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("zone, skipped, repeated", [("Europe/London", 1, 1),
                                                     ("Australia/Melbourne", 2, 2)])
def test_offsets_across_both_clock_changes_are_read_on_the_zones_clock(zone, skipped,
                                                                       repeated):
    table = _written(zone)
    assert read_panel(table).df["ds"].dt.tz is not None  # (UTC, as before: instants)
    panel = read_panel(table, tz=zone)
    assert str(panel.df["ds"].dt.tz) == zone and panel.freq == this_pandas_freq("h")
    for uid, start in zip(("spring", "fall"), SPANS[zone]):
        ds = panel.series(uid)["ds"]
        assert ds.tolist() == list(pd.date_range(start, periods=48, freq="h", tz=zone))
        day = pd.Timestamp(start).date() + pd.Timedelta(days=1)  # the clocks change then
        hours = ds[ds.dt.date == day].dt.hour.tolist()
        # the local clock: an hour skipped in spring, one read twice in autumn
        if uid == "spring":
            assert len(hours) == 23 and skipped not in hours
        else:
            assert len(hours) == 25 and hours.count(repeated) == 2
    got = calendar_features(panel.df["ds"], ("hour",))
    want = 2 * np.pi * panel.df["ds"].dt.hour.to_numpy() / 24
    np.testing.assert_allclose(got[:, 0], np.sin(want), atol=1e-6)

def test_a_victorian_holiday_starts_at_local_midnight():
    # Good Friday 2 April 2021: 00:00 in Melbourne (+11:00) is 13:00 UTC on 1 April
    idx = pd.date_range("2021-04-01 20:00", periods=8, freq="h", tz="Australia/Melbourne")
    utc = pd.DataFrame({"unique_id": "vic", "ds": [t.tz_convert("UTC").isoformat()
                                                   for t in idx], "y": 1.0})
    local = read_panel(utc, tz="Australia/Melbourne").df["ds"]
    flags = calendar_features(local, ("holiday",), "AU-VIC")[:, 0]
    assert local[flags == 1].min() == pd.Timestamp("2021-04-02 00:00",
                                                   tz="Australia/Melbourne")
    # read in UTC (no zone): not one of these hours (flagged from 11:00 local, 11 hours late)
    plain = read_panel(utc).df["ds"]
    assert calendar_features(plain, ("holiday",), "AU-VIC")[:, 0].sum() == 0


def test_naive_dates_are_the_zones_clock_and_its_gaps_are_refused():
    ok = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2021-03-28 02:00", periods=5,
                                                              freq="h"), "y": 1.0})
    panel = read_panel(ok, tz="Europe/London")
    assert panel.df["ds"].iloc[0] == pd.Timestamp("2021-03-28 02:00+01:00")
    spring = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2021-03-28 00:00",
                                                                  periods=4, freq="h"),
                           "y": 1.0})
    with pytest.raises(DataError, match=r"2021-03-28 01:00 does not exist there .*clocks "
                                        r"skip.*UTC offset"):
        read_panel(spring, tz="Europe/London")
    fall = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2021-10-31 00:00",
                                                                periods=4, freq="h"),
                         "y": 1.0})
    with pytest.raises(DataError, match=r"2021-10-31 01:00 happens twice there"):
        read_panel(fall, tz="Europe/London")
    days = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2021-03-26", periods=5,
                                                                freq="D"), "y": 1.0})
    d = read_panel(days, tz="Europe/London")  # (midnights: each on the local calendar)
    assert d.freq == "D" and (d.df["ds"].dt.hour == 0).all()


@pytest.mark.parametrize("bad, meant", [("Europe/Londn", "Europe/London"),
                                        ("europe/london", "Europe/London"),
                                        ("+10:00", None), ("../etc/passwd", None)])
def test_a_bad_zone_name_says_how_to_find_the_names(bad, meant, capsys):
    names = r"zoneinfo\.available_timezones\(\)"
    with pytest.raises(DataError, match=names) as e:
        read_panel(_written("Europe/London"), tz=bad)
    assert meant is None or f"meant: {meant}" in str(e.value)
    with pytest.raises(DataError, match=names):
        PanelConfig(time_zone=bad)
    code, err = run(["backtest", "--data", "visnights", "--time-zone", bad], capsys)
    assert code == 2 and "--time-zone" in err and "available_timezones" in err


def test_periods_have_no_clock_to_zone():
    df = pd.DataFrame({"unique_id": "a", "ds": pd.period_range("2020-01", periods=6,
                                                                freq="M"), "y": 1.0})
    with pytest.raises(DataError, match="periods.*no clock time"):
        read_panel(df, tz="UTC")


def _load_table(zone: str, hours: int = 24 * 5) -> pd.DataFrame:
    """Two series ending at the fall-back change of ``zone``, in UTC (a market's file)."""
    end = pd.Timestamp("2021-10-31 12:00" if zone[0] == "E" else "2021-04-04 12:00", tz=zone)
    idx = pd.date_range(end=end, periods=hours, freq="h")
    return pd.concat([pd.DataFrame({
        "unique_id": u, "ds": [t.tz_convert("UTC").isoformat() for t in idx],
        "y": 50 + k + 5 * np.sin(idx.hour * 2 * np.pi / 24),
        "temp": np.cos(np.arange(hours) / 7.0)}) for k, u in enumerate("ab")],
        ignore_index=True)


def test_a_zoned_model_saves_its_zone_and_reads_future_dates_in_it(tmp_path):
    zone = "Europe/London"
    f = GlobalForecaster("gru", lookback=24, horizon=6, calendar=("hour",),
                         future_covariates=("temp",), time_zone=zone, **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UtcClockWarning)  # (the zone is named: no warning)
        f.fit(_load_table(zone))
    fut = f.make_future_dataframe().assign(temp=0.5)
    assert str(fut["ds"].dt.tz) == zone
    first = f.predict(future=fut)
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    assert g.config.time_zone == zone and str(g.tail["ds"].dt.tz) == zone
    naive = fut.assign(ds=fut["ds"].dt.tz_localize(None))  # the zone's clock times
    again = g.predict(future=naive)
    pd.testing.assert_frame_equal(first, again)
    assert json.loads((tmp_path / "m" / "model.json").read_text())["config"]["time_zone"] \
        == zone
    # a history in UTC (a PanelFrame read without a zone) is put in the model's zone
    new = g.predict(future=naive, history=read_panel(_load_table(zone)))
    pd.testing.assert_frame_equal(first, new)


def test_a_panel_frame_of_days_in_another_zone_is_refused_not_moved():
    days = pd.DataFrame({"unique_id": "a", "ds": pd.date_range(
        "2021-01-01", periods=40, freq="D", tz="Europe/Paris"), "y": np.arange(40.0)})
    f = GlobalForecaster(lookback=7, horizon=3, time_zone="Europe/London", **TINY)
    with pytest.raises(DataError, match=r"another time of day.*tz='Europe/London'"):
        f.fit(read_panel(days))


@pytest.mark.slow
def test_the_command_line_reads_writes_and_reruns_in_the_zone(tmp_path, capsys):
    zone = "Australia/Melbourne"
    data = tmp_path / "load.csv"
    _load_table(zone).to_csv(data, index=False)
    end = pd.read_csv(data)["ds"].iloc[-1]
    dates = pd.date_range(pd.Timestamp(end).tz_convert(zone), periods=7, freq="h")[1:]
    fut = tmp_path / "future.csv"
    pd.DataFrame({"ds": [t.isoformat() for t in dates], "temp": 0.5}).to_csv(fut, index=False)
    naive = tmp_path / "future_naive.csv"  # the local clock's times, no offsets
    pd.DataFrame({"ds": dates.strftime("%Y-%m-%d %H:%M"), "temp": 0.5}).to_csv(naive,
                                                                                index=False)
    out = tmp_path / "run"
    assert run(["forecast", "--data", str(data), "--calendar", "hour,holiday", "--country",
                "AU-VIC", "--time-zone", zone, "--future-covariates", "temp", "--future",
                str(fut), "--horizon", "6", "--lookback", "24", "--epochs", "1",
                "--batches-per-epoch", "1", "--hidden-size", "4", "--out", str(out)],
               capsys)[0] == 0
    written = pd.read_csv(out / "forecasts.csv")
    assert written["ds"].iloc[0] == str(dates[0])  # local, with its offset (+10:00)
    assert str(dates[0]).endswith("+10:00")
    assert json.loads((out / "config.json").read_text())["config"]["model"]["time_zone"] \
        == zone
    again = tmp_path / "again.csv"
    assert run(["forecast", "--run", str(out), "--future", str(naive), "--output",
                str(again)], capsys)[0] == 0
    pd.testing.assert_frame_equal(pd.read_csv(again), written)
    new = tmp_path / "new.csv"
    assert run(["forecast", "--run", str(out), "--data", str(data), "--future", str(fut),
                "--output", str(new)], capsys)[0] == 0
    pd.testing.assert_frame_equal(pd.read_csv(new), written)


def test_a_backtest_writes_its_dates_on_the_zones_clock(tmp_path, capsys):
    data = tmp_path / "load.csv"
    _load_table("Europe/London").to_csv(data, index=False)  # (written in UTC)
    out = tmp_path / "bt"
    assert run(["backtest", "--data", str(data), "--model", "naive", "--baselines", "none",
                "--horizon", "6", "--first-origin", "14", "--plot-series", "0",
                "--time-zone", "Europe/London", "--out", str(out)], capsys)[0] == 0
    written = pd.read_csv(out / "forecasts.csv")["ds"]
    # the last hours before the clocks went back: 01:00+01:00, then 01:00+00:00
    assert {"2021-10-31 01:00:00+01:00", "2021-10-31 01:00:00+00:00"} <= set(written)
    assert json.loads((out / "config.json").read_text())["config"]["time_zone"] == \
        "Europe/London"


def test_a_model_fitted_on_dates_in_a_zone_keeps_it_when_saved(tmp_path):
    # the saved tail was written without offsets: loaded, its forecasts had no zone
    df = read_panel(_load_table("Europe/London")).df
    df = df.assign(ds=df["ds"].dt.tz_convert("Europe/London"))
    f = GlobalForecaster(lookback=24, horizon=3, **TINY).fit(df[["unique_id", "ds", "y"]])
    f.save(tmp_path / "m")
    got = GlobalForecaster.load(tmp_path / "m").predict()
    pd.testing.assert_frame_equal(got, f.predict())
    assert str(got["ds"].dt.tz) == "Europe/London"


def test_one_series_is_told_the_zone_needs_its_holidays(capsys):
    # (the one-series Forecaster reads --time-zone for calendar 'holiday' alone: without it
    # the zone would change nothing, refused so; it was refused as a panel option)
    code, err = run(["forecast", "--data", "airline", "--time-zone", "UTC"], capsys)
    assert code == 2 and "--time-zone" in err and "calendar has no 'holiday'" in err


def test_a_zoned_models_backtest_reads_its_data_in_the_zone():
    f = GlobalForecaster(lookback=24, horizon=3, time_zone="Europe/London", **TINY)
    result = f.backtest(_load_table("Europe/London"), baselines=("naive",))
    for col in ("ds", "origin"):
        assert str(result.forecasts[col].dt.tz) == "Europe/London"
    assert set(result.forecasts["model"]) == {"lstm", "naive"}
