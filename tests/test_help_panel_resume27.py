"""`rnnlab forecast --help` on --resume and --checkpoint-every says how a run of several
series goes on (the command that started it, --resume added: a panel run saves no options,
and `--resume RUN_DIR` alone is refused there) and that a panel checkpoints at epoch ends
(its --checkpoint-every is refused); `lm train`'s help keeps its own words. Parse only."""

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


def test_forecast_checkpoint_every_help_says_one_series():
    said = _help_of(("forecast",), "--checkpoint-every")
    assert "one series" in said and "panel checkpoints at epoch ends" in said


def test_lm_train_help_has_no_panel_words():
    assert "several series" not in _help_of(("lm", "train"), "--resume")
    assert "panel" not in _help_of(("lm", "train"), "--checkpoint-every")
