"""A pandas user's sweep (session 21) of panels: a long table that lost its id column, and
durations given as the dates."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _long_without_id(n=24):
    d = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame({"ds": np.tile(d, 2), "y": np.arange(2 * n, dtype=float),
                         "temp": 1.0})


def test_a_long_table_that_lost_its_id_column_is_told_to_name_it():
    # (pandas 3's groupby("unique_id").apply drops the grouping column; read as a wide
    # table, the refusal named ('temp', 2000-01-01) as a repeated (id, date) pair)
    with pytest.raises(DataError) as e:
        read_panel(_long_without_id())
    msg = str(e.value)
    assert "no id column, and the dates repeat (2000-01-01 on 2 rows)" in msg
    assert "id_column=NAME" in msg and "['y', 'temp']" in msg and "('temp'" not in msg


def test_a_wide_table_with_a_date_column_still_reads():
    df = pd.DataFrame({"ds": pd.date_range("2000-01-01", periods=24, freq="MS"),
                       "a": np.arange(24.0), "b": np.arange(24.0) + 5})
    assert len(read_panel(df).ids) == 2


@pytest.mark.parametrize("as_series", [False, True])
def test_durations_as_a_panels_dates_are_told_how_to_become_dates_or_steps(as_series):
    ds = pd.timedelta_range("0s", periods=30, freq="5s")
    data = (pd.Series(np.arange(30.0), index=ds) if as_series else
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.arange(30.0)}))
    with pytest.raises(DataError, match=r"holds durations \(timedelta64.*pd.Timestamp"):
        read_panel(data)
    steps = pd.DataFrame({"unique_id": "a", "ds": ds // pd.Timedelta("5s"),
                          "y": np.arange(30.0)})
    assert read_panel(steps).ids == ("a",)  # (what the message says to do reads)


# ---------------------------------------------------------------- backtests of integer steps


def _steps(n=30):
    t = np.arange(n)
    return pd.DataFrame({"unique_id": "a", "ds": t + 1, "y": 50 + t + np.sin(t)})


def _model(**k):
    from rnnlab.panel import GlobalForecaster

    return GlobalForecaster("gru", lookback=4, horizon=2, batches_per_epoch=1, hidden_size=2,
                            head_size=2, **{"epochs": 1, **k})


def test_the_default_baselines_of_integer_steps_leave_seasonal_naive_out_with_a_word():
    # (NeuralForecast's int ds: the default baselines' seasonal_naive was refused after the
    # network had been trained, so GlobalForecaster.backtest(df) ran nothing)
    with pytest.warns(UserWarning, match="seasonal_naive baseline is left out: .*period=N"):
        res = _model().backtest(_steps(), first_origin=4, stride=2)
    assert list(pd.unique(res.forecasts["model"])) == ["gru", "naive", "ets"]


def test_seasonal_naive_asked_for_on_integer_steps_is_refused_before_any_training(monkeypatch):
    from rnnlab.panel import GlobalForecaster

    def no_fit(*a, **k):
        raise AssertionError("trained before the baselines were checked")

    monkeypatch.setattr(GlobalForecaster, "fit", no_fit)
    with pytest.raises(DataError, match=r"baselines: seasonal_naive: .*baselines=\('naive',\)"):
        _model().backtest(_steps(), baselines=("naive", "seasonal_naive"))


def test_integer_steps_with_a_period_keep_seasonal_naive():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        res = _model(period=4).backtest(_steps(), first_origin=4, stride=2,
                                        baselines=("seasonal_naive",))
    assert "seasonal_naive" in set(res.forecasts["model"])


# ---------------------------------------------------------------- (id, date) levels, turned round


def _long(ids=("a", "b"), n=24):
    d = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame({"unique_id": np.repeat(list(ids), n), "ds": np.tile(d, len(ids)),
                         "y": np.arange(len(ids) * n, dtype=float)})


def _store_week(ids=("a", "b")):
    return _long(ids).rename(columns={"unique_id": "store", "ds": "week"})


@pytest.mark.parametrize("form", [
    lambda: _store_week().set_index(["store", "week"]),
    lambda: _store_week().set_index(["week", "store"]),
    lambda: _store_week().set_index(["store", "week"])["y"],
    lambda: _long().set_index(["unique_id", "ds"]).rename_axis([None, None]),
    lambda: _long().set_index(["unique_id", "ds"])["y"].rename_axis([None, None]),
])
def test_a_frame_indexed_by_an_id_and_a_date_level_of_any_names_is_a_long_table(form):
    # (it was refused: "no id column ... columns are ['y']", the levels unnamed)
    data = form()
    before = data.copy(deep=True)
    p = read_panel(data)
    want = read_panel(_long())
    assert p.ids == ("a", "b")
    pd.testing.assert_frame_equal(p.df.reset_index(drop=True), want.df.reset_index(drop=True))
    pd.testing.assert_index_equal(data.index, before.index)  # (the caller's index kept)


def test_integer_ids_in_a_level_come_back_as_integers():
    from rnnlab.panel import GlobalForecaster

    data = _store_week(ids=(7, 9)).set_index(["store", "week"])
    fc = GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, batches_per_epoch=1,
                          hidden_size=2, head_size=2).fit(data).predict(2)
    assert fc["unique_id"].dtype == np.int64 and sorted(set(fc["unique_id"])) == [7, 9]


def test_levels_that_are_not_an_id_and_a_date_are_named_in_the_refusal():
    data = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 1, 2], "y": [1.0, 2, 3, 4]})
    with pytest.raises(DataError, match=r"no id column.*columns are \['a', 'b', 'y'\]"):
        read_panel(data.set_index(["a", "b"]))


def test_a_wide_table_turned_round_is_told_how_to_turn_it_back():
    turned = _long().set_index(["unique_id", "ds"])["y"].unstack()  # a row per series
    with pytest.raises(DataError) as e:
        read_panel(turned)
    msg = str(e.value)
    assert "the columns are 24 dates (2000-01-01 .. 2001-12-01) beside ['unique_id']" in msg
    assert "df.set_index('unique_id').T" in msg and "2000-02-01" not in msg
    assert read_panel(turned.T).ids == ("a", "b")  # (what it says to do reads)


def test_a_wide_table_without_dates_is_told_how_to_melt_it_to_steps():
    wide = pd.DataFrame({"a": np.arange(30.0), "b": np.arange(30.0) * 2})  # (Darts' RangeIndex)
    with pytest.raises(DataError) as e:
        read_panel(wide)
    recipe = "df.rename_axis('ds').reset_index().melt(id_vars='ds', var_name='unique_id', "
    assert recipe in str(e.value)
    melted = wide.rename_axis("ds").reset_index().melt(id_vars="ds", var_name="unique_id",
                                                       value_name="y")
    assert read_panel(melted).ids == ("a", "b")  # (what it says to do reads)


def test_a_long_table_without_dates_gets_no_melting_recipe():
    with pytest.raises(DataError) as e:
        read_panel(pd.DataFrame({"store": ["a", "b"] * 15, "units": np.arange(30.0)}))
    assert "melt" not in str(e.value)


# ---------------------------------------------------------------- Periods in an object column


def test_periods_in_an_object_column_are_a_panels_periods_also_in_the_future_table():
    from rnnlab.panel import GlobalForecaster

    months = pd.period_range("2000-01", periods=32, freq="M")
    table = pd.DataFrame({"unique_id": "a", "ds": months, "y": np.arange(32.0),
                          "temp": np.linspace(0, 1, 32)}).astype({"ds": object})
    before = table.copy(deep=True)
    f = GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, batches_per_epoch=1,
                         hidden_size=2, head_size=2, future_covariates=("temp",))
    f.fit(table.iloc[:30])  # (refused: "Period is not convertible to datetime")
    got = f.predict(2, future=table.iloc[30:].drop(columns="y"))
    assert got["ds"].dtype == "period[M]" and list(got["ds"]) == list(months[30:])
    pd.testing.assert_frame_equal(table, before)  # (the caller's column stays object)


def test_periods_of_two_frequencies_are_still_refused():
    mixed = [pd.Period("2000-01", "M"), pd.Period("2000Q2", "Q")] * 10
    data = pd.DataFrame({"unique_id": "a", "ds": pd.Series(mixed, dtype=object),
                         "y": np.arange(20.0)})
    with pytest.raises(DataError, match="date column 'ds'"):
        read_panel(data)
