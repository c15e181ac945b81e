"""``rnnlab bench --isolate``: each (workload, model) in its own process.

A CUDA error such as a device-side assert poisons the process that hit it: every later
CUDA call fails, and a failed graph capture can leave the RNG in capture mode. Run
apart, a crash costs only its own rows: the parent reports them failed, with the
child's last words, and goes on. Anchors (torch.nn) are measured again in each child,
so every ratio still compares rows timed in one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Callable, Iterable, List, Optional, Sequence

from .outcome import is_run_end
from .record import load_results
from .suite import Result


def child_argv(options: Sequence[str], config: str, model: str, json_path: str) -> List[str]:
    """``python -m rnnlab.bench`` with ``options``, for one (config, model), writing its
    rows to ``json_path``."""
    return [sys.executable, "-m", "rnnlab.bench", *options, "--configs", config,
            "--models", model, "--json", json_path]


def run_isolated(pairs: Iterable[tuple], command: Callable[[str, str, str], List[str]],
                 timeout: Optional[float], on_result: Callable[[Result], None],
                 env: Optional[dict] = None) -> List[Result]:
    """Run ``command(config, model, json_path)`` per pair; collect its rows, or one failed
    row saying why the process gave none (its exit status and last stderr line)."""
    results: List[Result] = []
    said: set = set()  # the children's notes already passed on (every child says the same)
    for config, model in pairs:
        with tempfile.TemporaryDirectory(prefix="rnnlab-bench-") as tmp:
            path = os.path.join(tmp, "rows.json")
            reason = None
            try:
                done = subprocess.run(command(config, model, path), capture_output=True,
                                      text=True, timeout=timeout, env=env)
                if done.returncode != 0 or not os.path.exists(path):
                    last = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
                    said_last = (last[-1] if last else "no message")[:200].replace("|", "/")
                    reason = f"failed: process exited with status {done.returncode}: {said_last}"
                for line in done.stderr.splitlines():  # skips and warnings, each once a run
                    if line.startswith("rnnlab bench:") and line not in said \
                            and not is_run_end(line):  # (this run's own end is said once)
                        said.add(line)
                        print(line, file=sys.stderr)
            except subprocess.TimeoutExpired:
                reason = f"failed: over the process time cap of {timeout:g} s (--process-seconds)"
            rows = []
            if os.path.exists(path):
                try:  # checked: a malformed file costs this pair's rows, not the run
                    rows = load_results(path)[1]
                except ValueError as e:
                    reason = f"failed: the process's rows are unreadable: {e}"[:300].replace(
                        "|", "/")  # (a table cell)
            if not rows:
                rows = [Result(config, model, "-", 0, "-", "-", None, None, None, "-", None,
                               error=reason or "failed: no rows")]
            for r in rows:
                results.append(r)
                on_result(r)
    return results
