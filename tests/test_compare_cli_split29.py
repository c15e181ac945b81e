"""Session 29: compare/cli.py passed 300 lines (house style: one idea per module); its
flags of CompareConfig's fields moved to compare/field_flags.py, the command's parser and
its runs stayed. Nothing changed for its callers: the same flags, ``field_help`` importable
from its old home."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from rnnlab.compare import cli, field_flags
from rnnlab.compare.config import CompareConfig
from rnnlab.compare.flag_checks import RENAMED


def test_the_compare_command_module_is_under_300_lines():
    assert len(Path(cli.__file__).read_text(encoding="utf-8").splitlines()) < 300


def test_every_field_has_its_flag_and_field_help_stays_importable_from_cli():
    assert cli.field_help is field_flags.field_help
    p = argparse.ArgumentParser(prog="rnnlab")
    cli.register(p.add_subparsers(dest="command"))
    compare = p._subparsers._group_actions[0].choices["compare"]
    flags = {o for a in compare._actions for o in a.option_strings}
    wanted = {"--" + RENAMED.get(f.name, f.name).replace("_", "-")
              for f in dataclasses.fields(CompareConfig) if f.name != "device"}
    assert wanted <= flags
    described = field_flags.field_help()
    assert described["hidden_size"] and all(isinstance(v, str) for v in described.values())
