"""A column name typed close to one of the table's: another case (``Value`` for ``value``),
spaces around it (a header ``"Sales "`` from a spreadsheet), or a letter or two off
(``valeu``). "column 'Value' not found; columns are ['month', 'Value ']" left the reader to
spot the difference; :func:`close_name_hint` names the column meant and what differs."""

from __future__ import annotations

import difflib
from typing import Iterable


def _loose(text: str) -> str:
    return " ".join(text.split()).casefold()


def close_name_hint(name, columns: Iterable) -> str:
    """``"; did you mean 'X'? (...)"`` for the column of ``columns`` that ``name`` names but
    for its case or its spaces (say which), else for the closest spelling (difflib,
    cutoff 0.8); "" when none is close."""
    columns = [str(c) for c in columns]
    name = str(name)
    same = [c for c in columns if _loose(c) == _loose(name)]
    if same:
        case = " ".join(same[0].split()) != " ".join(name.split())
        spaces = same[0].casefold() != name.casefold()  # (equal once both are loose)
        what = ("its case and the spaces in it differ" if case and spaces else
                "its case differs" if case else "the spaces in it differ")
        return f"; did you mean {same[0]!r}? ({what}: pass the name as the table writes it)"
    near = difflib.get_close_matches(name, columns, n=1, cutoff=0.8)
    return f"; did you mean {near[0]!r}?" if near else ""


def close_builtin_hint(name, names: Iterable) -> str:
    """``"; did you mean 'airline'?"`` for a built-in dataset or corpus name typed a letter
    or two off (``airlines``, ``timemachine``: was only "neither a built-in dataset ..."
    with the list, left to compare by eye); "" when none is close, or for a path with a
    folder (``corpora/time-machine``: the user's own file, missing, no built-in's typo)."""
    if "/" in str(name) or "\\" in str(name):
        return ""
    near = difflib.get_close_matches(str(name).casefold(), [str(n) for n in names], n=1,
                                     cutoff=0.75)
    return f"; did you mean {near[0]!r}?" if near else ""
