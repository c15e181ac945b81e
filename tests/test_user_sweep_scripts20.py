"""A linguist's sweep of the character language model on other scripts (session 20):
files that are not quite UTF-8 (a stray Windows byte in a Vietnamese file, a CESU-8
surrogate, a file cut mid-character), read whole (``load_corpus``) and chunk by chunk
(``lm prepare``), which must name the same byte and give advice that does not garble the
text. Tiny and fast."""

from __future__ import annotations

import re

import pytest

from rnnlab.data.text import load_corpus
from rnnlab.data.text_chunks import iter_text_chunks
from rnnlab.io.errors import DataError


def _whole_error(path) -> str:
    with pytest.raises(DataError) as e:
        load_corpus(str(path))
    return str(e.value)


def _chunked_error(path, chunk_bytes: int) -> str:
    with pytest.raises(DataError) as e:
        list(iter_text_chunks(path, chunk_bytes=chunk_bytes))
    return str(e.value)


def _byte(msg: str) -> int:
    return int(re.search(r"byte (\d+)", msg).group(1))


@pytest.mark.parametrize("raw, at", [
    (b"ab" + "中".encode() + b"\xe4\xb8(" + b"xyz", 5),  # a character cut short by "("
    ("é中".encode() * 3 + b"\xff" + b"tail", 15),
    (b"\xef\xbb\xbf" + "中".encode() * 4 + b"\xe4(", 15),  # after a byte-order mark
    ("中".encode() * 3 + b"\xe4\xb8", 9),  # a file cut in the middle of its last character
    (b"abc\xed\xa0\x80def", 3),  # an encoded surrogate
])
def test_prepare_names_the_byte_load_corpus_names_whatever_the_chunk_size(tmp_path, raw, at):
    """``lm prepare`` reads a file in chunks. A bad sequence that began in the chunk before
    was placed by the bytes of the new chunk alone: 2 bytes too far, and a file cut
    mid-character was said to go wrong at its own length (past its last byte)."""
    path = tmp_path / "t.txt"
    path.write_bytes(raw)
    assert _byte(_whole_error(path)) == at
    for chunk_bytes in range(1, 8):
        msg = _chunked_error(path, chunk_bytes)
        assert _byte(msg) == at, (chunk_bytes, msg)
        assert repr(raw[at:at + 1]) in msg  # the byte itself, as load_corpus shows it


def test_a_utf8_file_with_a_stray_byte_is_not_sent_to_iconv_from_latin1(tmp_path):
    """Curly quotes pasted from Word (cp1252 0x93/0x94) into a Vietnamese UTF-8 file. The
    advice was `iconv -f latin1 -t utf-8`, which turns each of the file's thousands of
    correct letters into two or three wrong ones; the stray bytes are what to drop."""
    text = "Tiếng Việt có nhiều dấu thanh. " * 200
    raw = text.encode()
    path = tmp_path / "vi.txt"
    path.write_bytes(raw[:600] + b"\x93quoted\x94" + raw[600:])
    for msg in (_whole_error(path), _chunked_error(path, 1024)):
        assert "byte 600: b'\\x93'" in msg
        assert "latin1" not in msg and "cp1252" not in msg
        assert "iconv -f utf-8 -t utf-8 -c" in msg
    # a file of latin-1 text is still told to convert from latin1
    (tmp_path / "de.txt").write_bytes("Größe und Maß. ".encode("latin-1") * 50)
    assert "iconv -f latin1 -t utf-8" in _whole_error(tmp_path / "de.txt")


def test_an_encoded_surrogate_is_named_as_one(tmp_path):
    """Java's modified UTF-8 (CESU-8) writes a character beyond U+FFFF as two 3-byte
    surrogates. The advice was `iconv -f cp1252`, which reads them as 'í' and two symbols."""
    path = tmp_path / "java.txt"
    path.write_bytes("emoji: \U0001F600".encode() + b"\xed\xa0\xbd\xed\xb8\x80 end\n")
    for msg in (_whole_error(path), _chunked_error(path, 3)):
        assert "byte 11: b'\\xed'" in msg and "surrogate" in msg
        assert "cp1252" not in msg and "latin1" not in msg


