"""Review of the session-30 typing pass (mypy30): what it changed in behaviour, and what
it left. Each test fails on the merged code before its fix."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.val_data import join_validation
from rnnlab.io.errors import DataError

CFG = ForecastConfig(lookback=4, horizon=2)


def _dated(days, tz):
    start = pd.Timestamp("2020-01-01", tz="Europe/London")
    index = pd.DatetimeIndex(start + pd.to_timedelta(np.asarray(days), "D"))
    return pd.Series(np.arange(len(days), dtype=float) + 5.0,
                     index=index if tz == "Europe/London" else index.tz_convert(tz))


def test_val_data_of_irregular_dates_in_another_zone_joins_in_the_datas():
    # the typing pass joined the dates with pd.DatetimeIndex(a.append(b)): dates of two
    # zones appended are objects, refused there (a ValueError traceback; before, an object
    # index); the same instants are one calendar: val_data's read in the data's zone
    days = [0, 1, 3, 4, 7, 9, 10, 14, 15, 16, 20, 21, 25, 26]
    data, val = _dated(days[:10], "Europe/London"), _dated(days[10:], "UTC")
    v = pd.Series(val.to_numpy(), index=val.index)
    joined, _ = join_validation(load_series(data), load_series(v), v, CFG)
    assert isinstance(joined.index, pd.DatetimeIndex)
    assert str(joined.index.tz) == "Europe/London"
    assert joined.index[10:].equals(val.index.tz_convert("Europe/London"))  # (its instants)


def test_val_data_of_regular_dates_in_another_zone_follows_the_data():
    # equal dates in two zones are not .equals(): the search for the first that differs
    # found none (a StopIteration traceback)
    dates = pd.date_range("2021-01-01", periods=14, freq="D", tz="Europe/London")
    y = pd.Series(np.arange(14.0) + 1.0, index=dates)
    val = y[10:].tz_convert("UTC")
    joined, cfg = join_validation(load_series(y[:10]), load_series(val), val, CFG)
    assert joined.index.equals(dates) and cfg.val_size == 4


def test_val_data_dated_without_a_zone_after_data_in_one_is_a_data_error():
    # a naive date compared with one in a zone: "Cannot compare tz-naive and tz-aware"
    # (a TypeError traceback)
    dates = pd.date_range("2021-01-01", periods=14, freq="D", tz="Europe/London")
    y = pd.Series(np.arange(14.0) + 1.0, index=dates)
    val = y[10:].tz_localize(None)
    with pytest.raises(DataError, match=r"val_data's dates have no time zone.*Europe/London"
                                        r".*tz_localize"):
        join_validation(load_series(y[:10]), load_series(val), val, CFG)


def test_write_failure_of_another_errno_does_not_say_to_free_space():
    # the typing pass said any errno in the system's words, and its advice stayed the
    # full disk's: "Permission denied. ... free some space (or choose an --out on another
    # disk)"
    import errno

    from rnnlab.io.write_failure import describe_write_failure

    said = describe_write_failure(PermissionError(errno.EACCES, "Permission denied", "f.csv"),
                                  None, "forecast")
    assert "free some space" not in said and "an --out you can write to" in said
    full = describe_write_failure(OSError(errno.ENOSPC, "No space", "f.csv"), None, "forecast")
    assert "free some space" in full


def test_keep_encoded_says_each_rows_own_static_value():
    # it looked a value up by id (table.at[id, column]): a table repeating an id gave a
    # Series there, and pd.isna() of it raised "truth value ... is ambiguous" (mypy: not a
    # scalar). read_panel's ids reach it unique; the table is read by place now
    from rnnlab.panel.covariates import StaticEncoder
    from rnnlab.panel.features import Features
    from rnnlab.panel.new_series import keep_encoded

    f = Features(4, 2, 0, "D", (), (), (), None,
                 static=StaticEncoder(categorical={"shop": ["a", "b"]}))
    table = pd.DataFrame({"shop": ["c", "a", None]}, index=pd.Index(["x", "y", "x"]))
    keep_encoded(f, table)
    assert f.codes == {"y": [1]}
    assert f.unencoded == {"x": "'shop' has no value"}  # (its last row's reason)


def test_integer_ids_match_where_the_typing_pass_keys_by_text():
    # _on_grid's groups, future_block's and note_unscored's notes are keyed by str(id) now:
    # ids a user gives as integers are text by then (to_long), so they still match
    import warnings

    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.future_table import future_block

    hours = pd.date_range("2021-01-01", periods=12, freq="h")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": hours, "y": np.arange(12.0) + u})
                    for u in (1, 2)])
    gap = df[~((df["unique_id"] == 2) & (df["ds"] == hours[5]))]  # (each_on_grid fills it)
    p = read_panel(gap, fill="interpolate")
    assert p.ids == ("1", "2") and set(p.df["unique_id"]) == {"1", "2"} and len(p.df) == 24
    after = [pd.Timestamp("2021-01-01 12:00"), pd.Timestamp("2021-01-01 13:00")]
    fut = pd.DataFrame({"unique_id": [1, 1, 2, 2], "ds": after * 2, "promo": [1.0, 2, 3, 4]})
    last = {u: hours[-1] for u in p.ids}
    blocks = future_block(fut, p.ids, last, 2, p.freq, ["promo"])
    assert [blocks[u]["promo"].tolist() for u in p.ids] == [[1.0, 2.0], [3.0, 4.0]]

    days = pd.date_range("2021-01-01", periods=30, freq="D")
    early = pd.concat([pd.DataFrame({"unique_id": u, "ds": days[:n], "y": np.arange(n) + 1.0})
                       for u, n in ((1, 30), (2, 27))])
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        r = backtest(None, early, horizon=4, baselines=["naive"], align="date",
                     first_origin=8, stride=4)
    assert any("less than a horizon" in str(w.message) and ": 2 (1 after 2021-01-26)" in
               str(w.message) for w in said)
    assert sorted(r.forecasts["unique_id"].unique().tolist()) == [1, 2]  # (as given)


def test_repeated_rows_hint_of_a_column_named_by_a_number_is_one_read_panel_takes():
    # the typing pass's hint said id_column=[7, 'shop'], which read_panel refuses ("expected
    # the names of the key columns"): key columns are named by text
    from rnnlab.panel import read_panel

    df = pd.DataFrame({7: ["a"] * 4, "ds": ["2020-01-01", "2020-01-01", "2020-01-02",
                                           "2020-01-02"],
                       "y": [1.0, 2.0, 3.0, 4.0], "shop": ["x", "y", "x", "y"]})
    with pytest.raises(DataError, match=r"id_column=\['7', 'shop'\] with the columns named as "
                                        r"text \(df = df.rename\(columns=str\)\) "
                                        r"\(--id-column 7,shop\)"):
        read_panel(df, id_column=7)
    taken = read_panel(df.rename(columns=str), id_column=["7", "shop"], freq="D")
    assert taken.ids == ("a/x", "a/y")
