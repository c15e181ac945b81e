"""A config's ``help()`` lists its settings as ``--help`` does.

The help of a field declared with :func:`~rnnlab.options.option` lives in the field's
metadata, which ``help(ForecastConfig)`` never shows: the class' docstring said "with
the help given here" above no help at all. :func:`document_options` appends one entry
per field (its name, default, its command-line flag where that is not ``--name``, and
its help) to the docstring when the class is made, so the two cannot drift.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import MISSING, fields

from .options import declared

WIDTH = 88


def _entry(f, opt) -> str:
    default = f.default if f.default is not MISSING else f.default_factory()
    head = f"    {f.name} = {default!r}"
    if opt is not None and not opt.cli:
        head += "  (API and config.json only)"
    elif opt is not None and opt.flag_for(f.name) != "--" + f.name.replace("_", "-"):
        head += f"  (command line: {opt.flag_for(f.name)})"
    text = "" if opt is None else opt.help
    if opt is not None and isinstance(opt.choices, (tuple, list)) and \
            not all(str(c) in text for c in opt.choices):
        text += f" (one of: {', '.join(map(str, opt.choices))})"
    body = textwrap.fill(text, WIDTH, initial_indent=" " * 8, subsequent_indent=" " * 8)
    return head + ("\n" + body if body else "")


def document_options(cls):
    """Append ``Settings:`` (every field, see the module) to ``cls.__doc__``; returns
    ``cls``, so it decorates a config dataclass (above ``@dataclass``)."""
    options = dict((f.name, opt) for f, opt in declared(cls))
    entries = [_entry(f, options.get(f.name)) for f in fields(cls)]
    intro = inspect.cleandoc(cls.__doc__ or "")
    cls.__doc__ = intro + "\n\nSettings (name = default):\n\n" + "\n".join(entries) + "\n"
    return cls


__all__ = ["document_options"]
