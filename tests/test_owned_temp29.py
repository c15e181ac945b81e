"""Session 29: the temporary folders a fit's spawned workers leave its result in
(``rnnlab-forecast-*``, ``rnnlab-lm-fit-*``), left for good by a parent killed outright,
are removed by the next fit of the same kind when their owner is gone; a live run's, and
one without an owner record, are kept (:mod:`rnnlab.train.owned_temp`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.train import stale_stores
from rnnlab.train.owned_temp import owned_temp_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="stale folders: POSIX only")
PREFIXES = ("rnnlab-forecast-", "rnnlab-lm-fit-")


def _killed_parents_folder(tmp_path, prefix) -> Path:
    """The folder a real process, killed with SIGKILL while it held it, left."""
    script = ("import os, signal\n"
              "from rnnlab.train.owned_temp import owned_temp_dir\n"
              f"with owned_temp_dir({prefix!r}) as folder:\n"
              "    (folder / 'members.safetensors').write_bytes(b'weights')\n"
              "    print(folder, flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    env = dict(os.environ, TMPDIR=str(tmp_path),
               PYTHONPATH=str(Path(stale_stores.__file__).parents[2]))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = Path(r.stdout.strip())
    assert left.is_dir() and left.parent == tmp_path and left.name.startswith(prefix)
    return left


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_killed_parents_folder_is_removed_by_the_next_fit(prefix, tmp_path, monkeypatch):
    left = _killed_parents_folder(tmp_path, prefix)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with owned_temp_dir(prefix) as folder:
        assert not left.exists()
        assert folder.is_dir() and (folder / f"{stale_stores.OWNER}{os.getpid()}").is_file()
    assert list(tmp_path.iterdir()) == []


def test_a_live_runs_folder_and_one_without_a_record_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    live = tmp_path / "rnnlab-forecast-live"
    live.mkdir()
    (live / f"{stale_stores.OWNER}{os.getpid()}").write_text(stale_stores.owner_record())
    bare = tmp_path / "rnnlab-forecast-bare"  # (an older rnnlab's, or one being made)
    bare.mkdir()
    other = _killed_parents_folder(tmp_path, "rnnlab-lm-fit-")  # (another kind: its own)
    with owned_temp_dir("rnnlab-forecast-"):
        pass
    assert live.is_dir() and bare.is_dir() and other.is_dir()


def test_a_forecast_on_several_devices_holds_its_result_in_such_a_folder(tmp_path,
                                                                        monkeypatch):
    """The forecast's multi-process path sweeps and removes as the helper does (its
    workers stand in: they leave the members' weights and histories)."""
    import torch

    from rnnlab.forecast import training
    from rnnlab.io.weights import save_weights
    from rnnlab.train import distributed
    from rnnlab.train.distributed import DeviceConfig

    left = _killed_parents_folder(tmp_path, "rnnlab-forecast-")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    seen = []

    def workers(fn, args, cfg):
        out = Path(args[0]["result_dir"])
        seen.append((out, left.exists(), sorted(p.name for p in out.iterdir())))
        save_weights(out / "members.safetensors", {"m0.w": torch.zeros(2)})
        (out / "histories.json").write_text("[{}]")

    monkeypatch.setattr(distributed, "launch", workers)
    payload = {"config": type("C", (), {"ensemble": 1})(), "device": "cpu"}
    states, histories = training.run_training(payload, DeviceConfig(accelerator="cpu",
                                                                    devices=2))
    (out, stale_then, names), = seen
    assert out.name.startswith("rnnlab-forecast-") and not stale_then
    assert names == [f"{stale_stores.OWNER}{os.getpid()}"]
    assert list(states[0]) == ["w"] and histories == [{}]
    assert list(tmp_path.iterdir()) == []


def test_a_language_model_on_several_devices_holds_its_result_in_such_a_folder(tmp_path,
                                                                               monkeypatch):
    """``CharLM.fit(devices=2)``: the workers (standing in, stopped by an error) saw the
    killed parent's folder gone and their own recorded; the error leaves none behind."""
    from rnnlab.lm import CharLM, fit_launch

    left = _killed_parents_folder(tmp_path, "rnnlab-lm-fit-")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    seen = []

    def workers(fn, args, cfg):
        out = Path(args[0].result_dir)
        seen.append((out, left.exists(), sorted(p.name for p in out.iterdir())))
        raise RuntimeError("the workers stop here")

    monkeypatch.setattr(fit_launch, "launch", workers)
    with pytest.raises(RuntimeError, match="the workers stop here"):
        CharLM(hidden_size=4, embedding=4, model="gru").fit(
            "abcabcabd " * 40, epochs=1, seq_len=8, batch_size=2, devices=2,
            accelerator="cpu", progress=False)
    (out, stale_then, names), = seen
    assert out.name.startswith("rnnlab-lm-fit-") and not stale_then
    assert names == [f"{stale_stores.OWNER}{os.getpid()}"]
    assert list(tmp_path.iterdir()) == []
