"""Device choice and seeding: no global state beyond what torch itself keeps."""

from __future__ import annotations

import random
from typing import Optional

import numpy as np
import torch

from ..io.errors import ConfigError


def resolve_device(name: str, loading: str = "") -> torch.device:
    """``name`` as a torch.device this machine has. ``loading``: the loader's name when a
    saved model is being loaded (the advice is then to load on the CPU, not to train)."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        todo = (f"load it on the CPU: {loading}(path, device='cpu')" if loading else
                "train on the CPU: --accelerator cpu (or --device cpu where a command has "
                "it; device='cpu' in Python)")
        raise ConfigError(f"device {name!r} requested but CUDA is not available here; {todo}")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ConfigError(f"unknown device {name!r}; use auto, cpu, cuda or cuda:N") from None
    if device.type not in ("cpu", "cuda"):  # (mps, xla, meta: torch names them; rnnlab
        # trains on neither: 'mps' was taken, then fit said "move the model to 'mps'")
        raise ConfigError(f"device {name!r}: rnnlab trains on the CPU or on CUDA GPUs only "
                          f"(not {device.type}); use auto, cpu, cuda or cuda:N")
    return device


def record_device(accelerator, device, processes: int = 1) -> Optional[torch.device]:
    """The device a run of one process trains on, for its record written before training
    (:func:`rnnlab.io.versions.versions`: a GPU's name): ``accelerator`` (auto | cpu |
    cuda) wins over ``device`` (auto | cpu | cuda[:N]) unless auto, and cuda with cuda:1
    keeps the :1, as the commands pick it. None for a run of several ``processes`` (its
    workers train; the parent's CUDA is left unstarted) or options naming no device here
    (the run's own check says so)."""
    if processes != 1:
        return None
    acc, dev = str(accelerator or "auto"), str(device or "auto")
    try:
        return resolve_device(dev if acc == "auto" or dev.startswith(acc) else acc)
    except ConfigError:
        return None


def seed_everything(seed: int) -> None:
    """Seed torch, numpy and Python's RNGs (called once at the start of a run)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def rng_state(cuda: str = "available") -> dict:
    """The RNG states a resumed run needs, as plain tensors and numbers (no pickled objects).
    ``cuda``: CUDA's too where it is "available", or only where it is already "initialized"."""
    np_state = np.random.get_state()
    assert isinstance(np_state, tuple)  # (legacy form: the global generator is an MT19937)
    state = {
        "torch": torch.get_rng_state(),
        "numpy_keys": torch.from_numpy(np_state[1].astype(np.int64)),
        "numpy_pos": int(np_state[2]),
        "numpy_gauss": [int(np_state[3]), float(np_state[4])],
        "python": _py_state_to_list(random.getstate()),
    }
    if torch.cuda.is_initialized() if cuda == "initialized" else torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    keys = state["numpy_keys"].numpy().astype(np.uint32)
    has_gauss, gauss = state["numpy_gauss"]
    np.random.set_state(("MT19937", keys, state["numpy_pos"], has_gauss, gauss))
    version, internal, gauss_next = state["python"]
    random.setstate((version, tuple(internal), gauss_next))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _py_state_to_list(s):
    version, internal, gauss_next = s
    return [version, list(internal), gauss_next]
