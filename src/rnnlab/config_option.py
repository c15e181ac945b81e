"""``--config FILE`` and ``--set KEY=VALUE``: a command's options from settings files
(:mod:`rnnlab.config_file`) and overrides (:mod:`rnnlab.config_overrides`).

Each key is one of the command's options, its value read as the command line reads that
option's text (its type, its choices), so a file gives the run typing them would give.
Several ``--config`` files merge in the order given (a base, then an experiment: the
later wins, key by key); the ``--set`` overrides then win over every file, and an option
typed on the command line over all of them (typed and ``--set`` both: refused). A
relative path in a file is read from the file's folder (:mod:`rnnlab.config_paths`). The
keys a user's file sets count as typed (``args.given_options``, which keeps the source of
each); of a run's record, which holds every option, the values other than the defaults,
marked as the record's (:mod:`rnnlab.config_given`: one the run's choice does not read is
dropped, with a note). Each switch gets its counterpart (:mod:`rnnlab.config_switches`:
``--progress``). ``--print-config`` prints the options resolved, as a record ``--config``
reads, with where each value came from, and runs nothing (:mod:`rnnlab.config_print`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Dict, Optional

from .cli_text import as_file_name, is_path_option
from .config_file import RECORD_ONLY, YAML, Settings, read_settings
from .config_given import (GivenOptions, drop_recorded_optimizer_settings,
                           drop_recorded_val_choice, drop_unread_shapes)
from .config_overrides import overrides_of, override_value, split_override
from .config_paths import READS, WRITES, from_file, not_from_record
from .config_print import print_config
from .config_switches import COUNTERPART, add_counterparts
from .config_values import (NOT_FROM_FILE, SWITCHES, action_of, converted,
                            from_file_positional)
from .io.errors import OptionError

REQUIRED = "rnnlab_required"  # an action's mark: required, on the command line or in the file


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``--config FILE`` and ``--print-config`` on a command's parser (after its other
    options: one it requires is checked once the file is read, by :func:`config_step`)."""
    for action in parser._actions:
        if action.required and action.option_strings:
            action.required = False
            setattr(action, REQUIRED, True)
            action.help = f"{action.help or ''} (required: here or in the --config file)"
    add_counterparts(parser, skip=NOT_FROM_FILE)  # (--progress: a file's no_progress off)
    parser.add_argument("--config", default=None, metavar="FILE", action="append",
                        help="options from a .json, .toml or .yaml file (keys: the option names, "
                             "hidden_size or hidden-size; relative paths: from the file's "
                             "folder), or a run directory's cli.json / config.json to "
                             "repeat that run; repeated, the files merge in order (the "
                             "later wins); --set and options typed here win")
    parser.add_argument("--set", default=None, metavar="KEY=VALUE", action="append",
                        help="one option by its settings-file key, over the --config files "
                             "(--set epochs=5 --set model=gru; a switch: true/false; "
                             "several values: a,b; null: not given); repeatable")
    parser.add_argument("--print-config", action="store_true",
                        help="print the options resolved (defaults, --config files, --set, "
                             "typed) as JSON that --config reads, with the source of each "
                             "value not a default, and exit")


def config_step(parser: argparse.ArgumentParser, args: argparse.Namespace,
                name: str) -> Optional[int]:
    """What ``rnnlab`` does with ``--config`` and ``--print-config`` once the command line is
    parsed (``parser``: the whole one): None to run the command (``--print-config``: as its
    own command), else the exit status of a refusal. An option the command requires may
    come from the file: its absence is refused here, as argparse would have."""
    from .cli_unknown import command_parser
    from .config_resume import resumed_hint

    command = command_parser(parser, args)
    try:
        apply_config(args, command, name)
        drop_unread_shapes(args)  # (a record's depth, run as --model lstm)
        drop_recorded_optimizer_settings(args)  # (an SGD record's momentum, --optimizer adam)
        drop_recorded_val_choice(args)  # (a record's --val-text, --val-fraction typed)
    except OptionError as e:
        print(f"rnnlab {name}: error: {e}", file=sys.stderr)
        return 2
    missing = [a.option_strings[0] for a in command._actions
               if getattr(a, REQUIRED, False) and getattr(args, a.dest, None) is None]
    if missing:
        command.error(f"the following arguments are required: {', '.join(missing)} "
                      f"(on the command line or in the --config file){resumed_hint(args, name)}")
    if getattr(args, "config", None):
        from .config_drift import say_drift  # (a record's run repeated on other threads)

        say_drift(args, name)
    if getattr(args, "print_config", False):
        from .config_resume import missing_run, resume_print_problem

        if missing_run(args, name):  # (as the command refuses it: RunDirError's status 1)
            print(f"rnnlab {name}: error: {missing_run(args, name)}", file=sys.stderr)
            return 1
        if resume_print_problem(args, name):
            print(f"rnnlab {name}: error: {resume_print_problem(args, name)}", file=sys.stderr)
            return 2
        # (recipe run's NAME too: the printed config left it out, and ran no recipe back)
        dests = {a.dest for a in command._actions
                 if a.option_strings or from_file_positional(a)}
        args.func = lambda a: print_config(a, name, dests)
    return None


