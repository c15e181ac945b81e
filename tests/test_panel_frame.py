"""Reading panels: forms, calendars, and every bad input refused with the series/rows named."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.config import PanelConfig, check_quantiles
from rnnlab.panel.calendar import calendar_features
from rnnlab.panel.covariates import future_block
from rnnlab.panel.datasets import load_panel, us_employment_titles
from rnnlab.panel.frame import check_lengths, read_panel, static_table

# numpy.exceptions is numpy >= 1.25; numpy < 2 also has the class at the top level
COMPLEX_WARNING = ("numpy.exceptions.ComplexWarning" if hasattr(np, "exceptions")
                   else "numpy.ComplexWarning")


def _long(n=(30, 24), freq="MS", start=("2000-01-01", "2001-01-01")):
    parts = []
    for i, (k, s) in enumerate(zip(n, start)):
        ds = pd.date_range(s, periods=k, freq=freq)
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": np.arange(k) + 1.0 + i,
                                   "temp": np.sin(np.arange(k))}))
    return pd.concat(parts[::-1], ignore_index=True)  # unsorted on purpose


def test_long_frame_detected_sorted_with_lengths_and_starts():
    p = read_panel(_long())
    assert p.ids == ("s0", "s1") and p.freq == "MS" and p.period == 12
    assert list(p.df.columns) == ["unique_id", "ds", "y", "temp"]
    assert p.lengths().to_dict() == {"s0": 30, "s1": 24}
    assert p.df.groupby("unique_id")["ds"].apply(lambda s: s.is_monotonic_increasing).all()
    assert p.cut(5).lengths().to_dict() == {"s0": 25, "s1": 19}


def test_other_names_csv_wide_and_dict(tmp_path):
    df = _long().rename(columns={"unique_id": "region", "ds": "when", "y": "nights"})
    path = tmp_path / "p.csv"
    df.to_csv(path, index=False)
    p = read_panel(str(path), id_column="region", date_column="when", target="nights")
    assert p.ids == ("s0", "s1") and p.df["y"].iloc[0] == 1.0 and "temp" in p.df.columns
    wide = pd.DataFrame({"a": [np.nan, 1.0, 2.0, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 4.0, 5.0]},
                        index=pd.date_range("2020-01-01", periods=5, freq="D"))
    pw = read_panel(wide)
    assert pw.lengths().to_dict() == {"a": 4, "b": 5} and pw.freq == "D"  # a starts later
    pd_ = read_panel({"x": wide["b"], "y2": wide["a"].dropna()})
    assert pd_.ids == ("x", "y2") and pd_.lengths()["y2"] == 4


def test_missing_id_column_named():
    with pytest.raises(DataError, match="id column 'region' not found"):
        read_panel(_long(), id_column="region")
    df = _long().drop(columns="unique_id").assign(name="x")
    with pytest.raises(DataError, match="no id column: expected 'unique_id'"):
        read_panel(df)


def test_duplicate_pair_named():
    df = _long()
    df = pd.concat([df, df.iloc[[3]]])
    with pytest.raises(DataError, match=r"repeat an \(id, date\) pair: \('s1', 2001-04-01\)"):
        read_panel(df)


def test_different_frequencies_named():
    a = pd.DataFrame({"unique_id": "m", "ds": pd.date_range("2000-01-01", periods=12, freq="MS"),
                      "y": 1.0})
    b = pd.DataFrame({"unique_id": "d", "ds": pd.date_range("2000-01-01", periods=12, freq="D"),
                      "y": 1.0})
    with pytest.raises(DataError, match="different frequencies.*'m'.*'d'|different frequencies.*'d'.*'m'"):
        read_panel(pd.concat([a, b]))


def test_nan_target_and_gaps_refused_or_filled():
    df = _long()
    df.loc[(df.unique_id == "s0") & (df.ds == "2000-03-01"), "y"] = np.nan
    with pytest.raises(DataError, match=r"the target has 1 NaN.*\('s0', 2000-03-01\).*fill="):
        read_panel(df)
    assert read_panel(df, fill="interpolate").df.query("unique_id == 's0'")["y"].iloc[2] == 3.0
    gap = _long().drop(index=5)  # a missing month of s1
    with pytest.raises(DataError, match=r"missing dates.*\('s1', 2001-06-01\)"):
        read_panel(gap)
    filled = read_panel(gap, fill="ffill")
    assert filled.lengths()["s1"] == 24 and not filled.df["y"].isna().any()


def test_covariate_nan_named():
    df = _long()
    df.loc[0, "temp"] = np.nan
    with pytest.raises(DataError, match=r"covariate 'temp' has 1 NaN.*\('s1', 2001-01-01\)"):
        read_panel(df)


def test_static_covariate_varying_in_time_refused():
    df = _long().assign(kind=lambda d: np.where(d.index % 2 == 0, "a", "b"))
    p = read_panel(df)
    with pytest.raises(DataError, match="static covariate 'kind' varies in time within series"):
        static_table(p, ["kind"])
    ok = read_panel(_long().assign(kind=lambda d: d.unique_id + "_k"))
    assert static_table(ok, ["kind"])["kind"].tolist() == ["s0_k", "s1_k"]
    table = pd.DataFrame({"unique_id": ["s0", "s1"], "size": [1.0, 2.0]})
    assert static_table(ok, ["size"], table)["size"].tolist() == [1.0, 2.0]


def test_short_series_skipped_with_warning_or_refused():
    p = read_panel(_long(n=(30, 10)))
    with pytest.warns(UserWarning, match=r"1 series shorter than lookback \+ horizon = 20.*'s1' \(10\)"):
        kept = check_lengths(p, 20)
    assert kept.ids == ("s0",)
    with pytest.raises(DataError, match=r"'s1' \(10\)"):
        check_lengths(p, 20, on_short="error")


def test_quantiles_and_config_checked():
    with pytest.raises(DataError, match=r"lie in \(0, 1\)"):
        check_quantiles([0.1, 1.2])
    with pytest.raises(DataError, match="strictly increasing"):
        check_quantiles([0.9, 0.1])
    with pytest.raises(DataError, match=r"needs country= \(--country: "):
        PanelConfig(calendar=("holiday",))
    with pytest.raises(DataError, match=r"\['holidays'\] unknown; .* \(meant: holiday\?\)"):
        PanelConfig(calendar=("dayofweek", "holidays"), country="AU")
    with pytest.raises(DataError, match="likelihood must be"):
        PanelConfig(likelihood="poisson")
    with pytest.raises(DataError, match=r"unknown model 'lstmm' \(did you mean 'lstm'\?\); "
                                        r"known models: rnn"):
        PanelConfig(model="lstmm")


def test_future_covariates_missing_named():
    last = {"s0": pd.Timestamp("2000-01-01")}
    fut = pd.DataFrame({"unique_id": "s0", "ds": pd.date_range("2000-02-01", periods=2, freq="MS"),
                        "temp": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"missing for series 's0' on 1 of the 3 forecast dates \(2000-04-01"):
        future_block(fut, ["s0"], last, 3, "MS", ["temp"])
    with pytest.raises(DataError, match="pass future="):
        future_block(None, ["s0"], last, 3, "MS", ["temp"])
    assert future_block(fut, ["s0"], last, 2, "MS", ["temp"])["s0"]["temp"].tolist() == [1.0, 2.0]


def test_calendar_features():
    ds = pd.to_datetime(["2014-01-01", "2014-01-02", "2014-07-01"])
    f = calendar_features(ds, ["month", "holiday"], "AU-VIC")
    assert f.shape == (3, 3)
    np.testing.assert_allclose(f[:, 0], [0.0, 0.0, np.sin(np.pi)], atol=1e-6)  # sin of month
    assert f[:, 2].tolist() == [1.0, 0.0, 0.0]  # New Year's Day


def test_builtin_panels():
    v = load_panel("visnights")
    assert len(v.ids) == 20 and v.period == 4 and v.lengths().unique().tolist() == [76]
    e = load_panel("elecdaily")
    assert e.freq == "D" and {"Temperature", "WorkDay"} <= set(e.covariates) and len(e.df) == 365
    assert len(us_employment_titles()) == 148
    assert read_panel("visnights").ids == v.ids  # by name, as the CLI's --data passes it
    with pytest.raises(DataError, match="no such file.*built-in panel \\(us_employment"):
        read_panel("visnight")
    with pytest.raises(DataError, match="unknown panel"):
        load_panel("m4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading raises no warnings
        load_panel("visnights")


@pytest.mark.filterwarnings(f"error::{COMPLEX_WARNING}")
def test_complex_target_or_covariate_refused_with_the_row():
    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-01", periods=6),
                       "y": np.arange(6.0), "x": np.arange(6.0)})
    with pytest.raises(DataError, match=r"column 'y' holds 1 numbers with an imaginary part "
                                        r"\(row 2: \(2\+1j\)\)"):
        read_panel(df.assign(y=df["y"] + np.where(np.arange(6) == 2, 1j, 0)))
    with pytest.raises(DataError, match=r"column 'x' holds 6 numbers with an imaginary part"):
        read_panel(df.assign(x=df["x"] - 1j))
    ok = read_panel(df.assign(y=df["y"] + 0j))  # no imaginary part: nothing lost
    assert ok.df["y"].dtype == np.float64 and ok.df["y"].tolist() == list(range(6))


def test_complex_future_covariate_refused():
    from rnnlab.panel.covariates import numeric_covariates

    fut = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-01", periods=3),
                        "x": [1.0, 2.0 + 3j, 4.0]})
    with pytest.raises(DataError, match=r"future: column 'x' holds 1 numbers with an imaginary "
                                        r"part \(row 1: \(2\+3j\)\)"):
        numeric_covariates(fut, ["x"], "future")


def test_complex_values_in_the_future_table_given_to_predict_are_refused():
    from rnnlab.panel.covariates import future_block

    fut = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-02", periods=3),
                        "x": [1.0, 2.0 + 3j, 4.0]})
    with pytest.raises(DataError, match=r"future covariates: column 'x' holds 1 numbers with "
                                        r"an imaginary part \(row 1: \(2\+3j\)\)"):
        future_block(fut, ["a"], {"a": pd.Timestamp("2000-01-01")}, 3, "D", ["x"])
    ok = future_block(fut.assign(x=[1.0, 2.0, 4.0 + 0j]), ["a"],
                      {"a": pd.Timestamp("2000-01-01")}, 3, "D", ["x"])
    assert ok["a"]["x"].tolist() == [1.0, 2.0, 4.0]


def test_series_of_a_panel_with_integer_ids_takes_the_id_as_given():
    # ids are text in df: p.series(1) of a table with ids 1, 2 was an empty frame, silently
    ds = list(pd.date_range("2020-01-01", periods=6, freq="D"))
    p = read_panel(pd.DataFrame({"unique_id": [1] * 6 + [2] * 6, "ds": ds * 2,
                                 "y": np.arange(12.0)}))
    assert p.series(2)["y"].tolist() == [6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
    assert p.series("2")["y"].tolist() == p.series(2)["y"].tolist()
