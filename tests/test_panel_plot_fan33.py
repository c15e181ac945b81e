"""GlobalForecaster.plot draws every central interval the forecast holds, as GluonTS' and
fable's forecast plots do (a fan: 80% inside 95%, the widest lightest, each named in the
legend); it drew the outermost band alone. One band keeps the single band's look. Read
from the matplotlib artists (Agg)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from rnnlab.panel import GlobalForecaster
from rnnlab.panel.fan_bands import band_alphas, fan_bands
from rnnlab.panel.forecast_plot import plot_panel_forecast


def panel(n_series: int = 2, length: int = 40) -> pd.DataFrame:
    t = np.arange(length)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2010-01-01", periods=length, freq="MS"),
        "y": 10 + 3 * np.sin(2 * np.pi * t / 12 + i) + 0.1 * t}) for i in range(n_series)],
        ignore_index=True)


def bands(ax) -> list:
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def band_ys(band) -> np.ndarray:
    """The y-values a fill_between's polygon passes through (both edges)."""
    return np.unique(np.round(np.concatenate([p.vertices[:, 1] for p in band.get_paths()]), 9))


@pytest.fixture(scope="module")
def fitted():
    f = GlobalForecaster("gru", hidden_size=4, epochs=1, batches_per_epoch=2, horizon=3,
                         lookback=6, seed=0, quantiles=(0.025, 0.1, 0.5, 0.9, 0.975),
                         progress=False)
    return f.fit(panel())


def test_every_central_interval_is_a_band_widest_first(fitted):
    fc = fitted.predict()
    fig = fitted.plot(series="s0")
    ax = fig.axes[0]
    drawn = bands(ax)
    assert len(drawn) == 2  # (95% and 80%: the fan, not the outermost alone)
    f = fc[fc["unique_id"].astype(str) == "s0"]
    for band, (lo, hi) in zip(drawn, [("q0.025", "q0.975"), ("q0.1", "q0.9")]):
        want = np.unique(np.round(np.concatenate([f[lo], f[hi]]), 9))
        np.testing.assert_allclose(band_ys(band), want)
    alphas = [b.get_alpha() for b in drawn]
    assert alphas[0] < alphas[1]  # (the widest lightest)
    labels = ax.get_legend_handles_labels()[1]
    assert "95% interval" in labels and "80% interval" in labels


def test_one_band_keeps_its_look_and_no_pair_keeps_the_outer_band():
    past = panel(1)
    dates = pd.date_range(past["ds"].iloc[-1], periods=4, freq="MS")[1:]
    fc = pd.DataFrame({"unique_id": "s0", "ds": dates, "mean": [1.0, 2.0, 3.0],
                       "q0.1": [0.0, 1.0, 2.0], "q0.5": [1.0, 2.0, 3.0],
                       "q0.9": [2.0, 3.0, 4.0]})
    ax = plot_panel_forecast(fc, past, n=1).axes[0]
    (band,) = bands(ax)
    assert band.get_alpha() == pytest.approx(0.2)
    np.testing.assert_allclose(band_ys(band), [0, 1, 2, 3, 4])
    assert "80% interval" in ax.get_legend_handles_labels()[1]
    skew = fc.drop(columns="q0.9").assign(**{"q0.05": [-1.0, 0.0, 1.0]})
    ax = plot_panel_forecast(skew, past, n=1).axes[0]
    (band,) = bands(ax)  # (no central pair: the lowest to the highest level, as before)
    np.testing.assert_allclose(band_ys(band), [-1, 0, 1, 2, 3])
    assert "q0.05-q0.5, 45% interval" in ax.get_legend_handles_labels()[1]


def test_bands_and_alphas():
    cols = ["mean", "q0.025", "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.975"]
    assert fan_bands(cols) == [("q0.025", "q0.975"), ("q0.1", "q0.9"), ("q0.25", "q0.75")]
    assert fan_bands(["mean", "q0.5"]) == [] and band_alphas(1) == [0.2]
    a = band_alphas(3)
    assert a[0] == 0.2 and a[0] < a[1] < a[2]


def test_the_backtest_grid_draws_the_fan_at_each_origin():
    """res.plot() (and rnnlab backtest's / forecast's forecasts.png) drew q0.1-q0.9 alone,
    and no band at all for levels without them (0.025, 0.5, 0.975)."""
    from rnnlab.panel.backtest import backtest

    data = panel(2)
    res = backtest(None, data, horizon=3, first_origin=6, stride=3, baselines=["naive"],
                   quantiles=(0.025, 0.1, 0.5, 0.9, 0.975))
    fc = res.forecasts
    ax = res.plot(history=data, series=["s0"]).axes[0]
    drawn = bands(ax)
    origins = list(fc.groupby("origin").groups)
    assert len(drawn) == 2 * len(origins) == 4  # (95% and 80% at each of 2 origins)
    for k, (origin, g) in enumerate(fc[fc["unique_id"].astype(str) == "s0"].groupby("origin")):
        for band, (lo, hi) in zip(drawn[2 * k:2 * k + 2],
                                  [("q0.025", "q0.975"), ("q0.1", "q0.9")]):
            want = np.unique(np.round(np.concatenate([g[lo], g[hi]]), 9))
            np.testing.assert_allclose(band_ys(band), want)
    labels = ax.get_legend_handles_labels()[1]
    assert labels.count("95% interval") == 1 and labels.count("80% interval") == 1
    assert drawn[0].get_alpha() == pytest.approx(0.18)  # (the grid's own single-band look)


def test_a_level_outside_every_central_pair_keeps_the_outer_band():
    """(0.05, 0.1, 0.5, 0.9): the plot drew q0.05-q0.9 before the fan; the fan drew the
    80% band alone, q0.05 nowhere on the figure. The outer band stays, widest, lightest."""
    cols = ["mean", "q0.05", "q0.1", "q0.5", "q0.9"]
    assert fan_bands(cols) == [("q0.05", "q0.9"), ("q0.1", "q0.9")]
    assert fan_bands(["q0.1", "q0.5", "q0.9"]) == [("q0.1", "q0.9")]  # (the default: one)
    past = panel(1)
    dates = pd.date_range(past["ds"].iloc[-1], periods=4, freq="MS")[1:]
    fc = pd.DataFrame({"unique_id": "s0", "ds": dates, "mean": [1.0, 2.0, 3.0],
                       "q0.05": [-1.0, 0.0, 1.0], "q0.1": [0.0, 1.0, 2.0],
                       "q0.5": [1.0, 2.0, 3.0], "q0.9": [2.0, 3.0, 4.0]})
    ax = plot_panel_forecast(fc, past, n=1).axes[0]
    outer, inner = bands(ax)
    np.testing.assert_allclose(band_ys(outer), [-1, 0, 1, 2, 3, 4])
    assert outer.get_alpha() < inner.get_alpha()
    labels = ax.get_legend_handles_labels()[1]
    assert "q0.05-q0.9, 85% interval" in labels and "80% interval" in labels
