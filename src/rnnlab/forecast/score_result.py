"""What ``score_forecast`` gives back (:class:`ForecastScore`) and the pieces both of its
scorings share (one cutoff: :mod:`.scoring`; several: :mod:`.score_cutoff_metrics`): the
notes on rows left unscored, the key columns beside the ids, a span of dates said. Apart
from :mod:`.scoring` so that the scoring of several cutoffs imports it without a cycle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import List, Optional, Tuple

import pandas as pd

from ..io.errors import DataError
from .score_cutoffs import CUTOFF

SHOWN = ("n_forecasts", "mae", "rmse", "bias", "mape", "smape", "mase", "rmsse", "pinball", "crps")


@dataclass
class ForecastScore:
    """What :func:`.scoring.score_forecast` found: ``summary`` (one row: the mean over series of
    each per-series metric, as a panel backtest's), ``per_series`` (one row per series),
    ``rows`` (every forecast row with its actual ``y``, NaN where it has none, and
    ``error``), ``pending`` (forecast rows dated after their series' last actual) and
    ``notes`` (lines to read: also the rows of series or dates the actuals lack). The
    ``model`` column names a model as the forecast does (its ``model`` column, or
    NeuralForecast's ``LSTM``); "forecast" where it names none.

    A forecast of several cutoffs (a cross-validation's ``cutoff`` column, a backtest's
    ``origin``: :mod:`.score_cutoff_metrics`) has one ``summary`` row per model (over all
    its cutoffs, as ``rnnlab backtest``'s summary), ``per_series`` rows per model and
    series, and ``by_cutoff``: one row per model and cutoff (the cutoff read as a date on
    the actuals' calendar). A forecast of one cutoff has ``by_cutoff`` as its summary with
    that cutoff (its date too; a label that is no date as written); one without: None."""

    summary: pd.DataFrame
    per_series: pd.DataFrame
    rows: pd.DataFrame
    pending: int
    notes: List[str] = field(default_factory=list)
    keys: Tuple[str, ...] = ()  # the key columns beside unique_id (State, Zone), if any
    by_cutoff: Optional[pd.DataFrame] = None  # per model and cutoff (a forecast with cutoffs)
    # how the actuals' dates are written (a panel's ds_period, ds_written: 'Q-DEC' for
    # 2013Q4, '%Y-%m' for 2016-09), so the cutoffs are shown so; (None, None): as dates
    dates_form: Tuple[Optional[str], Optional[str]] = (None, None)

    def __repr__(self) -> str:  # (the dataclass' printed the three tables, cut by pandas)
        if "n_cutoffs" in self.summary and self.by_cutoff is not None:  # (several cutoffs)
            n = self.by_cutoff[CUTOFF].nunique()  # (or one, of several models)
            return (f"ForecastScore({int(self.summary['n_forecasts'].sum())} forecasts of "
                    f"{len(self.summary)} model(s) at {n} cutoff{'s' if n != 1 else ''} "
                    f"scored, {self.pending} pending{notes_said(self.notes)}; "
                    f".table(), .cutoff_table(), .summary, .by_cutoff, .per_series, .rows, "
                    f".notes)")
        row = self.summary.iloc[0]
        said = ", ".join(f"{k.upper()} {row[k]:.4g}" for k in ("mae", "rmse", "mase")
                         if k in row.index)
        return (f"ForecastScore({int(row['n_forecasts'])} forecasts of "
                f"{len(self.per_series)} series scored, {self.pending} pending, {said}"
                f"{notes_said(self.notes)}; .table(), .summary, "
                f".per_series, .rows, .notes)")

    def table(self) -> pd.DataFrame:
        """The summary's columns a person reads first (intervals' where the forecast has
        them; with several cutoffs, each row's ``model`` and ``n_cutoffs`` first)."""
        return self.summary[shown_columns(self.summary, ["model", "n_cutoffs"])]

    def cutoff_table(self) -> pd.DataFrame:
        """:meth:`table`'s columns for each model and cutoff (``--by cutoff``); a
        DataError for a forecast without a cutoff column."""
        if self.by_cutoff is None:
            raise DataError("the forecast has no cutoff column ('cutoff', as NeuralForecast's "
                            "cross_validation writes it, or 'origin', as rnnlab backtest's "
                            "forecasts.csv): there is no cutoff to score it by; leave out "
                            "--by cutoff")
        return self.by_cutoff[shown_columns(self.by_cutoff, ["model", CUTOFF])]


def shown_columns(table: pd.DataFrame, first) -> list:
    """``first`` (those of them ``table`` has, "model" only beside several models), then
    :data:`SHOWN` and the intervals' columns that ``table`` holds: coverage and width of
    each, ``wql`` and an ``msis`` (:func:`rnnlab.panel.printed_scores.score_columns`)."""
    from ..panel.printed_scores import score_columns

    lead = [c for c in first if c in table and (c != "model" or "n_cutoffs" in table
                                                 or CUTOFF in table)]
    return lead + [c for c in SHOWN if c in table] + score_columns(table)


def keyed(score: ForecastScore, kinds) -> ForecastScore:
    """``score`` with the key columns the ids join (``kinds``: the actuals') beside
    ``unique_id`` in its per-series table and rows."""
    from ..panel.key_columns import with_key_columns

    if not kinds:
        return score
    return replace(score, per_series=with_key_columns(score.per_series, kinds),
                   rows=with_key_columns(score.rows, kinds), keys=tuple(k for k, _ in kinds))


def unscored_notes(rows: pd.DataFrame, ys: pd.DataFrame) -> Tuple[List[str], int]:
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
                     f"({span(pending['ds'])}): left out of the scores")
    if len(gaps):
        notes.append(f"{len(gaps)} forecasts fall on dates the actuals skip ({span(gaps['ds'])}"
                     f"; a month that never arrived?): left out of the scores")
    if len(unknown):
        ids = sorted(set(map(str, unknown["unique_id"])))
        notes.append(f"{len(ids)} series of the forecast are not in the actuals: "
                     f"{', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''} (their "
                     f"{len(unknown)} forecasts left out of the scores)")
    return notes, len(pending)


def span(dates: pd.Series) -> str:
    dates = pd.Series(dates)
    lo, hi = dates.min(), dates.max()
    shown = [d.date() if isinstance(d, pd.Timestamp) and d == d.normalize() else d
             for d in (lo, hi)]
    return f"{shown[0]}" if lo == hi else f"{shown[0]} .. {shown[1]}"


def notes_said(notes: List[str]) -> str:
    return "" if not notes else f", {len(notes)} note{'s' if len(notes) > 1 else ''}"
