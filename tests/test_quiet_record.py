"""No record of a run holds ``-q`` / ``--quiet`` (README): config.json's ``command`` of a
backtest (or compare, forecast: the same record) kept it as typed."""

from __future__ import annotations

import json

import pytest

from rnnlab.cli import main
from rnnlab.quiet import without_quiet


@pytest.mark.parametrize("typed, kept", [
    (["backtest", "-q", "--data", "x"], ["backtest", "--data", "x"]),
    (["backtest", "--quiet", "--data", "x", "--quiet"], ["backtest", "--data", "x"]),
    (["lm", "generate", "-qn5"], ["lm", "generate", "-n5"]),
    # an abbreviation is not --quiet (the parser refuses it before a run records it)
    (["forecast", "--data", "x", "--qui"], ["forecast", "--data", "x", "--qui"]),
    (["lm", "train", "--q"], ["lm", "train", "--q"]),
    (["backtest", "--quantiles", "0.5", "--", "-q"], ["backtest", "--quantiles", "0.5", "--",
                                                       "-q"]),
])
def test_without_quiet_takes_off_the_option_alone(typed, kept):
    assert without_quiet(typed) == kept


@pytest.mark.parametrize("typed", ["--qui", "--q"])
def test_an_abbreviation_of_quiet_is_refused_with_the_prefix_message(typed, capsys):
    assert main(["datasets", typed]) == 2
    err = capsys.readouterr().err
    assert f"{typed} is the start of one option; give it in full" in err
    assert "--quiet" in err


@pytest.mark.slow
def test_a_quiet_backtest_records_its_command_without_it(tmp_path, capsys):
    out = tmp_path / "bt"
    argv = ["backtest", "--data", "airline", "--model", "naive", "--horizon", "3",
            "--no-progress", "--out", str(out)]
    assert main([argv[0], "-q", *argv[1:], "--quiet"]) == 0
    capsys.readouterr()
    assert json.loads((out / "config.json").read_text())["command"] == ["rnnlab", *argv]
