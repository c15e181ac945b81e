"""A student's and a researcher's sweep (session 14): rnnlab.nn as a torch.nn drop-in,
the deep architectures, CharLM and its checkpoints. Tiny and fast."""

from __future__ import annotations

import warnings

import pytest

from rnnlab.io.errors import DataError
from rnnlab.lm import CharLM

TINY_LM = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0)
FAST_FIT = dict(epochs=1, batch_size=4, seq_len=8, progress=False)


def test_a_refused_fit_leaves_the_model_without_the_refused_texts_vocabulary():
    """A fit refused before training (a text too short) left the vocabulary of that text
    on the model: the corrected fit then kept it and trained 93% of its text as the
    unknown token, with only a warning."""
    lm = CharLM(**TINY_LM)
    with pytest.raises(DataError, match="training part of the corpus"):
        lm.fit("abcabc" * 3, **FAST_FIT)
    assert lm.vocab is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "not in the model's vocabulary" warning
        lm.fit("the quick brown fox jumps over the lazy dog. " * 40, **FAST_FIT)
    assert lm.vocab.encode("q") != [lm.vocab.unk_id]
