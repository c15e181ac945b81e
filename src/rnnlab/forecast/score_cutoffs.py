"""A forecast of several cutoffs read for ``rnnlab score``: NeuralForecast's and
statsforecast's ``cross_validation`` frames (column ``cutoff``) and ``rnnlab backtest``'s
``forecasts.csv`` (column ``origin``), each row a forecast made with the data up to its
cutoff. They were refused, pointing to :func:`rnnlab.panel.accuracy`; now every (model,
cutoff) pair is scored (:mod:`.score_cutoff_metrics`). This module reads the frame as one
long table of all its models, checks it (no row twice; its cutoffs read as dates and
checked by :mod:`.score_cutoff_dates`) and reads each (model, cutoff)'s dates on the
actuals' calendar."""

from __future__ import annotations

from typing import List, Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..listing import first_few

from .score_cutoff_dates import (CUTOFF, check_before_dates, in_ds_zone, on_ds_clock,
                                 read_cutoffs)

NAMES = ("cutoff", "origin")  # NeuralForecast's, statsforecast's, utilsforecast's; ours


def cutoff_column(frame) -> Optional[str]:
    """The column of ``frame`` naming each row's cutoff (``cutoff``, else ``origin``), or
    None (a Series, a frame without one)."""
    columns = set(map(str, getattr(frame, "columns", ())))
    return next((n for n in NAMES if n in columns), None)


def several_cutoffs(frame) -> bool:
    """Whether ``frame`` is a forecast of two or more cutoffs, or of one beside rows with
    none (refused by :func:`read_cutoffs`: scored as one cutoff's, the blank rows, other
    cutoffs' forecasts, were scored and scaled as that cutoff's without a word)."""
    name = cutoff_column(frame)
    if name is None:
        return False
    given = frame[name].dropna()
    return given.nunique() > 1 or 0 < len(given) < len(frame)


def per_cutoff(frame, model: Optional[str]) -> bool:
    """Whether ``frame`` is scored per (model, cutoff) (:mod:`.score_cutoff_metrics`):
    a forecast of several cutoffs, or of one cutoff and several models with none named
    (NeuralForecast's ``cross_validation(n_windows=1)``, refused for its models where
    ``n_windows=2`` scored them all), or of one model's columns in NeuralForecast's form
    (``LSTM`` alone: read as one forecast, it was refused asking for ``--model``, where two
    were scored; ``LSTM`` with ``LSTM-lo-80``, ``LSTM-hi-80``: scored as one forecast named
    "forecast", where the same frame without its intervals was named ``LSTM``). Not a
    cutoff column blank on every row: it names no cutoff, and the frame is scored as
    without it, as ours (``mean``) is (refused, it said to drop every row)."""
    name = cutoff_column(frame)
    if name is None or frame[name].isna().all():
        return False
    if several_cutoffs(frame):
        return True
    if model is not None:
        return False
    try:
        models = all_models(frame, None)["model"].nunique()
    except DataError:  # (no form of several models: read and refused as one forecast)
        return False
    return models > 1 or "mean" not in set(map(str, frame.columns))  # (a peer's columns)


def all_models(forecast: pd.DataFrame, model: Optional[str]) -> pd.DataFrame:
    """``forecast`` as one long table (``unique_id`` or key columns, ``ds``, ``cutoff``,
    ``mean``, ``q...``, ``model``) of all its models, or of ``model`` alone: ours (a
    ``model`` column, or none: one model's, named "forecast"), or NeuralForecast's and
    statsforecast's column per model (``LSTM``, ``LSTM-lo-80``, ...)."""
    from ..panel.peer_columns import with_id_column
    from .score_models import no_model_column, one_model, refuse_unnamed

    forecast = with_id_column(forecast)
    name = cutoff_column(forecast)
    cols = set(map(str, forecast.columns))
    if "mean" in cols:
        if "model" in cols:
            if model is None:
                refuse_unnamed(forecast)
            table = one_model(forecast, model) if model is not None else forecast
        else:
            no_model_column(model, forecast.columns)
            table = forecast.assign(model="forecast")
    else:
        table = _peer_models(forecast, model)
    if name != CUTOFF:
        table = table.drop(columns=[CUTOFF], errors="ignore").rename(columns={name: CUTOFF})
    return table.assign(model=table["model"].astype(str)).reset_index(drop=True)


def _peer_models(forecast: pd.DataFrame, model: Optional[str]) -> pd.DataFrame:
    """A peer's frame of a column per model as our long table, one model's rows after
    another's (``model``'s alone when given)."""
    from ..panel.peer_columns import peer_renames
    from .score_input import FORMS
    from .score_peer import _point_models, peer_forecast

    cols = [str(c) for c in forecast.columns]
    found = peer_renames(cols)
    names: List[str] = [model] if model is not None else [
        *sorted(found), *(n for n in _point_models(forecast, found) if n not in _NOT_MODELS)]
    if names and "ds" in cols and "unique_id" not in cols:  # (one series' frame: its id
        forecast = forecast.assign(unique_id="")  # the actuals' one, as ours: one_series_ids)
    if not names or "ds" not in cols:
        raise DataError(f"the forecast has a cutoff column but no model's forecasts (columns "
                        f"{', '.join(cols)}); expected one of: {FORMS}, with a cutoff or "
                        f"origin column, or NeuralForecast's cross_validation frame "
                        f"(unique_id, ds, cutoff, y, LSTM, ...)")
    return pd.concat([peer_forecast(forecast, n) for n in names], ignore_index=True)


_NOT_MODELS = ("origin", "step", "index")  # numeric columns that are no model's forecast


