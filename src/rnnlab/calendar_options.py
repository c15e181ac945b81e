"""The calendar options, declared once for both forecasters' configs: ``calendar``
(``--calendar``: features read from the dates) and ``country`` (``--country``: whose
public holidays feature 'holiday' reads). PanelConfig takes every feature; the one-series
ForecastConfig 'holiday' alone (:mod:`rnnlab.forecast.holidays`). ``rnnlab forecast``
declares both configs' options on one parser: the flag is one option, read by whichever
model the command trains."""

from __future__ import annotations

from typing import Optional, Tuple

from .options import option


def names(text) -> Tuple[str, ...]:
    """Comma-separated names (``temp,promo``), or a sequence of names, as a tuple; empty
    parts dropped."""
    parts = str(text or "").split(",") if isinstance(text, str) or not text else text
    return tuple(str(s).strip() for s in parts if str(s).strip())


def calendar_option(help: str, group: Optional[str] = None):
    """``calendar``: comma-separated feature names (``--calendar holiday,month``)."""
    return option((), help, parse=names, group=group)


def country_option(group: Optional[str] = None):
    """``country``: the `holidays` package's code of the country whose holidays count."""
    return option(None, "calendar 'holiday': a country code of the `holidays` package "
                  "(e.g. AU)", group=group)
