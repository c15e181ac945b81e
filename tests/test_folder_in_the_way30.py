"""A file rnnlab writes that stands as a folder is refused as rnnlab's own error.

``rnnlab.io.atomic`` raised Python's IsADirectoryError (its message rnnlab's, its type
not): ``except rnnlab.RnnlabError`` let it through. It is now a FolderInTheWayError, a
RunDirError and still the IsADirectoryError (an OSError) it was; the folder stays."""

import os

import pytest

from rnnlab.io import FolderInTheWayError, RnnlabError, RunDirError
from rnnlab.io.atomic import atomic_write_json, atomic_write_text


@pytest.mark.parametrize("write", [lambda p: atomic_write_text(p, "x"),
                                   lambda p: atomic_write_json(p, {"a": 1})])
def test_writing_onto_a_folder_is_a_typed_error_and_leaves_the_folder(tmp_path, write):
    folder = tmp_path / "history.csv"
    folder.mkdir()
    (folder / "kept.txt").write_text("mine")
    with pytest.raises(RnnlabError, match=r"history\.csv: is a folder, where rnnlab writes a "
                                          r"file; move the folder away \(or remove it\)") as e:
        write(folder)
    assert type(e.value) is FolderInTheWayError
    assert isinstance(e.value, RunDirError) and isinstance(e.value, IsADirectoryError)
    assert sorted(os.listdir(tmp_path)) == ["history.csv"]  # (no temporary left)
    assert os.listdir(folder) == ["kept.txt"] and (folder / "kept.txt").read_text() == "mine"
