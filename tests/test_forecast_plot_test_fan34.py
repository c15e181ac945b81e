"""The one-series forecast plot drew the model's interval on the test part as one band
between its outer levels, while past the data it drew a band for each central interval
(:mod:`rnnlab.panel.fan_bands`, as the panel plots): with quantiles 0.025, 0.1, 0.9, 0.975
the test part showed the 95% band alone. It draws the same fan there now, each band named
"model's 95% interval (test part)", and ``Forecaster.plot`` computes the test part's
quantiles at every level the forecast has, not the outer two alone."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from rnnlab.data.series import load_series
from rnnlab.forecast import plots
from rnnlab.forecast.plots import forecast_figure


def _series():
    idx = pd.date_range("2010-01-01", periods=48, freq="MS")
    return load_series(pd.Series(100 + np.arange(48.0), index=idx, name="y"))


def _quantiles(levels, k=12, centre=140.0):
    mean = centre + np.arange(k, dtype=np.float64)
    return pd.DataFrame({f"q{t:g}": mean + 40 * (t - 0.5) for t in levels})


def _test_bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)
            and "(test part)" in str(c.get_label())]


def _ys(band):
    return np.unique(np.round(np.concatenate([p.vertices[:, 1] for p in band.get_paths()]), 9))


@pytest.mark.parametrize("levels, names", [
    ((0.1, 0.9), ["80%"]),
    ((0.1, 0.5, 0.9), ["80%"]),
    ((0.025, 0.1, 0.9, 0.975), ["95%", "80%"]),
    ((0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975), ["95%", "90%", "80%"])])
def test_the_test_part_has_a_band_for_each_central_interval(levels, names):
    band = _quantiles(levels)
    _, ax = forecast_figure(_series(), 36, test_band=band)
    drawn = _test_bands(ax)
    assert len(drawn) == len(names)  # (one, the outermost, before)
    assert [d.get_label() for d in drawn] == [f"model's {n} interval (test part)" for n in names]
    for d, n in zip(drawn, names):  # each between its own two levels, widest first
        lo = (1 - float(n[:-1]) / 100) / 2
        lo_c, hi_c = f"q{lo:g}", f"q{1 - lo:g}"
        np.testing.assert_allclose(_ys(d), np.unique(np.round(np.concatenate(
            [band[lo_c], band[hi_c]]), 9)))
    alphas = [d.get_alpha() for d in drawn]
    assert alphas[0] == pytest.approx(0.15) and alphas == sorted(alphas)  # (the one band's look)


def test_the_plot_asks_the_test_part_for_every_level(monkeypatch):
    from band_fakes import FittedStandIn, record_levels

    asked = record_levels(monkeypatch)
    future = pd.DataFrame({"mean": 1.0, "q0.9": 2.0, "q0.025": 0.0, "q0.1": 0.5,
                           "q0.975": 3.0}, index=range(3))
    ev = {"predictions": {"model": np.zeros(12)}}
    band = plots._test_band(FittedStandIn(), ev, future)
    assert asked == [(0.025, 0.1, 0.9, 0.975)]
    assert list(band.columns) == ["q0.025", "q0.1", "q0.9", "q0.975"]
    np.testing.assert_allclose(band["q0.1"], 1.0)
