"""A training state is saved as data (safetensors + JSON nesting) and read back exactly."""

import hashlib
import io
import json
import math
import os
import pickle
import random
import struct

import pytest
import torch

from rnnlab.io.errors import CheckpointError
from rnnlab.io.json_file import checksummed_text
from rnnlab.io.tree_file import load_tree, save_tree
from rnnlab.train.checkpoint import CheckpointManager
from rnnlab.train.device import rng_state


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, torch.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b


def _real_state():
    torch.manual_seed(0)
    net = torch.nn.LSTM(3, 4)
    opt = torch.optim.Adam(net.parameters(), lr=0.1234567890123, betas=(0.8, 0.95))
    net(torch.randn(5, 2, 3))[0].sum().backward()
    opt.step()
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)  # holds best = inf
    random.random()
    return {
        "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "rng": [rng_state()],
        "history": {"epochs": [{"val_loss": float("nan"), "loss": 0.5}], "best_val_loss": None},
        "carry": (torch.randn(1, 2, 4, dtype=torch.bfloat16), torch.randn(4, 2).t()),  # (not contiguous)
        "empty": torch.zeros(0, 3), "flag": True, "n": 3, "text": "a", "neg": -math.inf,
    }


def test_a_training_state_round_trips_exactly(tmp_path):
    st = _real_state()
    sha = save_tree(tmp_path / "s.safetensors", st)
    back = load_tree(tmp_path / "s.safetensors", expected_sha256=sha)
    _same(st, back)
    assert back["optimizer"]["state"].keys() == {0, 1, 2, 3}  # parameter numbers stay ints
    assert back["optimizer"]["param_groups"][0]["betas"] == (0.8, 0.95)
    assert back["scheduler"]["best"] == math.inf


def test_the_same_training_state_gives_the_same_bytes_every_save(tmp_path):
    # safetensors wrote the metadata (format, tree) from a Rust HashMap, in an order that
    # changed between saves, so two runs of the same seed wrote train_state files that
    # differed in their bytes and SHA-256 (and meta.json with them)
    from rnnlab.io.tree_file import tree_bytes

    st = _real_state()
    blobs = {tree_bytes(st) for _ in range(24)}
    assert len(blobs) == 1
    blob = blobs.pop()
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0 and blob[8:8 + n].rstrip(b" ").endswith(b"}")
    (tmp_path / "s.safetensors").write_bytes(blob)
    _same(st, load_tree(tmp_path / "s.safetensors"))


def test_numpy_numbers_are_saved_as_plain_ones(tmp_path):
    import numpy as np

    save_tree(tmp_path / "s.safetensors", {"b": np.bool_(True), "i": np.int64(7),
                                          "f": np.float32(0.5)})
    back = load_tree(tmp_path / "s.safetensors")
    _same(back, {"b": True, "i": 7, "f": 0.5})


def test_values_that_are_not_data_are_refused_on_save(tmp_path):
    with pytest.raises(TypeError, match="cannot save a object"):
        save_tree(tmp_path / "s.safetensors", {"x": object()})


class _RunsCode:
    def __reduce__(self):
        return (os.system, ("touch /tmp/rnnlab_tree_pwned",))


def test_a_pickle_under_the_new_name_is_refused_without_running(tmp_path):
    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, {"x": 1}, {})
    assert not list(folder.glob("*.pt"))  # nothing of torch's pickle format is written
    evil = pickle.dumps({"x": _RunsCode()})
    (folder / "train_state.safetensors").write_bytes(evil)
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["train_state.safetensors"] = hashlib.sha256(evil).hexdigest()
    meta.pop("_sha256")
    (folder / "meta.json").write_text(checksummed_text(meta))
    with pytest.raises(CheckpointError, match="pickle"):
        mgr.load()
    assert not os.path.exists("/tmp/rnnlab_tree_pwned")


@pytest.mark.parametrize("edit, match", [
    (lambda m: m.update(tree='{"$tensor":"t999999"}'), "lacks"),
    (lambda m: m.update(tree='{"$eval":"x"}'), "unexpected node"),
    (lambda m: m.update(tree='{"$dict":[[1]]}'), "pair"),
    (lambda m: m.update(tree="[" * 100000 + "]" * 100000), "damaged"),
    (lambda m: m.update(tree="{"), "damaged"),
    (lambda m: m.update(format="other"), "not an rnnlab training state"),
    # a later rnnlab's layout: named as such, with what to do (deploy19)
    (lambda m: m.update(format="rnnlab-tree-3"), r"format 'rnnlab-tree-3', which this rnnlab "
                                                 r"\S+ does not read .* resume it with the "
                                                 r"rnnlab that wrote it"),
])
def test_a_damaged_tree_is_refused_with_a_reason(tmp_path, edit, match):
    from safetensors.torch import save

    meta = {"format": "rnnlab-tree-1", "tree": '{"$tensor":"t000000"}'}
    edit(meta)
    (tmp_path / "s.safetensors").write_bytes(save({"t000000": torch.ones(2)}, metadata=meta))
    with pytest.raises(CheckpointError, match=match):
        load_tree(tmp_path / "s.safetensors")


def test_a_checkpoint_an_earlier_rnnlab_wrote_still_loads(tmp_path):
    """train_state.pt (torch's format) in place of train_state.safetensors: read with the
    weights-only loader, so runs interrupted before the change resume."""
    st = _real_state()
    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, st, {})
    buf = io.BytesIO()
    torch.save(st, buf)
    (folder / "train_state.pt").write_bytes(buf.getvalue())
    (folder / "train_state.safetensors").unlink()
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["train_state.pt"] = hashlib.sha256(buf.getvalue()).hexdigest()
    del meta["files"]["train_state.safetensors"]
    meta.pop("_sha256")
    (folder / "meta.json").write_text(json.dumps(meta))
    _, back, _ = mgr.load()
    _same(st, back)


@pytest.mark.parametrize("key", [(1, 2), torch.ones(1), frozenset({1})])
def test_a_key_that_cannot_be_read_back_is_refused_on_save(tmp_path, key):
    """A dict key the loader refuses (a tuple, a tensor) is refused when saving, saying so;
    before: saved, then every resume failed with 'its training state is damaged'."""
    with pytest.raises(TypeError, match="dictionary key"):
        save_tree(tmp_path / "s.safetensors", {"ok": 1, key: 3})
    assert not (tmp_path / "s.safetensors").exists()


def test_a_training_state_whose_hash_meta_json_does_not_name_is_refused(tmp_path):
    """meta.json without the training state's SHA-256: refused, as a train_state.pt without
    one was (the new file was read unchecked: load_tree skips the check given no hash)."""
    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, {"x": 1}, {})
    meta = json.loads((folder / "meta.json").read_text())
    del meta["files"]["train_state.safetensors"]
    meta.pop("_sha256")
    (folder / "meta.json").write_text(checksummed_text(meta))
    with pytest.raises(CheckpointError, match="names no SHA-256 of train_state.safetensors"):
        mgr.load()


@pytest.mark.parametrize("name", ["model.safetensors", "train_state.safetensors"])
def test_a_checkpoint_file_without_its_recorded_hash_is_refused(tmp_path, name):
    # before: meta.json without the weights' SHA-256 loaded the weights unchecked
    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, {"x": 1}, {})
    meta = json.loads((folder / "meta.json").read_text())
    del meta["files"][name]
    meta.pop("_sha256")
    (folder / "meta.json").write_text(checksummed_text(meta))
    with pytest.raises(CheckpointError, match=f"names no SHA-256 of {name}"):
        from rnnlab.train.checkpoint import load_checkpoint_dir

        load_checkpoint_dir(folder)
