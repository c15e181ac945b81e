"""A standard stream closed by the caller (``>&-``, ``2>&-``, ``0<&-``) acts as /dev/null."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _rnnlab(args, closed, stdout=None):
    """``python -m rnnlab ARGS`` with the descriptors ``closed`` closed in the child."""
    env = {**os.environ, "PYTHONPATH": SRC}

    def close():
        for fd in closed:
            os.close(fd)

    return subprocess.run([sys.executable, "-m", "rnnlab", *args], env=env, timeout=120,
                          stdin=subprocess.DEVNULL, stdout=stdout or subprocess.DEVNULL,
                          stderr=subprocess.PIPE, preexec_fn=close)


def test_a_command_with_stdout_closed_ends_well_not_as_a_defect():
    done = _rnnlab(["models"], closed=(1,))
    assert done.returncode == 0, done.stderr.decode()
    assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr


def test_an_error_with_stderr_closed_does_not_go_to_stdout(tmp_path):
    done = _rnnlab(["forecast", "--data", str(tmp_path / "none.csv"), "--out",
                    str(tmp_path / "run")], closed=(2,), stdout=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stdout == b""  # (it went there: a consumer of --output - read it as data)


def test_all_three_closed_still_runs():
    done = _rnnlab(["datasets"], closed=(0, 1, 2))
    assert done.returncode == 0


def test_closed_descriptors_are_opened_on_the_null_device(monkeypatch):
    from rnnlab.io import closed_streams

    monkeypatch.setattr(closed_streams, "_is_open", lambda fd: fd != 1)
    monkeypatch.setattr(sys, "stdout", None)
    saved = os.dup(1)
    try:
        assert closed_streams.open_closed_standard_streams() == ["stdout"]
        assert os.path.samestat(os.fstat(1), os.stat(os.devnull))
        print("discarded")  # (None before: print wrote nowhere, flush raised)
        sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
        os.close(saved)

