"""The standard input kept for runs ($RNNLAB_CACHE/inputs) was never deleted: ``rnnlab runs
--inputs`` lists each with the runs that record it, ``--prune-inputs`` deletes those no run
under the folders given records, and a run whose kept input is gone says so (session 24)."""

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from cli_run import run  # noqa: E402
from test_cli_pipes20 import AIRLINE, _stdin  # noqa: E402


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache" / "inputs"


def _table(out: str) -> list:
    return list(csv.DictReader(io.StringIO(out)))


def test_inputs_are_listed_with_their_runs_and_only_unrecorded_ones_pruned(cache, monkeypatch,
                                                                           capsys):
    _stdin(monkeypatch, b"the cat sat on the mat. " * 20)
    assert main(["lm", "prepare", "-", "--out", "runs/prepared"]) == 0  # (records it)
    (kept,) = cache.iterdir()
    run_dir = Path("runs/f1")  # a run that records the same file (cli.json: its path)
    run_dir.mkdir(parents=True)
    (run_dir / "cli.json").write_text(json.dumps({"data": str(kept)}))
    (run_dir / "config.json").write_text(json.dumps({"command": ["rnnlab", "forecast"]}))
    from rnnlab.io.kept_input import keep_input

    orphan = keep_input(b"t,y\n1,2\n", ".csv", "--data -")  # (its run deleted)
    capsys.readouterr()
    assert main(["runs", "--inputs"]) == 0
    rows = {r["input"]: r for r in _table(capsys.readouterr().out)}
    assert set(rows) == {str(kept), str(orphan)}
    assert set(rows[str(kept)]["runs"].split(";")) == {"runs/prepared", "runs/f1"}
    assert rows[str(orphan)]["runs"] == "" and rows[str(orphan)]["bytes"] == "8"
    assert orphan.exists()  # (listing deletes nothing)

    code, err = run(["runs", "--prune-inputs"], capsys)
    assert code == 0 and "deleted 1 of 2 kept inputs (8 bytes) that no run under runs" in err
    assert kept.exists() and not orphan.exists()
    assert main(["runs", "--prune-inputs"]) == 0
    assert "no kept input to delete: each of the 1 is recorded" in capsys.readouterr().err


def test_pruning_needs_the_folders_of_runs_to_exist(cache, capsys):
    cache.mkdir(parents=True)
    (cache / "0123456789abcdef.csv").write_bytes(b"t,y\n")
    code, err = run(["runs", "--prune-inputs", "no-such-folder"], capsys)
    assert code == 1 and "no-such-folder: no such folder" in err
    assert (cache / "0123456789abcdef.csv").exists()
    code, err = run(["runs", "--inputs", "--prune-inputs"], capsys)
    assert code == 2 and "not allowed with argument" in err


def test_a_run_whose_kept_input_was_deleted_says_what_happened(cache, monkeypatch, capsys):
    from rnnlab.io.kept_input import keep_input

    kept = keep_input(AIRLINE.read_bytes(), ".csv", "--data -")
    kept.unlink()
    code, err = run(["forecast", "--data", str(kept), "--epochs", "1", "--out", "r"], capsys)
    assert code == 1 and f"{kept}: no such file (the standard input a run read, kept and " \
        "since deleted: `rnnlab runs --prune-inputs`" in err
    code, err = run(["forecast", "--data", "nothing.csv", "--epochs", "1", "--out", "r"], capsys)
    assert code == 1 and "nothing.csv: no such file;" in err  # (any other file: as it was)


def test_pruning_deletes_only_rnnlabs_own_copies(cache, capsys):
    """RNNLAB_CACHE naming a project folder whose inputs/ holds the user's own files: those
    were listed and deleted as unrecorded kept inputs (review of session 24)."""
    from rnnlab.io.kept_input import keep_input

    cache.mkdir(parents=True)
    theirs = {"sales.csv": b"date,y\n2020-01-01,1\n", "README.txt": b"notes\n",
              "0123456789abcdef.csv": b"t,y\n1,2\n",  # (a kept name, not of its content)
              "0123456789abcdef.txt.gz": b"\x1f\x8b"}
    for name, data in theirs.items():
        (cache / name).write_bytes(data)
    ours = keep_input(b"t,y\n3,4\n", ".csv", "--data -")
    Path("runs").mkdir()
    assert main(["runs", "--inputs"]) == 0
    assert [r["input"] for r in _table(capsys.readouterr().out)] == [str(ours)]
    code, err = run(["runs", "--prune-inputs"], capsys)
    assert code == 0 and "deleted 1 of 1 kept inputs" in err
    assert "4 other file(s) in" in err and "left alone" in err
    assert not ours.exists()
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == theirs


def test_pruning_deletes_nothing_when_a_runs_record_cannot_be_read(cache, monkeypatch, capsys):
    """A config.json that could not be read was skipped, and the kept input it records
    deleted as one no run records (review of session 24)."""
    from rnnlab.io.kept_input import keep_input

    kept = keep_input(b"t,y\n1,2\n", ".csv", "--data -")
    run_dir = Path("runs/f1")
    run_dir.mkdir(parents=True)
    (run_dir / "config.json").write_text(json.dumps({"data": str(kept)}))
    real = Path.read_text

    def locked(self, *a, **k):
        if self.name == "config.json":
            raise PermissionError(13, "Permission denied")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", locked)
    code, err = run(["runs", "--prune-inputs"], capsys)
    assert code == 1 and "config.json (Permission denied): a run's record there may name" in err
    assert kept.exists()
    assert main(["runs", "--inputs"]) == 0  # (listing: as it was)
    assert _table(capsys.readouterr().out)[0]["runs"] == ""


@pytest.mark.parametrize("suffix", [".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zip", ".txt.xz",
                                    ".txt.zst"])
def test_a_compressed_kept_input_is_listed_and_pruned(suffix, cache, capsys):
    """Standard input is kept under its compressed name (c48d91c3): those copies are
    rnnlab's own, listed and pruned as the plain ones (they were 'other files', left)."""
    from rnnlab.io.kept_input import keep_input

    ours = keep_input(b"\x00packed bytes\x01", suffix, "--data -")
    assert ours.name.endswith(suffix)
    Path("runs").mkdir()
    assert main(["runs", "--inputs"]) == 0
    assert [r["input"] for r in _table(capsys.readouterr().out)] == [str(ours)]
    code, err = run(["runs", "--prune-inputs"], capsys)
    assert code == 0 and "deleted 1 of 1 kept inputs" in err, err
    assert not ours.exists()
