"""The ``weekmask`` option, declared once for the one-series
:class:`~rnnlab.forecast.config.ForecastConfig` and the panel's
:class:`~rnnlab.panel.config.PanelConfig` (``weekmask=``, ``--weekmask``): the same
spelling, help and check (:func:`~rnnlab.data.open_days.week_mask`) in both."""

from __future__ import annotations

from typing import Optional

from ..options import option


def weekmask_option(group: Optional[str] = None):
    """``weekmask``: the open days of a daily series' week (None: the dates' calendar)."""
    return option(None, "the days a daily series is open (a panel: every series), as pandas' "
                  "CustomBusinessDay takes them ('Mon Tue Wed Thu Fri Sat': closed on "
                  "Sundays, their rows left out): forecasts dated on those days only, the "
                  "week's days the seasonal period; 'Mon Tue Wed Thu Fri holidays=US' closes "
                  "a country's public holidays too (holidays=NYSE: a market's) (default: "
                  "the dates' own calendar)",
                  group=group)


def week_problem(weekmask) -> Optional[str]:
    """Why ``weekmask`` is no week of open days (:func:`~rnnlab.data.open_days.week_mask`);
    None when it is one (or None: no week)."""
    from .open_days import week_mask

    if weekmask is None:
        return None
    try:
        week_mask(weekmask)
    except ValueError as e:
        return str(e)
    return None
