"""The ``rnnlab-ddp-*`` rendezvous folders a killed parent left, removed by the next launch
(:mod:`rnnlab.train.stale_stores`), and only those."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.train import stale_stores
from rnnlab.train.rendezvous import PREFIX, private_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="stale folders: POSIX only")


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _left(tmp_path, name, pids, started=""):
    folder = tmp_path / f"{PREFIX}{name}"
    folder.mkdir()
    (folder / "store").write_text("a FileStore")
    for pid in pids:
        (folder / f"{stale_stores.OWNER}{pid}").write_text(started)
    return folder


def test_a_folder_whose_processes_are_all_gone_is_removed_by_the_next_launch(tmp_path,
                                                                            monkeypatch):
    """Reproduced: a parent killed with SIGKILL (below, a real one) left its rnnlab-ddp-*
    folder in the temporary directory, and nothing ever removed it. The next launch now
    removes it."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    script = ("import os, signal, rnnlab.train.rendezvous as r\n"
              "with r.private_store() as s:\n"
              "    print(s, flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    env = dict(os.environ, TMPDIR=str(tmp_path),
               PYTHONPATH=str(Path(stale_stores.__file__).parents[2]))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = Path(r.stdout.strip()).parent
    assert left.is_dir() and left.parent == tmp_path
    with private_store() as path:
        assert not left.exists()
        assert Path(path).parent.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_with_one_live_process_is_kept(tmp_path):
    live = _left(tmp_path, "live", [_dead_pid(), os.getpid()],
                 stale_stores._start_time(os.getpid()) or "")
    dead = _left(tmp_path, "dead", [_dead_pid(), _dead_pid()])
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [dead]
    assert live.is_dir() and not dead.exists()


def test_a_folder_without_owner_records_is_kept(tmp_path):
    """One being made this moment by another launch, or one an older rnnlab left."""
    bare = _left(tmp_path, "bare", [])
    broken = _left(tmp_path, "broken", [])
    (broken / f"{stale_stores.OWNER}not-a-pid").write_text("")
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert bare.is_dir() and broken.is_dir()


def test_another_users_folder_and_other_names_are_kept(tmp_path, monkeypatch):
    dead = _left(tmp_path, "x", [_dead_pid()])
    other = tmp_path / "not-rnnlab"
    other.mkdir()
    (other / f"{stale_stores.OWNER}{_dead_pid()}").write_text("")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(dead).st_uid + 1)  # (someone else's)
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert dead.is_dir() and other.is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="start times: /proc")
def test_a_process_id_used_again_by_another_program_is_not_the_owner(tmp_path):
    started = stale_stores._start_time(os.getpid())
    assert started is not None and started.isdigit()
    reused = _left(tmp_path, "reused", [os.getpid()], str(int(started) - 1))
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [reused]


def test_the_store_folder_records_its_owner(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with private_store() as path:
        names = os.listdir(Path(path).parent)
        assert names == [f"{stale_stores.OWNER}{os.getpid()}"]
        assert not stale_stores.is_stale(Path(path).parent)
