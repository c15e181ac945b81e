"""Scalers fitted on the training part only, with their inverses, saved as JSON."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Tuple

import numpy as np

from ..io.errors import CheckpointError, ConfigError, ConfigTypeError, DataError


def _fit_values(x) -> np.ndarray:
    """What a scaler is fitted on, as float64; DataError when there is nothing."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) == 0:
        raise DataError("cannot fit a scaler on an empty series: expected at least one value; "
                        "give the training part some values (a shorter test or validation "
                        "part, or more data)")
    return x


def _spread(x: np.ndarray) -> float:
    """``x.std()``; where its squares underflow to 0 (values near 1e-300, which varied:
    their scaler divided by 1 and the network forecast 1e0), the std of ``x`` rescaled by
    its largest deviation, scaled back."""
    std = float(x.std())
    if std > 0:
        return std
    dev = x - x.mean()
    top = float(np.abs(dev).max())
    return top * float((dev / top).std()) if top > 0 else 0.0


@dataclass
class StandardScaler:
    """z = (x - mean) / std, with mean and std of the data given to :meth:`fit`."""

    mean: float = 0.0
    std: float = 1.0

    def fit(self, x: np.ndarray) -> "StandardScaler":
        x = _fit_values(x)
        self.mean = float(x.mean())
        std = _spread(x)
        self.std = std if std > 0 else 1.0  # a constant part: shift only
        return self

    def transform(self, x):
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std

    def inverse_transform(self, z):
        return np.asarray(z, dtype=np.float64) * self.std + self.mean

    def to_dict(self) -> dict:
        return {"kind": "standard", **asdict(self)}


@dataclass
class MinMaxScaler:
    """Maps the fitted data's [min, max] to ``feature_range`` (e.g. (-1, 1) as E5)."""

    feature_range: Tuple[float, float] = (0.0, 1.0)
    data_min: float = 0.0
    data_max: float = 1.0

    def fit(self, x: np.ndarray) -> "MinMaxScaler":
        x = _fit_values(x)
        lo, hi = self.feature_range
        if not hi > lo:
            raise DataError(f"feature_range must be (low, high) with low < high, got {self.feature_range}")
        self.data_min, self.data_max = float(x.min()), float(x.max())
        return self

    def _span(self) -> float:
        span = self.data_max - self.data_min
        return span if span > 0 else 1.0

    def transform(self, x):
        lo, hi = self.feature_range
        return (np.asarray(x, dtype=np.float64) - self.data_min) / self._span() * (hi - lo) + lo

    def inverse_transform(self, z):
        lo, hi = self.feature_range
        return (np.asarray(z, dtype=np.float64) - lo) / (hi - lo) * self._span() + self.data_min

    def to_dict(self) -> dict:
        d = asdict(self)
        d["feature_range"] = list(self.feature_range)
        return {"kind": "minmax", **d}


@dataclass
class IdentityScaler:
    def fit(self, x):
        return self

    def transform(self, x):
        return np.asarray(x, dtype=np.float64)

    def inverse_transform(self, z):
        return np.asarray(z, dtype=np.float64)

    def to_dict(self) -> dict:
        return {"kind": "none"}


SCALERS = {"standard": StandardScaler, "minmax": MinMaxScaler, "none": IdentityScaler}


def make_scaler(kind: str, feature_range=(-1.0, 1.0)):
    if kind not in SCALERS:
        raise ConfigError(f"unknown scaler {kind!r}; choose one of {list(SCALERS)}")
    return MinMaxScaler(feature_range=tuple(feature_range)) if kind == "minmax" else SCALERS[kind]()


def scaler_from_dict(d: dict):
    """Rebuild a scaler from :meth:`to_dict` output; anything else is refused."""
    if not isinstance(d, dict) or d.get("kind") not in SCALERS:
        raise CheckpointError(f"saved scaler {d!r}: expected kind in {list(SCALERS)}")
    d = dict(d)
    cls = SCALERS[d.pop("kind")]
    def number(v) -> float:  # (float(true) was 1.0: a scale of 1 read from "std": true)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ConfigTypeError(f"{v!r} is not a number")
        return float(v)

    try:
        if cls is MinMaxScaler:
            fr = d.pop("feature_range")
            scaler = MinMaxScaler(feature_range=(number(fr[0]), number(fr[1])),
                                  **{k: number(v) for k, v in d.items()})
        else:
            scaler = cls(**{k: number(v) for k, v in d.items()})
    except (TypeError, KeyError, ValueError, IndexError) as e:
        raise CheckpointError(f"saved scaler {d!r} is incomplete or malformed ({e})") from None
    # (as fit makes them: a NaN or a zero scale would make every forecast NaN or inf)
    fr = getattr(scaler, "feature_range", (0.0, 1.0))
    numbers = [v for v in asdict(scaler).values() if not isinstance(v, (tuple, list))] + list(fr)
    sound = (all(math.isfinite(v) for v in numbers) and getattr(scaler, "std", 1.0) > 0
             and fr[1] > fr[0]
             and getattr(scaler, "data_max", 1.0) >= getattr(scaler, "data_min", 0.0))
    if not sound:
        raise CheckpointError(f"saved scaler {d!r} is not one rnnlab fits (values must be "
                              f"finite, the scale positive); the file was edited or damaged")
    return scaler
