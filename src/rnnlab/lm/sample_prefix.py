"""The samples' prefix of ``rnnlab lm train``: the corpus's own first words by default."""

from __future__ import annotations


def first_words(data, level: str = "char") -> str:
    """The sample prefix of a corpus: its first three words and the whitespace character
    after them, as the text has them (at most 24 characters); of a prepared corpus,
    decoded from its first tokens; '' for an empty text. (A space was added: in a text
    without spaces, a character the model never saw.) At word level it ends at the end
    of a token (cut inside a word, the prefix would end in a word the model never saw),
    and is the first word whole when that one is longer."""
    import re

    head = data if isinstance(data, str) else data.vocab.decode(
        [int(i) for i in data.tokens[:200]])
    first = re.search(r"\S", head)  # (a text may open with any amount of whitespace)
    if first is None:
        return ""
    window = head[first.start():first.start() + 200]
    words = re.match(r"(?:\S+\s+){0,2}\S+\s?", window)  # (matches: window opens with \S)
    start = (words.group(0) if words else window)[:24]
    if level != "word":
        return start
    from ..data.text import tokenize

    whole = ""
    for token in tokenize(window, "word"):
        if whole and len(whole) + len(token) > len(start):
            break
        whole += token
    return whole


def prefix_option(a) -> str:
    """How a refused sample prefix is named: the --prefix typed, or the default one."""
    if a.prefix:
        return "--prefix"
    return "the default sample prefix (the corpus's first words; choose one with --prefix)"
