"""The seasonal period as a user types it: a whole number of steps.

Other tools write a weekly series' year as 52.18 (365.25 / 7; Prophet, fable's
``period = 52.18``) and a daily one's as 365.25. rnnlab's period is a lag (the seasonal
naive reads ``y[t - period]``, the seasonal difference ``y[t] - y[t - period]``), so it
is a whole number of steps; such a value is refused with the whole number to pass
instead, where argparse said only "invalid int value: '52.18'".
"""

from __future__ import annotations

import argparse
import math


def fraction_hint(value) -> str:
    """'; ... round it to 52 (...)' for a non-whole number ``value`` above 1 ("" otherwise)."""
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):  # (10**400: refused by its range)
        return ""
    if isinstance(value, bool) or not math.isfinite(v) or v <= 1 or v == int(v):
        return ""
    return (f"; a seasonal period is a whole number of steps, a lag (the seasonal naive "
            f"reads the value that many steps back): round it to {int(round(v))} (weekly "
            f"data's year: 52; daily data's: 365, which needs two years in the training part)")


def period_arg(text: str) -> int:
    """An argparse type for ``--period``: a whole number >= 1, a fractional one refused
    with the whole number to pass (:func:`fraction_hint`)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1 (1: no season), got "
                                         f"{text!r}{fraction_hint(text)}")
    return n


period_arg.__name__ = "integer >= 1"


def seasons_held(n: int, period: int) -> str:
    """How many seasons of ``period`` ``n`` points hold, rounded down to two decimals
    (103 of 52: '1.98', where '.2g' printed '2' in a note saying fewer than two)."""
    return f"{math.floor(100 * n / period) / 100:g}"
