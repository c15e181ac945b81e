"""``Recurrent(cell)``: run any cell over a sequence (the reference time loop)."""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import CellBase, State, zip_state


def check_lengths(module: nn.Module, lengths: Tensor, batch: int, steps: int) -> Tensor:
    """Validate a (B,) tensor of sequence lengths; returns it as int64 on CPU."""
    name = type(module).__name__
    lengths = torch.as_tensor(lengths)
    if lengths.is_floating_point() or lengths.is_complex():
        raise ValueError(f"{name}: lengths must be integers, got dtype {lengths.dtype}; "
                         f"pass e.g. torch.tensor([5, 3], dtype=torch.long)")
    lengths = lengths.to("cpu", torch.int64)
    if lengths.shape != (batch,):
        raise ValueError(
            f"{name}: expected lengths of shape ({batch},) (one per sequence), "
            f"got {tuple(lengths.shape)}"
        )
    if batch and (int(lengths.min()) < 1 or int(lengths.max()) > steps):
        raise ValueError(
            f"{name}: every length must be between 1 and the sequence length {steps}, "
            f"got min {int(lengths.min())}, max {int(lengths.max())}; "
            f"pad the input to the longest sequence or fix the lengths"
        )
    return lengths


def check_sequence(name: str, cell: CellBase, x: Tensor, batch_first: bool) -> None:
    """A layer's input as the layer receives it: (T, B, I) (or (B, T, I)), at least one
    sequence of one step, I features, the dtype and device of the cell's parameters."""
    if x.dim() != 3:
        raise ValueError(
            f"{name}: expected input of shape {'(B, T, I)' if batch_first else '(T, B, I)'} "
            f"with I={cell.input_size}, got {tuple(x.shape)}")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name}: got an empty batch of shape {tuple(x.shape)}; "
                         f"pass at least one sequence of at least one step")
    cell.check_input(x.shape[-1])
    cell.check_like_parameters(x)


def masking_lengths(module: nn.Module, lengths, batch: int, steps: int) -> Optional[Tensor]:
    """Checked lengths (int64, CPU), or None when there are none or every sequence runs
    all ``steps``: nothing to mask."""
    if lengths is None:
        return None
    lengths = check_lengths(module, lengths, batch, steps)
    return None if int(lengths.min()) == steps else lengths


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


IMPLS = ("auto", "fast", "triton", "triton-split", "reference")


