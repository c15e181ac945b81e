"""Review of hostile31: accuracy's refusal of repeated forecasts and its other checks
refuse what they should, say it as the user wrote it, and never end in pandas'
traceback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy

from test_hostile31 import DAYS, IDS


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """Thirty days of each series."""
    values = np.round(np.random.default_rng(0).random((len(IDS), 30)) * 10)
    return pd.DataFrame({"unique_id": np.repeat(IDS, 30), "ds": np.tile(DAYS, len(IDS)),
                         "y": values.ravel()})


@pytest.fixture(scope="module")
def forecasts() -> pd.DataFrame:
    """Three days of each series, made at one origin."""
    rng = np.random.default_rng(1)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS[-3:], "origin": DAYS[-4],
                                    "mean": rng.random(3) * 10}) for u in IDS],
                     ignore_index=True)


def test_runs_told_apart_by_a_by_column_are_scored_not_refused(data, forecasts):
    """by=("model", "run", "unique_id") groups two runs' frames of one model name apart:
    each run's forecast is one per (model, run, series, date, origin). They were refused
    as repeats of (model, series, date, origin), the run column not looked at."""
    runs = pd.concat([forecasts.assign(run=1), forecasts.assign(run=2, mean=forecasts[
        "mean"] + 1.0)], ignore_index=True)
    got = accuracy(runs, data, by=("model", "run", "unique_id"))
    assert got["n"].tolist() == [3] * 6
    one = accuracy(forecasts, data)
    assert np.allclose(got.loc[got["run"] == 1, "mae"].to_numpy(), one["mae"].to_numpy())
    with pytest.raises(DataError, match=r"repeat a \(model, series, date, origin\)"):
        accuracy(runs, data)  # (the default by: the runs are not told apart)


@pytest.mark.parametrize("label, said", [("w1", "'w1'"), (7, "7")])
def test_repeats_at_an_origin_of_labels_name_the_label_as_written(data, forecasts, label,
                                                                  said):
    """An origin column of labels (fold names, numbers) is read as labels; the refusal of
    its repeats raised pandas' DateParseError ("Unknown datetime string format: w1") on
    text, and named 7 as 1970-01-01 00:00:00.000000007."""
    twice = pd.concat([forecasts.assign(origin=label)] * 2, ignore_index=True)
    with pytest.raises(DataError, match=rf"repeat a \(model, series, date, origin\): "
                                        rf"\('model', 'a', 2020-01-28, {said}\)") as e:
        accuracy(twice, data)
    assert "1970" not in str(e.value)


def test_repeats_without_an_origin_are_refused_as_blank_origins(data, forecasts):
    """Forecasts whose origin is blank on every row are refused as such (drop the column);
    where they also repeated a (series, date) the repeats' refusal came first, and showing
    the blank origin raised AttributeError ('NaTType' object has no attribute
    'normalize')."""
    twice = pd.concat([forecasts.assign(origin=pd.NaT)] * 2, ignore_index=True)
    with pytest.raises(DataError, match=r"18 of the 18 forecasts have no origin.*drop the "
                                        r"column"):
        accuracy(twice, data)


def _as_steps(frame: pd.DataFrame, *columns) -> pd.DataFrame:
    """``frame`` with its dates (and ``columns``) as integer steps, day k of DAYS as k."""
    return frame.assign(**{c: (frame[c] - DAYS[0]).dt.days for c in ("ds", *columns)})


def test_a_steps_panels_forecasts_without_a_mean_are_named_by_their_steps(data, forecasts):
    """Every message of a panel of integer steps gives the steps (docs/panels.md); a
    forecast without a mean was named on 1970-01-28, the step's internal day."""
    fc = _as_steps(forecasts, "origin").astype({"mean": np.float64})
    fc.loc[1, "mean"] = np.nan
    with pytest.raises(DataError, match=r"no mean \(model, series, step: model a 28\)") as e:
        accuracy(fc, _as_steps(data))
    assert "1970" not in str(e.value)


