"""Data-parallel training on torch.distributed: DDP over NCCL (GPU) or gloo (CPU).

Two ways in, both standard:

* ``torchrun --nnodes M --nproc-per-node N -m rnnlab.cli …``: torchrun sets RANK,
  WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT and rnnlab joins that group;
* ``rnnlab … --devices N`` on one machine: rnnlab starts N worker processes itself
  (``torch.multiprocessing``), which meet in a private temporary folder
  (:mod:`rnnlab.train.rendezvous`: no port another program could take first). Each
  worker has RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, GROUP_RANK, ... set as
  torchrun sets them (:mod:`rnnlab.train.worker_env`), and no
  MASTER_ADDR/MASTER_PORT, not even ones this process had (a job script's, exported for
  torchrun): this group has no TCP master, and values that name one would send code that
  connects to them (``torch.distributed.rpc``'s env:// default, checkpoint's prefix
  store) to a port no one serves, or another group's, failing after a long timeout;
  unset, such code fails at once on torch's "environment variable MASTER_ADDR expected".
  Ask ``torch.distributed.get_rank()``/``get_world_size()``, or read RANK/WORLD_SIZE;
  code that needs a TCP rendezvous of its own passes its address itself, or runs under
  torchrun.

Everything a run needs is passed to the workers as arguments; nothing global.
The training loop (:func:`rnnlab.train.fit`) receives a :class:`DistContext` and
does the rest: DDP wrapping, sharding each global batch, reducing metrics, and
letting rank 0 alone write. This module starts the processes and joins the group;
the context and the operations across the group are :mod:`rnnlab.train.collectives`
(their names stay importable here).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

import torch
import torch.distributed as dist

from .collectives import (DistContext, all_mean, all_sum, cut_state,  # noqa: F401
                          gather_to_all, join_states, like_tree, map_tree, shard_batch,
                          shard_rows, state_batch_dim)
from .config import ACCELERATORS, STRATEGIES, _whole  # (torch-free, for the parsers)
from ..io.errors import ConfigError
from .worker_architectures import with_own_architectures
from .worker_env import NO_TCP_MASTER, as_worker, set_worker_env  # noqa: F401
# (NO_TCP_MASTER: its old place)
from .worker_errors import own_error, pickled_own_error


@dataclass(frozen=True)
class DeviceConfig:
    accelerator: str = "auto"  # auto | cpu | cuda
    devices: int = 1  # processes (one per device) on this node
    num_nodes: int = 1  # nodes; more than one needs torchrun (see README)
    strategy: str = "auto"  # auto (ddp when devices*num_nodes > 1) | ddp
    precision: str = "32"  # 32 | bf16-mixed | 16-mixed

    def __post_init__(self):
        if self.accelerator not in ACCELERATORS:
            raise ConfigError(f"accelerator must be one of {ACCELERATORS}, got {self.accelerator!r}")
        if self.strategy not in STRATEGIES:
            raise ConfigError(f"strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        for name, n, what in (("devices", self.devices, "processes on this machine"),
                              ("num_nodes", self.num_nodes, "machines")):
            if not _whole(n) or n < 1:
                raise ConfigError(f"{name} (--{name.replace('_', '-')}) must be a whole number "
                                  f">= 1 ({what}), got {n!r}; use 1 for a single process")


def _on_cuda(accelerator: str) -> bool:
    """Whether ``accelerator`` trains on CUDA: "cuda", or "auto" where CUDA is available."""
    return accelerator == "cuda" or (accelerator == "auto" and torch.cuda.is_available())


def _device_for(accelerator: str, local_rank: int) -> torch.device:
    if _on_cuda(accelerator):
        if not torch.cuda.is_available():
            raise ConfigError("accelerator 'cuda' requested but CUDA is not available; use cpu")
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def launch(fn: Callable[..., Any], args: Sequence, cfg: DeviceConfig) -> Any:
    """Run ``fn(ctx, *args)`` on every process of the group; returns rank 0's result
    when running in this process (single process or under torchrun). Settings this
    machine cannot run are refused first (:func:`rnnlab.train.launch_checks.check_launchable`)."""
    from .launch_checks import check_launchable, under_launcher

    check_launchable(cfg)
    if under_launcher():  # started by torchrun
        return _worker(int(os.environ.get("LOCAL_RANK", 0)), fn, args, cfg, None)
    if cfg.devices == 1:
        ctx = DistContext(device=_device_for(cfg.accelerator, 0))
        return fn(ctx, *args)
    return _spawn(fn, args, cfg)


CPU_PROCESSES_PER_CORE = 4  # more only slows training down (each is a whole torch process)


def check_device_count(cfg: DeviceConfig) -> None:
    """Refuse, before anything starts, more processes than this machine can hold: more
    than its GPUs on CUDA, more than a few per core on the CPU (``--devices 1000`` used to
    start a thousand torch processes and hang)."""
    if _on_cuda(cfg.accelerator):
        have = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if have == 0:
            raise ConfigError("accelerator 'cuda' requested but CUDA is not available here; "
                              "use --accelerator cpu")
        if cfg.devices > have:
            raise ConfigError(f"--devices {cfg.devices} asks for one process per GPU, and this "
                              f"machine has {have} GPU(s); use --devices {max(1, have)} or fewer")
        return
    cores = os.cpu_count() or 1
    most = CPU_PROCESSES_PER_CORE * cores
    if cfg.devices > most:
        raise ConfigError(f"--devices {cfg.devices} asks for {cfg.devices} training processes on "
                          f"a CPU with {cores} core(s); at most {most} ({CPU_PROCESSES_PER_CORE} "
                          f"per core) are started: use --devices {cores} (one per core) or fewer")


def _spawn(fn, args, cfg: DeviceConfig) -> None:
    """Start ``cfg.devices`` worker processes, which meet in a private FileStore (removed
    when they are all gone, failed or not), and wait for all of them (:func:`_run_workers`)."""
    from .rendezvous import private_store

    with private_store() as store:
        return _run_workers(fn, args, cfg, store)


def _run_workers(fn, args, cfg: DeviceConfig, store: str) -> None:
    """Start ``cfg.devices`` worker processes and wait for all of them
    (:mod:`rnnlab.train.worker_pool`).

    Signals: the workers run in their own process group, so a Ctrl-C at the terminal
    reaches this process only, which forwards each SIGINT/SIGTERM to every worker once
    (the training loop finishes the step, checkpoints and stops); a worker whose parent
    dies gets SIGTERM (Linux: the kernel; elsewhere: :mod:`.parent_watch`). Errors: a
    worker's rnnlab error (TrainingInterrupted with its exit code, TrainingDiverged,
    DataError, ...) is raised again here, by type; when one worker fails, the others get a
    grace period to finish before they are stopped, or are stopped at once when the group
    had not met yet."""
    from .rendezvous import group_met
    from .worker_pool import (died_error, first_cause, forwarding_signals, naming_silent_deaths,
                              silent_deaths, start_all, wait_all)
    from .worker_reports import report_queues

    fn = with_own_architectures(fn)  # (a notebook's `import mycells`: not run there)
    mp = torch.multiprocessing.get_context("spawn")
    errors = report_queues(mp, cfg.devices)  # (one each: a worker killed mid-report blocks
    # no other's report, .worker_reports)
    # on the CPU the workers share this process's threads (--threads N: N in all, not N each;
    # a spawned torch took every core per process, oversubscribing the CPU N times)
    threads = 0 if _on_cuda(cfg.accelerator) else max(1, torch.get_num_threads() // cfg.devices)
    procs = [mp.Process(target=_spawned, args=(r, fn, args, cfg, store, errors[r],
                                               os.getpid(), threads), daemon=False)
             for r in range(cfg.devices)]
    start_all(procs, lambda r: as_worker(r, cfg.devices))  # (torchrun's variables from the
    # start: the main script's top level and the task's modules read them, .worker_env)
    with forwarding_signals(procs):
        reports, early, stopped = wait_all(procs, errors, lambda: group_met(store))
    if reports:  # (the cause, not what it caused in the others)
        raise naming_silent_deaths(_rebuild_error(first_cause(reports)),
                                   silent_deaths(procs, reports, stopped))
    died = died_error(procs, early)
    if died is not None:
        raise died
    return None


def _spawned(local_rank: int, fn, args, cfg: DeviceConfig, store: str, errors, parent: int,
             threads: int = 0):
    import sys
    import traceback

    if hasattr(os, "setpgid"):  # (POSIX; Windows has none: a console's Ctrl-C reaches every
        try:  # process attached to it, the workers too, and the parent forwards nothing)
            os.setpgid(0, 0)  # terminal signals reach the parent, which forwards them once
        except OSError:
            pass
    from .parent_watch import stop_with_parent

    stop_with_parent()  # (Linux: the kernel's SIGTERM; elsewhere, or refused: a thread)
    if os.getppid() != parent:  # the parent died before that
        sys.exit(143)
    if threads:
        torch.set_num_threads(threads)
    code = 0
    try:
        _worker(local_rank, fn, args, cfg, store)
    except BaseException as e:  # noqa: BLE001 (reported to the parent, then exit non-zero)
        errors.put((local_rank, type(e).__module__, type(e).__qualname__, str(e),
                    getattr(e, "exit_code", None), traceback.format_exc(),
                    getattr(e, "where", None), pickled_own_error(e)))  # (.worker_errors)
        code = 1
    # skip the interpreter's teardown: gloo's threads can make C++ static destructors call
    # std::terminate ("terminate called without an active exception", SIGABRT) at exit
    _release_semaphores()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _release_semaphores() -> None:
    """Unlink the named semaphores this worker created, as a normal exit would.

    A spawned worker's multiprocessing objects are named and registered with the parent's
    resource tracker (tqdm's progress-bar lock is one: rank 0 creates it); ``os._exit``
    skips the finalizers that unregister them, so the tracker warned "There appear to be 1
    leaked semaphore objects to clean up at shutdown" at the end of every ddp run with a
    progress bar. multiprocessing's own exit runs these finalizers (priority >= 0) the same way."""
    try:
        from multiprocessing import util

        util._run_finalizers(0)  # (mypy's [attr-defined]: a private name typeshed lacks)
    except Exception:  # noqa: BLE001 (best effort: the tracker unlinks what is left)
        pass


def _rebuild_error(report) -> BaseException:
    import importlib

    from ..io.errors import RnnlabError

    rank, module, name, message, exit_code, tb, where = report[:7]
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        cls = None
    if isinstance(cls, type) and issubclass(cls, RnnlabError):
        if exit_code is not None:
            try:  # (TrainingInterrupted's where: what stopped, for the command's message)
                return cls(message, exit_code, **({"where": where} if where else {}))
            except TypeError:
                pass
        try:
            return cls(message)
        except TypeError:
            pass
    if cls is KeyboardInterrupt:
        return KeyboardInterrupt()
    own = own_error(report[7] if len(report) > 7 else None, rank, tb)  # (a tuner's pruning)
    if own is not None:
        return own
    return RnnlabError(f"worker rank {rank} failed with {name}: {message}\n{tb}")


def _worker(local_rank: int, fn, args, cfg: DeviceConfig, store: Optional[str]):
    """Join the group (torchrun's env:// when ``store`` is None, else the spawn path's
    FileStore at ``store``) and run ``fn(ctx, *args)``."""
    from .rendezvous import join_group

    if store is not None:  # (RANK, LOCAL_WORLD_SIZE, ...: what the run's code reads, as
        set_worker_env(local_rank, cfg.devices)  # under torchrun; no MASTER_ADDR/PORT)
    device = _device_for(cfg.accelerator, local_rank)
    backend = "nccl" if device.type == "cuda" else "gloo"
    if store is None:  # (torchrun's group: bounded by the join timeout too, .join_timeout)
        from .join_timeout import after_join, joining

        joining(lambda timeout: dist.init_process_group(backend, timeout=timeout),
                _env_int("RANK", local_rank), _env_int("WORLD_SIZE", 1))
        after_join(backend)
    else:
        join_group(backend, local_rank, cfg.devices, store)
    ctx = DistContext(dist.get_rank(), dist.get_world_size(), local_rank, device)
    # on an error (a signal's TrainingInterrupted included) the group is not destroyed:
    # destroy_process_group waits on peers that may already have gone (measured: 60 s to
    # forever after a SIGTERM with 2 processes); the process ends right after anyway
    result = fn(ctx, *args)
    dist.destroy_process_group()
    return result


def _env_int(name: str, default: int) -> int:
    """The whole number in environment variable ``name`` (torchrun's), else ``default``."""
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default
