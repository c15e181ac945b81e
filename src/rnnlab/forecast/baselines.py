"""Baselines reported beside every model, on the same split.

- naive: the last training value, repeated;
- seasonal naive: the value one period earlier (y_{t-period}), repeated season by season;
- linear AR: least squares from ``lookback`` past values to the next one, in the same
  model space as the network (same transform, differencing and scaler), forecast recursively;
- linear AR with no constant (``constant=False``), fitted on the unscaled differences: its
  forecast of the change decays to zero, i.e. toward the (seasonal) naive forecast;
- ARMA(2, 1) with no constant on the same differences (:mod:`.arma`).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from ..data.windows import make_windows
from ..io.errors import DataError, NotFittedError
from .arma import ARMA


def bounded_at_zero(history) -> bool:
    """A history that reaches 0 and never goes below (counts, sales with zeros,
    intermittent demand; NaN left out): its forecasts and their quantiles are floored at
    0, each floored value nearer any y >= 0; the one rule of the Forecaster, the panel
    baselines and the global model (:attr:`rnnlab.panel.scaling.SeriesTransform.floor`).
    A positive history without zeros is no such bound (a random walk that stayed above 0
    so far may cross it), nor one that has been negative."""
    y = np.asarray(history, dtype=np.float64)
    return bool(np.nanmin(y, initial=np.inf) == 0)


def naive(history: ArrayLike, steps: int) -> np.ndarray:
    """The last value of ``history``, ``steps`` times."""
    values = np.asarray(history, dtype=np.float64)  # (a pandas Series' [-1] is a label)
    if len(values) < 1:
        raise DataError("naive needs a past value, got an empty history")
    return np.full(steps, float(values[-1]))


def seasonal_naive(history: ArrayLike, steps: int, period: int) -> np.ndarray:
    """Step h (0-based) repeats the value ``period`` steps before it: the last period of
    ``history`` season by season. A history shorter than one period is refused (it was
    repeated as if it were one, a forecast of the wrong values)."""
    past = np.asarray(history, dtype=np.float64)
    if int(period) < 1 or len(past) < period:
        raise DataError(f"seasonal_naive needs one period ({period}) of past values, got "
                        f"{len(past)}; give a longer history, or use naive")
    last = past[-period:]
    return np.resize(last, steps)  # last[h % period] for h < steps


class LinearAR:
    """z_t = w . z_{t-lookback..t-1} + b, fitted by least squares (b = 0 without
    ``constant``; ``coef`` is w, then b when there is one)."""

    def __init__(self, lookback: int, constant: bool = True):
        self.lookback = lookback
        self.constant = constant
        self.coef: Optional[np.ndarray] = None

    def fit(self, z: ArrayLike) -> "LinearAR":
        """Least squares on every window of the 1-D series ``z``; returns ``self``."""
        x, y = make_windows(np.asarray(z, dtype=np.float64), self.lookback, "one")
        a = np.hstack([x, np.ones((len(x), 1))]) if self.constant else x
        self.coef = np.linalg.lstsq(a, y[:, 0], rcond=None)[0]
        return self

    def set_coef(self, coef: ArrayLike, source: str) -> "LinearAR":
        """Coefficients read from a file, checked: ``lookback`` (+1 with a constant) finite
        numbers."""
        c = np.asarray(coef, dtype=np.float64)
        want = self.lookback + int(self.constant)
        if c.shape != (want,) or not np.isfinite(c).all():
            raise DataError(f"{source}: expected {want} finite coefficients, found "
                            f"{c.shape[0] if c.ndim == 1 else c.shape}")
        self.coef = c
        return self

    def _fitted_coef(self) -> np.ndarray:
        """The coefficients :meth:`fit` or :meth:`set_coef` set; NotFittedError before."""
        if self.coef is None:
            raise NotFittedError("LinearAR: not fitted; call fit(z) or set_coef(coef, "
                                 "source) first")
        return self.coef

    def forecast(self, z: ArrayLike, steps: int) -> np.ndarray:
        """(K, N) or (N,) model-space histories -> (K, steps) or (steps,)."""
        hist = np.atleast_2d(np.asarray(z, dtype=np.float64))[:, -self.lookback:]
        out = np.empty((hist.shape[0], steps))
        coef = self._fitted_coef()
        w, b = (coef[:-1], coef[-1]) if self.constant else (coef, 0.0)
        for h in range(steps):
            out[:, h] = hist[:, -self.lookback:] @ w + b
            hist = np.hstack([hist, out[:, h:h + 1]])
        return out if np.ndim(z) > 1 else out[0]

    def radius(self) -> float:
        """The spectral radius of the recursion's companion matrix: above 1, its forecast
        grows without bound (a deviation multiplied by up to this at every step)."""
        coef = self._fitted_coef()
        w = coef[:-1] if self.constant else coef  # (lookback,) oldest first
        companion = np.eye(len(w), k=-1)
        companion[0] = w[::-1]  # z_t from z_{t-1}, ..., z_{t-lookback}
        return float(np.max(np.abs(np.linalg.eigvals(companion)), initial=0.0))


def steadier(validated: Optional[LinearAR], refit: Optional[LinearAR]):
    """``(model, refitted)``: ``refit`` (the AR fitted again on the whole training part) and
    True, unless its recursion is explosive (radius above 1) and more so than the
    ``validated`` one's, whose forecasts the choice scored: then ``validated`` and False.
    A least-squares refit that took in a level shift at the end of the history (a 12-lag
    AR on two dozen windows) had radius 1.42 where the validated one had 1.06, and
    forecast 1e49 six steps after values of 1000, which the weighted model, a third of it
    this AR's, passed on."""
    if validated is None or refit is None:
        return refit, refit is not None
    r = refit.radius()
    if r > 1.0 and r > validated.radius():
        return validated, False
    return refit, True


def change_ar(pipe, z: np.ndarray, lookback: int) -> Optional[LinearAR]:
    """The ``linear_ar0`` baseline: a :class:`LinearAR` with no constant on the unscaled
    differences of model space ``z`` (``pipe``: the fitted transform.Pipeline); None for a
    series the pipeline does not difference."""
    if not pipe.lag:
        return None
    return LinearAR(lookback, constant=False).fit(pipe.scaler.inverse_transform(z))


def change_arma(pipe, z: np.ndarray) -> Optional[ARMA]:
    """The ``arma`` baseline: an :class:`~rnnlab.forecast.arma.ARMA` on the unscaled
    differences of model space ``z``, as :func:`change_ar`; None for a series the pipeline
    does not difference."""
    if not pipe.lag:
        return None
    return ARMA().fit(pipe.scaler.inverse_transform(z))


def change_models(pipe, z: np.ndarray, lookback: int) -> tuple:
    """``(linear_ar0, arma)`` fitted on the unscaled differences of model space ``z``
    (:data:`~rnnlab.forecast.selection.ON_DIFFERENCES`); ``(None, None)`` for a series the
    pipeline does not difference."""
    return change_ar(pipe, z, lookback), change_arma(pipe, z)