def one_cutoff(table: pd.DataFrame, truth, fc: pd.DataFrame):
    """The cutoff of a forecast of one (its column in ``table`` read as
    :func:`read_cutoffs` reads it, checked before each date of ``fc``, the forecast read
    on the actuals' calendar), or None: no cutoff column, only blanks, or
    values that are no dates of the actuals' kind (labels: each series is then scaled by
    its values before its first forecast date)."""
    name = cutoff_column(table)
    given = table[name].dropna() if name is not None else pd.Series([], dtype=object)
    if given.empty:
        return None
    try:
        cuts = read_cutoffs(pd.DataFrame({CUTOFF: given}), truth)
    except DataError:
        return None
    if "ds" in table.columns:  # (out of the try: a refusal here is no label's)
        cuts = on_ds_clock(given, cuts, table["ds"], truth)
    cut = cuts.iloc[0]
    fc = in_ds_zone(fc.assign(**{CUTOFF: cut}))  # (a zone beside none: refused)
    check_before_dates(fc)
    return fc[CUTOFF].iloc[0] if len(fc) else cut


def one_series_ids(table: pd.DataFrame, truth) -> pd.DataFrame:
    """``table`` of a forecast that names no series (``ds, cutoff, mean``: no unique_id,
    no key columns, its ids blank) as one of the actuals' series where they hold one (it
    was "none of the forecast's rows has an actual", the dates all there); a DataError
    where they hold several."""
    if not table["unique_id"].astype(str).eq("").all():
        return table
    ids = list(pd.unique(truth.df["unique_id"]))
    if len(ids) == 1:
        return table.assign(unique_id=ids[0])
    cols = [str(c) for c in table.columns if c not in ("unique_id", "model")]  # (ours)
    raise DataError(f"the forecast names no series (no unique_id column, nor key columns: "
                    f"{', '.join(cols)}) and the actuals hold {len(ids)}: "
                    f"{first_few(ids, 5)}; add a unique_id column naming each forecast row's "
                    f"series, or pass the actuals of that series alone")


def check_no_repeats(table: pd.DataFrame) -> None:
    """A DataError for a (model, series, date, cutoff) given twice: two forecasts of one
    date from one cutoff (files concatenated twice?) would be scored as two."""
    keys = ["model", "unique_id", "ds", CUTOFF]
    twice = table.duplicated(keys, keep=False).to_numpy()
    if not twice.any():
        return
    first = table.loc[twice].iloc[0]
    said = [f"{r.unique_id} {r.ds} (cutoff {r.cutoff})" for r in
            table.loc[twice, keys].drop_duplicates().itertuples()]
    of_model = "" if table["model"].nunique() == 1 else f" of model {first['model']!r}"
    raise DataError(f"the forecast gives {len(said)} (series, date, cutoff) more than once"
                    f"{of_model}: {first_few(said, 3)}; each cutoff forecasts a series' date "
                    f"once: drop the repeated rows (df.drop_duplicates(['unique_id', 'ds', "
                    f"'cutoff'])) or keep each model's in its own column or model name")


def dated(table: pd.DataFrame, truth) -> pd.DataFrame:
    """Every (model, cutoff)'s forecast read on the actuals' calendar (``truth``), as one
    long frame with ``model`` and ``cutoff`` columns (each (cutoff, series) read as a
    series of its own: one series' date is forecast once per cutoff and model)."""
    parts = [_model_dated(rows, truth, str(name), table[CUTOFF].dtype)
             for name, rows in table.groupby("model", sort=True)]
    fc = in_ds_zone(pd.concat(parts, ignore_index=True))
    check_before_dates(fc)
    order = {m: k for k, m in enumerate(pd.unique(table["model"]))}  # (the file's order)
    return fc.sort_values(CUTOFF, kind="stable").sort_values(
        "model", key=lambda m: m.map(order), kind="stable").reset_index(drop=True)


_APART = "\x1f"  # between a cutoff's number and a series' id: each (cutoff, series) a series


def _model_dated(rows: pd.DataFrame, truth, name: str, dtype) -> pd.DataFrame:
    """One model's forecasts at all its cutoffs read in one pass, each (cutoff, series)
    named apart; where that pass refuses or warns, read again a cutoff at a time, so that
    what is said names the file's series (a read per (model, cutoff) took 3.4 of 4.9 s
    on 72,000 rows of 10 cutoffs: benchmarks/score_cutoffs_speed.py)."""
    import warnings

    codes, cuts = pd.factorize(rows[CUTOFF], sort=True)
    apart = rows.assign(unique_id=pd.Series(codes, index=rows.index).astype(str) + _APART
                        + rows["unique_id"].astype(str))
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            part = _read(apart, truth)
        again = bool(said)
    except DataError:
        again = True
    if again:  # (again, cutoff by cutoff: the refusal or warning said of the file's ids)
        part = pd.concat([_read(g, truth).assign(unique_id=lambda t: str(k) + _APART
                                                 + t["unique_id"])
                          for k, g in rows.groupby(codes, sort=True)], ignore_index=True)
    at, named = pd.factorize(part["unique_id"])  # (each (cutoff, series) split once)
    split = [u.partition(_APART) for u in named]
    part["unique_id"] = np.array([s[2] for s in split], dtype=object)[at]
    part["model"] = name
    code = np.array([int(s[0]) for s in split], dtype=np.int64)[at]
    part[CUTOFF] = pd.Series(cuts.take(code), index=part.index, dtype=dtype)
    return part


def _read(rows: pd.DataFrame, truth) -> pd.DataFrame:
    """``rows`` read on the actuals' calendar, without the quantile columns they leave
    blank (a model without the levels another has: none of its own)."""
    from .score_actuals import forecast_on
    from .score_input import _quantile_columns

    unused = [c for c in _quantile_columns(rows) if rows[c].isna().all()]
    return forecast_on(truth, rows.drop(columns=[CUTOFF, *unused]))
