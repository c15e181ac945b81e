"""The flags of ``rnnlab compare`` made from CompareConfig's fields, one each
(``--hidden-size`` sets ``hidden_size``): its help is the comment beside the field in
compare/config.py, its default the field's, its words (``--scaler standard|minmax|none``)
those CompareConfig checks; a flag not given leaves the base config's value (a recipe's,
a --config file's)."""

from __future__ import annotations

import argparse
import dataclasses
import typing

from ..options import OFF_AT_ZERO  # (off at 0 as at none)
from ..train.cli_args import seed_number
from .config import CompareConfig
from .flag_checks import RENAMED


def _choices() -> dict:
    """The fields that take one of a few words: their words, shown by --help (CompareConfig
    checks them, with its own message)."""
    from ..data.option_names import FILLS, OFF_GRID, SCALER_NAMES
    from ..forecast.config import DIFFERENCES, STRATEGIES, TRANSFORMS
    from ..names import ARCHITECTURE_NAMES, IMPLS
    from ..train.config import SCHEDULES
    from .config import EVALUATIONS, TASKS

    return {"task": TASKS, "evaluation": EVALUATIONS,
            "metric": ("rmse", "mae", "mape", "smape", "mase"),
            "strategy": STRATEGIES, "transform": TRANSFORMS,
            "difference": DIFFERENCES, "scaler": SCALER_NAMES,
            "impl": IMPLS, "match_to": ARCHITECTURE_NAMES, "fill": FILLS, "off_grid": OFF_GRID,
            "nonlinearity": ("tanh", "relu"), "lr_schedule": SCHEDULES}


def field_help() -> dict:
    """Each CompareConfig field's description: the comment beside it in compare/config.py
    (one source for the code and --help); empty where the source cannot be read."""
    import inspect
    import re

    try:
        source = inspect.getsource(CompareConfig)
    except (OSError, TypeError):
        return {}
    found = re.findall(r"^\s+(\w+): [^\n#]*#\s*(.+)$", source, flags=re.M)
    return {name: text.strip() for name, text in found}


def _tuple_default(f: dataclasses.Field) -> tuple:
    """A tuple field's default: its value, or its factory's (none: empty)."""
    if f.default is not dataclasses.MISSING:
        return tuple(f.default)
    if f.default_factory is not dataclasses.MISSING:
        return tuple(f.default_factory())
    return ()


def add_field_flags(p: argparse.ArgumentParser) -> None:
    """One flag per CompareConfig field; only the flags given override the base config.
    Its help is the field's comment, its default and, for a word, the choices."""
    hints = typing.get_type_hints(CompareConfig)
    described, choices = field_help(), _choices()
    g = p.add_argument_group("comparison settings (each a field of CompareConfig)")
    for f in dataclasses.fields(CompareConfig):
        if f.name == "device":
            continue  # set by --accelerator
        dest = RENAMED.get(f.name, f.name)
        flag, hint = "--" + dest.replace("_", "-"), hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        base = args[0] if typing.get_origin(hint) is typing.Union else hint
        about = described.get(f.name, "")
        about = about + " " if about else ""
        if hint is bool:
            g.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction,
                           default=argparse.SUPPRESS,
                           help=f"{about}(default: {'yes' if f.default else 'no'})")
        elif typing.get_origin(hint) is tuple:
            # (--seeds: read as every --seed is, rnnlab.seed_ranges.CLI; int took -1 and
            # --print-config printed it, and 1.5 was "invalid int value")
            item = seed_number if f.name == "seeds" else typing.get_args(hint)[0]
            g.add_argument(flag, dest=dest, nargs="+", type=item, default=argparse.SUPPRESS,
                           help=f"{about}(default {' '.join(map(str, _tuple_default(f)))})")
        elif f.name in WORD_NONE:  # ('none' is a value of its own: read without dates)
            g.add_argument(flag, dest=dest, type=_as_typed, default=argparse.SUPPRESS,
                           help=f"{about}(default: detected)")
        else:
            kind = base if base in (int, float, str) else str
            optional = base is not hint  # Optional[...]: the word none means None
            words = choices.get(f.name)
            g.add_argument(flag, dest=dest, type=_optional(kind, f.name in OFF_AT_ZERO)
                           if optional else kind,
                           default=argparse.SUPPRESS,
                           metavar="{" + ",".join(words) + "}" if words else None,
                           help=f"{about}(default" + (": none" if f.default is None
                                                       else f" {f.default}")
                                + ("; 'none' for None" if optional else "") + ")")


# fields whose word 'none' is a value, not None: --date-column none reads the series
# without dates, as rnnlab forecast's (None, null in a settings file: detected)
WORD_NONE = ("date_column",)


def _as_typed(s: str) -> str:
    """The text as typed ('none' kept); null in a settings file reads as None."""
    return s


setattr(_as_typed, "reads_none", True)


def _optional(kind, zero_is_none: bool = False):
    def parse(s: str):
        value = None if s.lower() == "none" else kind(s)
        return None if zero_is_none and value == 0 else value
    parse.__name__ = kind.__name__
    # a file's null is "none" (--print-config and a run's config.json write it so; it was
    # refused, and no comparison with --clip-norm none, E1's recipe among them, repeated)
    setattr(parse, "reads_none", True)  # (a mark on the function, read by the checks)
    return parse


__all__ = ["add_field_flags", "field_help"]