def test_a_steps_panels_repeated_forecasts_are_named_by_their_steps(data, forecasts):
    twice = pd.concat([_as_steps(forecasts, "origin")] * 2, ignore_index=True)
    with pytest.raises(DataError, match=r"repeat a \(model, series, step, origin\): "
                                        r"\('model', 'a', 27, 26\)") as e:
        accuracy(twice, _as_steps(data))
    assert "1970" not in str(e.value)


def test_an_origin_with_a_zone_beside_data_without_is_a_typed_error(data, forecasts):
    """Dates beside data of another zone kind are refused naming the tz_localize; an
    origin column of another kind than the data's (the forecasts' ds matching) raised
    pandas' TypeError "Invalid comparison between dtype=datetime64[us] and
    DatetimeArray"."""
    origin = forecasts["origin"].dt.tz_localize("Europe/Paris")
    with pytest.raises(DataError, match=r"the forecasts' origins are in Europe/Paris.*the "
                                        r"data's without a time zone.*tz_convert"):
        accuracy(forecasts.assign(origin=origin), data)
    paris = data.assign(ds=data["ds"].dt.tz_localize("Europe/Paris"))
    ds = forecasts["ds"].dt.tz_localize("Europe/Paris")
    with pytest.raises(DataError, match=r"the forecasts' origins are without a time zone.*the "
                                        r"data's in Europe/Paris.*tz_localize"):
        accuracy(forecasts.assign(ds=ds), paris)


def test_origins_in_another_zone_are_the_same_instants(data, forecasts):
    paris = data.assign(ds=data["ds"].dt.tz_localize("Europe/Paris"))
    fc = forecasts.assign(**{c: forecasts[c].dt.tz_localize("Europe/Paris")
                             for c in ("ds", "origin")})
    want = accuracy(fc, paris)
    got = accuracy(fc.assign(origin=fc["origin"].dt.tz_convert("Asia/Tokyo")), paris)
    pd.testing.assert_frame_equal(got, want)


def test_long_table_keeps_under_300_lines_its_date_column_reading_apart():
    # (panel/long_table.py passed 300 lines at hostile31's merge: a date column read as
    # datetimes, the one idea its readers of forecasts and future tables share, moved to
    # panel/date_column.py; long_table still gives column_dates to its importers)
    from pathlib import Path

    import rnnlab.panel.long_table as module
    from rnnlab.panel.date_column import column_dates

    assert module.column_dates is column_dates
    assert len(Path(module.__file__).read_text().splitlines()) < 300


def test_accuracy_keeps_under_300_lines_its_checks_of_forecasts_apart():
    # (panel/accuracy.py passed 300 lines at hostile31's merge: the refusal of blank
    # origins joins the other checks of forecasts before scoring, scored_forecasts.py)
    import importlib
    from pathlib import Path

    from rnnlab.panel import scored_forecasts

    module = importlib.import_module("rnnlab.panel.accuracy")  # (the package's name: a function)

    assert callable(scored_forecasts.refuse_blank_origins)
    assert len(Path(module.__file__).read_text().splitlines()) < 300


def _autumn(id_name: str = "unique_id", date_name: str = "ds") -> pd.DataFrame:
    """Two series of Berlin's clock times over autumn's change, without their offsets:
    02:00 on 2021-10-31 comes twice in each."""
    clock = pd.date_range("2021-10-30 20:00", periods=20, freq="h",
                          tz="Europe/Berlin").tz_localize(None)
    rng = np.random.default_rng(7)
    return pd.concat([pd.DataFrame({id_name: u, date_name: clock, "y": rng.random(20)})
                      for u in "ab"], ignore_index=True)


