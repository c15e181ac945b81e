"""The flag that turns a switch back off, for a switch a ``--config`` file turned on.

A file's ``no_progress = true`` or ``overwrite = true`` has no value to type over on the
command line, so each on/off switch of a command that takes ``--config`` gets its
counterpart (``--no-progress``: ``--progress``; ``--overwrite``: ``--no-overwrite``), as
argparse's BooleanOptionalAction pairs them; typed, it wins over the file like any option.
A file's keys are the switches' own names, never their counterparts'.
"""

from __future__ import annotations

import argparse

COUNTERPART = "rnnlab_counterpart"  # an action's mark: it undoes the switch of its dest


def add_counterparts(parser: argparse.ArgumentParser, skip=()) -> None:
    """For each store_true/store_false switch of ``parser`` (except the dests in ``skip``),
    ``--no-X`` for ``--X`` and ``--X`` for ``--no-X``, where that flag is free."""
    for action in list(parser._actions):
        if type(action) not in (argparse._StoreTrueAction, argparse._StoreFalseAction) \
                or action.dest in skip:
            continue
        flag = next((f for f in action.option_strings if f.startswith("--")), None)
        if flag is None:
            continue
        off = "--" + flag[5:] if flag.startswith("--no-") else "--no-" + flag[2:]
        if off in parser._option_string_actions:
            continue
        back = parser.add_argument(  # (its default: the switch's, which is set first)
            off, dest=action.dest, default=action.default,
            action="store_true" if isinstance(action, argparse._StoreFalseAction)
            else "store_false",
            help=f"undo {flag} (set in a --config file); the default")
        setattr(back, COUNTERPART, True)
