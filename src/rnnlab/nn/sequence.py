"""Checks and reorderings of padded sequence batches, shared by the layers and the kernels.

Time-major throughout: a batch is (T, B, F); lengths are a (B,) int64 tensor on the CPU.
"""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor, nn

from .base import CellBase, ShapeError, check_input_type
from ..io.errors import ConfigError


def check_lengths(module: nn.Module, lengths: Tensor, batch: int, steps: int) -> Tensor:
    """Validate a (B,) tensor of sequence lengths; returns it as int64 on CPU."""
    name = type(module).__name__
    lengths = torch.as_tensor(lengths)
    # (a bool tensor is a padding mask: taken as counts, True ran one step, silently)
    mask = lengths.dtype == torch.bool
    if lengths.is_floating_point() or lengths.is_complex() or mask:
        fix = ("; a padding mask (B, T), True at the real steps, gives them as mask.sum(1)"
               if mask else "")
        raise ConfigError(f"{name}: lengths must be integers, got dtype {lengths.dtype}; "
                          f"pass e.g. torch.tensor([5, 3], dtype=torch.long){fix}")
    refuse_meta_lengths(name, lengths)
    lengths = lengths.to("cpu", torch.int64)
    if lengths.shape != (batch,):
        fix = (f"; a padding mask of shape (B, T) = {tuple(lengths.shape)} gives them as "
               f"mask.sum(1)" if lengths.dim() == 2 and lengths.shape == (batch, steps) else "")
        raise ShapeError(
            f"{name}: expected lengths of shape ({batch},) (one per sequence), "
            f"got {tuple(lengths.shape)}{fix}"
        )
    from .dispatch import _exporting

    if _exporting():  # (values read would be data-dependent guards: the graph takes any)
        return lengths
    values = concrete(lengths)  # (every sample's, under vmap)
    if batch and (int(values.min()) < 1 or int(values.max()) > steps):
        empty = ("; a length of 0 (a row with every step masked, which Keras runs keeping "
                 "its initial state) has no step to run: leave that row out of the batch "
                 "and take its initial state as its final one" if int(values.min()) == 0
                 else "")
        raise ShapeError(
            f"{name}: every length must be between 1 and the sequence length {steps}, "
            f"got min {int(values.min())}, max {int(values.max())}; "
            f"pad the input to the longest sequence or fix the lengths{empty}"
        )
    return lengths


def refuse_meta_lengths(name: str, lengths) -> None:
    """Lengths on the meta device hold no values to mask by: refused, saying to pass them
    on the CPU, as ``torch.nn.utils.rnn.pack_padded_sequence`` takes them (a model on the
    meta device runs with those, shapes only). Was "Cannot copy out of meta tensor; no
    data!" (``Stacked``: "Tensor.item() cannot be called on meta tensors")."""
    if isinstance(lengths, Tensor) and lengths.device.type == "meta":
        raise ConfigError(
            f"{name}: lengths on the meta device hold no values to mask by; pass them on "
            f"the CPU, torch.tensor([5, 3]), as torch.nn.utils.rnn.pack_padded_sequence "
            f"takes them (a model on the meta device runs with them, shapes only)")


def refuse_lengths_as_state(name: str, state) -> None:
    """An integer tensor passed where the state goes, ``layer(x, lengths)``: the lengths,
    most likely, given by position (the state comes second); said so (the message was
    about the state's shape, or the number of layers). Lengths are (B,), a padding mask
    (B, T) bool: an integer state of more dimensions is a state of the wrong dtype, said
    so by the state's checks (it was called lengths)."""
    if isinstance(state, Tensor) and (state.dim() <= 1 or state.dtype == torch.bool) and \
            not (state.is_floating_point() or state.is_complex()):
        raise ShapeError(
            f"{name}: got the state (the second argument) as a tensor of "
            f"{str(state.dtype).replace('torch.', '')}, shape {tuple(state.shape)}; lengths "
            f"go by keyword, module(x, lengths=lengths), or third, module(x, state, lengths)")


