"""A PackedSequence to a padded batch and back, for the layers that run padded batches.

torch's own ops (``pad_packed_sequence``, ``pack_padded_sequence``) serve outside
``torch.func`` transforms; under them (``grad``, ``jacrev``, per-sample gradients with
``functional_call``) and under forward-mode AD they fail ("Cannot access data pointer of
Tensor that doesn't have storage": their kernels read the batch sizes' memory), so there
the same reordering is made of index ops, which every transform differentiates. Both give
the same tensors (tested in float64).
"""

from __future__ import annotations

from typing import Tuple

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from .dispatch import loop_only


def unpack(packed: PackedSequence, batch_first: bool = False) -> Tuple[Tensor, Tensor]:
    """``pad_packed_sequence(packed, batch_first)``: (padded (T, B, …) or (B, T, …) in the
    original batch order, zeros past each end; lengths (B,) int64 on the CPU). On the meta
    device the batch order's indices hold no values (torch.nn's LSTM runs such a batch,
    ``pad_packed_sequence`` could not reorder it: "Cannot copy out of meta tensor"): the
    batch is left in its sorted order, the lengths too; no value of it exists to misplace,
    and its shapes are those of any order."""
    if _shapes_only(packed):
        return pad_packed_sequence(PackedSequence(packed.data, packed.batch_sizes),
                                   batch_first=batch_first)
    if not loop_only():
        return pad_packed_sequence(packed, batch_first=batch_first)
    valid, rows = _layout(packed.batch_sizes)  # (T, B): sorted batch order
    T, B = valid.shape
    data = packed.data
    padded = data.index_select(0, rows.reshape(-1).to(data.device)).reshape(T, B, *data.shape[1:])
    keep = valid.reshape(T, B, *([1] * (data.dim() - 1))).to(data.device)
    padded = torch.where(keep, padded, 0.0)
    lengths = valid.sum(0)
    if packed.unsorted_indices is not None:
        padded = padded.index_select(1, packed.unsorted_indices)
        lengths = lengths.index_select(0, packed.unsorted_indices.cpu())
    return (padded.transpose(0, 1) if batch_first else padded), lengths


def repack(out: Tensor, like: PackedSequence, batch_first: bool) -> PackedSequence:
    """Pack a padded output (original batch order) with the batch layout of ``like``."""
    if batch_first:
        out = out.transpose(0, 1)
    if like.sorted_indices is not None:
        out = out.index_select(1, like.sorted_indices)
    if loop_only():
        valid, _ = _layout(like.batch_sizes)
        T, B = valid.shape
        at = valid.reshape(-1).nonzero().squeeze(1).to(out.device)  # (t, b) in packed order
        data = out[:T].reshape(T * B, *out.shape[2:]).index_select(0, at)
    else:  # (the lengths in the sorted order the batch now has: from the batch sizes)
        data = pack_padded_sequence(out, _sorted_lengths(like.batch_sizes),
                                    enforce_sorted=True).data
    return PackedSequence(data, like.batch_sizes, like.sorted_indices, like.unsorted_indices)


def _layout(batch_sizes: Tensor) -> Tuple[Tensor, Tensor]:
    """For the sorted batch: valid (T, B) bool, step t of sequence b exists; rows (T, B)
    int64, where that step sits in the packed data (0 where it does not exist)."""
    b = torch.arange(int(batch_sizes[0])).unsqueeze(0)
    valid = b < batch_sizes.unsqueeze(1)
    starts = torch.cumsum(batch_sizes, 0) - batch_sizes  # (T,) first row of each step
    return valid, torch.where(valid, starts.unsqueeze(1) + b, 0)


def _sorted_lengths(batch_sizes: Tensor) -> Tensor:
    """Lengths in the sorted batch order of a packed batch of these ``batch_sizes`` (CPU)."""
    return (batch_sizes.unsqueeze(0) > torch.arange(int(batch_sizes[0])).unsqueeze(1)).sum(1)


def _shapes_only(packed: PackedSequence) -> bool:
    """A packed batch on the meta device whose batch order is given (by meta indices)."""
    return packed.unsorted_indices is not None and packed.unsorted_indices.device.type == "meta"
