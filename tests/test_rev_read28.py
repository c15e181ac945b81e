"""Review of read28 (compressed inputs, encoding= wherever a path is taken) merged beside
dates28 (off_grid=): what the merge left unread or untrue."""

import bz2
import gzip
import lzma

import pytest

from rnnlab.io.errors import DataError

FUTURE = "unique_id;ds;price\n" + "".join(f"007;2020-01-{d:02d};{d},5\n" for d in (15, 16, 17))
STATIC = "unique_id;size\n007;3,5\n010;4,5\n"


def _packed(tmp_path, name, text, pack):
    path = tmp_path / name
    path.write_bytes(pack(text.encode()))
    return path


@pytest.mark.parametrize("name, pack", [("fut.csv.gz", gzip.compress),  # (';': read as ',')
                                        ("fut.csv.bz2", bz2.compress),  # (not as gzip)
                                        ("fut.csv", lzma.compress)])  # (named as plain)
def test_compressed_future_and_static_files_keep_ids_as_written(tmp_path, name, pack):
    """--future and --static-data of a compressed file whose ids read as numbers (007)
    raised pandas' ValueError ('Usecols do not match') or UnicodeDecodeError: the ids'
    text was read again from the compressed bytes, as a comma-separated .gz or not at all."""
    from rnnlab.panel.covariates import static_file
    from rnnlab.panel.future_file import read_future

    fut = read_future(_packed(tmp_path, name, FUTURE, pack), ["price"], None, None)
    assert fut["unique_id"].tolist() == ["007"] * 3
    assert fut["price"].tolist() == [15.5, 16.5, 17.5]
    static = static_file(_packed(tmp_path, "s_" + name, STATIC, pack), None)
    assert static["unique_id"].tolist() == ["007", "010"]
    assert static["size"].tolist() == [3.5, 4.5]


def test_a_plain_file_named_gz_is_still_refused_by_the_id_reader(tmp_path):
    path = tmp_path / "fut.csv.gz"
    path.write_text(FUTURE)
    from rnnlab.panel.future_file import read_future

    with pytest.raises(DataError, match="named .gz but not gzip"):
        read_future(path, ["price"], None, None)