def concrete(t: Tensor) -> Tensor:
    """The values behind ``torch.func`` wrappers (lengths batched by ``vmap``: per-sample
    gradients of variable-length sequences), for checks that read them; ``t`` itself
    when it is a plain tensor. (Reading a batched tensor's value raised "vmap: It looks
    like you're ... calling .item() on a Tensor".)"""
    from torch._C._functorch import get_unwrapped, is_functorch_wrapped_tensor

    while is_functorch_wrapped_tensor(t):
        t = get_unwrapped(t)
    return t


def batched(t: Tensor) -> bool:
    """True when ``t`` is batched by a ``torch.func`` transform (its values differ per sample)."""
    from torch._C._functorch import is_functorch_wrapped_tensor

    return is_functorch_wrapped_tensor(t)


def per_sample(t: Tensor) -> bool:
    """True when ``t`` is batched by ``vmap`` at some level (its values differ per sample);
    :func:`batched` is true for any tensor a ``torch.func`` transform wraps (``grad``'s too)."""
    from torch._C._functorch import get_unwrapped, is_batchedtensor, is_functorch_wrapped_tensor

    while is_functorch_wrapped_tensor(t):
        if is_batchedtensor(t):
            return True
        t = get_unwrapped(t)
    return False


def missing_features_hint(shape, input_size: int, unbatched: bool) -> str:
    """What to do with a 2-D input whose last dimension is not the features: most often a
    batch of one-feature series, (B, T) or (T, B), given without its feature dimension
    (the message said only "expected input with 1 features, got 10"). ``unbatched``: the
    module reads a 2-D input as one sequence (T, I), as torch.nn's RNNs do."""
    if len(shape) != 2 or shape[-1] == input_size:
        return ""
    read = (f"; a 2-D input is read as one unbatched sequence (T, I) = {tuple(shape)}"
            if unbatched else "")
    if input_size == 1:
        return (f"{read}; a batch of one-feature series, (B, T) or (T, B), needs its feature "
                f"dimension: pass x.unsqueeze(-1)")
    return f"{read}; a batch has three dimensions, the features last" if read else ""


def check_sequence(name: str, cell: CellBase, x: Tensor, batch_first: bool) -> None:
    """A layer's input as the layer receives it: (T, B, I) (or (B, T, I)), at least one
    step (B may be 0), I features, the dtype and device of the cell's parameters."""
    check_input_type(name, x)
    if x.dim() != 3:
        hint = (f"; for one unbatched sequence (T, I) pass x.unsqueeze({0 if batch_first else 1})"
                f" (torch.nn's RNN/GRU/LSTM, rnnlab.nn's included, take (T, I) as it is)"
                if x.dim() == 2 and x.shape[-1] == cell.input_size else
                missing_features_hint(x.shape, cell.input_size, False))
        raise ShapeError(
            f"{name}: expected input of shape {'(B, T, I)' if batch_first else '(T, B, I)'} "
            f"with I={cell.input_size}, got {tuple(x.shape)}{hint}")
    if x.shape[1 if batch_first else 0] == 0:  # (torch.nn refuses no steps too; a batch
        # of no sequences gives empty outputs, as torch.nn's)
        raise ShapeError(f"{name}: got sequences of no steps, shape {tuple(x.shape)}; "
                         f"pass at least one step")
    cell.check_input(x.shape[-1])
    cell.check_like_parameters(x)


def masking_lengths(module: nn.Module, lengths, batch: int, steps: int) -> Optional[Tensor]:
    """Checked lengths (int64, CPU), or None when there are none or every sequence runs
    all ``steps``: nothing to mask. Under ``torch.jit.trace`` and ``torch.export`` always
    the lengths: the graph is for any lengths, not the traced ones (traced with every
    sequence full, the graph had no mask, and ran later batches of shorter sequences on
    their padding)."""
    if lengths is None:
        return None
    lengths = check_lengths(module, lengths, batch, steps)
    if lengths_are_data() or batched(lengths):  # a graph's lengths, or per-sample ones
        return lengths  # under vmap: masked, whatever they are
    return None if batch == 0 or int(lengths.min()) == steps else lengths


