"""In-sample (historical) forecasts of a fitted one-series
:class:`~rnnlab.forecast.forecaster.Forecaster` (Darts' ``historical_forecasts(series,
forecast_horizon=h, stride=s, retrain=False)``; the panel's
:meth:`~rnnlab.panel.model.GlobalForecaster.predict_insample`): its forecasts from every
cutoff of a series, its weights unchanged, nothing trained.

The forecast from the cutoff after the first k values is the one ``predict(horizon,
history=series[:k])`` gives: the fitted choice's (``f.choice["method"]``: the network's
ensemble mean, the weighted ensemble, or a baseline), read from the values up to the
cutoff alone (and, with holidays, the dates after it). The cutoffs are counted back from
the series' end (the last one forecasts its last value), every ``step_size`` values, as
long as a forecast's history lies before it (look-back + differencing lag; a season with a
seasonal naive in the choice); a gap that ``bfill`` or ``interpolate`` filled across a
cutoff is filled again from the values before it. The network forecasts from a chunk of
cutoffs at once (:func:`~rnnlab.forecast.methods.forecast_many`), not one ``predict`` per
cutoff.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..panel.insample import _step
from ..panel.quantile_columns import quantile_column
from ..train.process_state import threads_kept
from .history import _season_read, read_history
from .holidays import uses_holidays
from .intervals import quantile_forecast, quantile_levels
from .methods import forecast_many, history_needed

CHUNK = 256  # cutoffs forecast at once (each holds its history: memory ~ CHUNK * n values)
COLUMNS = ("unique_id", "ds", "cutoff", "step", "y", "mean")  # (the panel's, in its order)


def predict_insample(f, step_size: int = 1, history=None,
                     quantiles: Optional[Sequence[float]] = None, column=None,
                     date_column=None, fill: Optional[str] = None,
                     **read) -> pd.DataFrame:
    """``unique_id, ds, cutoff, step, y, mean`` (and ``q...`` at ``quantiles``): ``f``'s
    forecasts of ``history`` (default: the series given to fit, test part included; else
    read as ``predict(history=...)`` reads it, ``read``: its ``encoding``, ``off_grid``)
    from each cutoff, the steps with a value in it only (see the module)."""
    f._need_fit()
    step = _step(_not_data(step_size))
    levels = None if quantiles is None else quantile_levels(
        quantiles, "predict_insample(quantiles=...)")
    s = f.series if history is None else read_history(f, history, column, date_column, fill,
                                                      **read)
    n, need = len(s.values), max(history_needed(f), _season_read(f), 1)
    ks = np.arange(n - 1, need - 1, -step)[::-1]  # (K,) each cutoff's history length
    if not len(ks):
        raise DataError(f"predict_insample: series {s.name!r} has {n} values and a forecast "
                        f"reads the last {need} (look-back {f.config.lookback} + "
                        f"differencing lag {f.pipeline.lag}, or a season), with a value "
                        f"after them to compare: give a longer series")
    h = f.config.horizon
    before = _histories(f, s, fill)
    means = _forecasts(f, s, ks, h, before)  # (K, h)
    pos = ks[:, None] + np.arange(h)  # (K, h) each forecast step's position in the series
    keep = (pos < n).ravel()
    labels = s.labels()
    table = pd.DataFrame({
        "unique_id": s.name, "ds": labels[pos.ravel()[keep]],
        "cutoff": labels[np.repeat(ks - 1, h)[keep]],
        "step": np.tile(np.arange(1, h + 1), len(ks))[keep],
        "y": s.values[pos.ravel()[keep]], "mean": means.ravel()[keep]})
    _warn_filled_actuals(s, pos.ravel()[keep], fill or f.config.fill)
    if levels is not None:
        q = np.stack([quantile_forecast(f, before(k), row, levels, a) for k, row, a
                      in zip(ks, means, _innovations(f, ks, before))])  # (K, h, L)
        for j, t in enumerate(levels):
            table[quantile_column(t)] = q[:, :, j].ravel()[keep]
    return table


def _not_data(step_size):
    """``step_size``, refused naming ``history=`` when it is data (a series, a table, a
    file or dataset name: the panel's ``predict_insample(panel, ...)`` takes it first);
    the whole Series was printed as the step size found."""
    import numbers

    if step_size is None or isinstance(step_size, (numbers.Number, np.number)):
        return step_size  # (checked by the panel's rule: a whole number >= 1; None is no data)
    from ..io.errors import ConfigTypeError

    raise ConfigTypeError(f"predict_insample(step_size=1, history=None): the first argument "
                          f"is the steps between cutoffs, a whole number >= 1, and this is "
                          f"a {type(step_size).__name__}: pass data as history= "
                          f"(f.predict_insample(history=data); without it, the series fitted)")


def _warn_filled_actuals(s, pos: np.ndarray, fill: Optional[str]) -> None:
    """A warning, as ``evaluate()``'s of the test part, when ``y`` holds values that were
    missing and filled in (``pos``: the table's positions in ``s``): scored as observed."""
    if s.filled is None or not len(s.filled):
        return
    import warnings

    from .evaluation import FilledTestWarning

    made = np.isin(pos, s.filled)
    if made.any():
        dates = [str(d.date()) if isinstance(d, pd.Timestamp) and d == d.normalize()
                 else str(d) for d in s.written(s.labels()[np.unique(pos[made])])]
        shown = ", ".join(dates[:3]) + (f" ... ({len(dates)} dates)" if len(dates) > 3 else "")
        warnings.warn(f"predict_insample: {int(made.sum())} of the {len(pos)} rows' actual "
                      f"y were missing and filled in (fill={s.fill or fill!r}), at ds "
                      f"{shown}: a score of the table counts them as observed; leave those "
                      f"rows out to score the observed values only", FilledTestWarning,
                      stacklevel=4)


def _innovations(f, ks: np.ndarray, before):
    """The arma member's innovations of each cutoff's history's changes (what the quantiles'
    spread reads), filtered a chunk of cutoffs at once (bit for bit
    :meth:`~rnnlab.forecast.arma.ARMA.innovations`: 1,000 values in Python per cutoff was
    most of a long series' in-sample quantiles); None each where there are no intervals
    (refused by :func:`~.intervals.quantile_forecast`, saying why)."""
    if f.arma is None or not f.pipeline.lag:
        yield from (None for _ in ks)
        return
    for i in range(0, len(ks), CHUNK):
        yield from f.arma.innovations_many([f.pipeline.changes(before(k))
                                            for k in ks[i:i + CHUNK]])


def _histories(f, s, fill: Optional[str]):
    """``before(k)``: the first ``k`` values of ``s``, a gap that ``bfill`` or
    ``interpolate`` filled across the cutoff (from the values after it) filled again from
    those ``k`` alone, as the fit's validation origins and ``evaluate()`` read them."""
    from ..data.filling import history_before

    how = s.fill or fill or f.config.fill
    return lambda k: history_before(s.values, s.filled, how, int(k))


def _forecasts(f, s, ks: np.ndarray, h: int, before) -> np.ndarray:
    """(K, h) the chosen forecast after each of the first ``ks`` values of ``s``, a chunk
    of cutoffs at a time, on the fit's CPU threads; refused where one is not finite."""
    method = f.choice["method"]
    dated = s if uses_holidays(f.config) else None
    out = []
    with threads_kept(f.config.threads):
        for i in range(0, len(ks), CHUNK):
            hists = [before(k) for k in ks[i:i + CHUNK]]
            out.append(forecast_many(f, method, hists, h, dated))
    means = np.concatenate(out)
    bad = ~np.isfinite(means).all(axis=1)
    if bad.any():
        k = int(ks[np.argmax(bad)])
        raise DataError(f"predict_insample: the forecast after the first {k} values is not "
                        f"finite (the model's trend outgrows float64, or it gives no "
                        f"number): predict(horizon, history=series[:{k}]) says where")
    return means
