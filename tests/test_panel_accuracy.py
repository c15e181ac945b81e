"""fable's ``accuracy(fc, data)``: forecasts made apart (predict on a cut panel, a
forecasts.csv read back) scored against the data with the backtest's metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel
from rnnlab.panel.backtest import backtest


def quarterly():
    rng = np.random.default_rng(1)
    n = 24
    season = np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=n, freq="Q").astype(str), "y": 10 * (i + 1) + season + rng.random(n)})
        for i, u in enumerate(["a", "b", "c"])])
    return read_panel(df)


def sort(t):
    return t.sort_values(["model", "unique_id"]).reset_index(drop=True)


def test_accuracy_of_a_backtests_forecasts_is_its_own_per_series_and_summary(tmp_path):
    """The same numbers from the forecasts alone (scales recomputed per origin), also from
    the forecasts.csv read back (dates as text: '2014Q1')."""
    p = quarterly()
    res = backtest(None, p, horizon=4, first_origin=8, stride=4,
                   baselines=["naive", "seasonal_naive"], quantiles=(0.025, 0.1, 0.5, 0.9, 0.975))
    bare = res.forecasts.drop(columns=["y", "scale", "rms_scale"])
    pd.testing.assert_frame_equal(sort(accuracy(bare, p)), sort(res.per_series()))
    overall = accuracy(bare, p, by=("model",))
    pd.testing.assert_frame_equal(overall, res.summary()[overall.columns])
    assert {"rmsse", "crps", "coverage80", "coverage95"} <= set(overall.columns)
    res.forecasts.to_csv(tmp_path / "fc.csv", index=False)
    back = pd.read_csv(tmp_path / "fc.csv")
    pd.testing.assert_frame_equal(sort(accuracy(back, p)), sort(res.per_series()),
                                  check_exact=False, rtol=1e-12)


def test_a_forecast_past_a_cut_is_scaled_by_the_values_before_it():
    p = quarterly()
    fc = p.df.groupby("unique_id").tail(4)[["unique_id", "ds", "y"]].rename(
        columns={"y": "mean"}).assign(mean=lambda t: t["mean"] + 1.0)
    acc = accuracy(fc, p)
    assert acc["model"].tolist() == ["model"] * 3 and acc["mae"].round(12).tolist() == [1.0] * 3
    a = p.df[p.df["unique_id"] == "a"]["y"].to_numpy()[:20]
    scale = np.mean(np.abs(a[4:] - a[:-4]))  # the seasonal naive's in-sample MAE, m = 4
    assert acc.loc[acc["unique_id"] == "a", "mase"].item() == pytest.approx(1.0 / scale)


def test_forecasts_dated_past_the_data_are_refused_saying_what_to_pass():
    p = quarterly()
    fc = pd.DataFrame({"unique_id": ["a"], "ds": ["2016Q1"], "mean": [1.0]})
    with pytest.raises(DataError, match="none of the 1 forecasts is dated on a value"):
        accuracy(fc, p)
    with pytest.raises(DataError, match=r"lack columns \['mean'\]"):
        accuracy(fc.drop(columns="mean"), p)


def test_forecasts_past_the_data_are_left_out_with_a_warning():
    p = quarterly()
    fc = pd.DataFrame({"unique_id": ["a", "a"], "ds": ["2015Q4", "2016Q1"], "mean": [1.0, 1.0]})
    with pytest.warns(UserWarning, match=r"1 of 2 forecasts have no value .*'a' on 2016-01-01"):
        acc = accuracy(fc, p)
    assert acc["n"].tolist() == [1]


def test_forecasts_of_other_series_are_said_so_not_pointed_to_later_data(tmp_path):
    """forecasts.csv read back with pandas (007 -> 7) against the panel read from the CSV
    (007 kept): the refusal said to pass the data up to the forecasts' dates, which it held
    (review of session 24)."""
    rows = [f"{s},{d:%Y-%m-%d},{k % 4 + k}" for s in ("007", "010")
            for k, d in enumerate(pd.date_range("2010-01-01", periods=12, freq="MS"))]
    (tmp_path / "d.csv").write_text("store,month,units\n" + "\n".join(rows) + "\n")
    p = read_panel(tmp_path / "d.csv", id_column="store", date_column="month", target="units")
    fc = pd.DataFrame({"unique_id": [7, 10], "ds": ["2010-11-01"] * 2, "mean": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"none of the forecasts' series \(7, 10\) is in the "
                                        r"data, which holds 007, 010; .*dtype=\{'unique_id'"):
        accuracy(fc, p)
    with pytest.raises(DataError, match=r"series \(x\) is in the data, which holds 007, 010; "
                                        r"pass the data of the same series$"):
        accuracy(fc.assign(unique_id="x"), p)
    got = accuracy(fc.assign(unique_id=["007", "010"]), p)
    assert list(got.unique_id) == ["007", "010"]


def test_a_panel_of_integer_steps_is_told_in_steps(recwarn):
    """accuracy named an undated panel's steps as the internal days (1970-01-31)."""
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": np.arange(30), "y": np.arange(30.0) + k})
                    for k, u in enumerate("AB")])
    p = read_panel(df)
    fc = pd.concat([pd.DataFrame({"unique_id": u, "ds": np.arange(28, 32), "mean": 30.0})
                    for u in "AB"])
    with pytest.warns(UserWarning, match=r"4 of 8 forecasts have no value in the data on "
                                         r"their step \(e.g. series 'A' on 30\)"):
        got = accuracy(fc, p)
    assert list(got.mae) == [1.5, 0.5] and list(got.n) == [2, 2]
    with pytest.raises(DataError, match=r"\(forecast steps 38 \.\. 41 of series \['A', 'B'\]; "
                                        r"the data ends 29\)"):
        accuracy(fc.assign(ds=fc.ds + 10), p)


