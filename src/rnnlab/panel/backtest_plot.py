"""``BacktestResult.plot``: the backtest's plots (those ``rnnlab backtest`` writes) from
Python, as a figure for a notebook or a file.

``kind``: ``"forecasts"`` (a grid of series, chosen across the model's MASE ranking or
named, with the forecast from every origin, its 80% band and the seasonal naive's),
``"coverage"`` (80% coverage by horizon step and model; without q0.1 and q0.9, the first central
interval the levels hold) or ``"errors"`` (per-series MASE
of every model). The grid draws the recent past before the first origin from ``history``
(the panel backtested); without it, each series from its first origin on.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..io.errors import ConfigError, DataError

KINDS = ("forecasts", "coverage", "errors")


def plot_result(result, kind: str = "forecasts", history=None, series=None, n: int = 6,
                path=None, model: Optional[str] = None):
    """The figure (closed) of ``kind``, or the file written with ``path``; ``model``:
    the model the forecasts grid draws (by default the first)."""
    from . import plots

    if model is not None and kind != "forecasts":
        raise ConfigError(f"plot(kind={kind!r}, model={model!r}): model= picks the forecasts "
                          f"grid's model; {kind!r} draws every model: drop model=")
    if kind == "forecasts":
        from .frame import readable_panel

        past = None if history is None else readable_panel(history).df
        fc, past = plots._drawable(result.forecasts, past)
        return plots.plot_forecast_grid(path, fc, past, series=_named(fc, series), n=n,
                                        model=_model(fc, model))
    if kind == "coverage":
        steps = result.by_step()
        if not plots.coverage_share(steps):
            raise DataError("plot(kind='coverage'): no model has a central interval (levels "
                            "tau and 1 - tau, e.g. q0.1 and q0.9) to cover with; backtest "
                            "with quantiles=(0.1, 0.5, 0.9)")
        return plots.plot_coverage_by_step(path, steps)
    if kind == "errors":
        return plots.plot_error_distribution(path, result.per_series())
    from ..plot_arguments import path_as_kind_hint

    raise ConfigError(f"unknown plot kind {kind!r}; choose {', '.join(KINDS)}"
                      + path_as_kind_hint(kind, "plot"))


def _model(fc, model: Optional[str]) -> Optional[str]:
    """``model`` checked against the backtest's models (None: the grid's default)."""
    models = list(dict.fromkeys(fc["model"]))
    if model is not None and model not in models:
        raise DataError(f"plot: model={model!r} is not in the backtest; its models are "
                        f"{models}: pass one of them")
    return model


def _named(fc, series) -> Optional[list]:
    """The ids ``series`` names (one id or a list), checked against the forecasts' (as
    text: the grid compares them so); None: the grid chooses."""
    if series is None:
        return None
    wanted = [series] if isinstance(series, (str, int, np.integer)) else \
        list(dict.fromkeys(series))  # (fc['unique_id']: each id once, not per step)
    known = set(fc["unique_id"].astype(str))
    missing = [u for u in wanted if str(u) not in known]
    if missing:
        ids = list(dict.fromkeys(fc["unique_id"]))
        raise DataError(f"plot: series {missing[:5]} are not in the backtest (it has "
                        f"{len(ids)} series: {ids[:5]}{' ...' if len(ids) > 5 else ''}); "
                        f"pass ids of the panel backtested")
    return wanted
