"""Options refused by a command's own checks exit with status 2 (README: "2 for a usage
error, whichever check refuses it ... options that do not go together"); these were
DataError / ValueError, status 1, as if the data or the machine were at fault."""

import pytest

from rnnlab.cli import main
from rnnlab.io.errors import OptionError


@pytest.mark.parametrize("bad, says", [
    (["--refit", "0"], "--refit: expected 'never'"),
    (["--baselines", "naive,bogus"], "--baselines: unknown ['bogus']"),
    (["--first-origin", "2"], "--first-origin 2 leaves less than one --horizon (4)"),
])
def test_backtest_option_errors_are_usage_errors(bad, says, tmp_path, capsys):
    out = tmp_path / "bt"
    argv = ["backtest", "--data", "visnights", "--horizon", "4", "--plot-series", "0",
            "--out", str(out)]
    assert main(argv + bad) == 2
    assert says in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize("kwargs, says", [
    ({"device_settings": {"precision": "bf16-mixed"}}, "drop --precision bf16-mixed"),
    ({"part": "a"}, "drop --part a"),
    ({"given": {"epochs": 3}}, "drop --epochs"),
    ({"given": {"seeds": (0, 1)}}, "runs one seed"),
])
def test_as_written_refusals_are_usage_errors(kwargs, says):
    from rnnlab.compare.as_written import as_written_seed

    args = {"given": {}, "flags": {"epochs": "--epochs"}, "device_settings": {}, **kwargs}
    with pytest.raises(OptionError, match=says):
        as_written_seed(**args)
