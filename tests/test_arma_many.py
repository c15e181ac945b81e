"""The arma member's forecasts and innovations from many histories at once
(ARMA.forecast_many, innovations_many: in-sample forecasts, their quantiles, evaluate())
equal its one-at-a-time ones bit for bit in float64. Was: each cutoff filtered its last 1,000 innovations in Python, most of
a weighted choice's in-sample time on a long series (benchmarks/insample_arma_speed.py)."""

import warnings

import numpy as np
import pytest

from rnnlab.forecast import Forecaster, arma, insample, methods
from rnnlab.forecast.arma import ARMA


@pytest.mark.parametrize("p, q", [(2, 1), (1, 0), (0, 1), (2, 2), (3, 1)])
def test_forecast_many_equals_one_at_a_time_bit_for_bit(p, q, monkeypatch):
    monkeypatch.setattr(arma, "WINDOW", 40)  # (histories shorter and longer than it)
    rng = np.random.default_rng(p * 10 + q)
    m = ARMA(p, q)
    m.coef = rng.uniform(-0.4, 0.4, p + q)
    x = 0.1 * np.cumsum(rng.normal(0, 1, 120)) + rng.normal(0, 1, 120)
    ds = [x[:k] for k in (p + 1, p + 2, 5, 39, 40 + p, 41 + p, 80, 120)]
    want = np.stack([m.forecast(d, 7) for d in ds])
    got = m.forecast_many(ds, 7)
    assert got.shape == (len(ds), 7) and np.any(got != 0)
    np.testing.assert_array_equal(got, want)
    for many, one in zip(m.innovations_many(ds), [m.innovations(d) for d in ds]):
        assert many.shape == one.shape
        np.testing.assert_array_equal(many, one)


def test_a_history_of_p_values_or_fewer_takes_the_one_at_a_time_path():
    m = ARMA(2, 1)
    m.coef = np.array([0.3, -0.2, 0.4])
    ds = [np.array([1.0, 2.0]), np.array([1.0, 2.0, 0.5, -1.0])]
    np.testing.assert_array_equal(m.forecast_many(ds, 3),
                                  np.stack([m.forecast(d, 3) for d in ds]))


def test_the_weighted_choice_in_sample_equals_the_per_cutoff_path(monkeypatch):
    monkeypatch.setattr(arma, "WINDOW", 30)  # (cutoffs on both sides of the window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(lookback=12, horizon=5, hidden_size=4, epochs=1, progress=False,
                       seed=0, select="weighted", ensemble=1).fit("airline")
    f.net.double()
    assert f.choice["method"] == "weighted" and f.choice["weights"]["arma"] > 0
    assert np.any(f.arma.coef != 0)
    fast = f.predict_insample(step_size=3)
    # the path before: forecast_with per history
    monkeypatch.setattr(methods, "_arma_many", lambda f, hs, steps: np.stack(
        [methods.forecast_with(f, "arma", h, steps) for h in hs]))
    slow = f.predict_insample(step_size=3)
    assert len(fast) > 100
    np.testing.assert_array_equal(fast["mean"].to_numpy(), slow["mean"].to_numpy())
    # the quantiles' spread: each cutoff's innovations filtered one at a time, as before
    fast = f.predict_insample(step_size=3, quantiles=(0.1, 0.9))
    monkeypatch.setattr(insample, "_innovations", lambda f, ks, before: (None for _ in ks))
    slow = f.predict_insample(step_size=3, quantiles=(0.1, 0.9))
    assert list(fast.columns[-2:]) == ["q0.1", "q0.9"]
    np.testing.assert_array_equal(fast[["q0.1", "q0.9"]].to_numpy(),
                                  slow[["q0.1", "q0.9"]].to_numpy())
    hists = [f.series.values[:k] for k in (24, 50, 100, 143)]
    np.testing.assert_array_equal(
        methods.forecast_many(f, "arma", hists, 5),
        np.stack([methods.forecast_with(f, "arma", h, 5) for h in hists]))


def test_no_histories_give_no_rows():
    # was: ValueError "max() arg is an empty sequence" from the filter's width
    arma = ARMA(2, 1).fit(np.random.default_rng(0).normal(size=200))
    assert arma.forecast_many([], 3).shape == (0, 3)
    assert arma.innovations_many([]) == []


@pytest.mark.parametrize("p, q", [(0, 3), (3, 0), (1, 4)])
def test_constant_histories_and_zero_coefficients_give_the_same_bits(p, q):
    # (bytes compared: -0.0 and 0.0 differ there; a fallback fit's coefficients are 0)
    m = ARMA(p, q)
    for coef in (np.zeros(p + q), np.linspace(-0.3, 0.3, p + q)):
        m.coef = coef
        ds = [np.full(n, 2.5) for n in (p + 1, 7, 60)] + [np.full(9, -1.0)]
        assert m.forecast_many(ds, 4).tobytes() == np.stack(
            [m.forecast(d, 4) for d in ds]).tobytes()
        for many, one in zip(m.innovations_many(ds), [m.innovations(d) for d in ds]):
            assert many.tobytes() == one.tobytes()
        mixed = ds + [np.zeros(0)]  # (an empty history: the one-at-a-time path for all)
        assert m.forecast_many(mixed, 2).tobytes() == np.stack(
            [m.forecast(d, 2) for d in mixed]).tobytes()
