"""A checkpoint's save, written with the fsyncs its crash guarantee needs and no more: its
three files go straight into the private folder renamed into place (a temporary, a rename
and a folder fsync each cost most of a small model's epoch on the command line), with the
bytes the single-file writers give."""

import errno
import json
import os

import pytest
import torch

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.tree_file import load_tree, save_tree
from rnnlab.io.weights import save_weights, sha256_file
from rnnlab.train.checkpoint import TRAIN_STATE, CheckpointManager

WEIGHTS = {"w": torch.arange(6.0).reshape(2, 3), "b": torch.ones(3, dtype=torch.float64)}
STATE = {"optimizer": {"state": {0: {"step": torch.tensor(3.0)}}, "lr": 0.01},
         "rng": (1, 2), "loss": float("nan"), "epoch": 2}


def _counted_fsyncs(monkeypatch):
    count, real = [0], os.fsync

    def fsync(fd):
        count[0] += 1
        return real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    return count


def test_a_checkpoint_save_makes_seven_fsyncs(tmp_path, monkeypatch):
    """Three files, their folder, its rename, latest.json and its rename: 7 (it was 9, a
    folder fsync after each file), on a first save and on one that prunes the last."""
    mgr = CheckpointManager(tmp_path)
    count = _counted_fsyncs(monkeypatch)
    mgr.save(1, WEIGHTS, STATE, {"epoch": 1})
    assert count[0] == 7
    mgr.save(2, WEIGHTS, STATE, {"epoch": 2})
    assert count[0] == 14
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00000002", "latest.json"]
    assert sorted(p.name for p in (tmp_path / "ckpt-00000002").iterdir()) == [
        "meta.json", "model.safetensors", TRAIN_STATE]


def test_its_files_are_what_the_single_file_writers_write(tmp_path):
    folder = CheckpointManager(tmp_path / "ck").save(5, WEIGHTS, STATE, {"epoch": 3})
    w_sha = save_weights(tmp_path / "w.safetensors", WEIGHTS)
    assert (folder / "model.safetensors").read_bytes() == (tmp_path / "w.safetensors").read_bytes()
    save_tree(tmp_path / "t.safetensors", STATE)
    got, want = load_tree(folder / TRAIN_STATE), load_tree(tmp_path / "t.safetensors")
    assert got.keys() == want.keys() and got["rng"] == (1, 2) and got["loss"] != got["loss"]
    assert torch.equal(got["optimizer"]["state"][0]["step"], torch.tensor(3.0))
    # (safetensors orders save_tree's two metadata keys differently from process to
    # process: the train state's bytes, and so its SHA-256, may differ between runs)
    shas = {"model.safetensors": w_sha, TRAIN_STATE: sha256_file(folder / TRAIN_STATE)}
    assert json.loads((folder / "meta.json").read_text())["files"] == shas
    atomic_write_json(tmp_path / "m.json", {"epoch": 3, "format": 1, "step": 5, "files": shas},
                      checksum=True)
    assert (folder / "meta.json").read_bytes() == (tmp_path / "m.json").read_bytes()
    weights, state, loaded = CheckpointManager(tmp_path / "ck").load()
    assert torch.equal(weights["b"], WEIGHTS["b"]) and loaded["step"] == 5
    umask = os.umask(0)
    os.umask(umask)
    for f in folder.iterdir():  # the usual mode of a new file, as atomic_write gives
        assert f.stat().st_mode & 0o777 == 0o666 & ~umask, f.name


def test_a_full_disk_names_the_file_and_keeps_the_last_checkpoint(tmp_path, monkeypatch):
    mgr = CheckpointManager(tmp_path)
    mgr.save(1, WEIGHTS, STATE, {})
    real = os.fsync

    def full(fd):  # the second file of the next checkpoint finds the disk full
        full.calls += 1
        if full.calls == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)
    full.calls = 0
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as e:
        mgr.save(2, {"w": torch.zeros(2)}, {"x": 2}, {})
    assert e.value.errno == errno.ENOSPC and e.value.filename.endswith(TRAIN_STATE)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00000001", "latest.json"]
    weights, _, meta = mgr.load()
    assert torch.equal(weights["w"], WEIGHTS["w"]) and meta["step"] == 1
