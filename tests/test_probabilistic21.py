"""Probabilistic forecasts as a NeuralForecast or Darts user checks them (session 21):
intervals after a level shift, baselines' intervals and the scores of a written backtest."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.baselines import LinearAR, steadier

TINY = dict(hidden_size=4, epochs=4, ensemble=1, progress=False, lookback=12, horizon=6)


def level_shift(n_before=30, n_after=6, seed=0) -> pd.Series:
    """Monthly values near 10, then near 1000 for the last ``n_after`` months."""
    rng = np.random.default_rng(seed)
    v = np.r_[10 + rng.normal(0, 1, n_before), 1000 + rng.normal(0, 1, n_after)]
    return pd.Series(v, index=pd.date_range("2015-01-01", periods=len(v), freq="MS"),
                     name="y")


def test_radius_is_the_growth_of_the_recursion():
    ar = LinearAR(2, constant=False)
    ar.coef = np.array([0.0, 0.5])  # z_t = 0.5 z_{t-1}: decays by half
    assert ar.radius() == pytest.approx(0.5)
    ar.coef = np.array([0.0, 2.0])
    assert ar.radius() == pytest.approx(2.0)
    ar = LinearAR(2).fit(np.r_[np.zeros(20), 1.0, 2.0, 4.0, 8.0, 16.0])  # (with a constant)
    z = ar.forecast(np.r_[1.0, 2.0], 40)
    assert ar.radius() > 1 and abs(z[-1]) > 1e3  # explosive: it grows without bound


def test_steadier_keeps_the_validated_ar_when_the_refit_explodes():
    calm, wild = LinearAR(1, constant=False), LinearAR(1, constant=False)
    calm.coef, wild.coef = np.array([0.9]), np.array([1.4])
    assert steadier(calm, wild) == (calm, False)
    assert steadier(wild, calm) == (calm, True)  # a steadier refit is taken
    near = LinearAR(1, constant=False)
    near.coef = np.array([0.95])
    assert steadier(calm, near) == (near, True)  # not explosive: the refit, as before
    assert steadier(None, None) == (None, False)


@pytest.mark.slow
def test_a_level_shift_at_the_end_does_not_blow_up_the_forecast():
    """The linear AR refitted on a history ending in a 100-fold jump was explosive (radius
    1.4) and, a third of the weighted model, forecast 3e8 to 2e33 for a series at 1000
    (the Forecaster's backtest on such a series: MASE 7e112)."""
    from rnnlab.forecast import Forecaster

    f = Forecaster(**TINY, test_size=0).fit(level_shift())
    pred = f.predict().to_numpy()
    assert np.isfinite(pred).all() and pred.max() < 1e4
    assert f.ar.radius() <= 1 or "linear_ar" not in f.choice["refit"]
    assert "linear_ar" not in f.choice["refit"]  # this history's refit is explosive