class Recurrent(nn.Module):
    """Runs a cell over time: ``outputs, final_state = Recurrent(cell)(x, state, lengths)``.

    Args:
        cell: any :class:`~rnnlab.nn.base.CellBase`.
        reverse: read the sequence from its end (each sequence from its own last
            valid step when lengths are given).
        batch_first: inputs and outputs are (B, T, F) instead of (T, B, F).
        impl: "auto" (default) runs the standard cells (``RNNCell``, ``GRUCell``,
            ``LSTMCell``) on torch's fused kernel, the one ``torch.nn.LSTM`` calls
            (:mod:`rnnlab.nn.fast.fused`); the cells torch has no kernel for on their
            whole-sequence kernel from :mod:`rnnlab.nn.fast` when they have one
            (``GRUCell(reset_after=False)``, ``DTRNNCell``) and autocast is off; any
            other cell on this loop. "fast" is the same.
            "triton" / "triton-split" run those cells' loop as one Triton kernel
            each way on CUDA (an error says why where they cannot run); "reference"
            always runs this loop. :attr:`path` and :meth:`path_for` say which. The
            kernels are tested equal to the loop.

    Forward:
        x: (T, B, I), (B, T, I) if batch_first, or a ``PackedSequence``.
        state: the cell's state, (B, H) or a tuple of them; zeros when omitted.
        lengths: optional (B,) valid lengths. Outputs past a sequence's end are
            zero, and its final state is the one at its last valid step.

    Returns ``(outputs (…, H_out), final_state)``; a ``PackedSequence`` in gives one out.

    The input projection is computed for all steps at once (one matrix product);
    the loop then runs only the recurrent part of the cell.
    """

    def __init__(self, cell: CellBase, reverse: bool = False, batch_first: bool = False,
                 impl: str = "auto"):
        super().__init__()
        if impl not in IMPLS:
            raise ValueError(f"Recurrent: impl must be one of {', '.join(map(repr, IMPLS))}, "
                             f"got {impl!r}")
        self.cell = cell
        self.reverse = reverse
        self.batch_first = batch_first
        self.impl = impl

    @property
    def path(self) -> str:
        """``"fused"`` when torch's kernel runs the sequence, ``"fast"`` when one of
        rnnlab's whole-sequence kernels does, else ``"reference"`` (under autocast the
        reference loop runs even where this says "fast")."""
        from . import fast
        from .fast.fused import fused_op

        if self.impl in ("auto", "fast") and fused_op(self.cell) is not None:
            return "fused"
        if self.impl != "reference" and fast.kernel_for(self.cell) is not None:
            return "fast"
        return "reference"

    def path_for(self, x: Tensor) -> str:
        """The path a call on ``x`` runs: "fused", "reference", "fast-torch",
        "fast-triton" or "fast-triton-split" (raises, as the call would, where a Triton
        impl cannot run)."""
        if self._fused():
            return "fused"
        backend = self._backend(x)
        return "reference" if backend is None else "fast-" + backend

    def _fused(self) -> bool:
        """True when this call hands the sequence to torch's kernel."""
        from .fast.fused import can_fuse

        return self.impl in ("auto", "fast") and can_fuse(self.cell)

    def _backend(self, xp: Tensor) -> Optional[str]:
        """The fast kernel's backend for this input, or None for the reference loop."""
        fast = _fast()
        if self.impl == "reference":
            return None
        if fast.kernel_for(self.cell) is not None and not fast.can_run(self.cell, xp):
            return None  # autocast, torch.func transforms: the loop
        if fast.kernel_for(self.cell) is None and not self.impl.startswith("triton"):
            return None  # no kernel for this cell; a Triton impl says so (backend_for raises)
        return fast.backend_for(self.cell, xp, self.impl)

    @property
    def output_size(self) -> int:
        return self.cell.output_size

    def forward(self, x, state: Optional[State] = None, lengths: Optional[Tensor] = None):
        if isinstance(x, PackedSequence):
            return _run_packed(self, x, state)
        check_sequence(f"{type(self).__name__}({type(self.cell).__name__})", self.cell, x,
                       self.batch_first)
        if self.batch_first:
            x = x.transpose(0, 1)
        out, state = self._run(x, state, lengths)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, state

    def _run(self, x: Tensor, state: Optional[State], lengths: Optional[Tensor]):
        """Time-major loop: x (T, B, I) -> outputs (T, B, H_out), final state."""
        T, B, _ = x.shape
        cell = self.cell
        if state is None:
            state = cell.initial_state(B, x.dtype, x.device)
        else:
            cell.check_state(state, B)
        lengths = masking_lengths(self, lengths, B, T)
        if self._fused():
            from .fast.fused import run_fused

            return run_fused(cell, x, state, lengths, self.reverse)
        mask = None
        if lengths is not None:
            mask = (torch.arange(T).unsqueeze(1) < lengths.unsqueeze(0)).to(x.device)
            mask = mask.unsqueeze(-1)  # (T, B, 1)
            # the padding is never read: cleared, whatever it holds (NaN) stays out of the
            # arithmetic, forward and backward
            x = torch.where(mask, x, 0.0)
        xp = cell.project_input(x)  # (T, B, G*H), hoisted out of the loop
        if self.reverse:
            xp = reverse_padded(xp, lengths) if mask is not None else xp.flip(0)
        backend = self._backend(xp)
        if backend is not None:
            out, state = _fast().run(cell, xp, state, mask, backend)  # the same loop, one kernel
        else:
            outs = []
            for t in range(T):
                out, new = cell.recur(xp[t], state)
                if mask is not None:
                    m = mask[t]
                    state = zip_state(lambda n, o: torch.where(m, n, o), new, state)
                    out = out * m
                else:
                    state = new
                outs.append(out)
            out = torch.stack(outs)  # (T, B, H_out)
        if self.reverse:
            out = reverse_padded(out, lengths) if mask is not None else out.flip(0)
        return out, state


def path_of(module: nn.Module, x: Tensor) -> str:
    """The path(s) a call of ``module`` on ``x`` (its dtype and device) runs: each
    recurrent layer's ``path_for``, "+"-joined when they differ ("torch" for a plain
    ``torch.nn`` RNN; "none" when there is no recurrent layer)."""
    paths = set()
    for m in module.modules():
        if isinstance(m, (Recurrent, nn.RNNBase)):
            paths.add(m.path_for(x) if hasattr(m, "path_for") else "torch")
    return "+".join(sorted(paths)) or "none"


def _fast():
    """rnnlab.nn.fast, imported on first use (it imports the cells, which import base)."""
    from . import fast

    return fast


def _run_packed(module: nn.Module, packed: PackedSequence, state):
    """Run a module that takes (padded, state, lengths) on a PackedSequence."""
    from torch.nn.utils.rnn import pad_packed_sequence

    batch_first = getattr(module, "batch_first", False)
    padded, lengths = pad_packed_sequence(packed, batch_first=batch_first)
    # pad_packed_sequence restores the original batch order, so a state given in that
    # order lines up with the padded batch as it is.
    out, state = module(padded, state, lengths)
    return repack(out, packed, batch_first), state


def repack(out: Tensor, like: PackedSequence, batch_first: bool) -> PackedSequence:
    """Pack a padded output (original batch order) with the batch layout of ``like``."""
    from torch.nn.utils.rnn import pack_padded_sequence

    if batch_first:
        out = out.transpose(0, 1)
    lengths = _lengths_of(like)
    if like.sorted_indices is not None:
        out = out.index_select(1, like.sorted_indices)
        lengths = lengths.index_select(0, like.sorted_indices.cpu())
    data = pack_padded_sequence(out, lengths, enforce_sorted=True).data
    return PackedSequence(data, like.batch_sizes, like.sorted_indices, like.unsorted_indices)


def _lengths_of(packed: PackedSequence) -> Tensor:
    """Lengths in original batch order."""
    bs = packed.batch_sizes  # (T,) on CPU
    sorted_lengths = (bs.unsqueeze(0) > torch.arange(int(bs[0])).unsqueeze(1)).sum(1)
    if packed.unsorted_indices is not None:
        return sorted_lengths.index_select(0, packed.unsorted_indices.cpu())
    return sorted_lengths
