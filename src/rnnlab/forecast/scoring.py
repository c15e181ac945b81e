"""Score an archived forecast against the actuals that arrived since
(``rnnlab score FORECAST.csv --actuals NEW.csv``; the Python API :func:`score_forecast`).

Each forecast date is joined to the actual of the same series and date; a date whose
actual has not arrived is left out of the scores and counted (``pending``), never read as
an error of 0. The errors are the panel backtest's (:mod:`rnnlab.panel.metrics`: MAE,
RMSE, sMAPE, and with quantile columns pinball loss, CRPS, coverage and width of the
central intervals), and ``bias``, the mean of ``forecast - actual`` (positive: the forecast
was too high). MASE and RMSSE divide by the in-sample (seasonal) naive error of the actuals
*before* the forecast's first date, or, where the file names the forecast's cutoff (a
``cutoff`` or ``origin`` column of dates), of those up to the cutoff, the data it was made
from, as a backtest scales its origins: NaN when the actuals file holds no such history
(only the new months), and said so."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..type_aliases import Column, StrPath
from .score_cutoffs import CUTOFF
from .score_result import ForecastScore, keyed, span, unscored_notes


def score_forecast(forecast: Union[StrPath, pd.DataFrame, pd.Series],
                   actuals: Union[StrPath, pd.DataFrame, pd.Series], *, column: Column = None,
                   date_column: Column = None, id_column: Column = None,
                   period: Optional[int] = None, model: Optional[str] = None,
                   encoding: Optional[str] = None, off_grid: str = "refuse") -> ForecastScore:
    """Score ``forecast`` (a CSV path, DataFrame or Series: :data:`.score_input.FORMS`)
    against ``actuals`` (a CSV path or frame of the series, as ``Forecaster.fit`` or
    ``read_panel`` reads it, or what they give: a ``load_series`` Series, a ``PanelFrame``;
    ``column``, ``date_column``, ``id_column`` as there).
    ``period``: the seasonal period MASE's scale uses (default: from the actuals' dates).
    ``model``: the model whose rows to score, of a forecast with a ``model`` column naming
    several; needed there, unless the forecast has a cutoff column (``cutoff``, ``origin``:
    a run's ``test_forecasts.csv``, a backtest's ``forecasts.csv``), whose models are all
    scored without it; refused where the forecast has no model column. ``encoding``: the text encoding of the CSV files given
    (``'cp1252'``; default UTF-8, as ``rnnlab score --encoding``). ``off_grid``: the
    actuals' one or two dates that break their series' grid, as ``Forecaster.fit`` and
    ``read_panel`` read them: 'refuse' (named), 'drop' (no actual there) or 'snap' (dated
    as the grid expects; ``rnnlab score --off-grid``).

    >>> score_forecast("archive/2022-01.csv", "actuals.csv").table()  # doctest: +SKIP
    """
    from contextlib import ExitStack

    from ..data.reading_options import check_reading
    from ..io.encoded_path import named_call

    _check_period(period)
    check_reading("score_forecast", encoding, off_grid)
    with ExitStack() as files:  # (each file another encoding: read from a UTF-8 copy)
        forecast, actuals = (_utf8(files, given, encoding) for given in (forecast, actuals))
        with named_call("score_forecast"):  # (off_grid= hinted as this call's)
            return _score(forecast, actuals, column, date_column, id_column, period, model,
                          off_grid)


def _utf8(files, given, encoding):
    """``given`` as it is, unless it is a file of another ``encoding`` than UTF-8: its
    UTF-8 copy, removed when ``files`` (an ExitStack) closes."""
    from pathlib import Path

    from ..io.encoded_path import utf8_file

    if encoding is None or not isinstance(given, (str, Path)) or \
            not Path(given).expanduser().is_file():
        return given
    return files.enter_context(utf8_file(Path(given).expanduser(), encoding, "score_forecast"))


def _score(forecast, actuals, column, date_column, id_column, period, model,
           off_grid: str = "refuse") -> ForecastScore:
    from . import score_actuals as sa
    from .score_cutoffs import cutoff_column, per_cutoff
    from .score_input import forecast_table, read_forecast

    forecast = read_forecast(forecast)
    if isinstance(forecast, pd.DataFrame):
        from ..panel.peer_columns import with_id_column

        if per_cutoff(with_id_column(forecast), model):  # (a cross-validation, a backtest)
            from .score_cutoff_metrics import score_cutoffs

            return score_cutoffs(forecast, actuals, column, date_column, id_column, period,
                                 model, off_grid)
    table, is_panel = forecast_table(forecast, model)
    if is_panel:
        from .score_cutoffs import one_cutoff

        truth, ys, table = sa.panel_actuals(table, actuals, id_column, date_column, column,
                                            off_grid)
        fc = sa.forecast_on(truth, table)
        cut = one_cutoff(table, truth, fc)
        score = _scored(fc, sa.on_steps(truth, ys), sa.panel_period(truth, period), cut,
                        _model_name(table))
        score = replace(keyed(score, truth.keys),  # (its cutoff shown as the dates are)
                        dates_form=(truth.ds_period, truth.ds_written))
        return _one_cutoff(score, table, cutoff_column(table), cut)
    else:
        if id_column is not None:
            raise DataError(f"id_column={id_column!r} names the series of a panel, but the "
                            f"forecast is one series' (no unique_id column); drop it")
        fc, ys, period = sa.one_series(table, actuals, column, date_column, period, off_grid)
    return _scored(fc, ys, period)


def _model_name(table: pd.DataFrame) -> str:
    """The name of the one model ``table`` holds, where it names it (its ``model`` column:
    the one ``--model`` picked, or NeuralForecast's ``LSTM`` columns read as ours), as a
    forecast of several cutoffs names it; else "forecast" (it named every one so)."""
    if "model" not in table.columns:
        return "forecast"
    names = pd.unique(table["model"].astype(str))
    return str(names[0]) if len(names) == 1 else "forecast"


def _one_cutoff(score: ForecastScore, table: pd.DataFrame, name, cut) -> ForecastScore:
    """``score`` with ``by_cutoff``, its summary beside the one cutoff of a forecast with a
    cutoff column: ``cut``, the date read on the actuals' calendar, as a forecast of
    several cutoffs gives each (it was the file's text, "2014Q2", where several gave
    2014-04-01), or as the file gives it where it is no date (a label); as it is without
    one."""
    if name is None:
        return score
    written = table[name].dropna()
    by_cutoff = score.summary.copy()
    by_cutoff.insert(1, CUTOFF, cut if cut is not None else
                     written.iloc[0] if len(written) else np.nan)
    return replace(score, by_cutoff=by_cutoff)


def _check_period(period) -> None:
    """A ConfigError for a period that is no whole number >= 1 (0 was read as none given,
    -3 scaled MASE by differences 3 steps ahead, 12.5 and "12" were Python's TypeError)."""
    from ..io.errors import ConfigError
    from ..season_length import fraction_hint

    if period is None or (isinstance(period, (int, np.integer)) and not isinstance(period, bool)
                          and period >= 1):
        return
    raise ConfigError(f"score_forecast: period must be a whole number >= 1 (1: no season) or "
                      f"None (from the actuals' dates), got {period!r}{fraction_hint(period)}")


def _scored(fc: pd.DataFrame, ys: pd.DataFrame, period, cutoff=None,
            name: str = "forecast") -> ForecastScore:
    """The score of a forecast of one cutoff (``cutoff``, read on the actuals' calendar,
    where its file names it) by the model ``name``: each series' scale of its actuals up to
    the cutoff, else before its first forecast date."""
    from ..panel.metrics import per_series, summarize
    from ..panel.scales import mase_scale, rmsse_scale

    from .score_calendar import in_forecast_zone

    ys = in_forecast_zone(fc, ys)
    rows = fc.merge(ys, on=["unique_id", "ds"], how="left")
    notes, pending = unscored_notes(rows, ys)
    scored = rows[rows["y"].notna()].copy()
    if scored.empty and not rows["unique_id"].isin(set(ys["unique_id"])).any():
        theirs = sorted(set(map(str, ys["unique_id"])))
        mine = sorted(set(map(str, fc["unique_id"])))
        raise DataError(f"none of the forecast's series ({', '.join(mine[:5])}"
                        f"{', ...' if len(mine) > 5 else ''}) is in the actuals, which hold "
                        f"{', '.join(theirs[:5])}{', ...' if len(theirs) > 5 else ''}; pass "
                        f"the actuals of the same series (a panel's: with its id column, "
                        f"--id-column / id_column=)")
    if scored.empty:
        raise DataError(f"none of the forecast's {len(fc)} dates ({span(fc['ds'])}) has an "
                        f"actual (the actuals cover {span(ys['ds'])}); score it once they "
                        f"arrive, or pass the file that holds them")
    first = fc.groupby("unique_id")["ds"].min()
    scales, short = {}, 0
    for uid, g in ys.groupby("unique_id", sort=False):
        seen = (g["ds"] <= cutoff) if cutoff is not None else \
            (g["ds"] < first.get(uid, g["ds"].max()))
        before = g.loc[seen, ["ds", "y"]].sort_values("ds")
        short += len(before) < 2
        scales[uid] = (mase_scale(before["y"].to_numpy(np.float64), period),
                       rmsse_scale(before["y"].to_numpy(np.float64), period))
    scored["scale"] = [scales.get(u, (np.nan, np.nan))[0] for u in scored["unique_id"]]
    scored["rms_scale"] = [scales.get(u, (np.nan, np.nan))[1] for u in scored["unique_id"]]
    if scored["scale"].isna().all():
        notes.append("MASE and RMSSE are NaN: " + (
            "the actuals hold no history before the forecast's first date (up to its cutoff) "
            "to scale them by (pass the whole series)" if short else "the history before the forecast's first "
            "date does not change, or repeats each season exactly (the seasonal naive's "
            "error it divides by is 0; --period 1 / period=1 scales by the naive's)"))
    scored["model"] = name
    scored["error"] = scored["mean"] - scored["y"]
    bias = scored.groupby("unique_id", sort=False)["error"].mean()
    summary = summarize(scored)
    from .metrics import mape_note

    notes += [n for n in [mape_note(scored["y"])] if n]  # (MAPE leaves the 0s out)
    summary["bias"] = float(bias.mean())  # (the mean over series, as every column here)
    each = per_series(scored)
    each["bias"] = bias.reindex(each["unique_id"]).to_numpy()
    rows["error"] = rows["mean"] - rows["y"]
    return ForecastScore(summary, each, rows, pending, notes)
