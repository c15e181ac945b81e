"""Several networks backtested over the same origins, one row each beside the baselines
(NeuralForecast's ``NeuralForecast(models=[LSTM(...), GRU(...)]).cross_validation``).

    from rnnlab.panel import GlobalForecaster, backtest_models
    res = backtest_models([GlobalForecaster("lstm", horizon=12), GlobalForecaster("gru",
                           horizon=12)], panel, first_origin=36)
    res.summary()          # lstm, gru, naive, seasonal_naive, ets

Each network is trained as :meth:`GlobalForecaster.backtest` trains it alone (a fresh
model per refit, seeded by its own ``seed``), so its rows equal its one-network run's.
The settings that say how the panel is read and scored are the backtest's, not one
network's, and must agree: ``horizon`` (unless given), ``period``, ``quantiles`` (the
baselines are built on them and the scores compared over them), ``time_zone`` and
``weekmask``.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any, Dict, Mapping, Optional, Sequence, Union

from ..io.errors import ConfigError, ConfigTypeError, SettingError
from ..rate_options import rates_of
from ..type_aliases import Column
from .backtest import BacktestResult, backtest
from .backtest_args import Refit, model_name
from .baseline_names import DEFAULT_BASELINES
from .config import PanelConfig

# the settings every network of one backtest shares: how the panel is read and scored
SHARED = ("horizon", "period", "quantiles", "time_zone", "weekmask")
_COVARIATES = ("future_covariates", "past_covariates", "static_covariates")


def network_configs(models: Union[Mapping[str, Any], Sequence[Any]]) -> Dict[str, PanelConfig]:
    """``{label: PanelConfig}`` of ``models``: a mapping ``{label: network}`` or a list of
    networks labelled by their ``name`` or architecture; a network is a GlobalForecaster
    (its settings; it is not fitted here) or a PanelConfig. Two of one label are refused."""
    if isinstance(models, (str, PanelConfig)) or hasattr(models, "config"):
        raise ConfigTypeError(f"backtest_models: models is a list (or {{label: network}}) "
                              f"of networks, got one: {models!r}; pass [it], or call "
                              f"GlobalForecaster.backtest for one network")
    pairs = list(models.items()) if isinstance(models, Mapping) else [
        (None, m) for m in models]
    if not pairs:
        raise ConfigError("backtest_models: no network given; pass a list of "
                          "GlobalForecaster (or PanelConfig) instances")
    out: Dict[str, PanelConfig] = {}
    for label, m in pairs:
        cfg = m if isinstance(m, PanelConfig) else getattr(m, "config", None)
        if not isinstance(cfg, PanelConfig):
            raise ConfigTypeError(f"backtest_models: each network is a GlobalForecaster or a "
                                  f"PanelConfig, got {type(m).__name__} ({m!r:.60}); a "
                                  f"baseline goes in baselines=")
        label = label if label is not None else (model_name(m) if not isinstance(
            m, PanelConfig) else cfg.model)
        if not isinstance(label, str) or not label:
            raise ConfigError(f"backtest_models: a network's label is text, got {label!r}")
        if label in out:
            raise ConfigError(f"backtest_models: two networks are labelled {label!r}; label "
                              f"each, {{{label!r}: ..., {label + '-2'!r}: ...}}, or set a "
                              f"GlobalForecaster's .name")
        out[label] = cfg
    return out


def shared_settings(configs: Dict[str, PanelConfig], horizon: Optional[int]) -> None:
    """Refuse networks that disagree on a setting of :data:`SHARED` (``horizon`` only
    where ``horizon=`` is not given), naming each network's value."""
    for key in SHARED:
        if key == "horizon" and horizon is not None:
            continue
        values = {label: getattr(c, key) for label, c in configs.items()}
        if len({repr(v) for v in values.values()}) > 1:
            said = ", ".join(f"{label}: {v!r}" for label, v in values.items())
            fix = ("pass horizon= (at most the shortest)" if key == "horizon" else
                   f"give every network the same {key}")
            raise ConfigError(f"backtest_models: the networks differ in {key} ({said}), a "
                              f"setting of the backtest as a whole (how the panel is read "
                              f"and scored, and the baselines built); {fix}")


