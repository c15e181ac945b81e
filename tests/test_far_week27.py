"""A panel on a week closed on a country's holidays ('... holidays=US') forecasting past
the data's years and the two after them closes those years' holidays too (the week read
with the data held them only so far: 2026-01-01 was forecast from 2023's data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

holidays = pytest.importorskip("holidays")

WEEK = "Mon Tue Wed Thu Fri holidays=US"
NEW_YEAR = pd.Timestamp("2026-01-01")  # (a Thursday, in the data's last year + 3)


def _long(tmp_path=None):
    grid = pd.bdate_range("2021-01-04", "2023-12-29", freq="C", weekmask="Mon Tue Wed Thu Fri",
                          holidays=[str(d) for d in holidays.US(years=[2021, 2022, 2023])])
    df = pd.DataFrame({"unique_id": "a", "ds": grid, "y": np.arange(len(grid), dtype=float)})
    if tmp_path is None:
        return df
    df.assign(ds=grid.strftime("%Y-%m-%d")).to_csv(tmp_path / "long.csv", index=False)
    return str(tmp_path / "long.csv")


def test_far_week_closes_the_years_a_long_forecast_reaches():
    from rnnlab.data.closed_holidays import far_week
    from rnnlab.panel.week_freq import week_freq

    df = _long()
    freq = week_freq(WEEK, dates=df["ds"])
    last = df["ds"].max()
    assert NEW_YEAR in pd.date_range(last, periods=521, freq=freq)  # (as read: to 2025)
    far = far_week(freq, WEEK, last, 520)
    dates = pd.date_range(last, periods=521, freq=far)
    assert NEW_YEAR not in dates and pd.Timestamp("2026-01-19") not in dates  # (MLK day)
    assert far_week(freq, WEEK, last, 200) is freq  # (within the years read: as it is)
    assert far_week(freq, "Mon Tue Wed Thu Fri", last, 520) is freq  # (no clause)


def test_far_panel_keeps_a_panel_without_a_far_horizon():
    from rnnlab.panel import read_panel
    from rnnlab.panel.week_freq import far_panel

    panel = read_panel(_long(), weekmask=WEEK)
    assert far_panel(panel, WEEK, 10) is panel and far_panel(panel, None, 520) is panel
    assert NEW_YEAR not in pd.date_range(panel.df["ds"].max(), periods=521,
                                         freq=far_panel(panel, WEEK, 520).freq)


@pytest.mark.slow
def test_global_forecaster_skips_the_far_years_holidays():
    from rnnlab.panel import GlobalForecaster

    m = GlobalForecaster("lstm", lookback=5, horizon=520, difference="none", val_size=0,
                         weekmask=WEEK, epochs=1, batches_per_epoch=1, hidden_size=4,
                         progress=False, seed=0).fit(_long())
    ds = pd.DatetimeIndex(m.predict()["ds"])
    assert len(ds) == 520 and ds[-1] == pd.Timestamp("2026-01-29")
    assert NEW_YEAR not in ds and pd.Timestamp("2026-01-02") in ds


@pytest.mark.slow
def test_cli_baseline_forecast_skips_the_far_years_holidays(tmp_path):
    from rnnlab.cli import main

    out = tmp_path / "fc"
    assert main(["forecast", "--data", _long(tmp_path), "--weekmask", WEEK, "--model",
                 "naive", "--horizon", "520", "--no-progress", "--out", str(out)]) == 0
    ds = pd.DatetimeIndex(pd.read_csv(out / "forecasts.csv")["ds"])
    assert len(ds) == 520 and NEW_YEAR not in ds and ds[-1] == pd.Timestamp("2026-01-29")


def _grid(end, years):
    return pd.bdate_range("2021-01-04", end, freq="C", weekmask="Mon Tue Wed Thu Fri",
                          holidays=[str(d) for d in holidays.US(years=years)])


def test_far_week_reads_the_years_past_those_the_week_closes():
    # a model's week closes its fit's years and the two after (to 2025): forecasts after a
    # newer history ending in December 2025 reach 2026, within that history's + 2, and
    # fell on New Year's Day (the threshold was the history's last year + 2)
    from rnnlab.data.closed_holidays import far_week
    from rnnlab.panel.week_freq import week_freq

    freq = week_freq(WEEK, dates=_long()["ds"])
    last = pd.Timestamp("2025-12-10")
    dates = pd.date_range(last, periods=21, freq=far_week(freq, WEEK, last, 20))
    assert dates[-1].year == 2026 and NEW_YEAR not in dates
    assert pd.Timestamp("2025-12-25") not in dates  # (the week's own holidays kept)
    assert far_week(freq, WEEK, pd.Timestamp("2025-06-02"), 20) is freq  # (within 2025)


@pytest.mark.slow
def test_a_newer_history_forecasts_skip_the_holidays_past_the_fits_years():
    from rnnlab.panel import GlobalForecaster

    m = GlobalForecaster("lstm", lookback=5, horizon=20, difference="none", val_size=0,
                         weekmask=WEEK, epochs=1, batches_per_epoch=1, hidden_size=4,
                         progress=False, seed=0).fit(_long())
    for end, holiday in (("2025-12-10", NEW_YEAR), ("2026-06-10", "2026-07-03")):
        grid = _grid(end, list(range(2021, int(end[:4]) + 1)))
        history = pd.DataFrame({"unique_id": "a", "ds": grid,
                                "y": np.arange(len(grid), dtype=float)})
        ds = pd.DatetimeIndex(m.predict(history=history)["ds"])
        assert len(ds) == 20 and pd.Timestamp(holiday) not in ds
        assert ds[0] > pd.Timestamp(end)
