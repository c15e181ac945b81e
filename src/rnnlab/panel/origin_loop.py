"""The loop of a backtest over its origins (:func:`rnnlab.panel.backtest.backtest`): each
model fitted at the first origin and every ``refit``-th, predicting from the history up to
the others; with checkpoints (:mod:`.backtest_checkpoints`), each fold kept as it is
computed and, resumed, read back in place of computing it again."""

from __future__ import annotations

import inspect
import time
from typing import Dict, List, Optional, Tuple

import pandas as pd

from ..data.outliers import quiet_spikes
from ..io.errors import ConfigError, ConfigTypeError
from ..train.budget_note import budget_model
from .backtest_args import instantiate, model_levels, model_name
from .backtest_checkpoints import BacktestCheckpoints, fold_settings
from .backtest_save import model_settings, panel_sha256, ran_paths
from .date_kind import restore_dates
from .fold_records import check_keepable
from .int_steps import STEPS
from .new_series import constant_static
from .origin_align import series_said
from .origin_cuts import Origins, with_df
from .origin_rows import future_after, join_forecasts


def run_record(panel, o: Origins, static, future_covariates, min_length: int) -> dict:
    """What every fold of a backtest depends on besides its model's settings (a resume
    with other values is refused: :mod:`.backtest_checkpoints`): the panel's table and its
    calendar (frequency, season, week), which the table alone does not tell."""
    from .checkpoints import static_sha256

    columns = [] if static is None else [c for c in static.columns if c != "unique_id"]
    freq = getattr(panel, "freq", None)
    return {"data_sha256": panel_sha256(panel), "static_sha256": static_sha256(static, columns),
            "freq": None if freq is None else str(getattr(freq, "freqstr", freq)),
            "period": getattr(panel, "period", None), "week": getattr(panel, "week", None),
            "horizon": o.horizon, "offsets": list(o.offsets), "refit": o.refit,
            "align": o.align, "min_length": min_length,
            "future_covariates": None if future_covariates is None else list(future_covariates)}


def _takes_history(model) -> bool:
    """Whether ``model.predict`` takes the protocol's ``history=`` keyword."""
    params = inspect.signature(model.predict).parameters
    return "history" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())


def forecast_models(models, o: Origins, given, quantiles, progress,
                    ck: BacktestCheckpoints) -> Tuple[List[pd.DataFrame], Dict[str, float],
                                                      Dict[str, dict], Dict[str, str]]:
    """(the forecasts, the seconds, the settings and the recurrent paths of each model) of
    ``models`` (label or None, factory) at every origin, in order
    (:func:`forecast_origins`); a baseline (label None) is built with ``quantiles``, else
    the first model's levels. A path is its last fit's (:func:`.backtest_save.ran_paths`),
    for a network that was fitted (a resume that read every fold back fits none)."""
    frames: List[pd.DataFrame] = []
    seconds: Dict[str, float] = {}
    settings: Dict[str, dict] = {}
    paths: Dict[str, str] = {}
    main = None
    for label, factory in models:
        shown = label or (factory if isinstance(factory, str) else getattr(
            factory, "name", getattr(factory, "__name__", type(factory).__name__)))
        if label is None:  # a baseline, built with the model's levels (fitted by now)
            factory = instantiate(factory, quantiles if quantiles is not None
                                  else model_levels(main))
        if progress is not None:
            n = len(o.offsets)
            progress(f"{shown}: {series_said(o.cuts, o.truths)}, {n} "
                     f"origin{'s' if n != 1 else ''}")
        t0 = time.perf_counter()
        with quiet_spikes():  # (said once, by the backtest)
            label, model, before = forecast_origins(label, factory, o, given, seconds, frames,
                                                    progress, ck)
        seconds[label] = time.perf_counter() - t0 + before  # (before: folds read back)
        settings[label] = model_settings(model)
        if ran_paths(model):
            paths[label] = ran_paths(model)
        main = model if main is None else main
    return frames, seconds, settings, paths


