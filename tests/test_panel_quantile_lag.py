"""A seasonally differenced quantile model's quantiles past the seasonal lag.

The network predicts quantiles of each step's seasonal change d_h = g(y_{T+h}) - g(y_{T+h-m});
past the lag (h > m) g(y_{T+h}) = g(y_{T+h-m}) + d_h adds two uncertain terms. Adding their
quantiles level by level (what the inverse transform of one path does) is the quantile of
the sum only when the two move in lockstep: for independent changes (a seasonal random walk,
and what the likelihood heads' direct draws assume) the interval came out twice as wide
at step m + 1 as at step 1, not sqrt(2) times (visnights, quarterly, horizon 8: the 80%
interval covered 0.92 of steps 5-8 against 0.77 of steps 1-4).
"""

import numpy as np
import pytest
from scipy.stats import norm

from rnnlab.panel.scaling import SeriesTransform

LEVELS = (0.05, 0.1, 0.5, 0.9, 0.95)


def _reference(tr, sd, hist, n=200_000, seed=0):
    """Empirical quantiles of paths whose changes are drawn independently per step, through
    the transform's own path-wise inverse (the sample-path way, exact for this model)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, len(sd))) * sd
    return np.quantile(tr.from_model(z, hist), LEVELS, axis=0)  # (Q, H)


@pytest.mark.parametrize("log", [False, True])
def test_quantiles_past_the_lag_add_spreads_as_independent_changes(log):
    lag, sd = 2, np.array([1.0, 0.5, 0.8, 1.5, 0.3])
    tr = SeriesTransform(log=log, lag=lag, loc=0.01, scale=0.1 if log else 3.0,
                         level_scale=1.0)
    hist = np.array([50.0, 60.0, 55.0])
    zq = norm.ppf(LEVELS)[:, None] * sd[None, :]  # (Q, H) quantiles of each step's change
    got = tr.quantiles_from_model(zq, np.zeros(len(sd)), LEVELS, hist)
    ref = _reference(tr, sd, hist)
    np.testing.assert_allclose(got, ref, rtol=0, atol=0.01 * np.ptp(ref))
    # steps up to the lag: exactly the level-by-level inverse, as before
    np.testing.assert_allclose(got[:, :lag], tr.from_model(zq, hist)[:, :lag], rtol=1e-12)
    # the median row is the centre path, the point forecast (predict's mean)
    np.testing.assert_allclose(got[LEVELS.index(0.5)], tr.from_model(np.zeros(len(sd)), hist),
                               rtol=1e-12)
    assert (np.diff(got, axis=0) >= 0).all()


def test_width_at_step_lag_plus_one_is_sqrt2_not_twice_for_equal_spreads():
    tr = SeriesTransform(log=False, lag=4, loc=0.0, scale=1.0, level_scale=1.0)
    zq = np.repeat(norm.ppf(LEVELS)[:, None], 8, axis=1)  # the same spread every step
    q = tr.quantiles_from_model(zq, np.zeros(8), LEVELS, np.zeros(4))
    w = q[LEVELS.index(0.9)] - q[LEVELS.index(0.1)]
    np.testing.assert_allclose(w[4:] / w[:4], np.sqrt(2), rtol=1e-12)


def test_centre_between_levels_without_a_median_level():
    """Levels without 0.5 (0.1, 0.9): the centre is the point forecast (the median read
    between them), each level keeps its side of it and the rows stay ordered."""
    tr = SeriesTransform(log=False, lag=1, loc=0.0, scale=1.0, level_scale=1.0)
    levels = (0.1, 0.9)
    zq = np.array([[-1.0, -2.0, -0.5], [3.0, 1.0, 2.0]])  # skewed: centre (0.5) not 0
    zc = zq.mean(axis=0)
    q = tr.quantiles_from_model(zq, zc, levels, np.array([10.0]))
    centre = tr.from_model(zc, np.array([10.0]))
    assert (q[0] <= centre).all() and (centre <= q[1]).all()
    np.testing.assert_allclose(q[:, 0], 10.0 + zq[:, 0])  # step 1: the level-by-level inverse
    dev = zq - zc
    np.testing.assert_allclose(q[1, 1] - centre[1], np.hypot(dev[1, 0], dev[1, 1]))
    np.testing.assert_allclose(centre[2] - q[0, 2], np.sqrt((dev[0] ** 2).sum()))


def test_counts_and_undifferenced_series_unchanged():
    zq = np.array([[-1.0, -1.5, -2.0], [0.0, 0.0, 0.0], [1.0, 1.5, 2.0]])
    for tr in (SeriesTransform(log=True, lag=0, loc=0.1, scale=0.2, level_scale=1.0),
               SeriesTransform(False, 0, 0.0, 3.0, 3.0, counts=True)):
        np.testing.assert_array_equal(tr.quantiles_from_model(zq, zq[1], (0.1, 0.5, 0.9),
                                                              np.array([5.0, 6.0])),
                                      tr.from_model(zq, np.array([5.0, 6.0])))


def test_a_differenced_quantile_model_forecasts_through_it(monkeypatch):
    """GlobalForecaster.predict reads a seasonally differenced quantile model's quantiles
    through quantiles_from_model (the steps past the lag included), median = mean."""
    import pandas as pd

    from rnnlab.panel import GlobalForecaster, read_panel

    rng = np.random.default_rng(0)
    ds = pd.date_range("2000-01-01", periods=40, freq="QS")
    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": 50 + 10 * i + np.cumsum(
        rng.normal(size=40)) + 5 * np.sin(np.arange(40) * np.pi / 2)}) for i in range(3)])
    f = GlobalForecaster("gru", lookback=8, horizon=6, epochs=1, batches_per_epoch=2,
                         hidden_size=4, head_size=4, calibrate="none").fit(read_panel(df))
    assert f.features.lag == 4
    seen = []
    real = SeriesTransform.quantiles_from_model

    def spy(self, zq, zc, levels, hist):
        seen.append(zq.shape)
        return real(self, zq, zc, levels, hist)

    monkeypatch.setattr(SeriesTransform, "quantiles_from_model", spy)
    p = f.predict(6)
    assert seen == [(3, 6)] * 3
    np.testing.assert_allclose(p["q0.5"], p["mean"], rtol=1e-12)
    q = p[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()
