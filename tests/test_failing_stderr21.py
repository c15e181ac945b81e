"""Standard error that cannot be written (a full disk) drops its text; the work goes on."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.io.failing_stderr import ForgivingStderr

SRC = str(Path(__file__).resolve().parents[1] / "src")


class _FullDisk(io.StringIO):
    """A stream on descriptor ``fd`` whose writes fail as a full disk's do."""

    def __init__(self, fd):
        super().__init__()
        self.fd = fd

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self):
        return self.fd


def test_a_failed_write_is_dropped_remembered_and_later_text_goes_to_the_null_device(tmp_path):
    fd = os.open(tmp_path / "log", os.O_WRONLY | os.O_CREAT)
    try:
        stream = ForgivingStderr(_FullDisk(fd))
        assert not stream.lost
        assert stream.write("training: step 1/9\n") == len("training: step 1/9\n")
        stream.flush()
        assert stream.lost
        assert os.path.samestat(os.fstat(fd), os.stat(os.devnull))
    finally:
        os.close(fd)


def test_other_attributes_are_the_streams_own():
    inner = io.StringIO()
    stream = ForgivingStderr(inner)
    stream.write("said")
    assert not stream.lost and inner.getvalue() == "said" and stream.getvalue() == "said"


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_forecast_with_stderr_on_a_full_disk_finishes_its_run_and_exits_1(tmp_path):
    out = tmp_path / "run"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "rnnlab", "forecast", "--data", "airline",
                               "--epochs", "1", "--ensemble", "1", "--out", str(out)],
                              env={**os.environ, "PYTHONPATH": SRC}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=full, timeout=300)
    assert (out / "metrics.json").is_file()  # (it stopped at the first progress line)
    assert done.returncode == 1  # (diagnostics were lost: the job is told so)
