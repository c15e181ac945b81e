"""Options are spelled in full: no command of rnnlab takes an abbreviation of one.

argparse takes any unambiguous prefix of a long option by default (``--ep`` for
``--epochs``). For a tool whose options keep growing that is a promise it cannot keep: an
abbreviation that works today is refused ("ambiguous option") the day an option with the
same start is added (``--ep`` when ``--eps`` came), and one that is a whole new option's
name silently means that option; a script's or a config's command line breaks with a
release that changed nothing it named. (tyro refuses prefixes for that reason; argparse's
``allow_abbrev=False``.) A prefix typed is refused as an unknown option, with the options
it starts, one line each, saying what each does (:func:`started_options`)."""

from __future__ import annotations

import argparse
import textwrap
from typing import List, Tuple

HELP_WIDTH = 72  # (the characters of an option's help shown on its line)
SHOWN = 8  # (options listed for a prefix; the rest counted)


def spell_in_full(parser: argparse.ArgumentParser) -> None:
    """Turn argparse's prefix matching off on ``parser`` and every (sub)command's parser
    under it."""
    pending = [parser]
    while pending:
        p = pending.pop()
        p.allow_abbrev = False
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())


def typed_abbreviations(parser: argparse.ArgumentParser,
                        words: List[str]) -> Tuple[argparse.ArgumentParser, List[str]]:
    """For the command line ``words``: the parser of the (sub)command it types, and where
    a word abbreviates an option of that command, the words it does not take (each unknown
    option; an abbreviation with the value typed after it, where every option it starts
    takes one); [] where none abbreviates. Read before argparse reads the line: argparse
    took the value after an abbreviation for the command's own argument (``recipe run
    --prec 32 e4-sine``: "invalid choice: '32'") or missed the option it abbreviated
    ("required: --actuals" for ``score --act a.csv``), and the abbreviation went unsaid."""
    command, known = parser, set(parser._option_string_actions)
    part, names = _options_part(words), set()  # (names: where a (sub)command is named)
    for i, word in enumerate(part):
        subs = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if subs and word in subs[0].choices:
            command = subs[0].choices[word]
            names.add(i)
            known |= set(command._option_string_actions)
    unknown, abbreviated = [], False
    for i, word in enumerate(part):
        flag = word.split("=", 1)[0]
        if not flag.startswith("--") or flag in known:
            continue
        started = _started(command, flag)
        abbreviated |= bool(started)
        unknown.append(word)
        if started and "=" not in word and i + 1 < len(part) and i + 1 not in names and \
                not part[i + 1].startswith("-") and all(a.nargs != 0 for a in started):
            unknown.append(part[i + 1])
    return command, unknown if abbreviated else []


def _options_part(words: List[str]) -> List[str]:
    """``words`` up to a bare ``--`` (after it every word is an argument)."""
    return list(words[:words.index("--")] if "--" in words else words)


def _started(parser: argparse.ArgumentParser, flag: str) -> List[argparse.Action]:
    """The actions of ``parser`` with a long option that ``flag`` starts (not is)."""
    if not flag.startswith("--") or len(flag) < 3:
        return []
    return [a for a in parser._actions
            if any(n.startswith(flag) and n != flag for n in a.option_strings)]


def started_options(parser: argparse.ArgumentParser, flag: str) -> str:
    """For an unknown ``flag`` (``--ep``) that starts some of ``parser``'s long options:
    a line saying so and one line per option with what it does; '' where it starts none."""
    actions = _started(parser, flag)
    names = [next(n for n in a.option_strings if n.startswith(flag) and n != flag)
             for a in actions]
    if not names:
        return ""
    width = max(len(n) for n in names[:SHOWN])
    many = len(names) > 1
    lines = [f"{flag} is the start of {f'{len(names)} options' if many else 'one option'}; "
             f"give {'one' if many else 'it'} in full (rnnlab takes no abbreviations):"]
    formatter = parser._get_formatter()
    for name, action in list(zip(names, actions))[:SHOWN]:
        lines.append(f"  {name.ljust(width)}  {_one_line(formatter, action)}".rstrip())
    if len(names) > SHOWN:
        lines.append(f"  ... and {len(names) - SHOWN} more (`{parser.prog} --help`)")
    return "\n".join(lines)


def _one_line(formatter: argparse.HelpFormatter, action: argparse.Action) -> str:
    """``action``'s help as --help shows it (its ``%(default)s`` filled), cut to one line."""
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    text = " ".join(formatter._expand_help(action).split())
    return textwrap.shorten(text, HELP_WIDTH, placeholder=" ...")
