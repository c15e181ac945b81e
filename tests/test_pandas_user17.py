"""A pandas user's sweep of the Python API (session 17): a Series indexed by (id, date)
levels, the index' name, a plain Series given to the panel models, and what a fitted
model, a panel and a backtest show in a notebook."""

import re

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

FAST = dict(epochs=2, ensemble=1, hidden_size=4, progress=False)


def _monthly(n=60, name="sales"):
    t = np.arange(n)
    idx = pd.date_range("2015-01-01", periods=n, freq="MS", name="month")
    return pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), index=idx, name=name)


def _long(ids=("a", "b"), n=30):
    d = pd.date_range("2020-01-01", periods=n, freq="D")
    return pd.DataFrame({"unique_id": np.repeat(list(ids), n), "ds": np.tile(d, len(ids)),
                         "y": np.arange(len(ids) * n, dtype=float) ** 1.2})


@pytest.fixture(scope="module")
def fitted():
    return Forecaster(lookback=12, horizon=6, **FAST).fit(_monthly())


# ---------------------------------------------------------------- (id, date) levels
@pytest.mark.parametrize("form", ["series", "frame", "date_level_first"])
def test_a_series_indexed_by_id_and_date_levels_of_several_series_is_refused(form):
    """It was read as one series of 60 values, the two series joined end to end, its dates
    dropped (forecasts numbered 60, 61, ...)."""
    long = _long()
    data = {"series": long.set_index(["unique_id", "ds"])["y"],
            "frame": long.set_index(["unique_id", "ds"]),
            "date_level_first": long.set_index(["ds", "unique_id"])["y"]}[form]
    with pytest.raises(DataError, match="long table of 2 series.*GlobalForecaster"):
        load_series(data)


@pytest.mark.parametrize("uid", ["a", 7])
def test_a_series_indexed_by_one_id_and_its_dates_keeps_the_dates(uid):
    """One series' rows of such a table (an int id too): dated by its date level (they were
    lost: no period, forecasts numbered by step)."""
    long = _long(ids=(uid,))
    s = load_series(long.set_index(["unique_id", "ds"])["y"])
    assert s.freq == "D" and (s.index == pd.DatetimeIndex(long["ds"])).all()
    np.testing.assert_array_equal(s.values, long["y"].to_numpy())
    unnamed = long.set_index(["unique_id", "ds"])["y"].rename(None).rename_axis([None, None])
    assert load_series(unnamed).freq == "D"


# ---------------------------------------------------------------- the index' name
def test_predict_keeps_the_name_of_the_dates_index_also_after_save_and_load(fitted, tmp_path):
    """predict() gave an unnamed index where evaluate().forecasts kept ``month``."""
    assert fitted.predict(3).index.name == "month"
    assert fitted.predict(3, quantiles=(0.1, 0.9)).index.name == "month"
    fitted.save(tmp_path / "m")
    back = Forecaster.load(tmp_path / "m").predict(3)
    assert back.index.name == "month"
    pd.testing.assert_series_equal(back, fitted.predict(3))


# ---------------------------------------------------------------- a Series for the panel
def test_the_panel_models_read_a_pandas_series_as_one_series():
    """GlobalForecaster.fit(series) was refused ("expected a panel ...; got Series") where
    the same series as a one-column frame, or in a dict, was read."""
    from rnnlab.panel.frame import as_panel

    s = _monthly()
    for given in (read_panel(s), as_panel(s)):
        assert given.ids == ("sales",) and given.freq == "MS" and given.period == 12
        np.testing.assert_array_equal(given.df["y"].to_numpy(), s.to_numpy())
    assert read_panel(s.rename(None)).ids == ("y",)
    periods = read_panel(s.to_period("M"))
    assert periods.ds_period == "M"
    steps = read_panel(s.reset_index(drop=True).set_axis(pd.RangeIndex(1, 61)))
    assert list(steps.given()["ds"]) == list(range(1, 61))  # integer time steps


def test_the_panel_models_read_a_series_indexed_by_id_and_date_as_a_long_table():
    long = _long()
    p = read_panel(long.set_index(["unique_id", "ds"])["y"])
    pd.testing.assert_frame_equal(p.df[["unique_id", "ds", "y"]].reset_index(drop=True),
                                  read_panel(long).df[["unique_id", "ds", "y"]])


def test_the_global_forecaster_fits_and_predicts_a_series():
    from rnnlab.panel import GlobalForecaster

    s = _monthly(48)
    f = GlobalForecaster(lookback=6, horizon=3, epochs=1, batches_per_epoch=1, batch_size=8,
                         hidden_size=4).fit(s)
    out = f.predict(3)
    assert list(out["unique_id"].unique()) == ["sales"]
    assert list(out["ds"]) == list(pd.date_range("2019-01-01", periods=3, freq="MS"))