def test_a_file_cut_mid_character_is_said_to_be_cut(tmp_path):
    """`head -c 60000 hebrew.txt` cuts the last letter in two: the advice was to convert
    the file from cp1252 (or, now that the rest is seen to be UTF-8, to drop stray bytes);
    the file is only cut short."""
    path = tmp_path / "he.txt"
    path.write_bytes(("שלום עולם " * 10).encode()[:-2])  # (the space, then half of "ם")
    for msg in (_whole_error(path), _chunked_error(path, 64), _chunked_error(path, 4096)):
        assert "ends in the middle of a character" in msg and "last 1 byte " in msg
        assert "iconv" not in msg
    (tmp_path / "fr.txt").write_bytes("café".encode("latin-1"))  # ends in a lead byte too
    assert "iconv -f latin1" in _whole_error(tmp_path / "fr.txt")


TINY_WORD_LM = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0,
                    level="word")
FAST_FIT = dict(epochs=1, batch_size=2, seq_len=4, progress=False, sample_every=0)


def test_word_level_on_a_text_without_spaces_says_why_its_words_are_clauses():
    """Chinese and Japanese write no spaces between words: at word level each clause up
    to a punctuation mark was one token, and every one of validation's was unknown, said
    only as an unknown share; a text with no punctuation was 'has 0 tokens; use a longer
    text' (it was 3,000 characters long)."""
    from rnnlab.lm import CharLM

    clauses = "".join("今日は天気がいいです" [i % 7:] + "山田さん" * (i % 3) + "。" for i in range(60))
    with pytest.warns(UserWarning, match=r"written without spaces between words.*level='char'"):
        CharLM(**TINY_WORD_LM).fit(clauses, **FAST_FIT)
    with pytest.raises(DataError, match=r"has 0 tokens.*written without spaces.*level='char'"):
        CharLM(**TINY_WORD_LM).fit("今日は天気がいいです" * 300, **FAST_FIT)
    import warnings

    with warnings.catch_warnings():  # a spaced script (Hindi) at word level: no such note
        warnings.simplefilter("error")
        CharLM(**TINY_WORD_LM).fit("नमस्ते दुनिया यह हिंदी पाठ है। " * 40, **FAST_FIT)


def _train(argv, capsys):
    """(exit code, stderr, the texts of the warnings given) of ``rnnlab`` in-process."""
    import warnings

    from cli_run import run

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # (each one given, none folded into another)
        code, err = run(argv, capsys)
    return code, err, [str(w.message) for w in seen]


def test_lm_train_says_a_note_on_its_text_once(tmp_path, capsys):
    """`lm train` checks the text before it writes the run directory, and its fit checks it
    again: the note on a text without spaces at word level, and on a resumed run's corpus
    with characters its vocabulary lacks, were given twice."""
    corpus = tmp_path / "ja.txt"
    corpus.write_text("".join("今日は天気がいいです"[i % 7:] + "。" for i in range(300)),
                      encoding="utf-8")
    tiny = ["--hidden-size", "4", "--num-layers", "1", "--embedding", "0", "--seq-len", "4",
            "--batch-size", "2", "--epochs", "1", "--no-progress", "--sample-every", "0",
            "--threads", "1"]
    code, err, said = _train(["lm", "train", "--corpus", str(corpus), "--level", "word",
                              "--out", str(tmp_path / "w")] + tiny, capsys)
    assert code == 0, err
    assert sum("written without spaces between words" in m for m in said) == 1, said
    code, err, said = _train(["lm", "train", "--corpus", str(corpus), "--out",
                              str(tmp_path / "c")] + tiny, capsys)
    assert code == 0 and not any("written without spaces" in m for m in said)  # (char level)
    with corpus.open("a", encoding="utf-8") as f:
        f.write("Ελληνικά γράμματα. " * 200)
    code, err, said = _train(["lm", "train", "--resume", str(tmp_path / "c"), "--epochs", "2"],
                             capsys)
    assert code == 0, err
    assert sum("are not in the model's vocabulary" in m for m in said) == 1, said


