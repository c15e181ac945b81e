"""Reading a panel of thousands of series: the fills, the calendar's missing dates and
fit's kept tail done for all series at once give exactly what the loops per series gave
(each loop written out here, or forced by a patch); a text static column of a series with
a missing date."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.frame import read_panel
from test_panel_scale_paths import covariate_panel


def old_filled_columns(df, cols, fill):
    from rnnlab.panel.missing_values import FILL_HOW

    return df.groupby("unique_id", sort=False)[list(cols)].transform(FILL_HOW[fill])


@pytest.mark.parametrize("fill", ["ffill", "bfill", "zero", "interpolate"])
def test_grouped_fills_equal_the_fill_per_series(fill):
    """Leading, inner and trailing gaps, a column with no value in one series, an int
    column without gaps, rows of a series not together: the fill per series exactly."""
    from rnnlab.panel.missing_values import filled_columns

    nan = np.nan
    df = pd.DataFrame({
        "unique_id": ["a", "a", "b", "a", "b", "b", "c", "c", "a", "c"],
        "y": [nan, 1.0, 2.0, nan, nan, 5.0, nan, nan, 4.0, 7.5],
        "x": [1.5, nan, nan, nan, nan, nan, 2.0, nan, nan, nan],
        "n": np.arange(10)}, index=np.arange(10)[::-1] * 3)
    want = old_filled_columns(df, ["y", "x", "n"], fill)
    got = filled_columns(df, ["y", "x", "n"], fill)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_the_tail_kept_by_fit_is_the_last_rows_of_each_series():
    from rnnlab.panel.model import GlobalForecaster

    panel = covariate_panel()
    model = GlobalForecaster("gru", lookback=8, horizon=5, epochs=1, batches_per_epoch=1,
                             hidden_size=4, head_size=4, calibrate="none",
                             difference="seasonal").fit(panel)
    want = pd.concat([g.iloc[-(8 + 7):] for _, g in panel.df.groupby("unique_id", sort=False)],
                     ignore_index=True)
    pd.testing.assert_frame_equal(model.tail, want, check_exact=True)


def gapped_table(freq, seed=0):
    """Series of a calendar with ragged starts and ends and dates missing inside, and
    covariates of several kinds (float, int, bool, text)."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(5):
        ds = pd.date_range("2019-01-01", periods=30 + 3 * i, freq=freq)[i:]
        keep = np.ones(len(ds), dtype=bool)
        if i % 2 == 0:
            keep[rng.choice(np.arange(2, len(ds) - 2), 2, replace=False)] = False
        n = int(keep.sum())
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds[keep],
                                   "y": rng.normal(10, 1, n), "price": rng.normal(size=n),
                                   "count": rng.integers(0, 9, n), "promo": rng.random(n) > 0.5,
                                   "region": f"r{i % 2}"}))
    return pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed)


# month end: 'ME' since pandas 2.2, 'M' before (pandas 2.0, the declared floor, refuses 'ME')
@pytest.mark.parametrize("freq", ["MS", "W-MON", "D", "B", "QS", pd.offsets.MonthEnd().freqstr])
@pytest.mark.parametrize("fill", [None, "ffill", "interpolate"])
def test_read_panel_puts_all_series_on_their_calendar_as_the_loop_did(freq, fill, monkeypatch):
    """The rows missing from each series' grid added at once (calendar_grid.on_one_grid)
    equal the reindex per series: the frame (values, dtypes, order), ids, the record of
    filled cells; a gap refused without fill= is refused the same."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import frame as F

    table = gapped_table(freq)

    def read():
        try:
            return read_panel(table, fill=fill, covariates=["price", "count", "promo"]
                              if fill is None else None)
        except DataError as e:
            return str(e)

    new = read()
    with monkeypatch.context() as m:
        m.setattr(F, "on_one_grid", lambda long, freq: None)
        old = read()
    if isinstance(old, str):
        assert new == old and "NaN values or missing" in old
        return
    pd.testing.assert_frame_equal(new.df, old.df, check_exact=True)
    assert (new.ids, new.freq, new.period) == (old.ids, old.freq, old.period)
    pd.testing.assert_frame_equal(new.filled.mask, old.filled.mask)
    pd.testing.assert_frame_equal(new.filled.keys, old.filled.keys)
    assert len(new.df) > len(table)  # (rows were added)


@pytest.mark.parametrize("case", ["off the calendar", "time of day", "two steps"])
def test_series_the_one_grid_cannot_take_go_through_the_loop(case):
    """A date off the calendar is named as before; dates at another time of day, or a
    frequency of two steps, take the loop (a grid per series)."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel.calendar_grid import on_one_grid

    table = gapped_table("MS").sort_values(["unique_id", "ds"]).reset_index(drop=True)
    if case == "off the calendar":
        table.loc[3, "ds"] = table.loc[3, "ds"] + pd.Timedelta(days=1)
        assert on_one_grid(table, "MS") is None
        with pytest.raises(DataError, match=r"series 's0' has dates off its 'MS' calendar"):
            read_panel(table, fill="ffill")
    elif case == "time of day":
        assert on_one_grid(table.assign(ds=table["ds"] + pd.Timedelta(hours=9)), "MS") is None
    else:
        assert on_one_grid(table, "2MS") is None


def test_a_text_static_column_of_a_series_with_a_missing_date_is_its_one_value():
    """read_panel(fill=...) adds a row for a date missing from a series; fill fills its
    numbers, not text: the static covariate read from the panel's own column was then
    refused as 'varies in time within series' (a NaN counted as a second value)."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel.new_series import constant_static
    from rnnlab.panel.static_covariates import static_table

    panel = read_panel(gapped_table("D"), fill="ffill")
    assert panel.df["region"].isna().any()  # (the added rows)
    table = static_table(panel, ["region"])
    assert table["region"].to_dict() == {f"s{i}": f"r{i % 2}" for i in range(5)}
    assert constant_static(panel.df, ["region"])["region"].tolist() == [
        f"r{i % 2}" for i in range(5)]
    two = panel.df.assign(region=np.where(panel.df.index == 3, "r9", panel.df["region"]))
    with pytest.raises(DataError, match="varies in time within series"):  # (still refused)
        static_table(panel.with_df(two), ["region"])
