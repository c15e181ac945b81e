"""`rnnlab forecast` as a real process: SIGKILL at a random step then --resume, Ctrl-C /
SIGTERM, NaN/Inf steps, two writers of one run directory, reproducibility, data hashes."""

import json
import os
import random
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from printed_words import words
from rnnlab.io.weights import load_weights

SRC = str(Path(__file__).parents[2] / "src")
ENV = dict(os.environ, PYTHONPATH=SRC, MPLBACKEND="Agg")
# small and quick: sine (500 points), 2 members x 3 epochs x 30 steps (478 windows: the
# validation tail holds 4 rolling origins of the horizon, 7 points)
STEPS_PER_EPOCH = 30  # the direct strategy's windows of sine, 16 a step
BASE = ["--data", "sine", "--lookback", "8", "--horizon", "4", "--epochs", "3", "--ensemble", "2",
        "--hidden-size", "8", "--batch-size", "16", "--patience", "2", "--device", "cpu",
        "--no-progress", "--seed", "5", "--forecast-strategy", "direct"]
STEPS_PER_MEMBER = 3 * STEPS_PER_EPOCH


def cli(*args):
    return [sys.executable, "-m", "rnnlab.cli", "forecast", *map(str, args)]


def run(*args, timeout=180):
    return subprocess.run(cli(*args), env=ENV, capture_output=True, text=True, timeout=timeout)


