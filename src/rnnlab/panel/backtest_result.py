"""What a rolling-origin backtest gives back: every forecast with its truth, and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, overload

import numpy as np
import pandas as pd

from ..type_aliases import StrPath
from . import metrics as M
from .backtest_args import Refit

if TYPE_CHECKING:  # (matplotlib: imported where a plot is drawn)
    from matplotlib.figure import Figure


@dataclass
class BacktestResult:
    """Forecasts of every model at every origin, with the truth, and their metrics."""

    forecasts: pd.DataFrame  # model, unique_id, origin, ds, step, y, mean, q..., scale, rms_scale
    horizon: int
    offsets: List[int]  # origins, in steps before the panel's last date (align "date")
    # or each series' end ("end")
    refit: Refit
    seconds: Dict[str, float] = field(default_factory=dict)  # fit + predict time per model
    # settings of each model (config.json)
    models: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    data_sha256: Optional[str] = None  # of the panel backtested
    # "date": every series cut at the same dates, counted back from the panel's last date;
    # "end": each at its own, counted back from its own end (:mod:`.origin_align`)
    align: str = "end"
    origin_dates: List[Any] = field(default_factory=list)  # each origin's date ("date")
    ds_period: Optional[str] = None  # the panel's date kind (integer steps shown as such)
    ds_written: Optional[str] = None  # the form of its text dates ('%Y-%m'): files write so
    # the key columns the ids join (:mod:`.key_columns`): per_series gives them beside each id
    keys: Tuple[Tuple[str, str], ...] = ()
    # which implementation each network's recurrent layers trained on ("fused"), as its
    # fits' histories say (`lm train`'s and `rnnlab forecast`'s path); baselines have none
    paths: Dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # (the dataclass' printed the forecasts table)
        fc = self.forecasts
        return (f"BacktestResult(models {list(pd.unique(fc['model']))}, "
                f"{fc['unique_id'].nunique()} series, horizon {self.horizon}, "
                f"{self.origins_said()}, {len(fc)} forecast rows; "
                f".summary(), .per_series(), .by_step(), .forecasts, .plot())")

    def origins_said(self) -> str:
        """What ran, in a line: the origins' dates (every series cut at each) or their
        steps before each series' end."""
        from .origin_align import origins_said

        return origins_said(self.align, list(self.offsets), self.origin_dates, self.ds_period,
                            self.ds_written)

    def origins_json(self) -> Dict[str, Any]:
        """``align``, ``origins_before_end`` (steps, before the panel's last date for
        align='date') and, for align='date', ``origin_dates``: what summary.json and
        config.json record."""
        from .origin_align import origin_text

        out = {"align": self.align, "origins_before_end": list(self.offsets)}
        if self.align == "date":  # (as the panel's dates are given: 2012Q4 for quarters)
            out["origin_dates"] = [None if d is None else origin_text(
                d, self.ds_period, self.ds_written) for d in self.origin_dates]
        return out

    @overload
    def plot(self, kind: str = ..., history: Any = ..., *, series: Any = ..., n: int = ...,
             model: Optional[str] = ..., path: StrPath, **peer: Any) -> Path: ...
    @overload
    def plot(self, kind: str = ..., history: Any = ..., *, series: Any = ..., n: int = ...,
             model: Optional[str] = ..., path: None = ..., **peer: Any) -> Figure: ...

    def plot(self, kind: str = "forecasts", history: Any = None, *, series: Any = None,
             n: int = 6, model: Optional[str] = None, path: Optional[StrPath] = None,
             **peer: Any) -> Any:
        """The plots ``rnnlab backtest`` writes: ``kind`` "forecasts" (a grid of ``n``
        series across the MASE ranking of ``model``, by default the first, or ``series``:
        an id or a list; the recent past drawn from ``history``, the panel backtested,
        when given), "coverage" (80% coverage by step) or "errors" (per-series MASE).
        Returns the matplotlib Figure (closed: a notebook shows it once), or the file
        written with ``path`` (:mod:`rnnlab.panel.backtest_plot`). A raw table's column
        names (``id_column=``) are refused naming ``history=read_panel(df, ...)``."""
        from .backtest_plot import plot_result
        from .peer_arguments import refuse_peer_arguments

        refuse_peer_arguments("plot", peer, "BacktestResult")

        return plot_result(self, kind, history, series, n, path, model=model)

    def save(self, path: StrPath, overwrite: bool = False) -> Path:
        """Forecasts, metrics and config.json (settings, seed, versions, data SHA-256) in
        the run directory ``path`` (:mod:`rnnlab.panel.backtest_save`)."""
        from .backtest_save import save_backtest

        return save_backtest(self, path, overwrite=overwrite)

    def _common(self) -> pd.DataFrame:
        """The rows forecast by every model (a model that skipped a series is compared
        with the baselines on the series it forecast). A NaN or infinite forecast is no
        forecast: its row is left out for every model, with a warning (its series' errors
        were skipped for that model alone, which then stood beside the baselines' scores
        over more series, under the same ``n_series``). The warning is given once per
        result (summary, per_series and by_step each read these rows)."""
        fc = self.forecasts
        keys = ["unique_id", "origin", "step"]
        n_models = fc["model"].nunique()
        given = np.isfinite(fc["mean"].to_numpy(np.float64))
        if not given.all():
            import warnings

            bad = fc[~given]
            ids = list(pd.unique(bad["unique_id"]))
            if not self.__dict__.get("_said_not_finite"):
                warnings.warn(f"backtest scores: {len(bad)} forecasts are NaN or infinite "
                              f"(models {sorted(map(str, pd.unique(bad['model'])))}; series "
                              f"{', '.join(map(str, ids[:5]))}{' ...' if len(ids) > 5 else ''}"
                              f"); every model is scored without those rows (common=False "
                              f"scores each on its own)", stacklevel=3)
                self._said_not_finite = True
            fc = fc[given]
        counts = fc.groupby(keys)["model"].nunique()
        ok = counts[counts == n_models].index
        return fc.set_index(keys).loc[lambda d: d.index.isin(ok)].reset_index()

    def summary(self, common: bool = True) -> pd.DataFrame:
        """Per model: mean over series of mase, rmsse, rmse, mae, mape, smape, pinball, crps,
        coverage80, width80 (and their scaled versions), n_series, n_forecasts, seconds."""
        return self._summary(M.add_errors(self._common() if common else self.forecasts))

    def _summary(self, errors: pd.DataFrame) -> pd.DataFrame:
        out = M.summarize(errors)
        out["seconds"] = out["model"].map(self.seconds)
        return out

    def tables(self, common: bool = True) -> Tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(summary(), per_series(), by_step())`` from one pass over the forecasts: each
        of the three alone computes every forecast's errors and CRPS again (what a run
        directory's files take: 2 s per 100,000 forecast rows, three times, and twice
        more for the plots)."""
        errors = M.add_errors(self._common() if common else self.forecasts)
        return self._summary(errors), self._keyed(M.per_series(errors)), M.by_step(errors)

    def per_series(self, common: bool = True) -> pd.DataFrame:
        """Per model and series: the metrics of :meth:`summary`, over the rows every model
        forecast (as summary; ``common=False``: each model over its own rows)."""
        return self._keyed(M.per_series(self._common() if common else self.forecasts))

    def _keyed(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with the key columns the ids join beside ``unique_id``."""
        from .key_columns import with_key_columns

        return with_key_columns(table, self.keys)

    def by_step(self, common: bool = True) -> pd.DataFrame:
        """Per model and horizon step, over the rows every model forecast (as
        :meth:`summary`; ``common=False``: each model over its own rows)."""
        return M.by_step(self._common() if common else self.forecasts)

    def paired_tests(self, loss: str = "absolute", metric: str = "mase") -> pd.DataFrame:
        """The first model against each other one, paired on the rows every model
        forecast: one series, Diebold-Mariano (HLN) of each origin's mean ``loss``
        ("absolute" or "squared" error); a panel, Wilcoxon's signed-rank test of each
        series' ``metric`` (a ``per_series()`` column where lower is better: coverage80
        and below_q0.9, best at their nominal level, are refused, as are width80 and
        scaled_width80, narrower for an interval that misses more; one series pairs
        ``loss`` and reads no ``metric``: any but "mase" is refused there, as a panel
        refuses any ``loss`` but "absolute"). One row per
        comparison: n pairs, statistic, two-sided p,
        Holm-adjusted p, and a note where there is no number (too few pairs)
        (:mod:`rnnlab.panel.backtest_tests`; needs scipy)."""
        from .backtest_tests import paired_tests, tests_frame

        return tests_frame(paired_tests(self, loss, metric))
