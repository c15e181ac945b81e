"""Forecaster: a series in, a trained, evaluated, plottable, saveable forecaster out.

    f = Forecaster(model="lstm", lookback=12, horizon=12)
    f.fit("airline")          # holds out the last `horizon` points for evaluate()
    f.evaluate()["model"]["rmse"], f.predict(12)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np
import pandas as pd
import torch

from ..data.datasets import resolve_data
from ..data.series import Series, check_not_constant, infer_period, split_sizes
from ..data.windows import make_windows
from ..io.errors import CheckpointError, DataError
from ..io.model_dir import load_weights_into, read_model_json, save_model_dir
from ..train import TrainConfig, fit, resolve_device, seed_everything
from ..train.checkpoint import CheckpointManager
from . import baselines as B
from .config import ForecastConfig
from .metrics import error_by_step, mase_scale, metrics
from .net import Ensemble, WindowTask, build_net, rollout
from .transform import Pipeline

KIND = "forecaster"


class Forecaster:
    """Fit on a series' training part, forecast, evaluate against baselines, save, load."""

    def __init__(self, model: str = "lstm", lookback: int = 12, horizon: int = 12,
                 config: Optional[ForecastConfig] = None, **settings):
        if config is not None and settings:
            raise TypeError("pass either config=ForecastConfig(...) or keyword settings, not both")
        self.config = config or ForecastConfig(model=model, lookback=lookback, horizon=horizon,
                                               **settings)
        self.series: Optional[Series] = None
        self.net: Optional[Ensemble] = None
        self.pipeline: Optional[Pipeline] = None
        self.period: Optional[int] = None
        self.n_train = 0
        self.histories: List[dict] = []

    # ------------------------------------------------------------------ fitting
    def fit(self, data, column=None, date_column=None, checkpoint_dir=None, resume: bool = False,
            fetch: Optional[Callable[[str], bytes]] = None) -> "Forecaster":
        """Train on ``data`` (a dataset name, stooq:SYM, CSV path, pandas or numpy) without its
        last ``test_size`` points. Validation (early stopping) uses the training part's tail."""
        cfg = self.config
        series = resolve_data(data, column=column, date_column=date_column, fill=cfg.fill,
                              fetch=fetch)
        values = series.values
        n = len(values)
        test_size = cfg.test_size if cfg.test_size is not None else cfg.horizon
        k = split_sizes(n, test_size) if n > 1 else 0
        train = values[: n - k]
        check_not_constant(train if len(train) > 1 else values, f"series {series.name!r}")
        val = (0 if cfg.val_size == 0 else cfg.horizon if cfg.val_size is None
               else int(round(cfg.val_size)) if cfg.val_size >= 1
               else max(1, int(round(len(train) * cfg.val_size))))
        self.period = cfg.period or infer_period(series.freq)
        ahead = cfg.horizon if cfg.strategy == "direct" else 1
        n_fit = len(train) - val
        lag_guess = {"none": 0, "first": 1, "seasonal": self.period or 0,
                     "auto": self.period if self.period and n_fit >= 3 * self.period else 0}[cfg.difference]
        need = k + val + lag_guess + cfg.lookback + ahead + 1
        if n < need or n_fit - lag_guess < cfg.lookback + ahead + 1:
            raise DataError(
                f"series {series.name!r} has {n} points, too short for look-back {cfg.lookback} + "
                f"{ahead} target step(s) + differencing lag {lag_guess} + validation {val} + test "
                f"{k} (+1 so there are 2 windows): it needs at least {need} points. Use a shorter "
                f"--lookback/--horizon/--test-size, val_size=0, or difference='none'")
        fit_part = train[:n_fit]
        check_not_constant(fit_part, f"the training part of series {series.name!r}")
        pipe = Pipeline.fit(fit_part, cfg.transform, cfg.difference, self.period, cfg.scaler,
                            cfg.feature_range)
        z = pipe.to_model(train)  # (n_train - lag,)
        z_fit, z_val = z[: n_fit - pipe.lag], z[n_fit - pipe.lag:]
        mode = {"direct": "direct", "recursive": "one", "seq2seq": "seq2seq"}[cfg.strategy]
        x, y = make_windows(z_fit, cfg.lookback, mode, cfg.horizon)
        device = resolve_device(cfg.device)
        members, self.histories = [], []
        for m in range(cfg.ensemble):
            seed = 1000 * cfg.seed + m
            seed_everything(seed)
            net = build_net(cfg).to(device)
            task = WindowTask(x, y, cfg.batch_size, seed, cfg.strategy, cfg.lookback,
                              z_fit if val else None, z_val if val else None, device=device)
            tcfg = TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr,
                               weight_decay=cfg.weight_decay, clip_norm=cfg.clip_norm,
                               patience=cfg.patience if val else None, seed=seed,
                               device=cfg.device, progress=cfg.progress)
            ck = None if checkpoint_dir is None else Path(checkpoint_dir) / f"member{m}"
            again = resume and ck is not None and CheckpointManager(ck).exists()
            hist = fit(net, task, tcfg, checkpoint_dir=ck, resume=again, device=device,
                       meta={"kind": KIND, "member": m})
            members.append(net.cpu().eval())
            self.histories.append(_jsonable(hist.to_dict()))
        self.net = Ensemble(members)
        self.series, self.pipeline, self.n_train = series, pipe, len(train)
        return self

    # ------------------------------------------------------------------ forecasting
    def _need_fit(self):
        if self.net is None:
            raise RuntimeError("this Forecaster is not fitted; call fit() or Forecaster.load()")

    def forecast_from(self, history: np.ndarray, steps: int) -> np.ndarray:
        """Original-scale forecast of ``steps`` values following ``history`` (ensemble mean)."""
        self._need_fit()
        cfg, pipe = self.config, self.pipeline
        z = pipe.to_model(np.asarray(history, dtype=np.float64))
        if len(z) < cfg.lookback:
            raise DataError(f"a forecast needs {cfg.lookback + pipe.lag} past values, got {len(history)}")
        zs = np.mean([rollout(m, z[None], steps, cfg.lookback, cfg.strategy)[0]
                      for m in self.net.members], axis=0)
        return pipe.from_model(zs, history)

    def predict(self, horizon: Optional[int] = None) -> pd.Series:
        """Forecast past the end of the data given to fit (test part included), without
        retraining; indexed by the future dates when the data had regular dates."""
        self._need_fit()
        steps = self.config.horizon if horizon is None else horizon
        if not isinstance(steps, (int, np.integer)) or steps < 1:
            raise DataError(f"horizon must be an integer >= 1, got {horizon!r}")
        s = self.series
        pred = self.forecast_from(s.values, int(steps))
        index = s.future_index(int(steps))
        if index is None:
            index = pd.RangeIndex(len(s), len(s) + int(steps))
        return pd.Series(pred, index=index, name=f"{s.name} forecast")

    # ------------------------------------------------------------------ evaluation
    def evaluate(self) -> Dict:
        """Metrics on the held-out part (original scale), the model beside three baselines:
        ``forecast`` = one multi-step forecast from the end of the training part,
        ``one_step`` = next-value predictions over the test part (true history),
        ``by_step`` = RMSE/MAE per horizon step over rolling origins in the test part."""
        self._need_fit()
        cfg, values, nt = self.config, self.series.values, self.n_train
        test = values[nt:]
        k = len(test)
        if k == 0:
            raise DataError("no test part: fit with test_size > 0 to evaluate")
        train = values[:nt]
        scale = mase_scale(train, self.period)
        ar = B.LinearAR(cfg.lookback).fit(self.pipeline.to_model(train))
        methods = {"model": lambda h, s: self.forecast_from(h, s),
                   "naive": B.naive,
                   "linear_ar": lambda h, s: self.pipeline.from_model(
                       ar.forecast(self.pipeline.to_model(h), s), h)}
        if self.period and nt >= self.period:
            methods["seasonal_naive"] = lambda h, s: B.seasonal_naive(h, s, self.period)
        out = {"test_size": k, "n_train": nt, "period": self.period, "forecast": {},
               "one_step": {}, "by_step": {}, "predictions": {}}
        H = cfg.horizon
        for name, f in methods.items():
            pred = f(train, k)
            out["forecast"][name] = metrics(test, pred, scale)
            out["predictions"][name] = [float(v) for v in pred]
            one = np.array([f(values[:nt + i], 1)[0] for i in range(k)])
            out["one_step"][name] = metrics(test, one, scale)
            act = np.full((k, H), np.nan)
            prd = np.empty((k, H))
            for i in range(k):
                seg = test[i:i + H]
                act[i, :len(seg)] = seg
                prd[i] = f(values[:nt + i], H)
            out["by_step"][name] = error_by_step(act, prd)
        out["model"] = out["forecast"]["model"]
        self.last_evaluation = out
        return out

    def plot(self, path, kind: str = "forecast", future: Optional[pd.Series] = None):
        from . import plots

        self._need_fit()
        if kind == "forecast":
            ev = getattr(self, "last_evaluation", None) or (self.evaluate() if len(self.series) > self.n_train else None)
            return plots.plot_forecast(path, self.series, self.n_train, ev, future)
        if kind == "loss":
            return plots.plot_losses(path, self.histories)
        if kind == "horizon":
            ev = getattr(self, "last_evaluation", None) or self.evaluate()
            return plots.plot_error_by_step(path, ev)
        raise ValueError(f"unknown plot kind {kind!r}; choose forecast, loss or horizon")

    # ------------------------------------------------------------------ saving
    def save(self, path) -> Path:
        """A folder of data: model.safetensors + model.json (config, preprocessing, series)."""
        self._need_fit()
        s = self.series
        extra = {"pipeline": self.pipeline.to_dict(), "period": self.period, "n_train": self.n_train,
                 "series": {"name": s.name, "values": [float(v) for v in s.values], "freq": s.freq,
                            "dates": None if s.index is None else [d.isoformat() for d in s.index]},
                 "histories": self.histories}
        return save_model_dir(path, self.net, KIND, self.config.to_dict(), extra)

    @classmethod
    def load(cls, path, device: str = "cpu") -> "Forecaster":
        """Rebuild from a folder written by :meth:`save`; nothing in it is executed."""
        meta = read_model_json(path, KIND)
        src = Path(meta["_dir"]) / "model.json"
        cfg = ForecastConfig.from_dict(meta["config"], src)
        f = cls(config=cfg.replace(device=device))
        try:
            ex = meta["extra"]
            f.pipeline = Pipeline.from_dict(ex["pipeline"])
            f.period, f.n_train = ex["period"], int(ex["n_train"])
            sd = ex["series"]
            idx = None if sd["dates"] is None else pd.DatetimeIndex(pd.to_datetime(sd["dates"]))
            f.series = Series(values=np.asarray(sd["values"], dtype=np.float64), index=idx,
                              name=str(sd["name"]), freq=sd["freq"])
            f.histories = list(ex.get("histories", []))
        except (KeyError, TypeError, ValueError) as e:
            raise CheckpointError(f"{src}: the 'extra' section is incomplete or malformed ({e!r})") from None
        if f.series.index is not None and len(f.series.index) != len(f.series.values):
            raise CheckpointError(f"{src}: saved series has {len(f.series.values)} values but "
                                  f"{len(f.series.index)} dates")
        try:
            net = Ensemble([build_net(cfg) for _ in range(cfg.ensemble)])
        except (ValueError, DataError) as e:
            raise CheckpointError(f"{src}: its config cannot build a model ({e})") from None
        load_weights_into(net, meta)
        f.net = net.to(resolve_device(device)).eval()
        return f


def _jsonable(d):
    if isinstance(d, dict):
        return {k: _jsonable(v) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [_jsonable(v) for v in d]
    if isinstance(d, float) and not math.isfinite(d):
        return None
    return d
