"""Each candidate forecast of a fitted :class:`~rnnlab.forecast.forecaster.Forecaster`,
in the original scale: the baselines, the network and the models made of them (see
:mod:`rnnlab.forecast.selection` for what each one is)."""

from __future__ import annotations

import warnings
from typing import Callable, Dict, Sequence

import numpy as np

from ..io.errors import DataError
from . import baselines as B
from .baselines import bounded_at_zero
from . import selection as S
from .holidays import history_flags, uses_holidays
from .net import rollout


def forecast_with(f, method: str, history: np.ndarray, steps: int, dated=None) -> np.ndarray:
    """``steps`` values after ``history`` by candidate ``method`` of the fitted ``f``;
    after a history bounded by 0 (:func:`bounded_at_zero`), floored at 0. ``dated``: a
    Series whose first dates are the history's (default: the fitted one's), read by a
    network with holidays (:mod:`.holidays`)."""
    history = np.asarray(history, dtype=np.float64)
    return floored(history, _forecast(f, method, history, steps, dated))


def floored(history: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` (forecasts after ``history``, or their quantiles) floored at 0 where
    ``history`` is :func:`bounded_at_zero`; otherwise ``values`` as they are."""
    return np.maximum(values, 0.0) if bounded_at_zero(history) else values


def _forecast(f, method: str, history: np.ndarray, steps: int, dated=None) -> np.ndarray:
    if method not in S.CANDIDATES:
        raise DataError(f"unknown forecast method {method!r}; choose one of "
                        f"{', '.join(S.CANDIDATES)}")
    if method == "seasonal_naive":
        if not f.period:
            raise DataError("seasonal_naive needs a period: this forecaster has none "
                            "(fit with period=N, or use 'naive')")
        if len(history) < f.period:
            raise DataError(f"seasonal_naive needs one period ({f.period}) of past values, "
                            f"got {len(history)}")
        return B.seasonal_naive(history, steps, f.period)
    if method == "naive":
        if len(history) < 1:
            raise DataError("naive needs a past value, got none")
        return B.naive(history, steps)
    cfg, pipe = f.config, f.pipeline
    if len(history) < history_needed(f):
        raise DataError(f"a forecast needs {history_needed(f)} past values (look-back "
                        f"{cfg.lookback} + differencing lag {pipe.lag}), got {len(history)}")
    z = pipe.to_model(history)
    if method == "drift":
        return pipe.from_model(np.full(steps, float(np.mean(z))), history)
    if method == "linear_ar":
        return pipe.from_model(f.ar.forecast(z, steps), history)
    if method in S.ON_DIFFERENCES:
        fitted = f.on_differences()[method]
        if fitted is None:
            raise DataError(f"{method} forecasts the differences of a differenced series; "
                            "this forecaster has none (difference='none')")
        change = fitted.forecast(pipe.scaler.inverse_transform(z), steps)
        return pipe.from_model(pipe.scaler.transform(change), history)
    if method == S.MODEL:
        if not f.choice.get("weights"):
            raise DataError(f"{S.MODEL} needs the weights of a fit's validation; this "
                            f"forecaster has none (it was fitted with another select)")
        return weighted(f.choice["weights"],
                        lambda n: forecast_with(f, n, history, steps, dated))
    flags = history_flags(f, dated, len(history), steps)  # (None: no holidays)
    zs = np.mean([rollout(m, z[None], steps, cfg.lookback, cfg.strategy, flags=flags)[0]
                  for m in f.net.members], axis=0)
    return pipe.from_model(on_network(f, method, z, zs, steps), history)


def _arma_many(f, histories: Sequence[np.ndarray], steps: int) -> np.ndarray:
    """(K, steps): the arma member's forecasts after each of ``histories``, as
    :func:`forecast_with` gives them one at a time (bit for bit), the ARMA's innovations
    filtered for all at once (:meth:`~rnnlab.forecast.arma.ARMA.forecast_many`)."""
    pipe = f.pipeline
    zs = [pipe.to_model(h) for h in histories]
    change = f.arma.forecast_many([pipe.scaler.inverse_transform(z) for z in zs], steps)
    return np.stack([floored(h, pipe.from_model(pipe.scaler.transform(c), h))
                     for h, c in zip(histories, change)])


def on_network(f, method: str, z: np.ndarray, zs: np.ndarray, steps: int) -> np.ndarray:
    """The network's forecast ``zs`` (model scale) as ``method`` reads it from the history
    ``z``: itself, blended toward the history's mean, or averaged with the linear AR's."""
    if method == "blend":
        return S.BLEND * zs + (1 - S.BLEND) * float(np.mean(z))
    if method == "combined":
        return 0.5 * (zs + f.ar.forecast(z, steps))
    return zs


def history_needed(f) -> int:
    """Past values a forecast by the network or a linear baseline reads: the look-back
    plus the differencing lag."""
    return f.config.lookback + f.pipeline.lag


def weighted(weights: Dict[str, float], member: Callable[[str], np.ndarray]) -> np.ndarray:
    """The weighted mean of the members' forecasts, ``member(name)``: sum_m w_m f_m (see
    selection.weights). With no positive weight (a table no fit's selection makes; it
    gave the int 0, scored as a forecast of zeros), the forecast of the baseline the
    selection falls back to (:func:`~rnnlab.forecast.selection.baseline`), said in a
    warning."""
    kept = [(n, w) for n, w in weights.items() if w > 0]
    if not kept:
        base = S.baseline(weights)
        warnings.warn(f"{S.MODEL}: no member has a positive weight ({weights!r}); the "
                      f"forecast is the {base}'s, the baseline the selection falls back "
                      f"to; refit, or pass select={base!r} to say so", UserWarning,
                      stacklevel=2)
        return np.asarray(member(base), dtype=np.float64)
    return np.asarray(sum(w * member(n) for n, w in kept))  # (kept: an array, not sum's 0)


_ON_NETWORK = ("network", "blend", "combined")


def forecast_many(f, method: str, histories: Sequence[np.ndarray], steps: int,
                  dated=None) -> np.ndarray:
    """(K, steps): :func:`forecast_with` of each of the K ``histories``, the network's
    forecasts from all K in one batched rollout per member. ``evaluate()`` forecasts from
    every origin of the test part: one rollout of one row each took 36 of a 49-second run
    (hourly, horizon 168, one member)."""
    histories = [np.asarray(h, dtype=np.float64) for h in histories]
    if method == S.MODEL and f.choice.get("weights"):
        sums = weighted(f.choice["weights"],
                        lambda n: forecast_many(f, n, histories, steps, dated))
        return np.stack([floored(h, row) for h, row in zip(histories, sums)])
    short = any(len(h) < history_needed(f) for h in histories)
    if method == "arma" and f.arma is not None and histories and not short:
        return _arma_many(f, histories, steps)
    if method not in _ON_NETWORK or short:
        return np.stack([forecast_with(f, method, h, steps, dated) for h in histories])
    cfg, pipe = f.config, f.pipeline
    zs = [pipe.to_model(h) for h in histories]
    ctx = np.stack([z[-cfg.lookback:] for z in zs])  # (K, T)
    flags = None if not uses_holidays(cfg) else np.concatenate(
        [history_flags(f, dated, len(h), steps) for h in histories])  # (K, M)
    out = np.mean([rollout(m, ctx, steps, cfg.lookback, cfg.strategy, flags=flags)
                   for m in f.net.members], axis=0)  # (K, steps)
    return np.stack([floored(h, pipe.from_model(on_network(f, method, z, row, steps), h))
                     for h, z, row in zip(histories, zs, out)])
