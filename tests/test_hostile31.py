"""The Python API fed what a data scientist's pandas pipeline produced: nullable dtypes,
categoricals, time zones, frames of pandas' other shapes. Each works as its plain-float
equivalent does, or ends in rnnlab's typed error saying what was expected, what was
found and what to do (session 31's hostile sweep)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy

DAYS = pd.date_range("2020-01-01", periods=30, freq="D")
IDS = ("a", "b", "c")


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS,
                                    "y": np.round(rng.random(30) * 10)}) for u in IDS],
                     ignore_index=True)


@pytest.fixture(scope="module")
def forecasts() -> pd.DataFrame:
    """Three days of each series, with an 80% interval."""
    rng = np.random.default_rng(1)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS[-3:], "step": [1, 2, 3],
                                    "mean": rng.random(3) * 10, "q0.1": 0.0, "q0.9": 20.0})
                      for u in IDS], ignore_index=True)


# ------------------------------------------------------------------- accuracy's dates
@pytest.mark.parametrize("zoned", ["forecasts", "data"])
def test_accuracy_of_dates_with_a_zone_beside_dates_without_is_a_typed_error(
        data, forecasts, zoned):
    """pandas' merge raised its ValueError "You are trying to merge on datetime64[us, UTC]
    and datetime64[us] columns for key 'ds'" from deep inside accuracy."""
    utc = lambda f: f.assign(ds=f["ds"].dt.tz_localize("UTC"))  # noqa: E731
    fc, truth = (utc(forecasts), data) if zoned == "forecasts" else (forecasts, utc(data))
    with pytest.raises(DataError, match=r"accuracy: the forecasts' dates are (in UTC|without "
                                        r"a time zone).*the data's (without a time zone|in "
                                        r"UTC).*tz_localize"):
        accuracy(fc, truth)


def test_accuracy_of_utc_forecasts_of_a_zoned_panel_scores_the_same_instants(data, forecasts):
    """The same instants written in another zone are the same forecasts."""
    paris = data.assign(ds=data["ds"].dt.tz_localize("Europe/Paris"))
    fc = forecasts.assign(ds=forecasts["ds"].dt.tz_localize("Europe/Paris"))
    want = accuracy(fc, paris)
    got = accuracy(fc.assign(ds=fc["ds"].dt.tz_convert("UTC")), paris)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("blank", [np.nan, pd.NA])
def test_accuracy_of_a_forecast_without_a_mean_names_it(data, forecasts, blank):
    """A NaN (or, in a Float64 column, pd.NA) mean was left out of its series' errors
    while ``n`` still counted it: series a's MAE over 2 forecasts under n = 3."""
    fc = forecasts.assign(mean=forecasts["mean"].astype("Float64" if blank is pd.NA
                                                          else "float64"))
    fc.loc[1, "mean"] = blank
    with pytest.raises(DataError, match=r"accuracy: 1 forecast has no mean \(model, series, "
                                        r"date: model a 2020-01-29\).*dropna\(subset="):
        accuracy(fc, data)
    kept = accuracy(fc.dropna(subset=["mean"]), data)
    assert kept.set_index("unique_id")["n"].to_dict() == {"a": 2, "b": 3, "c": 3}


# --------------------------------------------------------- read_panel, column levels
def _pivoted(names) -> pd.DataFrame:
    """``long.pivot(index="ds", columns="unique_id", values=names)``: columns in two
    levels, (variable, series)."""
    rng = np.random.default_rng(2)
    cols = pd.MultiIndex.from_product([names, ["a", "b"]], names=[None, "unique_id"])
    return pd.DataFrame(rng.random((30, len(cols))), index=DAYS.rename("ds"), columns=cols)


@pytest.mark.parametrize("names", [["y"], ["y", "promo"]])
def test_a_pivoted_table_of_two_column_levels_is_told_how_to_stack_it(names):
    """pandas' NotImplementedError "initializing a Series from a MultiIndex is not
    supported" came from deep inside read_panel; the recipe it gives reads."""
    from rnnlab.panel import read_panel

    wide = _pivoted(names)
    with pytest.raises(DataError, match=r"panel: the columns are in 2 levels \(\('y', 'a'\), "
                                        r".*stack\(level=-1, future_stack=True\)"):
        read_panel(wide)
    panel = read_panel(wide.stack(level=-1, future_stack=True))
    assert list(panel.df.columns) == ["unique_id", "ds", *names]
    assert panel.df.groupby("unique_id").size().to_dict() == {"a": 30, "b": 30}


