"""A command or subcommand typed a letter or two off (``rnnlab forcast``, ``rnnlab lm
trian``): argparse answered "invalid choice: 'forcast' (choose from ...)" and left the
reader to find the command meant among twelve; :func:`command_typo` names it. An option's
word typed so (``--select nework``, ``--optimizer Adam``) is named by :class:`Parser`.
(Python 3.14's ``suggest_on_error`` does both; rnnlab runs on 3.10 on.)"""

from __future__ import annotations

import argparse
import difflib
from typing import List, Optional


def _subcommands(parser: argparse.ArgumentParser) -> Optional[argparse._SubParsersAction]:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
                None)


def command_typo(parser: argparse.ArgumentParser, words: List[str]) -> Optional[str]:
    """The error for the first command word of ``words`` that no parser takes but that is
    close to one it does ("did you mean `rnnlab forecast`?"); None when every command word
    is known or none is close (argparse then says what it says). The command words are the
    words that are no option, in order: ``rnnlab`` and ``rnnlab lm`` take no option with a
    value before their command, so the first is the command and, for ``lm`` and ``recipe``,
    the second is its subcommand."""
    action, prog = _subcommands(parser), parser.prog
    for word in (w for w in words if not w.startswith("-")):
        if action is None:  # (a command without subcommands: the rest are its values)
            return None
        if word in action.choices:
            command = action.choices[word]
            action, prog = _subcommands(command), command.prog
            continue
        names = list(action.choices)
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6) or [
            n for n in names if n.casefold() == word.casefold()]
        if not close:
            return None
        return (f"{prog}: error: {word!r} is not a command: did you mean `{prog} "
                f"{close[0]}`? (`{prog} --help` lists the commands)")
    return None


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose "invalid choice" adds the choice meant when one is
    close ("invalid choice: 'nework' (choose from ...); did you mean 'network'?")."""

    def _check_value(self, action, value):
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError as e:
            choices = [str(c) for c in (action.choices or ())]
            near = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6) or [
                c for c in choices if c.casefold() == str(value).casefold()]
            if not near:
                raise
            raise argparse.ArgumentError(action, f"{e.message}; did you mean {near[0]!r}?") \
                from None
