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


def tiny_lm_run(folder):
    """A finished ``rnnlab lm train`` run (a tiny model, one epoch) in ``folder/run``, on a
    corpus written there: its path."""
    from test_cli_pipes20 import TINY_LM

    corpus = folder / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    assert main(["lm", "train", "--corpus", str(corpus), *TINY_LM,
                 "--out", str(folder / "run")]) == 0
    return folder / "run"
