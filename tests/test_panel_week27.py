"""A panel read on a week whose clause names holidays ('... holidays=US') keeps that clause
(``PanelFrame.week``) through its cuts and selections, and the library baselines forecasting
past the data's years and the two after close those years' holidays too: ``Naive().fit(
read_panel(df, weekmask=...)).predict(520)`` of data ending 2023-12 fell on 2026-01-01."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

holidays = pytest.importorskip("holidays")

WEEK = "Mon Tue Wed Thu Fri holidays=US"
NEW_YEAR = pd.Timestamp("2026-01-01")  # (a Thursday, in the data's last year + 3)
NAMES = ["naive", "seasonal_naive", "croston", "sba", "tsb",
         pytest.param("ets", marks=pytest.mark.slow)]  # (a statsmodels fit: ~5 s)


def _long():
    grid = pd.bdate_range("2023-01-03", "2023-12-29", freq="C", weekmask="Mon Tue Wed Thu Fri",
                          holidays=[str(d) for d in holidays.US(years=[2023])])
    y = 10 + np.sin(np.arange(len(grid))) + np.arange(len(grid)) % 5
    return pd.DataFrame({"unique_id": "a", "ds": grid, "y": y})


def _baseline(name):
    from rnnlab.panel.baselines import BASELINES

    if name == "ets":
        pytest.importorskip("statsmodels")
    return BASELINES[name](quantiles=(0.1, 0.9))


@pytest.mark.parametrize("name", NAMES)
def test_a_baseline_skips_the_far_years_holidays(name):
    from rnnlab.panel import read_panel

    panel = read_panel(_long(), weekmask=WEEK)
    assert NEW_YEAR in pd.date_range(panel.df["ds"].max(), periods=521, freq=panel.freq)
    ds = pd.DatetimeIndex(_baseline(name).fit(panel).predict(520)["ds"])
    assert len(ds) == 520 and NEW_YEAR not in ds and pd.Timestamp("2026-01-19") not in ds
    assert ds[-1] == pd.Timestamp("2026-01-29") and pd.Timestamp("2026-01-02") in ds
    assert pd.Timestamp("2024-07-04") not in ds  # (the years read with it: as before)


def test_the_week_goes_with_cuts_selections_and_histories():
    from rnnlab.panel import read_panel
    from rnnlab.panel.baselines import Naive

    df = pd.concat([_long(), _long().assign(unique_id="b")], ignore_index=True)
    panel = read_panel(df, weekmask=WEEK)
    assert panel.week == WEEK
    cut = panel.cut(20)
    assert cut.week == WEEK and panel.with_df(panel.df[panel.df["unique_id"] == "b"]).week == WEEK
    out = Naive().fit(cut).predict(520, history=panel)  # (the history's clause)
    ds = pd.DatetimeIndex(out["ds"])
    assert len(ds) == 1040 and NEW_YEAR not in ds and ds.max() == pd.Timestamp("2026-01-29")
    ds = pd.DatetimeIndex(Naive().fit(cut).predict(540)["ds"])
    assert NEW_YEAR not in ds  # (from the cut's end, also past 2025)


def test_a_panel_without_a_clause_forecasts_as_before():
    from rnnlab.panel import read_panel
    from rnnlab.panel.baselines import Naive

    grid = pd.bdate_range("2023-01-02", "2023-12-29")
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": grid, "y": 1.0 + np.arange(len(grid))}))
    assert panel.week is None
    ds = pd.DatetimeIndex(Naive().fit(panel).predict(600)["ds"])
    assert ds.equals(pd.date_range(grid[-1], periods=601, freq=panel.freq)[1:])
    week = read_panel(pd.DataFrame({"unique_id": "a", "ds": grid, "y": 1.0}),
                      weekmask="Mon Tue Wed Thu Fri")  # (a week, no holidays)
    assert week.week == "Mon Tue Wed Thu Fri"
    ds = pd.DatetimeIndex(Naive().fit(week).predict(600)["ds"])
    assert ds.equals(pd.date_range(week.df["ds"].max(), periods=601, freq=week.freq)[1:])


def _history():
    grid = pd.bdate_range("2023-01-03", "2025-12-15", freq="C", weekmask="Mon Tue Wed Thu Fri",
                          holidays=[str(d) for d in holidays.US(years=[2023, 2024, 2025])])
    return pd.DataFrame({"unique_id": "a", "ds": grid, "y": 10.0 + np.arange(len(grid)) % 5})


def _fitted():
    from rnnlab.panel import GlobalForecaster, read_panel

    return GlobalForecaster("lstm", lookback=5, horizon=20, difference="none", val_size=0,
                            epochs=1, batches_per_epoch=1, hidden_size=4, progress=False,
                            seed=0).fit(read_panel(_long(), weekmask=WEEK))


@pytest.mark.slow
def test_a_model_fitted_on_a_clause_panel_keeps_its_clause(tmp_path):
    # configured without weekmask=, fitted on a panel read with one: a newer history's
    # forecasts (to 2026) fell on New Year's Day, and so after a save and load
    import dataclasses

    from rnnlab.panel import GlobalForecaster, read_panel

    m = _fitted()
    assert m.config.weekmask is None and m.week == WEEK
    history = dataclasses.replace(read_panel(_history(), weekmask=WEEK), week=None)
    ds = pd.DatetimeIndex(m.predict(history=history)["ds"])
    assert len(ds) == 20 and ds[-1].year == 2026 and NEW_YEAR not in ds
    m.save(tmp_path / "m")
    loaded = GlobalForecaster.load(tmp_path / "m")
    assert loaded.week == WEEK
    ds = pd.DatetimeIndex(loaded.predict(history=history)["ds"])
    assert NEW_YEAR not in ds and ds[-1].year == 2026


def test_a_clause_models_load_warns_of_another_holidays_release(tmp_path, monkeypatch):
    # its clause reads the holidays of the years its forecasts reach past the saved ones
    # from the package, as calendar=('holiday',) reads each date's
    import json
    import warnings

    import rnnlab.panel.holidays_release as release
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.holidays_release import HolidaysReleaseWarning

    _fitted().save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["week"] == WEEK and "holidays" in meta["extra"]["packages"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", HolidaysReleaseWarning)
        GlobalForecaster.load(tmp_path / "m")  # the same release: nothing said
    monkeypatch.setattr(release, "installed_release", lambda: "99.1")
    with pytest.warns(HolidaysReleaseWarning, match="'US'.*holidays 99.1"):
        GlobalForecaster.load(tmp_path / "m")


def test_a_one_series_clause_models_load_warns_of_another_holidays_release(
        tmp_path, monkeypatch):
    import rnnlab.panel.holidays_release as release
    from rnnlab.forecast import Forecaster
    from rnnlab.panel.holidays_release import HolidaysReleaseWarning

    df = _long()
    s = pd.Series(df["y"].to_numpy(), index=pd.DatetimeIndex(df["ds"]), name="sales")
    Forecaster(lookback=10, horizon=5, hidden_size=4, epochs=1, ensemble=1, progress=False,
               seed=0, select="network", weekmask=WEEK).fit(s).save(tmp_path / "m")
    monkeypatch.setattr(release, "installed_release", lambda: "99.1")
    with pytest.warns(HolidaysReleaseWarning, match="'US'"):
        Forecaster.load(tmp_path / "m")


def test_a_damaged_saved_clause_is_refused():
    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel.panel_week import saved_week

    assert saved_week({}, "m") is None and saved_week(None, "m") is None  # (older saves)
    assert saved_week({"week": WEEK}, "m") == WEEK
    for bad in (5, "Mon Funday"):
        with pytest.raises(CheckpointError, match="extra.week"):
            saved_week({"week": bad}, "m/model.json")


def test_a_local_clause_model_keeps_its_clause_after_a_load(tmp_path):
    # local=True: each series' model forecasts; loaded, theirs had lost the clause, and a
    # newer history's forecasts fell on New Year's Day 2026
    import dataclasses

    from rnnlab.panel import GlobalForecaster, read_panel

    m = GlobalForecaster("lstm", lookback=5, horizon=20, difference="none", val_size=0,
                         local=True, epochs=1, batches_per_epoch=1, hidden_size=4,
                         progress=False, seed=0).fit(read_panel(_long(), weekmask=WEEK))
    history = dataclasses.replace(read_panel(_history(), weekmask=WEEK), week=None)
    before = m.predict(history=history)
    m.save(tmp_path / "m")
    loaded = GlobalForecaster.load(tmp_path / "m")
    assert [s.week for s in loaded.local.values()] == [WEEK]
    after = loaded.predict(history=history)
    ds = pd.DatetimeIndex(after["ds"])
    assert NEW_YEAR not in ds and ds[-1].year == 2026
    pd.testing.assert_frame_equal(after, before)
