"""``GlobalForecaster.backtest``: the rolling-origin backtest of one configuration, a fresh
model fitted at each refit, beside the baselines over the same origins (several:
:mod:`.models_backtest`, whose route it takes)."""

from __future__ import annotations

from typing import Optional, Sequence

import pandas as pd

from ..type_aliases import Column
from .backtest import BacktestResult
from .baseline_names import DEFAULT_BASELINES
from .config import PanelConfig


def backtest_config(config: PanelConfig, data, *, horizon: Optional[int] = None,
                    first_origin: Optional[int] = None, stride: Optional[int] = None,
                    refit="never", baselines: Sequence = DEFAULT_BASELINES,
                    static: Optional[pd.DataFrame] = None, align: Optional[str] = None,
                    encoding: Optional[str] = None, off_grid: str = "refuse",
                    id_column: Column = None, date_column: Column = None,
                    target: Column = None, fill: Optional[str] = None,
                    checkpoint_dir=None, resume: bool = False, checkpoint_every: int = 0,
                    **peer) -> BacktestResult:
    """``horizon`` (default: the model's), origins counted back from the panel's last date
    (every series cut at the same dates; ``align="end"``: from each series' own end, see
    :mod:`rnnlab.panel.backtest`): ``first_origin`` (default ``horizon``) steps, then every
    ``stride`` (default ``horizon``); ``refit`` "never" (one fit at the first origin) or k
    (every k origins).
    ``encoding``: a CSV file's text encoding (``'cp1252'``; default UTF-8, as
    ``--encoding``); ``off_grid``: a series' dates off its grid, as ``read_panel`` reads
    them; ``id_column``, ``date_column``, ``target``, ``fill``: a table's own columns and
    its NaN, as ``read_panel``'s (``rnnlab backtest --id-column ...``). ``checkpoint_dir``,
    ``resume``, ``checkpoint_every``: each finished fold and the fits' checkpoints kept
    there, and a killed backtest resumed from them (:mod:`.backtest_checkpoints`). Returns
    a :class:`~rnnlab.panel.backtest.BacktestResult` (``.forecasts``, a DataFrame per
    model, series, origin and step; ``.summary()``)."""
    from .models_backtest import _backtest

    return _backtest({config.model: config}, data, "GlobalForecaster.backtest",
                     horizon=horizon, first_origin=first_origin, stride=stride, refit=refit,
                     baselines=baselines, static=static, align=align, progress=None,
                     peer=peer, read=dict(encoding=encoding, off_grid=off_grid,
                                          id_column=id_column, date_column=date_column,
                                          target=target, fill=fill),
                     kept=dict(checkpoint_dir=checkpoint_dir, resume=resume,
                               checkpoint_every=checkpoint_every))


def seasonless_baselines(baselines, panel, stacklevel: int = 4):
    """``baselines`` for ``panel``: integer time steps without a period have no season, so
    seasonal_naive cannot run; left out of the default baselines with a warning (as
    ``rnnlab backtest`` leaves it out), refused by name when asked for. It was refused by
    the baseline itself, after the network had been trained at every origin."""
    from ..io.errors import DataError
    from .run_checks import no_season

    if isinstance(baselines, str) or "seasonal_naive" not in list(baselines):
        return baselines
    why = no_season(panel, "the panel's", "period=N (GlobalForecaster(period=N): the season "
                    "length in steps)")
    if why is None:
        return baselines
    if baselines is not DEFAULT_BASELINES:
        raise DataError(f"baselines: seasonal_naive: {why}, or leave it out (baselines="
                        f"{tuple(b for b in baselines if b != 'seasonal_naive')!r})")
    import warnings

    warnings.warn(f"the seasonal_naive baseline is left out: {why}", UserWarning,
                  stacklevel=stacklevel)
    return tuple(b for b in baselines if b != "seasonal_naive")
