"""Prediction intervals of the single-series Forecaster: the shape of the ``arma``
member's error model, scaled by how well the chosen forecast validated against it.

With g the pipeline's transform (log or identity) and L its differencing lag, the
``arma`` member models the changes d_t = g(y_t) - g(y_{t-L}) as an ARMA(p, q) with
innovations a_t of spread sigma:

    d_t = sum_{j>=0} psi_j a_{t-j},   psi_0 = 1,   psi_j = theta_j [j <= q] + sum_i phi_i psi_{j-i}

Undoing the difference (1 / (1 - B^L)): g(y_t) = sum_j Psi_j a_{t-j} with
Psi_j = psi_j + psi_{j-L} + psi_{j-2L} + ..., so the h-step error of g(y) has

    sd_h = sigma * sqrt(sum_{j<h} Psi_j^2)

with sigma the spread of the innovations over the history (the first ``LONG_AR`` of them,
filtered from zeros, left out of a history longer than twice that). The interval is
centred on the forecast ``predict()`` gives (the chosen method's, f_h), whose validation
error was c times the ``arma`` member's over the same rolling origins
(``choice["scores"]``, floored at :data:`LEAST_SCALE`):

    q_tau,h = g^-1(g(f_h) + c * z_tau * sd_h),   z_tau = Phi^-1(tau)

so f_h is the median, and a log-modelled series keeps positive quantiles; a history that
reaches 0 and never goes below (counts with zeros, modelled without the log) gets
its forecast and quantiles floored at 0 (:func:`~rnnlab.forecast.methods.floored`: each
floored one is nearer any value >= 0, so no score gets worse, and the order stays; the
forecast, floored, is still the median). A positive history without zeros is no such
bound: a random walk that stayed above 0 so far may cross it. Measured with
the default Forecaster on US employment series, 24 months held out (BENCHMARKS.md, eighth
round): the 80% interval covers 0.828 of the held-out months of the 118 tuning series and
0.772 of the 30 test series'; the 95% one 0.946 and 0.912.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..io.errors import DataError
from .arma import LONG_AR
from .methods import floored

# c's floor: the validation flatters the network (its early stopping chose on the same
# origins), and with it the chosen forecast's score; a floor of 0.5 left 14 of the 118
# tuning series with an 80% interval holding under half their months, 0.1 left 17
LEAST_SCALE = 0.5
LEAST_INNOVATIONS = 5  # sigma's sample: one innovation has a spread of 0 (intervals of width 0)


class NoIntervalsError(DataError):
    """The forecaster has no intervals whatever the history (not differenced, no arma
    member, no validation scores), unlike a history too short or flat for a spread.
    ``option``: the command-line setting that gives it intervals, when one does."""

    def __init__(self, message: str, option=None):
        super().__init__(message)
        self.option = option


def psi_weights(phi: np.ndarray, theta: np.ndarray, steps: int) -> np.ndarray:
    """(steps,) psi_0..psi_{steps-1} of the ARMA with AR ``phi`` and MA ``theta``."""
    psi = np.zeros(steps)
    psi[0] = 1.0
    for j in range(1, steps):
        ma = theta[j - 1] if j <= len(theta) else 0.0
        psi[j] = ma + sum(phi[i] * psi[j - 1 - i] for i in range(min(len(phi), j)))
    return psi


def unit_sd(phi: np.ndarray, theta: np.ndarray, lag: int, steps: int) -> np.ndarray:
    """(steps,) sqrt(sum_{j<h} Psi_j^2), h = 1..steps: sd_h for sigma = 1."""
    psi = psi_weights(phi, theta, steps)
    seasons = -(-steps // lag)  # Psi_j = psi_j + Psi_{j-lag}: a running sum down each column
    grid = np.zeros(seasons * lag)
    grid[:steps] = psi
    integrated = np.cumsum(grid.reshape(seasons, lag), axis=0).ravel()[:steps]  # Psi_j
    return np.sqrt(np.cumsum(integrated ** 2))


def error_sd(arma, d: np.ndarray, lag: int, steps: int, a=None) -> np.ndarray:
    """(steps,) sd_h of g(y) h = 1..steps ahead under ``arma`` fitted on the changes ``d``
    (lag ``lag``), sigma from the innovations of ``d``: at least :data:`LEAST_INNOVATIONS`
    of them, not all equal (else refused: the spread of one innovation is 0, and intervals
    of width 0 were given after a history of a few values, or of a constant). ``a``: the
    innovations of ``d``, when filtered already (:meth:`.arma.ARMA.innovations_many`)."""
    a = arma.innovations(d) if a is None else a
    used = a[LONG_AR:] if len(a) > 2 * LONG_AR else a
    if len(used) < LEAST_INNOVATIONS:
        need = LEAST_INNOVATIONS + arma.p + lag
        raise DataError(f"prediction intervals take their spread from the history's one-step "
                        f"errors under the arma member, and this history gives {len(used)} "
                        f"of them ({len(d) + lag} values, differencing lag {lag}, AR order "
                        f"{arma.p}); pass a history of at least {need} values")
    sigma = float(np.std(used))
    if not sigma > 1e-9 * float(np.max(np.abs(d[-len(used):]), initial=0.0)):  # (rounding)
        raise DataError(f"prediction intervals take their spread from the history's one-step "
                        f"errors under the arma member, and the last {len(used)} are all "
                        f"equal (a constant history, or one changing by the same step): no "
                        f"spread to scale them by; pass a longer history that varies")
    return sigma * unit_sd(arma.coef[:arma.p], arma.coef[arma.p:], lag, steps)


def width_scale(choice: dict) -> float:
    """c: the chosen method's validation score over the ``arma`` member's."""
    scores, method = choice.get("scores") or {}, choice.get("method")
    if not isinstance(scores, dict):
        raise DataError(f"prediction intervals read the choice's validation scores, a "
                        f"mapping of method to score, and found {type(scores).__name__} "
                        f"{str(scores)[:60]} (a damaged or edited model.json): restore the "
                        f"folder from a copy, or fit again")
    own, base = (_score(scores, name) for name in (method, "arma"))
    if base == 0 and np.isfinite(own):  # (it read: "fitted with val_size=0, or a select...")
        raise NoIntervalsError(f"prediction intervals scale the arma member's width by the "
                               f"validation scores of the chosen forecast ({method}) and of "
                               f"arma, and arma forecast the validation origins without an "
                               f"error (score 0: a validation tail as flat as the seasons "
                               f"before it, such as all zeros), which gives no scale; fit a "
                               f"longer series, or use rnnlab.panel.GlobalForecaster's "
                               f"quantiles")
    if not (np.isfinite(own) and np.isfinite(base) and base > 0):
        raise NoIntervalsError(f"prediction intervals scale the arma member's width by the "
                        f"validation scores of the chosen forecast ({method}) and of arma, "
                        f"and this fit has {'none' if not scores else 'not both'} (fitted "
                        f"with val_size=0, or a select that scores no arma; or saved by an "
                        f"rnnlab from before the arma member): refit with the default "
                        f"validation and select")
    return max(own / base, LEAST_SCALE)


def _score(scores: dict, name) -> float:
    """scores[name] as a float (NaN when missing); not a number >= 0: refused (a MASE
    cannot be negative, and a text would fail deep in numpy)."""
    v = scores.get(name, np.nan)
    try:
        v = float(np.nan if v is None else v)
    except (TypeError, ValueError):
        v = -1.0
    if v < 0:
        raise DataError(f"the validation score of {name} is {scores.get(name)!r}, not a "
                        f"number >= 0 (a damaged or edited model.json): restore the folder "
                        f"from a copy, or fit again")
    return v


def quantile_forecast(f, history: np.ndarray, mean: np.ndarray,
                      quantiles: Sequence[float], innovations=None) -> np.ndarray:
    """(steps, K) quantiles around ``mean`` (Forecaster ``f``'s forecast after
    ``history``) at the K ``quantiles`` levels (see the module); ``innovations``: the
    arma member's of the history's changes, when filtered already."""
    from statistics import NormalDist

    pipe = f.pipeline
    if not pipe.lag:
        raise NoIntervalsError(not_differenced(f), option="--difference first")
    if f.arma is None:  # (a loaded one was checked stationary: ARMA.set_coef)
        raise NoIntervalsError("prediction intervals come from the arma member's model of the "
                        "differenced series, and this forecaster's is missing (a damaged "
                        "or edited model.json): restore the folder from a copy, or fit again")
    c = width_scale(f.choice)
    sd = error_sd(f.arma, pipe.changes(history), pipe.lag, len(mean), innovations)
    z = np.array([NormalDist().inv_cdf(float(t)) for t in quantiles])
    with np.errstate(over="ignore", invalid="ignore"):
        q = pipe.untransform(pipe.transform(np.asarray(mean, np.float64))[:, None]
                             + c * sd[:, None] * z)
    q[:, z == 0] = np.asarray(mean, np.float64)[:, None]  # the median: the forecast itself
    if not np.isfinite(q).all():
        bad = int(np.argmax(~np.isfinite(q).all(axis=1)))
        raise DataError(f"the quantiles are not finite from step {bad + 1} of {len(q)} "
                        f"(the forecast or the width overflows: spread of the history's "
                        f"innovations {sd[0]:.3g}): forecast fewer steps, or check the "
                        f"history for huge values")
    return floored(history, q)  # bounded by 0: as the forecast (methods.forecast_with)


def not_differenced(f) -> str:
    """Why a Forecaster that does not difference has no intervals, and what to fit instead:
    'auto' differences only by a seasonal period the part it is fitted on holds three
    times, so a short weekly series (about three years), an annual one and an undated one
    without ``period=`` are left undifferenced by default."""
    how = getattr(getattr(f, "config", None), "difference", None)
    p = getattr(f, "period", None)
    series = getattr(f, "series", None)
    dated = getattr(series, "index", None) is not None
    head = (f"prediction intervals come from the arma member's model of the differenced "
            f"series, and this forecaster does not difference (difference={how!r}, period {p}")
    tail = "or use rnnlab.panel.GlobalForecaster's quantiles"
    if how == "auto" and p:  # a period, seen fewer than three times
        return (f"{head}: 'auto' differences by the period only when the part it is fitted "
                f"on, the training part ({getattr(f, 'n_train', '?')} points here) less its "
                f"validation tail, holds three seasons ({3 * p} points), and this one holds "
                f"fewer): fit with difference='first', or difference='seasonal' (by {p}), "
                f"{tail}")
    if how == "auto" and dated:  # annual (or another calendar without a seasonal period)
        return (f"{head}: 'auto' differences only by a seasonal period, and dates of "
                f"frequency {getattr(series, 'freq', None)!r} have none): fit with "
                f"difference='first', {tail}")
    why = (": 'auto' differences only by a seasonal period seen three times in the training "
           "part, and undated values have none unless period=N names one" if how == "auto"
           else "")
    return (f"{head}{why}): fit with difference='first', or 'auto' or 'seasonal' with a "
            f"period (period=N, or dated data), {tail}")


def quantile_levels(quantiles, who: str = "predict(quantiles=...)") -> tuple:
    """Levels checked: a number or increasing numbers in (0, 1); an error names ``who``
    took them (``backtest(quantiles=...)``, the command's ``--quantiles``)."""
    from ..panel.call_args import check_quantiles

    try:
        levels = check_quantiles(quantiles)  # (one number: one level)
    except (TypeError, ValueError) as e:
        raise DataError(f"{who}: {e}") from None
    if not levels:
        raise DataError(f"{who}: no levels given; pass e.g. (0.1, 0.9)")
    return levels


def quantile_frame(f, s, point, levels):
    """``point`` (a Forecaster's forecast after series ``s``) as a DataFrame of ``mean``
    and the ``q...`` columns of the panel protocol at ``levels`` (:func:`quantile_levels`)."""
    import pandas as pd

    from ..panel.metrics import quantile_column

    q = quantile_forecast(f, s.values, point.to_numpy(np.float64), levels)
    cols = {"mean": point.to_numpy(np.float64)}
    cols.update({quantile_column(t): q[:, k] for k, t in enumerate(levels)})
    return pd.DataFrame(cols, index=point.index)
