"""NeuralForecast's and statsforecast's forecast frames (``unique_id, ds`` and one column
per model: ``LSTM``, ``LSTM-median``, ``LSTM-lo-80``, ``LSTM-hi-80``) read as ours by
``rnnlab score`` / :func:`~rnnlab.forecast.scoring.score_forecast`: one model's columns,
renamed (``mean``, ``q0.5``, ``q0.1``, ``q0.9``; a quantile loss's median as the point),
picked by ``--model NAME`` where the frame holds several or no interval names it. The
command line has no pandas to rename them in: they were refused, listing our forms."""

from __future__ import annotations

import re
from typing import NoReturn, Optional

import pandas as pd

from ..io.errors import DataError
from ..panel.peer_columns import peer_renames, with_id_column

_OWN = ("unique_id", "ds", "cutoff", "y", "model", "mean")


def as_ours(forecast: pd.DataFrame, model: Optional[str]) -> pd.DataFrame:
    """``forecast`` with its ``unique_id`` index as a column (NeuralForecast before 1.7),
    and a peer's model columns as ours (:func:`peer_forecast`)."""
    forecast = with_id_column(forecast)
    peer = peer_forecast(forecast, model)
    return forecast if peer is None else peer


def peer_forecast(forecast: pd.DataFrame, model: Optional[str]) -> Optional[pd.DataFrame]:
    """``forecast`` as ours (``unique_id, ds, [cutoff,] mean, q..., model``) when it is a
    peer's frame of model columns; None when it is not one (ours, or another form)."""
    cols = [str(c) for c in forecast.columns]
    if not {"unique_id", "ds"} <= set(cols) or "mean" in cols or "model" in cols:
        return None
    found = peer_renames(cols)
    if model is None and len(found) != 1:
        return None if not found else _refuse_several(sorted(found))
    points = _point_models(forecast, found)  # (statsforecast's Naive beside LSTM's bands)
    if model is None and points:
        _refuse_several(sorted([*found, *points]))
    name = model if model is not None else next(iter(found))
    owner = next((m for m, renames in found.items() if name in renames and name != m), None)
    if owner is not None and name not in found:
        raise DataError(f"{name!r} is not a model but a column of model {owner!r} (its "
                        f"level {found[owner][name][1:]}); pass --model {owner} "
                        f"(score_forecast(..., model={owner!r}) in Python), which scores "
                        f"its point and all its levels")
    if not isinstance(name, str) or (name not in found and name not in cols):
        candidates = sorted(found) or [c for c in cols if c not in _OWN]
        raise DataError(f"model {name!r} is not a model of the forecast, whose columns are "
                        f"NeuralForecast's of {', '.join(candidates)}; pass one of them with "
                        f"--model NAME (score_forecast(..., model=NAME) in Python)")
    renames = dict(found.get(name, {}))
    if name in cols:
        renames[name] = "mean"
    if "mean" not in renames.values():  # (a quantile loss: its median is the point)
        median = next((c for c, q in renames.items() if q == "q0.5"), None)
        if median is None:
            _refuse_no_point(name, renames)
        renames = {**renames, median: "q0.5"}
        forecast = forecast.assign(**{"_mean": forecast[median]})
        renames["_mean"] = "mean"
    keep = ["unique_id", "ds"] + [c for c in ("cutoff",) if c in cols] + list(renames)
    return forecast[keep].rename(columns=renames).assign(model=name)


def _point_models(forecast: pd.DataFrame, found) -> list:
    """The numeric columns of ``forecast`` that are neither ours nor a column of a model
    in ``found``: other models' point forecasts."""
    theirs = {c for renames in found.values() for c in renames} | set(found)
    return [str(c) for c in forecast.columns if str(c) not in _OWN
            and str(c) not in theirs and pd.api.types.is_numeric_dtype(forecast[c])
            and not _UNNAMED.fullmatch(str(c))]


# pandas' name for a column without one: the row numbers of df.to_csv(path) without
# index=False, read back (scored as a model "Unnamed: 0" beside the file's own)
_UNNAMED = re.compile(r"Unnamed: \d+")


def _refuse_several(names) -> NoReturn:
    raise DataError(f"the forecast holds NeuralForecast's columns of {len(names)} models "
                    f"({', '.join(names)}); name the one to score: --model {names[0]} "
                    f"(score_forecast(..., model={names[0]!r}) in Python)")


def _refuse_no_point(name: str, renames) -> NoReturn:
    raise DataError(f"model {name!r} has the interval or quantile columns "
                    f"{', '.join(renames)} but no point forecast: its column {name!r}, "
                    f"{name + '-median'!r} or {name + '_ql0.5'!r} (NeuralForecast's median), "
                    f"which our mean column is; predict with level 0.5 among the quantiles "
                    f"(or keep the model's point column) and score that frame")


def point_columns_hint(forecast: pd.DataFrame) -> str:
    """For a frame of ``unique_id, ds`` and point columns without interval names (a
    NeuralForecast or statsforecast frame of point forecasts: ``LSTM``, ``AutoETS``): the
    ``--model`` that scores one of them; '' for another frame."""
    cols = [str(c) for c in forecast.columns]
    levels = {c for renames in peer_renames(cols).values() for c in renames}
    models = [c for c in cols if c not in _OWN and c not in levels  # (not M-lo-80, M_ql0.1)
              and pd.api.types.is_numeric_dtype(forecast[c])]
    if not {"unique_id", "ds"} <= set(cols) or "mean" in cols or not models:
        return ""
    return (f"; a frame of a column per model (NeuralForecast's, statsforecast's: "
            f"{', '.join(models[:4])}) is scored one model at a time: --model {models[0]} "
            f"(score_forecast(..., model={models[0]!r}) in Python)")