@pytest.mark.slow  # (about 5 s on 2 busy cores)
def test_max_vocab_unknowns_are_not_said_to_be_missing_from_training(tmp_path, capsys):
    """A Chinese text trained with --max-vocab: the rare characters it leaves out train as
    the unknown token, which the model learns to predict. lm train warned that they were
    characters 'the training part never has' and that training 'never predicts' the
    unknown token (many bits each), and its summary said so again: untrue of them."""
    from rnnlab.cli import main

    rare = [chr(0x4E00 + i) for i in range(100)]
    corpus = tmp_path / "zh.txt"
    corpus.write_text("".join("的是了" + rare[i % 100] for i in range(300)), encoding="utf-8")
    code = main(["lm", "train", "--corpus", str(corpus), "--max-vocab", "4", "--out",
                 str(tmp_path / "r"), "--hidden-size", "4", "--num-layers", "1", "--embedding",
                 "0", "--seq-len", "8", "--batch-size", "4", "--epochs", "1", "--no-progress",
                 "--sample-every", "0", "--threads", "1", "--prefix", "的是"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "never has" not in err + out and "never predicts" not in err, err
    assert "outside the 4 --max-vocab keeps" in err, err
    assert "validation chars (outside the vocabulary --max-vocab 4 kept)" in out, out


def test_an_unknown_combining_mark_is_shown_escaped_not_drawn_on_a_quote(capsys):
    """An NFD Vietnamese prefix (or text) for an NFC model: its unknown accents were listed
    as repr shows them, each drawn on the quote before it: ''́', ''̀' (unreadable);
    invisible characters were escaped already ('\\u200d')."""
    import unicodedata

    from rnnlab.data.text import token_repr
    from rnnlab.lm import CharLM

    assert token_repr("\u0301") == "'\\u0301'" and token_repr("\u093f") == "'\\u093f'"
    assert token_repr("é") == "'é'" and token_repr("\u200d") == repr("\u200d")
    lm = CharLM(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0).fit(
        unicodedata.normalize("NFC", "Tiếng Việt có dấu. ") * 40, epochs=1, batch_size=2,
        seq_len=4, progress=False, sample_every=0)
    with pytest.warns(UserWarning) as seen:
        lm.generate("Tie\u0302\u0301ng x\u0323", 3)  # (x + dot below: no NFC letter)
    said = " ".join(str(w.message) for w in seen)
    assert "'\\u0323'" in said and "'\u0323'" not in said, said


def test_scoring_a_large_vocabulary_bounds_the_scores_held_at_once(monkeypatch):
    """A corpus of 74,000 distinct CJK characters (535 KB) took 6.4 GB to validate: each
    chunk's scores, 16 streams x 256 steps x the vocabulary, in float32 and float64. The
    chunk is now shorter for a large vocabulary; the bits are the same as one stream
    scored step by step."""
    import torch

    from rnnlab.lm import model as lm_model
    from rnnlab.lm.config import LMConfig
    from rnnlab.lm.model import LMNet, token_nll

    monkeypatch.setattr(lm_model, "EVAL_SCORES", 4 * 3 * 50)  # (a vocabulary of 50, scaled)
    torch.manual_seed(0)
    net = LMNet(LMConfig(model="rnn", hidden_size=4, num_layers=1, embedding=0,
                         dropout=0.0), 50).double()
    widths = []
    forward = net.forward
    monkeypatch.setattr(net, "forward", lambda x, s: widths.append(x.shape) or forward(x, s))
    ids = torch.randint(0, 50, (4 * 64 + 1,))
    total, n = token_nll(net, ids, streams=4)
    assert n == 4 * 64 and max(w[0] * w[1] for w in widths) * 50 <= 4 * 3 * 50, widths
    step_by_step, m = token_nll(net, ids[:65], streams=1, chunk=1)
    parts = sum(token_nll(net, ids[k * 64:(k + 1) * 64 + 1], streams=1)[0] for k in range(4))
    assert total == pytest.approx(parts, rel=1e-12)
    assert step_by_step == pytest.approx(token_nll(net, ids[:65], streams=1)[0], rel=1e-12)