def test_a_cutoff_column_scales_each_window_by_its_own_history():
    """NeuralForecast's and statsforecast's cross_validation name the origin ``cutoff``:
    each window is scaled by the values before it, as with ``origin`` (it was ignored,
    every window scaled by the values before the series' first one), and as
    utilsforecast's ``mase`` scales each (series, cutoff)."""
    p = quarterly()
    res = backtest(None, p, horizon=4, first_origin=12, stride=2, baselines=["seasonal_naive"])
    bare = res.forecasts.drop(columns=["y", "scale", "rms_scale"])
    nf = bare.rename(columns={"origin": "cutoff"})
    pd.testing.assert_frame_equal(sort(accuracy(nf, p)), sort(res.per_series()))
    a = p.df[p.df["unique_id"] == "a"]["y"].to_numpy()
    rows = nf[(nf["unique_id"] == "a") & (nf["model"] == "seasonal_naive")]
    err, scales = [], []
    for k, (cut, g) in enumerate(rows.groupby("cutoff")):
        before = a[:12 + 2 * k]  # the values up to this cutoff (24 - 12 + 2k of them)
        scales.append(np.mean(np.abs(before[4:] - before[:-4])))
        err.append(np.mean(np.abs(g["mean"].to_numpy() - a[12 + 2 * k:16 + 2 * k])))
    got = accuracy(nf, p).set_index(["model", "unique_id"]).loc[("seasonal_naive", "a"), "mase"]
    assert len(set(np.round(scales, 9))) > 1  # (the windows' scales differ: the test can fail)
    assert got == pytest.approx(np.mean(np.array(err) / np.array(scales)))


def test_forecasts_of_several_origins_without_their_origin_are_warned_of():
    p = quarterly()
    res = backtest(None, p, horizon=4, first_origin=12, stride=2, baselines=["seasonal_naive"])
    bare = res.forecasts.drop(columns=["y", "scale", "rms_scale", "origin"])
    with pytest.warns(UserWarning, match="more than once .* no 'origin' or 'cutoff' column"):
        accuracy(bare, p)


def test_neuralforecasts_columns_are_refused_with_the_rename_that_scores_them():
    """A cross_validation frame of NeuralForecast (LSTM, LSTM-median, LSTM-lo-80, ...)
    was refused naming only the columns expected; the rename the error gives scores it
    as our own columns are scored."""
    p = quarterly()
    res = backtest(None, p, horizon=4, first_origin=8, stride=4, baselines=["seasonal_naive"],
                   quantiles=(0.025, 0.1, 0.5, 0.9, 0.975))
    ours = res.forecasts.drop(columns=["y", "scale", "rms_scale", "model"])
    nf = ours.rename(columns={"origin": "cutoff", "mean": "LSTM", "q0.5": "LSTM-median",
                              "q0.1": "LSTM-lo-80", "q0.9": "LSTM-hi-80",
                              "q0.025": "LSTM-lo-95", "q0.975": "LSTM-hi-95"})
    with pytest.raises(DataError, match="NeuralForecast's columns of model 'LSTM'") as e:
        accuracy(nf, p)
    said = str(e.value)
    assert "'cutoff' column is read as the origin" in said
    code = said[said.index("fc.rename("):].split("; its")[0]  # (the call, as said)
    fixed = eval(code, {"fc": nf})
    assert set(fixed.columns) >= {"mean", "q0.025", "q0.1", "q0.5", "q0.9", "q0.975", "model"}
    want = accuracy(ours.assign(model="LSTM"), p)
    pd.testing.assert_frame_equal(accuracy(fixed, p), want)


@pytest.mark.parametrize("part", [slice(None), slice(0, 2)])
def test_forecasts_dated_off_the_datas_calendar_are_refused_saying_so(part):
    """Quarter-end dates (Darts' 'QE' frames) for a panel of quarter starts: refused
    telling the data to be passed up to dates it already covered (all of them off), or
    left out with a warning saying the same (some of them off). Now the calendar is named,
    with the redating that scores them."""
    p = quarterly()
    fc = p.df.groupby("unique_id").tail(4)[["unique_id", "ds", "y"]].rename(
        columns={"y": "mean"})
    moved = fc["ds"].dt.to_period("Q").dt.to_timestamp(how="end").dt.normalize()
    fc.loc[fc.index[part], "ds"] = moved[fc.index[part]]
    theirs = r"; the forecasts: 'QE-DEC'" if part == slice(None) else ""  # (both named)
    with pytest.raises(DataError, match=r"off the data's calendar \(frequency 'QS-JAN'"
                                        rf"{theirs}\): 2015-03-31.*data's dates near 2015-03-31 are "
                                        r"2015-01-01, 2015-04-01.*to_period\('Q'\)"
                                        r"\.dt\.to_timestamp\(\)"):
        accuracy(fc, p)
    fc["ds"] = fc["ds"].dt.to_period("Q").dt.to_timestamp()  # (the redating said)
    assert accuracy(fc, p)["mae"].max() == 0
