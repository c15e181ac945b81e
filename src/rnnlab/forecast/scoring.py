"""Score an archived forecast against the actuals that arrived since
(``rnnlab score FORECAST.csv --actuals NEW.csv``; the Python API :func:`score_forecast`).

Each forecast date is joined to the actual of the same series and date; a date whose
actual has not arrived is left out of the scores and counted (``pending``), never read as
an error of 0. The errors are the panel backtest's (:mod:`rnnlab.panel.metrics`: MAE,
RMSE, sMAPE, and with quantile columns pinball loss, CRPS, coverage and width of the
central intervals), and ``bias``, the mean of ``forecast - actual`` (positive: the forecast
was too high). MASE and RMSSE divide by the in-sample (seasonal) naive error of the actuals
*before* the forecast's first date, as a backtest scales its origins: NaN when the actuals
file holds no such history (only the new months), and said so."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..type_aliases import Column, StrPath

CUTOFF = "cutoff"  # the column of each row's cutoff in by_cutoff and rows (.score_cutoffs)

SHOWN = ("n_forecasts", "mae", "rmse", "bias", "mape", "smape", "mase", "rmsse", "pinball", "crps")


@dataclass
class ForecastScore:
    """What :func:`score_forecast` found: ``summary`` (one row: the mean over series of
    each per-series metric, as a panel backtest's), ``per_series`` (one row per series),
    ``rows`` (every forecast row with its actual ``y``, NaN where it has none, and
    ``error``), ``pending`` (forecast rows dated after their series' last actual) and
    ``notes`` (lines to read: also the rows of series or dates the actuals lack).

    A forecast of several cutoffs (a cross-validation's ``cutoff`` column, a backtest's
    ``origin``: :mod:`.score_cutoff_metrics`) has one ``summary`` row per model (over all
    its cutoffs, as ``rnnlab backtest``'s summary), ``per_series`` rows per model and
    series, and ``by_cutoff``: one row per model and cutoff. A forecast of one cutoff
    has ``by_cutoff`` as its summary with that cutoff; one without: None."""

    summary: pd.DataFrame
    per_series: pd.DataFrame
    rows: pd.DataFrame
    pending: int
    notes: List[str] = field(default_factory=list)
    keys: Tuple[str, ...] = ()  # the key columns beside unique_id (State, Zone), if any
    by_cutoff: Optional[pd.DataFrame] = None  # per model and cutoff (a forecast with cutoffs)

    def __repr__(self) -> str:  # (the dataclass' printed the three tables, cut by pandas)
        if "n_cutoffs" in self.summary and self.by_cutoff is not None:  # (several cutoffs)
            return (f"ForecastScore({int(self.summary['n_forecasts'].sum())} forecasts of "
                    f"{len(self.summary)} model(s) at {self.by_cutoff[CUTOFF].nunique()} "
                    f"cutoffs scored, {self.pending} pending{_notes_said(self.notes)}; "
                    f".table(), .cutoff_table(), .summary, .by_cutoff, .per_series, .rows, "
                    f".notes)")
        row = self.summary.iloc[0]
        said = ", ".join(f"{k.upper()} {row[k]:.4g}" for k in ("mae", "rmse", "mase")
                         if k in row.index)
        return (f"ForecastScore({int(row['n_forecasts'])} forecasts of "
                f"{len(self.per_series)} series scored, {self.pending} pending, {said}"
                f"{_notes_said(self.notes)}; .table(), .summary, "
                f".per_series, .rows, .notes)")

    def table(self) -> pd.DataFrame:
        """The summary's columns a person reads first (intervals' where the forecast has
        them; with several cutoffs, each row's ``model`` and ``n_cutoffs`` first)."""
        return self.summary[_shown_columns(self.summary, ["model", "n_cutoffs"])]

    def cutoff_table(self) -> pd.DataFrame:
        """:meth:`table`'s columns for each model and cutoff (``--by cutoff``); a
        DataError for a forecast without a cutoff column."""
        if self.by_cutoff is None:
            raise DataError("the forecast has no cutoff column ('cutoff', as NeuralForecast's "
                            "cross_validation writes it, or 'origin', as rnnlab backtest's "
                            "forecasts.csv): there is no cutoff to score it by; leave out "
                            "--by cutoff")
        return self.by_cutoff[_shown_columns(self.by_cutoff, ["model", CUTOFF])]


def _shown_columns(table: pd.DataFrame, first) -> list:
    """``first`` (those of them ``table`` has, "model" only beside several models), then
    :data:`SHOWN` and the intervals' columns that ``table`` holds."""
    from ..panel.metrics import interval_columns

    lead = [c for c in first if c in table and (c != "model" or "n_cutoffs" in table
                                                 or CUTOFF in table)]
    return lead + [c for c in SHOWN if c in table] + interval_columns(table.columns)


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
    several (a panel run's ``test_forecasts.csv``, a backtest's ``forecasts.csv``); needed
    there, refused elsewhere. ``encoding``: the text encoding of the CSV files given
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
    from .score_cutoffs import cutoff_column, several_cutoffs
    from .score_input import forecast_table, read_forecast

    forecast = read_forecast(forecast)
    if isinstance(forecast, pd.DataFrame):
        from ..panel.peer_columns import with_id_column

        if several_cutoffs(with_id_column(forecast)):  # (a cross-validation, a backtest)
            from .score_cutoff_metrics import score_cutoffs

            return score_cutoffs(forecast, actuals, column, date_column, id_column, period,
                                 model, off_grid)
    table, is_panel = forecast_table(forecast, model)
    if is_panel:
        fc, ys, period, kinds = sa.panel(table, actuals, id_column, date_column, column,
                                         period, off_grid)
        return _one_cutoff(_keyed(_scored(fc, ys, period), kinds), table,
                           cutoff_column(table))
    else:
        if id_column is not None:
            raise DataError(f"id_column={id_column!r} names the series of a panel, but the "
                            f"forecast is one series' (no unique_id column); drop it")
        fc, ys, period = sa.one_series(table, actuals, column, date_column, period, off_grid)
    return _scored(fc, ys, period)


def _one_cutoff(score: ForecastScore, table: pd.DataFrame, name) -> ForecastScore:
    """``score`` with ``by_cutoff``, its summary beside the one cutoff of a forecast with a
    cutoff column (as the file gives it); as it is without one."""
    if name is None:
        return score
    cut = table[name].dropna()
    by_cutoff = score.summary.copy()
    by_cutoff.insert(1, CUTOFF, cut.iloc[0] if len(cut) else np.nan)
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


def _scored(fc: pd.DataFrame, ys: pd.DataFrame, period) -> ForecastScore:
    from ..panel.metrics import per_series, summarize
    from ..panel.scales import mase_scale, rmsse_scale

    from .score_calendar import in_forecast_zone

    ys = in_forecast_zone(fc, ys)
    rows = fc.merge(ys, on=["unique_id", "ds"], how="left")
    notes, pending = _notes(rows, ys)
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
        raise DataError(f"none of the forecast's {len(fc)} dates ({_span(fc['ds'])}) has an "
                        f"actual (the actuals cover {_span(ys['ds'])}); score it once they "
                        f"arrive, or pass the file that holds them")
    first = fc.groupby("unique_id")["ds"].min()
    scales, short = {}, 0
    for uid, g in ys.groupby("unique_id", sort=False):
        before = g.loc[g["ds"] < first.get(uid, g["ds"].max()), ["ds", "y"]].sort_values("ds")
        short += len(before) < 2
        scales[uid] = (mase_scale(before["y"].to_numpy(np.float64), period),
                       rmsse_scale(before["y"].to_numpy(np.float64), period))
    scored["scale"] = [scales.get(u, (np.nan, np.nan))[0] for u in scored["unique_id"]]
    scored["rms_scale"] = [scales.get(u, (np.nan, np.nan))[1] for u in scored["unique_id"]]
    if scored["scale"].isna().all():
        notes.append("MASE and RMSSE are NaN: " + (
            "the actuals hold no history before the forecast's first date to scale them by "
            "(pass the whole series)" if short else "the history before the forecast's first "
            "date does not change, or repeats each season exactly (the seasonal naive's "
            "error it divides by is 0; --period 1 / period=1 scales by the naive's)"))
    scored["model"] = "forecast"
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


def _keyed(score: ForecastScore, kinds) -> ForecastScore:
    """``score`` with the key columns the ids join (``kinds``: the actuals') beside
    ``unique_id`` in its per-series table and rows."""
    from ..panel.key_columns import with_key_columns

    if not kinds:
        return score
    return replace(score, per_series=with_key_columns(score.per_series, kinds),
                   rows=with_key_columns(score.rows, kinds), keys=tuple(k for k, _ in kinds))


def _notes(rows: pd.DataFrame, ys: pd.DataFrame) -> Tuple[List[str], int]:
    """Lines on the forecast rows left unscored, and how many wait for an actual (dated
    after their series' last one): a series missing from the actuals, or a date missing
    inside their span (a month that never arrived), is said apart, not counted as pending."""
    notes, unscored = [], rows[rows["y"].isna()]
    known = set(ys["unique_id"])
    unknown = unscored[~unscored["unique_id"].isin(known)]
    last = ys.groupby("unique_id")["ds"].max()
    mine = unscored[unscored["unique_id"].isin(known)]
    later = mine["ds"].to_numpy() > last.reindex(mine["unique_id"]).to_numpy()
    pending, gaps = mine[later], mine[~later]
    if len(pending):
        notes.append(f"{len(pending)} of the {len(rows)} forecasts have no actual yet "
                     f"({_span(pending['ds'])}): left out of the scores")
    if len(gaps):
        notes.append(f"{len(gaps)} forecasts fall on dates the actuals skip ({_span(gaps['ds'])}"
                     f"; a month that never arrived?): left out of the scores")
    if len(unknown):
        ids = sorted(set(map(str, unknown["unique_id"])))
        notes.append(f"{len(ids)} series of the forecast are not in the actuals: "
                     f"{', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''} (their "
                     f"{len(unknown)} forecasts left out of the scores)")
    return notes, len(pending)


def _span(dates: pd.Series) -> str:
    dates = pd.Series(dates)
    lo, hi = dates.min(), dates.max()
    shown = [d.date() if isinstance(d, pd.Timestamp) and d == d.normalize() else d
             for d in (lo, hi)]
    return f"{shown[0]}" if lo == hi else f"{shown[0]} .. {shown[1]}"


def _notes_said(notes: List[str]) -> str:
    return "" if not notes else f", {len(notes)} note{'s' if len(notes) > 1 else ''}"