# ------------------------------------------- a covariate named like a reserved column
def _renamed_long(data: pd.DataFrame, role: str) -> tuple:
    """``data`` whose id, date or target column has another name, and a numeric column of
    the reserved name beside it (the user's covariate): (frame, read_panel keywords)."""
    rng = np.random.default_rng(3)
    moved = {"unique_id": ("store", "id_column"), "ds": ("when", "date_column"),
             "y": ("sales", "target")}[role]
    frame = data.rename(columns={role: moved[0]}).assign(**{role: rng.random(len(data))})
    return frame, {moved[1]: moved[0]}


@pytest.mark.parametrize("role", ["unique_id", "ds", "y"])
def test_a_covariate_of_a_reserved_name_asked_for_is_refused_not_dropped(data, role):
    """read_panel(df, target="sales", covariates=["y"]) gave a panel without the 'y' it
    was asked to keep, and said nothing."""
    from rnnlab.panel import read_panel

    frame, read = _renamed_long(data, role)
    with pytest.raises(DataError, match=rf"column '{role}' has the name the panel gives its "
                                        rf".*rename it.*df.rename\(columns="):
        read_panel(frame, covariates=[role], **read)
    assert role in read_panel(frame.rename(columns={role: "x"}), covariates=["x"], **read).df


@pytest.mark.parametrize("role", ["unique_id", "ds"])
@pytest.mark.parametrize("kind", ["future_covariates", "past_covariates"])
def test_a_model_reading_a_covariate_named_as_the_id_or_dates_is_refused_when_made(
        role, kind):
    """It was refused at fit as "future covariate 'unique_id' is not numeric (e.g. 'a')":
    the panel's ids, where the user's column of numbers had that name."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigError, match=rf"'{role}' is the panel's .*, not a covariate.*"
                                          rf"rename"):
        GlobalForecaster("gru", lookback=4, horizon=2, **{kind: (role,)})


# --------------------------------------------------------------- nixtla_frame's index
def test_nixtla_frame_reads_a_forecast_indexed_by_unique_id_and_ds(forecasts):
    """accuracy() read a forecast frame indexed by (unique_id, ds) (statsforecast's
    frames before 1.7, a ``set_index``); nixtla_frame refused it as "a one-series
    Forecaster's forecast, dated by its index"."""
    from rnnlab.panel import nixtla_frame

    want = nixtla_frame(forecasts, name="LSTM")
    pd.testing.assert_frame_equal(
        nixtla_frame(forecasts.set_index(["unique_id", "ds"]), name="LSTM"), want)
    pd.testing.assert_frame_equal(
        nixtla_frame(forecasts.set_index("unique_id"), name="LSTM"), want)


# ------------------------------------------------------------ numbers without a frame
@pytest.mark.parametrize("shape", [(30,), (30, 2)])
@pytest.mark.parametrize("form", ["ndarray", "list"])
def test_numbers_given_to_a_panel_reader_are_told_how_to_become_series(shape, form):
    """read_panel and GlobalForecaster.fit said "expected a CSV path, a DataFrame, ...; got
    ndarray" and no more (a one-series Forecaster takes an array); the forms it names
    read, as integer time steps."""
    from rnnlab.panel import GlobalForecaster, read_panel

    values = np.random.default_rng(4).random(shape)
    given = values if form == "ndarray" else values.tolist()
    for call in (read_panel, GlobalForecaster("gru", lookback=4, horizon=2).fit):
        with pytest.raises(DataError, match=rf"got {type(given).__name__} of shape "
                                            rf"{re_shape(shape)}.*pd.Series\(values\).*"
                                            r"dict\(enumerate\(np.asarray\(values\).T\)\)"):
            call(given)
    read = read_panel(pd.Series(values) if len(shape) == 1 else dict(enumerate(values.T)))
    assert len(read.df) == values.size


def re_shape(shape) -> str:
    import re

    return re.escape(str(shape))


@pytest.mark.parametrize("form", [np.asarray, list])
def test_a_dict_of_arrays_is_read_as_integer_steps_as_a_dict_of_series_is(form):
    """A dict of numpy arrays or lists was read as days of 1970 (its forecasts dated
    1970-01-31, a weekly season of 7 made up), a dict of the same values as pandas Series
    as the integer time steps they are."""
    from rnnlab.panel import read_panel

    values = np.random.default_rng(5).random((30, 2))
    want = read_panel({"a": pd.Series(values[:, 0]), "b": pd.Series(values[:, 1])})
    got = read_panel({"a": form(values[:, 0]), "b": form(values[:, 1])})
    assert (got.ds_period, got.period, got.freq) == (want.ds_period, want.period, want.freq)
    assert want.ds_period == "int"
    pd.testing.assert_frame_equal(got.df, want.df)


