"""GlobalForecaster: one network across all series of a panel (or one per series), with
covariates, quantiles or a likelihood, seed ensembles, save and load.

    f = GlobalForecaster("lstm", lookback=24, horizon=12, quantiles=(0.1, 0.5, 0.9))
    f.fit(panel.cut(12))                    # PanelFrame from read_panel
    f.predict(12)                           # unique_id, ds, step, mean, q0.1, q0.5, q0.9

Ensembles combine distributions, not point forecasts (:mod:`rnnlab.panel.ensemble_forecast`
turns the members' outputs into the forecast table).
"""

from __future__ import annotations

from typing import (TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar,
                    overload)

import pandas as pd
from torch import nn

from ..data.reading_options import fitted_off_grid
from ..idle_settings import panel_rules, warn_idle
from ..setting_names import config_of
from ..type_aliases import StrPath, Unpack
from ..train.failed_fit import kept_unless_done
from ..train.process_state import process_state_kept
from .config import PanelConfig
from .covariate_checks import warn_unread_country
from .covariates import read_columns, warn_unread
from .features import Features
from .forecast_inputs import check_history_kinds, ds_kind, predict_inputs, read_history
from .frame import ID, PanelData, as_panel
from .global_fit import fit_global
from .history_static import static_of_history
from .date_kind import as_given
from .int_steps import steps_in_errors
from . import model_paths
from .model_forecast import forecast_table
from .net import built_net
from .outlier_check import warn_panel_spikes
from .peer_arguments import refuse_peer_arguments, refuse_peer_call
from .typed_settings import PanelSettings
from .saving import KIND  # noqa: F401  (the saved model's kind, kept importable here)

if TYPE_CHECKING:  # (matplotlib: imported where a plot is drawn)
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .backtest_result import BacktestResult

# fit and load give the class they are called on: a subclass keeps its methods to a checker
GlobalT = TypeVar("GlobalT", bound="GlobalForecaster")


if TYPE_CHECKING:  # (a checker sees a plain class: a misspelt class attribute stays an error)
    _Meta = type
else:
    from .peer_class import PeerNamedClass as _Meta


