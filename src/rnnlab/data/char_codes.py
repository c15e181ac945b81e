"""A character-level text as arrays of code points, a chunk at a time: the counts that
build a vocabulary and the ids that encode a text, without a Python list of its characters.

``list(text)`` of a 50 MB corpus is 50 million pointers (400 MB), and the ids encoded
from it another list as large before they become a tensor: the vocabulary and the ids of
``CharLM.fit`` cost 18 s and 770 MB there. Here each chunk is decoded to a ``uint32``
array (UTF-32, lone surrogates kept as the code points ``list`` gives) and the result
is one int64 array of ids, or a dict of counts.
"""

from __future__ import annotations

from typing import Dict, Iterator, Sequence

CHUNK = 1 << 20  # characters decoded at a time


def code_points(text: str, chunk: int = CHUNK) -> Iterator:
    """The code points of ``text``, ``chunk`` characters at a time (uint32 arrays)."""
    import numpy as np  # (here: rnnlab.data.text, which imports this module, stays light)

    for lo in range(0, len(text), chunk):
        raw = text[lo:lo + chunk].encode("utf-32-le", "surrogatepass")
        yield np.frombuffer(raw, dtype="<u4")


def char_counts(text: str) -> Dict[str, int]:
    """{character: occurrences} of ``text`` (what ``Counter(text)`` gives)."""
    import numpy as np

    counts = np.zeros(0, dtype=np.int64)
    for cps in code_points(text):
        c = np.bincount(cps, minlength=len(counts))
        c[:len(counts)] += counts
        counts = c
    return {chr(cp): int(counts[cp]) for cp in np.flatnonzero(counts)}


def char_ids(tokens: Sequence[str], text: str, unknown: int = 0, dtype="int64"):
    """Ids (of ``dtype``) of the characters of ``text`` in the vocabulary ``tokens`` (one
    character each, by id; ``unknown`` for a character not there, and for ``tokens``
    entries that are not one character, such as the unknown token's own name)."""
    import numpy as np

    ids = {ord(t): i for i, t in enumerate(tokens) if len(t) == 1}
    table = np.full(max(ids, default=0) + 1, unknown, dtype=dtype)
    table[list(ids)] = list(ids.values())
    out = np.empty(len(text), dtype=dtype)
    lo = 0
    for cps in code_points(text):
        inside = cps < len(table)
        out[lo:lo + len(cps)] = np.where(inside, table[np.where(inside, cps, 0)], unknown)
        lo += len(cps)
    return out
