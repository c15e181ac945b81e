"""A panel checked against a model's lengths: the series too short for its windows
skipped with a warning naming them, or refused (``on_short='error'``, or none left).
Within :func:`test_part_held` (``rnnlab forecast``, which fits on all but each series'
last horizon) a series' points are counted as the user gave them too: "'c' (8)" read as
a count of the rows given, 14, of which the test part took 6."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Iterator

from ..io.errors import DataError
from ..listing import first_few
from .long_table import ID
from ..callers_line import callers_level

if TYPE_CHECKING:
    from .frame import PanelFrame

# the points held out after each series while fitting: rnnlab forecast's test part (0: none)
_HELD_OUT: ContextVar[int] = ContextVar("rnnlab_panel_held_out", default=0)


@contextmanager
def test_part_held(steps: int) -> Iterator[None]:
    """Within: the fits are on each series but its last ``steps`` (a test part held out
    to score), which the warning of the series skipped as too short says."""
    token = _HELD_OUT.set(int(steps))
    try:
        yield
    finally:
        _HELD_OUT.reset(token)


def check_lengths(panel: PanelFrame, min_length: int, on_short: str = "skip",
                  what: str = "lookback + horizon") -> PanelFrame:
    """The panel without series shorter than ``min_length`` (a warning lists them), or a
    DataError naming them when ``on_short='error'``; an error when none is left."""
    n = panel.lengths()
    if n.empty:
        raise DataError("the panel has no rows (cut(steps) past every series' length?); "
                        "expected at least one series to fit on")
    short = n[n < min_length]
    if short.empty:
        return panel
    held = _HELD_OUT.get()
    msg = _short(short, min_length, what, held)
    if on_short == "error" or len(short) == len(n):
        raise DataError(f"{msg}; use a shorter lookback/horizon or drop them"
                        + ("" if on_short == "error" else " (no series is long enough)"))
    warnings.warn(f"{msg}; skipped (not trained on, not " + (
        "scored; the forecast past the data reads all its points, as a series not trained "
        "on)" if held else "forecast)"), stacklevel=callers_level(3))
    return panel.with_df(panel.df[~panel.df[ID].isin(short.index)])


def _short(short, min_length: int, what: str, held: int = 0) -> str:
    """The series too short, each with its points (``held``: those held out after them
    too, the rows given counted beside)."""
    shown = first_few(list(short.items())[:10], 10, total=len(short), show=lambda uk: (
        f"{uk[0]!r} ({uk[1]} of its {uk[1] + held})" if held else f"{uk[0]!r} ({uk[1]})"))
    return f"{len(short)} series shorter than {what} = {min_length} points: {shown}" + (
        f" (the points before the test part, each series' last {held}, held out to score)"
        if held else "")


def refuse_unfittable(panel: PanelFrame, cfg, held_out: int) -> None:
    """Before a run directory is made: the DataError the fit of ``cfg`` (a PanelConfig)
    would raise on ``panel`` without its last ``held_out`` steps (the fit that holds out
    least): no series long enough for its seasonal lag (:func:`lag_for`) + lookback +
    horizon (+ the validation tail of local models) after them, or one short with
    ``on_short='error'``, as its :func:`check_lengths` says (``--lookback 100000`` made the
    folder, marked a run started, then stopped; so did ``--difference seasonal`` on series
    short only by its lag, which this left out)."""
    refuse_short_lengths(panel.lengths(), cfg, cfg.period or panel.period, held_out)


def refuse_short_lengths(full, cfg, period, held_out: int = 0, where: str = "") -> None:
    """:func:`refuse_unfittable` of series of lengths ``full`` (a pandas Series by id) and
    season ``period``: the backtest's check gives each fitted origin's cut (``where``:
    the origin, as its message names it)."""
    kept = full[full > held_out]  # (a series no longer than that is left out of each fit)
    lag = lag_for(cfg, kept - held_out, period)
    need = lag + cfg.lookback + cfg.horizon + (cfg.n_val if cfg.local else 0) + held_out
    short = kept[kept < need]
    if full.empty or (not kept.empty and (short.empty or (
            cfg.on_short != "error" and len(short) < len(kept)))):
        return
    short = short if not kept.empty else full  # (none left: each is too short)
    what = ("lookback + horizon" + (" + seasonal lag" if lag else "")
            + (" + validation" if cfg.local else "")
            + (f" + the {held_out} steps held out" if held_out else ""))
    raise DataError(f"{_short(short, need, what)}{where}; use a shorter lookback/horizon "
                    f"or drop them" + ("" if cfg.on_short == "error" else " (no series is long enough)"))


def lag_for(cfg, n, period) -> int:
    """The lag of the seasonal difference a model of ``cfg`` (a PanelConfig) trains on for
    series of lengths ``n`` (a pandas Series of them; 0: none), as its fit takes it."""
    if cfg.difference == "seasonal" and not period:
        raise DataError("difference='seasonal' needs a period: pass period=N (or "
                        "give dated series)")
    # auto: seasonal differencing helps trending, seasonal series (us_employment MASE
    # 0.65 -> 0.35) but blurs what future covariates explain (y_t - y_{t-m} depends on
    # them at t and t-m: elecdaily RMSE 12.0 -> 19.2), so not with them, nor for counts
    # (and only where it skips no series long enough without it: a weekly panel of
    # 60 points would lose every series to a 52-week lag the user never asked for); a
    # training window lies before the validation tail, local or global (two years of weekly
    # sales, 92 weeks, got the 52-week lag, then no window: "too short for lookback 24 +
    # horizon 12 + validation 12")
    need = cfg.lookback + cfg.horizon + cfg.n_val
    seasonal = cfg.difference == "seasonal" or (
        cfg.difference == "auto" and bool(period) and period > 1
        and cfg.likelihood != "negbin"
        and not cfg.future_covariates and not cfg.calendar
        and not ((n >= need) & (n < need + int(period))).any())
    return int(period) if seasonal else 0
