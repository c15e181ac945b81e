"""A trading week closed on a country's public holidays: ``weekmask="Mon Tue Wed Thu Fri
holidays=US"`` (one-series and panel, ``--weekmask``). Before, a file's trading days (no
freq) could only be read as business days with the holidays as gaps: forecasts fell on
Christmas and July 4th (a CustomBusinessDay index alone carried holidays)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError

pytest.importorskip("holidays")

T = "Mon Tue Wed Thu Fri holidays=US"
US_2023 = ["2023-06-19", "2023-07-04", "2023-09-04", "2023-10-09", "2023-11-10",
           "2023-11-23", "2023-12-25"]


def _trading(start="2023-06-01", end="2023-12-20"):
    """NYSE-like days: Mon-Fri without the US public holidays, dates without a freq."""
    days = pd.bdate_range(start, end)
    return pd.DatetimeIndex(days[~days.strftime("%Y-%m-%d").isin(
        US_2023 + ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19",
                   "2024-07-04"])].to_numpy())


def _series(idx):
    return pd.Series(100 + np.cumsum(np.random.default_rng(0).normal(0, 1, len(idx))),
                     index=idx, name="close")


def test_the_clause_is_read_and_checked():
    from rnnlab.data.closed_holidays import split_week
    from rnnlab.data.open_days import week_mask
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.io.errors import SettingError
    from rnnlab.panel import PanelConfig

    assert split_week("Mon Tue Wed Thu Fri, holidays=au-vic") == ("Mon Tue Wed Thu Fri",
                                                                   "AU-VIC")
    assert split_week("1111100") == ("1111100", None)
    assert week_mask(T) == "Mon Tue Wed Thu Fri"
    for cls in (ForecastConfig, PanelConfig):
        with pytest.raises(SettingError, match=r"holidays='' names no country; expected a "
                                               r"code of the `holidays` package"):
            cls(weekmask="Mon Tue Wed Thu Fri holidays=")
        assert cls(weekmask=T).weekmask == T


def test_a_series_on_the_trading_week_forecasts_past_the_holidays(tmp_path):
    from rnnlab.forecast import Forecaster

    s = _series(_trading())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(hidden_size=4, epochs=1, horizon=6, lookback=10, progress=False,
                       weekmask=T).fit(s)
    assert f.series.freq == "C" and f.series.gaps == 0 and f.period == 5
    assert "2023-12-25" in f.series.calendar["holidays"]
    got = f.predict(6)
    assert list(got.index.strftime("%m-%d")) == ["12-21", "12-22", "12-26", "12-27", "12-28",
                                                 "12-29"]
    f.save(tmp_path / "m")
    pd.testing.assert_series_equal(Forecaster.load(tmp_path / "m").predict(6), got)
    on_holiday = _series(pd.DatetimeIndex(sorted(set(_trading()) | {pd.Timestamp("2023-07-04")})))
    with pytest.raises(DataError, match=r"1 of its dates are not open days of that week"):
        Forecaster(weekmask=T).fit(on_holiday)


def test_without_the_holidays_package_the_extra_is_named(monkeypatch):
    import importlib.util

    from rnnlab.data.series import load_series

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "holidays" else real(name, *a))
    with pytest.raises(DataError, match=r"closes the public holidays of US, read from the "
                                        r"`holidays` package, which is not installed: pip "
                                        r"install 'rnnlab\[panel\]'"):
        load_series(_series(_trading()), weekmask=T)


def test_a_panel_on_the_trading_week():
    from rnnlab.panel import GlobalForecaster, read_panel

    idx = _trading()
    df = pd.concat([pd.DataFrame({"unique_id": k, "ds": idx, "y": _series(idx).to_numpy() + i})
                    for i, k in enumerate("ab")])
    p = read_panel(df, weekmask=T)
    assert p.period == 5 and "35 holidays closed" in repr(p)
    with pytest.raises(DataError, match=r"missing from every series of this business-day "
                                        r"\('C' \(open Mon Tue Wed Thu Fri\)\) calendar "
                                        r"\(holidays\?\): weekmask='Mon Tue Wed Thu Fri "
                                        r"holidays=US'"):
        read_panel(df, weekmask="Mon Tue Wed Thu Fri")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = GlobalForecaster(hidden_size=4, head_size=4, lookback=10, horizon=6, epochs=1,
                             batches_per_epoch=2, batch_size=16, weekmask=T).fit(df)
        got = f.predict(6)
        assert list(got["ds"].iloc[:6].dt.strftime("%m-%d")) == [
            "12-21", "12-22", "12-26", "12-27", "12-28", "12-29"]
        later = _trading(end="2024-06-28")  # (newer data: its own years' holidays)
        hist = pd.concat([pd.DataFrame({"unique_id": k, "ds": later,
                                        "y": _series(later).to_numpy()}) for k in "ab"])
        ahead = f.predict(6, history=hist)["ds"].iloc[:6].dt.strftime("%m-%d").tolist()
    assert ahead == ["07-01", "07-02", "07-03", "07-05", "07-08", "07-09"]


NYSE_2023 = ["2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29",
             "2023-06-19", "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25"]


def _nyse(start="2023-01-03", end="2023-12-20"):
    """NYSE's trading days of 2023: open on Columbus Day (10-09) and Veterans Day (11-10),
    US public holidays; closed on Good Friday (04-07), which is none."""
    days = pd.bdate_range(start, end)
    return pd.DatetimeIndex(days[~days.strftime("%Y-%m-%d").isin(NYSE_2023)].to_numpy())


def test_a_market_calendar_is_named_by_its_code():
    """``holidays=NYSE`` was refused ("names no country"): only a country's public
    holidays could close the week, and NYSE data read on ``holidays=US`` was refused for
    Columbus Day as "not open days of Mon Tue Wed Thu Fri", the holiday unnamed."""
    from rnnlab.data.series import load_series
    from rnnlab.panel import read_panel

    s = _series(_nyse())
    for code in ("NYSE", "xnys"):
        got = load_series(s, weekmask=f"Mon Tue Wed Thu Fri holidays={code}")
        assert got.freq == "C" and got.gaps == 0 and "2023-04-07" in got.calendar["holidays"]
        assert "2023-10-09" not in got.calendar["holidays"]
    said = (r"2 of them \(2023-10-09, 2023-11-10\) are holidays that {} closes: drop those "
            r"rows \(blank ones: a series' fill='drop' leaves them out\), or, where the data "
            r"has values on them, it keeps another calendar: name it \(a market's: "
            r"holidays=NYSE")
    with pytest.raises(DataError, match=said.format("holidays=US")):
        load_series(s, weekmask=T)
    df = pd.DataFrame({"unique_id": "a", "ds": s.index, "y": s.to_numpy()})
    assert read_panel(df, weekmask="1111100 holidays=NYSE").period == 5
    with pytest.raises(DataError, match=said.format("its week")):
        read_panel(df, weekmask=T)


def test_a_panel_read_without_the_clause_is_refused_by_a_model_with_it():
    """``GlobalForecaster(weekmask="... holidays=US").fit(read_panel(df, weekmask="Mon Tue
    Wed Thu Fri", fill="ffill"))``: the clause was dropped without a word, the forecasts
    dated on Christmas."""
    from rnnlab.panel import GlobalForecaster, read_panel

    idx = _trading()
    df = pd.concat([pd.DataFrame({"unique_id": k, "ds": idx, "y": _series(idx).to_numpy()})
                    for k in "ab"])
    plain = read_panel(df, weekmask="Mon Tue Wed Thu Fri", fill="ffill")
    with pytest.raises(DataError, match=r"the panel given was read on 'C' \(open Mon Tue Wed "
                                        r"Thu Fri\), open on \d+ holidays its clause closes "
                                        r"\(2023-01-02, 2023-01-16, 2023-02-20 \.\.\.\); read "
                                        r"it on that week \(read_panel\(\.\.\., weekmask='Mon "
                                        r"Tue Wed Thu Fri holidays=US'\)\)"):
        GlobalForecaster(weekmask=T, epochs=1, hidden_size=4, head_size=4).fit(plain)
    from rnnlab.panel.week_freq import refuse_other_week

    refuse_other_week(read_panel(df, weekmask=T), T)  # (read with it: taken)


def test_a_forecast_past_the_years_read_skips_their_holidays(tmp_path):
    """The clause's holidays are read for the data's years and the two after: a forecast
    of 600 trading days from 2023 (a saved model's too) was dated on 2026-01-01 and
    2026-01-19 (New Year's Day, Martin Luther King Jr. Day)."""
    from rnnlab.forecast import Forecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(hidden_size=4, epochs=1, horizon=6, lookback=10, progress=False,
                       weekmask=T).fit(_series(_trading()))
    f.save(tmp_path / "m")
    for model in (f, Forecaster.load(tmp_path / "m")):
        days = model.predict(600).index.strftime("%Y-%m-%d")
        assert days[-1] > "2026-02-16" and len(days) == 600
        assert not {"2024-07-04", "2025-12-25", "2026-01-01", "2026-01-19",
                    "2026-02-16"} & set(days)
        assert list(model.predict(6).index.strftime("%Y-%m-%d")) == list(days[:6])


def test_a_file_blank_on_the_holidays_is_pointed_to_fill_drop():
    """A file of every weekday blank on the holidays (FRED's): its NaNs were pointed to
    fill='ffill', which filled them, then refused as rows on closed holidays."""
    from rnnlab.data.series import load_series

    days = pd.bdate_range("2023-06-01", "2023-12-20")
    values = np.where(days.strftime("%Y-%m-%d").isin(US_2023), np.nan, 1.0 + np.arange(len(days)))
    s = pd.Series(values, index=pd.DatetimeIndex(days.to_numpy()), name="dgs10")
    with pytest.raises(DataError, match=r"blank rows on days weekmask='Mon Tue Wed Thu Fri "
                                        r"holidays=US' closes \(its holidays, the weekdays it "
                                        r"leaves out\) are no values: fill='drop' \(--fill "
                                        r"drop\) leaves them out"):
        load_series(s, weekmask=T)
    got = load_series(s, weekmask=T, fill="drop")
    assert got.freq == "C" and got.gaps == 0 and len(got) == len(days) - 6
    with pytest.raises(DataError, match=r"pass fill='ffill' \(--fill ffill\) or clean the "
                                        r"data$"):  # (no weekmask: said as before)
        load_series(s)
