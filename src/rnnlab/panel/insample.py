"""In-sample (historical) forecasts of a fitted :class:`~rnnlab.panel.model.GlobalForecaster`
(NeuralForecast's ``predict_insample(step_size=...)``, Darts' ``historical_forecasts``
with ``retrain=False``): its forecasts from every cutoff of a panel (the one fitted on),
its weights unchanged.

Each forecast is the one ``predict(history=panel.cut(k))`` gives, k = 1, 1 + step_size,
1 + 2 step_size... steps back from each series' end, as long as a full look-back (and
seasonal lag) lies before the cutoff: it reads the series' values up to its cutoff only,
and the known-ahead inputs (future covariates, calendar) of the steps it forecasts. The
windows of all cutoffs go through the network together (:func:`.global_table.windows_table`,
one row per series and cutoff), not one ``predict`` per cutoff.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import torch

from ..io.errors import ConfigTypeError, DataError, NotFittedError
from .baseline_frames import future_dates
from .calibration import apply_offsets, model_logs
from .change_scales import window_scales
from .date_kind import as_given
from .forecast_inputs import check_history_kinds, read_history
from .frame import DS, ID, Y
from .global_table import windows_table
from .insample_future import covariate_steps
from .new_series import check_history
from .series_blocks import Blocks, blocks
from .zero_floor import floor_at_zero, floored_series

CHUNK = 4096  # windows through the network at once (times the samples a path draws)


def predict_insample(model, history, step_size: int = 1) -> pd.DataFrame:
    """``unique_id, ds, cutoff, step, y, mean`` and the ``q{level}`` columns: ``model``'s
    forecasts of ``history`` (a panel of the series it was fitted on) from each cutoff,
    the steps with an actual value in ``history`` only (the last cutoff forecasts one)."""
    step_size = _step(step_size)
    if history is None:
        raise ConfigTypeError("predict_insample(history): pass the panel to forecast in "
                              "sample (the one fitted on: f.predict_insample(train)); the "
                              "model keeps only the last look-back rows of each series")
    if model.members is None and not model.local:
        raise NotFittedError("predict_insample before fit: call fit(panel) or "
                             "GlobalForecaster.load(path)")
    panel = read_history(model, history)
    check_history_kinds(model, panel, None)
    panel = _fitted_series(model, panel)
    if model.local:  # (each series' own model; the calibration is the whole model's)
        subs = [(model.local[u], panel.with_df(panel.df[panel.df[ID] == u]))
                for u in map(str, panel.ids)]
        f = subs[0][0].features
    else:
        subs, f = [(model, panel)], model.features
    width = f.lookback + f.lag  # (the windows the calibration scales by, as predict's)
    parts = []
    for m, p in subs:  # (a loop, not a comprehension: the warnings' stacklevel)
        raw = _raw_table(m, p, step_size, width, alone=not model.local)
        if raw is not None:
            table, scaled = raw
            parts.append(_finished(m, table, scaled, m.features))
    if not parts:
        raise DataError(f"predict_insample: no series has a cutoff: a full window "
                        f"(lookback + lag = {width} points) before it and a step after it; "
                        f"give a longer panel")
    table, scaled = _numbered(parts)
    table = _finished(model, table, scaled, f)[0] if model.local else table
    table = _with_actuals(table.drop(columns="_w"), panel.df)
    return as_given(table, model, panel)


def _finished(model, table: pd.DataFrame, scaled: pd.DataFrame, f):
    """``(table, scaled)``: ``table`` calibrated by ``model`` and floored at zero where its
    series are, as predict finishes a forecast table."""
    return floor_at_zero(_calibrated(model, table, scaled, f),
                         floored_series(model, f)), scaled


def _numbered(parts):
    """The tables and window values of ``parts`` in one, their windows numbered on."""
    tables, values, n = [], [], 0
    for table, scaled in parts:
        tables.append(table.assign(_w=table["_w"] + n))
        values.append(scaled.assign(**{ID: scaled[ID] + n}))
        n += int(table["_w"].max()) + 1
    return pd.concat(tables, ignore_index=True), pd.concat(values, ignore_index=True)


def _step(step_size) -> int:
    if isinstance(step_size, (bool, np.bool_)) or not isinstance(step_size, (int, np.integer)) \
            or step_size < 1:
        raise ConfigTypeError(f"predict_insample: step_size must be a whole number >= 1 (the "
                              f"steps between cutoffs); got {step_size!r}")
    return int(step_size)


def _fitted_series(model, panel):
    """``panel`` without the series the model was not fitted on (new ones, or too short to
    train on), skipped with a warning naming them (refused when none is left): a new
    series' scaling is fitted on the history given, which here would be each cutoff's."""
    known = (set(model.local) if model.local else set(model.features.transforms))
    new = [u for u in map(str, panel.ids) if u not in known]
    if not new:
        return panel
    said = (f"series {new[:5]}{' and %d more' % (len(new) - 5) if len(new) > 5 else ''} "
            f"were not fitted on (not in the training panel, or too short to train on); "
            f"in-sample forecasts are those of the series fitted on")
    if len(new) == len(panel.ids):
        raise DataError(f"predict_insample: {said}: give the panel fitted on, or forecast "
                        f"them with predict(history=panel.cut(k)) for each k")
    warnings.warn(f"predict_insample: {said}: skipped (predict(history=panel.cut(k)) "
                  f"forecasts them)", stacklevel=4)
    return panel.with_df(panel.df[~panel.df[ID].astype(str).isin(new)])


@torch.no_grad()
def _raw_table(model, panel, step: int, scale_width: int, alone: bool = True):
    """``(table, scaled)``: the uncalibrated forecasts of every window of ``panel`` (a
    ``_w`` column numbering the windows) and the last ``scale_width`` values up to each
    cutoff (``_w`` as ``unique_id``, ``y``), those the calibration scales by; None where
    no series has a window. ``alone``: ``model`` is the whole model, not one series' of
    a local one (its series all unfit to forecast in sample: refused, not skipped)."""
    f, cfg = model.features, model.config
    width = f.lookback + f.lag
    check_history(f, panel, cfg)
    n = panel.lengths()
    short = [str(u) for u in n.index[n < width + 1]]
    if len(short) == len(n):
        return None
    if short:
        warnings.warn(f"predict_insample: series {short[:5]} have fewer than lookback + lag "
                      f"+ 1 = {width + 1} points (no cutoff with a full window before it "
                      f"and a step after it): skipped", stacklevel=5)  # (the caller's line: through no_grad)
    df, b = _ordered(panel.df[~panel.df[ID].astype(str).isin(short)])
    series, cut = _cutoffs(b.lengths, width, step)
    if not len(cut):
        return None
    bad = _logs_not_positive(f, df, b, series, cut)
    if bad:  # (skipped as a series too short is; refused when it is every series)
        _skip_logs(bad, refuse=alone and len(bad) == len(b.ids))
        df, b = _ordered(df[~df[ID].astype(str).isin(bad)])
        series, cut = _cutoffs(b.lengths, width, step)
        if not len(cut):
            return None
    upto = np.zeros(len(b.ids), dtype=np.int64)  # each series' rows up to its last cutoff
    np.maximum.at(upto, series, cut + 1)  # (the values after it are no window's)
    read = df[b.position() < np.repeat(upto, b.lengths)]
    starts = np.concatenate([[0], np.cumsum(upto)[:-1]]).astype(np.int64)
    rows = f.rows_of(read, Blocks(b.ids, np.arange(len(read)), starts, upto))  # (sum of
    # upto_i - lag, F): the model-space rows of every series up to its last cutoff
    first = b.starts[series] + cut  # (W,) each cutoff's row in df
    at_row = starts[series] + cut - f.lag * (series + 1)  # its row in ``rows``
    y, last = df[Y].to_numpy(dtype=np.float64), df[DS].to_numpy()[first]
    ids = [str(b.ids[i]) for i in series]
    many = CHUNK if cfg.likelihood is None and cfg.strategy != "recursive" \
        else max(1, CHUNK * 8 // max(1, cfg.samples))
    tables = []
    for s in range(0, len(ids), many):  # (the windows gathered a chunk at a time)
        at, end = at_row[s:s + many], first[s:s + many]
        enc = rows[at[:, None] - f.lookback + 1 + np.arange(f.lookback)]  # (w, L, F)
        hist = y[end[:, None] - width + 1 + np.arange(width)]  # (w, lookback + lag)
        known = _known(f, covariate_steps(f, df, b, series[s:s + many], end, cfg.horizon),
                       last[s:s + many], cfg.horizon,
                       enc.shape[2] - f.known_from)  # (w, H, K)
        tables.append(windows_table(model, cfg.horizon, f, ids[s:s + many],
                                    list(last[s:s + many]), enc, known,
                                    enc[:, -1, 0].copy(), hist))
    table = pd.concat(tables, ignore_index=True)
    table.insert(2, "cutoff", np.repeat(last, cfg.horizon))
    table = table.assign(_w=np.repeat(np.arange(len(ids)), cfg.horizon))
    return table, _values_before(y, b.starts[series], first, scale_width)


def _ordered(df: pd.DataFrame):
    """``(df, blocks)``: ``df``'s rows series after series, each in date order."""
    b = blocks(df)
    df = df.iloc[b.order].reset_index(drop=True)
    return df, Blocks(b.ids, np.arange(len(df)), b.starts, b.lengths)


