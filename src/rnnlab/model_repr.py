"""What a model, a panel or a backtest shows in a notebook or a REPL: its class, the
settings given (those that differ from the defaults) and what it holds, on one line,
instead of ``<rnnlab.forecast.forecaster.Forecaster object at 0x...>`` (the models) or a
whole table printed into a dataclass' repr (a panel, a backtest result)."""

from __future__ import annotations

import dataclasses
from typing import Optional


def changed_settings(config) -> str:
    """``model='gru', hidden_size=32``: the fields of the dataclass ``config`` whose values
    differ from their defaults, in declaration order."""
    shown = []
    for f in dataclasses.fields(config):
        if not f.init:
            continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        value = getattr(config, f.name)
        if value != default:
            shown.append(f"{f.name}={value!r}")
    return ", ".join(shown)


def model_repr(model, fitted: Optional[str]) -> str:
    """``Forecaster(lookback=24; fitted on ...)``, or ``(...; not fitted)``."""
    settings = changed_settings(model.config)
    state = fitted if fitted else "not fitted"
    return f"{type(model).__name__}({settings}{'; ' if settings else ''}{state})"


def date_span(dates) -> str:
    """``2015-01-01 .. 2019-12-01``: the first and last of ``dates`` (no time at midnight)."""
    if dates is None or len(dates) == 0:
        return ""
    return f"{_date_text(dates[0])} .. {_date_text(dates[-1])}"


def _date_text(d) -> str:
    text = str(d)
    return text[:10] if text.endswith(" 00:00:00") else text
