"""A character-level text is counted and encoded as arrays of code points (no list of its
characters), with the same vocabulary and ids as the plain definitions; CharLM.fit
encodes its text once."""

from collections import Counter

import numpy as np
import pytest

from rnnlab.data import char_codes
from rnnlab.data.text import Vocab

TEXT = "héllo wörld 😀 <unk> \ud800 tab\there\n" * 7 + "日本語 the end"


class _NoIter(str):
    def __iter__(self):
        raise AssertionError("the text was walked character by character in Python")


@pytest.mark.parametrize("chunk", [char_codes.CHUNK, 5])
def test_counts_and_ids_equal_the_list_definitions(monkeypatch, chunk):
    monkeypatch.setattr(char_codes, "CHUNK", chunk)
    monkeypatch.setattr(char_codes.code_points, "__defaults__", (chunk,))
    assert char_codes.char_counts(TEXT) == dict(Counter(TEXT))
    v = Vocab.build(TEXT[:60], max_size=12)  # some characters left out: the unknown id
    other = TEXT + "zq\U0010fffd"  # characters past every vocabulary code point
    want = [v._index.get(c, 0) for c in other]
    got = v.encode_array(other)
    assert got.dtype == np.int64 and got.tolist() == want == v.encode(other)
    assert 0 in want


def test_vocabulary_and_ids_without_a_list_of_characters():
    text = _NoIter(TEXT)
    v = Vocab.build(text)
    assert v == Vocab.build(str(TEXT)) and len(v) == len(set(TEXT)) + 1
    assert v.encode_array(text).tolist() == v.encode(str(TEXT))
    assert v.encode_array("").shape == (0,)


def test_charlm_fit_encodes_its_text_once(monkeypatch):
    from rnnlab.lm import CharLM, fit_checks, fit_process

    calls = []
    real = fit_process._split_ids

    def counted(*a):
        calls.append(1)
        return real(*a)
    monkeypatch.setattr(fit_process, "_split_ids", counted)
    monkeypatch.setattr(fit_checks, "_split_ids", counted)
    text = "the quick brown fox jumps over the lazy dog. " * 30
    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4).fit(
        text, seq_len=16, batch_size=4, epochs=1, progress=False)
    assert len(calls) == 1 and lm.info["epochs"] == 1


def test_fit_ids_take_the_smallest_id_type():
    import torch

    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.lm.fit_process import _split_ids

    small = Vocab.build(TEXT)
    train, val = _split_ids(TEXT, small, LMTrainConfig())
    assert train.dtype == val.dtype == torch.int16
    assert torch.cat([train, val]).tolist() == small.encode(TEXT)
    big = Vocab(("<unk>",) + tuple(chr(0x4E00 + i) for i in range(40000)))
    assert np.dtype(big.id_dtype()) == np.int32
    assert big.encode_array(chr(0x4E00 + 39999), big.id_dtype()).tolist() == [40000]


def test_scoring_a_text_makes_no_list_of_its_characters():
    from rnnlab.lm import CharLM

    base = "the quick brown fox jumps over the lazy dog. " * 30
    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4).fit(
        base, seq_len=16, batch_size=4, epochs=1, progress=False)
    text = _NoIter("the lazy dog, quickly: Zebra! " * 5)
    assert lm.vocab.unknown(text) == sorted(set(str(text)) - set(lm.vocab.tokens))
    with pytest.warns(UserWarning, match="not in the model.s vocabulary"):
        total, n = lm.nll(text)
    assert n == len(text) - 1 and total > 0
    assert lm.nll(str(text), skip_unknown=True)[1] == n - sum(
        c not in lm.vocab.tokens for c in text[1:])