def within_horizons(configs: Dict[str, PanelConfig], horizon: Optional[int],
                    owner: str) -> None:
    """Refuse ``horizon=`` past the horizon a network is trained for (its ``predict``
    takes no more steps), naming each: checked before any network trains, where it was
    said at that network's first forecast, after the networks before it had trained at
    every origin. A SettingError: a ConfigError, and the DataError it was."""
    if horizon is None:
        return
    from .call_args import horizon_steps

    h = horizon_steps(horizon)
    short = {label: c.horizon for label, c in configs.items() if c.horizon < h}
    if short:
        said = ", ".join(f"{label} ({v})" for label, v in short.items())
        least = min(c.horizon for c in configs.values())
        raise SettingError(f"{owner}: horizon={h} is past the horizon {said} was trained "
                           f"for; pass horizon={least} or less, or give "
                           f"{'each network' if len(configs) > 1 else 'it'} horizon={h}")


def check_network(config: PanelConfig) -> None:
    """Raise what the first fit would raise building ``config``'s body (``drnn`` with
    ``num_layers=1``: the same ConfigError), checked on the meta device (nothing
    allocated) before a run directory is made or a network trains."""
    from ..nn.registry import ModelSpec, check_spec

    check_spec(ModelSpec(name=config.model, input_size=1, hidden_size=config.hidden_size,
                         num_layers=config.num_layers, **rates_of(config)))


def check_network_option(config: PanelConfig) -> None:
    """:func:`check_network` for a command line: its refusal an
    :class:`~rnnlab.io.errors.OptionError` (a usage error, exit status 2), as the
    one-series forecaster's options and ``--model lstm gru`` refuse the same network
    (``--model drnn --num-layers 1`` exited with 1, an error of the data or the machine)."""
    from ..options import refused_as_option_error

    refused_as_option_error(check_network, config)


def network_problems(configs: Dict[str, PanelConfig]) -> Dict[str, str]:
    """``{label: why}`` for each network whose body cannot be built from its settings
    (:func:`check_network`): checked before any network trains, where it was said at the
    first fit, after the networks before it had trained at every origin."""
    from ..io.errors import RnnlabError

    out = {}
    for label, cfg in configs.items():
        try:
            check_network(cfg)
        except (RnnlabError, ValueError) as e:
            out[label] = str(e)
    return out


def reading(configs: Dict[str, PanelConfig]):
    """What the panel is read with: the one network's config, or the settings they
    share with every covariate any of them reads."""
    first = next(iter(configs.values()))
    if len(configs) == 1:
        return first
    union = {k: tuple(dict.fromkeys(c for cfg in configs.values() for c in getattr(cfg, k)))
             for k in _COVARIATES}
    return SimpleNamespace(time_zone=first.time_zone, weekmask=first.weekmask, **union)


def backtest_models(models: Union[Mapping[str, Any], Sequence[Any]], data: Any, *,
                    horizon: Optional[int] = None, first_origin: Optional[int] = None,
                    stride: Optional[int] = None, refit: Refit = "never",
                    baselines: Sequence[Any] = DEFAULT_BASELINES,
                    static: Any = None, align: Optional[str] = None,
                    progress: Any = None, encoding: Optional[str] = None,
                    off_grid: str = "refuse", id_column: Column = None,
                    date_column: Column = None, target: Column = None,
                    fill: Optional[str] = None, checkpoint_dir: Any = None,
                    resume: bool = False, checkpoint_every: int = 0,
                    **peer: Any) -> BacktestResult:
    """Backtest every network of ``models`` (a list of GlobalForecaster or PanelConfig, or
    ``{label: network}``) over the same origins of ``data`` beside the ``baselines``: the
    options of :meth:`GlobalForecaster.backtest` (:func:`.model_backtest.backtest_config`).
    ``horizon`` defaults to the networks' (they must agree; module docstring for the
    others; ``encoding``, ``off_grid``: how a CSV file is read, as ``read_panel``'s;
    ``id_column``, ``date_column``, ``target``, ``fill``: a table's own columns and its
    NaN, read as ``read_panel`` reads them, ``rnnlab backtest --id-column ...``).
    Returns a
    :class:`~rnnlab.panel.backtest.BacktestResult` whose ``model``
    column names each network; ``.models`` holds each one's settings."""
    return _backtest(network_configs(models), data, "backtest_models", horizon=horizon,
                     first_origin=first_origin, stride=stride, refit=refit,
                     baselines=baselines, static=static, align=align, progress=progress,
                     peer=peer, read=dict(encoding=encoding, off_grid=off_grid,
                                          id_column=id_column, date_column=date_column,
                                          target=target, fill=fill),
                     kept=dict(checkpoint_dir=checkpoint_dir, resume=resume,
                               checkpoint_every=checkpoint_every))


