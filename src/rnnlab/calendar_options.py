"""The calendar options, declared once for both forecasters' configs: ``calendar``
(``--calendar``: features read from the dates), ``country`` (``--country``: whose
public holidays feature 'holiday' reads) and ``time_zone`` (``--time-zone``: the clock
the dates are read on). PanelConfig takes every feature; the one-series
ForecastConfig 'holiday' alone (:mod:`rnnlab.forecast.holidays`). ``rnnlab forecast``
declares both configs' options on one parser: the flag is one option, read by whichever
model the command trains."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Optional, Sequence, Tuple

from .options import option


def names(text) -> Tuple[str, ...]:
    """Comma-separated names (``temp,promo``), or a sequence of names, as a tuple; empty
    parts dropped."""
    parts = str(text or "").split(",") if isinstance(text, str) or not text else text
    return tuple(str(s).strip() for s in parts if str(s).strip())


def names_problem(value, what: str, example: str) -> Optional[str]:
    """Why ``value`` is not names for setting ``what`` (None when it is: None, a string of
    comma-separated names, or a sequence of strings), in the configs' words; ``example``
    shows a value taken. The one check of both configs' ``calendar`` (and the panel's
    covariates): 3 or ('holiday', 1) were Python's "not iterable" or a feature named 1."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping, Iterator)):
        items = list(value)
        if all(isinstance(c, str) for c in items):
            return None
    return (f"{what} must be {example}, got {value!r} ({type(value).__name__}); "
            f"None or () for none")


def read_names(value, order: Sequence[str] = ()) -> Tuple[str, ...]:
    """A value :func:`names_problem` took, as a tuple of names (None: none). A set's
    names are put in ``order`` (the known features' order), the others after them by
    name: a set's own order is its hash seed's, and {'month', 'hour'} gave the features'
    columns in a different order from one process (``PYTHONHASHSEED``) to the next."""
    if value is None or isinstance(value, str):
        return names(value)
    if isinstance(value, Set):
        rank = {n: i for i, n in enumerate(order)}
        return tuple(sorted(value, key=lambda n: (rank.get(n, len(rank)), n)))
    return tuple(value)


def calendar_option(help: str, group: Optional[str] = None):
    """``calendar``: comma-separated feature names (``--calendar holiday,month``)."""
    return option((), help, parse=names, group=group)


def country_option(group: Optional[str] = None):
    """``country``: the `holidays` package's code of the country whose holidays count."""
    return option(None, "calendar 'holiday': a country code of the `holidays` package "
                  "(e.g. AU), or the country's and a region's (AU-VIC: Victoria's "
                  "holidays too)", group=group)


def time_zone_option(help: str, group: Optional[str] = None):
    """``time_zone``: an IANA zone name (``--time-zone Europe/London``), refused while the
    command line is parsed when it names none."""
    from .panel.zone_names import zone_option

    return option(None, help, parse=zone_option, group=group)
