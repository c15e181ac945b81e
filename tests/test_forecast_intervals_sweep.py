"""Prediction intervals of the single-series Forecaster used end to end (sweep): the
width formula against simulated futures, real data, old model folders and the CLI."""

from types import SimpleNamespace

import numpy as np
import pytest

from rnnlab.data.scalers import make_scaler
from rnnlab.forecast.arma import ARMA
from rnnlab.forecast.intervals import quantile_forecast
from rnnlab.forecast.transform import Pipeline


# ---------------------------------------------------------------- the width, simulated
def _simulate(rng, sims, steps, lag, phi, theta, sigma, start):
    """(sims, steps) paths of g(y): d_t an ARMA(phi, theta) of innovations N(0, sigma^2),
    g(y_t) = g(y_{t-lag}) + d_t from ``start`` (lag,) values."""
    a = rng.normal(0.0, sigma, (sims, steps))
    d = np.zeros((sims, steps))
    g = np.zeros((sims, steps))
    for t in range(steps):
        d[:, t] = a[:, t] + sum(theta[j] * a[:, t - 1 - j] for j in range(len(theta))
                                if t - 1 - j >= 0) + sum(
            phi[i] * d[:, t - 1 - i] for i in range(len(phi)) if t - 1 - i >= 0)
        g[:, t] = (start[t] if t < lag else g[:, t - lag]) + d[:, t]
    return g


@pytest.mark.parametrize("log, lag, phi, theta, sigma, level", [
    (True, 12, (0.5, -0.2), (0.4,), 0.03, np.log(100.0)),  # a seasonal ARIMA on logs
    (False, 1, (0.6,), (0.3,), 2.0, 100.0),  # a random walk of ARMA(1, 1) steps (ARIMA(1,1,1))
])
def test_the_80_and_95_percent_intervals_cover_80_and_95_percent_of_simulated_futures(
        log, lag, phi, theta, sigma, level):
    """Each simulated series: 100 burn-in steps, a history of 240 and 30 future values;
    the intervals come from quantile_forecast with the true coefficients (c = 1), around
    the ARMA's own forecast. Coverage per step over 800 series: a binomial spread of 0.014
    at 80% and 0.008 at 95%, so tolerances of 0.055 and 0.03 are about 4 of them. Leaving
    out the integration through the lag (Psi_j = psi_j) covers 0.71, then 0.54 of the
    seasonal series' second and third years at 80%, and 0.58 at the random walk's second
    step."""
    rng = np.random.default_rng(0)
    sims, burn, n, steps = 800, 100, 240, 30
    g = _simulate(rng, sims, burn + n + steps, lag, phi, theta, sigma,
                  level + rng.normal(0, 0.1 if log else 5.0, lag))
    y = np.exp(g) if log else g
    arma = ARMA(len(phi), len(theta))
    arma.coef = np.r_[phi, theta]
    pipe = Pipeline(log=log, lag=lag, scaler=make_scaler("standard"))
    pipe.scaler.fit(np.diff(pipe.transform(y[0, burn:burn + n])))
    f = SimpleNamespace(pipeline=pipe, arma=arma,
                        choice={"method": "arma", "scores": {"arma": 1.0}})
    inside = np.zeros((2, steps))
    for path in y:
        hist, future = path[burn:burn + n], path[burn + n:]
        gh = pipe.transform(hist)
        mean = pipe.from_model(pipe.scaler.transform(arma.forecast(gh[lag:] - gh[:-lag],
                                                                   steps)), hist)
        q = quantile_forecast(f, hist, mean, (0.025, 0.1, 0.9, 0.975))
        inside[0] += (q[:, 1] <= future) & (future <= q[:, 2])
        inside[1] += (q[:, 0] <= future) & (future <= q[:, 3])
    cover = inside / sims
    assert np.abs(cover[0] - 0.80).max() < 0.055, np.round(cover[0], 3)
    assert np.abs(cover[1] - 0.95).max() < 0.03, np.round(cover[1], 3)
    assert abs(cover[0].mean() - 0.80) < 0.02 and abs(cover[1].mean() - 0.95) < 0.01
