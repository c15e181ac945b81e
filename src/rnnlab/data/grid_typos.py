"""One or two dates that break an otherwise regular series, named: a monthly file whose
first date read 2012-01-01 for 2019-01-01 (a jump of 85 months, fewer than
:data:`~.date_typo.MIN_JUMP`), or one whose date read 2020-04-15 among firsts of the
month, was read as dates of no frequency and forecast by step, without a word.

A date is named when the others, without it, follow one frequency with no date missing
but the ones it stands for, and the date either lies off that frequency's grid (another
day of the month, another time of day) or is one keystroke from the date the grid
expects there (one character changed, or two side by side swapped: 2012 for 2021); a
date out of order too (:func:`typed_out_of_order`: "sort the file" was no cure). Truly
irregular dates, a real gap (an isolated last date months after the others, not one
keystroke from the expected one), rows swapped, days an hour off when the clocks change
(daylight saving time) and dates one a month on days that vary (:mod:`.month_days` says
how to read them) are read as before."""

from __future__ import annotations

from itertools import combinations
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..io.errors import DataError

MAX_TYPED = 2  # dates named at most; more than that off the grid: irregular dates
ROWS_EACH = 6  # the series has at least this many dates per date named
ODD_STEPS = 3  # the steps least like the usual one whose two dates are suspected


def refuse_grid_typos(index: pd.DatetimeIndex, whose: str, wrong: str) -> None:
    """DataError naming the one or two dates of ``index`` (increasing, of no single
    frequency) that break the grid the others follow, and the dates that grid expects
    in their places, and how to read them if they are true (a holiday moved a week's
    day); nothing when there are none (``wrong``: the refusal's words for one date)."""
    found = typed_dates(index)
    if found:
        one = found.startswith("its date ")
        it, is_, s = ("it", "it is", "") if one else ("them", "they are", "s")
        snap = "grid expects" in found
        raise DataError(f"{whose}: {found}; " + (
            wrong if one else "dates typed wrong? correct or drop those rows") +
            f"; if {is_} true (a holiday moved {it}, say), " + (
                f"write the date{s} the grid expects for {it}, or " if snap
                else "") + "pass date_column=False (--date-column none) to read the rows as "
            f"steps, without dates; or {option_words(one, snap)}")


def option_words(one: bool, snap: bool, reader: str = "load_series") -> str:
    """The refusal's words naming the option (``snap``: the grid expects a date there) and
    the ``reader`` that takes it (the refusal that reaches ``Forecaster.fit(path)`` and
    the like names that call instead: :func:`rnnlab.io.encoded_path.named_call`)."""
    it = "it" if one else "them"
    word = "snap" if snap else "drop"
    moved = (f" to move {it} to the date{'' if one else 's'} the grid expects, or "
             f"off_grid='drop' (--off-grid drop)" if snap else "")
    return (f"read the data with off_grid='{word}' ({reader}; --off-grid {word}){moved} to "
            f"drop {it}")


class GridBreak(NamedTuple):
    """The one or two dates of a series that break the grid its other dates follow."""

    positions: Tuple[int, ...]  # where they are in the dates
    expected: Tuple[Optional[pd.Timestamp], ...]  # the grid's date for each (None: no room)
    off: Tuple[bool, ...]  # whether each lies off the grid (else one keystroke from it)
    freq: str  # the frequency the other dates follow
    said: str  # the dates named, and the dates expected there


def typed_dates(index: pd.DatetimeIndex) -> Optional[str]:
    """The one or two dates of ``index`` (increasing) that break the grid the others
    follow, and the dates that grid expects in their places, said; None when there are
    none (irregular dates, a real gap, dates one a month on days that vary)."""
    found = grid_break(index)
    return None if found is None else found.said


def grid_break(index: pd.DatetimeIndex) -> Optional[GridBreak]:
    """The :class:`GridBreak` of ``index`` (increasing), as :func:`typed_dates` says it;
    None when there is none."""
    from .month_days import month_day_hint

    if month_day_hint(index) is not None:  # (one date a month, on days that vary: its note)
        return None
    return _typed(index, _suspects(index))