@pytest.mark.parametrize("id_name, date_name", [("unique_id", "ds"), ("store", "when")])
def test_autumns_repeated_clock_hour_is_told_the_offsets_that_read_it(id_name, date_name):
    """The repeated hour of autumn's clock change was told to be read in its zone
    (read_panel(..., tz='Europe/Berlin')), which refuses it again: a zone cannot tell
    its two 02:00s apart. The refusal gives the tz_localize(ambiguous='infer') that
    writes their offsets, per series, in the table's own column names; done, it reads."""
    from rnnlab.panel import read_panel

    table = _autumn(id_name, date_name)
    read = {} if id_name == "unique_id" else {"id_column": id_name, "date_column": date_name}
    with pytest.raises(DataError, match=r"repeat an \(id, date\).*clock change repeats") as e:
        read_panel(table, **read)
    said = str(e.value)
    assert "read_panel(..., tz='Europe/Berlin')" not in said
    fix = (f"df[{date_name!r}] = df.groupby([{id_name!r}])[{date_name!r}].transform("
           f"lambda d: d.dt.tz_localize('Europe/Berlin', ambiguous='infer'))")
    assert fix in said
    df = table.copy()
    exec(fix, {"df": df})
    assert len(read_panel(df, **read).df) == 40


def test_springs_missing_clock_hour_is_still_told_to_be_read_in_its_zone():
    from rnnlab.panel import read_panel

    clock = pd.date_range("2021-03-27 20:00", periods=20, freq="h",
                          tz="Europe/Berlin").tz_localize(None)
    table = pd.concat([pd.DataFrame({"unique_id": u, "ds": clock, "y": 1.0}) for u in "ab"])
    with pytest.raises(DataError, match=r"missing.*the hour a clock change skips, .*read "
                                        r"them in that zone.*read_panel\(\.\.\., tz=") as e:
        read_panel(table)
    assert "ambiguous" not in str(e.value)


@pytest.mark.parametrize("freq", ["h", "D"])
def test_dates_whose_offsets_change_are_read_as_the_readme_says(tmp_path, freq):
    """A one-series CSV of a zone's dates, its offsets changing at daylight saving time:
    hours are instants, read in UTC and forecast in UTC; days at midnight are the local
    calendar's, read without offsets (the README said all were read in UTC)."""
    from pathlib import Path

    from rnnlab.data.series import load_series

    dates = pd.date_range("2021-03-20", periods=200, freq=freq, tz="Europe/Berlin")
    path = tmp_path / "zoned.csv"
    pd.DataFrame({"ds": dates, "y": np.arange(200.0)}).to_csv(path, index=False)
    index = load_series(path).to_pandas().index
    if freq == "h":  # (instants, in UTC)
        assert str(index.tz) == "UTC" and index[-1] == dates[-1]
    else:  # (the local calendar's days)
        assert index.tz is None and index[-1] == dates[-1].tz_localize(None)
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = " ".join(readme.read_text(encoding="utf-8").split())
    assert ("read in UTC, and the forecasts dated in UTC (`+00:00`), but for days, weeks or "
            "months all at one clock time (a zone's midnights), read as the local calendar's "
            "dates, their offsets dropped") in text


@pytest.mark.parametrize("undated", [np.arange(30.0), list(np.arange(30.0)),
                                     pd.Series(np.arange(30.0))])
def test_a_dict_of_dated_series_and_one_without_dates_is_refused(undated):
    """A dict of a dated Series beside an array (or a list, or a Series of positions) read
    the undated one as days of 1970 (1970-01-01 .. 1970-01-30) beside 2020's: one panel of
    two calendars fifty years apart, without a word."""
    from rnnlab.panel import read_panel

    dated = pd.Series(np.arange(30.0), index=pd.date_range("2020-01-01", periods=30))
    with pytest.raises(DataError, match=r"the series b are of integer time steps.*"
                                        r"the series a of dates.*index=dates") as e:
        read_panel({"a": dated, "b": undated})
    assert "1970" not in str(e.value)


