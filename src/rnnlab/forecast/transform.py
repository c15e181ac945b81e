"""The series <-> model space map: optional log, optional (seasonal) differencing, a scaler.

Model space is what the network reads and predicts: z_t = scale(g(y_t) - g(y_{t-lag}))
with g = log or identity and lag = 0 (none), 1 (first) or the seasonal period. Its inverse
rebuilds a forecast from predicted z values and the known history, step by step, so a
forecast longer than the lag uses its own earlier steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data.log_room import log_keeps_changes, refuse_lossy_log
from ..data.scalers import make_scaler, scaler_from_dict
from ..io.errors import ConfigTypeError, DataError


def difference_lag(difference: str, period, n_fit: int) -> int:
    """The lag differenced away: none 0, first 1, seasonal the period; auto the period
    when the part the pipeline is fitted on (``n_fit`` points) holds three seasons."""
    return {"none": 0, "first": 1, "seasonal": period or 0,
            "auto": period if period and n_fit >= 3 * period else 0}[difference]


@dataclass
class Pipeline:
    log: bool
    lag: int  # 0: no differencing
    scaler: Any

    @classmethod
    def fit(cls, train: np.ndarray, transform: str, difference: str, period, scaler: str,
            feature_range=(-1.0, 1.0), later=None, held_out=None) -> "Pipeline":
        """Fitted on ``train``. ``later``: the rest of the training part (the validation
        tail), read as forecast histories: ``transform='auto'`` takes log only when those
        are positive too. ``held_out``: the test part, which decides nothing (it used to:
        a 0 there turned the log off, so the held-out values shaped the model); a log it
        cannot be read under is refused here, before training, naming transform='none'
        (the test part used to fail in evaluate(), after training)."""
        positive = bool((train > 0).all())
        if transform == "log" and not positive:
            raise DataError(f"transform='log' needs positive values; the training part has "
                            f"{int((train <= 0).sum())} values <= 0 (minimum {train.min():g}); "
                            f"use transform='none'")
        later = np.asarray([] if later is None else later, dtype=np.float64)
        held_out = np.asarray([] if held_out is None else held_out, dtype=np.float64)
        if transform == "log" and (np.concatenate([later, held_out]) <= 0).any():
            bad = np.concatenate([later, held_out])
            raise DataError(f"transform='log' needs positive values; the part after the "
                            f"training windows (validation and test) has "
                            f"{int((bad <= 0).sum())} values <= 0 (minimum {bad.min():g}), "
                            f"which a forecast reads as history; use transform='none' (or "
                            f"'auto', which then takes none)")
        if transform == "log":
            refuse_lossy_log(train, "the training part")
        log = transform == "log" or (transform == "auto" and positive and bool((later > 0).all())
                                     and log_keeps_changes(train))
        if log and (held_out <= 0).any():  # auto: decided on the training part alone
            raise DataError(f"transform='auto' takes the log of a series whose training part "
                            f"is > 0, as this one's is, but its test part has "
                            f"{int((held_out <= 0).sum())} values <= 0 (minimum "
                            f"{held_out.min():g}), which evaluate() and predict() read as "
                            f"history under the log; the held-out values may not choose the "
                            f"transform: pass transform='none' (--transform none)")
        if difference == "seasonal" and not period:
            raise DataError("difference='seasonal' needs a period: pass period=N (--period N) "
                            "or a series with regular dates")
        lag = difference_lag(difference, period, len(train))
        p = cls(log=log, lag=int(lag), scaler=make_scaler(scaler, feature_range))
        p.scaler.fit(p.changes(train))
        return p

    def transform(self, y):
        """g(y): log or identity, elementwise."""
        return np.log(y) if self.log else np.asarray(y, dtype=np.float64)

    def untransform(self, v):
        """g^-1(v)."""
        return np.exp(v) if self.log else v

    def _diff(self, v):
        return v[self.lag:] - v[:-self.lag] if self.lag else v

    def changes(self, y) -> np.ndarray:
        """(N,) series -> (N - lag,) unscaled changes g(y_t) - g(y_{t-lag}) (g(y) itself
        without differencing): what the scaler maps to model space."""
        return self._diff(self.transform(np.asarray(y, dtype=np.float64)))

    def to_model(self, y: np.ndarray) -> np.ndarray:
        """(N,) series -> (N - lag,) model-space values; z[i] belongs to y[i + lag]."""
        y = np.asarray(y, dtype=np.float64)
        if self.log and (y <= 0).any():
            raise DataError(f"the series has values <= 0 (minimum {y.min():g}) but the model "
                            f"was fitted on log values (transform='log', or 'auto' on "
                            f"positive data): forecast from positive values, or fit again "
                            f"with transform='none'")
        return self.scaler.transform(self.changes(y))

    def from_model(self, z: np.ndarray, history: np.ndarray) -> np.ndarray:
        """Forecast values after ``history`` from model-space predictions z (H,) or (K, H)."""
        z = np.asarray(z, dtype=np.float64)
        d = self.scaler.inverse_transform(z)
        if not self.lag:
            return self.untransform(d)
        g = self.transform(np.asarray(history, dtype=np.float64))
        lead = d.shape[:-1]
        out = np.empty(d.shape, dtype=np.float64)
        base = np.broadcast_to(g[-self.lag:], lead + (self.lag,))
        full = np.concatenate([base, out], axis=-1)
        for h in range(d.shape[-1]):
            full[..., self.lag + h] = full[..., h] + d[..., h]
        return self.untransform(full[..., self.lag:])

    def to_dict(self) -> dict:
        return {"log": self.log, "lag": self.lag, "scaler": self.scaler.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> "Pipeline":
        from ..io.errors import CheckpointError

        try:
            if not isinstance(d["log"], bool) or type(d["lag"]) is not int:
                raise ConfigTypeError("'log' must be true or false, 'lag' a whole number")
            return cls(log=d["log"], lag=d["lag"], scaler=scaler_from_dict(d["scaler"]))
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError) as e:
            raise CheckpointError(f"saved preprocessing {d!r} is malformed ({e})") from None


def check_period(period, n_train: int, name: str, given: bool, held_out: int = 0) -> None:
    """A seasonal period needs two seasons in the training part: the seasonal naive
    baseline and the seasonal MASE scale read one season back, and with fewer the
    baseline disappears and MASE silently changes meaning. A period given explicitly
    (``given``) is refused, with the history that would hold two (``held_out``: the test
    part's points, which come on top); an inferred one is left to the caller's note."""
    if given and period and n_train < 2 * period:
        whole = n_train // period  # (714 points of period 365: 1, not "2" from 1.96)
        test = (f": the series' {n_train + held_out} less the {held_out} held out for the "
                f"test part" if held_out else "")
        raise DataError(
            f"series {name!r}: period {period} leaves {whole} whole season"
            f"{'' if whole == 1 else 's'} in the training part ({n_train} points{test}; two "
            f"seasons need {2 * period}). The seasonal naive baseline and the seasonal MASE "
            f"need two: pass a history of at least {2 * period + held_out} points, give a "
            f"shorter --period (period=), or leave it out to infer it from the dates")
