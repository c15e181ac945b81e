"""Rolling-origin backtest of a panel model beside its baselines, on the same origins.

Origins are counted back in steps: ``first_origin = k`` puts the first origin ``k`` steps
before the end (the last ``k`` values are held out), and each next origin ``stride`` steps
later, while a full ``horizon`` of truth follows it. With ``first_origin=36, horizon=12,
stride=12`` the origins lie 36, 24 and 12 steps before the end. Which end is ``align``'s
(:mod:`.origin_align`):

* ``align="date"`` (the default, ``None``): from the panel's latest date; at each origin
  every series is cut at the same date, so no model fitted there has seen any series'
  value dated after it. A series that ends before an origin is fitted on (its values all
  precede it) but not scored there; one that ends within the horizon after it is scored on
  the values it has (a model that reads future covariates needs them over the whole
  horizon: such a series is not scored there); a series with fewer than ``min_length``
  values before it is left out there. A warning names them.
* ``align="end"``: from each series' own end (the only origins before ``align=``): series
  of different end dates are each cut at their own origins, so a global model fitted at an
  origin may have seen other series' later values (never any of the same series after
  its origin).

Where every series ends on the same date the two are the same cuts and the same numbers.
The result says which ran (``BacktestResult.align``, ``.origins_said()``, ``summary.json``).

Nothing is fitted on data after an origin:

* ``refit="never"``: one model is fitted on the panel cut at the first origin; at each
  later origin it predicts from the observed history up to that origin, through the
  protocol's keyword ``predict(horizon, future=..., history=panel_up_to_origin)`` (a
  model without it needs ``refit=1``);
* ``refit=k``: a fresh model (``make_model()``) is fitted at the first origin and every
  ``k``-th origin after it, and predicts from history in between (``refit=1``: fit at
  every origin, ``history`` used only to leave out the series not scored there).

``future``: the future-known covariates over the horizon after each origin (columns
``future_covariates``; by default the model's ``future_covariates``, or its
``config.future_covariates``), read
from the panel, since they are known ahead by definition. Past covariates and the target
after the origin are never shown to the model.
"""

from __future__ import annotations

from typing import (Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence, Tuple,
                    Union)

import pandas as pd

from .backtest_checkpoints import backtest_checkpoints, kept_run
from .backtest_args import (CheckedRefit, Refit, check_refit, checked_baselines,
                            different_levels, instantiate, named_models, origin_offsets)
from .backtest_result import BacktestResult
from .backtest_save import panel_sha256
from .call_args import horizon_steps, step_count
from .date_kind import given_kinds
from .outlier_check import warn_panel_spikes
from .origin_align import check_align
from .origin_cuts import cut_at_origins, with_df
from .origin_loop import forecast_models, run_record
from .peer_backtest_arguments import refuse_backtest_arguments
from .refill import filled_truth
from .week_freq import model_week, read_on_week
from ..callers_line import callers_level
from ..io.encoded_path import named_call
from ..io.errors import ConfigError, ConfigTypeError, DataError
from ..train.budget_note import budget_said_once
from ..type_aliases import Column


class PanelModel(Protocol):
    """What the backtest needs of a model (every baseline and the global model)."""

    def fit(self, panel, static: Optional[pd.DataFrame] = None) -> "PanelModel":
        """Train on all of ``panel.df`` (the backtest has cut off what is held out)."""

    def predict(self, horizon: int, future: Optional[pd.DataFrame] = None,
                history=None) -> pd.DataFrame:
        """``unique_id, ds, step, mean, q...`` for the ``horizon`` steps after each series'
        last date: of ``history`` (a panel up to a later origin, predicted from without
        refitting) when given, else of the panel fitted on."""


