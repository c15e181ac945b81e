"""Session 34, rnnlab in batch jobs and on the command line: what a stop, a read-only home
folder, a long path in a warning and a links note say."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from printed_words import words

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src"))


def _python(code: str, cwd, **env):
    """``code`` run by this Python in a process of its own, rnnlab importable."""
    full = {**os.environ, "PYTHONPATH": SRC, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, cwd=cwd, timeout=120)


_BROKEN_HINT = """
import sys

import pytest
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


def test_a_warning_that_starts_with_a_long_path_starts_it_on_the_prefixs_line(tmp_path):
    # the warning's prefix stood alone on a line, `rnnlab forecast: warning:`, and the
    # path (a run folder's cli.json) on the next
    import json

    run = tmp_path / "a-rather-long-folder-name" / "runs-of-the-forecasting-team" / "run-1"
    run.mkdir(parents=True)
    (run / "cli.json").write_text(json.dumps({  # (an option of a newer rnnlab: warned)
        "options": {"data": str(tmp_path / "gone.csv"), "frobnicate": 3},
        "command": "rnnlab forecast"}))
    done = _python(f"import sys; from rnnlab.cli import main; "
                   f"sys.exit(main(['forecast', '--resume', {str(run)!r}]))", tmp_path)
    path = str(run / "cli.json")
    assert len(path) > 60
    lines = done.stderr.splitlines()
    first = [line for line in lines if line.startswith("rnnlab forecast: warning:")]
    assert first == [f"rnnlab forecast: warning: {path}"], done.stderr  # (whole: past 80)
    said = words(done.stderr)
    assert f"rnnlab forecast: warning: {path} holds options this rnnlab does not know: " \
           f"--frobnicate" in said
    after = lines[lines.index(first[0]) + 1:]
    assert after[0].startswith("  holds") and all(len(line) <= 80 for line in after[:4])


def test_a_warnings_prefix_keeps_its_first_word_wherever_it_wraps():
    from rnnlab.warning_lines import warning_text

    for n in range(20, 90, 7):  # (a path of each length, bare and quoted with a space)
        for path in ("/d" * (n // 2), "'/my data" + "/d" * (n // 2) + "'"):
            line = f"rnnlab lm train: warning: {path}: the corpus differs; it is read"
            said = warning_text(line)
            assert said.splitlines()[0].startswith(f"rnnlab lm train: warning: {path}:"), said
            assert words(said) == line


@pytest.mark.parametrize("command", ["generate", "eval"])
def test_the_links_note_of_lm_names_the_subcommand_run(tmp_path, command):
    # `rnnlab lm generate --run DIR` with DIR/model linked elsewhere said
    # "rnnlab lm: note: ...", not the command the user ran
    run, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    run.mkdir()
    (elsewhere / "model").mkdir(parents=True)
    (elsewhere / "model" / "model.json").write_text("{}")
    (run / "model").symlink_to(elsewhere / "model")
    done = _python(f"import sys; from rnnlab.cli import main; "
                   f"sys.exit(main(['lm', {command!r}, '--run', {str(run)!r}]))", tmp_path)
    said = words(done.stderr)
    assert f"rnnlab lm {command}: note: {run}: reading through links that lead out of it: " \
           f"model -> {(elsewhere / 'model').resolve()}" in said, done.stderr
    assert "rnnlab lm: note" not in said
