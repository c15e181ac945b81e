"""`rnnlab --help`'s line for `lm` names every subcommand `rnnlab lm` has: it said "train,
generate, eval", and `lm prepare` (a large corpus, memory-mapped) was not there to find."""

import argparse

from rnnlab.cli import COMMANDS, build_parser


def test_the_lm_line_names_every_lm_subcommand():
    parser = build_parser()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    lm = top.choices["lm"]
    sub = next(a for a in lm._actions if isinstance(a, argparse._SubParsersAction))
    names = {a.dest for a in sub._choices_actions}  # (aliases, such as sample, left out)
    assert {"train", "prepare", "generate", "eval"} <= names
    line = COMMANDS["lm"][1]
    assert all(name in line for name in names), (line, names)
    assert "word" in line  # (--level word)
