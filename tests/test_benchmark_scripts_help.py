"""Every benchmark script answers --help with its usage and starts nothing (some started a
run, two failed on float('--help'))."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p.name for p in (ROOT / "benchmarks").glob("*.py")
                 if p.name not in ("script_help.py", "panel_common.py"))


@pytest.mark.slow  # (a process per script: about a minute in all)
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_script_answers_help(script, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() and "Traceback" not in run.stderr
    assert not list(tmp_path.iterdir())  # nothing written
