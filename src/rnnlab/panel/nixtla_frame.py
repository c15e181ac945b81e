"""A forecast or backtest frame of ours in statsforecast's and NeuralForecast's columns:
a column per model (``AutoETS``), its central intervals as ``AutoETS-lo-80`` and
``AutoETS-hi-80``, the median as ``AutoETS-median``, the origin as ``cutoff``. Code
written for their frames (plots, utilsforecast's ``evaluate``, a report) reads ours so,
and ``rnnlab score`` reads it back (:mod:`rnnlab.panel.peer_columns`)."""

from __future__ import annotations

import re
from typing import Mapping, Union

import pandas as pd

from ..io.errors import ConfigError, DataError
from .blank_models import refuse_blank_models
from .blank_models import said as _said

# the columns of ours that are no model's values and name no row
_NOT_KEYS = ("model", "step", "mean", "y", "origin", "scale", "rms_scale")
_LEVEL = re.compile(r"^q(0?\.\d+)$")


def nixtla_frame(forecasts: pd.DataFrame,
                 name: Union[str, Mapping[str, str], None] = None) -> pd.DataFrame:
    """``forecasts`` (``predict``'s, a baseline's, or a backtest's ``res.forecasts``) with
    statsforecast's columns: ``unique_id`` (and key columns), ``ds``, ``cutoff`` (a
    backtest's origin), ``y`` where given, then per model its point forecast under its
    name, ``-lo-L``/``-hi-L`` for each pair of levels ``q`` and ``1 - q`` (``q0.1`` and
    ``q0.9``: ``-lo-80``, ``-hi-80``), ``-median`` for ``q0.5`` and ``_ql{q}`` for a level
    without its pair (NeuralForecast's). ``name``: the model's name where the frame has no
    ``model`` column (``"LSTM"``); with one, a mapping renaming its models
    (``{"ets": "AutoETS"}``), the others keeping theirs. Rows and values as given;
    ``unique_id`` (and ``ds``) as index levels read as the columns they are, as accuracy()
    reads them.

    Two things are refused rather than guessed, as their frame cannot hold them: rows whose
    ``model`` is blank (each value lives in its model's column; such a row has none, and its
    values were dropped without a word), and an ``origin`` beside a ``cutoff`` column that
    differs from it (their frame has one ``cutoff``: which of the two it is, is not
    known; the rename gave two columns of one name and pandas' "not unique"). An
    ``origin`` equal to ``cutoff`` on every row says the same: one ``cutoff`` is kept."""
    from .peer_columns import with_id_column

    forecasts = with_id_column(forecasts)  # (set_index(["unique_id", "ds"]): its columns)
    if not isinstance(forecasts, pd.DataFrame) or not {"unique_id", "ds", "mean"} <= set(
            forecasts.columns):
        # (the one-series Forecaster's predict(h, quantiles=...): dates as the index)
        one = isinstance(forecasts, pd.DataFrame) and "mean" in forecasts.columns \
            and "ds" not in forecasts.columns
        raise DataError("nixtla_frame takes a forecast frame of unique_id, ds, mean (and q "
                        "columns): predict()'s, or a backtest's res.forecasts; got "
                        + (f"the columns {list(forecasts.columns)}" if isinstance(
                            forecasts, pd.DataFrame) else type(forecasts).__name__)
                        + ("; a one-series Forecaster's forecast, dated by its index: "
                           "nixtla_frame(fc.rename_axis('ds').reset_index().assign("
                           "unique_id='y'), name='LSTM')" if one else ""))
    frame = _one_cutoff(forecasts).rename(columns={"origin": "cutoff"})
    if "model" not in frame.columns:
        if not isinstance(name, str) or not name:
            raise ConfigError(f"nixtla_frame: name the model, as its columns will be named: "
                              f"nixtla_frame(fc, name='LSTM'); got name={name!r}")
        frame = frame.assign(model=name)
    elif isinstance(name, str):
        raise ConfigError(f"nixtla_frame: the frame names its models in its 'model' column "
                          f"({', '.join(map(str, frame['model'].unique()))}); name= renames "
                          f"them as a mapping, name={{'ets': 'AutoETS'}}, got {name!r}")
    else:
        refuse_blank_models(frame, "nixtla_frame", "the frame's", "and each model's values "
                            "go to its own column")
        frame = frame.assign(model=_renamed(frame["model"], dict(name or {})))
    # unique_id first, then ds and cutoff, as theirs (res.forecasts has origin before ds)
    rest = [c for c in frame.columns if c not in _NOT_KEYS + ("unique_id", "ds", "cutoff")
            and not _LEVEL.match(str(c))]
    keys = ["unique_id"] + rest + [c for c in ("ds", "cutoff") if c in frame.columns]
    # each row's actuals from whichever model has the row (the first model's alone left y
    # empty where it lacked a series another model forecast)
    out = frame[keys + (["y"] if "y" in frame.columns else [])].drop_duplicates(keys)
    for model, rows in frame.groupby("model", sort=False):
        wide = rows[keys].copy()
        for column, values in _model_columns(str(model), rows).items():
            wide[column] = values.to_numpy()
        out = out.merge(wide, on=keys, how="left", sort=False)
    return out.reset_index(drop=True)


