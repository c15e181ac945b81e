"""A UTF-32 file with its byte-order mark, read with an encoding of another kind, is
refused naming UTF-32 and the encoding that reads it. UTF-32BE's mark (00 00 FE FF) was
not looked at: --encoding latin1 converted the file, then refused the copy as "a binary
file ... expected a UTF-8 text file"; and --encoding utf-16 on either UTF-32 file was
let through to the same refusal, though the letters it read were other characters."""

import pytest

from rnnlab.data.text import load_corpus
from rnnlab.io.errors import DataError

TEXT = "Hello wörld, ça va?\n" * 60
BOMS = {"le": b"\xff\xfe\x00\x00", "be": b"\x00\x00\xfe\xff"}


@pytest.mark.parametrize("order", ["le", "be"])
@pytest.mark.parametrize("wrong", ["latin1", "cp1252", "utf-16", "UTF-16LE"])
def test_a_utf32_file_read_as_another_kind_is_named_utf32(tmp_path, order, wrong):
    f = tmp_path / "t.txt"
    f.write_bytes(BOMS[order] + TEXT.encode(f"utf-32-{order}"))
    with pytest.raises(DataError, match=r"is UTF-32 text \(its byte-order mark\), which "
                                        rf"encoding='{wrong}' would read as other characters; "
                                        r"pass encoding='utf-32'"):
        load_corpus(f, encoding=wrong)
    assert load_corpus(f, encoding="utf-32") == TEXT  # the encoding it names reads it


def test_a_utf16_file_is_still_read_as_utf16(tmp_path):
    f = tmp_path / "t.txt"
    f.write_bytes(TEXT.encode("utf-16"))
    assert load_corpus(f, encoding="utf-16") == TEXT
    with pytest.raises(DataError, match=r"is UTF-16 text \(its byte-order mark\).*"
                                        r"pass encoding='utf-16'"):
        load_corpus(f, encoding="latin1")
