"""``rnnlab backtest --calendar holiday --country US`` on one series fits the one-series
Forecaster (as ``rnnlab forecast`` does for the same input), a panel the panel model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("holidays")


def _csv(tmp_path, ids: bool = False):
    import holidays

    d = pd.date_range("2021-01-01", periods=420, freq="D")
    flags = np.array([x in holidays.US(years=[2021, 2022]) for x in d.date])
    y = 10 + np.sin(np.arange(len(d)) * 2 * np.pi / 7) + 30 * flags
    df = pd.DataFrame({"ds": d.strftime("%Y-%m-%d"), "y": y})
    if ids:
        df = pd.concat([df.assign(unique_id="a"), df.assign(unique_id="b", y=y + 1)])
    path = tmp_path / "daily.csv"
    df.to_csv(path, index=False)
    return str(path)


def _args(argv):
    from rnnlab.cli import build_parser, given_options

    args = build_parser(argv).parse_args(argv)
    args.given_options = given_options(argv)
    return args


@pytest.mark.parametrize("extra, one", [
    ([], True),  # one series, holidays: the one-series Forecaster
    (["--time-zone", "America/New_York"], True),  # (its time_zone too)
    (["--model", "seasonal_naive"], False),  # a baseline: the panel's
    (["--likelihood", "gaussian"], False),  # an option of the panel model alone
    (["--calendar", "holiday,month"], False),  # a feature the Forecaster lacks
])
def test_route_of_one_series(tmp_path, extra, one):
    from rnnlab.panel.holiday_backtest import one_series_holidays

    argv = ["backtest", "--data", _csv(tmp_path), "--model", "lstm", "--calendar",
            "holiday", "--country", "US", *extra]
    assert one_series_holidays(_args(argv)) is one


def test_a_panel_keeps_the_panel_model(tmp_path):
    from rnnlab.panel.holiday_backtest import one_series_holidays

    argv = ["backtest", "--data", _csv(tmp_path, ids=True), "--model", "lstm",
            "--calendar", "holiday", "--country", "US"]
    assert not one_series_holidays(_args(argv))


def test_config_is_the_forecasters_typed_options(tmp_path):
    from rnnlab.panel.holiday_backtest import series_config

    cfg = series_config(_args(["backtest", "--data", _csv(tmp_path), "--model", "gru",
                               "--calendar", "holiday", "--country", "US", "--horizon", "5",
                               "--epochs", "2", "--seed", "3"]))
    assert (cfg.model, cfg.horizon, cfg.epochs, cfg.seed) == ("gru", 5, 2, 3)
    assert cfg.calendar == ("holiday",) and cfg.country == "US"
    from rnnlab.forecast.config import ForecastConfig

    assert cfg.lookback == ForecastConfig().lookback  # (not PanelConfig's default)


@pytest.mark.parametrize("refit", ["1", "never"])
def test_the_backtests_refit_is_not_the_forecasters(tmp_path, refit):
    # --refit 1 (refit every origin) was put in ForecastConfig.refit (a bool: refit after
    # the choice) and refused: "ForecastConfig: refit must be True or False, got '1'"
    from rnnlab.panel.holiday_backtest import series_config

    cfg = series_config(_args(["backtest", "--data", _csv(tmp_path), "--model", "lstm",
                               "--calendar", "holiday", "--country", "US", "--refit", refit]))
    assert cfg.refit is False  # (ForecastConfig's default, as rnnlab forecast trains it)


def test_a_fill_the_forecaster_lacks_is_refused_with_its_own(tmp_path):
    # (was: "ForecastConfig: fill must be one of ('ffill', 'bfill', 'interpolate', 'drop')",
    # a class and a fill 'drop' the command does not take)
    from rnnlab.io.errors import OptionError
    from rnnlab.panel.holiday_backtest import series_config

    with pytest.raises(OptionError, match=r"^--fill zero: one series with --calendar holiday "
                                          r"backtests the one-series Forecaster .* by ffill "
                                          r"\| bfill \| interpolate; pass one of those"):
        series_config(_args(["backtest", "--data", _csv(tmp_path), "--model", "lstm",
                             "--calendar", "holiday", "--country", "US", "--fill", "zero"]))
    cfg = series_config(_args(["backtest", "--data", _csv(tmp_path), "--model", "lstm",
                               "--calendar", "holiday", "--country", "US", "--fill", "ffill"]))
    assert cfg.fill == "ffill"


def test_the_route_notes_missing_dates_as_forecast_does(tmp_path, capsys):
    # 3 missing days read as consecutive steps: rnnlab forecast notes it, the backtest of
    # the same one-series model said nothing (its fits silence the CalendarWarning)
    from rnnlab.panel.holiday_backtest import series_route

    path = _csv(tmp_path)
    rows = open(path).read().splitlines()
    del rows[100:103]
    open(path, "w").write("\n".join(rows) + "\n")
    series_route(_args(["backtest", "--data", path, "--model", "lstm", "--calendar",
                        "holiday", "--country", "US"]))
    err = capsys.readouterr().err
    assert f"rnnlab backtest: note: {path}: 3 dates of its 'D' calendar are missing" in err
    series_route(_args(["backtest", "--data", _csv(tmp_path), "--model", "lstm",
                        "--calendar", "holiday", "--country", "US"]))
    assert "are missing" not in capsys.readouterr().err  # (none missing: nothing said)


def test_the_route_says_when_its_fits_chose_a_baseline():
    # select='auto' (rnnlab forecast's) picked seasonal_naive at each fit of a daily series,
    # scored as "lstm" with nothing said: the network and its holidays were never scored
    from types import SimpleNamespace

    from rnnlab.panel.holiday_backtest import choice_note

    def fitted(method):
        return SimpleNamespace(forecaster=SimpleNamespace(choice={"method": method}))

    made = [fitted("seasonal_naive"), fitted("network"), fitted("seasonal_naive")]
    note = choice_note(made, "lstm", "auto")
    assert "select='auto'" in note and "seasonal_naive (2 of 3), network (1 of 3)" in note
    assert "the lstm rows score that choice" in note and "select='network'" in note
    assert choice_note([fitted("network")] * 2, "lstm", "auto") == ""


@pytest.mark.slow
def test_cli_backtest_fits_the_one_series_forecaster(tmp_path, capsys):
    from rnnlab.cli import main

    out = tmp_path / "bt"
    code = main(["backtest", "--data", _csv(tmp_path), "--model", "lstm", "--calendar",
                 "holiday", "--country", "US", "--horizon", "7", "--first-origin", "14",
                 "--epochs", "1", "--hidden-size", "4", "--ensemble", "1", "--baselines",
                 "naive", "--plot-series", "0", "--no-progress", "--out", str(out)])
    assert code == 0
    saved = json.loads((out / "config.json").read_text())["config"]["model_config"]
    assert saved["strategy"] == "recursive" and "likelihood" not in saved  # ForecastConfig
    assert saved["calendar"] == ["holiday"] and saved["country"] == "US"
    assert saved["lookback"] == 14  # (whole weeks, as rnnlab forecast sizes it)
    fc = pd.read_csv(out / "forecasts.csv")
    assert set(fc["model"]) == {"lstm", "naive"} and len(fc) == 2 * 14
    assert pd.Timestamp(fc["ds"].max()) == pd.Timestamp("2022-02-24")
    assert "lstm: the one-series Forecaster forecasts with" in capsys.readouterr().err

