"""``rnnlab bench --isolate``: each (workload, model) in its own process.

A CUDA error such as a device-side assert poisons the process that hit it: every later
CUDA call fails, and a failed graph capture can leave the RNG in capture mode. Run
apart, a crash costs only its own rows: the parent reports them failed, with the
child's last words (after the rows it timed before, when it wrote some), and goes on.
Anchors (torch.nn) are measured again in each child, so every ratio still compares rows
timed in one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Callable, Iterable, List, Optional, Sequence

from .measure import cut_at_word
from .outcome import is_run_end
from .record import load_results
from .suite import Result


def child_argv(options: Sequence[str], config: str, model: str, json_path: str) -> List[str]:
    """``python -m rnnlab.bench`` with ``options``, for one (config, model), writing its
    rows to ``json_path``. The options ``model`` does not read (--paths, --depth: names.READERS)
    are left out: the child refuses them."""
    from .names import READERS

    mine, given = [], list(options)
    while given:
        opt = given.pop(0)
        if opt in READERS and model not in READERS[opt]:
            given.pop(0)  # (its value)
        else:
            mine.append(opt)
    return [sys.executable, "-m", "rnnlab.bench", *mine, "--configs", config,
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
                status, stderr = _run_child(command(config, model, path), timeout, env)
                if status != 0 or not os.path.exists(path):
                    last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
                    said_last = cut_at_word(last[-1] if last else "no message").replace("|", "/")
                    reason = f"failed: process exited with status {status}: {said_last}"
                for line in stderr.splitlines():  # skips and warnings, each once a run
                    if line.startswith("rnnlab bench:") and line not in said \
                            and not is_run_end(line):  # (this run's own end is said once)
                        said.add(line)
                        print(line, file=sys.stderr)
            except subprocess.TimeoutExpired:
                reason = f"failed: over the process time cap of {timeout:g} s (--process-seconds)"
            except KeyboardInterrupt:  # the rows the process kept on its way out, then stop
                for r in _rows_left(path):
                    results.append(r)
                    on_result(r)
                raise
            rows: List[Result] = []
            ended = True
            if os.path.exists(path):
                try:  # checked: a malformed file costs this pair's rows, not the run
                    doc, rows = load_results(path)
                    ended = doc.get("interrupted") is not True  # (rewritten after each row)
                except ValueError as e:
                    reason = f"failed: the process's rows are unreadable: {e}"[:300].replace(
                        "|", "/")  # (a table cell)
            if not rows:
                rows = [_failed_row(config, model, reason or "failed: no rows")]
            elif reason is not None and not ended:  # stopped between its rows (crashed, over
                # the time cap): those it timed are kept, and one row says why the rest lack
                rows.append(_failed_row(config, model, f"{reason} (after {len(rows)} row(s); "
                                                       f"the others were not measured)"))
            for r in rows:
                results.append(r)
                on_result(r)
    return results


def _failed_row(config: str, model: str, reason: str) -> Result:
    """The row that says why a process gave no rows, or no more rows, for (config, model)."""
    return Result(config, model, "-", 0, "-", "-", None, None, None, "-", None, error=reason)


GRACE_SECONDS = 10.0  # for an interrupted process to write the rows it timed


def _run_child(argv: List[str], timeout: Optional[float], env: Optional[dict]):
    """(exit status, stderr) of one process. Interrupted (Ctrl-C, SIGTERM), this one
    waits for the process to write the rows it timed (:mod:`.measure` keeps them) and
    exit: Ctrl-C at a terminal reaches it too; when it has not stopped within
    ``GRACE_SECONDS`` (a SIGTERM sent to this process alone) it is sent SIGTERM, which
    it takes as Ctrl-C (``python -m rnnlab.bench``), and at last killed."""
    # the child writes UTF-8 and it is read so, bytes that are not as U+FFFD: decoded in
    # the locale's encoding (cp1252 on Windows) and strictly, a byte outside it (a C
    # library's message) ended the whole benchmark in UnicodeDecodeError
    env = {**(os.environ if env is None else env), "PYTHONIOENCODING": "utf-8"}
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          encoding="utf-8", errors="replace", env=env) as proc:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        except KeyboardInterrupt:
            for stop in (None, proc.terminate, proc.kill):  # (no second signal while it
                if stop is not None:  # may still be writing: that would cut the write)
                    stop()
                try:
                    proc.wait(GRACE_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    continue
            raise
        return proc.returncode, stderr


def _rows_left(path: str) -> List[Result]:
    """The rows an interrupted process wrote, or none (it wrote no file, or half of none)."""
    try:
        return load_results(path)[1] if os.path.exists(path) else []
    except ValueError:
        return []
