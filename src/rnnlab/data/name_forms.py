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
    ``missing`` that one of ``columns`` equals once both are composed (NFC), else ""."""
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
