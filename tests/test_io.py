"""Atomic writes, data-only weights, hostile files, run-directory locks."""

import errno
import json
import os
import pickle
import struct

import pytest
import torch

from rnnlab.io import CheckpointError, RunDirError, atomic_write_bytes, load_weights, save_weights
from rnnlab.io.rundir import RunLock, is_run_dir, prepare_run_dir
from rnnlab.train.checkpoint import CheckpointManager


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.bin"
    atomic_write_bytes(target, b"old")

    def enospc(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", enospc)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]  # no temporaries left


def test_checkpoint_failure_keeps_previous_checkpoint(tmp_path, monkeypatch):
    mgr = CheckpointManager(tmp_path)
    mgr.save(1, {"w": torch.ones(2)}, {"x": 1}, {})
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OSError):
        mgr.save(2, {"w": torch.zeros(2)}, {"x": 2}, {})
    monkeypatch.undo()
    weights, state, meta = mgr.load()
    assert torch.equal(weights["w"], torch.ones(2)) and state["x"] == 1 and meta["step"] == 1
    umask = os.umask(0)
    os.umask(umask)
    folder = tmp_path / "ckpt-00000001"  # a folder's usual mode, not mkdtemp's 0700
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask


def test_weights_round_trip_and_hash(tmp_path):
    t = {"a": torch.randn(3, 4), "b": torch.arange(5)}
    sha = save_weights(tmp_path / "w.safetensors", t)
    back = load_weights(tmp_path / "w.safetensors", expected_sha256=sha)
    assert all(torch.equal(t[k], back[k]) for k in t)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/rnnlab_pwned",))


def test_pickle_payload_is_refused_and_not_executed(tmp_path):
    p = tmp_path / "model.safetensors"
    p.write_bytes(pickle.dumps(Evil(), protocol=2))
    with pytest.raises(CheckpointError, match="pickle"):
        load_weights(p)
    assert not os.path.exists("/tmp/rnnlab_pwned")


