"""A column name typed in another Unicode form than the file's: ``año`` composed (NFC, one
character ``ñ``) or decomposed (NFD, ``n`` then a combining tilde, as macOS file names hold
it and a name copied from one keeps it). The two print alike, so "column 'año' not found;
columns are ['año']" said nothing of what differs: :func:`other_form_hint` names it."""

from __future__ import annotations

import unicodedata
from typing import Iterable


def _form(text: str) -> str:
    return "NFC" if text == unicodedata.normalize("NFC", text) else "NFD"


def other_form_hint(missing: Iterable, columns: Iterable) -> str:
    """``"; 'X' is that name in another Unicode form (...)"`` for the first name of
    ``missing`` that one of ``columns`` equals once both are composed (NFC), else "".
    A name that prints as a column but is of another type (``0`` for a CSV file's column
    ``'0'``, or ``'0'`` for a DataFrame's ``0``) is said to be that, not another form."""
    columns = list(columns)
    for name in missing:
        typed = [c for c in columns if str(c) == str(name)]
        if typed:  # (both were printed as '0', and the hint named Unicode forms)
            return (f"; {typed[0]!r} ({type(typed[0]).__name__}) is that column, {name!r} "
                    f"({type(name).__name__}) is not: pass {typed[0]!r}")
    columns = [str(c) for c in columns]
    for name in map(str, missing):
        nfc = unicodedata.normalize("NFC", name)
        same = [c for c in columns if unicodedata.normalize("NFC", c) == nfc]
        if same:
            return (f"; {same[0]!r} is {name!r} in another Unicode form (typed in "
                    f"{_form(name)}, in the file {_form(same[0])}: NFD writes an accent as a "
                    f"mark of its own, as macOS file names hold it): copy the name from the "
                    f"file")
    return ""
