"""ARMA(p, q) with no constant, fitted by Hannan-Rissanen least squares: the ``arma``
baseline, on the unscaled differences of a differenced series (by default the yearly log
changes), as ``linear_ar0`` is.

    d_t = sum_{i<=p} phi_i d_{t-i} + sum_{j<=q} theta_j a_{t-j} + a_t

Fit (two least-squares steps, no iterations): a long AR(m), m = min(24, n // 4), estimates
the innovations a_t as its residuals; then d_t is regressed on d_{t-1..t-p} and those
residuals at t-1..t-q. A fit whose AR part is not stationary, or whose MA part is not
invertible with a margin (its roots outside the circle of radius 1 / 0.95: an MA close to
a unit root, as over-differenced data gives, makes the filtered innovations below sum up
the differences' mean instead of forgetting it), falls back to phi = theta = 0 (a forecast change of zero: the seasonal naive
after integration). With no constant the forecast change decays to zero, as an ARIMA with
no drift does.

Forecast from a history d_1..d_n: the innovations are filtered with the fitted coefficients
over the last 1,000 values (a_t = d_t - sum phi_i d_{t-i} - sum theta_j a_{t-j}, starting
from zeros: a forecast costs the same on a long history), then
d_{n+h} = sum phi_i d_{n+h-i} + sum_{j >= h} theta_j a_{n+h-j}, with forecasts in place of
future values.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..io.errors import ConfigError, DataError, NotFittedError

LONG_AR = 24  # order of the first step's AR (at most n // 4)
MA_FORGETS = 0.95  # an MA part must forget its past at least as fast as MA_FORGETS ** t
WINDOW = 1000  # values the forecast filters innovations over (see ARMA.innovations)


def _lags(z: np.ndarray, start: int, k: int) -> np.ndarray:
    """(len(z) - start, k): column i is z_{t-1-i} for t = start..len(z)-1."""
    if k == 0:
        return np.empty((len(z) - start, 0))
    return np.column_stack([z[start - 1 - i:len(z) - 1 - i] for i in range(k)])


def _roots_outside(coef: np.ndarray, sign: float, radius: float = 1.0 + 1e-6) -> bool:
    """Whether 1 + sign * sum_i c_i x^i has every root outside the circle of ``radius``."""
    if not np.any(coef):
        return True
    poly = np.concatenate([[1.0], sign * coef])[::-1]  # highest power first for np.roots
    return bool(np.all(np.abs(np.roots(np.trim_zeros(poly, "f"))) > radius))


class ARMA:
    """d_t = phi . d_{t-1..t-p} + theta . a_{t-1..t-q} + a_t (see the module)."""

    def __init__(self, p: int = 2, q: int = 1):
        if p < 0 or q < 0 or p + q == 0:
            raise ConfigError(f"ARMA needs orders p, q >= 0 with p + q >= 1, got ({p}, {q})")
        self.p, self.q = p, q
        self.coef: Optional[np.ndarray] = None  # phi_1..phi_p, then theta_1..theta_q

    def fit(self, d: np.ndarray) -> "ARMA":
        d = np.asarray(d, dtype=np.float64)
        n = len(d)
        m = min(LONG_AR, n // 4)
        start = m + max(self.p, self.q)
        coef = np.zeros(self.p + self.q)
        if m >= 1 and n - start >= 4 * (self.p + self.q):
            x = _lags(d, m, m)
            resid = np.zeros(n)
            resid[m:] = d[m:] - x @ np.linalg.lstsq(x, d[m:], rcond=None)[0]
            a = np.hstack([_lags(d, start, self.p), _lags(resid, start, self.q)])
            coef = np.linalg.lstsq(a, d[start:], rcond=None)[0]
            phi, theta = coef[:self.p], coef[self.p:]
            if not (_roots_outside(phi, -1.0)
                    and _roots_outside(theta, 1.0, radius=1.0 / MA_FORGETS)):
                coef = np.zeros(self.p + self.q)
        self.coef = coef
        return self

    def set_coef(self, coef, source: str) -> "ARMA":
        """Coefficients read from a file, checked: p + q finite numbers, the AR part
        stationary and the MA part invertible (as every fit leaves them)."""
        c = np.asarray(coef, dtype=np.float64)
        if c.shape != (self.p + self.q,) or not np.isfinite(c).all():
            bad = int((~np.isfinite(c)).sum()) if c.ndim == 1 else 0
            raise DataError(f"{source}: expected {self.p + self.q} finite coefficients "
                            f"(ARMA({self.p}, {self.q})), found "
                            f"{c.shape[0] if c.ndim == 1 else c.shape}"
                            f"{f', {bad} not finite' if bad else ''}")
        # (the MA margin of fit is not asked of a file: rnnlab before it saved MA roots
        # between 1 and 1 / MA_FORGETS, and those models still forecast)
        if not (_roots_outside(c[:self.p], -1.0) and _roots_outside(c[self.p:], 1.0)):
            raise DataError(f"{source}: AR {np.round(c[:self.p], 3).tolist()}, MA "
                            f"{np.round(c[self.p:], 3).tolist()} is not a stationary, "
                            f"invertible ARMA (a fit never gives one: its forecast would "
                            f"grow without bound)")
        self.coef = c
        return self

    def _fitted_coef(self) -> np.ndarray:
        """The coefficients :meth:`fit` or :meth:`set_coef` set; NotFittedError before."""
        if self.coef is None:
            raise NotFittedError("ARMA: not fitted; call fit(d) or set_coef(coef, source) "
                                 "first")
        return self.coef

    def innovations(self, d: np.ndarray) -> np.ndarray:
        """a_t of the last :data:`WINDOW` values of the history under the fitted
        coefficients, from zeros before them (an invertible MA forgets its start as
        theta^t: within 1e-20 after 1,000 steps for |theta| <= 0.95)."""
        coef = self._fitted_coef()
        phi, theta = coef[:self.p], coef[self.p:]
        d = np.asarray(d, dtype=np.float64)[-(WINDOW + self.p):]
        e = d.copy()  # d_t minus its AR part, vectorised
        for i, c in enumerate(phi):
            e[i + 1:] -= c * d[:len(d) - i - 1]
        e = e[min(self.p, len(d)):] if len(d) > self.p else e
        a, past = [], [0.0] * self.q  # past[j]: a_{t-1-j}
        for v in e.tolist():
            now = v - sum(t * b for t, b in zip(theta, past))
            a.append(now)
            past = [now] + past[:-1]
        return np.asarray(a)

    def forecast(self, d: np.ndarray, steps: int) -> np.ndarray:
        """(steps,) forecast of d after the history ``d``."""
        coef = self._fitted_coef()
        phi, theta = coef[:self.p], coef[self.p:]
        hist = list(np.asarray(d, dtype=np.float64))
        a = list(self.innovations(d)) if self.q else []
        out = np.empty(steps)
        for h in range(steps):
            ar = sum(phi[i] * hist[-1 - i] for i in range(self.p) if len(hist) > i)
            ma = sum(theta[j] * a[-1 - j] for j in range(self.q) if len(a) > j)
            out[h] = ar + ma
            hist.append(out[h])
            if self.q:
                a.append(0.0)  # future innovations: their mean
        return out

    def forecast_many(self, ds, steps: int) -> np.ndarray:
        """(K, steps): :meth:`forecast` of each of the K histories ``ds`` (1-D arrays of
        any lengths), the innovations filtered for all at once (:meth:`_filtered`) and the
        same sums in the same order: equal to the one-at-a-time forecasts in float64 bit
        for bit. In-sample forecasts from every cutoff of a long series filtered 1,000
        values in Python per cutoff (most of the time of a weighted choice's)."""
        coef = self._fitted_coef()
        phi, theta = coef[:self.p], coef[self.p:]
        ds = [np.asarray(d, dtype=np.float64)[-(WINDOW + self.p):] for d in ds]
        if not ds:
            return np.zeros((0, steps))
        if any(len(d) <= self.p for d in ds):  # (the one-at-a-time path's own edge case)
            return np.stack([self.forecast(d, steps) for d in ds])
        hist, a, _ = self._filtered(ds)
        width = hist.shape[1]
        out = np.concatenate([hist, np.zeros((len(ds), steps))], axis=1)
        a = np.concatenate([a, np.zeros((len(ds), steps))], axis=1)  # (future ones: 0)
        for h in range(width, width + steps):
            ar, ma = np.zeros(len(ds)), np.zeros(len(ds))
            for i in range(self.p):
                ar = ar + phi[i] * out[:, h - 1 - i]
            for j in range(self.q):
                ma = ma + theta[j] * a[:, h - 1 - j]
            out[:, h] = ar + ma
        return out[:, width:]

    def innovations_many(self, ds) -> list:
        """:meth:`innovations` of each of the histories ``ds``, filtered for all at once
        (bit for bit the one-at-a-time ones)."""
        ds = [np.asarray(d, dtype=np.float64)[-(WINDOW + self.p):] for d in ds]
        if not ds or any(len(d) <= self.p for d in ds):
            return [self.innovations(d) for d in ds]
        _, a, first = self._filtered(ds)
        return [a[k, first[k]:] for k in range(len(ds))]

    def _filtered(self, ds):
        """``(hist, a, first)``: the histories ``ds`` (each its last WINDOW + p values, more
        than p) right-aligned in one (K, W) array, their innovations (K, W) and each one's
        first innovation's column (K,): the positions before a shorter one's start, and its
        first p values, give none (0), as :meth:`innovations` starts; the same sums in the
        same order (sum() adds to 0: 0 + theta_0 a_{t-1} + ...)."""
        coef = self._fitted_coef()
        phi, theta = coef[:self.p], coef[self.p:]
        width = max(len(d) for d in ds)
        hist = np.zeros((len(ds), width))  # (K, W) each history at the right
        for k, d in enumerate(ds):
            hist[k, width - len(d):] = d
        first = width - np.array([len(d) for d in ds]) + self.p  # (K,)
        e = hist.copy()  # d_t minus its AR part
        for i, c in enumerate(phi):
            e[:, i + 1:] -= c * hist[:, :width - i - 1]
        a = np.zeros((len(ds), width))
        for t in range(int(first.min()), width):
            acc = np.zeros(len(ds))
            for j in range(self.q):
                acc = acc + theta[j] * (a[:, t - 1 - j] if t - 1 - j >= 0 else 0.0)
            a[:, t] = np.where(t >= first, e[:, t] - acc, 0.0)
        return hist, a, first
