"""Forecaster.plot (one series) draws the forecast past the data in a band for each
central interval its quantiles hold, as GlobalForecaster.plot does (a fan, the widest
lightest, each named in the legend); it drew the band between the outer levels alone.
The default (q0.1, q0.9: the 80% band) looks as it did: one band, 0.25 opaque."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from rnnlab.data.series import load_series
from rnnlab.forecast.plots import forecast_figure


def _series():
    idx = pd.date_range("2010-01-01", periods=48, freq="MS")
    return load_series(pd.Series(100 + np.arange(48.0), index=idx, name="y"))


def _future(s, levels):
    mean = np.full(6, 150.0)
    cols = {"mean": mean}
    for t in levels:  # (wider for levels further from the median)
        cols[f"q{t:g}"] = mean + 40 * (t - 0.5) + np.arange(6)
    return pd.DataFrame(cols, index=s.future_index(6))


def _bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def _ys(band):
    return np.unique(np.round(np.concatenate([p.vertices[:, 1] for p in band.get_paths()]), 9))


def test_the_default_80_band_looks_as_it_did():
    s = _series()
    fut = _future(s, (0.1, 0.9))
    _, ax = forecast_figure(s, 48, future=fut)
    (band,) = _bands(ax)
    assert band.get_alpha() == pytest.approx(0.25)
    np.testing.assert_allclose(_ys(band), np.unique(np.concatenate([fut["q0.1"], fut["q0.9"]])))
    assert "80% interval" in ax.get_legend_handles_labels()[1]


def test_every_central_interval_is_a_band_widest_lightest():
    s = _series()
    fut = _future(s, (0.025, 0.1, 0.9, 0.975))
    _, ax = forecast_figure(s, 48, future=fut)
    drawn = _bands(ax)
    assert len(drawn) == 2  # (95% and 80%: the outermost alone before)
    for band, (lo, hi) in zip(drawn, [("q0.025", "q0.975"), ("q0.1", "q0.9")]):
        np.testing.assert_allclose(_ys(band), np.unique(np.concatenate([fut[lo], fut[hi]])))
    assert drawn[0].get_alpha() == pytest.approx(0.25)
    assert drawn[0].get_alpha() < drawn[1].get_alpha()
    labels = ax.get_legend_handles_labels()[1]
    assert "95% interval" in labels and "80% interval" in labels


def test_the_plot_docstrings_say_the_fan():
    """GlobalForecaster.plot's docstring said "its band between the outer quantiles"
    after the plot drew a fan; Forecaster.plot's named the 80% band alone."""
    from rnnlab import Forecaster
    from rnnlab.panel import GlobalForecaster

    for doc in (GlobalForecaster.plot.__doc__, Forecaster.plot.__doc__):
        said = " ".join(doc.split())
        assert "each central interval" in said and "outer quantiles" not in said