def _one_cutoff(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its ``origin`` where it has a ``cutoff`` that equals it; a
    DataError naming the first row where the two differ."""
    if not {"origin", "cutoff"} <= set(frame.columns):
        return frame
    mine, theirs = frame["origin"], frame["cutoff"]
    differ = ~((mine == theirs) | (mine.isna() & theirs.isna())).to_numpy()
    if not differ.any():
        return frame.drop(columns="origin")
    row = frame.loc[differ].iloc[0]
    raise DataError(f"nixtla_frame: the frame has both an 'origin' and a 'cutoff' column, "
                    f"which differ on {int(differ.sum())} rows (series {row['unique_id']} on "
                    f"{_said(row['ds'])}: origin {_said(row['origin'])}, cutoff "
                    f"{_said(row['cutoff'])}); "
                    f"statsforecast's frame has one cutoff, the last date of the data each "
                    f"forecast was made from: drop or rename the column that is not that "
                    f"(fc.drop(columns='origin'))")


def _renamed(models: pd.Series, mapping: Mapping) -> pd.Series:
    """``models`` renamed by ``mapping``, refusing a name that is no model's and a rename
    that gives two models one name (their rows would be merged as one model's, each row
    twice)."""
    unknown = [k for k in mapping if k not in set(models)]
    if unknown:  # (name={"ETS": ...} for a model "ets" left its columns named "ets")
        raise ConfigError(f"nixtla_frame: name= renames {', '.join(map(repr, unknown))}, "
                          f"not a model of the frame, whose models are "
                          f"{', '.join(map(repr, models.unique()))}")
    new = models.map(lambda m: mapping.get(m, m))
    pairs = pd.DataFrame({"was": models, "now": new}).drop_duplicates()
    shared = pairs[pairs["now"].duplicated(keep=False)]
    if len(shared):
        said = "; ".join(f"{now!r} from {', '.join(map(repr, g['was']))}"
                         for now, g in shared.groupby("now", sort=False))
        raise ConfigError(f"nixtla_frame: name= gives two models one name ({said}); each "
                          f"model needs its own columns: rename to names the frame's "
                          f"other models do not have")
    return new


def _model_columns(model: str, rows: pd.DataFrame) -> dict:
    """``{column: values}``: ``model``'s point forecast, then its intervals widest first on
    the low side (statsforecast's order: lo-95, lo-80, hi-80, hi-95), its median, and any
    level without a pair."""
    found = {c: _LEVEL.match(str(c)) for c in rows.columns}
    levels = {round(float(m[1]), 10): c for c, m in found.items() if m is not None}
    lows = sorted(q for q in levels if q < 0.5 and round(1 - q, 10) in levels)
    out = {model: rows["mean"]}
    for q in lows:
        out[f"{model}-lo-{_width(q)}"] = rows[levels[q]]
    for q in reversed(lows):
        out[f"{model}-hi-{_width(q)}"] = rows[levels[round(1 - q, 10)]]
    if 0.5 in levels:
        out[f"{model}-median"] = rows[levels[0.5]]
    paired = set(lows) | {round(1 - q, 10) for q in lows} | {0.5}
    for q in sorted(set(levels) - paired):
        out[f"{model}_ql{q:g}"] = rows[levels[q]]
    return out


def _width(q: float) -> str:
    """The central interval of levels ``q`` and ``1 - q``, in percent (0.1: '80')."""
    return f"{round(100 * (1 - 2 * q), 8):g}"


__all__ = ["nixtla_frame"]
