"""The rows of one backtest origin: the held-out truth after it, the future covariates
over its horizon, and a model's forecasts joined to the truth (checked: columns, monotone
quantiles, dates)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
from pandas.api.types import is_string_dtype

from . import metrics as M
from .int_steps import is_steps, steps_to_dates
from ..io.errors import DataError


def truth_after(df, pos, off, horizon, ids, period, history=None) -> pd.DataFrame:
    """The held-out values after the origin ``off`` steps before the end (``pos``: each
    row's steps before its series' end or the panel's, :mod:`.origin_align`), with
    the origin's date and the MASE scale of the series' history up to it (``history``:
    those rows as the models get them, a fill that read ahead redone: :mod:`.refill`)."""
    keep = df["unique_id"].isin(ids).to_numpy()
    sel = keep & (pos < off) & (pos >= off - horizon)
    after = df[sel]
    truth = pd.DataFrame({"unique_id": after["unique_id"].to_numpy(),
                          "ds": after["ds"].to_numpy(), "step": off - pos[sel],
                          "y": after["y"].to_numpy(np.float64)})
    hist = df[keep & (pos >= off)] if history is None else history
    g = hist.groupby("unique_id", sort=False)
    origin = g["ds"].last()
    scale = g["y"].apply(lambda y: M.mase_scale(y.to_numpy(), period))
    rms = g["y"].apply(lambda y: M.rmsse_scale(y.to_numpy(), period))
    truth["origin"] = truth["unique_id"].map(origin)
    truth["scale"] = truth["unique_id"].map(scale).astype(np.float64)
    truth["rms_scale"] = truth["unique_id"].map(rms).astype(np.float64)  # RMSSE's
    return truth


def future_after(df, pos, off, horizon, ids, columns, model) -> Optional[pd.DataFrame]:
    if columns is None:  # the model's own (GlobalForecaster keeps them in its config)
        columns = (getattr(model, "future_covariates", None)
                   or getattr(getattr(model, "config", None), "future_covariates", None) or ())
    cols = list(columns)
    if not cols:
        return None
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"future covariates {missing} are not columns of the panel "
                        f"({list(df.columns)}); check --future-covariates")
    sel = df["unique_id"].isin(ids).to_numpy() & (pos < off) & (pos >= off - horizon)
    return df.loc[sel, ["unique_id", "ds"] + cols].reset_index(drop=True)


def join_forecasts(pred: pd.DataFrame, truth: pd.DataFrame, label: str, horizon: int) -> pd.DataFrame:
    need = {"unique_id", "step", "mean"}
    if not need <= set(pred.columns):
        raise DataError(f"model {label!r} returned columns {list(pred.columns)}; a forecast "
                        f"needs unique_id, ds, step, mean (and q... columns)")
    qcols = [M.quantile_column(t) for t in M.quantile_levels(pred.columns)]
    if len(qcols) > 1:
        q = pred[qcols].to_numpy(np.float64)
        bad = int((np.diff(q, axis=1) < -1e-9 * (1 + np.abs(q[:, 1:]))).any(axis=1).sum())
        if bad:
            raise DataError(f"model {label!r} returned quantiles that decrease with the "
                            f"level in {bad} rows; quantile forecasts must be monotone: sort "
                            f"each row's quantiles (np.sort(q, axis=1)) before returning them")
    p = pred[["unique_id", "step", "mean"] + qcols + (["ds"] if "ds" in pred else [])]
    if is_string_dtype(truth["unique_id"]) and not is_string_dtype(p["unique_id"]):
        p = p.assign(unique_id=p["unique_id"].astype(str))  # ids given back typed (.ids)
    out = truth.merge(p, on=["unique_id", "step"], how="inner", suffixes=("", "_pred"))
    if "ds_pred" in out:
        said = out["ds_pred"]  # (given back as periods where the panel's dates were: .date_kind)
        said = said.dt.to_timestamp() if isinstance(said.dtype, pd.PeriodDtype) else said
        if is_steps(said):  # integer time steps given back (.int_steps)
            said = steps_to_dates(said, "forecasts", "ds")
        wrong = out["ds"].to_numpy() != pd.to_datetime(said).to_numpy()
        if wrong.any():
            r = out[wrong].iloc[0]
            raise DataError(f"model {label!r} dated its step {r['step']} forecast of series "
                            f"{r['unique_id']!r} {r['ds_pred']}, but the data has {r['ds']} "
                            f"there; check the panel's frequency")
        out = out.drop(columns="ds_pred")
    out.insert(0, "model", label)
    cols = ["model", "unique_id", "origin", "ds", "step", "y", "mean"] + qcols + ["scale"]
    cols += ["rms_scale"] if "rms_scale" in out else []
    return out[cols]
