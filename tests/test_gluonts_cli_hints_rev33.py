"""DeepAR's --distr-output on a command with --likelihood names --likelihood alone (review
of session 33's gluon33): `rnnlab forecast` also offered --output, a spelling that writes
a forecast's CSV, as if a distribution were an output file."""

import pytest


@pytest.mark.parametrize("command", [["forecast", "--data", "airline"],
                                     ["backtest", "--data", "visnights"]])
def test_distr_output_names_the_likelihood_alone(command, capsys):
    from rnnlab.cli import main

    assert main(command + ["--distr-output", "StudentTOutput"]) != 0
    err = capsys.readouterr().err
    assert "(--distr-output: did you mean --likelihood?)" in err
    assert "--output?" not in err and "or --output" not in err
