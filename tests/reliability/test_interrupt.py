"""Runs killed or interrupted mid-way resume to bit-identical weights."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from rnnlab.io.weights import load_weights

SCRIPT = Path(__file__).with_name("train_script.py")
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(
    [str(Path(__file__).parents[2] / "src")] + sys.path))


def start(ckpt, out, *extra):
    return subprocess.Popen([sys.executable, str(SCRIPT), str(ckpt), str(out), *extra], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_checkpoint(ckpt: Path, min_step: int, proc, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        latest = ckpt / "latest.json"
        if latest.exists():
            try:
                if json.loads(latest.read_text())["step"] >= min_step:
                    return
            except (json.JSONDecodeError, KeyError):
                pass
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    raise AssertionError("no checkpoint appeared")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    p = start(d / "ck", d / "w.safetensors")
    assert p.wait(120) == 0, p.stdout.read()
    return load_weights(d / "w.safetensors")


def same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_sigkill_then_resume_is_bit_identical(tmp_path, reference):
    ck = tmp_path / "ck"
    p = start(ck, tmp_path / "w.safetensors", "--slow", "0.05")
    wait_for_checkpoint(ck, 14, p)  # past the first epoch, mid-way through the second
    p.kill()
    p.wait()
    assert not (tmp_path / "w.safetensors").exists()
    r = start(ck, tmp_path / "w.safetensors", "--resume")
    assert r.wait(120) == 0, r.stdout.read()
    assert same(load_weights(tmp_path / "w.safetensors"), reference)


# SIGINT takes the same path as SIGTERM (and forecast's Ctrl-C test sends it to the CLI):
# slow, 7 s
@pytest.mark.parametrize("sig,code", [pytest.param(signal.SIGINT, 130, marks=pytest.mark.slow),
                                      (signal.SIGTERM, 143)])
def test_signal_checkpoints_and_exits_with_its_code(tmp_path, reference, sig, code):
    ck = tmp_path / "ck"
    p = start(ck, tmp_path / "w.safetensors", "--slow", "0.05")
    wait_for_checkpoint(ck, 4, p)
    p.send_signal(sig)
    assert p.wait(60) == code
    # a fit from Python is told how to resume in Python (it named the CLI's --resume)
    assert "Resume with fit(..., checkpoint_dir=<the same folder>, resume=True)" in p.stdout.read()
    r = start(ck, tmp_path / "w.safetensors", "--resume")
    assert r.wait(120) == 0, r.stdout.read()
    assert same(load_weights(tmp_path / "w.safetensors"), reference)
