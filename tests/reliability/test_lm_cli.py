"""`rnnlab lm train` (sequential sampling) killed with SIGKILL at a random step and resumed
ends with the same weights, bit for bit, as an uninterrupted run (CPU, same seed).

The LM CLI checkpoints at epoch ends only (it has no --checkpoint-every), so the kill lands
anywhere inside an epoch and the resumed run redoes that epoch from its start."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from rnnlab.io.weights import load_weights

SRC = str(Path(__file__).parents[2] / "src")
ENV = dict(os.environ, PYTHONPATH=SRC, MPLBACKEND="Agg")
EPOCHS = 12
STEPS_PER_EPOCH = 46


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    r = random.Random(0)
    words = "the time traveller machine sat at the table and spoke of four dimensions".split()
    p = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    p.write_text(" ".join(r.choice(words) for _ in range(1200)))
    return p


def args(corpus, out, *extra):
    return [sys.executable, "-m", "rnnlab.cli", "lm", "train", "--corpus", str(corpus),
            "--model", "lstm", "--hidden-size", "16", "--num-layers", "1", "--embedding", "8",
            "--dropout", "0.2", "--seq-len", "16", "--batch-size", "8", "--sampling", "sequential",
            "--epochs", str(EPOCHS), "--patience", "0", "--sample-every", "0", "--prefix", "the ",
            "--seed", "3", "--device", "cpu", "--threads", "1", "--no-progress", "--out", str(out),
            *extra]


def latest_step(out: Path) -> int:
    try:
        return json.loads((out / "checkpoints" / "latest.json").read_text())["step"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


@pytest.mark.slow  # 13 s; fast in the default suite: test_forecast_cli's SIGKILL test (the
# same CLI resume, a real process) and test_lm.py's `lm train --resume` in this process
def test_lm_sigkill_at_a_random_step_then_resume_is_bit_identical(tmp_path, corpus):
    ref = tmp_path / "ref"
    r = subprocess.run(args(corpus, ref), env=ENV, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert latest_step(ref) == EPOCHS * STEPS_PER_EPOCH

    rng = random.Random(os.urandom(8))
    out = tmp_path / "run"
    p = subprocess.Popen(args(corpus, out), env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    target = STEPS_PER_EPOCH * rng.randint(1, EPOCHS - 3)  # after a random epoch's checkpoint
    t0 = time.time()
    while latest_step(out) < target:
        assert p.poll() is None, p.communicate()
        assert time.time() - t0 < 120
        time.sleep(0.01)
    time.sleep(rng.random() * 0.2)  # then somewhere inside the next epoch
    assert p.poll() is None, "the run ended before the kill; make it longer"
    p.send_signal(signal.SIGKILL)
    p.wait()
    killed_after = latest_step(out)
    assert target <= killed_after < EPOCHS * STEPS_PER_EPOCH, (target, killed_after)
    assert not (out / "model").exists()

    r = subprocess.run(args(corpus, out, "--resume"), env=ENV, capture_output=True, text=True,
                       timeout=240)
    assert r.returncode == 0, (killed_after, r.stderr)
    a = load_weights(ref / "model" / "model.safetensors")
    b = load_weights(out / "model" / "model.safetensors")
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), (k, killed_after)
    info = json.loads((out / "config.json").read_text())
    assert info["data_sha256"] and info["seed"] == 3 and "torch" in info["versions"]


@pytest.mark.slow  # 10 s; in the default suite: test_hardening_cli's in-process test of the
# same message, and test_forecast_cli's Ctrl-C test of a real process
def test_lm_ctrl_c_prints_the_exact_resume_command(tmp_path, corpus):
    import shlex

    out = tmp_path / "run"
    p = subprocess.Popen(args(corpus, out, "--checkpoint-every", "5"), env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.time()
    while latest_step(out) < 10:
        assert p.poll() is None, p.communicate()
        assert time.time() - t0 < 120
        time.sleep(0.02)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    cmd = err.split("Resume with:", 1)[1].strip().splitlines()[0]
    r = subprocess.run([sys.executable, "-m", "rnnlab.cli", *shlex.split(cmd)[1:]], env=ENV,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert latest_step(out) == EPOCHS * STEPS_PER_EPOCH
