"""What differs between the software and machine a run recorded and those of the run that
repeats it (``--config RUN_DIR``) or resumes it (``--resume``), where the difference can
change a seeded run's numbers.

On the CPU a seed gives the same numbers run after run only with the same rnnlab, torch
and NumPy, the same CPU kernels (torch's ``torch_cpu_kernels``, oneDNN's
``ONEDNN_MAX_CPU_ISA``), the same CPU model and the same number of threads: their
last-bit differences grow over a training run (an LSTM trained on 1 and on 2 threads,
or under ``ONEDNN_MAX_CPU_ISA=AVX2`` on an AVX-512 CPU, ends with other metrics). A
repeat under any other says so, naming what to set to repeat it exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from .json_file import peek_json

# the fields of versions() that change a seeded run's numbers, in the order they are named
NUMERIC = ("rnnlab", "torch", "numpy", "torch_cpu_kernels", "onednn_max_cpu_isa", "cpu",
           "threads")


def differences(was: dict, now: dict) -> List[str]:
    """``"threads 2 (now 1)"`` for each field of :data:`NUMERIC` that differs; a field the
    record lacks (an older rnnlab's) is not compared, but for oneDNN's limit, which a
    record names only where one was set (so none, where the record names torch's kernels)."""
    out = []
    for key in NUMERIC:
        if key == "onednn_max_cpu_isa" and was.get("torch_cpu_kernels"):
            before, after = was.get(key) or "none", now.get(key) or "none"
        elif was.get(key) is None or key not in now:
            continue
        else:
            before, after = was[key], now[key]
        if before != after:
            out.append(f"{key} {before} (now {after})")
    return out


def fixes(was: dict, now: dict) -> List[str]:
    """What to set to repeat a record's run here, for the fields that say it."""
    out = []
    if was.get("threads") is not None and now.get("threads") != was["threads"]:
        out.append(f"--threads {was['threads']}")
    limit = was.get("onednn_max_cpu_isa")
    if was.get("torch_cpu_kernels") and limit != now.get("onednn_max_cpu_isa"):
        out.append(f"ONEDNN_MAX_CPU_ISA={limit}" if limit else "unset ONEDNN_MAX_CPU_ISA")
    kernels = was.get("torch_cpu_kernels")
    if kernels and now.get("torch_cpu_kernels") not in (None, kernels):
        out.append(f"ATEN_CPU_CAPABILITY={str(kernels).lower()} (on a CPU that has them)")
    for key in ("rnnlab", "torch", "numpy"):
        if was.get(key) and now.get(key) and was[key] != now[key]:
            out.append(f"{key} {was[key]}")
    return out


def recorded_versions(path) -> Optional[dict]:
    """The ``versions`` a run directory's record holds (``path``: the run directory or a
    file in it; its ``config.json``, else a run of several seeds' ``summary.json``), or
    None where it holds none (a settings file of one's own)."""
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    for name in ("config.json", "summary.json"):
        data = peek_json(folder / name)  # (a pipe or /dev/zero there: not read)
        found = data.get("versions") if isinstance(data, dict) else None
        if isinstance(found, dict) and "rnnlab" in found:
            return found
    return None


def drift_warning(where: str, was: dict, now: dict) -> Optional[str]:
    """The warning for a repeat of a record under other software or machine (None when
    nothing that changes the numbers differs)."""
    differ = differences(was, now)
    if not differ:
        return None
    todo = fixes(was, now)
    how = f"; to repeat it exactly: {', '.join(todo)}" if todo else ""
    return (f"{where}: the run was recorded with {', '.join(differ)}: the same seed gives "
            f"the same numbers only with the same versions, CPU kernels, CPU and threads, "
            f"so this run's may differ in their last digits{how}")
