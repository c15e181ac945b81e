"""nixtla_frame: our forecasts in statsforecast's / NeuralForecast's columns (AutoETS,
AutoETS-lo-80, ...), values as given, read back by rnnlab's own reader of those columns."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigError, DataError
from rnnlab.panel import ETS, SeasonalNaive, nixtla_frame, read_panel
from rnnlab.panel.peer_columns import peer_renames

LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


@pytest.fixture(scope="module")
def panel():
    dates = pd.date_range("2015-01-01", periods=48, freq="MS")
    rng = np.random.default_rng(1)
    return read_panel(pd.concat([pd.DataFrame({
        "unique_id": uid, "ds": dates,
        "y": 50 + 5 * np.sin(np.arange(48) * 2 * np.pi / 12) + rng.random(48)})
        for uid in "ab"], ignore_index=True))


def test_a_forecast_gets_statsforecasts_columns_and_keeps_its_values(panel):
    fc = SeasonalNaive(quantiles=LEVELS).fit(panel).predict(6)
    out = nixtla_frame(fc, name="SeasonalNaive")
    m = "SeasonalNaive"
    assert list(out.columns) == ["unique_id", "ds", m, f"{m}-lo-95", f"{m}-lo-80",
                                 f"{m}-hi-80", f"{m}-hi-95", f"{m}-median"]
    for ours, theirs in (("mean", m), ("q0.025", f"{m}-lo-95"), ("q0.9", f"{m}-hi-80"),
                         ("q0.5", f"{m}-median")):
        np.testing.assert_array_equal(out[theirs].to_numpy(), fc[ours].to_numpy())
    assert out[["unique_id", "ds"]].equals(fc[["unique_id", "ds"]])


def test_its_columns_read_back_as_ours(panel):
    fc = ETS(quantiles=LEVELS).fit(panel).predict(4)
    out = nixtla_frame(fc, name="AutoETS")
    back = out.rename(columns=peer_renames(out.columns)["AutoETS"])
    for c in ("mean",) + tuple(f"q{q:g}" for q in LEVELS):
        np.testing.assert_array_equal(back[c].to_numpy(), fc[c].to_numpy())


def test_a_backtests_models_become_columns_beside_cutoff_and_y(panel):
    rows = []
    for model in (SeasonalNaive(), ETS()):
        fc = model.fit(panel.cut(6)).predict(6)
        fc = fc.merge(panel.df[["unique_id", "ds", "y"]], on=["unique_id", "ds"])
        rows.append(fc.assign(model=type(model).__name__.lower(),
                              origin=panel.cut(6).df["ds"].max()))
    both = pd.concat(rows, ignore_index=True)
    out = nixtla_frame(both, name={"ets": "AutoETS"})
    assert list(out.columns[:4]) == ["unique_id", "ds", "cutoff", "y"]
    assert {"seasonalnaive", "seasonalnaive-lo-80", "AutoETS", "AutoETS-hi-80",
            "AutoETS-median"} <= set(out.columns)
    assert len(out) == len(rows[0])  # (a row per series and date, not per model)
    np.testing.assert_array_equal(out["AutoETS"].to_numpy(), rows[1]["mean"].to_numpy())
    np.testing.assert_array_equal(out["y"].to_numpy(), rows[0]["y"].to_numpy())


def test_a_level_without_its_pair_keeps_neuralforecasts_quantile_name(panel):
    fc = SeasonalNaive(quantiles=(0.3, 0.5)).fit(panel).predict(2)
    out = nixtla_frame(fc, name="M")
    assert list(out.columns[2:]) == ["M", "M-median", "M_ql0.3"]


def test_what_it_cannot_name_is_refused_saying_what_to_pass(panel):
    fc = SeasonalNaive().fit(panel).predict(2)
    with pytest.raises(ConfigError, match=r"nixtla_frame\(fc, name='LSTM'\)"):
        nixtla_frame(fc)
    with pytest.raises(ConfigError, match=r"name=\{'ets': 'AutoETS'\}"):
        nixtla_frame(fc.assign(model="ets"), name="AutoETS")
    with pytest.raises(DataError, match="unique_id, ds, mean"):
        nixtla_frame(fc.drop(columns="mean"), name="M")


def test_rnnlab_score_scores_its_columns_as_ours(panel, tmp_path):
    from rnnlab.forecast import score_forecast

    fc = SeasonalNaive().fit(panel.cut(6)).predict(6)
    actuals = panel.df[["unique_id", "ds", "y"]]
    ours = score_forecast(fc, actuals).summary
    theirs = score_forecast(nixtla_frame(fc, name="SeasonalNaive"), actuals).summary
    assert "crps" in ours.columns
    assert theirs["model"].tolist() == ["SeasonalNaive"]  # (ours: "forecast", no name)
    pd.testing.assert_frame_equal(ours.drop(columns="model"), theirs.drop(columns="model"))


def test_a_one_series_forecast_dated_by_its_index_is_told_how_to_give_its_columns(panel):
    fc = SeasonalNaive().fit(panel).predict(3)
    one = fc[fc["unique_id"] == "a"].set_index("ds")[["mean", "q0.1", "q0.9"]]
    with pytest.raises(DataError) as e:
        nixtla_frame(one, name="LSTM")
    fix = "fc.rename_axis('ds').reset_index().assign(unique_id='y')"
    assert fix in str(e.value)
    out = nixtla_frame(eval(fix, {"fc": one}), name="LSTM")  # (the fix said, as said)
    assert list(out.columns) == ["unique_id", "ds", "LSTM", "LSTM-lo-80", "LSTM-hi-80"]


def _two_models_backtest(panel):
    """A backtest frame of two baselines (model, origin, y columns, as res.forecasts)."""
    rows = []
    for model in (SeasonalNaive(), ETS()):
        fc = model.fit(panel.cut(6)).predict(6)
        fc = fc.merge(panel.df[["unique_id", "ds", "y"]], on=["unique_id", "ds"])
        rows.append(fc.assign(model=model.name, origin=panel.cut(6).df["ds"].max()))
    return rows


def test_the_actuals_are_kept_where_the_first_model_lacks_a_series(panel):
    sn, ets = _two_models_backtest(panel)
    both = pd.concat([sn[sn["unique_id"] == "a"], ets], ignore_index=True)
    out = nixtla_frame(both, name={})
    b = out[out["unique_id"] == "b"]
    assert len(b) == 6 and b["seasonal_naive"].isna().all()
    np.testing.assert_array_equal(b["y"].to_numpy(), ets[ets["unique_id"] == "b"]["y"])


def test_a_rename_that_gives_two_models_one_name_is_refused(panel):
    both = pd.concat(_two_models_backtest(panel), ignore_index=True)
    with pytest.raises(ConfigError, match=r"two models one name \('ets' from 'seasonal_naive'"):
        nixtla_frame(both, name={"seasonal_naive": "ets"})
    out = nixtla_frame(both, name={"seasonal_naive": "ets", "ets": "AutoETS"})  # (a swap)
    assert len(out) == 12 and {"ets", "AutoETS"} <= set(out.columns)


def test_a_median_alone_is_scored_back_as_our_median(panel):
    from rnnlab.forecast import score_forecast

    fc = SeasonalNaive(quantiles=(0.5,)).fit(panel.cut(6)).predict(6)
    out = nixtla_frame(fc, name="M")
    assert list(out.columns) == ["unique_id", "ds", "M", "M-median"]
    actuals = panel.df[["unique_id", "ds", "y"]]
    ours = score_forecast(fc, actuals).summary
    assert "pinball" in ours.columns  # (its one level is scored)
    back = score_forecast(out, actuals).summary
    assert back["model"].tolist() == ["M"]
    pd.testing.assert_frame_equal(ours.drop(columns="model"), back.drop(columns="model"))


def test_a_backtests_frame_has_statsforecasts_column_order(panel):
    from rnnlab.panel.backtest import backtest

    res = backtest(SeasonalNaive, panel, horizon=3, first_origin=6, stride=3)
    assert list(res.forecasts.columns).index("origin") < list(res.forecasts.columns).index("ds")
    out = nixtla_frame(res.forecasts, name={"model": "SeasonalNaive"})
    assert list(out.columns[:5]) == ["unique_id", "ds", "cutoff", "y", "SeasonalNaive"]


def test_a_rename_of_a_model_the_frame_lacks_is_refused_naming_its_models(panel):
    both = pd.concat(_two_models_backtest(panel), ignore_index=True)
    with pytest.raises(ConfigError, match=r"renames 'ETS', not a model of the frame, whose "
                                          r"models are 'seasonal_naive', 'ets'"):
        nixtla_frame(both, name={"ETS": "AutoETS"})
