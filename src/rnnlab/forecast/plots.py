"""PNG plots (matplotlib, Agg): forecast over the history, loss curves, error by horizon."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd

# the helpers shared with the panel's plots (rnnlab.figure_files), under this module's
# old names too
from ..figure_files import axes_for as _axes
from ..figure_files import finish_figure, interval_name, save_figure, write_figure
from ..io.errors import ConfigError

_level = interval_name
_write = write_figure


def _plt():
    from ..figure_files import pyplot

    return pyplot()


def _save(fig, path):
    """:func:`rnnlab.figure_files.save_figure` (a name of this module's: tests replace it
    to look at the figure before it is written)."""
    return save_figure(fig, path)


def _done(fig, path, ax):
    """:func:`rnnlab.figure_files.finish_figure`, saving through :func:`_save`."""
    return finish_figure(fig, path, ax, _save)


# one colour per method, none shared with another line of the plot (history grey, test
# black, the forecast past the data orange)
STYLES = {"model": ("tab:red", "-", 2.0), "seasonal_naive": ("tab:green", ":", 1.5),
          "naive": ("tab:purple", ":", 1.3), "linear_ar": ("tab:blue", "--", 1.3),
          "drift": ("tab:brown", "-.", 1.3)}
OTHER_COLOURS = ("tab:pink", "tab:olive", "tab:cyan")


def zoom_start(n_train: int, shown_after: int, n: int) -> int:
    """First point drawn: the recent past, three times as long as what follows the training
    part (test part and forecast), at least 36 points, as the compare report draws it; a
    long series' test part and future would otherwise take a few percent of the width."""
    return max(0, min(n_train, n) - max(3 * shown_after, 36))


def forecast_figure(series, n_train: int, evaluation: Optional[dict] = None, future=None,
                    test_band=None, ax=None):
    """(figure, axes) of :func:`plot_forecast`. ``future``: the forecast past the data, a
    Series, or predict(quantiles=...)'s DataFrame (a band for each central interval its
    levels hold, the widest lightest: :mod:`rnnlab.panel.fan_bands`).
    ``test_band``: the model's test-part forecast's q columns (a DataFrame, as
    forecast.csv has them), drawn as the same fan, a band for each central interval.
    ``ax``: drawn
    into these axes (a notebook's subplot) instead of a new figure."""
    n = len(series)
    # no dates: the labels the values had (a pandas index 1950, 1955, ...; 0, 1, ... for an
    # array), as predict's index numbers the forecast (drawn at 0..n-1 it was not)
    x = series.index if series.index is not None else series.labels()
    after = (n - n_train) + (0 if future is None else len(future))
    start = zoom_start(n_train, after, n)
    fig, ax, own = _axes(ax, (10, 4.5))
    ax.plot(x[start:n_train], series.values[start:n_train], color="0.45", lw=1.2,
            label="history (train)")
    if n_train < n:
        ax.plot(x[n_train:], series.values[n_train:], color="black", lw=1.6, label="test (actual)")
        ax.axvline(x[n_train - 1], color="0.5", ls="--", lw=1, label="train / test boundary")
    if evaluation:
        others = iter(OTHER_COLOURS * 4)
        for name, pred in evaluation["predictions"].items():
            c, ls, lw = STYLES.get(name) or (next(others), "-.", 1.0)
            rmse = evaluation["forecast"][name]["rmse"]
            ax.plot(x[n_train:n_train + len(pred)], pred, color=c, ls=ls, lw=lw,
                    label=f"{name} (RMSE {rmse:.1f})")
    tq = [c for c in getattr(test_band, "columns", ()) if c.startswith("q")]
    if len(tq) >= 2:  # the model's intervals on the test part, beside its forecast there
        from ..panel.fan_bands import draw_fan

        k = min(len(test_band), n - n_train)  # (a fan as past the data: every level's band)
        for band in draw_fan(ax, x[n_train:n_train + k], test_band.iloc[:k][tq],
                             color=STYLES["model"][0], widest_alpha=0.15):
            band.set_label(f"model's {band.get_label()} (test part)")
    if future is not None:
        fx = future.index if series.index is not None else (
            series.first + series.step * np.arange(n, n + len(future)))
        if isinstance(fx, pd.PeriodIndex):  # a PeriodIndex given: on the history's calendar
            fx = fx.to_timestamp()  # of first days (matplotlib drew periods a period late)
        q = [c for c in getattr(future, "columns", ()) if _level_of(c) is not None]
        # predict(quantiles=...): a band for each central interval, the widest lightest
        # (one band, the 80% default, as it was drawn: 0.25 opaque), as a panel's plot
        if q:
            from ..panel.fan_bands import draw_fan

            draw_fan(ax, fx, future, color="tab:orange", widest_alpha=0.25)
        mean = future["mean"] if q else future
        ax.plot(fx, mean.values, color="tab:orange", lw=2, label="forecast past the data")
    shown = f"last {n - start} of {n} points" if start else f"all {n} points"
    ax.set_title(f"{series.name}: forecast ({shown})")
    ax.set_xlabel((series.index.name or "date") if series.index is not None else "step")
    ax.set_ylabel(series.name)
    if own:  # (beside the axes, over no line; the figure widened to hold it)
        from ..figure_files import legend_beside

        legend_beside(ax, fontsize=8)
    else:  # (the user's axes: their layout, so inside, as before)
        ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    if series.index is not None and own:  # (the user's figure: its other axes left alone)
        fig.autofmt_xdate()
    elif series.index is not None:
        ax.tick_params(axis="x", labelrotation=30)
    return fig, ax


