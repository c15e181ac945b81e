"""A spawned worker's exception of the caller's own kind, raised again in the parent as
itself (``fit(devices=2, on_epoch=fn)``).

A worker reports its error by module, class name and message, and the parent rebuilds
rnnlab's errors by type and wraps any other in a RnnlabError ("worker rank 0 failed with
..."). An exception of the user's own class (a tuner's ``on_epoch`` pruning a trial:
Optuna's ``TrialPruned``) then came back as a RnnlabError, which ``except TrialPruned``
did not catch: the trial was counted as failed, not pruned. Such an exception (of a class
from neither Python, torch, numpy nor rnnlab) is sent pickled beside the report and raised
as itself, the worker's traceback in a note; Python's (its whole standard library's),
torch's and numpy's errors stay RnnlabErrors (one base class to catch), and so does an
exception that does not pickle."""

from __future__ import annotations

import pickle
import sys
from typing import Optional

_LIBRARIES = ("builtins", "torch", "numpy", "rnnlab", "multiprocessing")


def _python_or_ours(root: str) -> bool:
    """Whether a module's top package is Python's own (any of its standard library:
    ``json.decoder``'s JSONDecodeError, ``subprocess``'s CalledProcessError, ``_queue``'s
    Empty, not ``builtins`` alone), torch's, numpy's or rnnlab's."""
    return root in _LIBRARIES or root in getattr(sys, "stdlib_module_names", ())


def pickled_own_error(e: BaseException) -> Optional[bytes]:
    """``e`` pickled when it is an Exception of the user's own class; else None."""
    root = (type(e).__module__ or "").split(".")[0]
    if not isinstance(e, Exception) or _python_or_ours(root):
        return None
    try:
        return pickle.dumps(e)
    except Exception:  # noqa: BLE001 (a lock or a lambda in it: reported by name instead)
        return None


def own_error(data: Optional[bytes], rank: int, tb: str) -> Optional[Exception]:
    """The worker's exception from :func:`pickled_own_error`'s bytes (sent by this run's own
    worker), with its traceback as a note; None where there is none or it does not load
    here (a class this process cannot import, an ``__init__`` its arguments do not fit)."""
    if data is None:
        return None
    try:
        e = pickle.loads(data)
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(e, Exception):
        return None
    if hasattr(e, "add_note"):  # (Python 3.11+)
        e.add_note(f"(raised in training worker rank {rank}:\n{tb.rstrip()})")
    return e
