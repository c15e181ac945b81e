"""Where a panel backtest's origins lie: ``align="date"`` counts them back from the
panel's latest date and cuts every series at the same dates (no model fitted at an origin
sees any series' value dated after it); ``align="end"`` counts them back from each series'
own end (series of different end dates are then cut at different dates: a global model
fitted at one series' origin has seen other series' later values, a cross-series
look-ahead). Where every series ends on the same date the two are the same cuts.

``None`` (the default) is ``"date"``, except on a panel whose series do not lie on one
calendar grid (hourly series at different minutes, ``2D`` steps on odd and even days):
there the origins can only be counted from each end, said in a warning."""

from __future__ import annotations

import warnings
from typing import Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from .int_steps import STEPS, shown_date, steps_in_errors
from .long_table import DS, ID
from .panel_cut import steps_from_end
from .week_freq import freq_name
from ..callers_line import callers_level
from ..io.errors import ConfigError

ALIGNS = ("date", "end")


def check_align(align: Optional[str]) -> Optional[str]:
    if align is None or align in ALIGNS:
        return align
    raise ConfigError(f"align must be 'date' (every series cut at the same dates, counted "
                      f"back from the panel's last date), 'end' (counted back from each "
                      f"series' own end) or None (date where it can); got {align!r}")


def aligned_steps(panel, align: Optional[str]) -> Tuple[np.ndarray, str]:
    """(each row's steps before the origin reference: the panel's last date (``"date"``)
    or its own series' last row (``"end"``), the alignment used)."""
    df = panel.df
    own = steps_from_end(df)
    if align == "end" or df.empty:
        return own, "end"
    ends = df.groupby(ID, sort=False)[DS].last()
    if ends.nunique() == 1:  # one end: the same cuts (and the very same arrays) either way
        return own, "date"
    pos = _grid_steps(df[DS], panel.freq)
    if pos is not None:
        return pos, "date"
    said = (f"the series' dates do not lie on one {freq_name(panel.freq)} grid, so the backtest "
            f"cannot cut them at common dates")
    if align == "date":
        raise ConfigError(f"align='date': {said}; pass align='end' (origins counted from "
                          f"each series' end, a cross-series look-ahead where ends differ)")
    warnings.warn(f"{said}: origins are counted from each series' own end (align='end'); "
                  f"a global model fitted at an origin may have seen other series' later "
                  f"values", stacklevel=4)
    return own, "end"


def warn_ragged_holdout(panel, horizon: int, command: str) -> None:
    """One warning where the series end on different dates and each is held out at its own
    end (``rnnlab forecast`` on a panel): the model fitted there read other series' values
    dated inside some series' held-out part, so their scores are a little optimistic."""
    df = panel.df
    if df.empty:
        return
    ends = df.groupby(ID, sort=False)[DS].last()
    if ends.nunique() < 2:
        return
    last = ends.max()
    early = ends[ends < last]
    shown = ", ".join(map(str, early.index[:3])) + (", ..." if len(early) > 3 else "")
    warnings.warn(f"{len(early)} of {len(ends)} series end before the panel's last date "
                  f"({shown}); {command} holds out each series' own last {horizon} values, so "
                  f"the model it scores read other series' values dated inside their held-out "
                  f"part (a cross-series look-ahead); `rnnlab backtest --align date` cuts every "
                  f"series at common dates", stacklevel=3)


def _grid_steps(ds: pd.Series, freq: str) -> Optional[np.ndarray]:
    """Each date's steps before the latest on the ``freq`` grid ending there; None where a
    date is off that grid."""
    try:
        grid = pd.date_range(end=ds.max(), start=ds.min(), freq=freq)
    except (ValueError, TypeError):
        return None
    if len(grid) == 0 or grid[-1] != ds.max():  # the grid runs from the first date
        return None
    idx = grid.get_indexer(pd.DatetimeIndex(ds))
    if (idx < 0).any():
        return None
    return (len(grid) - 1 - idx).astype(np.int64)


def origin_dates(df: pd.DataFrame, pos: np.ndarray, offsets: List[int]) -> list:
    """The date of each origin (the rows ``off`` steps before the reference), or None
    where no row lies there."""
    out = []
    for off in offsets:
        at = df[DS].to_numpy()[pos == off]
        out.append(pd.Timestamp(at[0]) if len(at) else None)
    return out


