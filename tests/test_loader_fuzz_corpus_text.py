"""Fuzzing the text readers behind ``rnnlab lm prepare`` (chunked,
rnnlab.data.text_chunks) and ``load_corpus`` (whole): a text file or a gzip-compressed one
damaged (cut short, bits flipped, not gzip) is refused with a DataError naming it."""

from __future__ import annotations

import gzip

import pytest

from fuzz_files import byte_mutations, check_case
from rnnlab.data.corpus_mmap import prepare_corpus
from rnnlab.data.text import load_corpus
from rnnlab.io.errors import DataError

TEXT = "The Time Machine, by H. G. Wells. ñ é 中文\r\n" * 80


def test_prepare_gzip_cut_short_is_refused(tmp_path):
    """`rnnlab lm prepare FILE.gz` of a file cut short was an EOFError (exit status 70);
    one with a bit flipped a BadGzipFile or zlib.error."""
    path = tmp_path / "c.txt.gz"
    path.write_bytes(gzip.compress(TEXT.encode(), mtime=0)[:50])
    with pytest.raises(DataError, match=r"c\.txt\.gz: cannot be read as gzip \(Compressed "
                                        r"file ended.*damaged or cut short"):
        prepare_corpus(str(path), tmp_path / "out")


@pytest.mark.parametrize("name", ["c.txt", "c.txt.gz"])
def test_corpus_bytes_damaged(tmp_path, name):
    """Both readers, each mutation (seeded): read, or refused with an RnnlabError."""
    data = TEXT.encode()
    data = gzip.compress(data, mtime=0) if name.endswith(".gz") else data
    path, fails = tmp_path / name, []
    for seed in range(2):
        for i, (case, mutated) in enumerate(byte_mutations(data, seed, flips=8)):
            path.write_bytes(mutated)
            for read in (lambda: load_corpus(str(path)),
                         lambda: prepare_corpus(str(path), tmp_path / f"out{seed}-{i}")):
                line = check_case(f"{name} {case}", False, read, id, None, lambda g, e: True)
                fails += [line] if line else []
    assert not fails, "\n".join(fails)