def lengths_are_data() -> bool:
    """Inside ``torch.jit.trace`` or ``torch.export``: sequence lengths are the graph's
    input, not values to decide on. The layers then mask whatever the lengths (none
    skipped for a batch without padding: the trace froze that choice) and, exporting,
    run them on the masked loop: torch's packing cannot be exported ("zeros(): argument
    'size' ... got FakeTensor"), nor can a check read their values."""
    from .dispatch import _exporting

    return torch.jit.is_tracing() or _exporting()


def lengths_need_loop(lengths) -> bool:
    """True when variable ``lengths`` cannot be packed for torch's kernel, so the masked
    step loop runs them: torch's packing has no forward-mode AD ("Trying to use forward AD
    with _pack_padded_sequence") and no ``torch.func`` rule (:func:`.dispatch.loop_only`),
    and ``torch.export`` cannot export it. The one rule: ``Recurrent`` (its call and its
    ``path_for``), ``Stacked``'s one-call plan and the registry's torch-compatible bodies
    ask it."""
    from .dispatch import _exporting, loop_only

    return lengths is not None and (loop_only() or _exporting())


def reverse_padded(x: Tensor, lengths: Tensor) -> Tensor:
    """Reverse each sequence of a time-major padded batch within its own length.

    x is (T, B, ...); position t < len_b goes to len_b - 1 - t, padding stays put.
    Applying it twice gives x back.
    """
    T = x.shape[0]
    t = torch.arange(T).unsqueeze(1)  # (T, 1)
    L = lengths.unsqueeze(0)  # (1, B)
    idx = torch.where(t < L, L - 1 - t, t).to(x.device)  # (T, B)
    idx = idx.view(T, -1, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(0, idx)


def drop_valid_steps(dropout: nn.Module, x: Tensor, lengths, batch_first: bool) -> Tensor:
    """``dropout(x)`` between stacked layers, drawn as torch's kernel draws it: on the
    time-major batch, and with ``lengths`` on the valid steps alone, in the order of their
    PackedSequence (step by step, the longest sequence first:
    ``pack_padded_sequence(enforce_sorted=False)``'s). So torch.nn's RNN/GRU/LSTM and
    rnnlab's layers, given one batch packed or padded with lengths, with a graph, under
    ``torch.no_grad`` or ``torch.func.grad``, draw the same masks for one seed (drawn on
    the padded batch, the drop-ins' masks were other than torch.nn's wherever rnnlab ran a
    PackedSequence padded: CPU training, ``impl="reference"``; and a mask follows the
    memory layout of the tensor it is drawn for, which ``torch.func`` changes).
    x: (T, B, F), (B, T, F) if batch_first; the padding comes out zero."""
    if not dropout.training:
        return dropout(x)
    xt = x.transpose(0, 1) if batch_first else x  # (T, B, F)
    T = xt.shape[0]
    lengths = None if lengths is None else torch.as_tensor(lengths)
    if lengths is None or per_sample(lengths) or (  # (traced: the lengths are the graph's
            not torch.jit.is_tracing() and bool((concrete(lengths) == T).all())):  # input)
        out = dropout(xt.contiguous())  # (every step valid: the packed order is time-major)
    else:
        lengths = concrete(lengths).to("cpu", torch.int64)  # (under torch.func.grad: wrapped)
        order = torch.sort(lengths, descending=True, stable=True).indices  # (B,) the packing's
        valid = torch.arange(T).unsqueeze(1) < lengths[order].unsqueeze(0)  # (T, B) sorted
        t, b = valid.nonzero(as_tuple=True)  # the packed order: by step, then longest first
        t, b = t.to(x.device), order[b].to(x.device)
        out = torch.zeros_like(xt).index_put((t, b), dropout(xt[t, b]))  # (T, B, F)
    return out.transpose(0, 1) if batch_first else out
