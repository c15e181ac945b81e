"""Every (model, cutoff) of a cross-validation's forecasts scored against the actuals
(``rnnlab score cv.csv --actuals data.csv [--by cutoff]``; the forecast read by
:mod:`.score_cutoffs`).

Each forecast's MASE and RMSSE divide by the in-sample (seasonal) naive error of its
series' actuals up to its own cutoff, never after it: a value the forecast could not
see cannot change its scale (utilsforecast's ``mase`` on the training data cut at each
cutoff, and a backtest's origins, scale so). The headline per model is the backtest's
summary (``BacktestResult.summary()``, :func:`rnnlab.panel.accuracy` with
``by=("model",)``): each series' errors of every cutoff together, then the mean over
series; the per-cutoff table (``ForecastScore.by_cutoff``) gives each cutoff's alone
(means over series of that cutoff's errors). With the same series and horizon at every
cutoff, the headline's MAE, MASE, sMAPE and coverage are the means of the per-cutoff
ones; RMSE and RMSSE, roots of pooled squares, are not."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import pandas as pd

from ..io.errors import DataError
from .score_cutoffs import CUTOFF
from .score_result import ForecastScore, keyed, span, unscored_notes


def score_cutoffs(forecast: pd.DataFrame, actuals, column, date_column, id_column,
                  period: Optional[int], model: Optional[str],
                  off_grid: str = "refuse") -> ForecastScore:
    """The :class:`ForecastScore` of a forecast of several cutoffs: ``summary`` one row
    per model, ``by_cutoff`` one per model and cutoff, ``per_series`` one per model and
    series, ``rows`` every forecast row with its ``model``, ``cutoff``, actual and error."""
    from . import score_actuals as sa
    from . import score_cutoffs as sc

    table = sc.all_models(forecast, model)
    truth, ys, table = sa.panel_actuals(table, actuals, id_column, date_column, column,
                                        off_grid)
    table = sc.one_series_ids(table, truth)
    sc.check_no_repeats(table)  # (as the file gives them, before reading any date)
    table = table.assign(**{CUTOFF: sc.read_cutoffs(table, truth)})
    fc = sc.dated(table, truth)
    score = _scored(fc, sa.on_steps(truth, ys), sa.panel_period(truth, period))
    return replace(keyed(score, truth.keys), dates_form=(truth.ds_period, truth.ds_written))


def _scored(fc: pd.DataFrame, ys: pd.DataFrame, period) -> ForecastScore:
    from ..panel.metrics import add_errors, per_series, summarize
    from .metrics import mape_note
    from .score_calendar import in_forecast_zone

    ys = in_forecast_zone(fc, ys)
    rows = fc.merge(ys, on=["unique_id", "ds"], how="left")
    notes, pending = unscored_notes(rows, ys)
    scored = rows[rows["y"].notna()].copy()
    if scored.empty:
        raise DataError(f"none of the forecast's {len(fc)} rows ({span(fc['ds'])}) has an "
                        f"actual (the actuals cover {span(ys['ds'])}, series "
                        f"{', '.join(sorted(map(str, pd.unique(ys['unique_id'])))[:5])}); "
                        f"pass the actuals of the same series and dates")
    scored = scored.merge(_scales(scored, ys, period), on=["unique_id", CUTOFF], how="left")
    if scored["scale"].isna().all():
        notes.append("MASE and RMSSE are NaN: the actuals hold no history up to the cutoffs "
                     "that varies (pass the whole series; --period 1 / period=1 scales by "
                     "the naive's error)")
    else:
        notes += _unscaled(scored)
    scored["error"] = scored["mean"] - scored["y"]
    err = add_errors(scored)
    summary = _with_bias(summarize(err, by=("model",)), scored, ["model"])
    n_cuts = scored.groupby("model", sort=False)[CUTOFF].nunique()
    summary.insert(1, "n_cutoffs", summary["model"].map(n_cuts).to_numpy())
    by_cutoff = _with_bias(summarize(err, by=("model", CUTOFF)), scored, ["model", CUTOFF])
    each = _with_bias(per_series(err, by=("model", "unique_id")), scored,
                      ["model", "unique_id"], per_series=True)
    notes += [n for n in [mape_note(scored.drop_duplicates(["unique_id", "ds"])["y"])] if n]
    rows["error"] = rows["mean"] - rows["y"]
    return ForecastScore(summary, each, rows, pending, notes, by_cutoff=by_cutoff)


def _unscaled(scored: pd.DataFrame) -> list:
    """A note naming the (series, cutoff)s whose actuals up to the cutoff give no scale
    (a cutoff before the series' data): their series' MASE and RMSSE over all cutoffs,
    and the headline's with them, were NaN without a word of why."""
    from ..listing import first_few
    from .score_cutoff_dates import _shown

    lacking = scored.loc[scored["scale"].isna(), ["unique_id", CUTOFF]].drop_duplicates()
    if lacking.empty:
        return []
    said = [f"{u} (cutoff {_shown(c)})" for u, c in lacking.itertuples(index=False)]
    return [f"MASE and RMSSE are NaN for {len(said)} series' cutoffs whose actuals up to "
            f"the cutoff hold no history that varies ({first_few(said, 3)}), and so for "
            f"those series over all cutoffs: a cutoff before the series' data? (pass the "
            f"actuals from each series' start)"]


def _scales(scored: pd.DataFrame, ys: pd.DataFrame, period) -> pd.DataFrame:
    """``unique_id, cutoff, scale, rms_scale``: each (series, cutoff)'s MASE and RMSSE
    scales, of the series' actuals dated on or before the cutoff."""
    from ..panel.scales import history_scales

    pairs = scored[["unique_id", CUTOFF]].drop_duplicates().reset_index(drop=True)
    mase, rms = history_scales(ys, pairs["unique_id"], pairs[CUTOFF], period)
    return pairs.assign(scale=mase, rms_scale=rms)


def _with_bias(table: pd.DataFrame, scored: pd.DataFrame, by, per_series: bool = False
               ) -> pd.DataFrame:
    """``table`` with ``bias`` (the mean of forecast - actual): per series, or the mean over
    series of each series' (as every column of a summary)."""
    each = scored.groupby(list(dict.fromkeys([*by, "unique_id"])), sort=False)["error"].mean()
    bias = each if per_series else each.groupby(level=list(range(len(by))), sort=False).mean()
    keys = pd.MultiIndex.from_frame(table[by]) if len(by) > 1 else pd.Index(table[by[0]])
    return table.assign(bias=bias.reindex(keys).to_numpy())
