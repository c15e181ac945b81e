"""``--config FILE``: a command's options from a settings file (:mod:`rnnlab.config_file`).

Each key is one of the command's options, its value read as the command line reads that
option's text (its type, its choices), so a file gives the run typing them would give.
An option typed on the command line wins over the file, the file over the defaults. The
keys a user's file sets count as typed (``args.given_options``); of a run's record, which
holds every option, the values other than the defaults, marked as the record's
(:mod:`rnnlab.config_given`: one the run's choice does not read is dropped, with a note).
Each switch gets its counterpart (:mod:`rnnlab.config_switches`: ``--progress``).
``--print-config`` prints the options resolved, as a record ``--config`` reads, and runs
nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, Optional

from .cli_text import as_file_name, is_path_option
from .config_file import RECORD_ONLY, Settings, beside_note, read_settings
from .config_given import GivenOptions, drop_recorded_val_choice, drop_unread_shapes
from .config_switches import COUNTERPART, add_counterparts
from .io.errors import OptionError

NOT_FROM_FILE = ("config", "print_config", "resume", "help", "command", "lm_command",
                 "recipe_command", "func", "given_options", "quiet")
REQUIRED = "rnnlab_required"  # an action's mark: required, on the command line or in the file
_SWITCHES = (argparse._StoreTrueAction, argparse._StoreFalseAction,
             argparse.BooleanOptionalAction, argparse._StoreConstAction)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``--config FILE`` and ``--print-config`` on a command's parser (after its other
    options: one it requires is checked once the file is read, by :func:`config_step`)."""
    for action in parser._actions:
        if action.required and action.option_strings:
            action.required = False
            setattr(action, REQUIRED, True)
            action.help = f"{action.help or ''} (required: here or in the --config file)"
    add_counterparts(parser, skip=NOT_FROM_FILE)  # (--progress: a file's no_progress off)
    parser.add_argument("--config", default=None, metavar="FILE",
                        help="options from a .json or .toml file (keys: the option names, "
                             "hidden_size or hidden-size), or a run directory's cli.json / "
                             "config.json to repeat that run; options typed here win")
    parser.add_argument("--print-config", action="store_true",
                        help="print the options resolved (defaults, --config, typed) as "
                             "JSON that --config reads, and exit")


def config_step(parser: argparse.ArgumentParser, args: argparse.Namespace,
                name: str) -> Optional[int]:
    """What ``rnnlab`` does with ``--config`` and ``--print-config`` once the command line is
    parsed (``parser``: the whole one): None to run the command (``--print-config``: as its
    own command), else the exit status of a refusal. An option the command requires may
    come from the file: its absence is refused here, as argparse would have."""
    from .cli_unknown import command_parser

    command = command_parser(parser, args)
    try:
        apply_config(args, command, name)
        drop_unread_shapes(args)  # (a record's depth, run as --model lstm)
        drop_recorded_val_choice(args)  # (a record's --val-text, --val-fraction typed)
    except OptionError as e:
        print(f"rnnlab {name}: error: {e}", file=sys.stderr)
        return 2
    missing = [a.option_strings[0] for a in command._actions
               if getattr(a, REQUIRED, False) and getattr(args, a.dest, None) is None]
    if missing:
        command.error(f"the following arguments are required: {', '.join(missing)} "
                      f"(on the command line or in the --config file)")
    if getattr(args, "print_config", False):
        args.func = lambda a: print_config(a, name)
    return None


def apply_config(args: argparse.Namespace, parser: argparse.ArgumentParser,
                 name: str) -> None:
    """Set ``args`` from ``args.config`` (``parser``: the command's, ``name``: its words,
    ``lm train``), except the options typed; the file is recorded as an absolute path."""
    if not getattr(args, "config", None):
        return
    if getattr(args, "resume", None):
        raise OptionError(f"--config {args.config} with --resume: a resumed run goes on with "
                          f"its own options (its cli.json); pass one of them")
    settings = read_settings(args.config)
    if settings.command and not f"rnnlab {name} ".startswith(settings.command + " "):
        raise OptionError(f"--config {settings.path}: the options of `{settings.command}`, "
                          f"not of `rnnlab {name}`; give it to `{settings.command} --config`")
    actions = _by_name(parser)
    typed = set(getattr(args, "given_options", None) or ())
    chosen = set()
    for key, value in settings.values.items():
        if settings.record and key in RECORD_ONLY:
            continue
        if isinstance(value, dict) and not settings.record:  # (a TOML table, [training])
            raise OptionError(f"--config {settings.path}: key {key!r} is a table of "
                              f"{', '.join(map(str, value))[:60]}; rnnlab reads options at "
                              f"the top level of the file: move them above any [section]")
        action = _action_of(key, actions, settings, name)
        if action is None:  # (a record's option that never is one of its command's
            continue  # own: the dests a command keeps off the file, `out` of cli.json)
        value = _converted(action, value, settings.path, key)
        if is_path_option(action.dest):  # (LC_ALL=C: reached as a typed path would be)
            value = as_file_name(value)
            note = None if action.dest in typed else beside_note(settings, action.dest, value)
            if note:
                print(note, file=sys.stderr)
        for dest, value in _set_by(action, parser, value).items():
            if dest in typed:
                continue
            setattr(args, dest, value)
            if not settings.record or not _same(value, parser.get_default(dest)):
                chosen.add(dest)
    args.config = str(settings.path.resolve())  # (the file read: a run directory's own)
    recorded = {d: parser.get_default(d) for d in chosen} if settings.record else {}
    args.given_options = GivenOptions(typed | chosen, recorded)


