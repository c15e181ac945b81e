"""Review of robust29: records that are no regular file (a folder, a named pipe, a link
that loops) are named by what stands there, with a way out that loses nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from rnnlab.io.errors import DataError

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)


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


def _odd(p, kind: str) -> None:
    if kind == "folder":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    else:
        p.symlink_to(p.name)  # (a link that loops)


SAID = {"folder": "is a folder, not a JSON file", "fifo": "is a device, pipe or socket",
        "loop": "a symbolic link that loops"}


def _sweep(tmp_path, broken: str):
    """Two finished forecast runs under tmp_path/sweep; ``broken`` of run a taken away."""
    from rnnlab.io.json_file import checksummed_text

    for name in "ab":
        run = tmp_path / "sweep" / name
        run.mkdir(parents=True)
        (run / "config.json").write_text(checksummed_text(
            {"config": {"hidden_size": 4}, "seed": 0,
             "command": ["rnnlab", "forecast", "--out", str(run)]}))
        (run / "metrics.json").write_text('{"forecast": {"model": {"rmse": 1.5}}}')
    (tmp_path / "sweep" / "a" / broken).unlink()
    return tmp_path / "sweep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["metrics.json", "config.json"])
@pytest.mark.parametrize("kind", sorted(SAID))
def test_runs_names_a_record_that_is_no_file(tmp_path, capsys, name, kind):
    """A metrics.json that is a folder, pipe or loop was passed over (the row without its
    metrics, said nowhere) while an empty one is refused; a config.json such left the run
    out of the table, or said "holds no run directory" of the run itself."""
    from fuzz_files import time_limit
    from rnnlab.cli import main

    sweep = _sweep(tmp_path, name)
    _odd(sweep / "a" / name, kind)
    for given in (sweep, sweep / "a"):
        with time_limit(30):
            code = main(["runs", str(given)])
        out, err = capsys.readouterr()
        assert code == 1 and out == "", (code, out, err)
        assert f"{sweep / 'a' / name}: {SAID[kind]}" in err, err
        assert "holds no run directory" not in err, err
    assert os.path.lexists(sweep / "a" / name)
