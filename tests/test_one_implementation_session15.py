"""Duplicates made one (session 15): where two copies had drifted apart, the two entry
points now agree, and these tests pin it."""

import importlib

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as panel_metrics

forecast_metrics = importlib.import_module("rnnlab.forecast.metrics")  # (the package's
# attribute `metrics` is the function of that name)


def _series(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return 10 + np.sin(np.arange(n) * 2 * np.pi / 7) * 3 + rng.standard_normal(n)


def test_mase_scale_leaves_out_only_the_differences_a_nan_is_part_of():
    # was: the panel's copy dropped the NaN, then paired values m + 1 apart across it
    # (13/5 here); the single-series copy made the whole scale NaN
    y = np.array([1.0, 2, 3, np.nan, 4, 6, 9, 7])
    # period 2: |3-1|, |4-3|, |9-4|, |7-6| (the pairs with the NaN left out) -> 9/4
    for scale in (forecast_metrics.mase_scale, panel_metrics.mase_scale):
        assert scale(y, 2) == pytest.approx(9 / 4)
        # no pair a season apart known: the naive's differences, NaN pairs left out
        assert scale(np.array([np.nan, 1.0, 2.0, 4.0]), 3) == pytest.approx(1.5)
        assert np.isnan(scale(np.array([1.0, np.nan]), 2))  # nothing known: no scale
    full = _series()
    assert forecast_metrics.mase_scale(full, 7) == panel_metrics.mase_scale(full, 7)


def test_single_series_and_panel_mase_agree_on_the_same_series():
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.frame import read_panel

    y = _series()
    ds = pd.date_range("2021-01-04", periods=len(y), freq="D")
    panel = read_panel(pd.DataFrame({"unique_id": "s", "ds": ds, "y": y}))
    res = backtest(None, panel, horizon=5, first_origin=5, baselines=["seasonal_naive"],
                   quantiles=())
    fc = res.forecasts
    history, truth = y[:-5], y[-5:]
    pred = np.tile(history[-7:], 2)[:5]  # the seasonal naive, period 7 (daily)
    np.testing.assert_allclose(fc["mean"], pred, rtol=1e-12)
    scale = forecast_metrics.mase_scale(history, 7)
    np.testing.assert_allclose(fc["scale"], scale, rtol=1e-12)
    single = forecast_metrics.metrics(truth, pred, scale)["mase"]
    assert res.summary().set_index("model").loc["seasonal_naive", "mase"] == \
        pytest.approx(single, rel=1e-12)
    assert panel_metrics.point_metrics(truth, pred, scale)["mase"] == \
        pytest.approx(single, rel=1e-12)


@pytest.mark.parametrize("levels", [(0.9, 0.1), (0.5, 1.5), (10, 50, 90), (0.5, 0.9, 0.9000001),
                                    "0.1,0.9"])
def test_panel_config_and_the_baselines_refuse_quantile_levels_in_the_same_words(levels):
    # was: two checks, PanelConfig's a DataError "quantiles must be strictly increasing and
    # not empty, got [0.9, 0.1]; sort them and drop repeats", the baselines' and backtest's
    # a ValueError "quantile levels must be sorted and distinct; got [0.9, 0.1]. Pass them
    # in increasing order, e.g. [0.1, 0.9]"
    from rnnlab.io.errors import DataError
    from rnnlab.panel.baselines import Naive
    from rnnlab.panel.config import PanelConfig

    with pytest.raises(DataError) as config:
        PanelConfig(quantiles=levels)
    with pytest.raises(DataError) as naive:
        Naive(quantiles=levels)
    assert str(config.value) == str(naive.value) and "quantile levels" in str(naive.value)


def test_panel_config_still_wants_one_level_at_least():
    from rnnlab.io.errors import DataError
    from rnnlab.panel.baselines import Naive
    from rnnlab.panel.config import PanelConfig

    assert Naive(quantiles=()).quantiles == ()  # (a baseline: points only)
    with pytest.raises(DataError, match=r"quantiles must hold one level at least, got \(\)"):
        PanelConfig(quantiles=())


def _panel(n=30):
    from rnnlab.panel.frame import read_panel

    ds = pd.date_range("2021-01-04", periods=n, freq="D")
    return read_panel(pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": ds,
                                               "y": _series(n, seed=i)}) for i in range(2)],
                                ignore_index=True))


def test_backtest_and_predict_read_a_horizon_alike():
    # was: backtest's own _steps refused np.array(4) ("horizon must be a whole number of
    # steps; got array(4)", a ValueError) that predict reads as 4, and worded 2.5 with ';'
    from rnnlab.io.errors import DataError
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import Naive

    panel = _panel()
    run = dict(first_origin=8, stride=4, baselines=["naive"], quantiles=())
    for h in (np.array(4), np.array(4.0), 4.0):
        pd.testing.assert_frame_equal(backtest(None, panel, horizon=h, **run).forecasts,
                                      backtest(None, panel, horizon=4, **run).forecasts)
    model = Naive().fit(panel)
    pd.testing.assert_frame_equal(model.predict(np.array(4)), model.predict(4))
    for bad in (2.5, True, np.array(2.5), 0):
        with pytest.raises(DataError) as by_backtest:
            backtest(None, panel, horizon=bad, **run)
        with pytest.raises(DataError) as by_predict:
            model.predict(bad)
        assert str(by_backtest.value) == str(by_predict.value)
        assert str(by_predict.value).startswith("horizon must be")
    with pytest.raises(DataError, match=r"stride must be a whole number of steps, got 2\.5"):
        backtest(None, panel, horizon=4, **dict(run, stride=2.5))


def test_a_forecasters_predict_forecast_with_and_backtest_read_steps_alike():
    # was: predict(2.0) forecast 2 steps, while forecast_with(..., 2.0) and
    # backtest(horizon=2.0) were refused ("a whole number"), their own checks (is_whole)
    from rnnlab.forecast import Forecaster

    y = _series(40)
    f = Forecaster(lookback=4, horizon=2, val_size=0, difference="none", hidden_size=4,
                   epochs=1, ensemble=1, progress=False).fit(y)
    np.testing.assert_array_equal(f.predict(2.0).to_numpy(), f.predict(2).to_numpy())
    np.testing.assert_array_equal(f.forecast_with("linear_ar", y, np.array(2)),
                                  f.forecast_with("linear_ar", y, 2))
    run = dict(first_origin=4, baselines="naive", quantiles=())
    a = f.backtest(y, horizon=2.0, stride=np.array(2), **run).forecasts
    b = f.backtest(y, horizon=2, stride=2, **run).forecasts
    pd.testing.assert_frame_equal(a.drop(columns="mean"), b.drop(columns="mean"))
    np.testing.assert_allclose(a["mean"], b["mean"], rtol=1e-5)
