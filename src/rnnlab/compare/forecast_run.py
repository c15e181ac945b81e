"""One forecasting model, one seed: fit with :class:`~rnnlab.forecast.Forecaster`, evaluate
on the held-out end, and return a plain record (JSON-ready) for the comparison."""

from __future__ import annotations

import time
import warnings
from typing import Optional, Tuple

from ..data.outliers import spike_note
from ..data.series import Series
from ..forecast import Forecaster
from ..forecast.transform import Pipeline
from ..io.errors import NotFittedError
from ..train.budget_note import TimeBudgetNote
from ..forecast.report import DRIFT_FLAT
from ..idle_settings import impl_given_to_all
from .config import CompareConfig
from .cpu_time import cpu_fields
from .curves import curve_record
from .matching import forecast_config


def dates_read(date_column: Optional[str]):
    """``Forecaster.fit``'s ``date_column`` of the comparison's: 'none' (any case) reads the
    series without dates (False), as ``rnnlab forecast --date-column none``; None detects."""
    return False if (date_column or "").lower() == "none" else date_column


def check_series(cfg: CompareConfig) -> None:
    """A forecasting comparison's series read as each fit reads it and checked as each fit
    checks it (:func:`~rnnlab.forecast.series_checks.check_series_fits`: too short for
    ``lookback``, constant), before the run directory is made: ``--lookback 100000`` made
    the folder, marked a run started, then stopped at the first fit. Every model gets the
    same split settings (:func:`.matching.forecast_config`): the first one stands for all."""
    if cfg.task != "forecast":
        return
    from ..data.datasets import resolve_data
    from ..forecast.series_checks import check_series_fits

    fcfg = forecast_config(cfg, cfg.models[0], cfg.hidden_size, cfg.seeds[0])
    series = resolve_data(cfg.data, fill=fcfg.fill, weekmask=fcfg.weekmask, column=cfg.column,
                          date_column=dates_read(cfg.date_column), off_grid=cfg.off_grid)
    check_series_fits(series, fcfg)


def run_forecast(cfg: CompareConfig, model: str, hidden: int, params: int, seed: int,
                 device_settings: Optional[dict] = None, progress=False) -> Tuple[dict, dict]:
    """(record of this model and seed, baselines' results on the same split).
    ``device_settings`` go to Forecaster.fit (accelerator, devices, precision, ...)."""
    fcfg = forecast_config(cfg, model, hidden, seed, progress)
    t0 = time.perf_counter()
    with impl_given_to_all(), warnings.catch_warnings():  # (a fused model's idle --impl)
        # (a time budget's stops: said once for all runs, in the report's budget_notes)
        warnings.simplefilter("ignore", TimeBudgetNote)
        f = Forecaster(config=fcfg).fit(cfg.data, column=cfg.column, off_grid=cfg.off_grid,
                                        date_column=dates_read(cfg.date_column),
                                        **(device_settings or {}))
    ev = f.evaluate()
    wall = time.perf_counter() - t0
    hist = f.histories[0]
    epochs_run = len(hist["epochs"])
    steps_seen = epochs_run * n_windows(f) * fcfg.lookback
    rec = {
        "model": model, "seed": seed, "hidden_size": hidden, "num_layers": fcfg.num_layers,
        "params": params, "path": hist.get("path", ""),
        "precision": hist.get("precision"),  # {layers: precision} as they trained
        "metrics": {"forecast": ev["forecast"]["model"], "one_step": ev["one_step"]["model"]},
        "train_seconds": hist["seconds"], "wall_seconds": wall,
        "steps_per_second": steps_seen / hist["seconds"] if hist["seconds"] else float("nan"),
        **cpu_fields(hist.get("cpu_seconds"), steps_seen),
        "best_epoch": hist.get("best_epoch"), "epochs_run": epochs_run,
        "stop_reason": hist.get("stop_reason"),
        **curve_record(hist["epochs"]),
        "predictions": {"forecast": ev["predictions"]["model"], "one_step": one_step_predictions(f)},
        "by_step_rmse": ev["by_step"]["model"]["rmse"],
    }
    baselines = {name: {"metrics": {"forecast": ev["forecast"][name],
                                    "one_step": ev["one_step"][name]},
                        "predictions": {"forecast": ev["predictions"][name],
                                        "one_step": _baseline_one_step(f, name)},
                        "by_step_rmse": ev["by_step"][name]["rmse"]}
                 for name in ev["forecast"] if name != "model"}
    series, pipeline = _fitted(f)
    if "drift" in baselines and not pipeline.lag:
        baselines["drift"]["note"] = DRIFT_FLAT
    context = {"actual": [float(v) for v in series.values], "n_train": f.n_train,
               "dates": None if series.index is None
               else [d.isoformat() for d in series.index],
               "name": series.name, "period": ev["period"], "test_size": ev["test_size"],
               # (the fit's OutlierWarning, for the report: warnings scroll away)
               "extreme_values": spike_note(series.name, series.values, series.labels())}
    return rec, {"baselines": baselines, "series": context}


def _fitted(f: Forecaster) -> Tuple[Series, Pipeline]:
    """The series and pipeline that ``f``'s fit set (typed as set: a fitted one has both)."""
    if f.series is None or f.pipeline is None:
        raise NotFittedError("this Forecaster is not fitted; call fit() first")
    return f.series, f.pipeline


def one_step_predictions(f: Forecaster) -> list:
    """Next-value predictions over the test part, each from the true history before it."""
    values, nt = _fitted(f)[0].values, f.n_train
    return [float(f.forecast_from(values[:nt + i], 1)[0]) for i in range(len(values) - nt)]


def _baseline_one_step(f: Forecaster, name: str) -> list:
    """A baseline's next-value predictions over the test part, each from the true history
    before it: the same calls as its ``one_step`` metrics in Forecaster.evaluate (every
    baseline; linear_ar0 had none, and its empty list broke the one-step plot)."""
    from ..forecast import baselines as B

    values = _fitted(f)[0].values
    nt, k = f.n_train, len(values) - f.n_train
    if name == "naive":
        def one(h): return B.naive(h, 1)
    elif name == "seasonal_naive":
        def one(h): return B.seasonal_naive(h, 1, f.period)
    else:  # drift, linear_ar, linear_ar0, arma, network: the forecaster's own
        def one(h): return f.forecast_with(name, h, 1)
    return [float(one(values[:nt + i])[0]) for i in range(k)]


def n_windows(f: Forecaster) -> int:
    """Training windows per epoch, counted as Forecaster.fit makes them."""
    cfg = f.config
    val = (0 if cfg.val_size == 0 else cfg.horizon if cfg.val_size is None
           else int(round(cfg.val_size)) if cfg.val_size >= 1
           else max(1, int(round(f.n_train * cfg.val_size))))
    series, pipeline = _fitted(f)
    z = pipeline.to_model(series.values[: f.n_train - val])
    ahead = cfg.horizon if cfg.strategy == "direct" else 1
    return max(0, len(z) - cfg.lookback - ahead + 1)

