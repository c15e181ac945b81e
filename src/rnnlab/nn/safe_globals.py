"""Classes a ``torch.load(f, weights_only=True)`` may rebuild: rnnlab's modules, so a
``torch.save(model)`` of one loads back as one of torch.nn's does (torch's default)."""

from __future__ import annotations

from typing import Iterable

import torch


def allow_in_weights_only_load(classes: Iterable[type]) -> None:
    """Add ``classes`` to torch's safe globals (a torch without them: nothing to do).
    Each module defining a saved class calls this once on import, beside the class."""
    add = getattr(torch.serialization, "add_safe_globals", None)
    if add is not None:
        add(list(classes))
