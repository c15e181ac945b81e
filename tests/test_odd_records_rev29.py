"""Review of robust29: records that are no regular file (a folder, a named pipe, a link
that loops) are named by what stands there, with a way out that loses nothing."""

from __future__ import annotations

import os

import pytest

from rnnlab.io.errors import DataError


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_read_json_of_no_file_asks_for_nothing_to_be_deleted(tmp_path, kind):
    """It said "restore it or remove the run directory": removing the run throws away its
    checkpoints and model, which are good."""
    from rnnlab.io.json_file import read_json

    p = tmp_path / "config.json"
    (os.mkfifo if kind == "fifo" else os.mkdir)(p)
    with pytest.raises(DataError) as got:
        read_json(p, error=DataError)
    said = str(got.value)
    assert "remove the run directory" not in said, said
    assert f"move it aside (mv {p} {p}.bad) and put the file back from a copy" in said, said