def plot_forecast(path, series, n_train: int, evaluation: Optional[dict] = None, future=None,
                  test_band=None, ax=None) -> Path:
    fig, _ = forecast_figure(series, n_train, evaluation, future, test_band, ax)
    return _done(fig, path, ax)


def plot_losses(path, histories: List[dict], ax=None) -> Path:
    given = ax  # (the user's axes, or None: a figure of its own)
    fig, ax, _ = _axes(ax, (7, 4))
    for m, h in enumerate(histories):
        ep = [e["epoch"] for e in h["epochs"]]
        ax.plot(ep, [e["train_loss"] for e in h["epochs"]], color=f"C{m}", lw=1,
                label=f"member {m} train")
        val = [e["val_loss"] for e in h["epochs"]]
        if any(v is not None for v in val):
            ax.plot(ep, [np.nan if v is None else v for v in val], color=f"C{m}", ls="--", lw=1,
                    label=f"member {m} validation")
        if h.get("best_epoch"):
            ax.axvline(h["best_epoch"], color=f"C{m}", lw=0.6, alpha=0.5)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (model space)")
    ax.set_title("training and validation loss (vertical lines: best epochs kept)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _done(fig, path, given)


def plot_error_by_step(path, evaluation: dict, ax=None) -> Path:
    given = ax  # (the user's axes, or None: a figure of its own)
    fig, ax, _ = _axes(ax, (7, 4))
    for name, d in evaluation["by_step"].items():
        steps = np.arange(1, len(d["rmse"]) + 1)
        ax.plot(steps, d["rmse"], marker="o", ms=3, lw=2 if name == "model" else 1, label=name,
                color=STYLES.get(name, (None,))[0])
    ax.set_xlabel("horizon step")
    ax.set_ylabel("RMSE (original scale)")
    ax.set_title("error by horizon step (rolling origins over the test part)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _done(fig, path, given)


def plot_forecaster(f, path, kind: str, future=None, ax=None):
    """A fitted Forecaster ``f``'s plot of ``kind`` (see Forecaster.plot)."""
    def details():  # the evaluation's dict (evaluate() returns a DataFrame of it)
        return getattr(f, "last_evaluation", None) or f.evaluate().details

    if kind == "forecast":
        ev = details() if len(f.series) > f.n_train else None
        if future is None:  # the forecast past the data, in its 80% band when it has one
            from ..io.errors import DataError

            try:
                future = f.predict(quantiles=(0.1, 0.9))
            except DataError:  # no intervals (difference="none", val_size=0, ...)
                future = f.predict()
        return plot_forecast(path, f.series, f.n_train, ev, future, _test_band(f, ev, future),
                             ax)
    if kind == "loss":
        return plot_losses(path, f.histories, ax)
    if kind == "horizon":
        return plot_error_by_step(path, details(), ax)
    raise ConfigError(f"unknown plot kind {kind!r}; choose forecast, loss or horizon")


def _test_band(f, ev: Optional[dict], future):
    """The model's test-part quantiles at every level of ``future``'s q columns (as
    forecast.csv's test rows have them: the plot draws a band for each central interval,
    as past the data; it had the outer levels alone), or None: no test part, no
    intervals. Only the columns named as levels (a ``qty`` or ``quarter`` column beside
    them stopped the plot with a ValueError; the band past the data passed it by)."""
    named = sorted((t, c) for c in getattr(future, "columns", ())
                   if (t := _level_of(c)) is not None)
    levels, q = tuple(t for t, _ in named), [c for _, c in named]
    if not ev or len(q) < 2 or "model" not in ev.get("predictions", {}):
        return None
    from ..io.errors import DataError
    from .intervals import quantile_forecast

    try:
        band = quantile_forecast(f, f.series.values[:f.n_train],
                                 np.asarray(ev["predictions"]["model"], np.float64), levels)
    except DataError:  # (the history too short or flat for a spread: no band)
        return None
    return pd.DataFrame({c: band[:, j] for j, c in enumerate(q)})


def _level_of(column) -> Optional[float]:
    """The level a ``q...`` column names (``q0.1``: 0.1), None for any other column
    (``qty``, ``qnan``, ``q2``, a column named by a number)."""
    if not (isinstance(column, str) and column.startswith("q")):
        return None
    try:
        level = float(column[1:])
    except ValueError:
        return None
    return level if 0 < level < 1 else None