# ---------------------------------------------------------------- reprs
def test_a_forecaster_shows_its_settings_and_what_it_was_fitted_on(fitted):
    """Its repr was ``<rnnlab.forecast.forecaster.Forecaster object at 0x...>``."""
    assert repr(Forecaster()) == "Forecaster(not fitted)"
    assert repr(Forecaster("gru", lookback=24, hidden_size=8)) == \
        "Forecaster(model='gru', hidden_size=8, lookback=24; not fitted)"
    text = repr(fitted)
    assert text.startswith("Forecaster(hidden_size=4, horizon=6, epochs=2, ensemble=1, "
                           "progress=False; fitted on ")
    assert "fitted on 'sales': 60 values, 2015-01-01 .. 2019-12-01 (MS)" in text
    assert f"predicts with {fitted.choice['method']}" in text and "\n" not in text


def test_a_global_forecaster_shows_its_settings_and_state():
    from rnnlab.panel import GlobalForecaster

    assert repr(GlobalForecaster()) == "GlobalForecaster(not fitted)"
    assert repr(GlobalForecaster(lookback=8, quantiles=(0.05, 0.5, 0.95))) == \
        "GlobalForecaster(lookback=8, quantiles=(0.05, 0.5, 0.95); not fitted)"


def test_a_fitted_global_forecaster_shows_its_series():
    """repr of a fitted GlobalForecaster raised NameError: ``ID`` (its series count) was
    no longer imported in panel/model.py after the scale merge kept its tail by
    series_blocks."""
    from rnnlab.panel import GlobalForecaster

    g = GlobalForecaster(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=1,
                         batch_size=8, lookback=6, horizon=2, patience=None)
    text = repr(g.fit(read_panel(_long())))
    assert text.startswith("GlobalForecaster(") and text.endswith("fitted on 2 series)")


def test_a_panel_and_a_backtest_show_a_summary_not_their_tables():
    """A PanelFrame's repr (a dataclass') printed its whole table, cut by pandas."""
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import Naive

    p = read_panel(_long())
    assert repr(p) == ("PanelFrame(2 series, 60 rows, 2020-01-01 .. 2020-01-30, freq 'D', "
                       "period 7, covariates []; .df: the table)")
    steps = read_panel(pd.DataFrame({"unique_id": "a", "ds": range(1, 21),
                                     "y": np.arange(20.0)}))
    assert "steps 1 .. 20" in repr(steps)
    res = backtest(Naive, p, horizon=2, first_origin=4, stride=2, baselines=())
    text = repr(res)
    assert text.startswith("BacktestResult(models ['model'], 2 series, horizon 2, origins "
                           "2020-01-26, 2020-01-28 (4, 2 steps before the panel's last date; "
                           "every series cut at each, align='date')") and "\n" not in text, text


# ---------------------------------------------------------------- missing dates (NaT)
@pytest.mark.parametrize("form", ["index", "series_index", "column", "empty_text"])
def test_a_missing_date_is_named_not_a_pandas_attribute_error(form):
    """A NaT among the dates (an empty date cell) gave "cannot be used as a series
    (AttributeError: 'NaTType' object has no attribute 'normalize')"."""
    idx = pd.date_range("2020-01-01", periods=40, freq="D").insert(5, pd.NaT)[:40]
    df = pd.DataFrame({"date": idx, "y": np.arange(40.0)})
    data = {"index": df.set_index("date"), "series_index": df.set_index("date")["y"],
            "column": df,
            "empty_text": df.assign(date=df["date"].astype(str).replace("NaT", ""))}[form]
    what = "the index" if "index" in form else "date column 'date'"
    with pytest.raises(DataError, match=f"{what} has 1 missing dates .NaT, data rows 6."):
        load_series(data)


# ---------------------------------------------------------------- copying an evaluation
def test_a_copy_of_an_evaluation_keeps_its_details_and_forecasts(fitted):
    """``ev.copy()`` and ``copy.deepcopy(ev)`` gave plain DataFrames: ``["choice"]`` was a
    KeyError and ``.forecasts`` gone (pickle kept them)."""
    import copy

    ev = fitted.evaluate()
    for other in (ev.copy(), copy.deepcopy(ev), ev.copy(deep=False)):
        assert other["choice"]["method"] == ev["choice"]["method"]
        pd.testing.assert_frame_equal(pd.DataFrame(other), pd.DataFrame(ev))
        pd.testing.assert_frame_equal(other.forecasts, ev.forecasts)
    deep = copy.deepcopy(ev)
    deep["choice"]["method"] = "changed"
    deep.forecasts.iloc[0, 0] = -1.0
    assert ev["choice"]["method"] != "changed" and ev.forecasts.iloc[0, 0] != -1.0