def typed_out_of_order(index: pd.DatetimeIndex) -> Optional[str]:
    """The one or two dates of ``index`` (not increasing) without which the others
    increase on one frequency's grid, one keystroke from the dates that grid expects
    there (2012-01-01 among the months of 2021: sorting the file was no cure), said;
    None when there are none (rows swapped, a file out of order, a row added at its end
    for a date the others miss: sorting is the cure)."""
    from .frequency import infer_freq_with_gaps

    if len(index) < ROWS_EACH:
        return None
    drops = np.flatnonzero(np.diff(index.asi8) < 0)
    if len(drops) > MAX_TYPED:
        return None
    freq, gaps = infer_freq_with_gaps(index.sort_values())
    if freq is not None and gaps == 0:  # (sorted, regular: a row out of place)
        return None
    found = _typed(index, sorted({int(p) for d in drops for p in (d, d + 1)}))
    return None if found is None else found.said


def _typed(index: pd.DatetimeIndex, suspects: Sequence[int]) -> Optional[GridBreak]:
    """The fewest (one, else two) of ``suspects`` without which the other dates increase
    on one frequency's grid, missing only the dates they stand for, each off that grid
    or one keystroke from the date it expects there, said; else None."""
    from .frequency import infer_freq_with_gaps, voted_freqs

    voted = voted_freqs(index, 1)
    if not voted:
        return None
    for k in range(1, MAX_TYPED + 1):
        if len(index) < k * ROWS_EACH:
            return None
        for bad in combinations(suspects, k):
            rest = index.delete(list(bad))
            freq, gaps = infer_freq_with_gaps(rest) if rest.is_monotonic_increasing and \
                _short(rest, k, voted[0]) else (None, 0)
            if freq is None:
                continue
            expected = _expected(index, bad, freq)
            off = _off_grid(index, freq)
            i = bad[0]  # (a panel's 9016-07-01 for 2016-07-01, sorted away from its hole)
            if k == gaps == 1 and not (off[i] or rest[0] <= index[i] <= rest[-1]):
                expected = [_hole_for(index[i], rest, freq) or expected[0]]
            moved = {index[i] for i in bad} & {e[0] for e in expected}  # (rows swapped)
            if not moved and gaps <= sum(e[0] is not None for e in expected) and all(
                    (off[i] or _one_keystroke(index[i], e[0])) and
                    not _clock_moved(index[i], e[0], freq) for i, e in zip(bad, expected)):
                return GridBreak(tuple(bad), tuple(e[0] for e in expected),
                                 tuple(bool(off[i]) for i in bad), freq,
                                 _said(index, bad, expected, freq))
    return None


def _short(rest: pd.DatetimeIndex, k: int, freq: str) -> bool:
    """Whether the dates ``rest`` span at most ``k`` more dates than they hold of the
    frequency ``freq`` most dates follow, told without building its grid (two stretches
    of hours ten years apart: each try read the frequency of 20,000 dates)."""
    try:
        return bool(rest[0] + (len(rest) + k) * to_offset(freq) >= rest[-1])
    except (ValueError, TypeError, OverflowError):  # (past the dates pandas holds)
        return False


def _suspects(index: pd.DatetimeIndex) -> List[int]:
    """Positions whose dates may be the typed ones: those off the most voted frequency's
    grid, and the two dates of each of the :data:`ODD_STEPS` steps least like the
    usual one (an empty list when more than :data:`MAX_TYPED` are off the grid)."""
    from .frequency import voted_freqs

    voted = voted_freqs(index, 1)
    if not voted:
        return []
    off = np.flatnonzero(_off_grid(index, voted[0])).tolist()
    if len(off) > MAX_TYPED:
        return []
    steps = np.diff(index.asi8).astype(float)
    odd = np.abs(np.log(np.maximum(steps, 1.0) / max(np.median(steps), 1.0)))
    near = {p for j in np.argsort(-odd, kind="stable")[:ODD_STEPS] for p in (j, j + 1)}
    return sorted(set(off) | {int(p) for p in near})


