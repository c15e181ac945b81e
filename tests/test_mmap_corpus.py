"""Prepared (memory-mapped) corpora: same vocabulary, ids, batches and training as in memory."""

import json

import numpy as np
import pytest
import torch

from rnnlab.data.corpus_mmap import TokenFile, id_dtype, iter_text_chunks, load_prepared, prepare_corpus
from rnnlab.data.text import Vocab, load_corpus, split_text
from rnnlab.data.text_sampling import TextSampler
from rnnlab.io.errors import DataError
from rnnlab.lm import CharLM, LMConfig, token_nll
from rnnlab.lm.model import LMNet

# multi-byte characters (2, 3 and 4 bytes), CRLF line ends and a BOM: tiny chunks split them
RAW = ("\ufeffthe time traveller — é漢🙂\r\n" + "a stitch in time saves nine; ñ 漢字 🙂🙃\r\n" * 30
       + "the lazy dog.\r").encode("utf-8")


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "c.txt"
    src.write_bytes(RAW)
    return src


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1 << 20])
def test_chunked_decoding_equals_whole_file_decoding(corpus, chunk):
    assert "".join(iter_text_chunks(corpus, chunk)) == load_corpus(str(corpus))


@pytest.mark.parametrize("chunk", [3, 7, 1 << 20])
def test_prepared_ids_and_vocab_equal_in_memory(corpus, tmp_path, chunk):
    text = load_corpus(str(corpus))
    train, val = split_text(text, 0.1)
    vocab = Vocab.build(train)
    c = prepare_corpus(corpus, tmp_path / f"p{chunk}", val_fraction=0.1, chunk_bytes=chunk)
    assert c.vocab == vocab and c.ids.dtype == np.uint8
    assert c.train_ids.tolist() == vocab.encode(train)
    assert c.val_ids.tolist() == vocab.encode(val)  # unknown characters -> 0 as in memory
    assert Vocab.load(tmp_path / f"p{chunk}" / "vocab.json") == vocab  # same format
    assert json.loads((tmp_path / f"p{chunk}" / "corpus.json").read_text())["tokens"] == len(text)


@pytest.mark.parametrize("sampling", ["sequential", "random"])
def test_memmap_batches_equal_in_memory_batches(corpus, tmp_path, sampling):
    text = load_corpus(str(corpus))
    train, _ = split_text(text, 0.1)
    ids = torch.tensor(Vocab.build(train).encode(train))
    c = prepare_corpus(corpus, tmp_path / "p", chunk_bytes=5)
    mem = TextSampler(ids, 4, 7, sampling, seed=3)
    assert isinstance(c.train_ids, TokenFile) and isinstance(c.ids, np.memmap)
    for src in (c.train_ids, c.ids[: c.train_tokens]):  # pread reader, np.memmap
        mm = TextSampler(src, 4, 7, sampling, seed=3)
        for epoch in range(3):
            assert mm.num_batches(epoch) == mem.num_batches(epoch) > 5
            for i in range(mem.num_batches(epoch)):
                for a, b in zip(mem.get_batch(epoch, i), mm.get_batch(epoch, i)):
                    assert a.dtype == b.dtype == torch.int64 and torch.equal(a, b)


def test_token_file_reads_like_the_memmap(corpus, tmp_path):
    c = prepare_corpus(corpus, tmp_path / "p")
    f, m = c.tokens, c.ids
    rng = np.random.default_rng(0)
    pos = rng.integers(0, len(m), size=(5, 9))  # rows need not be contiguous
    assert np.array_equal(f[pos], m[pos]) and np.array_equal(f[pos[0]], m[pos[0]])
    assert f[10:30][3] == m[13] and len(f[10:30]) == 20 and f[-1] == m[-1]
    assert np.array_equal(np.asarray(c.val_ids), m[c.train_tokens:])
    with pytest.raises(IndexError):
        f[10:20][np.array([0, 10])]


def test_token_nll_reads_a_memmap_like_a_tensor(corpus, tmp_path):
    c = prepare_corpus(corpus, tmp_path / "p")
    torch.manual_seed(0)
    net = LMNet(LMConfig(hidden_size=8, num_layers=1, embedding=4, dropout=0.0), len(c.vocab))
    t = torch.from_numpy(np.asarray(c.ids, dtype=np.int64))
    for streams, chunk in ((1, 64), (3, 5), (16, 256)):
        expected = token_nll(net, t, streams, chunk)
        assert token_nll(net, c.ids, streams, chunk) == expected
        assert token_nll(net, c.tokens, streams, chunk) == expected