# ------------------------------------------------ the one series' steps, as floats
def test_a_step_column_of_whole_floats_labels_the_forecasts_as_integers_do():
    """``ds`` of 1.0 .. 40.0 (integer steps that a merge's NaN once made floats) was
    dropped, and the forecasts numbered from the frame's positions: 40, 41, 42 after
    a series ending at step 40, where the same steps as integers gave 41, 42, 43."""
    from rnnlab import Forecaster
    from rnnlab.data.series import load_series

    values = np.random.default_rng(6).random(40)
    steps = np.arange(1, 41)
    want = load_series(pd.DataFrame({"ds": steps, "y": values}))
    got = load_series(pd.DataFrame({"ds": steps.astype(np.float64), "y": values}))
    pd.testing.assert_series_equal(got.to_pandas(), want.to_pandas())
    f = Forecaster("gru", lookback=4, horizon=3, epochs=1, ensemble=1, hidden_size=4)
    made = f.fit(pd.DataFrame({"ds": steps.astype(np.float64), "y": values})).predict()
    assert list(made.index) == [41, 42, 43]


def test_a_panels_steps_written_as_floats_are_told_to_become_integers(data):
    """The refusal named numpy's repr, "numbers such as np.float64(1.0) are not dates",
    and nothing of the floats being whole numbers."""
    from rnnlab.panel import read_panel

    steps = data.assign(ds=np.tile(np.arange(1.0, 31.0), 3))
    with pytest.raises(DataError, match=r"numbers such as 1\.0 are not dates.*whole numbers "
                                        r"written as floats.*astype\(int\)"):
        read_panel(steps)
    assert read_panel(steps.astype({"ds": int})).ds_period == "int"


# ------------------------------------------------- local clock times over a clock change
@pytest.mark.parametrize("start, said", [("2021-03-27 20:00", "missing"),
                                         ("2021-10-30 20:00", "repeat")])
def test_hourly_clock_times_over_a_clock_change_are_pointed_to_tz(start, said):
    """Hourly dates written as Berlin's clock times, without an offset: spring's 02:00 was
    "the target has 2 NaN values or missing dates ... pass fill='ffill'" (a value made up
    at an hour that never was), autumn's "rows repeat an (id, date) pair ... drop or
    aggregate them"; read in their zone (tz=), they read."""
    from rnnlab.panel import read_panel

    clock = pd.date_range(start, periods=20, freq="h", tz="Europe/Berlin").tz_localize(None)
    rng = np.random.default_rng(7)
    table = pd.concat([pd.DataFrame({"unique_id": u, "ds": clock, "y": rng.random(20)})
                       for u in "ab"], ignore_index=True)
    with pytest.raises(DataError, match=rf"{said}.*one hour of one day \(2021-\d\d-\d\d "
                                        r"02:00\).*clock change.*tz="):
        read_panel(table)
    if said == "missing":
        assert len(read_panel(table, tz="Europe/Berlin").df) == 40


# ------------------------------------------------------ sktime's (instance, time point)
@pytest.mark.parametrize("names", [["instances", "timepoints"], [None, None]])
def test_sktimes_frame_of_instances_and_time_points_is_told_the_rename_that_reads_it(names):
    """sktime's pd-multiindex frame (integer instances and time points as index levels)
    was refused with a recipe for another shape: "one series per column without dates:
    melt it to integer time steps, df.rename_axis('ds').reset_index().melt(...)"."""
    from rnnlab.panel import read_panel

    index = pd.MultiIndex.from_product([[0, 1], range(30)], names=names)
    frame = pd.DataFrame({"var_0": np.random.default_rng(8).random(60)}, index=index)
    with pytest.raises(DataError, match=r"index levels .*a series id and integer time "
                                        r"steps.*read_panel\(df.rename_axis\(\['unique_id', "
                                        r"'ds'\]\)\)") as e:
        read_panel(frame)
    assert "melt" not in str(e.value)
    panel = read_panel(frame.rename_axis(["unique_id", "ds"]))
    assert panel.ds_period == "int" and list(panel.ids) == ["0", "1"]


def test_accuracy_of_forecasts_repeating_a_model_series_date_and_origin_is_refused(
        data, forecasts):
    """Two runs' backtest frames concatenated under one model name: each pair of rows
    was scored as two forecasts (n doubled, the two runs' errors averaged), without a
    word where the frame has an origin column."""
    one = forecasts.assign(origin=DAYS[-4])
    two = one.assign(mean=one["mean"] + 1.0)
    with pytest.raises(DataError, match=r"accuracy: 9 forecasts repeat a \(model, series, "
                                        r"date, origin\).*\('model', 'a', 2020-01-28, "
                                        r"2020-01-27\).*model"):
        accuracy(pd.concat([one, two], ignore_index=True), data)
    both = pd.concat([one.assign(model="run1"), two.assign(model="run2")])
    assert accuracy(both, data)["n"].tolist() == [3] * 6