def _backtest(configs: Dict[str, PanelConfig], data, owner: str, *, horizon, first_origin,
              stride, refit, baselines, static, align, progress, peer,
              read=None, kept=None) -> BacktestResult:
    """The backtest of ``configs`` (``owner``: the function the user called, named in
    its errors): one GlobalForecaster per network and refit, each seeded by its config.
    ``read``: how a table of ``data`` is read (``encoding``, ``off_grid`` and the
    :data:`.table_columns.COLUMNS`); ``kept``: the checkpoint keywords of
    :func:`.backtest.backtest`."""
    from ..data.reading_options import check_reading
    from ..io.encoded_path import named_call
    from .covariates import read_columns
    from .frame import as_panel
    from .model_backtest import seasonless_baselines
    from .peer_backtest_arguments import refuse_backtest_arguments
    from .table_columns import COLUMNS, table_columns

    first = next(iter(configs.values()))
    refuse_backtest_arguments(owner, peer, horizon or first.horizon, stride, model_levels=True)
    read = {"encoding": None, "off_grid": "refuse", **(read or {})}
    check_reading(owner, read["encoding"], read["off_grid"])  # (before anything is read)
    read.update(table_columns(owner, data, **{k: read.pop(k, None) for k in COLUMNS}))
    shared_settings(configs, horizon)
    within_horizons(configs, horizon, owner)
    bad = network_problems(configs)  # (one too: it was said at the first fit)
    if bad:
        raise ConfigError(f"{owner}: " + "; ".join(f"network {k!r}: {v}" for k, v in
                                                   bad.items()))
    with named_call(owner):  # (encoding= hinted as the call's, not read_panel's)
        panel = as_panel(read_columns(data, reading(configs), **read))  # (as fit reads it)
    if first.period is not None:  # the baselines' and the MASE scale's season too, as
        # rnnlab backtest --period and Forecaster.backtest take it (they were the data's)
        panel = dataclasses.replace(panel, period=int(first.period))
    horizon = first.horizon if horizon is None else horizon
    baselines = seasonless_baselines(baselines, panel,  # (before a network is trained;
                                     5 if owner.startswith("GlobalForecaster") else 4)  # said
    # at the caller's line)
    factories = {label: _factory(cfg) for label, cfg in configs.items()}
    covariates = {cfg.future_covariates for cfg in configs.values()}
    return backtest(factories if len(configs) > 1 else next(iter(factories.values())),
                    panel, horizon=horizon, first_origin=first_origin,
                    stride=stride or horizon, refit=refit, static=static,
                    baselines=baselines,  # (None: each network's own future covariates)
                    future_covariates=covariates.pop() if len(covariates) == 1 else None,
                    quantiles=first.quantiles or (0.1, 0.5, 0.9),
                    name=next(iter(configs)) if len(configs) == 1 else "model",
                    align=align, progress=progress, **(kept or {}))


def _factory(config: PanelConfig):
    """A factory of fresh GlobalForecasters of ``config`` (one per refit)."""
    from .model import GlobalForecaster

    return lambda: GlobalForecaster(config=config)


__all__ = ["backtest_models", "network_configs", "SHARED"]
