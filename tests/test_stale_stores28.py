"""The ``rnnlab-ddp-*`` folders older rnnlab versions left (no owner records, or records
without their machine), removed by the next launch once they are done
(:func:`rnnlab.train.stale_stores._old_and_done`); before, nothing ever removed them."""

import os
import subprocess
import sys
import time

import pytest

from rnnlab.train import stale_stores
from rnnlab.train.rendezvous import PREFIX, private_store

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="stale folders: POSIX only"),
              pytest.mark.timeout(60)]

DAY = 86400.0


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _old(tmp_path, name, files, age_s=2 * DAY):
    """A folder as an older rnnlab left it (``files``: name -> text), unchanged for
    ``age_s`` seconds."""
    folder = tmp_path / f"{PREFIX}{name}"
    folder.mkdir()
    for f, text in files.items():
        (folder / f).write_text(text)
    then = time.time() - age_s
    for p in list(folder.iterdir()) + [folder]:
        os.utime(p, (then, then), follow_symlinks=False)
    return folder


def test_the_folders_older_versions_left_are_removed_once_done(tmp_path):
    """Reproduced: a folder of the first versions (its FileStore alone) and one of the next
    (owner records of a start time alone, a met marker) were kept for good: "no owner
    record" and "a record without its machine" both read as "unsure"."""
    first = _old(tmp_path, "first", {"store": "a FileStore"})
    started = stale_stores._start_time(os.getpid()) or ""
    next_ = _old(tmp_path, "next", {"store": "s", "met-0": "",
                                    f"{stale_stores.OWNER}{_dead_pid()}": started,
                                    f"{stale_stores.OWNER}{_dead_pid()}": ""})
    removed = stale_stores.remove_stale(tmp_path, PREFIX)
    assert sorted(removed) == sorted([first, next_])
    assert list(tmp_path.iterdir()) == []


def test_the_next_launch_sweeps_them(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    old = _old(tmp_path, "first", {"store": "a FileStore"})
    with private_store() as path:
        assert not old.exists()
        assert os.path.isdir(os.path.dirname(path))
    assert list(tmp_path.iterdir()) == []


def test_an_old_folder_changed_within_a_day_is_kept(tmp_path):
    """One being made this moment (no record yet), or an old run's that may still meet."""
    young = _old(tmp_path, "young", {"store": "s"}, age_s=DAY - 600)
    bare = tmp_path / f"{PREFIX}bare"
    bare.mkdir()
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert young.is_dir() and bare.is_dir()


def test_an_old_folder_whose_process_lives_here_is_kept(tmp_path):
    started = stale_stores._start_time(os.getpid()) or ""
    live = _old(tmp_path, "live", {"store": "s", f"{stale_stores.OWNER}{os.getpid()}": started})
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert live.is_dir()


def test_an_old_folder_holding_anything_else_is_kept(tmp_path):
    """What no rnnlab wrote there (the user's file, a folder, a link) keeps the folder."""
    notes = _old(tmp_path, "notes", {"store": "s", "notes.txt": "mine"})
    inner = _old(tmp_path, "inner", {"store": "s"})
    (inner / "met-0").mkdir()
    linked = _old(tmp_path, "linked", {"store": "s"})
    (linked / "met-1").symlink_to(tmp_path / "elsewhere")
    for folder in (inner, linked):
        then = time.time() - 2 * DAY
        os.utime(folder, (then, then))
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert (notes / "notes.txt").read_text() == "mine" and inner.is_dir() and linked.is_dir()


def test_a_folder_of_this_version_is_judged_by_its_records_whatever_its_age(tmp_path):
    """A record naming its machine: removed when its process is gone, kept while it lives
    (a run of weeks leaves its folder unchanged), age aside."""
    record = f"{stale_stores._start_time(os.getpid()) or ''}\n{stale_stores.this_machine()}"
    live = _old(tmp_path, "live", {"store": "s", f"{stale_stores.OWNER}{os.getpid()}": record})
    dead = _old(tmp_path, "dead", {"store": "s", f"{stale_stores.OWNER}{_dead_pid()}":
                                   f"\n{stale_stores.this_machine()}"}, age_s=0)
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [dead]
    assert live.is_dir()


def test_an_old_folder_holding_a_file_named_like_theirs_is_kept(tmp_path):
    """Reproduced: any name that began as theirs was taken for theirs ("store", "met-",
    "arrived-"), so a folder holding the user's ``stores.csv`` or ``met-notes.txt`` was
    removed with it; the older versions wrote ``store`` and NAME-NUMBER files only."""
    extras = ("stores.csv", "store.bak", "met-notes.txt", "arrived-late.log")
    folders = [_old(tmp_path, f"x{i}", {"store": "s", f"{stale_stores.OWNER}{_dead_pid()}": "",
                                        extra: "mine"})
               for i, extra in enumerate(extras)]
    assert stale_stores.remove_stale(tmp_path, PREFIX) == []
    assert [(f / extra).read_text() for f, extra in zip(folders, extras)] == ["mine"] * 4
    theirs = _old(tmp_path, "theirs", {"store": "s", "met-0": "", "met-12": "",
                                       "arrived-3": "", f"{stale_stores.OWNER}{_dead_pid()}": ""})
    assert stale_stores.remove_stale(tmp_path, PREFIX) == [theirs]