def backtest(make_model: Union[Callable[[], object], Mapping[str, Any], None], panel: Any, *,
             horizon: Optional[int] = None,  # (required: None only to name h= when given)
             first_origin: Optional[int] = None, stride: int = 1, refit: Refit = "never",
             static: Optional[pd.DataFrame] = None, baselines: Sequence[Any] = (),
             future_covariates: Optional[Sequence[str]] = None,
             quantiles: Optional[Sequence[float]] = None, name: str = "model",
             min_length: int = 2, progress: Optional[Callable[[str], None]] = None,
             align: Optional[str] = None, weekmask: Optional[str] = None,
             id_column: Column = None, date_column: Column = None, target: Column = None,
             fill: Optional[str] = None, encoding: Optional[str] = None,
             off_grid: str = "refuse", checkpoint_dir: Optional[Any] = None,
             resume: bool = False, checkpoint_every: int = 0,
             **peer: Any) -> BacktestResult:
    """Rolling-origin backtest (module docstring). ``first_origin`` defaults to
    ``horizon``; ``stride`` to 1 here (an origin every step: ``first_origin=36,
    horizon=12`` gives 25 origins), where ``rnnlab backtest`` and the models' ``.backtest``
    default it to ``horizon``. ``make_model``: a factory of a fresh,
    unfitted model, or an unfitted model (copied for each fit; None: baselines only), or a
    mapping ``{label: model or factory}`` of several judged over the same origins, one row
    each (labelled by their keys: ``name=`` is for one);
    ``baselines``: names (``"naive"``, ``"seasonal_naive"``, ``"ets"``, built with
    ``quantiles``: by default the model's levels, so every model is scored on the same
    ones, else (0.1, 0.5, 0.9)), classes or instances;
    ``min_length``: a series with fewer values before an origin is left out there; ``panel``:
    a PanelFrame, or what :func:`~rnnlab.panel.read_panel` reads (a DataFrame, a CSV path);
    ``progress``: called with a line of text as each model starts and after each origin
    (seconds so far, an estimate of the rest: a panel of thousands of series takes minutes,
    ETS one model per series); ``align``: "date" (None) or "end", where the origins lie
    (module docstring); ``weekmask``: the data's open days (default: the model's config's).
    ``id_column``, ``date_column``, ``target``, ``fill``, ``encoding``, ``off_grid``: how a
    table (a DataFrame, a CSV path) is read, as :func:`~rnnlab.panel.read_panel` reads it
    (``rnnlab backtest --id-column ...``); refused with a PanelFrame, read already.
    ``checkpoint_dir``: keep each finished (model, origin) fold and the networks' training
    checkpoints there (also every ``checkpoint_every`` optimizer steps); ``resume=True``
    goes on from them after a kill, to the uninterrupted run's tables
    (:mod:`.backtest_checkpoints`)."""
    refuse_backtest_arguments("backtest", peer, horizon, stride)  # (h=, n_windows=, level=)
    ck = backtest_checkpoints(checkpoint_dir, resume, checkpoint_every)
    offsets, horizon, refit, align = _checked_steps(horizon, first_origin, stride, refit,
                                                    min_length, align)
    read = _reading(panel, id_column=id_column, date_column=date_column, target=target,
                    fill=fill, encoding=encoding, off_grid=off_grid)
    baselines = checked_baselines(make_model, baselines, name, quantiles)
    judged = named_models(make_model, name)  # (several: {label: model}, each over the origins)
    panel = _read(panel, weekmask or _week(judged), read)  # (as .fit reads it)
    df = panel.df
    origins = cut_at_origins(panel, offsets, horizon, refit, min_length, align)
    made_up = filled_truth(df, origins.pos < offsets[0], getattr(panel, "filled", None))
    if made_up:
        import warnings

        warnings.warn(made_up, stacklevel=callers_level(2))  # (GlobalForecaster.backtest's
        # caller too: 2 named models_backtest.py)
    models: List[Tuple[Optional[str], Any]] = [  # an (unfitted) instance: a copy per fit
        (label, instantiate(m, None) if hasattr(m, "predict") and not isinstance(m, type)
         else m) for label, m in judged]
    models += [(None, b) for b in baselines]
    warn_panel_spikes(df, None)  # (a 1e9 among values near 100: every model reads it)
    record = {} if ck.directory is None else run_record(  # (no panel hashed twice unkept)
        panel, origins, static, future_covariates, min_length)
    with kept_run(ck, record), budget_said_once():  # (a time budget's stops: one note)
        frames, seconds, settings, paths = forecast_models(
            models, origins, (static, future_covariates), quantiles, progress, ck)
    fc = given_kinds(pd.concat(frames, ignore_index=True), panel)
    mixed = different_levels(fc)
    if mixed:
        import warnings

        warnings.warn(mixed, stacklevel=callers_level(2))
    return BacktestResult(forecasts=fc, horizon=horizon, offsets=offsets, refit=refit,
                          seconds=seconds, models=settings, data_sha256=panel_sha256(panel),
                          align=origins.align, origin_dates=origins.dates,
                          ds_period=getattr(panel, "ds_period", None),
                          ds_written=getattr(panel, "ds_written", None),
                          keys=getattr(panel, "keys", ()), paths=paths)


