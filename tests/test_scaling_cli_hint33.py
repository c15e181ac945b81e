"""GluonTS' DeepAR scaling typed as --scaling names --anchor mean_scale, DeepAR's scaling
here, beside the per-series --scale (it was "did you mean --scale or --align/--scaler?",
with no word of the anchor), as GlobalForecaster(scaling=True) does."""

import pytest

from rnnlab.io.errors import ConfigTypeError


@pytest.mark.parametrize("command", [["forecast", "--data", "airline"],
                                     ["backtest", "--data", "visnights"]])
@pytest.mark.parametrize("given", [["--scaling"], ["--scaling=True"]])
def test_scaling_names_the_mean_scale_anchor(command, given, capsys):
    from rnnlab.cli import main

    assert main(command + given) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert "--scaling: DeepAR's scaling" in err and "--anchor mean_scale" in err
    assert "--scale std | robust" in err and "did you mean" not in err
    assert ("--scaler standard | minmax | none" in err) == (command[0] == "forecast")


def test_the_cli_and_the_api_name_the_same_anchor():
    from rnnlab.cli_unknown import ABSENT
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(scaling=True)
    assert "anchor='mean_scale'" in str(e.value)
    assert "--anchor mean_scale" in ABSENT[("backtest", "--scaling")]
