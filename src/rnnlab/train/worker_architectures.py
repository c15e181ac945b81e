"""A spawned training worker knows the architectures this process registered.

``register_architecture`` adds to this process's registry; a worker started with spawn
has only rnnlab's own and the installed entry points', plus what re-running the main
script registers. From a notebook (or ``python -c``), whose code the workers do not run,
``import mycells`` then ``Forecaster(model="mgu").fit(y, devices=2)`` failed in every
worker on "unknown model 'mgu' ... import it before building": it was imported. Each
worker now registers those the parent has that it does not (their ``build`` pickled by
name: the worker imports its module); one whose ``build`` is defined in the notebook
itself cannot be sent: a model of it is refused there, saying so (not "unknown model").
"""

from __future__ import annotations

from typing import Any, Callable, Dict


def own_architectures() -> Dict[str, Any]:
    """The architectures registered here besides rnnlab's own, as a worker can unpickle
    them: one that cannot be sent (its ``build`` defined in a notebook) as a stand-in
    whose build says so."""
    import dataclasses

    from ..nn.architectures import ARCHITECTURES, BUILT_IN
    from .main_module import sendable

    return {name: arch if sendable(arch) else dataclasses.replace(arch, build=NotSent(name))
            for name, arch in ARCHITECTURES.items() if name not in BUILT_IN}


class NotSent:
    """The ``build`` of an architecture whose own could not be sent to the workers."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs):
        from ..io.errors import ConfigError

        raise ConfigError(f"architecture {self.name!r} is registered with a build function "
                          f"defined in a notebook or interactive session, whose code the "
                          f"spawned training processes do not run; define it in a .py module "
                          f"and import that, or fit with devices=1")


class WithArchitectures:
    """``fn(ctx, *args)`` in a worker, after registering ``archs`` there (those the worker
    registered itself, re-running the main script, are kept). Picklable: each architecture
    travels as its own pickle, and one the worker cannot load (its module not importable
    there) is left out, not the end of the worker (a fit of another model needs none)."""

    def __init__(self, fn: Callable[..., Any], archs: Dict[str, Any]):
        import pickle

        self.fn = fn
        self.archs = {name: pickle.dumps(arch) for name, arch in archs.items()}

    def __call__(self, ctx, *args):
        import pickle

        from ..nn.architectures import ARCHITECTURES

        for name, data in self.archs.items():
            try:
                ARCHITECTURES.setdefault(name, pickle.loads(data))
            except Exception:  # noqa: BLE001 (any error of its module's import: as not sent)
                pass
        return self.fn(ctx, *args)


def with_own_architectures(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as a worker runs it: unchanged when this process registered none."""
    archs = own_architectures()
    return WithArchitectures(fn, archs) if archs else fn