@pytest.mark.parametrize("empty", [[], np.array([]), pd.Series([], dtype=float)])
def test_a_dicts_empty_series_is_named_as_having_no_values(empty):
    """An empty series in a dict raised pandas' IndexError ("single positional indexer is
    out-of-bounds") from the check of its index for yyyymm dates."""
    from rnnlab.panel import read_panel

    with pytest.raises(DataError, match=r"series 'b' has no values"):
        read_panel({"a": np.arange(30.0), "b": empty})


def test_a_dicts_two_dimensional_array_is_told_how_to_become_series():
    """A 2-D array as a dict's value raised pandas' ValueError "Data must be
    1-dimensional, got ndarray of shape (30, 2) instead"."""
    from rnnlab.panel import read_panel

    values = np.random.default_rng(9).random((30, 2))
    with pytest.raises(DataError, match=r"series 'a' is an array of shape \(30, 2\).*one "
                                        r"series per key.*dict\(enumerate"):
        read_panel({"a": values})
    assert len(read_panel(dict(enumerate(values.T))).df) == 60


def test_a_zoned_panels_forecasts_read_back_from_csv_are_scored_as_the_frame_is():
    """A zoned panel's forecasts.csv (daily, its offsets changing at daylight saving time,
    +01:00 then +02:00) read back with pd.read_csv: its text dates were read as the days
    they name, without a zone, and refused beside the zoned data, told to write
    forecasts['ds'].dt.tz_localize(...), which a column of text has no .dt for. Text with
    UTC offsets names instants: they are scored as the frame's own dates are."""
    import io

    days = pd.date_range("2020-03-01", periods=60, freq="D", tz="Europe/Paris")
    rng = np.random.default_rng(10)
    truth = pd.concat([pd.DataFrame({"unique_id": u, "ds": days, "y": rng.random(60)})
                       for u in IDS], ignore_index=True)
    fc = pd.concat([pd.DataFrame({"unique_id": u, "ds": days[25:31], "origin": days[24],
                                  "mean": rng.random(6)}) for u in IDS], ignore_index=True)
    back = pd.read_csv(io.StringIO(fc.to_csv(index=False)))
    assert back["ds"].str.endswith("+02:00").any() and back["ds"].str.endswith("+01:00").any()
    pd.testing.assert_frame_equal(accuracy(back, truth), accuracy(fc, truth))


def test_the_zone_refusals_recipe_reads_a_csvs_text_dates(data, forecasts):
    """Dates without a zone beside zoned data are refused naming the tz_localize to write;
    on a forecasts.csv read back (dates as text) it was forecasts['ds'].dt.tz_localize,
    and a text column has no .dt."""
    import io
    import re

    paris = data.assign(ds=data["ds"].dt.tz_localize("Europe/Paris"))
    back = pd.read_csv(io.StringIO(forecasts.drop(columns="origin").to_csv(index=False)))
    with pytest.raises(DataError, match=r"without a time zone") as e:
        accuracy(back, paris)
    fix = re.search(r"give the forecasts the data's \((.*)\), or read", str(e.value)).group(1)
    fixed = back.assign(ds=eval(fix, {"pd": pd, "forecasts": back}))
    want = accuracy(forecasts.drop(columns="origin").assign(
        ds=forecasts["ds"].dt.tz_localize("Europe/Paris")), paris)
    pd.testing.assert_frame_equal(accuracy(fixed, paris), want)


@pytest.mark.parametrize("given", [pd.Series([1.0, 2.0], name="mean"), [1.0, 2.0], None])
def test_forecasts_that_are_no_frame_are_a_typed_error(data, given):
    """A Series, a list or None as the forecasts raised AttributeError ("'Series' object
    has no attribute 'columns'")."""
    with pytest.raises(DataError, match=r"accuracy: expected the forecasts as a DataFrame "
                                        rf"of unique_id, ds, mean.*got {type(given).__name__}"):
        accuracy(given, data)
