"""Options declared once, on the config dataclass field they set.

A field declared with :func:`option` carries its default, its help and how the command
line writes it; :func:`add_options` turns those fields into argparse options and
:func:`config_from_args` builds the config back from the parsed arguments, so no command
copies fields by hand::

    @dataclass(frozen=True)
    class Config:
        lookback: int = option(12, "input window length")      # --lookback LOOKBACK
        fill: Optional[str] = option(None, "NaNs: ffill | drop", choices=("ffill", "drop"))

    add_options(parser, Config)                  # --lookback (default 12), --fill ...
    cfg = config_from_args(Config, parser.parse_args(argv), seed=3)

Checks stay in the config's ``__post_init__`` (one place, for the API too); ``parse`` may
reuse an argparse type (``at_least(1)``) so that a bad value is refused while parsing.
The parsed options keep their argparse names (``--minutes`` -> ``args.minutes``): they
are what ``cli.json`` saves and ``--resume`` reads back.
"""

from __future__ import annotations

import argparse
import typing
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Callable, Iterable, Optional

from .io.errors import ConfigTypeError

_KEY = "rnnlab.option"
_UNSET = object()  # no cli_default: the parser's default is the field's


@dataclass(frozen=True)
class Option:
    """How a config field is written on the command line (see :func:`option`)."""

    help: str
    flag: Optional[str] = None  # default: --field-name
    choices: Any = None  # a sequence, or a function returning one (read when the parser is built)
    parse: Optional[Callable[[str], Any]] = None  # argparse type; default: the field's type
    cli: bool = True  # False: API and config.json only, no flag
    cli_default: Any = _UNSET  # the parser's own default (None: "not given", the field's)
    to_config: Optional[Callable[[Any], Any]] = None  # parsed value -> field value
    group: Optional[str] = None  # argparse group title (--help section)
    nargs: Any = None  # argparse nargs ("+": a list of values, e.g. --quantiles 0.1 0.9)
    action: Optional[str] = None  # "store_true": a flag without a value (--no-progress)

    def flag_for(self, name: str) -> str:
        return self.flag or "--" + name.replace("_", "-")

    def dest_for(self, name: str) -> str:
        """The argparse name of the parsed value (what cli.json keeps)."""
        return self.flag_for(name).lstrip("-").replace("-", "_")


def yes_no(text) -> bool:
    """A yes/no option's value: yes|true|1|on or no|false|0|off."""
    t = str(text).strip().lower()
    if t in ("yes", "true", "1", "on"):
        return True
    if t in ("no", "false", "0", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")


def option(default, help: str, *, flag: Optional[str] = None, choices=None,
           parse: Optional[Callable[[str], Any]] = None, cli: bool = True,
           cli_default=_UNSET, to_config: Optional[Callable[[Any], Any]] = None,
           group: Optional[str] = None, nargs=None, action: Optional[str] = None):
    """A dataclass field that is also an option: ``default`` and ``help`` (one short line,
    shown by ``--help`` with the default) for the API and the command line alike.

    ``flag`` renames the option (``--minutes`` for ``max_seconds``; then ``to_config``
    converts minutes to seconds); ``cli_default`` is the parser's own default where it
    differs from the API's: ``None`` where the command must tell "not given" (which then
    means the field's default); ``cli=False`` keeps a field off the command line;
    ``action="store_true"`` makes a flag without a value (its ``to_config`` reads the
    flag's True/False: ``--no-progress``)."""
    return field(default=default, metadata={_KEY: Option(
        help, flag, choices, parse, cli, cli_default, to_config, group, nargs, action)})


def declared(cls) -> list:
    """``[(field, Option)]`` of the dataclass ``cls``, in field order."""
    return [(f, f.metadata[_KEY]) for f in fields(cls) if _KEY in f.metadata]


def _parse_type(cls, f) -> Callable[[str], Any]:
    """The argparse type of a field without ``parse``: int, float or str (also Optional)."""
    hint = typing.get_type_hints(cls).get(f.name, f.type)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) is typing.Union and len(args) == 1:
        hint = args[0]
    if hint in (int, float, str):
        return hint
    raise ConfigTypeError(f"{cls.__name__}.{f.name}: a {hint} field needs option(parse=...) to be "
                          f"read from the command line, or option(cli=False)")


def _help(o: Option, default) -> str:
    text = o.help
    if isinstance(default, bool):  # a yes/no option (parse=yes_no) shows its default so
        default = "yes" if default else "no"
    if isinstance(default, (tuple, list)):  # as typed: "0.1 0.5 0.9", not "(0.1, 0.5, 0.9)";
        default = " ".join(map(str, default)) or None  # none for "()"
    if "default" not in text:  # a help that explains its default itself keeps its words
        text += " (default: none)" if default is None else f" (default {default})"
    return text.replace("%", "%%")  # argparse formats help with %


