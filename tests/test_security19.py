"""Security review (session 19): what the loader fuzzing (tests/test_loader_fuzz*.py)
does not reach. Crafted files must be refused with rnnlab's errors, never run code,
never read without bound, and what rnnlab writes keeps the user's usual permissions."""

from __future__ import annotations

import json
import os
import stat
import struct
from pathlib import Path

import pytest

from rnnlab.io.errors import CheckpointError, RunDirError


def _safetensors(path: Path, header: bytes, data: bytes = b"") -> Path:
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    return path


# -- a safetensors header nested too deeply, or with an integer Python refuses to parse --

DEEP = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
HUGE_INT = b'{"a":{"dtype":"F32","shape":[' + b"9" * 5000 + b'],"data_offsets":[0,0]}}'


@pytest.mark.parametrize("header", [DEEP, HUGE_INT], ids=["nested", "long-integer"])
@pytest.mark.parametrize("reader", ["load_weights", "header_shapes", "load_tree"])
def test_safetensors_header_that_json_cannot_hold_is_refused(tmp_path, header, reader):
    from rnnlab.io import tree_file, weights

    fn = getattr(tree_file if reader == "load_tree" else weights, reader)
    path = _safetensors(tmp_path / "model.safetensors", header)
    with pytest.raises(CheckpointError, match="model.safetensors"):
        fn(path)


def test_forecaster_weights_nested_too_deeply_are_refused(tmp_path):
    """Through a loader entry point: the hash recorded again, so only the header is wrong."""
    import hashlib

    from fuzz_files import saved_tiny_forecaster, write_json
    from rnnlab.forecast import Forecaster

    folder, _ = saved_tiny_forecaster(tmp_path / "m")
    w = _safetensors(folder / "model.safetensors", DEEP)
    doc = json.loads((folder / "model.json").read_bytes())
    doc["weights_sha256"] = hashlib.sha256(w.read_bytes()).hexdigest()
    write_json(folder / "model.json", doc, True)
    with pytest.raises(CheckpointError, match="model.safetensors"):
        Forecaster.load(folder)


# -- a run directory's lock file: read with a bound, its link not followed ------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("overwrite", [False, True])
def test_lock_linked_to_dev_zero_is_not_read_forever(tmp_path, overwrite):
    """``.lock -> /dev/zero`` in a run directory (a crafted one): reading the holder's PID
    read /dev/zero until memory ran out (MemoryError, or the machine swapping)."""
    import resource

    from rnnlab.io.rundir import prepare_run_dir

    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("x\n")
    (run / "notes.txt").write_text("results\n")
    os.symlink("/dev/zero", run / ".lock")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = 6 << 30 if hard == resource.RLIM_INFINITY else min(hard, 6 << 30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        if overwrite:
            prepare_run_dir(run, overwrite=True)
        else:
            with pytest.raises(RunDirError, match="already exists"):
                prepare_run_dir(run)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert os.path.exists("/dev/zero")  # (the link itself, never its target)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_lock_that_is_a_fifo_does_not_block(tmp_path):
    """A FIFO named ``.lock``: opening it to read the PID waited for a writer forever."""
    from rnnlab.io.rundir import prepare_run_dir

    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("x\n")
    os.mkfifo(run / ".lock")
    assert prepare_run_dir(run, overwrite=True) == run


def test_lock_of_a_live_process_is_still_honoured(tmp_path):
    from rnnlab.io.runlock import RunLock

    run = tmp_path / "run"
    run.mkdir()
    (run / ".lock").write_text(f"{os.getppid()}")
    with pytest.raises(RunDirError, match=f"PID {os.getppid()}"):
        RunLock(run).check_free()


def test_lock_linked_to_a_lock_elsewhere_is_not_followed(tmp_path):
    """A ``.lock`` that is a link names no holder of this folder (the file it points to
    may be any process's): the lock is taken, the link replaced, its target untouched."""
    from rnnlab.io.runlock import RunLock

    other = tmp_path / "other.lock"
    other.write_text(f"{os.getppid()}")
    run = tmp_path / "run"
    run.mkdir()
    os.symlink(other, run / ".lock")
    with RunLock(run) as lock:
        assert lock.held and not (run / ".lock").is_symlink()
    assert other.read_text() == f"{os.getppid()}"


# -- permissions: a folder rnnlab makes has the umask's mode, as a plain mkdir gives ------

@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_lm_prepare_overwrite_keeps_the_folders_usual_mode(tmp_path, umask_022):
    """``lm prepare --overwrite`` built the new corpus in a mkdtemp folder (mode 0700) and
    renamed it into place: the corpus became unreadable by the user's group, unlike the
    same command without --overwrite (0755)."""
    from rnnlab.cli import main

    src = tmp_path / "c.txt"
    src.write_text("the quick brown fox jumps over the lazy dog.\n" * 20, encoding="utf-8")
    out = tmp_path / "prep"
    assert main(["lm", "prepare", str(src), "--out", str(out)]) == 0
    first = stat.S_IMODE(out.stat().st_mode)
    assert first == 0o755
    assert main(["lm", "prepare", str(src), "--out", str(out), "--overwrite"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == first
