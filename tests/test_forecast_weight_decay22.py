"""``rnnlab forecast --weight-decay`` on one series (session 22): the flag came with the
panel's training settings and was refused on one series as "an option of the panel model",
though the one-series forecaster has the setting (``Forecaster(weight_decay=...)``); it
now reaches ForecastConfig there, and PanelConfig on a panel, as --lr does."""

import argparse

from rnnlab.cli import build_parser
from rnnlab.forecast.config import ForecastConfig
from rnnlab.options import config_from_args
from rnnlab.panel.cli import panel_config
from rnnlab.panel.wants_panel import panel_only_options


def _parsed(*words):
    argv = ["forecast", "--data", "airline", *words]
    args = build_parser(argv).parse_args(argv)
    args.given_options = frozenset({"data", "weight_decay"} & set(vars(args)))
    return args


def test_one_series_forecast_reads_weight_decay():
    assert "weight_decay" not in panel_only_options()  # (refused on one series before)
    args = _parsed("--weight-decay", "0.001")
    assert config_from_args(ForecastConfig, args).weight_decay == 0.001
    assert panel_config(args).weight_decay == 0.001  # (a panel's, by the same flag)


def test_weight_decay_not_given_keeps_each_models_default():
    args = _parsed()
    args.given_options = frozenset({"data"})
    assert config_from_args(ForecastConfig, args).weight_decay == 0.0
    assert panel_config(argparse.Namespace(**vars(args))).weight_decay == 0.0


def test_forecast_help_of_lr_does_not_say_adam_only():
    """On a panel, --optimizer sgd trains at --lr: its help said "Adam learning rate"."""
    parser = build_parser(["forecast"])
    forecast = next(a.choices["forecast"] for a in parser._actions
                    if isinstance(a, argparse._SubParsersAction))
    lr = next(a for a in forecast._actions if "--lr" in a.option_strings)
    assert "--optimizer" in lr.help and not lr.help.startswith("Adam")
