"""`rnnlab forecast`'s forecast.png put its legend (history, test, boundary, eight
methods, two bands, the forecast: 14 entries) in the axes' upper left, over the history of
a series that starts high or, on a rising series, over most of the recent past it zooms
to. A figure rnnlab makes keeps its legend to the right of the axes, over no line; drawn
into the user's own axes (plot(ax=...)) it stays inside, as before, their layout theirs."""

import numpy as np
import pandas as pd

from rnnlab.data.series import load_series
from rnnlab.forecast.plots import forecast_figure


def _figure(ax=None):
    idx = pd.date_range("2010-01-01", periods=96, freq="MS")
    s = load_series(pd.Series(100 + np.arange(96.0) * 0.5, index=idx, name="y"))
    names = ("model", "network", "naive", "drift", "linear_ar", "linear_ar0", "arma",
             "seasonal_naive")
    ev = {"predictions": {m: s.values[84:] + k for k, m in enumerate(names)},
          "forecast": {m: {"rmse": float(k)} for k, m in enumerate(names)}}
    future = pd.Series(np.full(12, 150.0), index=s.future_index(12))
    return forecast_figure(s, 84, ev, future, ax=ax)


def _boxes(fig, ax):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)


def test_the_legend_of_a_figure_of_its_own_is_beside_the_axes():
    fig, ax = _figure()
    legend, axes = _boxes(fig, ax)
    assert legend.x0 >= axes.x1  # right of the plotting area: no line under it
    assert len(ax.get_legend().get_texts()) == 12


def test_the_legend_in_the_users_axes_stays_inside():
    import matplotlib.pyplot as plt

    fig, mine = plt.subplots(1, 2)
    _, ax = _figure(ax=mine[0])
    legend, axes = _boxes(fig, ax)
    assert legend.x0 < axes.x1
    plt.close(fig)


def test_the_legend_beside_the_axes_is_inside_the_figure():
    """Beside the axes, the legend lay past the figure's right edge (its x1 at 1100 of
    1000 pixels): rnnlab's files, cut to their contents, held it, but the Figure that
    Forecaster.plot() returns, saved whole (fig.savefig(path), as a Keras user saves one),
    lost a tenth of the legend. The figure is widened by the legend's width, the axes keep
    theirs."""
    fig, ax = _figure()
    legend, axes = _boxes(fig, ax)
    assert legend.x0 >= axes.x1 and legend.x1 <= fig.bbox.x1
    assert axes.width >= 0.74 * 10 * fig.dpi  # (the axes of a 10-inch figure, as before)


def test_a_constrained_layout_style_gets_no_warning_and_holds_the_legend():
    """A user's style of constrained layout (figure.constrained_layout.use) made the
    widening's subplots_adjust warn that the layout engine refuses it."""
    import warnings

    import matplotlib

    with matplotlib.rc_context({"figure.constrained_layout.use": True}), \
            warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = _figure()
        legend, axes = _boxes(fig, ax)
    assert legend.x0 >= axes.x1 and legend.x1 <= fig.bbox.x1
