"""A UTF-32 text is named UTF-32, with the conversion that reads it: UTF-32LE's byte-order
mark starts with UTF-16LE's, so such a file was called "UTF-16 text (its byte-order mark)"
and told to pass --encoding UTF-16, which reads it as other characters (NULs between
the letters); one without a mark was refused as a binary file."""

import pytest

from rnnlab.cli import main
from rnnlab.data.text import load_corpus
from rnnlab.io.errors import DataError

TEXT = "Hello wörld, ça va?\n" * 60


@pytest.mark.parametrize("codec, how, enc", [
    ("utf-32", "its byte-order mark", "UTF-32"),
    ("utf-32-le", "three of every four bytes are 0", "UTF-32LE"),
    ("utf-32-be", "three of every four bytes are 0", "UTF-32BE"),
])
def test_utf32_is_named_and_the_encoding_it_names_reads_it(tmp_path, codec, how, enc):
    f = tmp_path / "t.txt"
    f.write_bytes(TEXT.encode(codec))
    with pytest.raises(DataError) as err:
        load_corpus(f)
    said = str(err.value)
    assert f"is UTF-32 text ({how}), not UTF-8" in said and "UTF-16" not in said
    assert f"`iconv -f {enc} -t UTF-8 " in said and f"encoding='{enc}'" in said
    assert load_corpus(f, encoding=enc) == TEXT  # the advice given works


def test_utf16_is_still_utf16(tmp_path):
    f = tmp_path / "t.txt"
    f.write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(DataError, match=r"is UTF-16 text \(its byte-order mark\)"):
        load_corpus(f)
    assert load_corpus(f, encoding="UTF-16") == TEXT


def test_the_command_names_utf32_and_its_option(tmp_path, capsys):
    f = tmp_path / "t.txt"
    f.write_bytes(TEXT.encode("utf-32"))
    args = ["lm", "prepare", str(f), "--out", str(tmp_path / "p")]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "is UTF-32 text (its byte-order mark)" in err
    assert "or pass --encoding UTF-32 (the command converts it as it reads)" in err
    assert main(args + ["--encoding", "latin1"]) != 0  # a wrong --encoding: refused, named
    assert ("is UTF-32 text (its byte-order mark), which --encoding latin1 would read as "
            "other characters; pass --encoding utf-32") in capsys.readouterr().err
