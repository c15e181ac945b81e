"""A layer called on a PackedSequence, and the start every composed layer's call shares.

A PackedSequence runs as its padded batch with its own lengths (other lengths beside it are
refused); ``Bidirectional`` and ``Stacked`` begin their calls alike (:func:`composed_call`):
one torch.fx node, the input's type checked, lengths given as the state refused."""

from __future__ import annotations

from torch import nn
from torch.nn.utils.rnn import PackedSequence

from .base import check_input_type
from .graph_capture import fx_leaf_call
from .packing import repack, unpack
from .sequence import refuse_lengths_as_state
from ..io.errors import ConfigError


def run_packed(module: nn.Module, packed: PackedSequence, state, lengths=None):
    """Run a module that takes (padded, state, lengths) on a PackedSequence."""
    refuse_lengths_with_packed(type(module).__name__, lengths)

    batch_first = getattr(module, "batch_first", False)
    padded, lengths = unpack(packed, batch_first=batch_first)
    # unpacking restores the original batch order, so a state given in that
    # order lines up with the padded batch as it is. forward, not the module's call: its
    # hooks ran for this call already (they ran twice, the second time on the padded batch)
    out, state = module.forward(padded, state, lengths)
    return repack(out, packed, batch_first), state


def composed_call(module: nn.Module, name: str, x, state, lengths):
    """The start of a composed layer's call (``Bidirectional``, ``Stacked``): under
    torch.fx one leaf node; an input that is not a tensor, or lengths given as the state,
    refused naming ``name``; a PackedSequence run padded (:func:`run_packed`). The call's
    result where one of these answers it, else None (the layer runs ``x`` itself)."""
    leaf = fx_leaf_call(module, x, state, lengths)  # (torch.fx: one node, as torch.nn's RNNs)
    if leaf is not None:
        return leaf
    check_input_type(name, x)
    refuse_lengths_as_state(name, state)
    if isinstance(x, PackedSequence):
        return run_packed(module, x, state, lengths)
    return None


def refuse_lengths_with_packed(name: str, lengths) -> None:
    """A PackedSequence carries its lengths: others given beside it were ignored."""
    if lengths is not None:
        raise ConfigError(f"{name}: got lengths with a PackedSequence, which carries its own "
                          f"(its batch_sizes); pass the PackedSequence alone, or the padded "
                          f"tensor with lengths")
