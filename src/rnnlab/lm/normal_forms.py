"""A prefix or a text written another way than the training text: in another Unicode
normal form, or with a file's byte-order mark and ``\r\n`` line ends.

"é" is one character (U+00E9: NFC, composed, as keyboards type it) or two ("e" and the
combining accent U+0301: NFD, decomposed, as macOS file names and some converters write
it). The vocabulary holds the characters as the training text has them (it is never
normalised: the model learns the text as it is), so the accented letters of a text in
the other form are unknown to it, though they look the same on screen.

:func:`generate <rnnlab.lm.generate.generate>` reads its prefix in the form the model
knows (:func:`in_model_form`); scoring takes the text as given, and its note of unknown
tokens says which form would be known (:func:`form_hint`). A text read with ``open()``
keeps what :func:`~rnnlab.data.text.load_corpus` drops (a byte-order mark, U+FEFF, read
as a character with ``encoding="utf-8"``; the ``\r`` of ``\r\n`` with ``newline=""``):
the note names them too (:func:`file_marks_hint`).
"""

from __future__ import annotations

import unicodedata
from typing import Literal, Optional, Tuple, TypeVar, Union

from ..data.text import Vocab

Form = Literal["NFC", "NFD"]  # the normal forms tried (unicodedata's names)
FORMS: Tuple[Form, ...] = ("NFC", "NFD")
_Prefix = TypeVar("_Prefix")
HINT_CHARS = 1_000_000  # form_hint looks at the start of a text (a text of 1 GB: seconds)
_HOW = {"NFC": "composed", "NFD": "decomposed"}


def _unknown_count(vocab: Vocab, text: str) -> int:
    return int((vocab.encode_array(text, vocab.id_dtype()) == vocab.unk_id).sum())


def better_form(vocab: Vocab, text) -> Optional[Form]:
    """The normal form ("NFC" or "NFD") in which fewer of ``text``'s tokens are unknown
    to ``vocab`` than as it is written, or None (a text with no unknown tokens, or one
    that neither form helps; not a str)."""
    if not isinstance(text, str) or not text:
        return None
    fewest = _unknown_count(vocab, text)
    best: Optional[Form] = None
    for form in FORMS:
        if fewest == 0:
            break
        if unicodedata.is_normalized(form, text):
            continue
        n = _unknown_count(vocab, unicodedata.normalize(form, text))
        if n < fewest:
            best, fewest = form, n
    return best


def in_model_form(vocab: Vocab, prefix: _Prefix) -> Tuple[Union[_Prefix, str], Optional[str]]:
    """(the prefix as the model reads it, the normal form it was turned into or None): in
    the form of the training text where the prefix as typed has tokens the model does
    not know and that form has fewer (``prefix`` not a str: as given, for the caller's
    check to refuse)."""
    form = better_form(vocab, prefix)  # (None for a prefix not a str)
    if form is None or not isinstance(prefix, str):
        return prefix, None
    return unicodedata.normalize(form, prefix), form


def form_note(form: str) -> str:
    """What :func:`in_model_form` did, said as a warning."""
    return (f"the prefix was read in Unicode normal form {form} ({_HOW[form]} accents), as the "
            f"model's training text writes it: typed as it was, some of its characters were "
            f"unknown to the model")


def form_hint(vocab: Vocab, text, convert: str = "python") -> str:
    """'' or, where ``text`` in the other normal form has fewer unknown tokens, a sentence
    saying so and how to convert it (``convert``: "python" or "file")."""
    form = better_form(vocab, text[:HINT_CHARS] if isinstance(text, str) else text)
    if form is None:
        return ""
    how = (f"unicodedata.normalize({form!r}, text)" if convert == "python" else
           f"python3 -c \"import sys, unicodedata; sys.stdout.write(unicodedata.normalize("
           f"'{form}', sys.stdin.read()))\" < IN.txt > OUT.txt")
    return (f"the model's training text writes accents in another Unicode form ({form}, "
            f"{_HOW[form]}): in that form fewer of these are unknown; convert the text with "
            f"{how}")


_MARKS = {"\ufeff": "a byte-order mark (U+FEFF)", "\r": "the \\r of \\r\\n line ends"}


def file_marks_hint(vocab: Vocab, unknown) -> str:
    """'' or, where the ``unknown`` tokens hold a byte-order mark or ``\\r`` that the
    vocabulary lacks, a sentence saying what they are and how to read the file."""
    marks = [_MARKS[t] for t in _MARKS if t in unknown and vocab.encode(t) == [vocab.unk_id]]
    if not marks:
        return ""
    return (f"{' and '.join(marks)} {'is' if len(marks) == 1 else 'are'} in the text and not in "
            f"the model's (load_corpus(path) drops {'it' if len(marks) == 1 else 'them'}): "
            f"read the file with load_corpus(path)")
