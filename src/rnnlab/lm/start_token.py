"""Where generation starts when no prefix is given: ``rnnlab lm generate --run RUN`` and
``CharLM.generate()`` without one (char-rnn's ``sample.lua`` without ``-primetext``).

The model is warmed up on one token it knows, the same every time, so the same seed gives
the same text: a newline where the vocabulary has one (the text then begins as a line of
the training text begins), else a space (a word's start), else the training text's most
frequent token (the vocabulary's first after ``<unk>``: :meth:`Vocab.build` orders them by
frequency). The start token itself is not part of the text returned: it is no text the
user gave, only the state the drawing begins from.
"""

from __future__ import annotations

from ..data.text import Vocab, token_repr

__all__ = ["start_token", "start_note"]

STARTS = ("\n", " ")  # (in this order; see the module's docstring)


def start_token(vocab: Vocab) -> str:
    """The token generation starts after when no prefix is given (the module's docstring)."""
    for token in STARTS:
        if token in vocab.tokens:
            return token
    return vocab.tokens[1] if len(vocab.tokens) > 1 else vocab.tokens[0]


def start_note(token: str) -> str:
    """What ``rnnlab lm generate`` says of the start it chose (on standard error)."""
    what = {"\n": "a newline: the text begins as a line begins",
            " ": "a space: the model has no newline; the text begins as a word begins"}
    return (f"no --prefix: the model starts after {token_repr(token)} "
            f"({what.get(token, 'the most frequent token of its training text')}; the start "
            f"is not printed); --prefix TEXT starts it after TEXT")
