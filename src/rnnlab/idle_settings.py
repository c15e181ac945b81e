"""Settings given that the rest of the configuration never reads, said when a fit starts.

A tuner samples each setting over a range; one that the sampled configuration does not
read (``samples=`` of a quantile model, which draws no paths; ``feature_range=`` beside
``scaler='standard'``) trained exactly as without it, and the search spent its trials on a
dimension that did nothing, without a word. Given away from its default where it is
idle, it is now said once per fit, as :class:`IdleSettingWarning` (a UserWarning: filter
it by category). Settings the model cannot take (``width=`` for an LSTM) are refused
instead, by the configs themselves."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Iterable, Tuple


class IdleSettingWarning(UserWarning):
    """A setting given that this configuration does not read: it changes nothing."""


def warn_idle(cfg: Any, rules: Iterable[Tuple[str, bool, str]], where: str,
              stacklevel: int = 3) -> None:
    """For each ``(name, idle, why)`` of ``rules``: a warning when ``idle`` and ``cfg``'s
    ``name`` differs from its default (given on purpose); ``why`` says what reads it and
    what makes it act."""
    defaults = {f.name: f.default for f in dataclasses.fields(cfg)}
    for name, idle, why in rules:
        value = getattr(cfg, name)
        if idle and value != defaults[name]:
            warnings.warn(f"{where}: {name}={value!r} does nothing here: {why}; or leave "
                          f"{name} out", IdleSettingWarning, stacklevel=stacklevel)


def forecaster_rules(cfg: Any) -> list:
    """The one-series Forecaster's settings that another setting leaves idle."""
    return [("feature_range", cfg.scaler != "minmax",
             f"it is the minmax scaler's target range, and scaler={cfg.scaler!r} does not "
             f"read it: pass scaler='minmax' for it to act")]


def panel_rules(cfg: Any) -> list:
    """GlobalForecaster's settings that another setting leaves idle."""
    return [("samples", cfg.likelihood is None,
             "it is how many paths a likelihood draws, and a quantile model (likelihood="
             "None) draws none: pass likelihood='gaussian', 'studentt' or 'negbin' for it "
             "to act"),
            ("country", "holiday" not in cfg.calendar,
             f"it names whose holidays the calendar feature 'holiday' marks, and calendar="
             f"{tuple(cfg.calendar)!r} has no 'holiday': add it for the country to act"),
            ("embed_size", not cfg.static_covariates,
             "it is the width of the categorical static covariates' embeddings, and "
             "static_covariates=() declares none: declare them for it to act")]
