"""Review of baselines33 (session 33): the fpp3 panel baselines mean, tslm and arima, and the
holiday counts per quarter or month."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import TSLM, read_panel

QS = pd.date_range("2000-01-01", periods=40, freq="QS")


def _panel(short) -> "object":
    """Series 'a' (``short``, quarterly) beside a long series 'b' that gives the dates'
    frequency."""
    rows = [pd.DataFrame({"unique_id": "a", "ds": QS[:len(short)], "y": short}),
            pd.DataFrame({"unique_id": "b", "ds": QS, "y": 10 + np.sin(np.arange(40.0))})]
    return read_panel(pd.concat(rows, ignore_index=True))


def _of(fc, uid="a"):
    return fc[fc["unique_id"] == uid]


def test_tslm_forecasts_a_single_value_as_its_level():
    # was 7.5, 10, 12.5 from the one value 5: least squares' minimum-norm blend of 1 and t
    pytest.importorskip("statsmodels")
    with pytest.warns(UserWarning, match="fewer than 5"):
        fc = _of(TSLM().fit(_panel([5.0])).predict(3))
    np.testing.assert_allclose(fc["mean"], 5.0)


@pytest.mark.parametrize("short", [[5.0], [5.0, 6.0, 4.0]])
def test_arima_gives_no_interval_from_fewer_than_five_values(short):
    # statsforecast's interval of one value had width 0 (q0.1 = q0.9 = 5), scored by the
    # backtest as any other: Mean and TSLM give none under 5 values, as the naive ones
    pytest.importorskip("statsforecast")
    from rnnlab.panel import ARIMA

    with pytest.warns(UserWarning, match="arima: 1 series with fewer than 5"):
        fc = ARIMA().fit(_panel(short)).predict(2)
    assert _of(fc)["q0.1"].isna().all() and _of(fc)["mean"].notna().all()
    assert _of(fc, "b")["q0.9"].gt(_of(fc, "b")["q0.1"]).all()  # (the long one's: kept)


@pytest.mark.parametrize("period", [0, True, 2.5, "4"])
def test_tslm_and_arima_refuse_a_period_that_is_no_season_length(period):
    # (one check for both: arima.py and tslm.py held the same lines)
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel import ARIMA

    for cls in (TSLM, ARIMA):
        with pytest.raises(ConfigError, match=f"{cls.__name__} period must be a whole number"):
            cls(period=period)
        assert cls(period=4).period == 4 and cls().period is None


def test_panel_config_stays_under_300_lines_with_its_counts_checked_as_before():
    # config.py passed 300 lines (303) with the holiday counts: its whole-number settings
    # moved to config_counts.py, still read from config
    from pathlib import Path

    from rnnlab.io.errors import SettingError
    from rnnlab.panel import PanelConfig
    from rnnlab.panel import config

    assert len(Path(config.__file__).read_text().splitlines()) < 300
    assert config.WHOLE["samples"] == 2 and config.MOST == 2 ** 63 - 1
    assert PanelConfig(hidden_size=8.0).hidden_size == 8
    with pytest.raises(SettingError, match="hidden_size must be a whole number"):
        PanelConfig(hidden_size=2.5)


def test_arma_is_said_apart_from_the_panels_arima(tmp_path, capsys):
    # `--model arma` was "unknown model 'arma'" (the architectures listed) once --model
    # arima ran on one series: the table's arma row and the panels' arima said apart
    from rnnlab.cli import main
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baseline_names import peer_hint

    assert "--model arima" in peer_hint("ARMA") and "ARMA(2, 1)" in peer_hint("arma")
    out = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--model", "arma", "--out", str(out)]) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert "--model arma: not a model here; 'arma' is a row of the one-series" in err, err
    assert "--model arima" in err and not out.exists()
    with pytest.raises(ConfigError, match=r"unknown baseline 'arma'.*'arima'"):
        backtest(None, "visnights", horizon=4, baselines=["arma"])


@pytest.mark.parametrize("freq, count", [("QS", "quarter_holidays"), ("QE", "quarter_holidays"),
                                         ("MS", "month_holidays"), ("ME", "month_holidays"),
                                         ("YS", None), ("QS-FEB", "quarter_holidays"),
                                         ("W-SUN", None)])
def test_the_coarse_flag_warning_names_a_count_only_where_the_steps_are_its_periods(freq, count):
    # yearly dates (Jan 1) were told to use quarter_holidays, which counts the first
    # quarter's holidays alone. Fiscal quarters (Feb 1, May 1, ...) were told to leave
    # it, as it counted calendar quarters; since session 34 it counts their own
    pytest.importorskip("holidays")
    from rnnlab.panel.coarse_holidays import CoarseHolidayWarning, warn_coarse_holidays

    ds = pd.date_range("2010-01-01", periods=12, freq=freq)
    with pytest.warns(CoarseHolidayWarning) as said:
        warn_coarse_holidays(("holiday",), ds, "US")
    text = str(said[0].message)
    if count:
        assert f"use the calendar feature {count!r}" in text
    else:
        assert "column of your own" in text and "use the calendar feature" not in text


def test_arima_refuses_a_history_too_short_for_its_fitted_orders():
    # statsforecast's ValueError "Not enough data to fit the model" escaped predict
    pytest.importorskip("statsforecast")
    from rnnlab.io.errors import DataError
    from rnnlab.panel import ARIMA, load_panel

    panel = load_panel("visnights")
    df = panel.df[panel.df["unique_id"] == panel.ids[1]][["unique_id", "ds", "y"]]
    fitted = ARIMA().fit(read_panel(df.reset_index(drop=True)))
    short = read_panel(df.head(3).reset_index(drop=True), freq="QS")
    with pytest.raises(DataError, match=r"a history of 3 values is too short for the "
                                        r"ARIMA\(\d,\d,\d\)\(\d,\d,\d\)\[4\] fitted on 76"):
        fitted.predict(4, history=short)
