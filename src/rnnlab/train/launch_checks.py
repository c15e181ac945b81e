"""What a run's device settings need from this machine, checked before anything starts.

:func:`check_launchable` refuses, with what was asked, what is here and what to do, the
:class:`~rnnlab.train.distributed.DeviceConfig` that cannot run: CUDA (or 16-mixed, which
needs it) on a machine without CUDA, more processes than devices, several nodes without
the environment a launcher (torchrun) sets, or a launcher whose group size is not the one
asked for, a worker process that is still starting up (a script without ``if __name__ ==
"__main__":``). The commands call it before they write their run directory; :func:`launch`
calls it again (the Python API), before it starts a process.
"""

from __future__ import annotations

import os
import warnings

from ..io.errors import ConfigError

LAUNCHER_ENV = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")  # torchrun sets them


def picked_by_device(cfg, device):
    """``cfg`` with the accelerator a command's ``--device`` picks when --accelerator is auto
    (--device cuda[:N]: cuda; cpu: cpu), as the training itself will take it."""
    import dataclasses

    device = str(device or "auto")
    if cfg.accelerator != "auto" or device == "auto":
        return cfg
    return dataclasses.replace(cfg, accelerator="cuda" if device.startswith("cuda") else "cpu")


def under_launcher() -> bool:
    """Whether a launcher (torchrun) started this process: RANK and WORLD_SIZE are set."""
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ


def is_main_process() -> bool:
    """Whether this process writes: rank 0 of a launcher's (torchrun's) group, or the only
    process (no RANK set); the other ranks only compute. RANK is read as torch reads it,
    an integer ("00" is rank 0); text that is no rank is not rank 0."""
    rank = os.environ.get("RANK", "0").strip()
    return rank.isdigit() and int(rank) == 0


class OneProcessNote(UserWarning):
    """strategy 'ddp' asked for a run of one process: no DDP group is formed."""


def one_process_note(cfg) -> str:
    """The note for ``--strategy ddp`` in a run of one process (``--devices 1``, one node,
    no launcher), which trains as without it; "" otherwise."""
    if cfg.strategy != "ddp" or cfg.devices * cfg.num_nodes != 1 or under_launcher():
        return ""
    return ("strategy ddp with one device (--devices 1 / devices=1) on one node: no DDP "
            "group is formed, the run trains in this one process as without ddp; give "
            "--devices N (devices=N), N > 1, to train data-parallel")


def check_launchable(cfg) -> None:
    """Raise ValueError when ``cfg`` (a DeviceConfig) cannot run here; warn
    (:class:`OneProcessNote`) when it asks for ddp in one process."""
    from .distributed import _on_cuda, check_device_count

    import torch

    check_not_a_worker_starting()
    cuda = _on_cuda(cfg.accelerator)
    if cuda and not torch.cuda.is_available():
        raise ConfigError("training on CUDA was asked for (--accelerator cuda or --device cuda) "
                          "and CUDA is not available here (a CPU-only torch or no GPU); use "
                          "--accelerator cpu (or auto)")
    if cfg.precision == "16-mixed" and not cuda:
        raise ConfigError("--precision 16-mixed needs a CUDA device (float16 autocast with "
                          "loss scaling), and this run trains on the CPU; use --precision "
                          "bf16-mixed (mixed precision on the CPU) or 32")
    note = one_process_note(cfg)
    if note:  # (from here, not the caller: said once though a command checks twice)
        warnings.warn(note, OneProcessNote)
    if under_launcher() or cfg.devices * cfg.num_nodes > 1:  # (a group is formed: its wait)
        from .join_timeout import join_timeout_s

        join_timeout_s()  # (RNNLAB_JOIN_TIMEOUT that is no number: refused now, not in each worker)
    if under_launcher():  # launch() joins that group
        _check_launcher_env(cfg)
        return
    if cfg.num_nodes > 1:
        present = [k for k in LAUNCHER_ENV if k in os.environ]
        raise ConfigError(
            f"--num-nodes {cfg.num_nodes} needs one launcher per node, and none started this "
            f"process ({', '.join(LAUNCHER_ENV)} are " + (
                f"not all set: only {', '.join(present)}" if present else "not set") +
            f"): run `torchrun --nnodes {cfg.num_nodes} --nproc-per-node {cfg.devices} "
            f"--rdzv-endpoint HOST:PORT -m rnnlab.cli …` on every node (see the README)")
    if cfg.devices > 1:
        check_device_count(cfg)
        check_can_start_workers(cfg.devices)