class GlobalForecaster(metaclass=_Meta):
    """One network trained across all the series of a panel (or one per series with
    ``local=True``): quantile (or likelihood) forecasts, covariates, seed ensembles, save
    and load. The panel protocol, as the baselines': ``fit(panel, static=None)``,
    ``predict(horizon, future=None)``.

    Args:
        model: the architecture (``rnnlab models`` lists them).
        lookback: the input window, in steps of each series.
        horizon: the steps forecast (``predict`` may ask for fewer).
        config: a whole :class:`~rnnlab.panel.PanelConfig` instead of keywords.
        **settings: any other :class:`~rnnlab.panel.PanelConfig` field (``quantiles``,
            ``future_covariates``, ``epochs``, ``ensemble``, ``local``...;
            ``help(PanelConfig)`` lists them with their defaults).

    >>> from rnnlab.panel import GlobalForecaster, load_panel
    >>> panel = load_panel("visnights")             # or read_panel(a CSV, a DataFrame...)
    >>> f = GlobalForecaster("gru", lookback=8, horizon=4, epochs=1, batches_per_epoch=5)
    >>> f = f.fit(panel.cut(4))                     # all but the last 4 steps: self
    >>> list(f.predict().columns)                   # one row per series and step
    ['unique_id', 'ds', 'step', 'mean', 'q0.1', 'q0.5', 'q0.9']
    """

    def __init__(self, model: str = "lstm", lookback: int = 24, horizon: int = 12,
                 config: Optional[PanelConfig] = None,
                 **settings: Unpack[PanelSettings]) -> None:
        self.config = config_of(PanelConfig, "GlobalForecaster", config, settings,
                                model=model, lookback=lookback, horizon=horizon)
        self.features: Optional[Features] = None
        self.members: Optional[nn.ModuleList] = None
        self.tail: Optional[pd.DataFrame] = None  # the last rows of each series seen by fit
        self.weights_sha256: Optional[str] = None  # a loaded model's file (.saving)
        self.local: Dict[str, "GlobalForecaster"] = {}
        self.histories: List[Dict[str, Any]] = []
        self.id_kind, self.ds_period = "str", None  # the fitted panel's id type, date periods
        self.keys: Tuple[Any, ...] = ()  # the fitted panel's key columns (:mod:`.key_columns`)
        self.week: Optional[str] = None  # the fitted panel's weekmask (:mod:`.panel_week`)
        self.calibration: Optional[Dict[str, Any]] = None  # interval offsets (:mod:`.calibration`)
        self.off_grid = "refuse"  # fit's off_grid=: how predict(history=...) reads by default

    if not TYPE_CHECKING:  # (hidden from checkers: a misspelt attribute stays an error there)
        def __getattr__(self, name: str):  # only names not found: the peers' methods named
            from .peer_methods import PEER_METHODS, peer_attribute

            return peer_attribute(self, name, PEER_METHODS)

    def __repr__(self) -> str:
        from ..model_repr import model_repr

        n = len(self.local) if self.local else (
            None if self.members is None or self.tail is None else self.tail[ID].nunique())
        return model_repr(self, f"fitted on {n} series" if n else None)

    # ------------------------------------------------------------------ fitting
    def fit(self: GlobalT, panel: Optional[PanelData] = None,
            static: Optional[pd.DataFrame] = None, *,
            on_epoch: Optional[Callable[[int, Dict[str, Any]], None]] = None,
            checkpoint_dir: Optional[StrPath] = None, resume: bool = False,
            checkpoint_every: int = 0, encoding: Optional[str] = None,
            off_grid: str = "refuse",
            **peer: Any) -> GlobalT:
        """Train on all of ``panel`` (a :class:`PanelFrame`, or anything
        :func:`~rnnlab.panel.read_panel` reads; cut off what must be held out before) and
        return the forecaster. ``static``: one row per series, ``unique_id`` and the
        ``static_covariates`` columns. The last
        ``val_size`` points of each series are the validation tail for early stopping; the
        per-series transforms and covariate scalers see only the rows before it. The
        caller's RNG states (torch, numpy, random) are as they were when it returns.
        ``on_epoch(epoch, record)`` runs after each member's epoch, as the one-series
        Forecaster's (``record["member"]``: which; ``local=True``: each series' in turn).
        ``checkpoint_dir``: checkpoints at each epoch end (and every ``checkpoint_every``
        optimizer steps); ``resume=True`` goes on from the latest to the uninterrupted fit's
        model (other data or settings: refused; :mod:`.checkpoints`).
        ``encoding``: a CSV file's text encoding (``'cp1252'``; default UTF-8, as
        ``--encoding``); ``off_grid``: a series' one or two dates that break its grid,
        'refuse' (named), 'drop' or 'snap', as ``read_panel(off_grid=...)`` and
        ``--off-grid``; kept (``.off_grid``, saved) as ``predict(history=...)``'s default."""
        from ..data.reading_options import check_reading
        from ..io.encoded_path import named_call
        from ..train.member_hook import check_hook
        from .checkpoints import panel_checkpoints
        from ..train.budget_note import say_budget_stop

        # (fit(df=...), NeuralForecast's; fit(series=...), Darts'; static_df=: static=)
        refuse_peer_call("fit", peer, "GlobalForecaster", panel)
        check_hook(on_epoch)
        check_reading("GlobalForecaster.fit", encoding, off_grid)
        ck = panel_checkpoints(checkpoint_dir, resume, checkpoint_every)
        warn_unread(self.config, static=static)
        warn_unread_country(self.config.country, self.config.calendar)  # (Prophet's habit)
        warn_idle(self.config, panel_rules(self.config), "GlobalForecaster.fit")
        with named_call("GlobalForecaster.fit"):  # (encoding= hinted as fit's)
            panel = as_panel(read_columns(panel, self.config, encoding=encoding,
                                          off_grid=off_grid))
        # (integer steps named as such: .int_steps; each member seeds torch, numpy, random)
        with steps_in_errors(panel.ds_period), process_state_kept(training=True):
            warn_panel_spikes(panel.df, self.config.scale)  # (a 1e9 among 100s: said)
            with kept_unless_done(self):  # (a fit that raises leaves the previous one whole)
                self.off_grid = off_grid  # (predict(history=...) reads as fit read)
                fit_global(self, panel, static, on_epoch, ck)
        local = [h for m in self.local.values() for h in m.histories]  # (local=True)
        say_budget_stop(local or self.histories, self.config.epochs,
                        self.config.max_seconds, "series' network" if local else "network")
        return self

    @property
    def _net_horizon(self) -> int:
        """Steps the network outputs: the horizon (direct), or one (recursive)."""
        return 1 if self.config.strategy == "recursive" else self.config.horizon

    _build = built_net  # (one member's network, of ``n_features`` inputs: fit's, load's)

    # ------------------------------------------------------------------ forecasting
    def predict(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                history: Optional[PanelData] = None, *,
                static: Optional[pd.DataFrame] = None,
                future_covariates: Optional[pd.DataFrame] = None,
                panel: Optional[PanelData] = None, encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame:
        """Forecast ``horizon`` (<= the trained horizon) steps after each series' end: of
        the training data, or of ``history`` (new observed data for the same series; the
        protocol's keyword, as the baselines'; a CSV path read with ``encoding`` and
        ``off_grid`` as :meth:`fit` reads, ``off_grid`` by default fit's). ``future``: long
        table ``unique_id, ds, <future covariates>`` over those steps. Returns ``unique_id, ds, step, mean`` and
        ``q{level}`` columns, monotone in level (``mean``: the point forecast, which for a
        quantile model, the default, is its median, level 0.5: it has no mean); the ids of the type given (``history``'s,
        else the training panel's). ``static``: the static covariates of ``history``'s
        series, one row per series (NeuralForecast's ``static_df``; a series not fitted on
        needs them). ``future_covariates=``: the same as ``future=``;
        ``panel=``: deprecated name of ``history``."""
        refuse_peer_arguments("predict", peer)  # (futr_df=: future= here)
        future, history = predict_inputs(future, future_covariates, history, panel)
        warn_unread(self.config, future=future)
        read = read_history(self, history, "GlobalForecaster.predict", encoding=encoding,
                            off_grid=fitted_off_grid(self, off_grid))  # (None: fit's)
        if static is not None:  # (joined onto the history: a new series' values)
            read = static_of_history(self, read, static, history is not None)
        with steps_in_errors(ds_kind(self, read)):
            if history is not None:  # (a forecast starts from its last values)
                warn_panel_spikes(read.df, self.config.scale, what="the new data (history=): ")
            check_history_kinds(self, read, future)
            return as_given(self._forecast(horizon, future, read), self, read)

    def make_future_dataframe(self, horizon: Optional[int] = None,
                              history: Optional[PanelData] = None, **peer: Any) -> pd.DataFrame:
        """The table ``predict(future=...)`` takes: ``unique_id, ds`` over the ``horizon``
        (default: the trained one) dates after each series' end (of the data fitted on,
        or of ``history``), in the kinds of ids and dates given, and one NaN column per
        future covariate to fill (NeuralForecast's ``make_future_dataframe``;
        :mod:`.future_frame`)."""
        from .future_frame import future_frame

        refuse_peer_arguments("make_future_dataframe", peer)  # (df=: history= here)
        return future_frame(self, horizon, history)

    def predict_insample(self, history: Optional[PanelData] = None, step_size: int = 1,
                         **peer: Any) -> pd.DataFrame:
        """In-sample forecasts (NeuralForecast's ``predict_insample``, Darts'
        ``historical_forecasts(retrain=False)``): the weights fitted, from each cutoff of
        ``history`` (the panel fitted on) ``step_size`` steps apart, counted back from each
        series' end, where a full look-back lies before it. Each reads the values up to its
        cutoff only: ``predict(history=history.cut(k))`` for k = 1, 1 + step_size, ...
        (:mod:`.insample`). Returns ``unique_id, ds, cutoff, step, y, mean`` and the
        ``q{level}`` columns, the steps with an actual ``y`` only."""
        from .insample import predict_insample

        refuse_peer_arguments("predict_insample", peer)  # (Darts' stride=: step_size=)
        with steps_in_errors(self.ds_period):
            return predict_insample(self, history, step_size)

    # sample paths of a likelihood model (the function itself, as _forecast: .model_paths;
    # static= as predict's)
    sample_paths = model_paths.sample_paths

    # the forecast table after ``panel`` (the function itself: no frame of its own, the
    # warnings' stacklevels reach the caller's line as they did)
    _forecast = forecast_table

    @overload
    def plot(self, series: Any = ..., horizon: Optional[int] = ..., future: Any = ...,
             history: Any = ..., *, static: Any = ..., n: int = ...,
             ax: Optional[Axes] = ..., path: StrPath, **peer: Any) -> Path: ...
    @overload
    def plot(self, series: Any = ..., horizon: Optional[int] = ..., future: Any = ...,
             history: Any = ..., *, static: Any = ..., n: int = ..., ax: Axes,
             path: None = ..., **peer: Any) -> Axes: ...
    @overload
    def plot(self, series: Any = ..., horizon: Optional[int] = ..., future: Any = ...,
             history: Any = ..., *, static: Any = ..., n: int = ..., ax: None = ...,
             path: None = ..., **peer: Any) -> Figure: ...

    def plot(self, series=None, horizon: Optional[int] = None, future=None, history=None, *,
             static=None, n: int = 4, ax=None, path=None, **peer: Any):
        """The forecast of :meth:`predict` (its ``horizon``, ``future``, ``history``,
        ``static``) after the recent past the model reads, in a band for each central
        interval its quantiles hold (a fan, the widest lightest): the first ``n`` series, or ``series`` (an id or a list). Returns the Figure (closed: a notebook
        shows it once), the file written with ``path``, or ``ax`` (one series drawn into
        the user's axes, whose figure is left open)."""
        from .forecast_plot import plot_model_forecast, refuse_path_as_series, \
            refuse_table_as_series

        refuse_peer_arguments("plot", peer)  # (id_column=: history=read_panel(...) here)
        refuse_table_as_series(series)  # before predict's own errors (future= missing, ...)
        refuse_path_as_series(series, [] if self.tail is None else self.tail[ID].astype(str))
        fc = self.predict(horizon, future, history, static=static)
        return plot_model_forecast(self, fc, history, series, n, ax, path)

    # ------------------------------------------------------------------ saving
    def backtest(self, data: Any, **options: Any) -> BacktestResult:
        """Rolling-origin backtest of this configuration on ``data`` (anything
        :func:`~rnnlab.panel.read_panel` takes) beside the baselines over the same origins:
        see :func:`rnnlab.panel.model_backtest.backtest_config` for ``options``
        (``encoding``, ``off_grid``: how a CSV file is read, as :meth:`fit`'s;
        ``id_column``, ``date_column``, ``target``, ``fill``: a table's own columns, as
        :func:`~rnnlab.panel.read_panel`'s)."""
        from .model_backtest import backtest_config

        result = backtest_config(self.config, data, **options)
        self._backtested = True  # (it fitted copies: predict before fit says so; not if it failed)
        return result

    def save(self, path: StrPath, overwrite: bool = False, **peer: Any) -> Path:
        """Write ``model.safetensors`` and ``model.json`` into the folder ``path``, returned
        (:mod:`.saving`; ``local=True``: one model per series, one weights file); a model
        saved there before is replaced only with ``overwrite=True``."""
        from .saving import save_forecaster

        return save_forecaster(self, path, overwrite, peer)  # (save_dataset=: refused)

    @classmethod
    def load(cls: Type[GlobalT], path: StrPath, **peer: Any) -> GlobalT:
        """Rebuild from a folder written by :meth:`save`; nothing in it runs."""
        from .saving import load_forecaster

        with process_state_kept(wait=False):  # (threads kept; the build draws from its own generator)
            return load_forecaster(cls, path, peer)  # (map_location=: refused, said why)