def apply_config(args: argparse.Namespace, parser: argparse.ArgumentParser,
                 name: str) -> None:
    """Set ``args`` from the ``--config`` files, in order, then the ``--set`` overrides
    (``parser``: the command's, ``name``: its words, ``lm train``), except the options
    typed; each file is recorded as an absolute path, the source of each value kept."""
    files, overrides = list(getattr(args, "config", None) or ()), overrides_of(args)
    if not files and not overrides:
        return
    if isinstance(getattr(args, "resume", None), str):  # (--out DIR --resume: the options
        # that start the run when DIR holds none, kept as typed ones are by a run there)
        given = f"--config {files[0]}" if files else f"--set {overrides[0]}"
        raise OptionError(f"{given} with --resume: a resumed run goes on with its own "
                          f"options (its cli.json); pass one of them")
    actions = _by_name(parser)
    typed = set(getattr(args, "given_options", None) or ())
    merged: Dict[str, tuple] = {}  # dest: (value, source, a record's)
    read = [_read(f, parser) for f in files]
    for settings in read:
        merged.update(_file_values(settings, actions, parser, name, typed))
    for text in overrides:
        merged.update(_override_values(text, actions, parser, name, typed))
    chosen, recorded, sources = set(), {}, {d: "command line" for d in typed}
    for dest, (value, source, record) in merged.items():
        if dest in typed:
            if source.startswith("--set"):
                raise OptionError(f"{source}: --{dest.replace('_', '-')} is typed too; "
                                  f"give the option once")
            continue
        setattr(args, dest, value)
        default = parser.get_default(dest)
        if record and _same(value, default):
            continue
        chosen.add(dest)
        sources[dest] = source
        if record:
            recorded[dest] = default
    paths = [str(s.path.resolve()) for s in read]  # (the files read: a run directory's own)
    args.config = (paths[0] if len(paths) == 1 else paths) if paths else None
    args.given_options = GivenOptions(typed | chosen, recorded, sources)


def _read(path: str, parser: argparse.ArgumentParser) -> Settings:
    """The settings of ``path``; for bench, whose ``--config`` once abbreviated its
    ``--configs``, a missing file names that option too."""
    try:
        return read_settings(path)
    except OptionError as e:
        if "--configs" not in parser._option_string_actions or Path(path).exists():
            raise
        raise OptionError(f"{e} (the workloads to time are --configs {path}, with an s)") \
            from None


