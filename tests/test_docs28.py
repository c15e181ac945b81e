"""The docs and help as a reader takes them after session 28's features (its docs audit):
compressed inputs are named where a user looks for them (each command's help of its input
file, README's standard-input paragraph, which kept piped input as ``HASH.csv`` alone)."""

from pathlib import Path

import pytest
from cli_parsers import all_parsers

ROOT = Path(__file__).resolve().parents[1]


def _help(command, option):
    from rnnlab.cli import build_parser

    [parser] = [p for path, p in all_parsers(build_parser()) if path == command]
    [action] = [a for a in parser._actions if option in a.option_strings]
    return action.help


@pytest.mark.parametrize("command, option", [
    (("forecast",), "--data"), (("backtest",), "--data"), (("score",), "--actuals"),
    (("lm", "train"), "--corpus")])
def test_each_input_files_help_names_the_compressed_kinds(command, option):
    # (lm prepare's said so; forecast --data, backtest --data, ... did not)
    said = _help(command, option)
    assert all(kind in said for kind in (".gz", ".bz2", ".xz", ".zip")), said


def test_readme_says_compressed_standard_input_is_kept_compressed():
    from rnnlab.io.kept_input import SUFFIXES

    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert ".csv.gz" in SUFFIXES  # (what the paragraph says, as the code keeps it)
    assert "curl URL.csv.gz | rnnlab forecast --data -" in text
    assert "kept as `HASH.csv.gz`" in text


def _readme():
    return " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def test_readme_names_the_budget_warning_a_resume_gives_and_it_is_exported():
    # ("with a warning", unnamed: a user filtering it had to find the class in the code)
    import rnnlab

    assert "the same budget keeps, with a warning, `rnnlab.BudgetStopWarning`" in _readme()
    assert issubclass(rnnlab.BudgetStopWarning, Warning)


def test_readme_says_where_load_series_lives():
    # (README called load_series(...) throughout; `from rnnlab import load_series` fails)
    import importlib

    assert "`load_series` (`rnnlab.data.series`)" in _readme()
    assert callable(importlib.import_module("rnnlab.data.series").load_series)


def test_readme_lists_every_one_series_and_panel_call_that_takes_encoding():
    # (predict_insample and backtest_models took encoding= and the list left them out)
    import inspect

    from rnnlab.forecast import Forecaster
    from rnnlab.panel import backtest_models

    text = _readme()
    part = text[text.index("In Python the readers that take a file take `encoding=`"):]
    part = part[:part.index("converted and refused as `--encoding` is")]
    for call, said in ((Forecaster.predict_insample, "`.predict_insample`"),
                       (Forecaster.predict, "`.predict(history=path, encoding=...)`"),
                       (backtest_models, "`rnnlab.panel.backtest_models(models, path, "
                                         "encoding=...)`")):
        assert "encoding" in inspect.signature(call).parameters
        assert said in part, said


def test_panels_doc_names_backtest_models_among_the_calls_taking_off_grid():
    # (backtest_models(..., off_grid=) read the file so; the paragraph named fit and backtest)
    import inspect

    from rnnlab.panel import backtest_models

    text = " ".join((ROOT / "docs/panels.md").read_text(encoding="utf-8").split())
    part = text[text.index("**A date off a series' grid**"):][:900]
    assert "off_grid" in inspect.signature(backtest_models).parameters
    assert "`backtest_models(models, path, off_grid=...)`" in part
