"""Figures as rnnlab's plot methods hand them back: drawn on matplotlib's Agg backend, into
the user's axes or a figure of rnnlab's own, then written to a file, returned closed, or
left in the user's figure. Shared by the one-series plots (:mod:`rnnlab.forecast.plots`),
``GlobalForecaster.plot`` and ``BacktestResult.plot`` (:mod:`rnnlab.panel`)."""

from __future__ import annotations

from pathlib import Path

from .io.errors import ConfigTypeError


def pyplot():
    """The user's pyplot where it is in use, else figures of rnnlab's own that pyplot does
    not manage (:mod:`rnnlab.pyplot_agg`)."""
    from .pyplot_agg import pyplot as agg

    return agg()


def axes_for(ax, figsize):
    """(figure, axes, whether rnnlab made the figure): ``ax`` given, the user's."""
    if ax is not None:
        if not hasattr(ax, "fill_between"):
            raise ConfigTypeError(f"plot(ax=...) takes matplotlib Axes, got {type(ax).__name__}; "
                                  f"pass one of plt.subplots()'s axes (fig.axes[0])")
        return ax.figure, ax, False
    fig, ax = pyplot().subplots(figsize=figsize)
    return fig, ax, True


def save_figure(fig, path, dpi: int = 110):
    """Write ``fig`` to ``path`` and return where it went (:func:`write_figure`). ``path``
    None: the figure itself, closed (pyplot lets it go; a notebook shows the figure a cell
    returns, once)."""
    try:
        return fig if path is None else write_figure(fig, path, dpi)
    finally:
        pyplot().close(fig)


def write_figure(fig, path, dpi: int = 110) -> Path:
    """``fig`` written atomically to ``path``: matplotlib adds ``.png`` to a name without a
    suffix (the path returned was then not the file's), and a folder path became
    ``folder.png`` beside it: the name gets its ``.png`` here, and a folder is refused."""
    path = Path(path).expanduser()
    if path.is_dir():
        from .io.errors import DataError

        raise DataError(f"{path}: is a folder; plot() takes a file name, e.g. "
                        f"{path / 'forecast.png'}")
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    from .io.atomic import atomic_write_figure

    atomic_write_figure(path, fig, dpi=dpi, bbox_inches="tight")
    return path


def finish_figure(fig, path, ax, save=save_figure):
    """``save(fig, path)`` of a figure rnnlab made (``ax`` None); into the user's axes
    (``plot(ax=...)``), their figure is theirs and left open: the axes are returned (as
    pandas' plot does), or the file written with ``path``."""
    if ax is None:
        return save(fig, path)
    return ax if path is None else write_figure(fig, path)


def interval_name(lo: str, hi: str) -> str:
    """'80%' of the columns q0.1 and q0.9; a band not centred on the median names its
    levels ('q0.1-q0.5, 40%')."""
    a, b = float(lo[1:]), float(hi[1:])
    mass = f"{100 * (b - a):.3g}%"
    return mass if abs(a + b - 1) < 1e-9 else f"{lo}-{hi}, {mass}"


def quarter_ticks(ax, dates) -> bool:
    """Label the x axis of ``ax`` in quarters (2014Q1) when ``dates`` (the dates drawn,
    a Series) are calendar quarters' first days, three months apart (some two of them; an
    annual series' January firsts are not quarters): matplotlib labelled
    them as months (2014-01, 2014-07), where the data and forecasts.csv write 2014Q1.
    Ticks fall on quarters' starts only (every quarter, half-year or year, as the span
    allows). Returns whether it did; other dates keep matplotlib's labels."""
    import pandas as pd

    if not pd.api.types.is_datetime64_any_dtype(dates):
        return False
    days = pd.DatetimeIndex(pd.unique(dates.dropna())).sort_values()
    if days.tz is not None:
        days = days.tz_localize(None)
    if len(days) < 3 or not ((days.day == 1) & (days.month % 3 == 1)).all():
        return False
    months = days.year * 12 + days.month
    gaps = pd.Series(months).diff().dropna()
    if not (gaps % 3 == 0).all() or gaps.min() != 3:  # (January firsts: years, not quarters)
        return False
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    quarters = (months[-1] - months[0]) // 3 + 1
    every = (1, 4, 7, 10) if quarters <= 8 else (1, 7) if quarters <= 16 else (1,)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=every))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: str(pd.Period(mdates.num2date(v).replace(tzinfo=None), "Q"))))
    return True


def legend_beside(ax, **kw) -> None:
    """A legend right of ``ax``, over none of its lines, its figure widened by the legend's
    width (the axes keep their size), so that the figure holds it saved whole
    (``fig.savefig(path)``) as well as cut to its contents (rnnlab's files, a notebook):
    placed beside the axes alone, it lay past the figure's right edge, cut off there."""
    fig = ax.figure
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, **kw)
    over = legend.get_window_extent().x1 - fig.bbox.x1  # (pixels past the right edge)
    if over <= 0:
        return
    w, h = fig.get_size_inches()
    wide = w + over / fig.dpi + 0.1  # (a margin of a tenth of an inch)
    if fig.get_layout_engine() is None:  # (a style's constrained layout places it itself:
        sp = fig.subplotpars  # subplots_adjust there only warned)
        fig.subplots_adjust(left=sp.left * w / wide, right=sp.right * w / wide)
    fig.set_size_inches(wide, h)
