"""What a fitted :class:`~rnnlab.forecast.forecaster.Forecaster` gives besides its
forecasts (:mod:`.forecasting`): the evaluation on the held-out end, a rolling-origin
backtest of its configuration, and plots. The methods of :class:`FittedOutputs`, which
``Forecaster`` is; fitting, saving and loading are in ``Forecaster``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union, overload

import pandas as pd

from ..panel.baseline_names import DEFAULT_BASELINES
from ..type_aliases import Column, StrPath
from .forecasting import Forecasting

if TYPE_CHECKING:  # (matplotlib: imported where a plot is drawn)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..panel.backtest_result import BacktestResult
    from .evaluation import Evaluation


class FittedOutputs(Forecasting):
    """The evaluation, backtest and plots of :class:`~rnnlab.forecast.forecaster.Forecaster`
    (its fitting and saving are there, its forecasts in
    :class:`~rnnlab.forecast.forecasting.Forecasting`)."""

    # ------------------------------------------------------------------ evaluation
    def evaluate(self) -> "Evaluation":
        """Metrics on the held-out part (original scale), the model beside its baselines
        (seasonal_naive, naive, drift, linear_ar, linear_ar0, arma): a DataFrame
        (:class:`~rnnlab.forecast.evaluation.Evaluation`) of methods by metrics of
        ``forecast`` = one multi-step forecast from the end of the training part.
        ``model`` is what :meth:`predict` forecasts with: the candidate in ``choice``
        (chosen on the training part's rolling origins, see :mod:`.selection`); ``network``
        is the trained ensemble's own forecast (absent with ``select="network"``).
        Its keys ``one_step`` = next-value predictions over the test part (true history),
        ``by_step`` = RMSE/MAE per horizon step over rolling origins in the test part, and
        ``forecast``, ``predictions``, ``model``, ... give the details as dicts."""
        from .evaluation import evaluate_forecaster

        self._need_fit()
        return evaluate_forecaster(self)

    def backtest(self, data: Any = None, *, horizon: Optional[int] = None,
                 first_origin: Optional[int] = None, stride: Optional[int] = None,
                 refit: Union[str, int] = "never", baselines: Sequence[str] = DEFAULT_BASELINES,
                 quantiles: Optional[Sequence[float]] = (0.1, 0.5, 0.9), column: Column = None,
                 date_column: Column = None, encoding: Optional[str] = None,
                 off_grid: str = "refuse", **peer: Any) -> BacktestResult:
        """Rolling-origin backtest of this configuration on ``data`` (default: the series
        given to fit; ``column``, ``date_column``, ``encoding``, ``off_grid`` as fit's)
        beside ``baselines`` over the
        same origins, counted back from the end: ``first_origin`` (default ``horizon``)
        steps, then every ``stride``; ``refit`` ``"never"`` (one fit at the first origin)
        or ``k`` (refit every k origins). Returns a ``BacktestResult`` (:mod:`.backtest`):
        ``.forecasts`` (model, origin, ds, step, y, mean, q... at ``quantiles``; this model
        is ``"model"``, its q as predict's; None or (): points only, every model) and
        ``.summary()`` (MASE, RMSE, CRPS, coverage... per model)."""
        from ..panel.peer_backtest_arguments import refuse_backtest_arguments
        from .backtest import backtest_series
        from .history import backtest_data

        refuse_backtest_arguments("Forecaster.backtest", peer, horizon or self.config.horizon)
        from ..data.reading_options import check_reading

        check_reading("Forecaster.backtest", encoding, off_grid)  # (before the file is read)
        data, column = backtest_data(self, data, column, encoding)
        return backtest_series(self.config, data, horizon=horizon, first_origin=first_origin,
                               stride=stride, refit=refit, baselines=baselines,
                               quantiles=quantiles, column=column, date_column=date_column,
                               encoding=encoding, off_grid=off_grid)

    @overload
    def plot(self, path: StrPath, kind: str = ...,
             future: Optional[pd.Series] = ..., ax: Optional[Axes] = ...) -> Path: ...
    @overload
    def plot(self, path: None = ..., kind: str = ..., future: Optional[pd.Series] = ...,
             *, ax: Axes) -> Axes: ...
    @overload
    def plot(self, path: None = ..., kind: str = ..., future: Optional[pd.Series] = ...,
             ax: None = ...) -> Figure: ...

    def plot(self, path=None, kind: str = "forecast", future: Optional[pd.Series] = None,
             ax=None):
        """Plot to ``path``: ``forecast`` (with the test part), ``loss`` or ``horizon``;
        returns the file written. Without ``path``: returns the matplotlib Figure (a
        notebook shows it; ``f.plot(kind="loss")``), nothing written. ``ax``: draw into
        these matplotlib axes (a subplot of your figure, which is left open) and return
        them, or the file written with ``path``. ``future``: the forecast drawn past the
        data (default: :meth:`predict`'s, in its 80% band when it has one; a
        ``predict(quantiles=...)`` table draws a band for each central interval it holds,
        the widest lightest; the model's test-part forecast is drawn in the same bands)."""
        from ..plot_arguments import refuse_kind_as_path
        from .plots import plot_forecaster

        refuse_kind_as_path(path, f"{type(self).__name__}.plot", ("forecast", "loss", "horizon"))
        self._need_fit()
        return plot_forecaster(self, path, kind, future, ax)
