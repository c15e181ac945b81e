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
from collections import Counter
from functools import lru_cache
from typing import List, Optional, Tuple


@lru_cache(maxsize=None)
def _mark_class() -> str:
    """The combining marks (categories Mn, Mc, Me) that ``\\w`` does not match, as the
    ranges of a regex character class."""
    ranges: List[Tuple[int, int]] = []
    start: Optional[int] = None  # (the first mark of the range being read)
    prev = -1  # (the last mark read; read only once start is set)
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


# scripts written without spaces between words (Unicode character names start so)
UNSPACED_SCRIPTS = ("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA",
                    "THAI", "LAO", "KHMER", "MYANMAR")
SAMPLE_CHARS = 1_000_000  # how much of a text unspaced_note reads


def unspaced_note(text: str) -> Optional[str]:
    """A note when most letters of ``text`` (its first SAMPLE_CHARS) are of a script written
    without spaces between words (Chinese, Japanese, Thai, ...): at word level a run of
    them up to the next space or punctuation mark is one token, often a whole clause, so
    nearly every token of a held-out text is one the model never saw. None otherwise."""
    counts = Counter(text[:SAMPLE_CHARS])
    letters = sum(c for ch, c in counts.items() if ch.isalpha())
    unspaced = sum(c for ch, c in counts.items() if ch.isalpha()
                   and unicodedata.name(ch, "").startswith(UNSPACED_SCRIPTS))
    if not letters or unspaced < 0.5 * letters:
        return None
    words = [t for t in word_tokens(text[:SAMPLE_CHARS]) if _patterns()[1].match(t)]
    mean = sum(map(len, words)) / max(1, len(words))
    return (f"{unspaced / letters:.0%} of the text's letters are of a script written without "
            f"spaces between words (Chinese, Japanese, Thai, ...): at word level a run of them "
            f"up to the next space or punctuation mark is one token (here {mean:,.1f} "
            f"characters on average), so most tokens of another text are ones the model never "
            f"saw; use level='char' (--level char), or split the words first (a word "
            f"segmenter) and join them with spaces")
