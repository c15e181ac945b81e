"""rnnlab in shell pipelines and called from Python (session 23): ``rnnlab.cli.main([...])``
returns an exit status for every outcome (argparse's refusals, ``--help`` and ``--version``
raised SystemExit out of it)."""

from __future__ import annotations

import pytest

from rnnlab import __version__
from rnnlab.cli import main


@pytest.mark.parametrize("argv, code, said", [
    (["forecast", "--hidden-size", "x"], 2, "argument --hidden-size: invalid int value"),
    (["forecast", "--no-such-option"], 2, "--no-such-option"),
    (["lm", "train", "--corpus"], 2, "expected one argument"),
    (["no-such-command"], 2, "invalid choice"),
])
def test_main_returns_2_for_what_argparse_refuses(argv, code, said, capsys):
    # was: SystemExit(2) raised out of main(), where its other errors returned 1 or 2
    assert main(argv) == code
    assert said in capsys.readouterr().err


def test_main_returns_0_after_help_and_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"rnnlab {__version__}"
    assert main(["forecast", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: rnnlab forecast")


def test_exit_status_of_a_message_is_1_and_the_message_is_printed(capsys):
    from rnnlab.cli import _exit_status

    assert _exit_status(SystemExit("stopped: reason")) == 1
    assert capsys.readouterr().err == "stopped: reason\n"
    assert _exit_status(SystemExit(None)) == 0 and _exit_status(SystemExit(3)) == 3
