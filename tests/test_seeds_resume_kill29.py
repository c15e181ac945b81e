"""Session 29: a ``rnnlab forecast --seeds`` run killed outright (SIGKILL) after its first
seed, then resumed. Only a seed whose run finished reads as finished: ``rnnlab runs``
lists seed 0 finished and no row for the seeds the kill kept it from (none of their
folders exists), and the resume trains them and writes the summary over every seed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]
TINY = ["--data", "airline", "--epochs", "2", "--ensemble", "1", "--hidden-size", "4",
        "--select", "network", "--no-progress"]


def _runs(path: Path, capsys) -> dict:
    assert main(["runs", str(path)]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {Path(r["run"]).name: r["finished"] for r in rows}


# where the kill comes: before seed 1 starts, or once seed 1 has written its results
# (metrics.json and all) but before it is marked finished
KILLS = {
    "before seed 1": ("def one(args, out, seed, top):\n"
                      "    if seed == 1:\n"
                      "        os.kill(os.getpid(), signal.SIGKILL)\n"
                      "    return real(args, out, seed, top)\n"
                      "r.train_one = one\n"),
    "in seed 1's results": ("real_write = r.write_outputs\n"
                            "def write(f, out, levels):\n"
                            "    ev = real_write(f, out, levels)\n"
                            "    if out.name == 'seed_1':\n"
                            "        os.kill(os.getpid(), signal.SIGKILL)\n"
                            "    return ev\n"
                            "r.write_outputs = write\n"),
}
LISTED = {"before seed 1": {"seeds": "False", "seed_0": "True"},
          "in seed 1's results": {"seeds": "False", "seed_0": "True", "seed_1": "False"}}


@pytest.mark.parametrize("kill", sorted(KILLS))
def test_a_killed_seeds_run_lists_only_the_seeds_that_finished(kill, tmp_path, capsys):
    out = tmp_path / "seeds"
    script = ("import os, signal, sys\n"
              "import rnnlab.forecast.run_one as r\n"
              "from rnnlab.cli import main\n"
              "real = r.train_one\n" + KILLS[kill] +
              "sys.exit(main(sys.argv[1:]))\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    run = subprocess.run([sys.executable, "-c", script, "forecast", *TINY, "--seeds", "0",
                          "1", "2", "--out", str(out)], capture_output=True, text=True,
                         env=env, timeout=600)
    assert run.returncode == -signal.SIGKILL, run.stderr[-800:]
    assert (out / "seed_1" / "metrics.json").exists() == (kill != "before seed 1")
    # (the run whole: unfinished; a seed never reached: no row)
    assert _runs(out, capsys) == LISTED[kill]
    assert not (out / "summary.json").exists()
    assert main(["forecast", "--resume", str(out)]) == 0
    capsys.readouterr()
    assert _runs(out, capsys) == {f"seed_{s}": "True" for s in range(3)}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["seeds"] == [0, 1, 2]
