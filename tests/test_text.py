"""Corpora, vocabularies and the two text samplers."""

import gzip

import numpy as np
import pytest
import torch

from rnnlab.data.text import BUILTIN_CORPORA, UNK, Vocab, load_corpus, split_text, tokenize
from rnnlab.data.text_sampling import TextSampler, sequential_streams
from rnnlab.io.errors import DataError


def test_builtin_corpora_load_offline():
    tm = load_corpus("time-machine")
    assert tm.startswith("The Time Machine") and len(tm) > 170_000
    assert set(BUILTIN_CORPORA) == {"time-machine", "shakespeare"}


def test_text_file_and_gzip(tmp_path):
    (tmp_path / "a.txt").write_text("héllo\r\nwörld", encoding="utf-8")
    assert load_corpus(str(tmp_path / "a.txt")) == "héllo\nwörld"
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress("zip me".encode()))
    assert load_corpus(str(tmp_path / "b.txt.gz")) == "zip me"


def test_binary_undecodable_missing_empty_errors(tmp_path):
    (tmp_path / "bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DataError, match="binary"):
        load_corpus(str(tmp_path / "bin"))
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8.*iconv"):
        load_corpus(str(tmp_path / "latin1.txt"))
    with pytest.raises(DataError, match="neither a built-in corpus"):
        load_corpus(str(tmp_path / "nope.txt"))
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(DataError, match="empty"):
        load_corpus(str(tmp_path / "empty.txt"))


def test_vocab_round_trip_and_unknown(tmp_path):
    v = Vocab.build("abracadabra")
    assert v.tokens[0] == UNK and v.tokens[1] == "a"  # most frequent first
    ids = v.encode("abcz")
    assert ids[-1] == v.unk_id == 0 and 0 not in ids[:-1]
    assert v.decode(v.encode("cadabra")) == "cadabra"
    assert v.decode(ids) == "abc\ufffd"
    assert v.unknown("abzzy") == ["y", "z"]
    v.save(tmp_path / "v.json")
    w = Vocab.load(tmp_path / "v.json")
    assert w == v and w.encode("abcz") == ids
    with pytest.raises(DataError):
        Vocab.from_json({"level": "char", "unk": UNK, "tokens": ["a"], "extra": 1})


def test_word_level_tokens_restore_the_text():
    text = "The cat, the dog.\n  Done!"
    assert "".join(tokenize(text, "word")) == text
    v = Vocab.build(text, "word", max_size=4)
    assert len(v) == 4 and v.decode(v.encode(" ")) == " "


def test_split_keeps_the_end_for_validation():
    tr, va = split_text("0123456789", 0.3)
    assert (tr, va) == ("0123456", "789")


def _arange_sampler(n, B, T, sampling, seed=0):
    return TextSampler(torch.arange(n), B, T, sampling, seed)


@pytest.mark.parametrize("epoch", [0, 1, 5])
def test_sequential_batches_continue_each_row(epoch):
    s = _arange_sampler(1000, 4, 7, "sequential", seed=3)
    nb = s.num_batches(epoch)
    assert nb >= 2
    prev = None
    for i in range(nb):
        x, y = s.get_batch(epoch, i)
        assert x.shape == (4, 7) and torch.equal(y, x + 1)
        assert torch.equal(x[:, 1:], x[:, :-1] + 1)  # contiguous inside a row
        if prev is not None:  # row b of batch i continues row b of batch i-1
            assert torch.equal(x[:, 0], prev[:, -1] + 1)
        prev = x
    # streams do not overlap: each position is read at most once
    seen = torch.cat([s.get_batch(epoch, i)[0].flatten() for i in range(nb)])
    assert len(set(seen.tolist())) == len(seen)


def test_sequential_is_a_pure_function_and_offsets_change():
    s = _arange_sampler(1000, 4, 7, "sequential", seed=3)
    assert torch.equal(s.get_batch(2, 1)[0], s.get_batch(2, 1)[0])
    firsts = {int(s.get_batch(e, 0)[0][0, 0]) for e in range(10)}
    assert len(firsts) > 1 and all(0 <= f < 7 for f in firsts)


@pytest.mark.parametrize("world", [1, 2, 3, 4])
def test_sequential_streams_shard_into_contiguous_blocks(world):
    n, B, T = 1001, 8, 5
    full, L, nb = sequential_streams(n, B, T, offset=2)
    parts = [sequential_streams(n, B, T, 2, r, world) for r in range(world)]
    assert sum((p[0] for p in parts), []) == full  # concatenated in rank order
    assert all(p[2] == nb for p in parts)
    assert all(b - a == L for a, b in zip(full, full[1:]))


def test_random_sampler_covers_each_window_once():
    s = _arange_sampler(1003, 5, 10, "random", seed=1)
    for epoch in (0, 1):
        nb = s.num_batches(epoch)
        starts = [st for i in range(nb) for st in s.starts(epoch, i)]
        off = starts[0] % 10
        n_windows = (1003 - 1 - off) // 10
        assert len(starts) == len(set(starts)) == nb * 5
        assert nb == n_windows // 5 and all(st % 10 == off for st in starts)
        assert max(starts) + 10 < 1003
    orders = [s.starts(e, 0) for e in range(4)]
    assert any(o != orders[0] for o in orders[1:])  # reshuffled each epoch
    assert not s.carries_state


def test_sampler_errors():
    with pytest.raises(ValueError, match="sampling"):
        TextSampler(torch.arange(10), 2, 2, "shuffled")
    s = _arange_sampler(100, 2, 5, "sequential")
    with pytest.raises(IndexError):
        s.get_batch(0, s.num_batches(0))
    assert np.isfinite(s.min_tokens())


@pytest.mark.parametrize("sampling", ["sequential", "random"])
@pytest.mark.parametrize("B,world", [(4, 2), (5, 2), (7, 3), (3, 3)])
def test_rank_rows_are_the_training_loops_shards(sampling, B, world):
    """A rank's rows (starts(rank=...)) are the rows fit gives it (shard_rows), so with
    sequential sampling each rank owns a contiguous block of streams."""
    from rnnlab.train.distributed import shard_batch, shard_rows

    s = _arange_sampler(2000, B, 6, sampling, seed=2)
    for epoch, index in ((0, 0), (1, 3)):
        full = s.starts(epoch, index)
        x, _ = s.get_batch(epoch, index)
        for r in range(world):
            rows = shard_rows(B, r, world)
            assert s.starts(epoch, index, r, world) == full[rows]
            local, _, _ = shard_batch((x,), r, world)
            assert local[0][:, 0].tolist() == full[rows]  # ids == positions here
        if sampling == "sequential":
            L = full[1] - full[0]
            assert all(b - a == L for a, b in zip(full, full[1:]))  # streams in order