def _values_before(y: np.ndarray, starts: np.ndarray, first: np.ndarray, n: int):
    """``unique_id`` (each window's number), ``y``: the last ``n`` values of each window's
    series up to its cutoff row ``first`` (fewer where the series starts later)."""
    low = np.maximum(first - n + 1, starts)
    count = first + 1 - low
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return pd.DataFrame({ID: np.repeat(np.arange(len(first)), count),
                         Y: y[np.repeat(low, count) + within]})


def _cutoffs(lengths: np.ndarray, width: int, step: int):
    """``(series, position)`` of each cutoff: a step before each series' end,
    then every ``step`` back while a window of ``width`` values ends there."""
    series, cut = [], []
    for i, n in enumerate(lengths.tolist()):
        pos = np.arange(n - 2, width - 2, -step)[::-1]
        series.append(np.full(len(pos), i))
        cut.append(pos)
    return (np.concatenate(series).astype(np.int64) if series else np.zeros(0, np.int64),
            np.concatenate(cut).astype(np.int64) if cut else np.zeros(0, np.int64))


def _known(f, fut: np.ndarray, last: np.ndarray, horizon: int, width: int) -> np.ndarray:
    """(W, f.horizon, K) the future covariates ``fut`` (W, horizon, C) of the steps after
    each cutoff, scaled, and the calendar of the ``horizon`` dates after each cutoff."""
    known = np.zeros((len(last), f.horizon, width), dtype=np.float32)
    if not width:
        return known
    cols = list(f.future)
    if cols:
        known[:, :horizon, :len(cols)] = f.covs.transform(
            fut.reshape(-1, len(cols)), cols).reshape(len(last), horizon, len(cols))
    if f.calendar:
        dates, at = np.unique(last, return_inverse=True)  # (cutoffs of many series: one date)
        each = [future_dates(d, horizon, f.freq) for d in dates]
        cal = f.calendar_of(each[0].append(each[1:]))
        known[:, :horizon, len(cols):] = cal.reshape(len(dates), horizon, -1)[at.ravel()]
    return known


