"""A command or subcommand typed a letter or two off (``rnnlab forcast``, ``rnnlab lm
trian``): argparse answered "invalid choice: 'forcast' (choose from ...)" and left the
reader to find the command meant among twelve; :func:`command_typo` names it, and the one
a word starts (``rnnlab data``: `rnnlab datasets`). An option's
word typed so (``--select nework``, ``--optimizer Adam``) is named by :class:`Parser`.
(Python 3.14's ``suggest_on_error`` does both; rnnlab runs on 3.10 on.)"""

from __future__ import annotations

import argparse
import difflib
from typing import Dict, List, Optional


# how close a word must be to the one meant (difflib's ratio): 'forcast' 0.93, 'trian' 0.8,
# 'Adam' for adam 0.75; at 0.6, 'predcit' was taken for `recipe`
CUTOFF = 0.75


def _subcommands(parser: argparse.ArgumentParser) -> Optional[argparse._SubParsersAction]:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
                None)


def command_typo(parser: argparse.ArgumentParser, words: List[str],
                 nested: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The error for the first command word of ``words`` that no parser takes but that is
    close to one it does ("did you mean `rnnlab forecast`?"); None when every command word
    is known or none is close (argparse then says what it says). The command words are the
    words that are no option, in order: ``rnnlab`` and ``rnnlab lm`` take no option with a
    value before their command, so the first is the command and, for ``lm`` and ``recipe``,
    the second is its subcommand. ``nested``: words typed as a top-level command that name
    a command of a command, with the command meant (``train``: `rnnlab lm train` ...)."""
    action, prog = _subcommands(parser), parser.prog
    for word in words:
        if word in ("-h", "--help") or (word == "--version" and prog == parser.prog):
            return None  # (argparse acts on it where it stands: the help, exit 0)
        if word.startswith("-"):
            continue
        if action is None:  # (a command without subcommands: the rest are its values)
            return None
        if word in action.choices:
            command = action.choices[word]
            action, prog = _subcommands(command), command.prog
            continue
        meant = {n: f"`{prog} {n}`" for n in action.choices}
        if prog == parser.prog:  # (`rnnlab trian`: `rnnlab lm train` or `rnnlab forecast`)
            meant = {**(nested or {}), **meant}
        close = difflib.get_close_matches(word, list(meant), n=1, cutoff=CUTOFF) or [
            n for n in meant if n.casefold() == word.casefold()] or _start_of_one(word, meant)
        if not close:
            return None
        return (f"{prog}: error: {word!r} is not a command: did you mean {meant[close[0]]}? "
                f"(`{prog} --help` lists the commands)")
    return None


# the shortest start of a command read as that command (`rnnlab data`: datasets, whose
# ratio to 'data' is 0.67, under CUTOFF); two letters would be guesses
MIN_START = 3


def _start_of_one(word: str, meant: Dict[str, str]) -> List[str]:
    """[the command] when ``word`` starts exactly one command's name (or several names
    of one meaning), else []."""
    if len(word) < MIN_START:
        return []
    starts = [n for n in meant if n.casefold().startswith(word.casefold())]
    return starts[:1] if len({meant[n] for n in starts}) == 1 else []


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose "invalid choice" adds the choice meant when one is
    close ("invalid choice: 'nework' (choose from ...); did you mean 'network'?")."""

    def _check_value(self, action, value):
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError as e:
            choices = [str(c) for c in (action.choices or ())]
            near = difflib.get_close_matches(str(value), choices, n=1, cutoff=CUTOFF) or [
                c for c in choices if c.casefold() == str(value).casefold()]
            if not near:
                raise
            raise argparse.ArgumentError(action, f"{e.message}; did you mean {near[0]!r}?") \
                from None
