"""What a fitted panel model knows about its inputs, and the model-space rows it builds.

Each series' rows are ``[z, level, past..., future..., calendar...]`` (see
:mod:`.scaling` for z and level); the first ``lag`` values of a differenced series have no
row. Everything here is fitted on the training part and saved as JSON with the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from .calendar import calendar_features
from .covariates import ColumnScaler, StaticEncoder
from .far_covariates import warn_far_future, warn_far_past
from .future_table import future_block, future_values
from .frame import DS, ID, Y
from .scaling import SeriesTransform
from .week_freq import freq_from_json, freq_to_json


@dataclass
class Features:
    lookback: int
    horizon: int
    lag: int
    # pandas' name ('MS'), or a week's CustomBusinessDay (:mod:`.week_freq`)
    freq: Union[str, pd.offsets.BaseOffset]
    past: Tuple[str, ...]
    future: Tuple[str, ...]
    calendar: Tuple[str, ...]
    country: Optional[str]
    transforms: Dict[str, SeriesTransform] = field(default_factory=dict)
    covs: ColumnScaler = field(default_factory=ColumnScaler)
    static: StaticEncoder = field(default_factory=StaticEncoder)
    codes: Dict[str, List[int]] = field(default_factory=dict)  # per series: categorical codes
    values: Dict[str, List[float]] = field(default_factory=dict)  # per series: numeric static
    # quarter_holidays counts the quarters ``freq`` steps by (QS-FEB: Feb-Apr, ...); False:
    # the calendar's, as a model saved before session 34 was fitted on (read so when loaded)
    own_quarters: bool = True
    # series whose static values could not be encoded (a category no training series had),
    # and why: for the error when one is forecast (not saved: a loaded model says less)
    unencoded: Dict[str, str] = field(default_factory=dict, compare=False)
    # series fit skipped as too short, and the points it was given of each: a later
    # forecast of one names it so, not as new (not saved either)
    skipped: Dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def known_from(self) -> int:
        """First column of the known-ahead block (future covariates, calendar)."""
        return 2 + len(self.past)

    def rows(self, uid: str, g: pd.DataFrame) -> np.ndarray:
        """(n - lag, F) float32 model-space rows of one series' frame ``g``."""
        z, level = self.transforms[uid].to_model(g[Y].to_numpy(), uid)
        cols = list(self.past + self.future)
        cov = self.covs.transform(g[cols].to_numpy()[self.lag:], cols)
        cal = self.calendar_of(g[DS].iloc[self.lag:])
        return np.column_stack([z, level, cov, cal]).astype(np.float32)

    def rows_of(self, df: pd.DataFrame, b) -> np.ndarray:
        """:meth:`rows` of every series of ``df``, whose rows are series after series as
        ``b`` (:class:`~.series_blocks.Blocks`: ``b.starts``, ``b.lengths``) says, as one
        (sum of n_i - lag, F) float32 array: on whole columns, the same values as the calls
        series by series (their loop where the transforms differ in lag)."""
        from .scaling import to_model_rows

        uids = [str(u) for u in b.ids]
        zl = to_model_rows([self.transforms[u] for u in uids], uids, df[Y].to_numpy(),
                           b.lengths, self.lag)
        if zl is None:
            return np.concatenate([self.rows(u, df.iloc[s:s + n])
                                   for u, s, n in zip(uids, b.starts, b.lengths)])
        keep = b.position() >= self.lag
        cols = list(self.past + self.future)
        cov = self.covs.transform(df[cols].to_numpy()[keep], cols)
        cal = self.calendar_of(df[DS][keep])
        return np.column_stack([zl[0], zl[1], cov, cal]).astype(np.float32)

    def known(self, uid: str, dates: pd.DatetimeIndex, block: pd.DataFrame) -> np.ndarray:
        """(H, K) future covariates (scaled) and calendar over the forecast dates."""
        fut = self.covs.transform(block[list(self.future)].to_numpy(), list(self.future))
        return np.column_stack([fut, self.calendar_of(dates)])

    def calendar_of(self, ds) -> np.ndarray:
        """(T, calendar width) calendar features of the dates ``ds`` as this model reads
        them: its holiday counts over its own quarters, or the calendar's
        (:attr:`own_quarters`)."""
        return calendar_features(ds, self.calendar, self.country,
                                 self.freq if self.own_quarters else None)

    def last_windows(self, df: pd.DataFrame, future: Optional[pd.DataFrame], horizon: int):
        """Inputs for forecasting after each series of ``df``: (ids, last dates, encoder
        rows (S, L, F), known (S, H_model, K), anchors (S,), histories of y). Built on
        whole columns (:meth:`rows_of`); series by series where one is shorter than the
        window (:meth:`_last_windows_loop`, as before)."""
        from .baseline_frames import future_dates
        from .series_blocks import tails

        width = self.lookback + self.lag
        rows, b = tails(df, width)
        if not len(b.ids) or (b.lengths < width).any():
            return self._last_windows_loop(df, future, horizon)
        ids = [str(u) for u in b.ids]
        last = dict(zip(ids, rows[DS].iloc[b.ends - 1].tolist()))
        dates = {}  # (series ending on one date share their dates)
        for d in last.values():
            if d not in dates:
                dates[d] = future_dates(d, self.horizon, self.freq)[:horizon]
        each, cols = [dates[last[u]] for u in ids], list(self.future)
        fut = future_values(future, ids, last, horizon, self.freq, cols, each)
        warn_far_future(self.covs, fut, cols, np.repeat(ids, horizon), each[0].append(each[1:]))
        self._warn_far_past(rows[b.position() >= self.lag])  # (the lags' rows: y only)
        enc = self.rows_of(rows, b).reshape(len(ids), self.lookback, -1)  # (S, L, F)
        kn = np.column_stack([self.covs.transform(fut, cols),
                              self.calendar_of(each[0].append(each[1:]))])
        known = np.zeros((len(ids), self.horizon, enc.shape[2] - self.known_from),
                         dtype=np.float32)
        known[:, :horizon] = kn.reshape(len(ids), horizon, -1)
        hist = np.split(rows[Y].to_numpy(), b.starts[1:])
        return ids, last, enc, known, enc[:, -1, 0].copy(), hist

    def _last_windows_loop(self, df: pd.DataFrame, future: Optional[pd.DataFrame],
                           horizon: int):
        """:meth:`last_windows` series by series."""
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
        self._warn_far_past(pd.concat([g.iloc[-self.lookback:] for _, g in groups]))
        if self.future:
            cols = list(self.future)
            warn_far_future(self.covs, np.concatenate([blocks[u][cols].to_numpy()
                                                       for u in ids]), cols,
                            np.repeat(ids, horizon),
                            np.concatenate([np.asarray(blocks[u].index) for u in ids]))
        return ids, last, np.stack(enc), np.stack(known), np.asarray(anchors), hist

    def _warn_far_past(self, rows: pd.DataFrame) -> None:
        """Say covariates of the windows read (``rows``: the past ones, and the future
        ones' values up to the origin) far from those fitted on."""
        cols = list(self.past + self.future)
        if cols:
            warn_far_past(self.covs, rows[cols].to_numpy(), cols, rows[ID].to_numpy(),
                          list(rows[DS]), stacklevel=4)

    def to_dict(self) -> dict:
        return {"lookback": self.lookback, "horizon": self.horizon, "lag": self.lag,
                **freq_to_json(self.freq), "past": list(self.past), "future": list(self.future),
                "calendar": list(self.calendar), "country": self.country,
                "transforms": {u: t.to_dict() for u, t in self.transforms.items()},
                "covs": self.covs.to_dict(), "static": self.static.to_dict(),
                "codes": self.codes, "values": self.values, "own_quarters": self.own_quarters}

    @classmethod
    def from_dict(cls, d: dict) -> "Features":
        return cls(int(d["lookback"]), int(d["horizon"]), int(d["lag"]),
                   freq_from_json(d, "features.week"),  # (M/ME under another pandas)
                   tuple(d["past"]), tuple(d["future"]), tuple(d["calendar"]), d["country"],
                   {u: SeriesTransform.from_dict(t) for u, t in d["transforms"].items()},
                   ColumnScaler.from_dict(d["covs"]), StaticEncoder.from_dict(d["static"]),
                   {u: [int(v) for v in c] for u, c in d["codes"].items()},
                   {u: [float(v) for v in c] for u, c in d["values"].items()},
                   d.get("own_quarters", False))  # (absent: saved before, calendar quarters)