@pytest.mark.parametrize("first", [b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"])
def test_a_header_whose_length_reads_like_a_pickle_still_loads(tmp_path, first):
    """A header of 640, 896, 1152 or 1408 bytes starts with a pickle's first two bytes: the
    file is safetensors all the same (models of common sizes have such headers)."""
    target = int.from_bytes(first + b"\0" * 6, "little")
    for width in range(target - 140, target - 100):  # a name long enough for that length
        t = {"w" * width: torch.randn(2), "bias": torch.arange(3)}
        p = tmp_path / "w.safetensors"
        sha = save_weights(p, t)
        if p.read_bytes()[:8] == first + b"\0" * 6:
            break
    else:
        pytest.fail(f"no header of {target} bytes was made")
    back = load_weights(p, expected_sha256=sha)
    assert all(torch.equal(t[k], back[k]) for k in t)


def test_truncated_and_flipped_files_are_refused(tmp_path):
    p = tmp_path / "w.safetensors"
    sha = save_weights(p, {"a": torch.randn(64)})
    data = p.read_bytes()
    p.write_bytes(data[:-10])
    with pytest.raises(CheckpointError, match="truncated"):
        load_weights(p)
    flipped = bytearray(data)
    flipped[-1] ^= 0xFF
    p.write_bytes(bytes(flipped))
    with pytest.raises(CheckpointError, match="SHA-256"):
        load_weights(p, expected_sha256=sha)


def test_lying_headers_are_refused(tmp_path):
    p = tmp_path / "w.safetensors"
    def write(header: dict, payload=b"\0" * 16):
        h = json.dumps(header).encode()
        p.write_bytes(struct.pack("<Q", len(h)) + h + payload)
    write({"a": {"dtype": "F32", "shape": [100], "data_offsets": [0, 400]}})
    with pytest.raises(CheckpointError, match="spans bytes"):
        load_weights(p)
    write({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
           "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})
    with pytest.raises(CheckpointError, match="overlap"):
        load_weights(p)
    p.write_bytes(struct.pack("<Q", 2**62) + b"{}")
    with pytest.raises(CheckpointError, match="header claims"):
        load_weights(p)


def test_pickled_train_state_with_code_is_refused(tmp_path):
    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, {"x": 1}, {})
    evil = pickle.dumps(Evil())
    (folder / "train_state.pt").write_bytes(evil)
    meta = json.loads((folder / "meta.json").read_text())
    import hashlib
    meta["files"]["train_state.pt"] = hashlib.sha256(evil).hexdigest()  # even with a matching hash
    del meta["files"]["train_state.safetensors"]  # (laid out as an earlier rnnlab wrote it)
    meta.pop("_sha256")  # (and meta.json's own checksum gone, as an older rnnlab wrote it)
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="refused"):
        mgr.load()
    assert not os.path.exists("/tmp/rnnlab_pwned")


def test_existing_run_dir_is_never_overwritten_silently(tmp_path):
    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("{}")
    (run / "checkpoints").mkdir()
    with pytest.raises(RunDirError, match="--overwrite"):
        prepare_run_dir(run)
    assert (run / "metrics.json").exists()
    prepare_run_dir(run, overwrite=True)
    assert not (run / "metrics.json").exists() and not (run / "checkpoints").exists()
    assert is_run_dir(run)  # still rnnlab's: a later --overwrite may clear it again


def test_overwrite_keeps_the_last_good_run_until_the_new_one_finishes(tmp_path, monkeypatch):
    from rnnlab.io.rundir import finish_run_dir, previous_of

    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("good")
    prepare_run_dir(run, overwrite=True)  # the new run starts: the old one is set aside
    aside = previous_of(run)
    assert aside == tmp_path / ".run.previous" and (aside / "metrics.json").read_text() == "good"
    assert sorted(p.name for p in run.iterdir()) == [".rnnlab-pending", ".rnnlab-replacing",
                                                      ".rnnlab-run"]
    (run / "checkpoints").mkdir()  # stopped half-way: a second replacement must not push
    prepare_run_dir(run, overwrite=True)  # the good run out for the unfinished one
    assert (aside / "metrics.json").read_text() == "good" and not (run / "checkpoints").exists()
    # taken over at its start: still the replacement of the kept run (session 16: when told
    # again; without --overwrite the kept run comes back: test_user_sweep_resume16.py)
    prepare_run_dir(run, overwrite=True)
    (run / "metrics.json").write_text("second")  # (written by the run: before it finishes)
    finish_run_dir(run)
    assert not aside.exists() and not (run / ".rnnlab-replacing").exists() and run.is_dir()

    # the working directory inside the run (--out .): its entries move aside all the same
    monkeypatch.chdir(run)
    prepare_run_dir(".", overwrite=True)
    assert (aside / "metrics.json").read_text() == "second"
    assert not (run / "metrics.json").exists()
    finish_run_dir(".")
    assert not aside.exists()


def test_only_the_run_that_replaced_another_removes_it(tmp_path):
    from rnnlab.io.rundir import finish_run_dir, previous_of

    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("good")
    prepare_run_dir(run, overwrite=True)
    aside = previous_of(run)
    import shutil

    shutil.rmtree(run)  # the user clears the broken replacement, trusting the kept run
    fresh = prepare_run_dir(run)  # a plain new run: it replaces nothing
    finish_run_dir(fresh)
    assert (aside / "metrics.json").read_text() == "good"
    mine = previous_of(tmp_path / "other")  # a folder of that name rnnlab did not make
    mine.mkdir()
    (mine / "mine.txt").write_text("precious")
    other = prepare_run_dir(tmp_path / "other")
    (other / "metrics.json").write_text("x")
    # (session 19: refused, naming it; the run was deleted at once, unsaid, not kept)
    with pytest.raises(RunDirError, match="holds files rnnlab did not put there"):
        prepare_run_dir(other, overwrite=True)
    assert (mine / "mine.txt").read_text() == "precious"
    assert (other / "metrics.json").read_text() == "x"


def test_overwrite_never_clears_a_folder_rnnlab_did_not_make(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("prices.csv", "notes.md", "a.txt", "b.txt"):
        (folder / name).write_text("mine")
    with pytest.raises(RunDirError, match=r"holds files rnnlab did not write \(a.txt, b.txt, "
                                          r"notes.md and 1 more\); --overwrite replaces only"):
        prepare_run_dir(folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt", "notes.md",
                                                        "prices.csv"]
    prepare_run_dir(tmp_path / "empty_but_there", overwrite=True)  # an empty folder is fine


def test_overwrite_never_deletes_what_the_run_reads(tmp_path):
    run = prepare_run_dir(tmp_path / "run")
    data = run / "forecast.csv"
    data.write_text("date,value\n")
    with pytest.raises(RunDirError, match="would delete .*forecast.csv, which this run reads"):
        prepare_run_dir(run, overwrite=True, inputs=[data])
    assert data.exists()
    prepare_run_dir(run, overwrite=True, inputs=[tmp_path / "elsewhere.csv"])
    assert not data.exists()


def test_a_run_that_stopped_at_its_start_is_taken_over(tmp_path):
    """Bad data or a typo fails after cli.json/config.json are written: the same --out
    must take the corrected command without --overwrite, and nothing else counts."""
    run = prepare_run_dir(tmp_path / "run")
    (run / "cli.json").write_text("{}")
    (run / "config.json").write_text("{}")
    assert prepare_run_dir(run) == run
    (run / "history.json").write_text("[]")
    with pytest.raises(RunDirError, match="already exists"):
        prepare_run_dir(run)


def test_an_older_run_dir_without_the_marker_is_still_ours(tmp_path):
    run = tmp_path / "old"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"versions": {"rnnlab": "0.1.0"}}))
    (run / "metrics.json").write_text("{}")
    assert is_run_dir(run)
    prepare_run_dir(run, overwrite=True)
    assert not (run / "metrics.json").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.json").write_text(json.dumps({"lr": 0.1}))  # the user's
    assert not is_run_dir(tmp_path / "other")


def test_run_lock_names_the_holder_and_survives_a_dead_holder(tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / ".lock").write_text(str(holder.pid))
        with pytest.raises(RunDirError, match=f"PID {holder.pid}"):
            RunLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    with RunLock(tmp_path) as lock:  # the holder is dead: its stale lock is taken over
        assert lock.held and (tmp_path / ".lock").read_text().split()[0] == str(os.getpid())
    assert not (tmp_path / ".lock").exists()


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_a_lock_whose_pid_was_reused_is_stale(tmp_path):
    """After a crash and a reboot, the PID in a lock may belong to an unrelated process:
    the start time recorded beside it tells them apart."""
    import subprocess
    import sys

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / ".lock").write_text(f"{other.pid} 1")  # that PID, started at another time
        with RunLock(tmp_path) as lock:
            assert lock.held
        (tmp_path / ".lock").write_text(f"{other.pid}")  # no start time (older rnnlab): held
        with pytest.raises(RunDirError, match=f"PID {other.pid}"):
            RunLock(tmp_path).acquire()
        from rnnlab.io.runlock import _start_time

        (tmp_path / ".lock").write_text(f"{other.pid} {_start_time(other.pid)}")  # the holder
        with pytest.raises(RunDirError, match=f"PID {other.pid}"):
            RunLock(tmp_path).acquire()
    finally:
        other.kill()
        other.wait()
