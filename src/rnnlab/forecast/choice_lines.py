"""The choice line as ``rnnlab forecast`` prints it: short lines for a terminal.

:func:`~rnnlab.forecast.selection.describe` says the choice in one line, its reason and
every candidate's validation score, weights and scores kept for the record: about 300
characters on airline, which an 80-column terminal breaks mid-word. Here the line breaks
where its clauses end (after each ";" and after "over 4 rolling origins in the training
part:", also before those words where the first clause is too long), and a clause longer
than the width wraps between words, never between a name and its score, in lines of even
length; the lines after the first are indented by two spaces, so they read as one
statement. Only spaces become line breaks: joined with single spaces
the lines are :func:`describe`'s line again, each word and number as it was. The legend
under the table (what ``model``, ``network`` and MASE are) is broken so too
(:func:`clause_lines`), and so are the lines ``rnnlab forecast`` prints after it (the
seasonal period, the epochs whose weights were kept, the drift note, a run without a
test part: :mod:`.report`)."""

from __future__ import annotations

import re
import textwrap
from typing import List, Optional

from .selection import describe

WIDTH = 80  # columns: the narrowest terminal in common use
INDENT = "  "
_CLAUSE_END = re.compile(r"(?<=;) |(?<=the training part:) ")  # after each ";", the origins' words
_OVER = re.compile(r" (?=over \d+ rolling origins? in)")  # a long first clause: before those
# spaces a line never breaks at: a name and its number ("arma 0.927"), a number and the
# "of", "to" or "epochs" it counts ("1 of 20", "1 to 2", "20 epochs": "after 1" ending a
# line with "of its 20 epochs" beginning the next read as two statements)
_PAIR = re.compile(r"(?<=\w) (?=\d)|(?<=\d) (?=(?:of|epochs?)\b|to \d)")
# what a user copies whole: a command in backticks, a quoted path ('/my data/a.csv')
_WHOLE = re.compile(r"`[^`\n]+`|(?<!\w)'[^'\n]{0,200}?[/\\][^'\n]{0,200}?'(?!\w)")
_KEEP = "\x00"  # (stands for the space of a pair while it wraps)


def describe_lines(choice: Optional[dict], width: int = WIDTH) -> str:
    """:func:`describe`'s line in lines of at most ``width`` characters (a word longer than
    that keeps its own line whole), split where its clauses end."""
    return clause_lines(describe(choice), width)


def clause_lines(line: str, width: int = WIDTH) -> str:
    """``line`` (the choice's, the table's legend, a note, a warning) in lines of at most
    ``width`` characters, split where its clauses end and wrapped between words inside a
    longer one, never inside a command in backticks or a quoted path, nor between a number
    and what it counts; joined with single spaces they are ``line`` again."""
    lines: List[str] = []
    line = _WHOLE.sub(lambda m: m.group().replace(" ", _KEEP), line)
    for clause in _CLAUSE_END.split(line):
        fits = len(INDENT if lines else "") + len(clause) <= width
        for part in [clause] if fits else _OVER.split(clause):
            lines += _balanced(_PAIR.sub(_KEEP, part), INDENT if lines else "", width)
    return "\n".join(lines).replace(_KEEP, " ")


def _balanced(clause: str, indent: str, width: int) -> List[str]:
    """``clause`` wrapped between words in as few lines as ``width`` allows, their lengths
    evened out (the narrowest width that needs no more lines), so that no number is left
    alone on a line of its own."""
    def wrap(w: int) -> List[str]:
        return textwrap.wrap(clause, w, initial_indent=indent, subsequent_indent=INDENT,
                             break_long_words=False, break_on_hyphens=False)

    lines = wrap(width)
    if not lines:  # (an empty line: no width to narrow to; textwrap refuses width 0)
        return lines
    for narrower in range(len(indent) + len(clause) // max(len(lines), 1), width):
        if len(wrap(narrower)) == len(lines):
            return wrap(narrower)
    return lines
