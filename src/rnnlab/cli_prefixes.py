"""Options are spelled in full: no command of rnnlab takes an abbreviation of one.

argparse takes any unambiguous prefix of a long option by default (``--ep`` for
``--epochs``). For a tool whose options keep growing that is a promise it cannot keep: an
abbreviation that works today is refused ("ambiguous option") the day an option with the
same start is added (``--ep`` when ``--eps`` came), and one that is a whole new option's
name silently means that option; a script's or a config's command line breaks with a
release that changed nothing it named. (tyro refuses prefixes for that reason; argparse's
``allow_abbrev=False``.) A prefix typed is refused as an unknown option, with the options
it starts, one line each, saying what each does (:func:`started_options`)."""

from __future__ import annotations

import argparse
import textwrap
from typing import List

HELP_WIDTH = 72  # (the characters of an option's help shown on its line)
SHOWN = 8  # (options listed for a prefix; the rest counted)


def spell_in_full(parser: argparse.ArgumentParser) -> None:
    """Turn argparse's prefix matching off on ``parser`` and every (sub)command's parser
    under it."""
    pending = [parser]
    while pending:
        p = pending.pop()
        p.allow_abbrev = False
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())


def started_options(parser: argparse.ArgumentParser, flag: str) -> str:
    """For an unknown ``flag`` (``--ep``) that starts some of ``parser``'s long options:
    a line saying so and one line per option with what it does; '' where it starts none."""
    if not flag.startswith("--") or len(flag) < 3:
        return ""
    actions: List[argparse.Action] = []
    names: List[str] = []
    for action in parser._actions:
        for name in action.option_strings:
            if name.startswith(flag) and name != flag and action not in actions:
                actions.append(action)
                names.append(name)
    if not names:
        return ""
    width = max(len(n) for n in names[:SHOWN])
    many = len(names) > 1
    lines = [f"{flag} is the start of {f'{len(names)} options' if many else 'one option'}; "
             f"give {'one' if many else 'it'} in full (rnnlab takes no abbreviations):"]
    formatter = parser._get_formatter()
    for name, action in list(zip(names, actions))[:SHOWN]:
        lines.append(f"  {name.ljust(width)}  {_one_line(formatter, action)}".rstrip())
    if len(names) > SHOWN:
        lines.append(f"  ... and {len(names) - SHOWN} more (`{parser.prog} --help`)")
    return "\n".join(lines)


def _one_line(formatter: argparse.HelpFormatter, action: argparse.Action) -> str:
    """``action``'s help as --help shows it (its ``%(default)s`` filled), cut to one line."""
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    text = " ".join(formatter._expand_help(action).split())
    return textwrap.shorten(text, HELP_WIDTH, placeholder=" ...")
