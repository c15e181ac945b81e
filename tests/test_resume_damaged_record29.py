"""``--resume`` of a run whose config.json (or another record the refusal puts back) is
no regular file: the loader's error reaches the user, and what stands there stays. The
refused resume's clean-up read such a record as absent and deleted it (a named pipe, the
user's link), or raised IsADirectoryError over the loader's error: the command said
"[Errno 21] Is a directory: 'run/config.json'"."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_cli_pipes20 import AIRLINE, TINY  # noqa: E402

SAID = {"folder": "config.json: is a folder, not a JSON file",
        "fifo": "config.json: is a device, pipe or socket, not a JSON file",
        "link": "config.json: is a link"}


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("fc") / "run"
    assert main(["forecast", "--data", str(AIRLINE), *TINY, "--out", str(run)]) == 0
    return run


def _damage(p: Path, kind: str) -> None:
    p.unlink()
    if kind == "folder":
        p.mkdir()
        (p / "kept.txt").write_text("the user's")
    elif kind == "fifo":
        os.mkfifo(p)
    else:
        p.symlink_to("gone.json")


def _what(p: Path):
    st = os.lstat(p)
    return st.st_mode, st.st_ino, os.readlink(p) if p.is_symlink() else None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", sorted(SAID))
def test_a_refused_resume_names_the_record_and_leaves_it(finished_run, tmp_path, capsys,
                                                         kind):
    run = tmp_path / "run"
    shutil.copytree(finished_run, run, symlinks=True)
    _damage(run / "config.json", kind)
    before = _what(run / "config.json")
    capsys.readouterr()
    code = main(["forecast", "--resume", str(run), "--epochs", "3"])
    err = capsys.readouterr().err
    assert code == 1 and "Errno" not in err and "Traceback" not in err, err
    assert SAID[kind] in err, err
    assert _what(run / "config.json") == before  # (not deleted, not replaced)
    if kind == "folder":
        assert (run / "config.json" / "kept.txt").read_text() == "the user's"


@pytest.mark.parametrize("rel", ["history.csv", "checkpoints/member0/latest.json"])
def test_a_folder_where_the_run_writes_a_file_is_named(finished_run, tmp_path, capsys, rel):
    """A folder standing where the resumed run writes a file (its history, its checkpoint
    pointer): "[Errno 21] Is a directory: 'run/history.csv'", no way out."""
    run = tmp_path / "run"
    shutil.copytree(finished_run, run, symlinks=True)
    (run / rel).unlink()
    (run / rel).mkdir()
    capsys.readouterr()
    code = main(["forecast", "--resume", str(run), "--epochs", "3"])
    err = capsys.readouterr().err
    assert code == 1 and "Errno" not in err and "Traceback" not in err, err
    assert f"{run / rel}: is a folder, where rnnlab writes a file; move the folder away" \
        in err, err


def test_atomic_write_onto_a_folder_says_so(tmp_path):
    from rnnlab.io.atomic import atomic_write_bytes

    (tmp_path / "f.csv").mkdir()
    with pytest.raises(IsADirectoryError, match=r"f\.csv: is a folder, where rnnlab writes "
                                                r"a file; move the folder away"):
        atomic_write_bytes(tmp_path / "f.csv", b"x")
    assert (tmp_path / "f.csv").is_dir() and os.listdir(tmp_path) == ["f.csv"]  # (no temp)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_damaged_cli_json_is_named_not_taken_for_a_panel_run(finished_run, tmp_path,
                                                                 capsys, kind):
    """A one-series run's cli.json that is no file: "a run of several series stopped in
    training ..., which saves no options" (its checkpoints/member0 read as a panel's)."""
    run = tmp_path / "run"
    shutil.copytree(finished_run, run, symlinks=True)
    _damage(run / "cli.json", kind)
    capsys.readouterr()
    code = main(["forecast", "--resume", str(run), "--epochs", "3"])
    err = capsys.readouterr().err
    assert code == 1 and "several series" not in err, err
    assert SAID[kind].replace("config.json", "cli.json") in err, err
    assert os.path.lexists(run / "cli.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind, said", [("folder", "a folder, not a settings file"),
                                        ("fifo", "a device, pipe or socket, not a settings")])
def test_config_of_a_run_with_a_damaged_cli_json_names_it(finished_run, tmp_path, capsys,
                                                          kind, said):
    """``--config RUN`` passed over a cli.json that is no file and read config.json, whose
    fields are not all options: "key 'dropout': `rnnlab forecast` has no such option"."""
    run = tmp_path / "run"
    shutil.copytree(finished_run, run, symlinks=True)
    _damage(run / "cli.json", kind)
    capsys.readouterr()
    code = main(["forecast", "--config", str(run), "--print-config"])
    err = capsys.readouterr().err
    assert code == 2 and f"--config {run / 'cli.json'}: {said}" in err, err
