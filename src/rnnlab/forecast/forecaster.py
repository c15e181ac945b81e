"""Forecaster: a series in, a trained, evaluated, plottable, saveable forecaster out (its
fitting and saving here; its forecasts in :mod:`.forecasting`; its evaluation, backtest
and plots in :mod:`.fitted_outputs`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Type, TypeVar

import numpy as np

from ..data.filling import filled_apart, history_before
from ..data.series import Series, check_part_varies
from ..data.windows import make_windows
from ..idle_settings import forecaster_rules, warn_idle
from ..io.errors import DataError
from ..setting_names import config_of
from ..train.failed_fit import kept_unless_done
from ..train.member_hook import check_hook
from ..train.process_state import process_state_kept
from ..type_aliases import Column, StrPath, Unpack
from . import baselines as B
from . import selection as S
from .choice import choose_on_origins
from .config import ForecastConfig
from .holidays import series_flags, with_flags
from .fit_input import read_fit_input
from .fitted_outputs import FittedOutputs
from .forecasting import MAX_STEPS  # noqa: F401  (its old home)
from .series_checks import plan_series_fit
from .net import Ensemble
from .training import (KIND, _distributed_env, auto_batch, auto_steps, fit_devices,  # noqa: F401
                       run_training, train_members, val_windows)
from .transform import Pipeline
from .typed_settings import ForecastSettings


# fit and load give the class they are called on: a subclass keeps its methods to a checker
ForecasterT = TypeVar("ForecasterT", bound="Forecaster")


if TYPE_CHECKING:  # (a checker sees a plain class: a misspelt class attribute stays an error)
    _Meta = type
else:  # (Darts' RNNModel.load_from_checkpoint(name) on the class says what does its work)
    from ..panel.peer_class import PeerNamedClass as _Meta


class Forecaster(FittedOutputs, metaclass=_Meta):
    """One series: fit a recurrent network (a seed ensemble) on its training part, choose it
    or a baseline on a validation tail, forecast, evaluate on the held-out end, save, load.

    Args:
        model: the architecture (``rnnlab models`` lists them: lstm, gru, rnn, dt-rnn, ...).
        lookback: the input window, in steps.
        horizon: the steps forecast; also the held-out end's length unless ``test_size``.
        config: a whole :class:`~rnnlab.forecast.ForecastConfig` instead of keywords.
        **settings: any other :class:`ForecastConfig` field (``hidden_size``, ``epochs``,
            ``ensemble``, ``test_size``, ``fill``...: ``help(ForecastConfig)`` lists them).

    >>> from rnnlab import Forecaster
    >>> f = Forecaster("gru", lookback=12, horizon=12, epochs=2, ensemble=1, progress=False)
    >>> f = f.fit("airline")        # a dataset's name, a CSV path, pandas or numpy: self
    >>> f.predict().index[0], len(f.predict())    # a pandas Series after the data's end
    (Timestamp('1961-01-01 00:00:00'), 12)
    >>> f.evaluate().loc[["model", "naive"]].columns.tolist()   # methods by metrics
    ['rmse', 'mae', 'mape', 'smape', 'mase', 'mse']
    """

    _peer_methods = "SERIES_PEER_METHODS"  # (the metaclass's table: a one-series model's)

    def __init__(self, model: str = "lstm", lookback: int = 12, horizon: int = 12,
                 config: Optional[ForecastConfig] = None,
                 **settings: Unpack[ForecastSettings]) -> None:
        self.config = config_of(ForecastConfig, "Forecaster", config, settings, (
            "rnnlab.panel.config:PanelConfig", "rnnlab.panel.GlobalForecaster, which takes one "
            "series or many, with quantiles and covariates"), model=model, lookback=lookback,
            horizon=horizon)
        # the data fitted: as given, but a gap that bfill/interpolate filled just before the
        # test part refilled from the training part alone (``series_filled_apart``)
        self.series: Optional[Series] = None
        self.net: Optional[Ensemble] = None
        self.pipeline: Optional[Pipeline] = None
        self.period: Optional[int] = None
        self.n_train = 0
        self.histories: List[Dict[str, Any]] = []
        self.choice: Dict[str, Any] = {"method": "network"}  # what predict() uses (selection)
        self.ar: Optional[B.LinearAR] = None  # the linear_ar baseline, fitted where the network is
        self.ar0: Optional[B.LinearAR] = None  # linear_ar0: no constant, on the differences
        self.arma: Optional[B.ARMA] = None  # arma: ARMA(2, 1), no constant, on the differences
        self.is_main = True  # False on a torchrun rank other than 0: that process writes nothing
        self.off_grid = "refuse"  # fit's off_grid=: how predict(history=...) reads by default

    def __repr__(self) -> str:
        from ..model_repr import forecaster_repr

        return forecaster_repr(self)

    # ------------------------------------------------------------------ fitting
    def fit(self: ForecasterT, data: Any, column: Column = None, date_column: Column = None,
            checkpoint_dir: Optional[StrPath] = None, resume: bool = False,
            fetch: Optional[Callable[[str], bytes]] = None, *, accelerator: Optional[str] = None,
            devices: int = 1, num_nodes: int = 1, strategy: str = "auto", precision: str = "32",
            checkpoint_every: int = 0, on_nonfinite: str = "stop", val_data: Any = None,
            on_epoch: Optional[Callable[[int, Dict[str, Any]], None]] = None,
            encoding: Optional[str] = None, off_grid: str = "refuse",
            **peer: Any) -> ForecasterT:
        """Train on ``data`` (a dataset name, stooq:SYM, CSV path, pandas or numpy) without its
        last ``test_size`` points and return the forecaster; each call starts afresh (a fit
        before is replaced, and the same seed gives the same forecaster; a fit that raises,
        an ``on_epoch`` pruning a trial too, leaves the one before whole). Validation uses
        the training part's tail, which the network never trains on: early stopping and
        the choice between the network and its baselines (``self.choice``) both score
        forecasts from ``origins`` rolling origins in it; or in ``val_data``, a series of
        its own that continues ``data`` (read as ``data`` is; Keras' ``validation_data``):
        all of ``data`` trains, and nothing after ``val_data`` is held out
        (:mod:`.val_data`). ``on_epoch(epoch, record)`` runs after each member's epoch, as
        ``rnnlab.train.fit``'s (``record["member"]``: which; ``record["refit"]``: True in
        ``refit``'s training after the choice). Training uses ``config.threads``
        CPU threads (torch's setting is restored after); each member seeds torch, numpy and
        random, whose states are restored after too. ``column``, ``date_column``: a table's
        series and dates (:func:`~rnnlab.data.series.load_series`); ``fetch(url) -> bytes``
        replaces a stooq download; ``encoding``: a CSV file's text encoding, ``data``'s and
        ``val_data``'s (``'cp1252'``; default UTF-8, as ``--encoding``); ``off_grid``: the
        one or two dates that break the grid of ``data``'s (and ``val_data``'s) other dates,
        'refuse' (named), 'drop' (their rows) or 'snap' (each dated as the grid expects),
        as ``load_series(off_grid=...)`` and ``--off-grid``; kept as ``self.off_grid``,
        the policy ``predict(history=...)`` reads with unless given another.

        ``checkpoint_dir``: each ensemble member checkpoints into ``member<k>/`` at every epoch
        end and every ``checkpoint_every`` optimizer steps; ``resume=True`` continues each
        member from its last checkpoint (a member that had finished is not trained again; one
        its time budget stopped trains on under a larger ``max_seconds``, or none, and is
        kept under the same one, said with :class:`rnnlab.BudgetStopWarning`).
        ``on_nonfinite``: ``stop`` (default: raise TrainingDiverged) or ``skip`` NaN/Inf steps
        (counted in ``histories[k]["skipped_steps"]``).

        Data parallelism (``devices`` processes per node, ``num_nodes`` nodes under torchrun;
        ``strategy`` auto | ddp; ``precision`` 32 | bf16-mixed | 16-mixed; ``accelerator``
        auto | cpu | cuda; auto, the default, follows ``config.device``): each global batch of
        ``batch_size`` windows is split into contiguous, non-overlapping rows, one part per
        process, and DDP averages the gradients, so N processes follow the same trajectory
        as one. Only rank 0 writes checkpoints; under torchrun ``is_main`` is False on the
        other ranks, whose Forecaster must not write anything either. Covariates
        (Darts' ``future_covariates=``) are refused, naming the model that reads them."""
        from ..train.budget_note import say_budget_stop
        from ..panel.peer_arguments import refuse_peer_arguments

        refuse_peer_arguments("fit", peer, "Forecaster")
        cfg = self.config
        dev_cfg, device = fit_devices(cfg, accelerator, devices, num_nodes, strategy, precision,
                                      checkpoint_every, on_nonfinite)
        check_hook(on_epoch, dev_cfg)
        warn_idle(self.config, forecaster_rules(self.config), "Forecaster.fit")
        series, cfg, digest = read_fit_input(  # (.fit_input)
            data, cfg, val_data, checkpoint_dir, resume, column=column,
            date_column=date_column, fetch=fetch, encoding=encoding, off_grid=off_grid)
        # (a fit that raises, a tuner's pruning too, leaves the previous fit whole: .failed_fit)
        with process_state_kept(cfg.threads, training=True), kept_unless_done(self):
            self.off_grid = off_grid  # (predict(history=...) reads as fit read)
            self._fit(series, cfg, dev_cfg, device, checkpoint_dir, resume,
                      precision, checkpoint_every, on_nonfinite, on_epoch, digest)
        # (its time budget stopped members with epochs left: said once, as the panel's fit)
        say_budget_stop(self.histories, cfg.epochs, cfg.max_seconds)
        return self

    def _fit(self: ForecasterT, series, cfg, dev_cfg, device, checkpoint_dir, resume,
             precision, checkpoint_every, on_nonfinite, on_epoch=None,
             digest=None) -> ForecasterT:
        n = len(series.values)
        # (the checks rnnlab forecast runs before its folder: .series_checks, one definition)
        series, k, self.period, split = plan_series_fit(series, cfg)
        values = series.values
        train = values[: n - k]
        n_fit, val = split.n_fit, split.val
        # what is fitted before the validation tail reads values[:n_fit] alone, and each
        # validation origin its own history: a gap filled across one, refilled before it
        filled, fill = series.filled, series.fill or cfg.fill
        fit_train = filled_apart(train, filled, fill, n_fit)
        fit_part = fit_train[:n_fit]
        check_part_varies(fit_train, n_fit, f"series {series.name!r}", "the part before the "
                          "validation tail", "Pass a longer history, or a shorter validation "
                          "tail (val_size)")
        pipe = Pipeline.fit(fit_part, cfg.transform, cfg.difference, self.period, cfg.scaler,
                            cfg.feature_range, later=train[n_fit:],
                            held_out=values[len(train):])  # (decides nothing: .transform)
        if cfg.select in S.ON_DIFFERENCES and not pipe.lag:
            raise DataError(f"select={cfg.select!r} forecasts the differences of a differenced "
                            "series, and this one is not differenced (difference='none', or "
                            "too short for a seasonal one): choose another select")
        z = pipe.to_model(fit_train)  # (n_train - lag,)

        def context(o):  # the look-back before validation origin n_fit + o, where refilled
            h = history_before(train, filled, fill, n_fit + o)  # (o = 0: z_fit's end)
            return None if o == 0 or np.shares_memory(h, train) else \
                pipe.to_model(h)[-cfg.lookback:]
        z_fit, z_val = z[: n_fit - pipe.lag], z[n_fit - pipe.lag:]
        mode = {"direct": "direct", "recursive": "one", "seq2seq": "seq2seq"}[cfg.strategy]
        x, y = make_windows(z_fit, cfg.lookback, mode, cfg.horizon)
        flags = series_flags(series, cfg, pipe.lag)  # (holidays; None without)
        x = with_flags(x, flags, cfg)
        self.ar = B.LinearAR(cfg.lookback).fit(z_fit)
        self.ar0, self.arma = B.change_models(pipe, z_fit, cfg.lookback)
        batch = cfg.batch_size or auto_batch(len(x))
        payload = {"config": cfg, "x": x, "y": y, "val": bool(val), "z_fit": z_fit, "z_val": z_val,
                   "val_windows": val_windows(z_fit, z_val, cfg, context, flags) if val else None,
                   "flags": flags,
                   "batch_size": batch, "max_batches": auto_steps(cfg.batch_size),
                   "checkpoint_dir": None if checkpoint_dir is None else str(checkpoint_dir),
                   "resume": bool(resume), "precision": precision,
                   "checkpoint_every": int(checkpoint_every), "on_nonfinite": on_nonfinite,
                   "device": device, "on_epoch": on_epoch, "data_sha256": digest}
        states, self.histories = run_training(payload, dev_cfg)
        if _distributed_env():
            from ..train.launch_checks import is_main_process

            self.is_main = is_main_process()
        self.net = Ensemble.from_states(cfg, states)
        self.series, self.pipeline, self.n_train = series, pipe, len(train)
        self.last_evaluation = None  # an earlier fit's evaluation is not this one's
        self.choice = self._select(train, n_fit)
        if val:  # (on the training part as a whole: the validation tail is history now)
            self._refit(payload, z if fit_train is train else pipe.to_model(train), mode)
        return self

    def _refit(self, payload: dict, z: np.ndarray, mode: str) -> None:
        """After the choice, fit again on the whole training part (:mod:`.refit`)."""
        from .refit import refit_after_choice

        refit_after_choice(self, payload, z, mode)

    def _select(self, train: np.ndarray, n_fit: int) -> Dict:
        """Score the network and its baselines on rolling origins in the validation tail
        ``train[n_fit:]`` (never the test part) and keep the best (see :mod:`.choice`)."""
        return choose_on_origins(self, train, n_fit)

    # ------------------------------------------------------------------ saving
    def save(self, path: StrPath, overwrite: bool = False, **peer: Any) -> Path:
        """A folder of data: model.safetensors + model.json (config, preprocessing, series).
        A model saved there before is replaced only with ``overwrite=True``."""
        from ..panel.save_load_args import refuse_save_load_arguments
        from .persist import save_forecaster

        refuse_save_load_arguments("Forecaster", "save", peer)  # (save_dataset=)
        self._need_fit()
        return save_forecaster(self, Path(path).expanduser(), overwrite)  # (~ was a folder)

    @classmethod
    def load(cls: Type[ForecasterT], path: StrPath, device: str = "cpu",
             **peer: Any) -> ForecasterT:
        """Rebuild from a folder written by :meth:`save`, on ``device``; nothing in it runs."""
        from ..panel.save_load_args import refuse_save_load_arguments
        from .persist import load_forecaster

        refuse_save_load_arguments("Forecaster", "load", peer)  # (map_location=)
        with process_state_kept(wait=False):  # (threads kept; the build draws from its own generator)
            return load_forecaster(cls, Path(path).expanduser(), device)