# ---------------------------------------------------------------- a plot in a notebook
@pytest.mark.parametrize("kind", ["forecast", "loss", "horizon"])
def test_plot_without_a_path_returns_the_figure_and_writes_nothing(fitted, kind, tmp_path,
                                                                   monkeypatch):
    """``f.plot()`` was a TypeError (path required): a notebook had to write a file and
    read it back to see the plot."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    monkeypatch.chdir(tmp_path)
    fig = fitted.plot(kind=kind)
    assert isinstance(fig, Figure) and fig.axes and list(tmp_path.iterdir()) == []
    assert fig.number not in plt.get_fignums()  # closed: shown once, not kept by pyplot
    assert fitted.plot(tmp_path / "f.png", kind=kind) == tmp_path / "f.png"


# ---------------------------------------------------------------- load_series by name
def test_load_series_reads_a_built_in_dataset_by_name():
    """``load_series("airline")`` said "airline: no such file; pass a CSV path, a built-in
    dataset name ..." (the name given): only fit() read the names."""
    from rnnlab.data.datasets import resolve_data

    for name in ("airline", "Airline"):
        s = load_series(name)
        np.testing.assert_array_equal(s.values, resolve_data("airline").values)
        assert s.freq == "MS" and s.name == "passengers"
    assert load_series("airline", name="pax").name == "pax"
    with pytest.raises(DataError, match="'us_employment' is a built-in panel.*GlobalForecaster"):
        load_series("us_employment")
    with pytest.raises(DataError, match="'nosuch' is neither a built-in dataset .airline"):
        load_series("nosuch")


# ---------------------------------------------------------------- monthly on the 15th
def _on_day_15(n=30):
    idx = pd.date_range("2015-01-01", periods=n, freq="MS") + pd.Timedelta(days=14)
    return pd.Series(100 + np.arange(n) ** 1.1, index=idx, name="y")


def test_monthly_dates_on_one_day_say_to_read_them_as_months():
    """Monthly dates on the 15th read as irregular (no period, forecasts numbered by step)
    with no way out said; a panel of them said "pass freq='MS'", which then refused them
    as "off its 'MS' calendar ...; give every series the same frequency" (they had it)."""
    s = _on_day_15()
    hint = r"day 15 of each month.*to_period\('M'\)"
    assert load_series(s).freq is None
    assert re.search(hint, load_series(s).gap_note())
    for freq in (None, "MS"):
        with pytest.raises(DataError, match=hint):
            read_panel({"a": s, "b": s}, freq=freq)
    months = read_panel({"a": s.to_period("M"), "b": s.to_period("M")})  # the hint, followed
    assert months.freq == "MS" and months.period == 12 and months.ds_period == "M"
    assert "2015-01 .. 2017-06" in repr(months)
    quarters = pd.Series(np.arange(12.0), index=pd.date_range("2015-01-01", periods=12,
                                                              freq="QS") + pd.Timedelta(days=9))
    assert "day 10 of each quarter" in load_series(quarters).gap_note()
    assert "to_period" not in (load_series(s.iloc[[0, 1, 3, 7, 8]]).gap_note() or "")


def test_read_panel_takes_freq_m_and_names_a_frequency_it_cannot_read():
    """freq='M' (pandas' name before 2.2) raised pandas' own ValueError ("'M' is no longer
    supported")."""
    month_end = pd.offsets.MonthEnd().freqstr  # 'ME'; 'M' under pandas < 2.2 (the floor)
    s = pd.Series(np.arange(24.0), index=pd.date_range("2015-01-31", periods=24,
                                                       freq=month_end))
    assert read_panel({"a": s}, freq="M").freq == month_end
    with pytest.raises(DataError, match="freq='monthly' is not a pandas frequency.*'MS'"):
        read_panel({"a": s}, freq="monthly")


# ---------------------------------------------------------------- before fit
def test_every_model_used_before_fit_raises_a_runtime_error():
    """GlobalForecaster raised DataError (a ValueError: bad data) where the Forecaster and
    the baselines raise RuntimeError: ``except RuntimeError`` missed it."""
    from rnnlab.io.errors import NotFittedError
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.baselines import Naive

    calls = [Forecaster().predict, GlobalForecaster().predict, lambda: Naive().predict(2),
             lambda: GlobalForecaster().save("never-written")]
    for call in calls:
        with pytest.raises(RuntimeError, match="fit"):
            call()
    with pytest.raises(NotFittedError):  # (and still the DataError it was)
        GlobalForecaster().predict()
    with pytest.raises(DataError):
        GlobalForecaster().save("never-written")