def _checked_steps(horizon, first_origin, stride, refit, min_length, align
                   ) -> Tuple[List[int], int, CheckedRefit, Optional[str]]:
    """``backtest``'s origins (offsets), horizon, refit and align, checked (a ConfigError
    saying what each must be)."""
    if horizon is None:  # (optional only so that h= above is named)
        raise ConfigTypeError("backtest() missing 1 required keyword-only argument: 'horizon' "
                              "(the steps each origin forecasts, e.g. horizon=12)")
    offsets = origin_offsets(horizon, first_origin, stride)
    align = check_align(align)
    horizon, refit = horizon_steps(horizon), check_refit(refit)
    if step_count(min_length, "min_length") < 1:
        raise ConfigError(f"min_length must be at least 1 (values before an origin); got "
                          f"{min_length!r}")
    return offsets, horizon, refit, align


def _reading(data, encoding, off_grid, **columns) -> Dict[str, Any]:
    """``read_panel``'s keywords for ``data`` (:func:`.table_columns.table_columns`, and
    ``encoding``, ``off_grid`` where not the defaults), checked before anything is read."""
    from ..data.reading_options import check_reading
    from .table_columns import table_columns

    check_reading("backtest", encoding, off_grid)
    read = table_columns("backtest", data, **columns)
    return {**read, **({"encoding": encoding} if encoding is not None else {}),
            **({"off_grid": off_grid} if off_grid != "refuse" else {})}


def _read(data, weekmask: Optional[str], read: Dict[str, Any]):
    """``data`` as the panel to backtest: read with ``read`` (:func:`_reading`'s) on the
    week ``weekmask`` (:func:`~.week_freq.read_on_week`), its refusals' hints naming
    ``backtest``, which takes ``off_grid=`` and ``encoding=``; a frame without the
    panel's columns refused."""
    with named_call("backtest"):
        panel = read_on_week(data, weekmask, **read)
    df = panel.df
    if "unique_id" not in df or "ds" not in df or "y" not in df:
        raise DataError(f"a panel frame needs columns unique_id, ds, y; found "
                        f"{list(df.columns)}")
    return panel


def _week(judged) -> Optional[str]:
    """The ``weekmask`` the models judged were configured with (one, or None); models
    configured on different weeks are refused: the panel is read on one."""
    weeks = {label: model_week(m) for label, m in judged}
    given = set(weeks.values()) - {None}
    if len(given) > 1:
        raise ConfigError(f"backtest: the models are configured on different weeks "
                          f"({weeks}); the panel is read on one: give them the same weekmask")
    return next(iter(given), None)


__all__ = ["backtest", "BacktestResult", "PanelModel", "with_df"]
