"""A pandas frequency's name as the installed pandas spells it.

pandas 2.2 renamed the period-end and sub-daily aliases (``M`` -> ``ME``, ``Q-DEC`` ->
``QE-DEC``, ``A-DEC`` -> ``YE-DEC``, ``AS-JAN`` -> ``YS-JAN``, ``H`` -> ``h``, ``T`` ->
``min``, ...); pandas 3 refuses the old names and pandas 2.0/2.1 (rnnlab's floor) refuse
most new ones. A name saved under one pandas (a checkpoint's calendar) is read under
another by :func:`this_pandas_freq`, a period's frequency (years: ``'A-DEC'`` before
pandas 2.2, ``'Y-DEC'`` since) by :func:`this_pandas_period_freq`.

pandas < 2.2 also names a quarter-start calendar by the wrong month of its cycle
(``QS-OCT`` for dates in Jan/Apr/Jul/Oct, where pandas >= 2.2 says ``QS-JAN``; the two
are the same dates): :func:`quarter_start_named_as_pandas_2_2` gives the newer name, so
a series reads as the same calendar whichever pandas is installed."""

from __future__ import annotations

import re
import warnings
from typing import Optional, overload

from pandas.tseries.frequencies import to_offset

# base alias before pandas 2.2 -> its name since (the reverse map is the inverse)
_NEW_OF_OLD = {"M": "ME", "BM": "BME", "SM": "SME", "CBM": "CBME", "Q": "QE", "BQ": "BQE",
               "A": "YE", "Y": "YE", "BA": "BYE", "BY": "BYE", "AS": "YS", "BAS": "BYS",
               "H": "h", "BH": "bh", "CBH": "cbh", "T": "min", "S": "s", "L": "ms",
               "U": "us", "N": "ns"}
_OLD_OF_NEW = {new: old for old, new in _NEW_OF_OLD.items() if old not in ("Y", "BY")}
# a period's alias before pandas 2.2 -> since (a period of a year is 'A-DEC' under pandas
# 2.0/2.1, which refuse 'Y-DEC'; pandas 3 refuses 'A-DEC'); months and quarters kept theirs
_PERIOD_NEW_OF_OLD = {"A": "Y", "H": "h", "T": "min", "S": "s", "L": "ms", "U": "us", "N": "ns"}
_PERIOD_OLD_OF_NEW = {new: old for old, new in _PERIOD_NEW_OF_OLD.items()}
_NAME = re.compile(r"^(\d*)([A-Za-z]+)((?:-\w+)?)$")  # multiple, base, anchor ("2", "QE", "-DEC")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_QUARTER_START = re.compile(r"^(\d*B?QS-)([A-Z]{3})$")


def _respelled(name: str, table: dict) -> Optional[str]:
    m = _NAME.match(name)
    if m is None or m.group(2) not in table:
        return None
    return m.group(1) + table[m.group(2)] + m.group(3)


@overload
def this_pandas_freq(name: str) -> str: ...
@overload
def this_pandas_freq(name: None) -> None: ...
@overload
def this_pandas_freq(name: Optional[str]) -> Optional[str]: ...


def this_pandas_freq(name: Optional[str]) -> Optional[str]:
    """``name`` as the installed pandas names it: ``'ME'`` saved under pandas >= 2.2 is
    ``'M'`` under pandas 2.0, and ``'M'`` is ``'ME'`` under pandas 3. A name this pandas
    reads only with a deprecation warning is respelled too, to pandas' own name of that
    step where no alias fits (``'d'`` is ``'D'``). A name no spelling makes readable is
    returned unchanged (its reader says it is not a frequency)."""
    if not name:
        return name
    for cand in (name, _respelled(name, _NEW_OF_OLD), _respelled(name, _OLD_OF_NEW)):
        if cand is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pandas 2.2's FutureWarning for 'M', 'H', ...
            try:
                return to_offset(cand).freqstr
            except (ValueError, TypeError, Warning):
                continue
    with warnings.catch_warnings():  # a spelling pandas reads only with a warning and
        warnings.simplefilter("ignore")  # no respelling above fixes: 'd', 'w', 'b' (lower
        try:  # case), whose name kept as given had no season ('d': None, 'D': 7)
            read = to_offset(name).freqstr
        except (ValueError, TypeError):
            return name
    # only pandas' name in another case: pandas 2.2 reads 'm' (numpy's minutes) as 'ME',
    # month ends, and 't' as 'min', each with a warning that respelling them here silenced
    return read if _base(read).lower() == _base(name).lower() else name


def _base(name: str) -> str:
    """The alias of a frequency's name, without its multiple and anchor ('W' of '2W-SUN')."""
    m = _NAME.match(name)
    return m.group(2) if m else name


def this_pandas_period_freq(name: Optional[str]) -> Optional[str]:
    """A period frequency (``'Y-DEC'``: years; a saved model's) as the installed pandas
    names it: ``'A-DEC'`` under pandas 2.0/2.1, ``'Y-DEC'`` since. A name no spelling makes
    readable is returned unchanged (its reader says it is not a frequency)."""
    import pandas as pd

    if not name:
        return name
    for cand in (name, _respelled(name, _PERIOD_NEW_OF_OLD),
                 _respelled(name, _PERIOD_OLD_OF_NEW)):
        if cand is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pandas 2.2's FutureWarning for 'A-DEC', 'H'
            try:
                return pd.Period("2000-01-01", freq=cand).freqstr
            except (ValueError, TypeError, Warning):
                continue
    return name


def quarter_start_named_as_pandas_2_2(name: Optional[str]) -> Optional[str]:
    """``'QS-OCT'`` (pandas < 2.2's name for starts in Jan/Apr/Jul/Oct) -> ``'QS-JAN'``:
    the anchor is the first month of the year on the quarterly cycle; other names as
    given."""
    m = _QUARTER_START.match(name or "")
    if m is None or m.group(2) not in _MONTHS:
        return name
    return m.group(1) + _MONTHS[_MONTHS.index(m.group(2)) % 3]


def checked_freq(freq, source: str) -> str:
    """A frequency a user gave (``read_panel(freq=...)``) as this pandas names it ('M' is
    'ME' under pandas 3, which refused 'M' with its own ValueError), or a DataError saying
    what a frequency is. A pandas offset (``pd.offsets.MonthBegin()``) is read by its
    name (``'MS'``): ``str()`` of it, ``'<MonthBegin>'``, was refused as no frequency."""
    from pandas.tseries.offsets import BaseOffset

    from ..io.errors import DataError

    name = this_pandas_freq(freq.freqstr if isinstance(freq, BaseOffset) else str(freq))
    if _base(name) == "m":  # (month ends to pandas < 3, with a warning; refused by pandas 3)
        raise DataError(f"{source}: freq={freq!r} reads as minutes (NumPy's 'm') and as "
                        f"month ends (pandas 2's 'm') alike; pass 'min' for minutes, 'ME' "
                        f"(or 'MS') for months")
    try:
        to_offset(name)
    except (ValueError, TypeError) as e:
        raise DataError(f"{source}: freq={freq!r} is not a pandas frequency ("
                        f"{str(e).split('. Failed')[0][:120]}); expected one such as 'MS' (months "
                        f"dated by their first day), 'ME', 'W-SUN', 'D', 'h'") from None
    return name
