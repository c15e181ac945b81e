"""A model folder is locked while save() writes it: two saves of one folder at once could
pair one's model.json with the other's weights (session 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
import torch
from torch import nn

import rnnlab.io.model_dir as md
import rnnlab.io.weights as weights_module
from rnnlab.io.errors import CheckpointError
from rnnlab.io.runlock import SAVE_LOCK_NAME


def _loaded(folder):
    m = nn.Linear(3, 2)
    md.load_weights_into(m, md.read_model_json(folder, "test"))
    return m.weight.detach().clone()


def test_a_second_save_of_a_folder_being_saved_is_refused(tmp_path, monkeypatch):
    # before: no lock; save A wrote its weights, save B wrote its weights and JSON, then A
    # wrote its JSON: the folder held A's model.json beside B's weights (SHA-256 mismatch,
    # neither model loadable, and the previous good save gone)
    folder = tmp_path / "m"
    (folder).mkdir()
    (folder / "notes.txt").write_text("mine")
    old, a, b = (nn.Linear(3, 2) for _ in range(3))
    md.save_model_dir(folder, old, "test", {}, {})
    inside, go = threading.Event(), threading.Event()
    real = weights_module.save_weights

    def slow_save(path, state):
        sha = real(path, state)
        if threading.current_thread().name == "A":
            inside.set()
            go.wait(10)
        return sha

    monkeypatch.setattr(weights_module, "save_weights", slow_save)
    failed = []

    def save_a():
        try:
            md.save_model_dir(folder, a, "test", {}, {}, overwrite=True)
        except Exception as e:  # pragma: no cover (shown by the assertion below)
            failed.append(e)

    t = threading.Thread(target=save_a, name="A")
    t.start()
    try:
        assert inside.wait(10)
        with pytest.raises(CheckpointError, match="another save.. is writing this model folder"):
            md.save_model_dir(folder, b, "test", {}, {}, overwrite=True)
        assert (folder / SAVE_LOCK_NAME).is_file()
        assert torch.equal(_loaded(folder), old.weight)  # mid-save: the previous save loads
    finally:
        go.set()
        t.join(10)
    assert not failed
    assert torch.equal(_loaded(folder), a.weight)
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "model.safetensors",
                                                        "notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine"


def test_a_save_held_by_another_process_is_named_and_a_dead_ones_taken_over(tmp_path):
    folder = tmp_path / "m"
    old, new = nn.Linear(3, 2), nn.Linear(3, 2)
    md.save_model_dir(folder, old, "test", {}, {})
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (folder / SAVE_LOCK_NAME).write_text(str(other.pid))
        with pytest.raises(CheckpointError, match=f"PID {other.pid}"):
            md.save_model_dir(folder, new, "test", {}, {}, overwrite=True)
        assert torch.equal(_loaded(folder), old.weight)  # the previous save is untouched
    finally:
        other.kill()
        other.wait()
    md.save_model_dir(folder, new, "test", {}, {}, overwrite=True)  # its holder is dead
    assert torch.equal(_loaded(folder), new.weight)
    assert not (folder / SAVE_LOCK_NAME).exists()


def test_the_lock_is_released_when_a_save_fails(tmp_path, monkeypatch):
    folder = tmp_path / "m"
    md.save_model_dir(folder, nn.Linear(3, 2), "test", {}, {})
    with pytest.raises(CheckpointError, match="already holds"):
        md.save_model_dir(folder, nn.Linear(3, 2), "test", {}, {})
    assert not (folder / SAVE_LOCK_NAME).exists()
    assert os.listdir(folder) and SAVE_LOCK_NAME not in os.listdir(folder)
