"""--help lines that keep each word whole. argparse wraps an option's help with textwrap's
defaults, which cut a word longer than the column wherever the column ends
(``hh_init=id`` / ``entity]``) and break at hyphens (``gru-`` / ``cho``), so a name or a
list copied from the help was wrong; :func:`whole_words` makes every parser wrap between
words only (a word longer than the column runs past it)."""

from __future__ import annotations

import argparse
import textwrap
from typing import Callable


class _WholeWords(argparse.HelpFormatter):
    def _split_lines(self, text, width):
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def whole_words(parser: argparse.ArgumentParser) -> None:
    """``parser`` and every parser of its commands wrap their options' help between words,
    each keeping its own formatter otherwise (a raw description stays raw)."""
    base = parser.formatter_class
    if isinstance(base, type) and not issubclass(base, _WholeWords):  # (a callable that is
        parser.formatter_class = _wrapping(base)  # no class, a partial, is kept as given)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in action.choices.values():
                whole_words(p)


def _wrapping(base: type) -> Callable[..., argparse.HelpFormatter]:
    """The formatter class ``base`` wrapping between words."""
    return type(f"WholeWords{base.__name__}", (_WholeWords, base), {})
