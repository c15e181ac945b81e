"""What a fitted panel model knows about its inputs, and the model-space rows it builds.

Each series' rows are ``[z, level, past..., future..., calendar...]`` (see
:mod:`.scaling` for z and level); the first ``lag`` values of a differenced series have no
row. Everything here is fitted on the training part and saved as JSON with the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from ..data.freq_names import this_pandas_freq
from .calendar import calendar_features
from .covariates import ColumnScaler, StaticEncoder, future_block
from .frame import DS, ID, Y
from .scaling import SeriesTransform


@dataclass
class Features:
    lookback: int
    horizon: int
    lag: int
    freq: str
    past: Tuple[str, ...]
    future: Tuple[str, ...]
    calendar: Tuple[str, ...]
    country: Optional[str]
    transforms: Dict[str, SeriesTransform] = field(default_factory=dict)
    covs: ColumnScaler = field(default_factory=ColumnScaler)
    static: StaticEncoder = field(default_factory=StaticEncoder)
    codes: Dict[str, List[int]] = field(default_factory=dict)  # per series: categorical codes
    values: Dict[str, List[float]] = field(default_factory=dict)  # per series: numeric static
    # series whose static values could not be encoded (a category no training series had),
    # and why: for the error when one is forecast (not saved: a loaded model says less)
    unencoded: Dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def known_from(self) -> int:
        """First column of the known-ahead block (future covariates, calendar)."""
        return 2 + len(self.past)

    def rows(self, uid: str, g: pd.DataFrame) -> np.ndarray:
        """(n - lag, F) float32 model-space rows of one series' frame ``g``."""
        z, level = self.transforms[uid].to_model(g[Y].to_numpy(), uid)
        cols = list(self.past + self.future)
        cov = self.covs.transform(g[cols].to_numpy()[self.lag:], cols)
        cal = calendar_features(g[DS].iloc[self.lag:], self.calendar, self.country)
        return np.column_stack([z, level, cov, cal]).astype(np.float32)

    def known(self, uid: str, dates: pd.DatetimeIndex, block: pd.DataFrame) -> np.ndarray:
        """(H, K) future covariates (scaled) and calendar over the forecast dates."""
        fut = self.covs.transform(block[list(self.future)].to_numpy(), list(self.future))
        return np.column_stack([fut, calendar_features(dates, self.calendar, self.country)])

    def last_windows(self, df: pd.DataFrame, future: Optional[pd.DataFrame], horizon: int):
        """Inputs for forecasting after each series of ``df``: (ids, last dates, encoder
        rows (S, L, F), known (S, H_model, K), anchors (S,), histories of y)."""
        ids, last, enc, known, anchors, hist = [], {}, [], [], [], []
        groups = [(str(u), g) for u, g in df.groupby(ID, sort=False)]
        for uid, g in groups:
            last[uid] = g[DS].iloc[-1]
        blocks = future_block(future, [u for u, _ in groups], last, horizon, self.freq,
                              self.future)
        for uid, g in groups:
            g = g.iloc[-(self.lookback + self.lag):]
            rows = self.rows(uid, g)  # (L, F)
            dates = pd.date_range(last[uid], periods=self.horizon + 1, freq=self.freq)[1:]
            kn = np.zeros((self.horizon, rows.shape[1] - self.known_from), dtype=np.float32)
            kn[:horizon] = self.known(uid, dates[:horizon], blocks[uid])
            ids.append(uid)
            enc.append(rows)
            known.append(kn)
            anchors.append(rows[-1, 0])
            hist.append(g[Y].to_numpy())
        return ids, last, np.stack(enc), np.stack(known), np.asarray(anchors), hist

    def to_dict(self) -> dict:
        return {"lookback": self.lookback, "horizon": self.horizon, "lag": self.lag,
                "freq": self.freq, "past": list(self.past), "future": list(self.future),
                "calendar": list(self.calendar), "country": self.country,
                "transforms": {u: t.to_dict() for u, t in self.transforms.items()},
                "covs": self.covs.to_dict(), "static": self.static.to_dict(),
                "codes": self.codes, "values": self.values}

    @classmethod
    def from_dict(cls, d: dict) -> "Features":
        return cls(int(d["lookback"]), int(d["horizon"]), int(d["lag"]),
                   this_pandas_freq(str(d["freq"])),  # saved under another pandas: M/ME
                   tuple(d["past"]), tuple(d["future"]), tuple(d["calendar"]), d["country"],
                   {u: SeriesTransform.from_dict(t) for u, t in d["transforms"].items()},
                   ColumnScaler.from_dict(d["covs"]), StaticEncoder.from_dict(d["static"]),
                   {u: [int(v) for v in c] for u, c in d["codes"].items()},
                   {u: [float(v) for v in c] for u, c in d["values"].items()})
