"""``GlobalForecaster.plot``: the forecast past each series' end, drawn after the recent
past the model read, in a band for each central interval its quantiles (or likelihood
levels) hold, widest lightest (:mod:`.fan_bands`)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import ConfigError, DataError
from .frame import ID


def _drawable(values: pd.Series, like: Optional[pd.Series] = None) -> pd.Series:
    """Dates as matplotlib draws them: periods at their first days; the history's dates as
    integer steps where the forecast's are steps (``like``)."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    if like is not None and pd.api.types.is_integer_dtype(like) \
            and pd.api.types.is_datetime64_any_dtype(values):
        from .int_steps import dates_to_steps

        return pd.Series(dates_to_steps(values), index=values.index)
    return values


def refuse_table_as_series(series) -> None:
    """A forecast table given where the ids to draw go (utilsforecast's ``plot_series(df,
    forecasts_df)``, Darts' ``pred.plot()``) was read as ids, its column names."""
    if isinstance(series, pd.DataFrame):
        cols = list(series.columns)
        raise DataError(f"plot: series= names the series to draw (an id or a list of ids), "
                        f"and a table was given (columns {cols[:5]}"
                        f"{' ...' if len(cols) > 5 else ''}); plot() draws the forecast of "
                        f"predict() itself: pass it predict's horizon, future= and history= "
                        f"(f.plot(history=new, future=fut)), and the ids to draw as "
                        f"series= (series=fc['unique_id'].unique()[:4])")


def refuse_path_as_series(series, ids) -> None:
    """A file name given where the ids to draw go (``f.plot("vis.png")``, as the one-series
    ``Forecaster.plot(path)`` takes it) was read as an id: refused, naming ``path=``,
    unless ``ids`` (the model's series) hold it. Only an image suffix tells a file: a
    keyed panel's ids hold a slash ('NSW/Metro')."""
    from pathlib import PurePath

    from ..plot_arguments import IMAGE_SUFFIXES

    if isinstance(series, str) and PurePath(series).suffix.lower() in IMAGE_SUFFIXES \
            and series not in set(ids):
        raise ConfigError(f"plot({series!r}): the first argument is the series to draw (an "
                          f"id or a list of ids), and {series!r} looks like a file to write: "
                          f"plot(path={series!r}) writes the figure there "
                          f"(plot(series=..., path=...) for chosen series)")


def _chosen(fc: pd.DataFrame, series, n: int) -> list:
    refuse_table_as_series(series)
    ids = list(dict.fromkeys(fc[ID]))
    if series is None:
        return ids[:n]
    wanted = [series] if isinstance(series, (str, int, np.integer)) else \
        list(dict.fromkeys(series))  # (fc['unique_id']: each id once, not per step)
    known = {str(u): u for u in ids}
    missing = [u for u in wanted if str(u) not in known]
    if missing:
        raise DataError(f"plot: series {missing[:5]} are not in the forecast (it has "
                        f"{len(ids)} series: {ids[:5]}{' ...' if len(ids) > 5 else ''}); "
                        f"pass ids of the panel forecast")
    return [known[str(u)] for u in wanted]


def plot_panel_forecast(fc: pd.DataFrame, past: pd.DataFrame, series=None, n: int = 4,
                        ax=None, path=None, point: str = "mean"):
    """``fc``: predict's table; ``past``: rows (unique_id, ds, y) of the history it follows.
    One axes per series (``ax``: one series, drawn into the user's axes); ``point``: what
    the ``mean`` column is, for the legend (``median`` for a quantile model)."""
    from ..figure_files import finish_figure, pyplot, quarter_ticks
    from .fan_bands import draw_fan

    ids = _chosen(fc, series, n)
    if ax is not None and len(ids) != 1:
        raise DataError(f"plot(ax=...) draws one series, and {len(ids)} are chosen; pass "
                        f"series=<an id> with ax, or leave ax out for a grid")
    if ax is None:
        cols = 2 if len(ids) > 1 else 1
        rows = int(np.ceil(len(ids) / cols))
        fig, axes = pyplot().subplots(rows, cols, figsize=(6.5 * cols, 3.0 * rows),
                                    squeeze=False)
        axes = list(axes.ravel())
        for extra in axes[len(ids):]:
            extra.set_visible(False)
    else:
        fig, axes = ax.figure, [ax]
    for a, uid in zip(axes, ids):
        f = fc[fc[ID].astype(str) == str(uid)]
        # the recent past, as Forecaster.plot zooms: three times the forecast, at least 36
        h = past[past[ID].astype(str) == str(uid)].tail(max(3 * len(f), 36))
        past_x = _drawable(h["ds"], f["ds"])
        a.plot(past_x, h["y"], color="0.35", lw=1.2, label="history")
        x = _drawable(f["ds"])
        draw_fan(a, x, f)  # (each central interval: a fan, the widest lightest)
        a.plot(x, f["mean"], color="tab:red", lw=1.8, label=f"forecast ({point})")
        a.set_title(str(uid), fontsize=9)
        a.set_xlabel("ds")
        a.set_ylabel("y")
        a.grid(alpha=0.3)
        a.tick_params(axis="x", labelrotation=30, labelsize=7)
        quarter_ticks(a, pd.concat([past_x, x]))  # (2014Q1, as the data's dates)
    axes[0].legend(fontsize=7, loc="upper left")
    if ax is None:
        from ..io.figure_glyphs import glyphs_said_when_saved

        with glyphs_said_when_saved():  # (CJK ids: said once, when saved)
            fig.tight_layout()
    return finish_figure(fig, path, ax)


def plot_model_forecast(model, fc: pd.DataFrame, history, series, n: int, ax, path):
    """:func:`plot_panel_forecast` of ``model``'s forecast ``fc`` after ``history`` (as
    predict read it: a file's dates with fit's off_grid, on the fitted week; read_panel's
    defaults refused a date predict had snapped), or after the tail of each series the
    model keeps."""
    from .forecast_inputs import read_history
    from .local_models import local_rows

    if history is not None:
        past = read_history(model, history).df
    else:
        past = local_rows(model, None) if model.local else model.tail
    from .point_note import median_models

    # (a quantile model's mean column is its median: the legend said "forecast (mean)")
    cfg = model.config
    median = median_models({"m": {"class": "GlobalForecaster", "quantiles": cfg.quantiles,
                                  "likelihood": cfg.likelihood}})
    return plot_panel_forecast(fc, past, series, n, ax, path,
                               point="median" if median else "mean")
