"""Word-level tokens: words, single punctuation marks and runs of whitespace, so that
``"".join(tokens)`` is the text again.

A word is a run of letters, digits and underscores (regex ``\\w``) together with the
combining marks written on them, which ``\\w`` does not match: the vowel signs and
viramas of Devanagari, Bengali or Thai, the accents of decomposed (NFD) Latin text. Read
by ``\\w`` alone, "नमस्ते" was four tokens and an NFD "naïve" three. The marks' class is
built from the Unicode tables once per process, at the first word-level text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import List


@lru_cache(maxsize=None)
def _mark_class() -> str:
    """The combining marks (categories Mn, Mc, Me) that ``\\w`` does not match, as the
    ranges of a regex character class."""
    ranges, start, prev = [], None, None
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if unicodedata.category(ch)[0] == "M" and not ch.isalnum():
            if start is None or cp != prev + 1:
                if start is not None:
                    ranges.append((start, prev))
                start = cp
            prev = cp
    if start is not None:
        ranges.append((start, prev))
    # (all are outside ASCII: none is special inside a character class)
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


@lru_cache(maxsize=None)
def _patterns():
    marks = _mark_class()
    return (re.compile(rf"[\w{marks}]+|\s+|[^\w\s{marks}]"),  # the tokens
            re.compile(rf"[\w{marks}]"), re.compile(r"\s"))  # one character of a run


def word_tokens(text: str) -> List[str]:
    """The word-level tokens of ``text``."""
    return _patterns()[0].findall(text)


def token_start(text: str, cut: int) -> int:
    """The start of the word-level token (a word or a run of whitespace: punctuation marks
    are one character each) that holds ``text[cut]``; ``cut`` when it starts one."""
    if not 0 < cut < len(text):
        return cut
    for run in _patterns()[1:]:
        if run.match(text[cut - 1]) and run.match(text[cut]):
            start = cut - 1
            while start > 0 and run.match(text[start - 1]):
                start -= 1
            return start
    return cut