def _group(parser, title: Optional[str]):
    if title is None:
        return parser
    for g in parser._action_groups:  # argparse keeps no public list of its groups
        if g.title == title:
            return g
    return parser.add_argument_group(title)


def add_options(parser: argparse.ArgumentParser, cls, *, only: Optional[Iterable[str]] = None,
                skip: Iterable[str] = ()) -> list:
    """Add an argparse option for each field of ``cls`` declared with :func:`option`
    (``cli=True``), or only those named in ``only``, less those in ``skip`` (a command
    that writes one by hand). Returns the names of the fields added."""
    only, skip = (None if only is None else set(only)), set(skip)
    added = []
    for f, o in declared(cls):
        if not o.cli or f.name in skip or (only is not None and f.name not in only):
            continue
        default = f.default if o.cli_default is _UNSET else o.cli_default
        choices = o.choices() if callable(o.choices) else o.choices
        shown = f.default if o.cli_default is _UNSET or o.cli_default is None else o.cli_default
        kwargs = {"dest": o.dest_for(f.name), "default": default, "help": _help(o, shown)}
        if o.action is not None:  # a flag without a value: no type, no choices
            _group(parser, o.group).add_argument(o.flag_for(f.name), action=o.action, **kwargs)
            added.append(f.name)
            continue
        if choices is not None:
            kwargs["choices"] = list(choices)
        if o.parse is not None or choices is None:
            kwargs["type"] = o.parse or _parse_type(cls, f)
        if o.nargs is not None:
            kwargs["nargs"] = o.nargs
        _group(parser, o.group).add_argument(o.flag_for(f.name), **kwargs)
        added.append(f.name)
    return added


def config_from_args(cls, args: argparse.Namespace, **overrides):
    """``cls(...)`` from parsed arguments: each declared field whose option is in ``args``
    (added by :func:`add_options`, or by hand under the same name), converted by its
    ``to_config``; ``overrides`` set fields the command computes itself. The others keep
    their defaults; the config's ``__post_init__`` checks the result: a value it refuses
    is an :class:`~rnnlab.io.errors.OptionError` (a usage error: exit status 2)."""
    values = {}
    for f, o in declared(cls):
        dest = o.dest_for(f.name)
        if not o.cli or f.name in overrides or not hasattr(args, dest):
            continue
        value = getattr(args, dest)
        if value is None and o.cli_default is None:
            continue  # not given: the field's default
        values[f.name] = o.to_config(value) if o.to_config else value
    return refused_as_option_error(cls, **values, **overrides)


def refused_as_option_error(make: Callable[..., Any], *args, **kwargs):
    """``make(*args, **kwargs)`` (a config built from options), its ValueError raised as an
    :class:`~rnnlab.io.errors.OptionError` with the same message, the optimizer settings
    named by their flags (:func:`rnnlab.train.optim_flags.as_flags`: ``--eps``, not
    ``eps=``)."""
    from .io.errors import OptionError
    from .train.optim_flags import as_flags

    try:
        return make(*args, **kwargs)
    except OptionError:
        raise
    except ValueError as e:
        raise OptionError(as_flags(str(e))) from e


# the settings that are off at 0 as at None ("0 / none: off"), in every command and in every
# config (TrainConfig, LMTrainConfig, ForecastConfig, PanelConfig, CompareConfig). Keras'
# patience=0 (its default: stop at the first epoch without improvement) is patience=1 here
OFF_AT_ZERO = ("patience", "clip_norm")


def zero_as_off(cfg, names: Iterable[str] = OFF_AT_ZERO) -> Optional[str]:
    """Each of ``names`` that is 0 on the frozen dataclass ``cfg`` set to None (off), as
    the command line reads ``0``; the sentence refusing a negative one, else None."""
    from .number_kinds import is_real

    for name in names:
        v = getattr(cfg, name)
        if is_real(v) and v == 0:
            object.__setattr__(cfg, name, None)
        elif is_real(v) and v < 0:
            return f"{name} must be > 0, or 0 / None for off, got {v!r}"
    return None


def changed_settings(config) -> str:
    """``model='gru', hidden_size=32``: the fields of the dataclass ``config`` whose values
    differ from their defaults, in declaration order."""
    shown = []
    for f in fields(config):
        if not f.init:
            continue
        default = f.default if f.default is not MISSING else (
            f.default_factory() if f.default_factory is not MISSING else None)
        value = getattr(config, f.name)
        if value != default:
            shown.append(f"{f.name}={value!r}")
    return ", ".join(shown)


def config_repr(config) -> str:
    """``ForecastConfig(model='gru', hidden_size=32)``: the settings that differ from the
    defaults (the dataclass' repr listed all forty); evaluated, it gives the same config."""
    return f"{type(config).__name__}({changed_settings(config)})"
