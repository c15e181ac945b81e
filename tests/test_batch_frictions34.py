"""Session 34, rnnlab in batch jobs and on the command line: what a stop, a read-only home
folder, a long path in a warning and a links note say."""

from __future__ import annotations

import os
import subprocess
import sys

from printed_words import words

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src"))


def _python(code: str, cwd, **env):
    """``code`` run by this Python in a process of its own, rnnlab importable."""
    full = {**os.environ, "PYTHONPATH": SRC, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, cwd=cwd, timeout=120)


_BROKEN_HINT = """
import sys
import rnnlab.runs_cli as runs_cli

class Missing:  # (an installation missing a module: the stop's hint imports it)
    def find_spec(self, name, path=None, target=None):
        if name == "rnnlab.io.write_failure":
            raise ModuleNotFoundError("No module named 'rnnlab.io.write_failure'")
        return None

def stopped(args):
    sys.modules.pop("rnnlab.io.write_failure", None)
    sys.meta_path.insert(0, Missing())
    raise KeyboardInterrupt

runs_cli.run = stopped
from rnnlab.cli import main
sys.exit(main(["runs", "."]))
"""


def test_a_stop_whose_hint_fails_to_import_says_the_stop_and_names_the_failure(tmp_path):
    # the hint after a Ctrl-C swallowed an ImportError raised while it was built: a broken
    # installation said nothing but "interrupted"
    done = _python(_BROKEN_HINT, tmp_path)
    assert done.returncode == 130, done.stderr[-2000:]
    said = words(done.stderr)
    assert "rnnlab runs: interrupted; files already written are kept" in said
    assert "ModuleNotFoundError: No module named 'rnnlab.io.write_failure'" in said
    assert "reinstall rnnlab" in said
    assert "Traceback" not in done.stderr
