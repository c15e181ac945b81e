"""The panel model's Python API as the issue writes it: fit(df) on a plain DataFrame,
predict(horizon, future_covariates=...), and backtest() returning DataFrames."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, PanelConfig, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.frame import as_panel

TINY = dict(hidden_size=8, head_size=16, batch_size=32, batches_per_epoch=5, epochs=2, seed=3,
            transform="none", difference="none")


def _frame(series=3, n=60, seed=0):
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(series):
        x = rng.standard_normal(n + 4 * i)
        parts.append(pd.DataFrame({
            "unique_id": f"s{i}", "ds": pd.date_range("2001-01-01", periods=len(x), freq="D"),
            "y": 5.0 + i + 2 * x + 0.1 * rng.standard_normal(len(x)), "x": x}))
    return pd.concat(parts, ignore_index=True)


def test_fit_takes_a_dataframe_and_predict_takes_future_covariates():
    df = _frame()
    train = df.groupby("unique_id").head(-5).reset_index(drop=True)
    future = df.groupby("unique_id").tail(5)[["unique_id", "ds", "x"]]
    a = GlobalForecaster("gru", lookback=8, horizon=5, future_covariates=("x",), **TINY).fit(train)
    b = GlobalForecaster("gru", lookback=8, horizon=5, future_covariates=("x",),
                         **TINY).fit(read_panel(train))
    pa = a.predict(5, future_covariates=future)
    pd.testing.assert_frame_equal(pa, b.predict(5, future=future))
    assert {"unique_id", "ds", "step", "mean", "q0.1", "q0.9"} <= set(pa.columns)
    with pytest.raises(TypeError, match="not both"):
        a.predict(5, future=future, future_covariates=future)


def test_backtest_method_is_the_panel_backtest_of_its_config():
    df = _frame(series=2, n=50)
    f = GlobalForecaster("gru", lookback=8, horizon=4, future_covariates=("x",), **TINY)
    got = f.backtest(df, first_origin=8, stride=4, baselines=("naive",))
    want = backtest(lambda: GlobalForecaster(config=f.config), read_panel(df), horizon=4,
                    first_origin=8, stride=4, baselines=("naive",), future_covariates=("x",),
                    quantiles=f.config.quantiles, name="gru")
    assert isinstance(got.forecasts, pd.DataFrame) and isinstance(got.summary(), pd.DataFrame)
    pd.testing.assert_frame_equal(got.forecasts, want.forecasts)
    assert set(got.forecasts["model"]) == {"gru", "naive"}
    # origins on common dates (align='date'): s0 ends 4 days before s1, so after the
    # second origin it has no value and is not scored there
    assert got.forecasts.groupby("unique_id")["origin"].nunique().to_dict() == {"s0": 1, "s1": 2}


def test_a_panel_is_refused_clearly_when_it_is_no_table():
    with pytest.raises(DataError, match="expected a panel.*got list"):
        as_panel([1, 2, 3])
    with pytest.raises(DataError, match="expected a panel"):
        GlobalForecaster("gru", lookback=4, horizon=2, **TINY).fit(42)


def test_model_lookback_horizon_beside_a_config_are_refused_not_ignored():
    # GlobalForecaster("gru", config=PanelConfig()) trained an LSTM: the positional model
    # (and lookback, horizon) were dropped silently; Forecaster refuses them
    cfg = PanelConfig(horizon=3)
    with pytest.raises(TypeError, match=r"not both \(given: model\)"):
        GlobalForecaster("gru", config=cfg)
    with pytest.raises(TypeError, match=r"not both \(given: epochs, horizon\)"):
        GlobalForecaster(horizon=6, epochs=2, config=cfg)
    assert GlobalForecaster(config=cfg).config.horizon == 3


@pytest.mark.parametrize("make", ["panel", "series"])
def test_a_config_given_in_the_place_of_the_model_says_to_pass_it_as_config(make):
    # re-creating a saved model's run, GlobalForecaster(loaded.config) (or Forecaster's)
    # said "unknown model PanelConfig(...); known models: rnn, ..."
    from rnnlab.forecast import ForecastConfig, Forecaster

    cls, cfg = ((GlobalForecaster, PanelConfig(horizon=3)) if make == "panel"
                else (Forecaster, ForecastConfig(horizon=3)))
    with pytest.raises(TypeError, match=r"model should be an architecture's name, found a "
                                        r"\w+Config: pass a whole config as \w+\(config=\.\.\.\)"):
        cls(cfg)