def _off_grid(index: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Which dates of ``index`` lie off ``freq``'s grid: on a day the offset does not
    hold, or (for a fixed step) at a phase or time of day other than most dates'."""
    off = to_offset(freq)
    if isinstance(off, pd.offsets.Tick):  # (a fixed step: every date at one phase of it)
        phase = index.as_unit("ns").asi8 % off.nanos  # (pandas 3: seconds, microseconds)
        return phase != _mode(phase)
    clock = np.asarray(index - index.normalize())
    return np.array([not off.is_on_offset(d) for d in index]) | (clock != _mode(clock))


def _mode(values):
    """The most common of ``values``."""
    codes, uniques = pd.factorize(np.asarray(values))
    return uniques[np.bincount(codes).argmax()]


def _expected(index: pd.DatetimeIndex, bad: Sequence[int], freq: str) -> list:
    """(the date the grid of the dates kept (all but ``bad``) expects there, the kept
    dates before and after) for each position of ``bad``: counted on from the date kept
    before it, or back from the one after it; None where there is no room."""
    off, kept = to_offset(freq), [i for i in range(len(index)) if i not in bad]
    out = []
    for i in bad:
        before = max((j for j in kept if j < i), default=None)
        after = min((j for j in kept if j > i), default=None)
        try:
            if before is not None:
                e = index[before] + (i - before) * off
            elif after is not None:
                e = index[after] - (after - i) * off
            else:  # (no date kept: no grid to count on; _typed keeps ROWS_EACH a try)
                e = None
        except (ValueError, OverflowError):  # (past the dates pandas holds)
            e = None
        room = e is not None and (after is None or e < index[after]) and \
            (before is None or e > index[before])
        out.append((e if room else None, *(None if j is None else index[j]
                                           for j in (before, after))))
    return out


def _hole_for(date: pd.Timestamp, rest: pd.DatetimeIndex, freq: str) -> Optional[tuple]:
    """(the one date missing from the ``freq`` grid of ``rest``, when one keystroke from
    ``date``, and the dates of ``rest`` before and after it), else None."""
    holes = pd.date_range(rest[0], rest[-1], freq=freq).difference(rest)
    if len(holes) != 1 or not _one_keystroke(date, holes[0]):
        return None
    at = rest.searchsorted(holes[0])
    return holes[0], rest[at - 1], rest[at]


def _clock_moved(date: pd.Timestamp, expected: Optional[pd.Timestamp], freq: str) -> bool:
    """Whether ``date``, on a grid of days or longer, is the date expected there an hour
    off: the clocks changed (daylight saving time) and the dates are UTC midnights shown
    in local time, or local midnights in UTC; a true date, not one typed wrong."""
    off = to_offset(freq)
    if expected is None or (isinstance(off, pd.offsets.Tick) and
                            off.nanos < pd.Timedelta(days=1).value):
        return False  # (an hour off among hours or minutes: another time, named)
    return abs(date - expected) == pd.Timedelta(hours=1)


def _one_keystroke(date: pd.Timestamp, expected: Optional[pd.Timestamp]) -> bool:
    """Whether ``date`` as written is one keystroke from ``expected``: one character
    changed, or two side by side swapped (2012-01-01 for 2021-01-01)."""
    if expected is None:
        return False
    a, b = _shown(date), _shown(expected)
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(a) != len(b) or not diff:
        return False
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                              a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def _said(index, bad, expected, freq) -> str:
    n, one = len(index), len(bad) == 1
    each = "; ".join(f"{_shown(index[i])} (date {i + 1} of {n}, " + _where(*e) + ")"
                     for i, e in zip(bad, expected))
    return (f"{'its date' if one else 'its dates'} {each} {'breaks' if one else 'break'} "
            f"the {freq!r} dates the other {n - len(bad)} follow")


def _where(expected, before, after) -> str:
    if expected is not None:
        return f"where the grid expects {_shown(expected)}"
    if before is not None and after is not None:
        return f"where the grid has no date between {_shown(before)} and {_shown(after)}"
    return "off the grid"


def _shown(d: pd.Timestamp) -> str:
    """2021-12-01, or with its time of day when it has one (2021-12-01 13:00:00)."""
    return str(d.date()) if d == d.normalize() else str(d)
