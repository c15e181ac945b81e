"""The options a run's ``cli.json`` holds, checked against the command's parser before
``--resume`` takes them: each value must be one the option could have been given on the
command line (its type, its choices, a list for an option of several values, true or
false for a switch). A value of another kind (``"seed": null``, ``"threads": true``,
``"scaler": ["standard"]``) went into the run as it was and failed deep inside it
(TypeError, unhashable type); a file edited, or written by another program, is refused
here, naming the options."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Dict, Optional, Sequence

from .errors import RunDirError

_SWITCHES = (argparse._StoreTrueAction, argparse._StoreFalseAction,
             argparse.BooleanOptionalAction, argparse._StoreConstAction)


def command_actions(parser: argparse.ArgumentParser, path: Sequence[str]
                    ) -> Dict[str, argparse.Action]:
    """dest -> action of the subcommand ``path`` (``["lm", "train"]``) of ``parser``."""
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return {a.dest: a for a in parser._actions}


def check_saved_options(path: Path, saved: dict, actions: Dict[str, argparse.Action]) -> None:
    """RunDirError naming the saved options whose values the parser would not give."""
    bad = []
    for k, v in saved.items():
        action = actions.get(k)
        why = None if action is None else _problem(action, v)
        if why:
            bad.append(f"--{k.replace('_', '-')} {json.dumps(v)[:40]} ({why})")
    if bad:
        raise RunDirError(f"{path}: holds option values the command does not take: "
                          f"{'; '.join(bad[:5])}; the file was edited or damaged: restore it "
                          f"from a copy, or start the run again with --overwrite")


def _problem(action: argparse.Action, v) -> Optional[str]:
    if v is None:  # (an option that can be off, --patience none: its type reads null too)
        ok = action.default is None or getattr(action.type, "reads_none", False)
        return None if ok else "null, for an option that has a value"
    if isinstance(action, _SWITCHES):
        ok = isinstance(v, bool) or v == action.default or v == action.const
        return None if ok else "expected true or false"
    if isinstance(action.default, (list, tuple)) and action.nargs is None:  # (a type that
        # reads one text into several values, "a,b": saved as their list)
        ok = isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v)
        return None if ok else f"expected a list of values, found {_kind(v)}"
    many = action.nargs in ("+", "*") or (isinstance(action.nargs, int) and action.nargs != 1) \
        or isinstance(action, argparse._AppendAction)
    if many and not isinstance(v, list):
        return f"expected a list, found {_kind(v)}"
    for x in (v if many else [v]):
        why = _value_problem(action, x)
        if why:
            return why
    return None


def _value_problem(action: argparse.Action, x) -> Optional[str]:
    if x is None and action.default is None:
        return None
    if isinstance(x, (list, dict)) or x is None:  # (true/false: when the type reads it
        return f"found {_kind(x)}"  # back, as yes_no does)
    back: object = x
    if not callable(action.type):  # (no type: text; never a registered name here)
        if not isinstance(x, str):
            return f"expected text, found {_kind(x)}"
    else:
        try:
            back = action.type(str(x))
        except (ValueError, TypeError, argparse.ArgumentTypeError) as e:
            return str(e)[:80] or "not a value it takes"
        if isinstance(back, (int, float, str)) and back != x:  # (1.5 for a whole number,
            return f"read back as {back!r}"  # NaN: never equal to itself)
    if action.choices is not None and not any(back == c for c in action.choices):
        return f"not one of {', '.join(map(str, list(action.choices)[:8]))}"
    return None


def _kind(v) -> str:
    return {bool: "true/false", list: "a list", dict: "an object", type(None): "null",
            str: "text"}.get(type(v), f"a number ({v!r})")
