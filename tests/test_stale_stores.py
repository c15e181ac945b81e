"""The ``rnnlab-ddp-*`` rendezvous folders a killed parent left, removed by the next launch
(:mod:`rnnlab.train.stale_stores`), and only those."""

import os
import signal
import socket
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


def _left(tmp_path, name, pids, started="", machine=None):
    """A folder of owner records, as the processes ``pids`` (of ``machine``: this one's when
    None) would have left it."""
    folder = tmp_path / f"{PREFIX}{name}"
    folder.mkdir()
    (folder / "store").write_text("a FileStore")
    machine = stale_stores.this_machine() if machine is None else machine
    for pid in pids:
        (folder / f"{stale_stores.OWNER}{pid}").write_text(f"{started}\n{machine}")
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


def test_the_folder_of_a_run_on_another_machine_is_kept(tmp_path, monkeypatch):
    """Reproduced: with TMPDIR on a shared file system (NFS, a /tmp two containers mount), a
    launch on node B removed the rnnlab-ddp-* folder of a run still meeting on node A: the
    process ids it recorded do not exist on B, so they read as gone. A record names its
    machine now, and one of another machine (or one that names none) is never judged."""
    pid = _dead_pid()
    monkeypatch.setattr("socket.gethostname", lambda: "node-a")
    on_a = _left(tmp_path, "on-a", [pid], machine=stale_stores.this_machine())
    unnamed = _left(tmp_path, "unnamed", [pid], machine="")
    monkeypatch.setattr("socket.gethostname", lambda: "node-b")
    on_b = _left(tmp_path, "on-b", [pid])
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [on_b]
    assert on_a.is_dir() and unnamed.is_dir()


def test_an_owner_record_names_this_process_and_its_machine(tmp_path):
    stale_stores.record_owner(tmp_path)
    started, machine = (tmp_path / f"{stale_stores.OWNER}{os.getpid()}").read_text().split("\n")
    assert started == (stale_stores._start_time(os.getpid()) or "")
    assert machine == stale_stores.this_machine() and machine.startswith(socket.gethostname())


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


def test_a_link_named_like_a_folder_is_never_followed(tmp_path):
    """A link ``rnnlab-ddp-x -> elsewhere`` is not a folder of this user's runs: neither it
    nor what it points to is removed, whatever the records there say."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep-me").write_text("data")
    (elsewhere / f"{stale_stores.OWNER}{_dead_pid()}").write_text(
        f"\n{stale_stores.this_machine()}")
    (tmp_path / f"{PREFIX}link").symlink_to(elsewhere, target_is_directory=True)
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert (elsewhere / "keep-me").read_text() == "data"


def test_without_start_times_a_live_process_still_keeps_its_folder(tmp_path, monkeypatch):
    """No /proc (macOS, a container without it): a record holds no start time; a live
    process id keeps its folder (it may be used again by another program: kept, not
    removed), a process id no process has is gone."""
    monkeypatch.setattr(stale_stores, "_start_time", lambda pid: None)
    live = tmp_path / f"{PREFIX}live"
    live.mkdir()
    stale_stores.record_owner(live)
    dead = _left(tmp_path, "dead", [_dead_pid()])
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [dead]
    assert live.is_dir()
