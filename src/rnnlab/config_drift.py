"""``--config RUN_DIR``: a warning where the record's run had other versions, CPU kernels
or threads than the repeat of it will (:mod:`rnnlab.io.record_drift`): its numbers may
differ in their last digits, and the warning names what to set to repeat it exactly."""

from __future__ import annotations

import argparse

from .config_file import record_files
from .warning_lines import print_warning


def say_drift(args: argparse.Namespace, name: str) -> None:
    """The warning for each run record among the ``--config`` files read (``args.config``:
    one path or a list of them, absolute after :func:`rnnlab.config_option.apply_config`)."""
    for path in record_files(args.config):
        _say(args, path, name)


def _say(args: argparse.Namespace, path, name: str) -> None:
    from .io.record_drift import drift_warning, recorded_versions
    from .io.versions import versions

    was = recorded_versions(path)
    if was is None:
        return
    import torch  # (the command's anyway: versions() reads its kernels)

    now = versions()
    threads = getattr(args, "threads", None)  # (None, 0: torch's default, as the run's)
    now["threads"] = threads if isinstance(threads, int) and threads > 0 else \
        torch.get_num_threads()
    if getattr(args, "devices", None) not in (None, 1):
        now["threads"] = was.get("threads")  # (split over its processes: not compared)
    warning = drift_warning(f"--config {path.parent}", was, now)
    if warning:
        print_warning(f"rnnlab {name}: warning: {warning}")