def check_not_a_worker_starting() -> None:
    """Refuse a fit in a worker process that is still starting up: a fit of more than one
    process starts its workers with multiprocessing's spawn, which runs the main script's
    top level again in each. A script that fits at its top level, not under ``if __name__
    == "__main__":``, then trained every fit before it once more in every worker, and
    died on multiprocessing's "An attempt has been made to start a new process before the
    current process has finished its bootstrapping phase"."""
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        from ..io.errors import RnnlabError

        raise RnnlabError(
            "a training worker is starting up and runs your script's top level again, "
            "which fits: a fit on several devices starts its workers by importing the "
            "main script (multiprocessing's spawn). Put the script's code under "
            "`if __name__ == \"__main__\":`")


def check_can_start_workers(devices: int) -> None:
    """Refuse, before anything starts, a fit of ``devices`` spawned workers that this process
    cannot start: in a ``multiprocessing.Pool`` worker (daemonic) it died on Python's bare
    "AssertionError: daemonic processes are not allowed to have children", leaking its
    semaphores; from a script read on standard input (``python - <<EOF``), whose main
    file ``<stdin>`` each worker imports again, every worker died on "No such file or
    directory: '<stdin>'" and the fit on "worker process(es) died"."""
    import multiprocessing.spawn
    import sys

    if multiprocessing.current_process().daemon:
        raise ConfigError(
            f"devices={devices} trains in {devices} worker processes, and this process is a "
            f"daemonic worker (a multiprocessing.Pool's), which cannot start processes: "
            f"fit with devices=1 there, or run the jobs in "
            f"concurrent.futures.ProcessPoolExecutor, whose workers can start them")
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is not None or path is None:
        return  # (`python -m`, an interactive session, a notebook: nothing is read again)
    if getattr(sys, "frozen", False) or multiprocessing.spawn.WINSERVICE:
        return  # (an app made by PyInstaller, a Windows service: their workers start from
        # the executable, not from the main file, which is not on disk in the app)
    # (mypy's [attr-defined]: typeshed lacks this private name, which spawn itself reads)
    base = multiprocessing.process.ORIGINAL_DIR or os.getcwd()
    if not os.path.isfile(os.path.join(base, path)):  # (joined only when relative)
        raise ConfigError(
            f"devices={devices} starts worker processes that each import the main script "
            f"again (multiprocessing's spawn), and this one is {path!r}, not a file they can "
            f"read (a script given on standard input): save it to a .py file and run that, "
            f"or fit with devices=1")


def _check_launcher_env(cfg) -> None:
    missing = [k for k in LAUNCHER_ENV if k not in os.environ]
    if missing:
        raise ConfigError(f"RANK and WORLD_SIZE are set but {', '.join(missing)} not: start "
                          f"the command with torchrun, which sets all of "
                          f"{', '.join(LAUNCHER_ENV)}, or unset RANK and WORLD_SIZE to train "
                          f"without a launcher")
    world = os.environ["WORLD_SIZE"].strip()
    asked = cfg.devices * cfg.num_nodes
    if asked > 1 and str(asked) != world:
        raise ConfigError(f"--devices {cfg.devices} x --num-nodes {cfg.num_nodes} = {asked} "
                          f"processes, and the launcher started WORLD_SIZE={world}: give "
                          f"torchrun --nproc-per-node {cfg.devices} --nnodes {cfg.num_nodes}, "
                          f"or leave --devices/--num-nodes out under torchrun")
