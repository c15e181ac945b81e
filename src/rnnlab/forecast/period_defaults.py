"""Look-back and test size that follow the series' seasonal period when not given.

A look-back of 12 steps reads a year of a monthly series but a week and a half of a daily
one: its weekly cycle is cut in the middle. When a period p is known (given, or inferred
from the dates: daily 7, business days 5, hourly 24, monthly 12, quarterly 4) and is at
most :data:`MAX_PERIOD`, the defaults round up to whole periods:

    lookback  = ceil(12 / p) * p          (daily: 14, business days: 15, hourly: 24)
    test_size = ceil(horizon / p) * p     (daily, horizon 12: 14)

Monthly and quarterly series keep 12 and the horizon (already whole years). A longer
period (weekly: 52) keeps the defaults: a year-long window is a different model, chosen
on purpose. So does a series too short for the rounded sizes (fewer than
:data:`MIN_WINDOWS` windows would remain).

The Python API (``Forecaster``) keeps the sizes it is given, its signature's 12 and the
horizon included: a number passed in Python is taken as typed, and the API cannot tell a
12 typed from its default. Where the command would round them, it says so
(:class:`PeriodSizesNote`, from :func:`note_api_sizes`) with the sizes that give the
command's run.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Optional, Tuple

if TYPE_CHECKING:
    from .config import ForecastConfig

MAX_PERIOD = 24  # longer periods keep the plain defaults
MIN_WINDOWS = 4  # training windows per look-back + test part that must remain


def _whole(value: int, period: int) -> int:
    return int(math.ceil(value / period) * period)


def period_defaults(cfg: ForecastConfig, period: Optional[int], n: int,
                    typed=frozenset()) -> Tuple[ForecastConfig, str]:
    """(config with the period's look-back / test size where not ``typed``, one line saying
    which; "" when nothing changes). ``typed`` holds the option names given by the user
    (``lookback``, ``test_size``)."""
    if not period or period > MAX_PERIOD:
        return cfg, ""
    changes = {}
    if "lookback" not in typed:
        changes["lookback"] = _whole(cfg.lookback, period)
    if "test_size" not in typed and cfg.test_size is None:
        changes["test_size"] = _whole(cfg.horizon, period)
    lookback = changes.get("lookback", cfg.lookback)
    test = changes.get("test_size", cfg.test_size or cfg.horizon)
    changes = {k: v for k, v in changes.items()
               if v != (cfg.lookback if k == "lookback" else cfg.horizon)}
    if not changes or n < MIN_WINDOWS * (lookback + test) + 2 * test + 2 * period:
        return cfg, ""
    said = ", ".join(f"--{k.replace('_', '-')} {v} ({v // period} periods)"
                     for k, v in changes.items())
    return cfg.replace(**changes), (f"seasonal period {period}: {said}, whole periods instead "
                                    f"of the plain defaults; give them to choose")


class PeriodSizesNote(UserWarning):
    """Forecaster kept a look-back / test size that ``rnnlab forecast`` rounds to whole periods."""


def note_api_sizes(cfg, period: Optional[int], n: int, name: str) -> None:
    """Warn (:class:`PeriodSizesNote`) when ``cfg``'s look-back (12, the default) or test
    size (None: the horizon) is one that ``rnnlab forecast`` would round to whole periods
    of ``period`` for a series of ``n`` points; the fit keeps them as given."""
    default = type(cfg)().lookback
    typed = frozenset() if cfg.lookback == default else frozenset({"lookback"})
    rounded, _ = period_defaults(cfg, period, n, typed)
    if rounded is cfg:
        return
    kept, cli = _sizes(cfg), _sizes(rounded)
    warnings.warn(f"series {name!r}: seasonal period {period}: Forecaster uses {kept} (as "
                  f"given; test_size: the horizon unless given), while `rnnlab forecast` "
                  f"with its defaults rounds them up to whole periods ({cli}); pass {cli} "
                  f"for the command's run, or silence this note with "
                  f"warnings.filterwarnings('ignore', category=PeriodSizesNote)",
                  PeriodSizesNote, stacklevel=5)


def _sizes(cfg) -> str:
    """'lookback=12, test_size=12': the sizes a fit takes (test_size None: the horizon;
    0, no test part, stays 0)."""
    test = cfg.horizon if cfg.test_size is None else cfg.test_size
    return f"lookback={cfg.lookback}, test_size={test:g}"
