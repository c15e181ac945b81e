"""Integer time steps as a panel's ds (NeuralForecast's int ds): read, forecast, backtested,
saved and written back as integers continuing each series' own steps (rnnlab.panel.int_steps)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive, SeasonalNaive

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=8, seed=0)


def _df(covariate=False):
    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"unique_id": f"s{i}", "ds": np.arange(start, start + n),
                           "y": rng.normal(size=n) + 10.0})
             for i, (start, n) in enumerate([(1, 30), (5, 26), (0, 34)])]  # different starts
    df = pd.concat(parts, ignore_index=True)
    return df.assign(x=np.arange(len(df)) % 3.0) if covariate else df


def _future(df, h=3):
    last = df.groupby("unique_id")["ds"].max()
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": np.arange(k + 1, k + 1 + h), "x": 1.0})
                      for u, k in last.items()], ignore_index=True)


def test_read_panel_takes_integer_steps_with_no_season_and_baselines_continue_each_series():
    p = read_panel(_df())
    assert (p.ds_period, p.period, p.lengths().tolist()) == ("int", None, [30, 26, 34])
    assert p.given()["ds"].tolist() == _df().sort_values(["unique_id", "ds"])["ds"].tolist()
    fc = Naive().fit(p).predict(2)
    assert pd.api.types.is_integer_dtype(fc["ds"])
    assert fc.groupby("unique_id")["ds"].apply(list).to_dict() == {
        "s0": [31, 32], "s1": [31, 32], "s2": [34, 35]}
    with pytest.raises(DataError, match="integer time steps.*period=N"):
        SeasonalNaive().fit(p).predict(2)  # no calendar, so no season guessed
    assert SeasonalNaive(period=4).fit(p).predict(2)["ds"].tolist()[:2] == [31, 32]


def test_steps_of_two_and_a_gap_fill_or_refuse_naming_the_step():
    even = _df().assign(ds=lambda d: d["ds"] * 2)
    assert Naive().fit(read_panel(even)).predict(1)["ds"].tolist() == [62, 62, 68]
    gap = _df()[lambda d: ~((d.unique_id == "s0") & (d.ds == 7))]
    with pytest.raises(DataError, match=r"missing steps \(series, step: \('s0', 7\)\)") as e:
        read_panel(gap)
    assert "1970" not in str(e.value)  # the internal days are never shown
    assert read_panel(gap, fill="ffill").lengths().tolist() == [30, 26, 34]
    with pytest.raises(DataError, match=r"freq= is the step"):
        read_panel(_df(), freq="MS")
    with pytest.raises(DataError, match=r"not a multiple of 2 .*\('s0', 2\)"):
        read_panel(_df(), freq=2)


def test_a_history_of_another_kind_or_step_is_refused_and_local_models_give_steps():
    df = _df()
    f = GlobalForecaster("lstm", lookback=6, horizon=3, **TINY).fit(df)
    assert f.predict(2, history=df[df.ds < 20])["ds"].tolist() == [20, 21] * 3
    with pytest.raises(DataError, match="steps are 2 apart, but the model was fitted on steps "
                                        "1 apart"):
        f.predict(history=df.assign(ds=df.ds * 2))
    dated = df.assign(ds=pd.Timestamp("2020-01-01") + pd.to_timedelta(df.ds, unit="D"))
    with pytest.raises(DataError, match="the history has dates as ds, but the model was "
                                        "fitted on integer time steps"):
        f.predict(history=dated)
    local = GlobalForecaster("lstm", lookback=6, horizon=3, local=True, **TINY).fit(df)
    assert local.predict(1)["ds"].tolist() == [31, 31, 34]
    stacked = read_panel(df.set_index(["unique_id", "ds"]))  # statsforecast's old frames
    assert stacked.ds_period == "int" and stacked.lengths().tolist() == [30, 26, 34]


def test_global_forecaster_matches_future_covariates_by_step_and_saves_the_kind(tmp_path):
    df = _df(covariate=True)
    f = GlobalForecaster("lstm", lookback=6, horizon=3, future_covariates=("x",), **TINY).fit(df)
    fut = _future(df)
    out = f.predict(future=fut)
    assert out["ds"].tolist() == [31, 32, 33, 31, 32, 33, 34, 35, 36]
    with pytest.raises(DataError, match=r"'s0' on 1 of the 3 forecast steps \(32\)"):
        f.predict(future=fut[~((fut.unique_id == "s0") & (fut.ds == 32))])
    dated = fut.assign(ds=pd.Timestamp("2020-01-01") + pd.to_timedelta(fut["ds"], unit="D"))
    with pytest.raises(DataError, match="future= has dates as ds, but the model was fitted on "
                                        "integer time steps"):
        f.predict(future=dated)
    f.save(tmp_path / "m")
    back = GlobalForecaster.load(tmp_path / "m").predict(future=fut)
    assert back["ds"].tolist() == out["ds"].tolist()
    np.testing.assert_allclose(back["mean"], out["mean"], rtol=1e-6)
    with pytest.raises(DataError, match="calendar features need dates.*integer time steps"):
        GlobalForecaster("lstm", lookback=6, horizon=3, calendar=("month",), **TINY).fit(df)


def test_future_rows_off_the_forecast_steps_are_named_by_their_step():
    """Were named by the internal day standing for the step (1970-02-10 for step 40)."""
    df = _df(covariate=True)
    f = GlobalForecaster("lstm", lookback=6, horizon=3, future_covariates=("x",), **TINY).fit(df)
    fut = _future(df)
    fut = pd.concat([fut[~((fut.unique_id == "s0") & (fut.ds == 32))],
                     pd.DataFrame({"unique_id": ["s0"], "ds": [40], "x": [1.0]})],
                    ignore_index=True)
    with pytest.raises(DataError, match=r"forecast steps \(32\).*other dates for it \(40\)"):
        f.predict(future=fut)


def test_backtest_gives_integer_cutoffs_and_steps():
    res = backtest(None, _df(), horizon=2, first_origin=4, stride=2, baselines="naive")
    fc = res.forecasts
    assert pd.api.types.is_integer_dtype(fc["origin"]) and pd.api.types.is_integer_dtype(fc["ds"])
    s0 = fc[fc.unique_id == "s0"]
    # the steps are one axis: origins 29 and 31 before the last step 33, every series cut
    # there (s0 ends at 30: one value after 29, none after 31)
    assert sorted(fc["origin"].unique().tolist()) == [29, 31]
    assert s0["origin"].tolist() == [29] and s0["ds"].tolist() == [30]
    assert (fc["ds"] == fc["origin"] + fc["step"]).all()
    fc = backtest(None, _df(), horizon=2, first_origin=4, stride=2, baselines="naive",
                  align="end").forecasts  # (each series' own end)
    s0 = fc[fc.unique_id == "s0"]
    assert sorted(s0["origin"].unique().tolist()) == [26, 28]
    assert (s0["ds"] == s0["origin"] + s0["step"]).all()


def test_cli_backtest_and_forecast_write_steps(tmp_path, capsys):
    from rnnlab.cli import main

    data = tmp_path / "int.csv"
    _df().to_csv(data, index=False)
    out = tmp_path / "bt"
    assert main(["backtest", "--data", str(data), "--horizon", "2", "--model", "naive",
                 "--baselines", "naive", "--plot-series", "0", "--out", str(out)]) == 0
    fc = pd.read_csv(out / "forecasts.csv")
    assert pd.api.types.is_integer_dtype(fc["ds"]) and fc["ds"].max() == 33
    # asked for, seasonal_naive needs --period here; the default baselines leave it out
    assert main(["backtest", "--data", str(data), "--horizon", "2", "--model", "seasonal_naive",
                 "--out", str(tmp_path / "bt2")]) != 0
    assert "--model seasonal_naive: the data's ds are integer time steps" in capsys.readouterr().err
    run = tmp_path / "fc"
    assert main(["forecast", "--data", str(data), "--horizon", "2", "--model", "naive",
                 "--out", str(run)]) == 0
    got = pd.read_csv(run / "forecasts.csv")
    assert got.groupby("unique_id")["ds"].max().to_dict() == {"s0": 32, "s1": 32, "s2": 35}


def test_sample_paths_refuse_a_history_of_another_kind_as_predict_does():
    """predict refused a dated history for a model fitted on steps; sample_paths did not
    check (the review found it)."""
    df = _df()
    f = GlobalForecaster("lstm", lookback=6, horizon=3, likelihood="gaussian", **TINY).fit(df)
    assert sorted(f.sample_paths(history=df)) == ["s0", "s1", "s2"]
    dated = df.assign(ds=pd.Timestamp("2020-01-01") + pd.to_timedelta(df.ds, unit="D"))
    with pytest.raises(DataError, match="the history has dates as ds, but the model was "
                                        "fitted on integer time steps"):
        f.sample_paths(history=dated)
