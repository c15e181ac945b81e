"""Arguments of the forecasting calls as users of other libraries give them, read or
refused in one place for every model, baseline and backtest.

Horizons (:func:`horizon_steps`): a whole number of steps (``2.0`` as division gives it is
2), never ``True`` (1), ``2.5`` or ``0``. Quantile levels (:func:`check_quantiles`, for
the baselines, backtests, ``Forecaster.predict`` and ``PanelConfig``):

* one number (``quantiles=0.9``, as ``Forecaster.predict`` took it): one level;
* percentages (``quantiles=(10, 50, 90)``): refused, saying the fractions meant
  (``(0.1, 0.5, 0.9)``); 80 may also be meant as an 80% interval, so both readings are named;
* NeuralForecast's and statsforecast's ``level=[80, 95]`` (central intervals in percent):
  refused with the quantiles that hold them here, ``quantiles=(0.025, 0.1, 0.5, 0.9, 0.975)``.
"""

from __future__ import annotations

from numbers import Number
from typing import Tuple

from ..io.errors import ConfigError, DataError
from ..number_kinds import is_whole_valued
from .quantile_columns import same_column


def step_count(value, what: str = "horizon", one_series: bool = False) -> int:
    """``value`` as a whole number of steps (36, or 36.0 as division gives it; a 0-d array
    or tensor as the number it holds); a DataError naming ``what`` otherwise (8.5 was cut
    to 8, True read as 1), a horizon's hinting at the number meant in the words of a
    panel's forecast or the one-series Forecaster's (``one_series``). The one reading of
    every count of steps: horizons, a backtest's stride, first_origin and min_length."""
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()  # (np.array(12), torch.tensor(12): the number they hold)
    if not is_whole_valued(value):
        hint = ""
        if what == "horizon":  # (sktime's fh=[1, 2, 3], or dates: the number meant)
            from .peer_sktime import horizon_hint

            hint = horizon_hint(value, one_series)
        raise DataError(f"{what} must be a whole number of steps, got {value!r}{hint}")
    return int(value)


def horizon_steps(horizon, trained=None, one_series: bool = False) -> int:
    """``horizon`` as a number of steps from 1 (to ``trained``, a model's trained
    horizon); a DataError saying what was given and what to pass otherwise (of the
    one-series Forecaster's forecast: ``one_series``)."""
    h = step_count(horizon, "horizon", one_series)
    if h < 1:
        raise DataError(f"horizon must be at least 1 step, got {h!r}")
    if trained is not None and h > trained:
        raise DataError(f"horizon must be between 1 and the trained horizon {trained}, "
                        f"got {h}; train with horizon={h}")
    return h


def one_level(quantiles) -> bool:
    """A single level given bare: a number (numpy's scalars included), or a 0-d numpy
    array (``np.array(0.9)``); a string too, refused as a level then (numpy's
    ``isscalar`` and 0-d arrays, without importing numpy: the parsers import this)."""
    if isinstance(quantiles, (Number, str, bytes)):
        return True
    made_by_numpy = type(quantiles).__module__.split(".")[0] == "numpy"
    return made_by_numpy and getattr(quantiles, "ndim", None) == 0


def level_tuple(quantiles) -> Tuple[float, ...]:
    """``quantiles`` (a number, or a sequence of numbers) as a tuple of floats; a
    ValueError saying what was expected otherwise (``'0.1,0.9'``, a mapping, ...)."""
    try:
        return tuple(float(v) for v in ((quantiles,) if one_level(quantiles) else quantiles))
    except (TypeError, ValueError):
        raise ConfigError(f"quantile levels must be a number or a sequence of numbers in "
                          f"(0, 1), e.g. (0.1, 0.5, 0.9); got {quantiles!r}") from None


def percent_hint(levels) -> str:
    """Where every level lies in (1, 100) (``(10, 50, 90)``, ``[80]``):
    what they mean as fractions, and as central intervals; else ''."""
    v = [float(t) for t in levels]
    if not v or not all(1 < t < 100 for t in v):  # ((0.5, 1.5): a typo, not percentages)
        return ""
    frac = tuple(round(t / 100, 10) for t in v)
    said = (f"; levels are fractions, not percentages: {_tuple(v)} as percentiles is "
            f"quantiles={_tuple(frac)}")
    if all(t > 50 for t in v):  # (80, 95) may be NeuralForecast's intervals; (10, 50, 90) not
        said += (f", and as central intervals in % (NeuralForecast's level=) "
                 f"quantiles={_tuple(interval_quantiles(v))}")
    return said


