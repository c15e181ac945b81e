"""How long the processes of a data-parallel run wait for each other to form their group
(``--devices N``, torchrun), and the error when one never comes.

A worker that is alive but hung before the group has met (stuck importing a module on a
network file system, unpickling a large argument, waiting on a lock) made the others wait
in ``init_process_group`` for torch's default, 30 minutes, before anything was said; the
parent could not tell it from a slow start. The group now has :data:`DEFAULT_S` (5
minutes) to form, or what the environment variable :data:`ENV` says (seconds); then the
ranks waiting fail, naming the ranks that never arrived and the variable, and the parent
stops the rest at once (a worker that failed before the group met). Once the group has
formed, its operations (all-reduces, barriers) get torch's own default again: a rank that
writes a long checkpoint while the others wait must not fail them.

An environment variable, not a command-line option: it reaches every way in alike
(the commands, ``Forecaster.fit(devices=N)``, ``CharLM.fit``, ``launch``, torchrun's
workers), and it is how long this machine takes to start a process, not a setting of the
run to record.
"""

from __future__ import annotations

import math
import os
from datetime import timedelta
from typing import Callable, List, Optional, Sequence

from ..io.errors import ConfigError, RnnlabError

ENV = "RNNLAB_JOIN_TIMEOUT"  # seconds the processes wait for each other to form the group
DEFAULT_S = 300.0  # 5 minutes: a loaded machine starts a torch process in well under one


def join_timeout_s() -> float:
    """The seconds given by :data:`ENV` (a number > 0), else :data:`DEFAULT_S`; anything
    else is refused, naming the variable."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return DEFAULT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 7 * 86400):
        raise ConfigError(f"{ENV} must be the seconds the training processes wait for each "
                          f"other to start and meet, a number > 0 (at most a week), got "
                          f"{text!r}; unset it for {DEFAULT_S:g} s")
    return seconds


def join_timeout() -> timedelta:
    """:func:`join_timeout_s` as the ``timeout`` torch takes."""
    return timedelta(seconds=join_timeout_s())


def after_join(backend: str, store=None) -> None:
    """Give the group's operations and its store's waits (``store``, else the group's own:
    torchrun's) torch's default timeout again once the group has formed (best effort:
    torch's private setter may be gone)."""
    from torch.distributed import distributed_c10d as c10d
    from torch.distributed.constants import default_pg_timeout

    try:
        default: timedelta = c10d._get_default_timeout(c10d.Backend(backend))
    except Exception:  # noqa: BLE001 (a torch without it: its 30 minutes)
        default = default_pg_timeout
    import torch.distributed as dist

    setter = getattr(dist, "set_timeout", None) or c10d._set_pg_timeout  # (public from
    try:  # a later torch on; gloo's collectives follow it, measured: tests/test_join_timeout28)
        setter(default)
    except Exception:  # noqa: BLE001 (the join's timeout stays: a few minutes)
        pass
    if store is None:  # (torchrun's env://: the store init_process_group made, given the
        try:  # join's timeout: NCCL reads a communicator's id from it at its first use)
            store = c10d._get_default_store()
        except Exception:  # noqa: BLE001 (best effort, as above)
            return
    store.set_timeout(default)


def not_joined_error(rank: int, world_size: int, seconds: float,
                     missing: Optional[Sequence[int]], cause: BaseException) -> RnnlabError:
    """Rank ``rank``'s error when the group of ``world_size`` did not form within
    ``seconds``; ``missing``: the ranks that never arrived (None where unknown)."""
    if missing:
        who = (f"worker rank{'s' if len(missing) > 1 else ''} "
               f"{', '.join(str(r) for r in missing)} never reached the rendezvous (alive "
               f"but hung, or still starting: its output above may say where)")
    elif missing is not None:
        who = "every rank reached the rendezvous, but one hung while joining"
    else:
        who = "a rank did not come (under torchrun: see each rank's output)"
    return RnnlabError(
        f"the {world_size} training processes did not form their group within {seconds:g} s "
        f"(rank {rank} waited): {who} ({type(cause).__name__}: {str(cause)[:200]}); fix "
        f"that, or give them longer with the environment variable {ENV}=SECONDS "
        f"(default {DEFAULT_S:g})")


def joining(join: Callable[[timedelta], None], rank: int, world_size: int,
            absent: Callable[[], Optional[List[int]]] = lambda: None) -> None:
    """Run ``join(timeout)`` (what forms the group, bounded by the join timeout); an error
    it raises once that time has passed is the group not formed: :func:`not_joined_error`,
    naming the ranks ``absent()`` gives. An earlier error (a peer that ended: "Connection
    closed by peer") is raised as it is."""
    import time

    seconds = join_timeout_s()
    started = time.monotonic()
    try:
        join(timedelta(seconds=seconds))
    except Exception as e:  # noqa: BLE001 (torch's RuntimeError "Wait timeout", DistStoreError)
        if time.monotonic() - started < 0.9 * seconds:
            raise
        raise not_joined_error(rank, world_size, seconds, absent(), e) from e