def forecast_origins(label: Optional[str], factory, o: Origins, given, taken: Dict[str, float],
                     frames: List[pd.DataFrame], progress=None,
                     ck: BacktestCheckpoints = BacktestCheckpoints()):
    """(the model's label, its last model, the seconds of the folds read back) after
    adding its forecasts at every origin to ``frames``: fitted at the first origin and
    every ``refit``-th, else predicting from the history up to the origin. ``given``:
    (static, future_covariates); ``taken``: the labels of the models before it. A fold
    ``ck`` kept is read back; a model whose folds up to its next refit are all read back
    is not fitted (its settings are still checked against the folds')."""
    (static, future_covariates), df = given, o.panel.df
    model, t0, before, fitted_at = None, time.perf_counter(), 0.0, None
    for j, (cut, truth) in enumerate(zip(o.cuts, o.truths)):
        t_fold = time.perf_counter()
        if model is None or (o.refit != "never" and j % o.refit == 0):
            model, fit_at, fitted_at = factory(), (j, cut), None
        label = label or model_name(model)  # (named by its first model)
        if j == 0:
            if label in taken:
                raise ConfigError(f"backtest: two models are named {label!r} (the "
                                  f"model's name= or a baseline's .name); give each its "
                                  f"own name")
            ck.check_model(label, fold_settings(model))
        kept = ck.kept(label, j)
        if kept is not None:
            frames.append(kept[0])
            before += kept[1]
        else:
            ck.computing()  # (a resume's warning of other versions, where it is true)
            if fitted_at is None:  # (at its origin, or later: the folds before read back)
                fitted_at, fitted_cut = fit_at
                with budget_model(label):  # (a time budget's note names the model)
                    model.fit(fitted_cut, static=static if static is not None else
                              constant_static(df, getattr(getattr(model, "config", None),
                                                          "static_covariates", None)),
                              **ck.fit_options(model, label, fitted_at))
            frames.append(_fold(model, o, j, (cut, truth), future_covariates,
                                j == fitted_at, label))
            if ck.directory is not None:  # (a column no kept fold reads back: refused now)
                check_keepable(frames[-1], f"model {label!r}'s forecasts at origin {j + 1} "
                                           f"of {len(o.cuts)}")
            ck.keep(label, j, frames[-1], time.perf_counter() - t_fold)
        if progress is not None:
            _said_origin(progress, label, j, len(o.cuts), time.perf_counter() - t0)
    return label, model, before


def _fold(model, o: Origins, j: int, at, future_covariates, fresh: bool, label: str):
    """Model ``label``'s forecasts at origin ``j`` joined to the truth (``at``: the cut
    and the truth there); ``fresh``: fitted at this origin."""
    cut, truth = at
    df = o.panel.df
    future = future_after(df, o.pos, o.offsets[j], o.horizon,
                          set(pd.unique(truth["unique_id"])), future_covariates, model)
    truth, future, history = _scored(model, cut, truth, future, fresh, o.horizon)
    if future is not None and getattr(o.panel, "ds_period", None) == STEPS:
        future = restore_dates(future, STEPS)  # as the user gives them
    pred = _predict(model, o, future, history)
    return join_forecasts(pred, truth, label, o.horizon)


def _scored(model, cut, truth, future, fresh: bool, horizon: int):
    """(truth, future, history) of the series scored at an origin: those with values
    after it and, for a model that reads future covariates, their whole horizon
    (align='date': series that end before or within it). Where some series of ``cut`` are
    not scored and the model takes ``history=``, it forecasts from ``cut`` without them
    (it is not asked for the horizon of a series whose future it is not given); else
    ``history`` is ``cut`` after a fresh fit's origin and None at it, as always."""
    n = None if future is None else future.groupby("unique_id", sort=False)[
        "unique_id"].transform("size").to_numpy()
    if n is not None and (n != horizon).any():
        future = future[n == horizon].reset_index(drop=True)
        truth = truth[truth["unique_id"].isin(set(pd.unique(future["unique_id"])))]
    ids = set(pd.unique(truth["unique_id"]))
    history = None if fresh else cut
    if len(ids) < len(cut.ids) and _takes_history(model):
        history = with_df(cut, cut.df[cut.df["unique_id"].isin(ids).to_numpy()])
    return truth, future, history


def _said_origin(progress, label: str, j: int, n: int, spent: float) -> None:
    """``label: origin j+1/n done, S s; about R s left`` (the rest estimated from the
    origins done)."""
    left = spent / (j + 1) * (n - j - 1)
    progress(f"{label}: origin {j + 1}/{n} done, {spent:.1f} s"
             + (f"; about {left:.0f} s left" if j + 1 < n else ""))


def _predict(model, o: Origins, future, history) -> pd.DataFrame:
    """The model's forecast from the end of what it was fitted on (``history`` None), or
    from ``history``, the panel up to a later origin (a model without refitting)."""
    if history is None:
        return model.predict(o.horizon, future=future)
    if not _takes_history(model):
        raise ConfigTypeError(
            f"{type(model).__name__}.predict() has no history= keyword, which "
            f"refit={o.refit!r} needs to predict from later origins without "
            f"refitting; pass refit=1 or add predict(..., history=None)")
    return model.predict(o.horizon, future=future, history=history)


__all__ = ["forecast_models", "forecast_origins", "run_record"]