def interval_quantiles(level) -> Tuple[float, ...]:
    """The quantile levels holding the central intervals ``level`` (in %, NeuralForecast's
    and statsforecast's ``level=[80, 95]``) and the median: (0.025, 0.1, 0.5, 0.9, 0.975)."""
    out = {0.5}
    for p in level_tuple(level):
        if not 1 < p < 100:  # (0.8 is a fraction: an interval of 0.8% is not what is meant)
            raise ConfigError(f"level= takes central intervals in percent, each in (1, 100), "
                              f"e.g. [80, 95]; got {p!r}")
        lo = round((1 - p / 100) / 2, 10)
        out |= {lo, round(1 - lo, 10)}
    return tuple(sorted(out))


def level_hint(level, call: str = "{}") -> str:
    """What NeuralForecast's ``level=`` given as ``level`` is here: the quantiles that hold
    those central intervals, as the argument of ``call`` (``"predict({})"``)."""
    try:
        q = interval_quantiles(level)
    except ValueError as e:  # (0, 100, 120, a fraction 0.8: said, with the 80% levels)
        return (call.format("quantiles=(0.1, 0.5, 0.9)") + f" holds the 80% interval "
                f"(level=[80]); {e}")

    return (call.format(f"quantiles={_tuple(q)}") + f" gives the central intervals "
            f"level={level!r} and the median")


def _tuple(v) -> str:
    """``(0.1, 0.5, 0.9)``; ``(0.8,)`` for one level; whole numbers without ``.0``."""
    v = [int(t) if float(t).is_integer() else t for t in v]
    return f"({', '.join(map(repr, v))}{',' if len(v) == 1 else ''})"


def check_quantiles(quantiles) -> Tuple[float, ...]:
    """Quantile levels in (0, 1), strictly increasing, as a tuple (None: none); else a
    DataError (a ValueError) saying what was expected. The one check of every caller:
    baselines, backtests, ``Forecaster.predict`` and ``PanelConfig`` (which also wants
    one level at least)."""
    if quantiles is None:
        return ()
    try:
        q = level_tuple(quantiles)  # (one number: one level)
    except ValueError as e:
        raise DataError(str(e)) from None
    bad = [v for v in q if not 0 < v < 1]
    if bad:
        raise DataError(f"quantile levels must lie in (0, 1), got {bad}; e.g. (0.1, 0.5, 0.9)"
                        f"{percent_hint(q)}")
    if any(b <= a for a, b in zip(q, q[1:])):
        raise DataError(f"quantile levels must be sorted and distinct (strictly increasing), "
                        f"got {list(q)}; pass them in increasing order, e.g. "
                        f"{_tuple(sorted(set(q)))}")
    clash = same_column(q)
    if clash:
        raise DataError(f"quantile levels {clash[0][0]!r} and {clash[0][1]!r} would share "
                        f"the column 'q{clash[0][0]:g}'; give levels that differ in 6 "
                        f"significant digits")
    return q


def option_quantiles(values, check=check_quantiles):
    """``--quantiles``' values read by ``check`` (default :func:`check_quantiles`), a
    refusal an :class:`~rnnlab.io.errors.OptionError` (a usage error) naming the option,
    and its examples spelt as the command line takes them: ``--quantiles 0.8 0.95``, not
    the API's ``quantiles=(0.8, 0.95)`` (``rnnlab forecast --quantiles 80 95`` was told to
    pass ``quantiles=(0.8, 0.95)``, and ``rnnlab backtest``'s message named no option)."""
    import re

    from ..io.errors import OptionError

    try:
        return check(values)
    except ValueError as e:
        said = re.sub(r"^(predict\(quantiles=\.\.\.\)|--quantiles): ", "", str(e))
        said = re.sub(r"(quantiles=|e\.g\. )\(([^()]*)\)",
                      lambda m: ("e.g. " if m.group(1) == "e.g. " else "")
                      + "--quantiles " + m.group(2).replace(",", ""), said)
        raise OptionError(f"--quantiles: {said}") from None
