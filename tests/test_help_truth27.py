"""What --help says about the routes this session added: `rnnlab forecast --help` on --resume
and --checkpoint-every says how a run of several series goes on (the command that started
it, --resume added: a panel run saves no options) and that a panel run takes it too;
`rnnlab backtest --help` that a one-series holiday backtest uses the Forecaster's defaults;
`lm train`'s help keeps its own words. Parse only."""

import re

from rnnlab.cli import build_parser
from cli_parsers import all_parsers

PARSERS = dict(all_parsers(build_parser()))


def _help_of(path, flag: str) -> str:
    action = next(a for a in PARSERS[path]._actions if flag in a.option_strings)
    return re.sub(r"\s+", " ", action.help)


def test_forecast_resume_help_names_the_panel_way():
    said = _help_of(("forecast",), "--resume")
    assert "several series" in said and "--resume added" in said


def test_forecast_checkpoint_every_help_says_a_panel_run_takes_it_too():
    # (was "one series (a panel checkpoints at epoch ends)": session 28 gave panel runs it)
    said = _help_of(("forecast",), "--checkpoint-every")
    assert "several series too" in said and "epoch ends" in said


def test_lm_train_help_has_no_panel_words():
    assert "several series" not in _help_of(("lm", "train"), "--resume")
    assert "panel" not in _help_of(("lm", "train"), "--checkpoint-every")


def test_backtest_help_says_one_series_holidays_use_the_forecasters_defaults():
    # (was: only the panel model's defaults, --lookback 24 and --ensemble 1, which a
    # one-series holiday backtest does not use: it trains the one-series Forecaster)
    said = re.sub(r"\s+", " ", PARSERS[("backtest",)].description)
    assert "backtests the one-series Forecaster" in said
    assert "an ensemble of 3" in said and "model_config" in said


def test_forecast_description_says_how_a_panel_run_resumes():
    # (was: "--resume DIR continues a killed run ... with its saved options (DIR/cli.json)"
    # alone, which a panel run does not save)
    said = re.sub(r"\s+", " ", PARSERS[("forecast",)].description)
    assert "A panel run (several series) saves no cli.json" in said
