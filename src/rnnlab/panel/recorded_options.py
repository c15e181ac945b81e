"""The options a panel run of ``rnnlab forecast`` records in its ``config.json``: those it
read, with the values it used.

``rnnlab forecast``'s parser defaults are the one-series forecaster's (``--lookback 12``,
``--lr 0.005``, ``--patience 40``); a panel run reads only the options typed and takes
:class:`~rnnlab.panel.config.PanelConfig`'s own defaults for the rest (``lookback 24``, ``lr
0.003``, ``patience 6``). Its ``config.options`` listed the parser's values, which the run
never used: ``rnnlab runs`` showed ``lookback 12`` beside a model of 24, and the one-series
options it refuses when typed (``--depth``, ``--refit``, ``--device``...) at their
defaults. Here each option not typed holds the value the panel's config used, and the
options a panel run does not read are left out, so ``--config RUN`` repeats the same run
(a value equal to its own default given back as typed changes nothing)."""

from __future__ import annotations

from typing import Any, Dict, Optional

# the device options a panel run refuses unless at their defaults (trains on one CPU)
DEVICE_OPTIONS = ("device", "impl", "cuda_graphs", "accelerator", "devices", "num_nodes",
                  "dist_strategy", "precision")
NEVER_RECORDED = ("func", "given_options", "overwrite")


def recorded_options(args, used: Dict[str, Any]) -> Dict[str, Any]:
    """``args``' options as a panel run's record: ``used`` is the run's PanelConfig as a
    dict (:meth:`~rnnlab.panel.config.PanelConfig.to_dict`); each of its options not
    typed (``args.given_options``) that kept its default is recorded with that default,
    not the one-series parser's; the one-series and device options are left out."""
    from ..io.cli_options import absolute_inputs
    from ..options import declared
    from .config import PanelConfig
    from .run_checks import ONE_SERIES_ONLY

    unread = set(ONE_SERIES_ONLY) | set(DEVICE_OPTIONS) | set(NEVER_RECORDED)
    options = {k: v for k, v in vars(args).items() if k not in unread}
    typed = getattr(args, "given_options", None)
    if typed is None:  # (not from the command line: nothing to tell typed from not)
        return absolute_inputs(options)
    for f, o in declared(PanelConfig):
        dest = o.dest_for(f.name)
        if dest not in options or dest in typed or o.action or f.name not in used:
            continue
        default = list(f.default) if isinstance(f.default, tuple) else f.default
        if _same(used[f.name], default):  # (not set by the run itself: model, horizon)
            options[dest] = default
    return absolute_inputs(options)


def _same(a, b) -> bool:
    return (list(a) if isinstance(a, tuple) else a) == b

def backtest_record(args, route, settings: Dict[str, Any],
                    model_config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """What ``rnnlab backtest`` records in its ``config.json`` (``--config RUN`` repeats
    it from anywhere): its options (not ``--overwrite``, ``--resume``: how it was run),
    the packages, and the model's settings: the one-series Forecaster's (``route``: one
    series with holidays), each network's (``settings``: ``--model lstm gru``) or the
    global model's (``model_config``; None for a baseline)."""
    from ..io.cli_options import absolute_inputs
    from .backtest_save import packages

    config = absolute_inputs({k: v for k, v in vars(args).items()
                              if k not in (*NEVER_RECORDED, "resume")})
    config["packages"] = packages()
    if route is not None:  # the one-series Forecaster's settings (ForecastConfig)
        return route.recorded(config, getattr(args, "given_options", None) or ())
    if settings:  # each network's resolved settings (PanelConfig)
        config["model_configs"] = settings
    elif model_config is not None:  # the global model's resolved settings (PanelConfig)
        config["model_config"] = model_config
    return config

