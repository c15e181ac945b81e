"""Settings given that the rest of the configuration never reads, said when a fit starts.

A tuner samples each setting over a range; one that the sampled configuration does not
read (``samples=`` of a quantile model, which draws no paths; ``feature_range=`` beside
``scaler='standard'``; ``impl='fast'`` for an LSTM, which runs torch's fused kernel)
trained exactly as without it, and the search spent its trials on a
dimension that did nothing, without a word. Given away from its default where it is
idle, it is now said once per fit, as :class:`IdleSettingWarning` (a UserWarning: filter
it by category). Settings the model cannot take (``width=`` for an LSTM) are refused
instead, by the configs themselves."""

from __future__ import annotations

import contextlib
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


def impl_rule(impl: str, model: str) -> Tuple[str, bool, str]:
    """``impl``: a kernel of rnnlab's own loop asked for by name, where ``model`` runs
    torch's fused kernel whatever it says (the commands refuse it: :func:`~rnnlab.names.
    unread_impl`; the API trained on the fused kernel, its history's path said so)."""
    from .names import ARCHITECTURE_NAMES, LOOP_IMPLS, LOOP_MODELS

    fused = model in ARCHITECTURE_NAMES and model not in LOOP_MODELS  # (one's own: may read it)
    return ("impl", fused and impl in LOOP_IMPLS,
            f"it chooses the kernel of rnnlab's own loop ({', '.join(LOOP_MODELS)}), and "
            f"model={model!r} runs torch's fused kernel whatever it says: pick one of those "
            f"models, or impl='reference' for the step loop")


def forecaster_rules(cfg: Any) -> list:
    """The one-series Forecaster's settings that another setting leaves idle."""
    return [("feature_range", cfg.scaler != "minmax",
             f"it is the minmax scaler's target range, and scaler={cfg.scaler!r} does not "
             f"read it: pass scaler='minmax' for it to act"), impl_rule(cfg.impl, cfg.model)]


def panel_rules(cfg: Any) -> list:
    """GlobalForecaster's settings that another setting leaves idle (``country=`` without
    the 'holiday' calendar feature: :func:`~rnnlab.panel.covariate_checks.
    warn_unread_country`, an :class:`IdleSettingWarning` too, with the command's flags)."""
    return [("samples", cfg.likelihood is None,
             "it is how many paths a likelihood draws, and a quantile model (likelihood="
             "None) draws none: pass likelihood='gaussian', 'studentt' or 'negbin' for it "
             "to act"),
            ("embed_size", not cfg.static_covariates,
             "it is the width of the categorical static covariates' embeddings, and "
             "static_covariates=() declares none: declare them for it to act"),
            ("anchor", cfg.likelihood == "negbin",
             "counts (likelihood='negbin') are never measured from a window's last value "
             "nor divided by its mean (each series' counts are divided by 1 + their mean), "
             "whatever it says: it acts with likelihood='gaussian' or 'studentt', or "
             "quantiles")]


@contextlib.contextmanager
def impl_given_to_all():
    """A comparison's ``--impl``, given to every compared model: the fused ones record
    the path they ran ('fused'), and the comparison refuses an impl that none reads
    (:func:`~rnnlab.names.unread_impl`), so the fits do not say it each."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"[\w.]+: impl=", IdleSettingWarning)
        yield