def _set_by(action: argparse.Action, parser: argparse.ArgumentParser, value) -> dict:
    """The dests ``action`` sets from ``value``, by dest: its own, or, for an action of the
    command's own, those it writes (forecast's --strategy: a forecasting strategy or a
    parallel one, each its own dest, each kept apart from the one typed)."""
    if isinstance(action, (argparse._StoreAction, argparse._AppendAction, *_SWITCHES)):
        return {action.dest: value}
    scratch = argparse.Namespace()
    action(parser, scratch, value, action.option_strings[0])
    return vars(scratch)


def _by_name(parser: argparse.ArgumentParser) -> Dict[str, argparse.Action]:
    """The command's options by the names a file may use: each one's ``dest`` (what a
    record holds; the first option of a dest), then its flag (``forecast_strategy``)."""
    named: Dict[str, argparse.Action] = {}
    actions = [a for a in parser._actions if not getattr(a, COUNTERPART, False)]
    for a in actions:
        if a.option_strings:
            named.setdefault(a.dest, a)
    for a in actions:
        for flag in a.option_strings:
            if flag.startswith("--"):
                named.setdefault(flag[2:].replace("-", "_"), a)
    return named


def _same(value, default) -> bool:
    """A record's value is the parser's default (a list read back for a tuple)."""
    if isinstance(value, list) and isinstance(default, tuple):
        default = list(default)
    return value == default


def _action_of(key, actions: Dict[str, argparse.Action], settings: Settings,
               name: str) -> Optional[argparse.Action]:
    dest = str(key).replace("-", "_")
    if dest in actions and actions[dest].dest not in NOT_FROM_FILE:
        return actions[dest]
    if settings.record and dest in NOT_FROM_FILE:
        return None
    from .cli_unknown import _meant

    known = sorted({o for a in actions.values() if a.dest not in NOT_FROM_FILE
                    for o in a.option_strings if o.startswith("--")})
    meant = [m.lstrip("-").replace("-", "_") for m in _meant("--" + dest.replace("_", "-"),
                                                              known)]
    hint = f"did you mean {' or '.join(repr(m) for m in meant)}? " if meant else ""
    why = ("it is given on the command line only" if dest in NOT_FROM_FILE else
           f"`rnnlab {name}` has no such option")
    raise OptionError(f"--config {settings.path}: key {key!r}: {why}; {hint}the keys are "
                      f"the options of `rnnlab {name} --help`, without the leading --")


def _converted(action: argparse.Action, value, path: Path, key: str):
    """``value`` as the option reads it; OptionError saying what it expected."""
    def refuse(expected: str):
        return OptionError(f"--config {path}: key {key!r}: expected {expected}, found "
                           f"{json.dumps(value)[:60]}; correct the file (or give "
                           f"{action.option_strings[0]} on the command line)")

    if isinstance(action, _SWITCHES):
        if not isinstance(value, bool):
            raise refuse("true or false")
        return value
    many = action.nargs in ("+", "*") or isinstance(action, argparse._AppendAction)
    if isinstance(action.default, (list, tuple)) and action.nargs is None and \
            isinstance(value, list):  # (an option that reads "a,b" into a list)
        value = ",".join(map(str, value))
    if value is None:
        if action.default is None or getattr(action.type, "reads_none", False):
            return None
        raise refuse(_expected(action))
    items = value if many and isinstance(value, list) else [value]
    if many and not items and action.nargs == "+":
        raise refuse(f"one or more of {_expected(action)}")
    if not many and isinstance(value, list) or any(isinstance(x, (list, dict)) or (
            isinstance(x, bool) and action.type in (None, str, int, float)) for x in items):
        raise refuse(_expected(action) + ("" if not many else ", or a list of them"))
    read = []
    for x in items:
        try:
            back = action.type(str(x)) if action.type is not None else str(x)
        except (ValueError, TypeError, argparse.ArgumentTypeError) as e:
            said = str(e) if action.type not in (int, float) else ""  # (not int()'s words)
            raise refuse(f"{_expected(action)} ({said})" if said else _expected(action)) from None
        if action.choices is not None and back not in action.choices:
            raise refuse("one of " + ", ".join(map(str, action.choices)))
        read.append(back)
    return read if many else read[0]


def _expected(action: argparse.Action) -> str:
    kind = {int: "a whole number", float: "a number", None: "text", str: "text"}
    if action.choices is not None:
        return "one of " + ", ".join(map(str, action.choices))
    return kind.get(action.type, f"a value {action.option_strings[0]} takes")


def file_note(args: argparse.Namespace, error: Exception) -> str:
    """`` (...)``: where a refused option may have come from, when not typed but read
    from ``--config`` (the refusal names the option, not the file)."""
    path = getattr(args, "config", None)
    if not isinstance(error, OptionError) or not isinstance(path, str) or \
            str(error).startswith("--config"):
        return ""
    return f" (the options not typed came from --config {path})"


def print_config(args: argparse.Namespace, name: str) -> None:
    """The options of ``args`` as a record (what cli.json holds), for ``--config``."""
    from .io.cli_options import saved_options

    options = {k: v for k, v in saved_options(args).items() if k not in NOT_FROM_FILE}
    print(json.dumps({"options": options, "command": f"rnnlab {name}"}, indent=2))
