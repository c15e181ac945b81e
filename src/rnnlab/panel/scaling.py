"""Per-series target transform, fitted on each series' training part only.

For series i with training values y (model space is what the network reads and predicts):

    g_t = log y_t  (when every training value is > 0 and float64 logs keep its changes:
                    :mod:`rnnlab.data.log_room`; or transform='log')  else y_t
    d_t = g_t - g_{t-m}  (difference='seasonal', m the period)  else g_t
    z_t = (d_t - mu_i) / s_i,        s_i = std of d_t - d_{t-1}   (the scale of one step)
    level_t = (d_t - mu_i) / sigma_i, sigma_i = std of d_t         (where the series sits)

A series constant in its training part (sigma_i = 0: all zero, a fixed price) gets
s_i = sigma_i = 0.01 * (1 with log, else mean |y|, or 1 when that is 0): one unit of z
is 1% of its level, so it is forecast (nearly) constant.

Windows are then anchored on their last input (:mod:`.windows`), so the network predicts
z_{t+h} - z_t in units of a typical one-step change: series of any scale and trend look
alike to one global model (``anchor='none'``: not anchored, it reads and predicts z
itself; ``anchor='mean_scale'``: not anchored, each window divided by 1 + its mean |z|,
:mod:`.window_frame`; :func:`~rnnlab.panel.global_table.anchored`). The inverse maps
predicted z (any leading shape, e.g. samples or quantiles) back through the differencing and
exp; monotone maps keep quantiles quantiles.

``scale='robust'`` (:class:`~rnnlab.panel.config.PanelConfig`): mu_i the median of d_t, and
s_i, sigma_i 1.4826 x the median absolute deviations (:func:`robust_sd`) of d_t - d_{t-1}
and of d_t, so a few extreme values (a 1e9 typed among values near 100) do not widen the
series' scale: with the standard deviations, one such value made it 160 times its own.

Counts (``likelihood='negbin'``): no log, no differencing, z = y / (1 + mean of y).

``floor``: a training part without the log that reaches 0 and never goes below (sales
with zeros, intermittent demand): the forecast and its quantiles are floored at 0
(:mod:`.zero_floor`), as the one-series Forecaster's are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..data.log_room import log_keeps_changes, refuse_lossy_log
from ..forecast.baselines import bounded_at_zero
from ..io.errors import DataError

FLAT_SHARE = 0.01  # scale of a series constant in its training part, per unit of its level
MAD_SD = 1.4826  # a normal's standard deviation per median absolute deviation
MEAN_AD_SD = 1.2533  # ... per mean absolute deviation (sqrt(pi / 2))


def robust_sd(x: np.ndarray) -> float:
    """A standard deviation of ``x`` that a few extreme values do not move: 1.4826 x its
    median absolute deviation from its median; where more than half of ``x`` is at its
    median (a series mostly unchanged), 1.2533 x its mean absolute deviation from it."""
    a = np.abs(x - np.median(x))
    s = MAD_SD * float(np.median(a))
    return s if s > 0 else MEAN_AD_SD * float(a.mean())


@dataclass
class SeriesTransform:
    log: bool
    lag: int  # 0: no differencing
    loc: float  # mu_i
    scale: float  # s_i
    level_scale: float  # sigma_i
    counts: bool = False
    floor: bool = False  # forecasts floored at 0: a training part bounded at 0, no log

    @classmethod
    def fit(cls, y: np.ndarray, uid: str, transform: str = "auto", lag: int = 0,
            counts: bool = False, robust: bool = False) -> "SeriesTransform":
        y = np.asarray(y, dtype=np.float64)
        if counts:
            if (y < 0).any():
                raise DataError(f"likelihood='negbin' is for counts, but series {uid!r} has "
                                f"{int((y < 0).sum())} negative values (minimum {y.min():g}); "
                                f"use likelihood='gaussian' or 'studentt', or quantiles")
            frac = y[y != np.round(y)]
            if len(frac):
                raise DataError(f"likelihood='negbin' is for counts, but series {uid!r} has "
                                f"{len(frac)} values that are not whole numbers (e.g. "
                                f"{frac[0]:g}); use likelihood='gaussian' or 'studentt', or "
                                f"quantiles, or round them if they are counts")
            m = 1.0 + float(np.abs(y).mean())
            return cls(False, 0, 0.0, m, m, counts=True)
        positive = bool((y > 0).all())
        if transform == "log" and not positive:
            raise DataError(f"transform='log' needs positive values; series {uid!r} has "
                            f"{int((y <= 0).sum())} values <= 0 (minimum {y.min():g}); use "
                            f"transform='auto' or 'none'")
        if transform == "log":
            refuse_lossy_log(y, f"series {uid!r}")
        log = transform == "log" or (transform == "auto" and positive and log_keeps_changes(y))
        t = cls(log, int(lag), 0.0, 1.0, 1.0)
        t.floor = not log and bounded_at_zero(y)
        d = t._diff(t._g(y))
        if len(d) < 2:
            raise DataError(f"series {uid!r} is too short to fit its scaler ({len(y)} points)")
        spread = robust_sd if robust else np.std  # (scale='robust': median and MAD)
        t.loc = float(np.median(d) if robust else d.mean())
        sd, step = float(spread(d)), float(spread(np.diff(d)))
        tiny = 1e-9 * float(np.abs(d).mean())  # round-off: log(5) repeated has std 4e-16
        sd, step = (sd if sd > tiny else 0.0), (step if step > tiny else 0.0)
        # a constant training part (all zero, or one price) has no spread to scale by: a
        # unit of z is then 1% of its level (log: 1%; 0: 0.01), so the network's typical
        # step keeps a constant series nearly constant instead of moving it by its level
        flat = FLAT_SHARE * (1.0 if log or not np.abs(y).mean() > 0 else float(np.abs(y).mean()))
        t.level_scale = sd if sd > 0 else flat
        t.scale = step if step > 0 else t.level_scale
        return t

    def _g(self, y):
        return np.log(y) if self.log else np.asarray(y, dtype=np.float64)

    def _diff(self, g):
        return g[self.lag:] - g[:-self.lag] if self.lag else g

    def to_model(self, y: np.ndarray, uid: str = "series"):
        """(N,) values -> (z, level), each (N - lag,); z[i] belongs to y[i + lag]."""
        y = np.asarray(y, dtype=np.float64)
        if self.log and (y <= 0).any():
            raise DataError(f"series {uid!r} has values <= 0 (minimum {y.min():g}) but its "
                            f"transform was fitted on log values (transform='log'); use "
                            f"transform='auto' (no log where a series reaches 0) or 'none'")
        if self.counts:
            z = y / self.scale
            return z, z
        d = self._diff(self._g(y)) - self.loc
        return d / self.scale, d / self.level_scale

    def from_model(self, z: np.ndarray, history: np.ndarray) -> np.ndarray:
        """Values after ``history`` from model-space forecasts z (..., H); ``history`` (T,),
        or (W, T) for W forecasts (W, ..., H) each after its own (:mod:`.insample`)."""
        z = np.asarray(z, dtype=np.float64)
        if self.counts:
            return z * self.scale
        d = np.asarray(z * self.scale)  # (a new array, 0-d for a number)
        d += self.loc  # (in place: the values of z * scale + loc, one array fewer)
        if self.lag:
            g = self._g(np.asarray(history, dtype=np.float64)[..., -self.lag:])
            # (a history's leading axes are the forecasts' first ones: (W, 1, lag) of W)
            g = g.reshape(g.shape[:-1] + (1,) * (d.ndim - g.ndim) + g.shape[-1:])
            full = np.concatenate([np.broadcast_to(g, d.shape[:-1] + (self.lag,)), d], axis=-1)
            for h in range(d.shape[-1]):  # beyond the lag a forecast builds on earlier steps
                full[..., self.lag + h] = full[..., h] + d[..., h]
            d = full[..., self.lag:]
        return np.exp(np.minimum(d, 700.0, out=d), out=d) if self.log else d

    def quantiles_from_model(self, zq: np.ndarray, zc: np.ndarray, levels, history) -> np.ndarray:
        """(Q, H) values of the quantiles ``zq`` (Q, H) at ``levels`` of each step's
        model-space change, around the centre ``zc`` (H,): the point forecast, the median.

        Up to the seasonal lag each level is inverted as a path (:meth:`from_model`). Past
        it g(y_{T+h}) = g(y_{T+h-m}) + d_h adds two uncertain terms, and adding their
        quantiles level by level is the quantile of the sum only when they move in
        lockstep (twice the spread of one, where independent ones give sqrt(2) times). So
        each level's distance from the centre path, in g-space, is combined in quadrature
        with the step's: the changes taken as independent across steps, as the likelihood
        heads' direct draws are (``tests/test_panel_quantile_lag.py``)."""
        zq = np.asarray(zq, dtype=np.float64)  # ((W,) Q, H: W forecasts, each its history)
        if self.counts or not self.lag or zq.shape[-1] <= self.lag:
            return self.from_model(zq, history)
        zc = np.asarray(zc, dtype=np.float64)
        dev = (zq - zc[..., None, :]) * self.scale  # (Q, H) each level's distance in g-space
        side = np.sign(np.asarray(levels, dtype=np.float64) - 0.5)[:, None]
        spread = dev ** 2
        for h in range(self.lag, zq.shape[-1]):
            spread[..., h] += spread[..., h - self.lag]
        centre = self.from_model(zc, history)
        g = self._g(centre) if self.log else centre
        out = g[..., None, :] + np.where(side == 0, dev, side * np.sqrt(spread))
        return np.exp(np.minimum(out, 700.0)) if self.log else out

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "SeriesTransform":
        return cls(bool(d["log"]), int(d["lag"]), float(d["loc"]), float(d["scale"]),
                   float(d["level_scale"]), bool(d.get("counts", False)),
                   bool(d.get("floor", False)))  # (saved before it: not floored)