def _logs_not_positive(f, df: pd.DataFrame, b, series: np.ndarray, cut: np.ndarray) -> list:
    """The series modelled in logs whose values a window reads (those of rows ``df``,
    series after series as ``b`` says, up to the cutoffs ``cut`` of ``series``) hold a 0
    or a negative one: predict fits its scaling again on such a history (without the
    log), so its cutoffs would each have their own."""
    width = f.lookback + f.lag
    low = np.full(len(b.ids), np.iinfo(np.int64).max)
    high = np.full(len(b.ids), -1)
    np.minimum.at(low, series, cut - width + 1)
    np.maximum.at(high, series, cut)
    pos = b.position()
    read = (pos >= np.repeat(low, b.lengths)) & (pos <= np.repeat(high, b.lengths))
    logs = {u for u, t in f.transforms.items() if t.log}
    return sorted({str(u) for u in df.loc[read & (df[Y] <= 0).to_numpy(), ID]} & logs)


def _skip_logs(bad: list, refuse: bool) -> None:
    """Say the series of :func:`_logs_not_positive` are skipped (a warning at the caller's
    line), or refuse them (``refuse``: no other series left), with what to do."""
    said = (f"series {bad[:5]}{' and %d more' % (len(bad) - 5) if len(bad) > 5 else ''} "
            f"are modelled in logs but hold values <= 0 in the windows read; predict scales "
            f"each history holding them again, without the log")
    fix = ("forecast them with predict(history=panel.cut(k)), or fit with transform='none' "
           "(--transform none)")
    if refuse:
        raise DataError(f"predict_insample: {said}: {fix}")
    warnings.warn(f"predict_insample: {said}: skipped ({fix})", stacklevel=6)


def _calibrated(model, table: pd.DataFrame, scaled: pd.DataFrame, f) -> pd.DataFrame:
    """``table`` with ``model``'s calibration applied, each window scaled by the values
    ``scaled`` holds for it (as predict scales each history by its last window's)."""
    if model.calibration is None or table.empty:
        return table
    logs = model_logs(model, f)
    keys = table["_w"].astype(str)
    in_logs = frozenset(keys[table[ID].astype(str).isin(logs)])
    rows = scaled.assign(**{ID: scaled[ID].astype(str)})
    scales = window_scales(rows, f.lookback + f.lag, f.lag or 1, in_logs)
    out = apply_offsets(table.assign(**{ID: keys}), model.calibration, scales,
                        counts=model.config.likelihood == "negbin", logs=in_logs)
    return out.assign(**{ID: table[ID].to_numpy()})


def _with_actuals(table: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the actual ``y`` of each row's series and date, the rows after a
    series' last date (whose values are not known) left out."""
    actual = df[[ID, DS, Y]].assign(**{ID: df[ID].astype(str)})
    out = table.assign(**{ID: table[ID].astype(str)}).merge(actual, on=[ID, DS], how="inner")
    cols = [ID, DS, "cutoff", "step", Y]
    return out[cols + [c for c in out.columns if c not in cols]]

