"""Holidays in the one-series Forecaster (rnnlab.forecast.holidays): Prophet's
add_country_holidays, Darts' add_holidays. Was: Forecaster(holidays='US') and
Forecaster(calendar=('holiday',), country='US') refused, pointing to the panel model."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError

pytest.importorskip("holidays")

TINY = dict(lookback=14, horizon=7, hidden_size=4, epochs=1, ensemble=1, progress=False,
            seed=0)
US = dict(calendar=("holiday",), country="US")


def spiky(years: int = 2) -> pd.Series:
    """Daily sales with a weekly cycle and +50 on every US public holiday."""
    import holidays

    dates = pd.date_range("2018-01-01", periods=365 * years, freq="D")
    cal = holidays.country_holidays("US", years=range(2018, 2018 + years + 1))
    hol = np.array([d in cal for d in dates.date], dtype=float)
    rng = np.random.default_rng(0)
    t = np.arange(len(dates))
    y = 100 + 10 * np.sin(2 * np.pi * t / 7) + 50 * hol + rng.normal(0, 1, len(t))
    return pd.Series(y, index=dates, name="sales")


def test_the_flags_are_the_dates_holidays_past_the_series_end_too():
    from rnnlab.data.series import load_series
    from rnnlab.forecast.holidays import flags_of

    s = load_series(pd.Series(np.arange(10.0), index=pd.date_range("2020-12-20", periods=10)))
    got = flags_of(s, 4, 10, "US")  # 2020-12-24 .. 2021-01-02: 6 dates inside, 4 after
    want = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]  # Christmas, New Year's day (after the data)
    assert got.tolist() == want


@pytest.mark.slow
@pytest.mark.parametrize("strategy", ["recursive", "direct", "seq2seq"])
def test_the_holidays_forecaster_hits_the_holiday_spikes_the_plain_one_misses(strategy):
    # (about 6 s on 2 cores) the plain network cannot know a date is a holiday; the
    # holiday-aware one reads it for the dates it forecasts
    s = spiky(3)
    cfg = dict(TINY, hidden_size=8, epochs=40, lr=0.02, horizon=14, test_size=120,
               select="network", strategy=strategy)
    is_holiday = Forecaster(**cfg, **US).config  # (the flags as the model reads them)
    from rnnlab.data.series import load_series
    from rnnlab.forecast.holidays import flags_of

    flags = flags_of(load_series(s), 0, len(s), is_holiday.country)
    errors = {}
    for name, extra in (("plain", {}), ("holidays", US)):
        f = Forecaster(**cfg, **extra).fit(s)
        on_holidays = []
        for o in range(len(s) - 120, len(s) - 14, 14):
            e = np.abs(f.forecast_from(s.values[:o], 14) - s.values[o:o + 14])
            on_holidays.append(e[flags[o:o + 14] == 1])
        errors[name] = np.concatenate(on_holidays)
    assert len(errors["plain"]) >= 3  # (Columbus day .. Christmas in the held-out end)
    assert errors["holidays"].mean() < 0.3 * errors["plain"].mean(), errors


@pytest.mark.parametrize("strategy", ["recursive", "direct", "seq2seq"])
def test_every_strategy_fits_validates_forecasts_and_backtests_with_holidays(strategy):
    s = spiky(1)
    f = Forecaster(**TINY, **US, strategy=strategy, refit=True).fit(s)
    net = f.net.members[0]
    assert net.flags > 0 and f.config.model_spec().input_size == 2  # a second input
    assert f.histories[0]["epochs"][0]["val_loss"] is not None  # validated on rollouts
    pred = f.predict(quantiles=(0.1, 0.9))
    assert pred.index[0] == s.index[-1] + pd.Timedelta(days=1) and len(pred) == 7
    assert np.isfinite(f.evaluate().loc["model"].to_numpy(np.float64)).all()
    with warnings.catch_warnings():  # (OlderHistoryWarning: ends before the series fitted)
        warnings.simplefilter("ignore")
        newer = f.predict(5, history=s.iloc[:-20])  # (the history's own dates read)
    assert newer.index[0] == s.index[-20] and len(newer) == 5
    res = f.backtest(horizon=7, first_origin=14, stride=7)
    assert set(res.forecasts["origin"].unique()) == {s.index[-15], s.index[-8]}


def test_a_saved_model_records_the_calendar_and_forecasts_the_same_when_loaded(tmp_path):
    import json

    f = Forecaster(**dict(TINY, ensemble=2), **US).fit(spiky(1))
    f.save(tmp_path / "m")
    saved = json.loads((tmp_path / "m" / "model.json").read_text())["config"]
    assert (saved["calendar"], saved["country"]) == (["holiday"], "US")
    g = Forecaster.load(tmp_path / "m")
    assert (g.config.calendar, g.config.country) == (("holiday",), "US")
    np.testing.assert_array_equal(g.predict(30).to_numpy(), f.predict(30).to_numpy())


def test_the_default_network_is_as_before():
    # no calendar: one input, no flag weights, the state dict's keys as before
    f = Forecaster(**TINY)
    assert (f.config.calendar, f.config.country) == ((), None)
    from rnnlab.forecast.net import build_net

    net = build_net(f.config)
    assert net.flags == 0 and f.config.model_spec().input_size == 1
    assert not any(k.startswith("cal.") for k in net.state_dict())


def test_the_holidays_setting_is_said_as_ours():
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError, match=r"'holidays' \(a country's public holidays, "
                       r"here: calendar=\('holiday',\), country='FR'\)"):
        Forecaster(holidays="FR")
    assert Forecaster(calendar="holiday", country="US").config.calendar == ("holiday",)


@pytest.mark.parametrize("settings, said", [
    (dict(calendar=("holiday",)), r"'holiday' needs country="),
    (dict(calendar=("month",), country="US"), r"reads 'holiday' only.*GlobalForecaster"),
    (dict(calendar=("holiday",), country=3), r"country must be a `holidays` country code"),
])
def test_calendar_settings_the_forecaster_cannot_read_are_refused(settings, said):
    with pytest.raises(DataError, match=said):
        Forecaster(**settings)


def test_series_without_dates_is_refused_with_holidays():
    f = Forecaster(**TINY, **US)
    with pytest.raises(DataError, match=r"reads each date's holidays.*no dates"):
        f.fit(spiky(1).to_numpy())
    assert f.net is None


def test_an_unknown_country_is_said_before_any_data_or_run_folder(tmp_path, capsys):
    from cli_run import run

    with pytest.raises(DataError, match=r"country 'XX' is not known"):
        Forecaster(**TINY, calendar=("holiday",), country="XX")  # (was: at fit, in training)
    data = _daily_csv(tmp_path / "d.csv")
    for country, said in ((["--country", "XX"], "country 'XX' is not known"),
                          ([], "'holiday' needs country= (--country: ")):
        out = tmp_path / "run"
        code, err = run(["forecast", "--data", data, "--date-column", "date", "--column",
                         "sales", "--calendar", "holiday", *country, "--out", str(out)], capsys)
        assert code != 0 and said in err and not out.exists(), err


def test_a_history_longer_than_its_dates_is_refused():
    f = Forecaster(**TINY, **US).fit(spiky(1))
    with pytest.raises(DataError, match=r"reads the dates of each value"):
        f.forecast_with("network", np.r_[f.series.values, 1.0, 2.0], 3)


def test_a_country_without_holiday_is_said_at_fit():
    from rnnlab.panel.covariate_checks import UnreadCountryWarning

    with pytest.warns(UnreadCountryWarning, match=r"country='US' is read only by calendar"):
        Forecaster(**TINY, country="US").fit(spiky(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreadCountryWarning)
        Forecaster(**TINY).fit(spiky(1))


def test_without_the_holidays_package_the_extra_is_named(monkeypatch):
    from rnnlab.extras import MissingExtraError

    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'rnnlab\[panel\]'"):
        Forecaster(**US)
    Forecaster()  # (the default needs no extra)


def _daily_csv(path) -> str:
    s = spiky(1)
    pd.DataFrame({"date": s.index.strftime("%Y-%m-%d"), "sales": s.to_numpy()}).to_csv(
        path, index=False)
    return str(path)


def test_the_command_trains_the_one_series_forecaster_with_holidays(tmp_path, capsys):
    # was: --calendar holiday on one series took the panel model (GlobalForecaster)
    import json

    from cli_run import run

    out = tmp_path / "run"
    code, err = run(["forecast", "--data", _daily_csv(tmp_path / "d.csv"), "--date-column",
                     "date", "--column", "sales", "--calendar", "holiday", "--country", "US",
                     "--lookback", "14", "--horizon", "7", "--epochs", "1", "--ensemble", "1",
                     "--hidden-size", "4", "--no-progress", "--out", str(out)], capsys)
    assert code == 0, err
    assert not (out / "panel.json").exists() and (out / "metrics.json").is_file()
    cfg = json.loads((out / "config.json").read_text())["config"]
    assert (cfg["calendar"], cfg["country"]) == (["holiday"], "US")
    saved = json.loads((out / "model" / "model.json").read_text())["config"]
    assert (saved["calendar"], saved["country"]) == (["holiday"], "US")
    again = Forecaster.load(out / "model")
    assert again.config.calendar == ("holiday",) and again.net.members[0].flags > 0


def test_other_calendar_features_on_one_series_still_take_the_panel_way(tmp_path):
    from rnnlab.cli import build_parser
    from rnnlab.panel.wants_panel import wants_panel

    data = _daily_csv(tmp_path / "d.csv")
    for cal, panel in (("holiday", False), ("holiday,month", True), ("dayofweek", True)):
        argv = ["forecast", "--data", data, "--calendar", cal, "--country", "US"]
        args = build_parser(argv).parse_args(argv)
        args.given_options = frozenset({"data", "calendar", "country"})
        assert wants_panel(args) is panel, cal


def test_a_training_part_without_any_holiday_is_refused():
    # its flag weights would stay as drawn: the first holiday ahead (here Martin Luther King
    # day, 2018-01-15, in the test part) moved the forecast by an untrained amount
    s = spiky(1)["2018-01-02":"2018-02-10"]  # (trains on Jan 2 .. Jan 13: no US holiday)
    with pytest.raises(DataError, match=r"no date the network trains on is a public holiday "
                                        r"of 'US'"):
        Forecaster(**dict(TINY, lookback=3, horizon=2), **US, val_size=0, test_size=28,
                   difference="none").fit(s)


def test_loading_a_holidays_model_without_the_package_names_the_extra(tmp_path, monkeypatch):
    from rnnlab.extras import MissingExtraError

    Forecaster(**TINY, **US).fit(spiky(1)).save(tmp_path / "m")
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'rnnlab\[panel\]'"):
        Forecaster.load(tmp_path / "m")