def to_model_rows(transforms, uids, y: np.ndarray, lengths: np.ndarray, lag: int):
    """:meth:`SeriesTransform.to_model` of consecutive series at once (``lengths`` rows
    each, ``transforms`` theirs, every one differenced by ``lag`` or counts with ``lag``
    0): ``(z, level)`` of each series' rows after its first ``lag``, series after series,
    equal to the per-series calls. None where a transform's lag is another (the caller
    then goes series by series)."""
    if any(t.lag != (0 if t.counts else lag) for t in transforms) or (
            lag and any(t.counts for t in transforms)):
        return None
    y = np.asarray(y, dtype=np.float64)
    lengths = np.asarray(lengths, dtype=np.int64)

    def each(values):  # a per-series value on each of its rows
        return np.repeat(np.asarray(values), lengths)

    log = each([t.log for t in transforms]).astype(bool)
    bad = log & (y <= 0)
    if bad.any():  # the first such series' own error
        i = int(np.searchsorted(np.cumsum(lengths), np.flatnonzero(bad)[0], side="right"))
        start = int(lengths[:i].sum())
        transforms[i].to_model(y[start:start + lengths[i]], uids[i])
    g = y.copy()
    g[log] = np.log(y[log])
    keep = np.arange(len(y)) - each(np.cumsum(lengths) - lengths) >= lag
    if lag:
        d = np.empty_like(g)
        d[lag:] = g[lag:] - g[:-lag]
        g = d
    g, y = g[keep], y[keep]
    loc, scale, level_scale, counts = (each([getattr(t, a) for t in transforms])[keep]
                                       for a in ("loc", "scale", "level_scale", "counts"))
    d = g - loc
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(counts, y / scale, d / scale)
        level = np.where(counts, z, d / level_scale)
    return z, level