def _file_values(settings: Settings, actions, parser, name: str, typed) -> Dict[str, tuple]:
    """The values of one settings file, by dest: (value, the file, whether a record)."""
    if settings.command and not f"rnnlab {name} ".startswith(settings.command + " "):
        raise OptionError(f"--config {settings.path}: the options of `{settings.command}`, "
                          f"not of `rnnlab {name}`; give it to `{settings.command} --config`")
    values: Dict[str, tuple] = {}
    keys: Dict[int, str] = {}  # id(action): the key that set it
    for key, value in settings.values.items():
        if settings.record and key in RECORD_ONLY:
            continue
        where = f"--config {settings.path}: key {key!r}"
        if isinstance(value, dict) and not settings.record:  # (a TOML table, [training])
            noun, fix = _nested(settings.path, key)
            raise OptionError(f"{where} is a {noun} of {', '.join(map(str, value))[:60]}; "
                              f"rnnlab reads options at the top level of the file: {fix}")
        action = action_of(key, actions, where, name, skip_unknown=settings.record)
        if action is None:  # (a record's option that never is one of its command's
            continue  # own: the dests a command keeps off the file, `out` of cli.json)
        if settings.record and not_from_record(settings, action.dest, value):
            continue  # (a folder from elsewhere: its record edited to write the forecast
            # anywhere, the folders made; or to forecast with another run's model)
        if id(action) in keys:  # (hidden_size and hidden-size: one silently won)
            raise OptionError(f"--config {settings.path}: keys {keys[id(action)]!r} and "
                              f"{key!r} are one option ({action.option_strings[0]}); keep "
                              f"one of them")
        keys[id(action)] = key
        value = converted(action, value, where)
        if is_path_option(action.dest) or action.dest in READS + WRITES:
            value = as_file_name(value)  # (LC_ALL=C: reached as a typed path would be)
            if not settings.record:  # (a record's: absolute, or as its run typed them)
                value = from_file(settings.path, action.dest, value,
                                  quiet=action.dest in typed)
        for dest, v in _set_by(action, parser, value).items():
            values[dest] = (v, str(settings.path), settings.record)
    return values


def _nested(path: Path, key) -> tuple:
    """What a nested mapping is called in the file's language, and how to lift its keys."""
    suffix = path.suffix.lower()
    if suffix in YAML:  # (an indented block under `key:`)
        return "mapping", f"unindent them and drop the `{key}:` line"
    if suffix == ".json":
        return "nested object", f"move its keys out of {key!r}"
    return "table", "move them above any [section]"


def _override_values(text: str, actions, parser, name: str, typed) -> Dict[str, tuple]:
    """The values of one ``--set KEY=VALUE``, by dest: (value, "--set ...", False)."""
    key, said = split_override(text)
    where = f"--set {text}"
    action = action_of(key, actions, where, name)
    value = converted(action, override_value(action, said), where)
    if is_path_option(action.dest):
        value = as_file_name(value)
    return {dest: (v, where, False) for dest, v in _set_by(action, parser, value).items()}


def _set_by(action: argparse.Action, parser: argparse.ArgumentParser, value) -> dict:
    """The dests ``action`` sets from ``value``, by dest: its own, or, for an action of the
    command's own, those it writes (forecast's --strategy: a forecasting strategy or a
    parallel one, each its own dest, each kept apart from the one typed)."""
    if isinstance(action, (argparse._StoreAction, argparse._AppendAction, *SWITCHES)):
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
        if a.option_strings or from_file_positional(a):
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


def file_note(args: argparse.Namespace, error: Exception) -> str:
    """`` (...)``: where a refused option came from when not typed: each ``--flag`` the
    refusal names that a ``--config`` file or ``--set`` gave, with its source; else, for a
    refused option, the files read (the refusal names the option, not the file)."""
    from .io.errors import OptionError, RnnlabError

    said = str(error)
    if not isinstance(error, RnnlabError) or said.startswith(("--config", "--set")):
        return ""
    sources = getattr(getattr(args, "given_options", None), "sources", None) or {}
    # (a config's refusal names its fields, "lr must be", "momentum=0.9": their sources too)
    fields = re.findall(r"(?<![\w.-])([a-z][a-z0-9_]*)=", said) + re.findall(
        r"^(?:\w+Config: )?([a-z][a-z0-9_]*) must ", said)
    named = dict.fromkeys(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", said) + [
        f.replace("_", "-") for f in fields])
    found = [f"--{f}: from {_source(sources[f.replace('-', '_')])}" for f in named
             if sources.get(f.replace("-", "_"), "command line") != "command line"]
    if found:
        return f" ({'; '.join(found)})"
    if any(sources.get(f.replace("-", "_")) == "command line" for f in named):
        return ""  # (the option refused was typed: the files have nothing to do with it)
    path = getattr(args, "config", None)
    paths = [path] if isinstance(path, str) else path if isinstance(path, list) else []
    given = [f"--config {p}" for p in paths] + [f"--set {o}" for o in overrides_of(args)]
    if not isinstance(error, OptionError) or not given:
        return ""
    return f" (the options not typed came from {', '.join(given)})"


def _source(source: str) -> str:
    return source if source.startswith("--set") else f"--config {source}"

