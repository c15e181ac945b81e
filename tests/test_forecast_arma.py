"""The ``arma`` baseline and member of ``weighted``: ARMA(p, q) with no constant by
Hannan-Rissanen least squares (rnnlab.forecast.arma)."""

import json

import numpy as np
import pytest
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.forecast.arma import ARMA
from rnnlab.forecast.baselines import seasonal_naive
from rnnlab.io.errors import CheckpointError

TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, lookback=6, horizon=6)


def simulate(phi, theta, n, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n + 200)
    d = np.zeros(n + 200)
    for t in range(2, n + 200):
        d[t] = (sum(p * d[t - 1 - i] for i, p in enumerate(phi))
                + sum(q * a[t - 1 - j] for j, q in enumerate(theta)) + a[t])
    return d[200:]


def test_hannan_rissanen_recovers_a_well_identified_arma_1_1():
    d = simulate([0.7], [0.4], 20000)
    np.testing.assert_allclose(ARMA(1, 1).fit(d).coef, [0.7, 0.4], atol=0.03)


def test_a_pure_ar_fit_is_least_squares_on_the_lags():
    d = simulate([0.5, -0.3], [], 3000, seed=1)
    m = ARMA(2, 0).fit(d)
    start = 24 + 2  # the long AR's order, then the lags
    x = np.column_stack([d[start - 1:-1], d[start - 2:-2]])
    np.testing.assert_allclose(m.coef, np.linalg.lstsq(x, d[start:], rcond=None)[0],
                               rtol=1e-12)


def test_forecast_matches_statsmodels_state_space_filter_for_the_same_coefficients():
    sm = pytest.importorskip("statsmodels.tsa.arima.model")
    d = simulate([0.5, 0.2], [0.4], 2000, seed=2)
    coef = np.array([0.5, 0.2, 0.4])
    ours = ARMA(2, 1).set_coef(coef, "test").forecast(d, 12)
    ref = sm.ARIMA(d, order=(2, 0, 1), trend="n").filter(np.r_[coef, 1.0]).forecast(12)
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-9)


def test_an_explosive_or_short_fit_falls_back_to_a_zero_change():
    d = np.zeros(400)
    rng = np.random.default_rng(3)
    for t in range(1, 400):
        d[t] = 1.03 * d[t - 1] + rng.standard_normal()
    assert not ARMA().fit(d).coef.any()
    assert not ARMA().fit(np.arange(10.0)).coef.any()  # too short for two steps
    np.testing.assert_array_equal(ARMA().fit(d).forecast(d, 5), np.zeros(5))


def test_an_ma_part_near_a_unit_root_falls_back_to_a_zero_change():
    # hourly data with a 7-hour cycle and a trend, differenced at lag 24: HR estimates
    # theta = -0.97, invertible only just; the filtered innovations then summed up the
    # differences' mean and the forecast ran away (RMSE 18.7 where the s. naive had 6.9)
    t = np.arange(276)
    y = (50 + 5 * np.sin(2 * np.pi * t / 7) + 0.05 * t
         + np.random.default_rng(5).normal(0, 1, 300)[:276])
    d = np.log(y[24:]) - np.log(y[:-24])
    m = ARMA().fit(d)
    assert not m.coef.any()
    np.testing.assert_array_equal(m.forecast(d, 4), np.zeros(4))
    kept = ARMA(1, 1).fit(simulate([0.3], [-0.9], 5000, seed=4))  # theta -0.9: kept
    assert kept.coef[1] == pytest.approx(-0.9, abs=0.06)


def test_bad_orders_and_coefficients_are_refused():
    with pytest.raises(ValueError, match=r"p \+ q >= 1, got \(0, 0\)"):
        ARMA(0, 0)
    with pytest.raises(ValueError, match=r"expected 3 finite coefficients \(ARMA\(2, 1\)\), found 2"):
        ARMA().set_coef([0.1, 0.2], "arma")
    with pytest.raises(ValueError, match="finite"):
        ARMA().set_coef([0.1, np.nan, 0.2], "arma")


def test_forecaster_arma_member_integrates_its_changes_like_linear_ar0():
    f = Forecaster(**TINY).fit(seasonal(seed=5))  # default: log and seasonal differences
    assert f.arma is not None and f.arma.coef.shape == (3,) and "arma" in f.candidates()
    h = f.series.values[:f.n_train]
    f.arma.coef = np.zeros(3)  # a zero change: the seasonal naive after integration
    np.testing.assert_allclose(f.forecast_with("arma", h, 12), seasonal_naive(h, 12, 12),
                               rtol=1e-10)
    f.arma.coef = np.array([0.5, 0.0, 0.0])  # the next yearly log change: half the last
    g = np.log(h)
    got = f.forecast_with("arma", h, 2)
    np.testing.assert_allclose(np.log(got), [g[-12] + 0.5 * (g[-1] - g[-13]),
                                             g[-11] + 0.25 * (g[-1] - g[-13])], rtol=1e-10)


def test_saved_arma_is_checked_and_old_models_refit_it(tmp_path):
    f = Forecaster(**TINY).fit(seasonal(seed=7))
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    np.testing.assert_array_equal(g.arma.coef, f.arma.coef)
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    meta.pop("_sha256", None)
    m = json.loads(json.dumps(meta))
    m["extra"]["arma"] = [1.0, "x", 2.0]
    path.write_text(json.dumps(m))
    with pytest.raises(CheckpointError, match="arma"):
        Forecaster.load(tmp_path / "m")
    m = json.loads(json.dumps(meta))
    m["extra"]["arma"] = None  # a model without the member cannot weight it
    path.write_text(json.dumps(m))
    with pytest.raises(CheckpointError, match="choice weights name arma"):
        Forecaster.load(tmp_path / "m")
    m = json.loads(json.dumps(meta))
    del m["extra"]["arma"]  # saved before arma: refitted from the saved training part
    path.write_text(json.dumps(m))
    g = Forecaster.load(tmp_path / "m")
    np.testing.assert_allclose(g.arma.coef, f.arma.coef, rtol=1e-12)
    np.testing.assert_allclose(g.predict(6).values, f.predict(6).values, rtol=1e-12)
