"""Running ``rnnlab`` in-process in a test: its exit code and what it wrote to stderr."""

from __future__ import annotations

from rnnlab.cli import main


def run(argv, capsys):
    """``main(argv)``'s exit code (an argparse exit's too) and the stderr it wrote."""
    try:
        code = main(argv)
    except SystemExit as e:
        code = e.code
    return code, capsys.readouterr().err
