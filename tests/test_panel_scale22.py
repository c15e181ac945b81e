"""A panel run of thousands of series: the passes over every forecast (errors, CRPS) made
once per run, and the whole-array forms equal to what they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def old_row_kinds(have):  # the loop as it was (np.unique over rows)
    return [(k, (have == k).all(axis=1)) for k in np.unique(have, axis=0)]


def as_set(kinds):
    return {(tuple(k), tuple(np.flatnonzero(rows))) for k, rows in kinds}


@pytest.mark.parametrize("n,k", [(0, 3), (1, 1), (50, 3), (200, 7), (30, 64), (30, 70)])
def test_row_kinds_group_the_rows_as_unique_over_rows_did(n, k):
    rng = np.random.default_rng(n + k)
    have = rng.random((n, k)) < 0.7
    have[: n // 2] = True  # (most rows alike, as a run's forecasts are)
    new, old = M._row_kinds(have), old_row_kinds(have)
    assert as_set(new) == as_set(old)
    assert len(new) == len(old)


def test_crps_of_rows_with_different_levels_is_each_rows_own():
    """Rows of three kinds (all levels, a point model's NaN, two levels of three): each
    scored on its own levels, as each would be alone."""
    rng = np.random.default_rng(0)
    y = rng.normal(size=9)
    qs = np.sort(rng.normal(size=(9, 3)), axis=1)
    qs[3:6] = np.nan
    qs[6:, 1] = np.nan
    levels = (0.1, 0.5, 0.9)
    out = M._crps_or_nan(y, qs, levels)
    assert np.isnan(out[3:6]).all()
    np.testing.assert_array_equal(out[:3], M.crps(y[:3], qs[:3], levels))
    np.testing.assert_array_equal(out[6:], M.crps(y[6:], qs[6:][:, [0, 2]], (0.1, 0.9)))


def small_result():
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.frame import read_panel

    rng = np.random.default_rng(1)
    parts = [pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range(
        end="2021-06-30", periods=40 + 3 * i, freq="D"),
        "y": 50 + rng.normal(0, 5, 40 + 3 * i)}) for i in range(6)]
    panel = read_panel(pd.concat(parts, ignore_index=True))
    return backtest(None, panel, horizon=7, first_origin=21, stride=7,
                    baselines=("naive", "seasonal_naive"))


def test_tables_are_summary_per_series_and_by_step():
    res = small_result()
    summary, per_series, by_step = res.tables()
    pd.testing.assert_frame_equal(summary, res.summary(), check_exact=True)
    pd.testing.assert_frame_equal(per_series, res.per_series(), check_exact=True)
    pd.testing.assert_frame_equal(by_step, res.by_step(), check_exact=True)
    for a, b in zip(res.tables(common=False), (res.summary(common=False),
                                               res.per_series(common=False),
                                               res.by_step(common=False))):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_a_backtest_run_scores_its_forecasts_once_and_the_grid_once(tmp_path, monkeypatch):
    """``rnnlab backtest`` computed every forecast's errors and CRPS six times (summary,
    per_series and by_step for the files, then by_step, per_series and the grid's
    per_series again for the plots): 20 s of a 3,000-series run. Now once for the tables
    and once for the grid's choice of series (over the model's rows alone)."""
    from rnnlab.cli import main

    calls = []
    inner = M.add_errors

    def counted(fc):
        calls.append(len(fc))
        return inner(fc)

    monkeypatch.setattr(M, "add_errors", counted)
    out = tmp_path / "bt"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                 "seasonal_naive", "--horizon", "4", "--plot-series", "2", "--no-progress",
                 "--out", str(out)]) == 0
    assert (out / "forecasts.png").is_file() and (out / "errors.png").is_file()
    rows = len(pd.read_csv(out / "forecasts.csv"))
    assert calls == [rows, rows // 2], calls


def old_window_scales(rows, window, lag, logs=frozenset()):  # the loop as it was
    from rnnlab.panel.change_scales import safe_log
    from rnnlab.panel.scaling import FLAT_SHARE

    out = {}
    for uid, g in rows.groupby("unique_id", sort=False):
        y = g["y"].to_numpy(dtype=float)[-window:]
        on_logs = str(uid) in logs
        y = safe_log(y) if on_logs else y
        d = np.abs(y[lag:] - y[:-lag]) if len(y) > lag else np.array([])
        s = float(np.mean(d)) if d.size else 0.0
        if not (np.isfinite(s) and s > 0):
            s = FLAT_SHARE * (1.0 if on_logs else float(np.mean(np.abs(y)))) if y.size else 0.0
        out[str(uid)] = s if np.isfinite(s) and s > 0 else FLAT_SHARE
    return out


@pytest.mark.parametrize("window,lag", [(28, 1), (35, 7), (5, 7), (200, 12)])
def test_window_scales_equal_the_per_series_loop(window, lag):
    """Ragged lengths (1 to 150 values), logs for some, constant, zero, NaN and negative
    series, ids in no sorted order: the same numbers, bit for bit, in the same order."""
    from rnnlab.panel.calibration import window_scales

    rng = np.random.default_rng(window + lag)
    parts, logs = [], set()
    for i in rng.permutation(60):
        n = int(rng.integers(1, 150))
        y = rng.lognormal(2, 1.5, n) * 10.0 ** (i % 4)
        if i % 7 == 0:
            y[:] = 3.0  # constant
        if i % 11 == 0:
            y[:] = 0.0
        if i % 13 == 0:
            y[n // 2] = np.nan
        if i % 5 == 0:
            y -= 50.0  # some negative
        if i % 3 == 0:
            logs.add(f"id{i}")
        parts.append(pd.DataFrame({"unique_id": f"id{i}", "y": y}))
    rows = pd.concat(parts, ignore_index=True)
    new = window_scales(rows, window, lag, frozenset(logs))
    old = old_window_scales(rows, window, lag, frozenset(logs))
    assert list(new) == list(old)
    assert all(type(v) is float for v in new.values())
    np.testing.assert_array_equal(np.array(list(new.values())), np.array(list(old.values())))
    assert window_scales(rows.iloc[:0], window, lag) == {}


def test_series_values_are_the_groupbys_groups():
    """What ``with_new_series`` reads of each series (its length, its y values), without a
    frame per series: the same ids, order and values as the groupby it replaced."""
    from rnnlab.panel.new_series import _series_values

    rng = np.random.default_rng(3)
    ids = rng.choice([f"b{i}" for i in range(9)] + ["a", "10", "2"], 300)
    df = pd.DataFrame({"unique_id": pd.array(ids, dtype="string"), "y": rng.normal(size=300)})
    new = _series_values(df)
    old = {str(u): g["y"].to_numpy() for u, g in df.groupby("unique_id", sort=False)}
    assert list(new) == list(old)
    for u in old:
        np.testing.assert_array_equal(new[u], old[u])
    assert _series_values(df.iloc[:0]) == {}


def test_the_forecast_grid_draws_each_series_own_rows():
    """The grid finds each panel's rows among the series drawn (it masked the whole
    forecasts and history tables per series, origin and baseline): each panel still
    draws its own series' history, and the model's forecast from each origin."""
    from rnnlab.panel.plots import _drawable, plot_forecast_grid

    res = small_result()
    fc = res.forecasts.assign(model=res.forecasts["model"].replace({"naive": "m"}))
    fc, history = _drawable(fc, None)
    fig = plot_forecast_grid(None, fc, history, series=["s4", "s1"])
    for ax, uid in zip(fig.axes, ["s4", "s1"]):
        assert ax.get_title() == uid
        truth = history[history["unique_id"] == uid]
        drawn = {line.get_label(): line for line in ax.get_lines()}
        np.testing.assert_array_equal(drawn["truth"].get_ydata(), truth["y"].to_numpy())
        mine = fc[(fc["unique_id"] == uid) & (fc["model"] == "m")]
        first = mine[mine["origin"] == mine["origin"].min()]
        np.testing.assert_array_equal(drawn["m"].get_ydata(), first["mean"].to_numpy())


DATE_TEXTS = [
    ["2020-01-31", "2020-02-01", "2020-02-02"],
    ["1998Q1", "1998Q2", "1998 Q3"],
    ["2019M01", "2019M02", "2019-M3"],
    ["2019-W02", "2019-W03", "2019W04"],
    ["Jan-18", "Feb-18", "Sept-18"],
    ["31/01/2020", "01/02/2020", "02/02/2020"],
    ["01.02.2020", "02.02.2020", "03.02.2020"],
    ["2021-03-01 23:00", "2021-03-01 24:00", "2021-03-02 01:00"],
    ["2021-10-30 00:00:00+02:00", "2021-10-31 00:00:00+02:00", "2021-11-01 00:00:00+01:00"],
    ["2021-03-28 01:00:00+00:00", "2021-03-28 03:00:00+02:00", "2021-03-28 04:00:00+02:00"],
    ["2020-01", "2020-02", "2020-03"],
    ["2020-01-31", None, "2020-02-02"],
]


@pytest.mark.parametrize("texts", DATE_TEXTS, ids=lambda t: str(t[1]))
@pytest.mark.parametrize("dtype", [object, "string"])
def test_read_dates_reads_each_distinct_text_as_the_whole_column_did(texts, dtype):
    """A long panel's date column repeats each date in every series: its distinct texts
    are read once (they were matched against the period forms row by row) and the dates
    are the same, of the same dtype, as reading every row."""
    from rnnlab.data import dates as D

    rng = np.random.default_rng(len(texts[0]))
    col = pd.Series(np.array(texts, dtype=object)[rng.integers(0, 3, 40)], name="when",
                    dtype=dtype)
    col.iloc[:3] = texts
    unique = pd.Series(pd.unique(col))
    dayfirst = D._day_first(unique, "t", "when", ordered=False)
    new = D.read_dates(col, "t", "when")
    old = D._to_dates(col.reset_index(drop=True), dayfirst)
    pd.testing.assert_index_equal(new, old, exact=True)


def test_a_bad_date_among_repeated_ones_is_named_as_before():
    from rnnlab.data import dates as D

    col = pd.Series(["2020-01-01", "2020-01-02"] * 30 + ["2020-13-45"] + ["2020-01-01"] * 5)
    with pytest.raises(ValueError) as new:
        D.read_dates(col, "t", "ds")
    with pytest.raises(ValueError) as old:
        D._to_dates(col, False)
    assert str(new.value) == str(old.value)


@pytest.mark.parametrize("texts,form", [(["1998Q1", "1998Q2"], "Q-DEC"), (["2019M01", "2019M2"], "M"),
                                        (["1998Q1", "2019M01"], None), (["1998Q1", None], None),
                                        (["2020-01", "2020-02"], None)])
def test_period_form_of_repeated_texts(texts, form):
    """Read on the distinct texts (a panel repeats each date in every series): the same
    form as every row gave."""
    from rnnlab.data.date_forms import period_form

    for dtype in (object, "string"):
        col = pd.Series(np.array(texts * 50, dtype=object), dtype=dtype)
        assert period_form(col) == form


def test_a_panel_is_hashed_once_until_its_table_changes(monkeypatch):
    """``rnnlab backtest`` hashed the panel's CSV text for config.json and again inside
    backtest() (1.3 s of CPU each for 600,000 rows): the digest is kept on the panel with
    a fingerprint of its table, and a table changed in place is hashed again."""
    from rnnlab.io import rundir
    from rnnlab.panel.backtest_save import panel_sha256
    from rnnlab.panel.frame import read_panel

    texts = []
    inner = rundir.data_hash

    def counted(text):
        texts.append(text)
        return inner(text)

    monkeypatch.setattr(rundir, "data_hash", counted)
    df = pd.DataFrame({"unique_id": ["a"] * 5 + ["b"] * 5, "y": np.arange(10.0),
                       "ds": list(pd.date_range("2020-01-01", periods=5, freq="D")) * 2})
    panel = read_panel(df)
    first = panel_sha256(panel)
    assert first == inner(panel.df.to_csv(index=False))
    assert panel_sha256(panel) == first and len(texts) == 1  # (the same table: kept)
    panel.df.loc[3, "y"] = 99.0  # changed in place
    changed = panel_sha256(panel)
    assert changed != first and changed == inner(panel.df.to_csv(index=False))
    assert len(texts) == 2
    panel.df["y"] = panel.df["y"].astype("float32")  # same values, another dtype
    assert panel_sha256(panel) == inner(panel.df.to_csv(index=False)) and len(texts) == 3
    other = read_panel(df)  # another panel of the same table: its own digest, the same
    assert panel_sha256(other) == first


def test_a_zero_made_negative_in_place_is_hashed_again():
    """pandas' row hashes take -0.0 for 0.0, the CSV text does not: the digest kept was
    stale (not the hash of the table's text) after a 0.0 was set to -0.0 in place."""
    from rnnlab.io.rundir import data_hash
    from rnnlab.panel.backtest_save import panel_sha256
    from rnnlab.panel.frame import read_panel

    df = pd.DataFrame({"unique_id": ["a"] * 6, "y": np.arange(6.0),
                       "ds": pd.date_range("2020-01-01", periods=6, freq="D")})
    panel = read_panel(df)
    first = panel_sha256(panel)
    panel.df.loc[panel.df.index[0], "y"] = -0.0
    assert panel_sha256(panel) == data_hash(panel.df.to_csv(index=False)) != first


def test_series_of_the_same_dates_have_their_frequency_told_once(monkeypatch):
    """``read_panel`` told each series' frequency with pandas (0.3 ms a series): series of
    the very same dates (a panel's series that start together) are told once, and the
    frequency, or the error naming series of different ones, is what it was."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import panel_freq

    told = []
    inner = panel_freq.infer_freq_with_gaps

    def counted(idx):
        told.append(len(idx))
        return inner(idx)

    monkeypatch.setattr(panel_freq, "infer_freq_with_gaps", counted)
    starts = ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-01", "2024-02-01"]
    groups = {f"s{i}": pd.DataFrame({"ds": pd.date_range(d, "2024-03-31", freq="D")})
              for i, d in enumerate(starts)}
    assert panel_freq.common_freq(groups, "t") == "D" and len(told) == 2
    zoned = {u: g.assign(ds=g["ds"].dt.tz_localize("UTC")) for u, g in groups.items()}
    assert panel_freq.common_freq({**groups, "z": zoned["s0"]}, "t") == "D"
    assert len(told) == 5  # (the same instants in a zone: other dates, told again)
    weekly = pd.DataFrame({"ds": pd.date_range("2024-01-07", periods=12, freq="W")})
    with pytest.raises(DataError, match=r"different frequencies \(D: 's0', 's1', 's2', "
                                        r"'s3' \.\.\.; W-SUN: 'w'\)"):
        panel_freq.common_freq({**groups, "w": weekly}, "t")
