"""One setting of ``--config`` or ``--set``: the option its key names, its value as that
option reads it; refusals that say where the setting was (``where``: ``--config FILE: key
'epochs'`` or ``--set epochs=x``), what was expected and what was found."""

from __future__ import annotations

import argparse
import json
from typing import Dict, Literal, Optional, overload

from .config_switches import COUNTERPART
from .io.errors import OptionError

NOT_FROM_FILE = ("config", "print_config", "set", "resume", "help", "command", "lm_command",
                 "recipe_command", "func", "given_options", "quiet")
# keys that other tools read as "take these files too" (Hydra's defaults list, includes)
COMPOSING = ("config", "configs", "defaults", "include", "includes", "extends", "base",
             "imports")
SWITCHES = (argparse._StoreTrueAction, argparse._StoreFalseAction,
            argparse.BooleanOptionalAction, argparse._StoreConstAction)


@overload
def action_of(key, actions: Dict[str, argparse.Action], where: str, name: str,
              skip_unknown: Literal[False] = ...) -> argparse.Action: ...
@overload
def action_of(key, actions: Dict[str, argparse.Action], where: str, name: str,
              skip_unknown: bool = ...) -> Optional[argparse.Action]: ...
def action_of(key, actions: Dict[str, argparse.Action], where: str, name: str,
              skip_unknown: bool = False) -> Optional[argparse.Action]:
    """The option ``key`` names (``hidden_size`` or ``hidden-size``); None for one a record
    keeps that is no option (``skip_unknown``); else OptionError naming the options meant,
    and the command that has it when it is another command's."""
    dest = str(key).replace("-", "_")
    if dest in actions and actions[dest].dest not in NOT_FROM_FILE:
        return actions[dest]
    if skip_unknown and dest in NOT_FROM_FILE:
        return None
    from .cli_unknown import ABSENT, _meant

    known = sorted({o for a in actions.values() if a.dest not in NOT_FROM_FILE
                    for o in a.option_strings if o.startswith("--")})
    meant = [m.lstrip("-").replace("-", "_") for m in _meant("--" + dest.replace("_", "-"),
                                                              known)]
    hint = f"did you mean {' or '.join(repr(m) for m in meant)}? " if meant else ""
    if dest in COMPOSING and where.startswith("--config"):  # (Hydra's defaults list)
        hint = ("a settings file does not name other files: give each with its own --config "
                "(--config base.yaml --config exp.yaml: merged in order, the later "
                "winning); ")
    absent = ABSENT.get((name, "--" + dest.replace("_", "-")))
    if absent:  # (compare's --momentum: why no comparison takes it, as when it is typed)
        hint = f"{absent}; "
    others = [] if dest in NOT_FROM_FILE else _commands_with(dest, name)
    why = ("it is given on the command line only" if dest in NOT_FROM_FILE else
           f"`rnnlab {name}` has no such option" + (
               f" (it is an option of {', '.join(f'`rnnlab {o}`' for o in others)})"
               if others else ""))
    raise OptionError(f"{where}: {why}; {hint}the keys are the options of "
                      f"`rnnlab {name} --help`, without the leading --")


def _commands_with(dest: str, name: str) -> list:
    """The other commands that take ``--config`` and have the option ``dest``: a file
    written for one given to another says so."""
    from .cli import build_parser

    found, seen, pending = [], set(), [("", build_parser())]
    while pending:
        words, parser = pending.pop(0)
        if id(parser) in seen:  # (an alias: `lm sample` is `lm generate`)
            continue
        seen.add(id(parser))
        for a in parser._actions:
            if isinstance(a, argparse._SubParsersAction):
                pending += [(f"{words} {c}".strip(), p) for c, p in a.choices.items()]
        own = [a for a in parser._actions if not getattr(a, COUNTERPART, False)]
        flags = {o for a in own for o in a.option_strings}
        if words != name and "--config" in flags and (
                "--" + dest.replace("_", "-") in flags or
                any(a.dest == dest and a.option_strings for a in own)):
            found.append(words)
    return found


def converted(action: argparse.Action, value, where: str):
    """``value`` (as JSON or TOML gives it) as the option reads it; OptionError saying
    what it expected."""
    def refuse(expected: str, item=None):
        found = json.dumps(value)[:60] if item is None or item == value else \
            f"{json.dumps(item)[:30]} (of {json.dumps(value)[:60]})"  # (the item refused)
        named = action.metavar if isinstance(action.metavar, str) else None  # (not a tuple)
        typed = (action.option_strings or [named or action.dest.upper()])[0]
        return OptionError(f"{where}: expected {expected}, found {found}; "
                           f"correct it (or give {typed} on the command line)")

    if isinstance(action, SWITCHES):
        if not isinstance(value, bool):
            raise refuse("true or false")
        return value
    many = takes_several(action)
    if action.nargs is None and isinstance(value, list) and _reads_commas(action):
        value = ",".join(map(str, value))  # (an option that reads "a,b": a list joined)
    if value is None:
        if action.default is None or getattr(action.type, "reads_none", False):
            return None
        counted = isinstance(action.nargs, int) and action.nargs > 1  # (betas: null)
        raise refuse(f"{action.nargs} values, each {_expected(action)}" if counted
                     else _expected(action))
    items = value if many and isinstance(value, list) else [value]
    if many and not items and action.nargs == "+":
        raise refuse(f"one or more of {_expected(action)}")
    if many and isinstance(action.nargs, int) and len(items) != action.nargs:  # (--betas)
        raise refuse(f"{action.nargs} values, each {_expected(action)}")
    if not many and isinstance(value, list) or any(isinstance(x, (list, dict)) or (
            isinstance(x, bool) and action.type in (None, str, int, float)) for x in items):
        raise refuse(_expected(action) + ("" if not many else ", or a list of them"))
    read = []
    reader = action.type if callable(action.type) else str  # (never a registered name here)
    for x in items:
        try:
            back = reader(str(x))
        except (ValueError, TypeError, argparse.ArgumentTypeError) as e:
            said = str(e) if action.type not in (int, float) else ""  # (not int()'s words)
            raise refuse(f"{_expected(action)} ({said})" if said else _expected(action),
                         x if many else None) from None
        if action.choices is not None and back not in action.choices:
            raise refuse("one of " + ", ".join(map(str, action.choices)), x if many else None)
        read.append(back)
    return read if many else read[0]


def from_file_positional(action: argparse.Action) -> bool:
    """Whether ``action`` is a positional a ``--config`` file may give (one that may be
    left out, ``nargs='?'``: recipe run's NAME), so that a printed config runs back."""
    return not action.option_strings and action.nargs == "?"


def takes_several(action: argparse.Action) -> bool:
    """Whether the option takes several values (a file's list): nargs +, *, a count
    (--betas 0.9 0.999), or repeated."""
    return (action.nargs in ("+", "*") or isinstance(action, argparse._AppendAction)
            or isinstance(action.nargs, int) and action.nargs > 1)


def _reads_commas(action: argparse.Action) -> bool:
    """Whether the option reads a list as comma-separated text (compare's --models,
    bench's --configs, --baselines), so a file's list of them is that text."""
    return isinstance(action.default, (list, tuple)) or action.type in (None, str) and (
        "comma-separated" in (action.help or "") or "," in str(action.default or ""))


def _expected(action: argparse.Action) -> str:
    kind: Dict[object, str] = {int: "a whole number", float: "a number", None: "text",
                               str: "text"}
    if action.choices is not None:
        return "one of " + ", ".join(map(str, action.choices))
    return kind.get(action.type, f"a value {action.option_strings[0]} takes")
