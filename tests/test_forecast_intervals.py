"""Prediction intervals of the single-series Forecaster (rnnlab.forecast.intervals)."""

import numpy as np
import pandas as pd
import pytest
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.forecast.arma import ARMA
from rnnlab.forecast.intervals import (LEAST_SCALE, error_sd, psi_weights, unit_sd,
                                       width_scale)
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=6, horizon=6)
LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


@pytest.fixture(scope="module")
def fitted():
    return Forecaster(**TINY).fit(seasonal(120, noise=2.0))


def test_psi_weights_of_an_arma_are_its_impulse_response():
    phi, theta = np.array([0.5, -0.2]), np.array([0.4])
    x = np.zeros(12)  # the response of d_t = phi d + theta a_{t-1} + a_t to a_0 = 1
    for t in range(12):
        x[t] = (1.0 if t == 0 else 0.0) + (theta[0] if t == 1 else 0.0) + sum(
            phi[i] * x[t - 1 - i] for i in range(2) if t - 1 - i >= 0)
    np.testing.assert_allclose(psi_weights(phi, theta, 12), x, rtol=1e-12)


def test_the_width_is_statsmodels_forecast_variance_of_the_same_seasonal_arima():
    sm = pytest.importorskip("statsmodels.tsa.statespace.sarimax")
    phi, theta, lag, steps = (0.5, -0.2), (0.4,), 4, 10
    rng = np.random.default_rng(0)
    a = rng.normal(size=400)
    d = np.zeros(400)
    for t in range(400):
        d[t] = a[t] + (theta[0] * a[t - 1] if t else 0.0) + sum(
            phi[i] * d[t - 1 - i] for i in range(2) if t - 1 - i >= 0)
    y = np.zeros(400)
    for t in range(400):
        y[t] = d[t] + (y[t - lag] if t >= lag else 0.0)
    model = sm.SARIMAX(y, order=(2, 0, 1), seasonal_order=(0, 1, 0, lag), trend="n")
    var = model.filter(np.r_[phi, theta, 1.0]).get_forecast(steps).var_pred_mean
    np.testing.assert_allclose(unit_sd(np.array(phi), np.array(theta), lag, steps) ** 2, var,
                               rtol=1e-6)


def test_sigma_is_the_spread_of_the_innovations():
    rng = np.random.default_rng(1)
    d = rng.normal(0, 3.0, 600)  # white noise: coefficients near 0, sigma near 3
    arma = ARMA(1, 0)
    arma.coef = np.zeros(1)
    sd = error_sd(arma, d, lag=12, steps=24)
    # innovations start after the p = 1 value the AR part reads; the first LONG_AR left out
    assert abs(sd[0] - np.std(d[1 + 24:])) < 1e-12
    np.testing.assert_allclose(sd[11], sd[0])  # within a year: one innovation each step
    np.testing.assert_allclose(sd[12], sd[0] * np.sqrt(2))  # a second year adds a second


def test_quantiles_are_ordered_centred_on_the_forecast_and_positive_for_logs(fitted):
    assert fitted.pipeline.log and fitted.pipeline.lag == 12
    point = fitted.predict()
    df = fitted.predict(quantiles=LEVELS)
    assert list(df.columns) == ["mean", "q0.025", "q0.1", "q0.5", "q0.9", "q0.975"]
    assert df.index.equals(point.index)
    np.testing.assert_allclose(df["mean"], point.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(df["q0.5"], df["mean"], rtol=1e-12)  # the median
    q = df.drop(columns="mean").to_numpy()
    assert (np.diff(q, axis=1) > 0).all()
    wide = fitted.predict(quantiles=(1e-12, 0.5))
    assert (wide["q1e-12"] > 0).all()  # exp of a log quantile: never below zero
    width = np.log(df["q0.9"] / df["q0.1"]).to_numpy()
    assert (np.diff(width) >= -1e-12).all()  # widening with the step


def test_the_width_scales_with_the_chosen_forecasts_validation_against_arma(fitted):
    base = fitted.predict(quantiles=(0.1, 0.9))
    c = width_scale(fitted.choice)
    scores = dict(fitted.choice["scores"])
    raw = scores[fitted.choice["method"]] / scores["arma"]
    assert c == pytest.approx(max(raw, LEAST_SCALE))
    kept = fitted.choice
    try:
        scores[kept["method"]] = 2 * scores[kept["method"]]
        fitted.choice = dict(kept, scores=scores)
        wider = fitted.predict(quantiles=(0.1, 0.9))
    finally:
        fitted.choice = kept
    w0 = np.log(base["q0.9"] / base["mean"]).to_numpy()
    w1 = np.log(wider["q0.9"] / wider["mean"]).to_numpy()
    np.testing.assert_allclose(w1, w0 * max(2 * raw, LEAST_SCALE) / c, rtol=1e-9)


def test_history_gives_quantiles_after_its_end_and_a_saved_model_the_same(fitted, tmp_path):
    newer = seasonal(132, noise=2.0)
    df = fitted.predict(quantiles=(0.1, 0.9), history=newer)
    assert df.index[0] == newer.index[-1] + pd.offsets.MonthBegin()
    loaded = Forecaster.load(fitted.save(tmp_path / "m"))
    pd.testing.assert_frame_equal(loaded.predict(quantiles=(0.1, 0.9)),
                                  fitted.predict(quantiles=(0.1, 0.9)))


@pytest.mark.parametrize("bad, says", [((0.9, 0.1), "sorted"), (1.5, r"\(0, 1\)"),
                                       ((), "no levels"),
                                       ("median", r"a number or a sequence of numbers in "
                                                  r"\(0, 1\).*got 'median'")])
def test_bad_levels_are_refused_with_what_to_pass(fitted, bad, says, monkeypatch):
    def no_forecast(*a, **k):
        raise AssertionError("forecast made before the levels were checked")

    monkeypatch.setattr(fitted, "_predict", no_forecast)
    with pytest.raises(DataError, match=says):
        fitted.predict(quantiles=bad)


def test_a_fit_without_what_the_width_needs_says_why():
    f = Forecaster(difference="none", **TINY).fit(seasonal(96))
    with pytest.raises(DataError, match="does not difference"):
        f.predict(quantiles=(0.1, 0.9))
    for settings in (dict(val_size=0), dict(select="network")):  # no arma score to scale by
        g = Forecaster(**settings, **TINY).fit(seasonal(96))
        with pytest.raises(DataError, match=r"val_size=0, or a select that scores no arma"):
            g.predict(quantiles=(0.1, 0.9))


def test_the_backtest_scores_the_models_intervals(fitted):
    res = fitted.backtest(horizon=6, first_origin=12, stride=6, baselines=("seasonal_naive",),
                          quantiles=(0.1, 0.5, 0.9))
    fc = res.forecasts
    model = fc[fc["model"] == "model"]
    assert model[["q0.1", "q0.5", "q0.9"]].notna().all().all()
    assert (model["q0.1"] < model["q0.9"]).all()
    summary = res.summary().set_index("model")
    assert np.isfinite(summary.loc["model", ["coverage80", "crps"]].astype(float)).all()


def test_the_plots_band_label_names_uncentred_levels():
    from rnnlab.forecast.plots import _level

    assert _level("q0.1", "q0.9") == "80%"
    assert _level("q0.025", "q0.975") == "95%"
    assert _level("q0.1", "q0.5") == "q0.1-q0.5, 40%"  # was "40%", read as a central interval