def run_here(capsys, *args):
    """The command in this process, where a fresh one adds nothing to what the test checks
    (a refusal, a message, an exit code): (exit code, stdout, stderr)."""
    from rnnlab.cli import main

    capsys.readouterr()
    try:
        code = main(["forecast", *map(str, args)])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def start(*args):
    return subprocess.Popen(cli(*args), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def steps_done(out: Path) -> int:
    total = 0
    for m in (0, 1):
        latest = out / "checkpoints" / f"member{m}" / "latest.json"
        try:
            total += json.loads(latest.read_text())["step"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            pass
    return total


def wait_steps(out: Path, n: int, proc, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if steps_done(out) >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"finished before step {n}: {proc.communicate()}")
        time.sleep(0.02)
    raise AssertionError(f"step {n} not reached")


def weights(out: Path):
    return load_weights(out / "model" / "model.safetensors")


def assert_identical(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def checkpoints_complete(out: Path):
    """Files lost: none. Every member's latest.json points at a complete, verified checkpoint."""
    from rnnlab.train.checkpoint import CheckpointManager

    for m in (0, 1):
        d = out / "checkpoints" / f"member{m}"
        # a member killed before its first checkpoint was in place has only a folder (and
        # perhaps a save's temporary, which resume clears): nothing of it to lose or check
        if d.exists() and CheckpointManager(d).exists():
            CheckpointManager(d).load()  # raises CheckpointError if anything is missing/damaged


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    r = run(*BASE, "--out", out)
    assert r.returncode == 0, r.stderr
    return out


def test_run_directory_records_config_seed_versions_and_data_hash(reference):
    info = json.loads((reference / "config.json").read_text())
    assert info["seed"] == 5 and info["config"]["epochs"] == 3 and info["config"]["data"] == "sine"
    assert set(info["versions"]) >= {"rnnlab", "torch", "numpy", "python"}
    assert len(info["data_sha256"]) == 64
    from rnnlab.data.datasets import resolve_data
    from rnnlab.io.rundir import data_hash

    assert info["data_sha256"] == data_hash(resolve_data("sine").values)
    assert json.loads((reference / "cli.json").read_text())["options"]["seed"] == 5
    for name in ("metrics.json", "forecast.csv", "forecast.png", "loss.png", "error_by_step.png",
                 "model/model.json", "model/model.safetensors"):
        assert (reference / name).is_file(), name
    assert not (reference / ".lock").exists()


def test_same_seed_same_bits_in_two_processes(tmp_path, reference, capsys):
    r = run(*BASE, "--out", tmp_path / "again")
    assert r.returncode == 0, r.stderr
    assert_identical(weights(tmp_path / "again"), weights(reference))
    m1 = json.loads((reference / "metrics.json").read_text())
    m2 = json.loads((tmp_path / "again" / "metrics.json").read_text())
    assert m1["forecast"] == m2["forecast"]
    # and a different seed really differs (the comparison can fail)
    code, _, err = run_here(capsys, *[a if a != "5" else "6" for a in BASE], "--out",
                            tmp_path / "other", "--epochs", "1")
    assert code == 0, err
    w = weights(tmp_path / "other")
    assert any(not torch.equal(w[k], weights(reference)[k]) for k in w)


def test_sigkill_at_a_random_step_then_resume_is_bit_identical(tmp_path, reference):
    rng = random.Random(os.urandom(8))
    target = rng.randint(3, 2 * STEPS_PER_MEMBER - 20)  # anywhere in member 0 or member 1
    out = tmp_path / "run"
    p = start(*BASE, "--out", out, "--checkpoint-every", "1")
    wait_steps(out, target, p)
    time.sleep(rng.random() * 0.05)  # mid-step, mid-write, wherever it lands
    p.kill()
    p.wait()
    killed_at = steps_done(out)
    assert (out / ".lock").exists()  # the dead holder's lock is left behind...
    checkpoints_complete(out)  # ...and nothing is lost or half-written
    r = run("--resume", out)  # ...and taken over: the options come from cli.json
    assert r.returncode == 0, (target, killed_at, r.stderr)
    assert_identical(weights(out), weights(reference))
    assert not (out / ".lock").exists()
    checkpoints_complete(out)


def test_ctrl_c_checkpoints_prints_the_resume_command_and_exits_130(tmp_path, reference):
    out = tmp_path / "run"
    p = start(*BASE, "--out", out, "--checkpoint-every", "5")
    wait_steps(out, STEPS_PER_MEMBER + 10, p)  # inside member 1
    before = steps_done(out)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert steps_done(out) > before  # the current step finished and was checkpointed
    line = next(l for l in err.splitlines() if "Resume with:" in l)
    cmd = line.split("Resume with:", 1)[1].strip()
    assert cmd == f"rnnlab forecast --resume {shlex.quote(str(out))}", line
    checkpoints_complete(out)
    r = subprocess.run([sys.executable, "-m", "rnnlab.cli", *shlex.split(cmd)[1:]], env=ENV,
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert_identical(weights(out), weights(reference))


def test_sigterm_with_two_processes_exits_143_and_resumes(tmp_path):
    """--devices 2: the parent forwards SIGTERM to both workers; rank 0 checkpoints."""
    out = tmp_path / "run"
    p = start(*BASE, "--out", out, "--checkpoint-every", "2", "--devices", "2",
              "--accelerator", "cpu", "--epochs", "1", "--ensemble", "1")
    wait_steps(out, 6, p, timeout=180)
    p.send_signal(signal.SIGTERM)
    # both workers stop at the same step and exit: well under the parent's 60 s grace for a
    # worker stuck in a collective (a worker once hung in destroy_process_group there)
    _, err = p.communicate(timeout=45)
    assert p.returncode == 143, err
    assert "Resume with: rnnlab forecast --resume" in err
    assert "Traceback" not in err
    checkpoints_complete(out)
    assert json.loads((out / "cli.json").read_text())["options"]["devices"] == 2
    r = run("--resume", out, "--devices", "1")  # a 2-process checkpoint resumes in 1 process
    assert r.returncode == 0, r.stderr
    assert (out / "model" / "model.safetensors").is_file()
    meta = json.loads((out / "checkpoints" / "member0" / "latest.json").read_text())
    assert meta["step"] == STEPS_PER_EPOCH


def test_nonfinite_stops_by_default_and_skip_counts(tmp_path, capsys):
    blow_up = [*BASE, "--epochs", "1", "--ensemble", "1", "--lr", "1e30", "--clip-norm", "0"]
    code, _, err = run_here(capsys, *blow_up, "--out", tmp_path / "stop")
    assert code == 3  # (a diverged training: its own status, not 1's)
    assert "became non-finite" in err and "--on-nonfinite skip" in err, err
    assert not (tmp_path / "stop" / "model").exists()
    code, out, err = run_here(capsys, *blow_up, "--out", tmp_path / "skip", "--on-nonfinite",
                              "skip")
    assert code == 0, err
    assert "skipped" in out
    skipped = json.loads((tmp_path / "skip" / "metrics.json").read_text())["training"]["skipped_steps"]
    assert skipped[0] > 0 and f"skipped {skipped[0]} of {STEPS_PER_EPOCH}" in out


def test_second_writer_is_refused_with_the_holders_pid(tmp_path, capsys):
    out = tmp_path / "run"
    p = start(*BASE, "--out", out, "--checkpoint-every", "1", "--epochs", "100",
              "--val-size", "0")  # no validation: no early stop, it runs until killed
    try:
        wait_steps(out, 2, p)
        for extra in ([], ["--overwrite"], ["--resume"]):  # the holder is another process
            code, stdout, err = run_here(capsys, *BASE, "--out", out, *extra)
            assert code == 1, (extra, stdout)
            assert f"in use by another rnnlab process (PID {p.pid})" in err, (extra, err)
        assert p.poll() is None  # the holder was not disturbed
        assert (out / "config.json").is_file() and (out / "checkpoints").is_dir()
    finally:
        p.kill()
        p.wait()


def test_resume_warns_when_the_data_changed(tmp_path, capsys, recwarn):
    """In this process (the other tests here run the command as a real process); once: the
    checkpoints' own record of the data (Forecaster.fit's warning) is not said again."""
    from rnnlab.cli import main
    from rnnlab.forecast.resume_data import ResumeDataWarning

    csv = tmp_path / "series.csv"
    csv.write_text("value\n" + "\n".join(str((i * 7) % 23 + i / 10) for i in range(120)) + "\n")
    out = tmp_path / "run"
    args = ["--data", csv, "--lookback", "6", "--horizon", "3", "--epochs", "1", "--ensemble", "1",
            "--hidden-size", "4", "--device", "cpu", "--no-progress", "--out", out]
    assert main(["forecast", *map(str, args)]) == 0
    capsys.readouterr()
    assert main(["forecast", "--resume", str(out)]) == 0
    err = capsys.readouterr().err
    assert "data differs" not in err, err
    csv.write_text(csv.read_text().replace("\n5.", "\n6.", 1))
    assert main(["forecast", "--resume", str(out)]) == 0
    err = words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    assert "data differs from the run's" in err and "SHA-256" in err, err
    assert f"read from {csv}" in err, err  # (the file the record names: a run from elsewhere
    assert err.count("SHA-256") == 1, err  # may name one outside its folder)
    assert not [w for w in recwarn if issubclass(w.category, ResumeDataWarning)]


def test_resume_of_nothing_is_refused(tmp_path, capsys):
    code, _, err = run_here(capsys, "--resume", tmp_path / "nope")
    assert code == 1 and "nothing to resume" in err
