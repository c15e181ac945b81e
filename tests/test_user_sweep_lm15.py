"""A student's and a researcher's sweep (session 15) of the language models: word level,
the default sample prefix, what the units count. Tiny and fast."""

from __future__ import annotations

import pytest

from rnnlab.data.text import split_text, tokenize
from rnnlab.lm import CharLM

TINY_WORD_LM = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8, dropout=0.0,
                    level="word")
FAST_FIT = dict(epochs=1, batch_size=2, seq_len=5, progress=False, sample_every=0)
WORDS = "alpha beta gamma "  # 17 characters


def test_a_word_level_split_never_cuts_a_word_in_two():
    """The validation cut fell inside a word: the training part ended in "al", the
    validation part opened with "pha", a word the vocabulary got that the text does not
    have and an unknown token scored in validation."""
    text = WORDS * 20  # 340 characters; val_fraction 32/340: the cut at 308, in "alpha"
    train, val = split_text(text, 32 / 340, "word")
    assert train + val == text
    assert train.endswith(" ") and val.startswith("alpha")
    assert split_text(text, 32 / 340) == (text[:308], text[308:])  # (char level: as it was)
    lm = CharLM(**TINY_WORD_LM).fit(text, val_fraction=32 / 340, **FAST_FIT)
    assert set(lm.vocab.tokens[1:]) == set(tokenize(text, "word"))
    assert lm.vocab.unknown(val) == []


def test_a_word_level_split_cuts_inside_a_run_of_whitespace_at_its_start():
    text = "one   two\n\n\nthree " * 8
    for f in (0.05, 0.1, 0.13, 0.2, 0.31):
        train, val = split_text(text, f, "word")
        assert tokenize(train, "word") + tokenize(val, "word") == tokenize(text, "word")
