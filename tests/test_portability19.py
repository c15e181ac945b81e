"""Other platforms and locales than a developer's Linux box: a console that cannot
write every character (Windows' cp1252 when redirected, PYTHONIOENCODING=ascii), files
from European Excel, process liveness on Windows."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _rnnlab(*args, encoding="ascii"):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "rnnlab", *args], capture_output=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("args", [("recipes",), ("forecast", "--help")])
def test_an_ascii_console_gets_escapes_not_a_codec_error(args):
    """`rnnlab recipes` printed "error: 'ascii' codec can't encode character '\\xa7'" and
    `rnnlab forecast --help` a UnicodeEncodeError traceback on an ASCII/cp1252 stdout."""
    r = _rnnlab(*args)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-600:]
    assert b"codec" not in r.stderr
    assert len(r.stdout) > 200
