"""Hostile input for the text corpus and vocabulary loaders (rnnlab.data.text, owned by
the LM work): only DataError escapes, naming the file and the problem."""

import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlab.data.text import Vocab, load_corpus
from rnnlab.io.errors import DataError

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
SRC = str(Path(__file__).parents[2] / "src")

HOSTILE = {
    "latin1.txt": (b"the time traveller said: caf\xe9\n", ["not valid UTF-8", "byte 28"]),
    "nul_at_start.txt": (b"\x00\x01binary", ["NUL"]),
    "empty.txt": (b"", ["empty"]),
    "bom_only.txt": (b"\xef\xbb\xbf", ["empty"]),
    "utf16.txt": ("hello".encode("utf-16"), ["UTF-8"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_corpus_refused(tmp_path, name):
    data, words = HOSTILE[name]
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(DataError) as e:
        load_corpus(str(p))
    assert str(p) in str(e.value)
    for w in words:
        assert w in str(e.value), str(e.value)


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        load_corpus(str(tmp_path))
    with pytest.raises(DataError, match="neither a built-in corpus"):
        load_corpus(str(tmp_path / "nope.txt"))


def test_nul_bytes_anywhere_are_refused(tmp_path):
    """_decode looks for NUL in the first 64 KiB only; a NUL later is accepted as text."""
    p = tmp_path / "late_nul.txt"
    p.write_bytes(b"a" * 70_000 + b"\x00b")
    with pytest.raises(DataError, match="NUL"):
        load_corpus(str(p))


def test_damaged_gzip_is_a_data_error(tmp_path):
    """gzip.BadGzipFile (an OSError) escapes load_corpus for a .gz that is not gzip."""
    p = tmp_path / "corpus.txt.gz"
    p.write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="corpus.txt.gz"):
        load_corpus(str(p))


def test_truncated_gzip_is_a_data_error(tmp_path):
    p = tmp_path / "corpus.txt.gz"
    p.write_bytes(gzip.compress(b"hello world " * 1000)[:40])
    with pytest.raises(DataError, match="corpus.txt.gz"):
        load_corpus(str(p))


def test_huge_corpus_refused_with_bounded_memory(tmp_path):
    """A 1.1 GiB file (sparse: written in no time) is read whole before any check today."""
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.write(b"text\n")
        f.truncate(1100 * 1024 ** 2)
    code = textwrap.dedent(f"""
        import json, resource
        from rnnlab.data.text import load_corpus
        from rnnlab.io.errors import DataError
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            load_corpus({str(p)!r}); msg = "accepted"
        except DataError as e:
            msg = str(e)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"grew_kb": after - before, "msg": msg}}))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["msg"] != "accepted" and "huge.txt" in res["msg"]
    assert res["grew_kb"] < 64 * 1024, res


@pytest.mark.parametrize("doc", [
    {"level": "char", "unk": "<unk>", "tokens": ["<unk>", [1]]},  # TypeError: unhashable
    {"level": "char", "unk": "<unk>", "tokens": ["<unk>", 5, None]},  # accepted: not tokens
])
def test_vocab_with_non_string_tokens_is_refused(tmp_path, doc):
    p = tmp_path / "vocab.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(DataError):
        Vocab.load(p)


def test_deeply_nested_vocab_json_is_a_data_error(tmp_path):
    p = tmp_path / "vocab.json"
    p.write_bytes(b"[" * 100_000 + b"]" * 100_000)  # RecursionError from json today
    with pytest.raises(DataError):
        Vocab.load(p)


def _only_data_error(fn):
    try:
        return fn()
    except DataError as e:
        assert str(e)
        return None


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_as_corpus(tmp_path, data):
    p = tmp_path / "c.txt"
    p.write_bytes(data)
    text = _only_data_error(lambda: load_corpus(str(p)))
    if text is not None:
        assert isinstance(text, str) and text
        assert "\x00" not in text[:65536]
        for level in ("char", "word"):
            v = Vocab.build(text, level)
            ids = v.encode(text)
            assert v.decode(ids) == text  # every token of the training text is known
            assert Vocab.from_json(json.loads(json.dumps(v.to_json()))) == v


@SETTINGS
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_vocab_json(tmp_path, data):
    p = tmp_path / "vocab.json"
    p.write_bytes(data)
    _only_data_error(lambda: Vocab.load(p))


@SETTINGS
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4)),
                    lambda c: st.one_of(st.lists(c, max_size=3),
                                        st.dictionaries(st.text(max_size=6), c, max_size=3)),
                    max_leaves=12),
       st.sampled_from(["char", "word", "x"]))
def test_arbitrary_json_as_vocab(tmp_path, tokens, level):
    p = tmp_path / "vocab.json"
    for doc in (tokens, {"level": level, "unk": "<unk>", "tokens": tokens}):
        p.write_text(json.dumps(doc))
        try:
            Vocab.load(p)
        except DataError:
            pass
        except TypeError:  # unhashable tokens: see test_vocab_with_non_string_tokens_is_refused
            assert isinstance(tokens, list) and any(isinstance(t, (list, dict)) for t in tokens)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_gz_corpus(tmp_path, data):
    p = tmp_path / "c.txt.gz"
    for blob in (data, gzip.compress(data)[: max(1, len(data))]):
        p.write_bytes(blob)
        _only_data_error(lambda: load_corpus(str(p)))

