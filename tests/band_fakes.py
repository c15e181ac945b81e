"""A stand-in for the one-series forecast's test-part quantiles, shared by the plot tests
that ask ``rnnlab.forecast.plots._test_band`` which levels it reads: each call's levels are
recorded, and the quantiles are the levels times 10 at every step."""

import numpy as np


def record_levels(monkeypatch) -> list:
    """Patch ``quantile_forecast``; the list it returns fills with each call's levels."""
    asked: list = []

    def fake(f, history, mean, levels):
        asked.append(tuple(levels))
        return np.tile(np.asarray(levels) * 10, (len(mean), 1))

    monkeypatch.setattr("rnnlab.forecast.intervals.quantile_forecast", fake)
    return asked


class FittedStandIn:
    """The two attributes ``_test_band`` reads of a fitted Forecaster: 48 values, 36 fitted."""

    series = type("S", (), {"values": np.arange(48.0)})()
    n_train = 36
