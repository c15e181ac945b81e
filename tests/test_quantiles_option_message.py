"""A refused ``--quantiles`` says what to type on the command line: ``rnnlab forecast
--quantiles 80 95`` was told to pass ``quantiles=(0.8, 0.95)`` (the Python call's
spelling), and ``rnnlab backtest``'s message did not name ``--quantiles``."""

import pytest

from rnnlab.cli import main


@pytest.mark.parametrize("command", [["forecast", "--data", "airline"],
                                     ["backtest", "--data", "visnights"]])
def test_percentages_are_answered_with_the_option_as_typed(command, tmp_path, capsys):
    out = ["--out", str(tmp_path / "run")]
    assert main(command + ["--quantiles", "80", "95"] + out) == 2
    err = capsys.readouterr().err
    assert "error: --quantiles: quantile levels must lie in (0, 1)" in err
    assert "as percentiles is --quantiles 0.8 0.95, and as central intervals" in err
    assert "--quantiles 0.025 0.1 0.5 0.9 0.975" in err and "quantiles=(" not in err
    assert not (tmp_path / "run").exists()


def test_unsorted_levels_are_answered_with_the_option_as_typed(tmp_path, capsys):
    assert main(["backtest", "--data", "visnights", "--quantiles", "0.9", "0.1", "--out",
                 str(tmp_path / "run")]) == 2
    assert "--quantiles: quantile levels must be sorted and distinct (strictly increasing), " \
           "got [0.9, 0.1]; pass them in increasing order, e.g. --quantiles 0.1 0.9" \
           in capsys.readouterr().err
