"""What a benchmarks/articles*.sh script runs, found by running it: a stand-in ``rnnlab``
package put first on PYTHONPATH writes down each call's arguments and the CPU-kernel limits
its environment set, instead of training. Tests then hold every run record's command to
the call that wrote its folder, so a change to the script (an option dropped from its
``run`` helper, a limit no longer passed on) shows as a record the script no longer makes."""

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# the environment variables that limit torch's and oneDNN's CPU kernels (docs/articles.md)
LIMITS = ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")

_STAND_IN = """import json, os, sys
with open(os.environ["ARTICLES_CALLS"], "a", encoding="utf-8") as log:
    log.write(json.dumps({"argv": sys.argv[1:],
                          "limits": {k: os.environ[k] for k in %r if k in os.environ}}) + "\\n")
"""


@functools.lru_cache(maxsize=None)
def script_calls(script: Path) -> dict:
    """{folder name: (arguments less ``--out DIR``, {limit: value})} for each run ``script``
    makes into the OUTDIR it is given; each folder is made once, directly under OUTDIR."""
    if shutil.which("bash") is None or shutil.which("uptime") is None:
        pytest.skip("the benchmark scripts need bash and uptime")
    with tempfile.TemporaryDirectory() as tmp:
        fake = Path(tmp) / "stand-in" / "rnnlab"
        fake.mkdir(parents=True)
        (fake / "__init__.py").write_text("", encoding="utf-8")
        (fake / "__main__.py").write_text(_STAND_IN % (LIMITS,), encoding="utf-8")
        out, log = Path(tmp) / "out", Path(tmp) / "calls.jsonl"
        env = {k: v for k, v in os.environ.items() if k not in LIMITS}
        env.update(PYTHONPATH=str(fake.parent), PYTHON=sys.executable, ARTICLES_CALLS=str(log))
        done = subprocess.run(["bash", str(script.resolve()), str(out)], env=env, cwd=tmp,
                              timeout=120, capture_output=True, text=True)
        assert done.returncode == 0, (script.name, done.stderr[-2000:])
        calls = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            call = json.loads(line)
            argv = call["argv"]
            folder = Path(argv[argv.index("--out") + 1])
            assert folder.parent == out and folder.name not in calls, (script.name, argv)
            i = argv.index("--out")
            calls[folder.name] = (argv[:i] + argv[i + 2:], call["limits"])
    return calls