def origins_said(align: str, offsets: List[int], dates: list, ds_period=None,
                 ds_written: Optional[str] = None) -> str:
    """One line on what ran: ``origins 2016-09-01, 2017-09-01 (every series cut at each
    date, align='date')`` or ``origins 24, 12 steps before each series' end
    (align='end')``."""
    if align == "end":
        return (f"origins {', '.join(map(str, offsets))} steps before each series' end "
                f"(align='end')")
    shown = ", ".join(origin_text(d, ds_period, ds_written) if d is not None else "?"
                      for d in dates)
    return (f"origins {shown} ({', '.join(map(str, offsets))} steps before the panel's "
            f"last date; every series cut at each, align='date')")


def origin_text(date, ds_period=None, ds_written: Optional[str] = None) -> str:
    """An origin's date as the panel's dates are given, as its forecasts.csv writes them:
    a period (2012Q4, for quarters given as periods or 1998Q1 text; it said 2012-10-01),
    an integer step, text in the data's form (``ds_written``: us_employment's 2016-09), or
    the date."""
    if ds_period is not None and ds_period != STEPS:
        return str(pd.Timestamp(date).to_period(ds_period))
    if ds_written:
        from ..data.half_years import dates_text  # (a half-year's form: 2015-H1)

        return str(dates_text(pd.DatetimeIndex([pd.Timestamp(date)]), ds_written)[0])
    with steps_in_errors(ds_period):
        return shown_date(date)


def origin_named(align: str, off: int, date, ds_period=None) -> str:
    """``the origin 2017-09-01 (12 steps before the panel's last date)`` or ``the origin
    12 steps before their end``, as a message names one."""
    if align == "end" or date is None:
        return f"the origin {off} steps before their end"
    with steps_in_errors(ds_period):
        return f"the origin {shown_date(date)} ({off} steps before the panel's last date)"


def note_unscored(notes: Dict[str, list], truth: pd.DataFrame, ids, horizon: int,
                  date) -> None:
    """Add to ``notes`` (id: [(origin date, values after it)]) each series of ``ids`` (fitted
    on at the origin ``date``) with fewer than ``horizon`` values after it."""
    n = truth.groupby(ID, sort=False).size().reindex(ids, fill_value=0)
    for u, k in n[n < horizon].items():  # (at once: thousands of series, each origin)
        notes.setdefault(str(u), []).append((date, int(k)))  # (ids: text)


def warn_unscored(notes: Dict[str, list], horizon: int, ds_period=None,
                  origins: int = 0) -> None:
    """One warning naming the series that end before an origin (not scored there) or
    within its horizon (scored on the values they have), with align='date'; of the
    ``origins``, those left unscored at every one are counted, with the alignment that
    scores them."""
    if not notes:
        return
    with steps_in_errors(ds_period):
        said = [f"{u} ({', '.join(f'{k} after {shown_date(d)}' for d, k in v[:3])}"
                f"{' ...' if len(v) > 3 else ''})" for u, v in list(notes.items())[:5]]
    warnings.warn(f"align='date': {len(notes)} series {'ends' if len(notes) == 1 else 'end'} "
                  f"before an origin or less than a horizon ({horizon}) after it, so "
                  f"{'is' if len(notes) == 1 else 'are'} scored on the values after the "
                  f"origin {'it has' if len(notes) == 1 else 'they have'} (none: not scored "
                  f"there; fitted on the values before it): {'; '.join(said)}"
                  f"{' ...' if len(notes) > 5 else ''}" + _own_ends(notes, origins),
                  stacklevel=callers_level(4))  # (backtest's caller, or the model's)


def _own_ends(notes: Dict[str, list], origins: int) -> str:
    """Where series of ``notes`` have no value to score after any of the ``origins`` (they
    end before the first): how many, and the alignment that scores every series over its
    own last values ('' for none)."""
    gone = sum(len(v) == origins and all(k == 0 for _, k in v) for v in notes.values())
    if not gone:
        return ""
    return (f"; {gone} of them {'is' if gone == 1 else 'are'} scored at no origin here: "
            f"align='end' (--align end) counts the origins from each series' own end, so "
            f"each is scored on its last values (a global model then reads other series' "
            f"values dated after a series' origin)")


def series_said(cuts: list, truths: List[pd.DataFrame]) -> str:
    """The series a backtest's models read (``cuts``: the panel at each origin), and how
    many of them are scored (``truths``: the values after each) where those differ: a
    series that ends before every origin is fitted on, never scored, and the table's
    ``n_series`` counts the scored ones."""
    n = len(set().union(*(c.ids for c in cuts)))
    scored = len(set().union(*(pd.unique(t[ID]) for t in truths)))
    if scored == n:
        return f"{n} series"
    return (f"{n} series, {scored} scored ({n - scored} with no values after any origin "
            f"to score)")
