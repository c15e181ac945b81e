"""Failures of the machine, not of the input (session 32): a write that fails (a full disk,
no permission) at one step of saving a checkpoint or setting a run aside names the file the
user knows, not a temporary deleted by then, and loses nothing the user had."""

import builtins
import errno
import os

import pytest
import torch

from rnnlab.train.checkpoint import CheckpointManager

WEIGHTS = {"w": torch.arange(6.0).reshape(2, 3)}
STATE = {"epoch": 1}


def _failing(monkeypatch, name: str, which: str, code=errno.ENOSPC):
    """``os.<which>`` (``open``: the builtin) raises ``code`` the first time it is called on
    a path holding ``name`` (as the system does: the error names the path given)."""
    where = builtins if which == "open" else os
    real = getattr(where, which)

    def call(path, *args, **kwargs):
        if name in os.fspath(path) and not call.fired:
            call.fired = True
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real(path, *args, **kwargs)
    call.fired = False
    monkeypatch.setattr(where, which, call)
    return call


@pytest.mark.parametrize("which, name", [("open", "model.safetensors"),  # a file in it
                                         ("open", "meta.json"),
                                         ("mkdir", ".ckpt-"),            # its folder
                                         ("replace", ".ckpt-")])         # its rename
def test_a_checkpoint_that_cannot_be_written_is_named_not_its_temporary(
        tmp_path, monkeypatch, which, name):
    """It named ``.ckpt-00000002.x1mljz2o/meta.json``: a folder that is gone when read."""
    mgr = CheckpointManager(tmp_path)
    mgr.save(1, WEIGHTS, STATE, {"epoch": 1})
    fault = _failing(monkeypatch, name, which)
    with pytest.raises(OSError) as got:
        mgr.save(2, WEIGHTS, STATE, {"epoch": 2})
    assert fault.fired
    assert got.value.errno == errno.ENOSPC
    assert got.value.filename == str(tmp_path / "ckpt-00000002")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00000001", "latest.json"]
    assert mgr.load()[2]["step"] == 1  # the last good one is the one loaded