def test_training_from_a_prepared_folder_equals_training_from_text(corpus, tmp_path):
    kw = dict(seq_len=8, batch_size=4, epochs=2, lr=1e-2, progress=False)
    cfg = dict(hidden_size=12, num_layers=1, embedding=6, dropout=0.1)
    a = CharLM(**cfg).fit(load_corpus(str(corpus)), **kw)
    b = CharLM(**cfg).fit(prepare_corpus(corpus, tmp_path / "p"), **kw)
    assert a.vocab == b.vocab
    for k, v in a.net.state_dict().items():
        assert torch.equal(b.net.state_dict()[k], v), k
    assert [r["val_loss"] for r in a.history] == [r["val_loss"] for r in b.history]
    with pytest.raises(DataError, match="val_fraction"):
        CharLM(**cfg).fit(load_prepared(tmp_path / "p"), **dict(kw, val_fraction=0.2))


def test_cli_prepare_then_train(corpus, tmp_path, capsys):
    from rnnlab.cli import main as rnnlab_main

    def main(argv):
        return rnnlab_main(["lm"] + argv)

    out = tmp_path / "prep"
    assert main(["prepare", str(corpus), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["corpus.json", "tokens.bin", "vocab.json"]
    run = tmp_path / "run"
    assert main(["train", "--corpus", str(out), "--hidden-size", "8", "--num-layers", "1",
                 "--embedding", "4", "--seq-len", "8", "--batch-size", "4", "--epochs", "1",
                 "--no-progress", "--sample-every", "0", "--prefix", "the ",
                 "--out", str(run)]) == 0
    m = json.loads((run / "metrics.json").read_text())
    assert m["val_bpc"] > 0 and m["baselines_bpc"] == {}
    assert json.loads((run / "config.json").read_text())  # run info written
    # never clobbers a run directory, even with --overwrite
    assert main(["prepare", str(corpus), "--out", str(run), "--overwrite"]) == 1
    assert "not empty" in capsys.readouterr().err and (run / "metrics.json").is_file()
    # a corpus prepared with another split trains on that split unless told otherwise
    out2 = tmp_path / "prep2"
    assert main(["prepare", str(corpus), "--out", str(out2), "--val-fraction", "0.2"]) == 0
    run2 = tmp_path / "run2"
    assert main(["train", "--corpus", str(out2), "--hidden-size", "8", "--num-layers", "1",
                 "--embedding", "4", "--seq-len", "8", "--batch-size", "4", "--epochs", "1",
                 "--no-progress", "--sample-every", "0", "--prefix", "the ",
                 "--out", str(run2)]) == 0
    assert json.loads((run2 / "config.json").read_text())["config"]["train"]["val_fraction"] == 0.2


def test_id_dtype_and_errors(tmp_path):
    assert [id_dtype(n) for n in (2, 256, 257, 65536, 65537)] == [
        np.uint8, np.uint8, np.uint16, np.uint16, np.uint32]
    wide = "".join(chr(0x4E00 + i) for i in range(300)) * 3  # 300 distinct characters
    (tmp_path / "w.txt").write_text(wide, encoding="utf-8")
    c = prepare_corpus(tmp_path / "w.txt", tmp_path / "w", val_fraction=0.0)
    assert c.ids.dtype == np.uint16 and len(c.vocab) == 301
    (tmp_path / "bad.txt").write_bytes(b"ok \xff\xfe")
    with pytest.raises(DataError, match="UTF-8"):
        prepare_corpus(tmp_path / "bad.txt", tmp_path / "b")
    (tmp_path / "w" / "tokens.bin").write_bytes(b"\x00")
    with pytest.raises(DataError, match="prepare again"):
        load_prepared(tmp_path / "w")


def test_a_refused_text_leaves_no_empty_folder_behind_but_keeps_a_users_folder(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"ok \xff\xfe")
    for name in ("empty.txt", "bad.txt"):
        out = tmp_path / ("out_" + name)
        with pytest.raises(DataError):
            prepare_corpus(tmp_path / name, out)
        assert not out.exists()  # the folder it made is gone
    mine = tmp_path / "mine"
    mine.mkdir()  # a folder the user had: kept, even empty
    with pytest.raises(DataError, match="empty"):
        prepare_corpus(tmp_path / "empty.txt", mine)
    assert mine.is_dir()
