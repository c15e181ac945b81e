"""The `holidays` release a model's holiday flags came from, recorded when it is saved and
compared when it is loaded (the one-series Forecaster's and the panel model's alike).

A model with the calendar feature 'holiday' keeps no flags: it reads each date's holidays
again from the package when it forecasts. Another release may mark other dates (a holiday
added or moved, most often in the years after the data's, which its forecasts reach), so
a model loaded under another release than it was fitted with may forecast other numbers;
the load says so (:class:`HolidaysReleaseWarning`), naming both releases."""

from __future__ import annotations

import warnings
from typing import Optional


class HolidaysReleaseWarning(UserWarning):
    """A model with holidays was fitted under another `holidays` release than the one
    installed where it is loaded."""


def installed_release() -> Optional[str]:
    """The installed `holidays` release, or None (not installed as a distribution)."""
    import importlib.metadata as md

    try:
        return md.version("holidays")
    except md.PackageNotFoundError:
        return None


def _clause_country(cfg, week) -> Optional[str]:
    """The country (or market) whose holidays the week clause of ``cfg`` (or ``week``, a
    panel's read with one) closes: ``'Mon Tue Wed Thu Fri holidays=US'`` reads the years
    its forecasts reach past the saved ones from the package too; None without one."""
    from ..data.closed_holidays import split_week

    clause = getattr(cfg, "weekmask", None) or week
    return split_week(clause)[1] if isinstance(clause, str) else None


def _reads_holidays(cfg, week=None) -> bool:
    from .holiday_features import reads_holidays

    return reads_holidays(getattr(cfg, "calendar", None) or ()) or \
        bool(_clause_country(cfg, week))


def holidays_version(cfg, week: Optional[str] = None) -> dict:
    """``{"packages": {"holidays": version}}`` for a model's extra section when ``cfg``
    (or ``week``, the clause of the panel it was fitted on) reads holidays (None: imported
    from elsewhere than an installed release), else {}."""
    return {"packages": {"holidays": installed_release()}} if _reads_holidays(cfg, week) \
        else {}


def check_release(extra, cfg, source, stacklevel: int = 2,
                  week: Optional[str] = None) -> None:
    """Warn when the release recorded in the ``extra`` section of a loaded model (whose
    config is ``cfg``, read from ``source``; ``week``: its fitted panel's clause) is not
    the one installed. A model without holidays, or saved before the release was
    recorded, is not compared."""
    if not _reads_holidays(cfg, week) or not isinstance(extra, dict):
        return
    packages = extra.get("packages")
    was = packages.get("holidays") if isinstance(packages, dict) else None
    now = installed_release()
    if not isinstance(was, str) or now is None or now == was:
        return
    country = getattr(cfg, "country", None) or _clause_country(cfg, week)
    warnings.warn(f"{source}: fitted with holidays {was}, loaded with holidays {now}: the "
                  f"model reads the holidays of {country!r} from the package at each "
                  f"forecast, and another release may mark other dates (a holiday added or "
                  f"moved, most often in the years after the data's, which the forecasts "
                  f"reach), so its forecasts may differ from the fitted model's. Refit it "
                  f"under holidays {now}, or install the release it was fitted with: pip "
                  f"install 'holidays=={was}'", HolidaysReleaseWarning,
                  stacklevel=stacklevel + 1)
