r"""The DT-RNN time loop in Triton with the recurrent weights resident on chip
(``impl="triton-resident"``), for the latency regime: small H, long T.

:mod:`.dt_triton` re-reads every transition matrix from memory at every step. Here each
program keeps its share of the weights on chip for the whole sequence (kernels:
:mod:`.dt_resident_kernels`; compiled for sm_90, Triton holds the tiles in shared
memory, as ``tl.dot`` operands):

* the grid is (groups, ``nsplit``): program (g, n) owns column tile n of every matrix
  of the step (``BN`` columns, all K rows padded to a power of two) and loads those
  tiles **once**, before the time loop; :func:`layout` picks the fewest programs per
  batch block whose tiles fit :data:`RESIDENT_BYTES` and :data:`MAX_BN`;
* per step and phase it reads only what the phase consumes (the previous state or the
  layer below: ``BLOCK_B`` rows by K) and multiplies it by its resident tile
  (``tl.dot``; fp64: multiply and sum), with bias, activation and length mask in the
  tile's epilogue; the block's ``nsplit`` programs then meet at
  :func:`~.triton_common._sync` before the next phase reads what they wrote;
* group g handles batch blocks g, g + groups, ... in every phase, so the grid never
  exceeds the SMs (the barrier needs every program resident) whatever the batch.

It fills exactly the buffers of :func:`.dt_triton.forward` / :func:`.dt_triton.backward`
(same equations, layout and phase order; allocated by the same helpers), so :class:`~.dt.DTFunction` and its weight
gradients are shared. Resident weight elements per program, for the K-padded sizes
HP, FP, GP and tile widths BN:

.. math::
    \text{forward: } HP \cdot BN_G + N_{mid} FP \cdot BN_F + FP \cdot BN_H, \qquad
    \text{backward: } HP \cdot BN_F + N_{mid} FP \cdot BN_F + GP \cdot BN_H

(C3, dt-rnn depth 4, H = 128, fp32: 4 programs per block of 16 rows, 16K elements each.)
Where they do not fit, :func:`unfit_reason` says why and the dispatch runs
``triton-split`` instead (:func:`rnnlab.nn.dispatch.resident_reason`).

Triton's interpreter (``TRITON_INTERPRET=1``, the CPU tests) runs programs one after
another, so programs waiting for one another at the barrier would wait forever. With
``nsplit == 1`` the barrier is the program's own; with ``nsplit > 1`` on the CPU the
launcher puts launch boundaries where the barriers are: one launch per (step, phase),
the same kernel code otherwise. On CUDA: one launch per direction.
"""

from __future__ import annotations

from typing import List, NamedTuple, Optional, Tuple

import torch
from torch import Tensor

from .dt_triton import (backward_buffers, backward_weights, forward_buffers, forward_weights,
                        sizes)
from .triton_common import mask_bytes, precision, triton
from ...io.errors import ConfigError

RESIDENT_BYTES = 64 * 1024  # weights one program keeps on chip: 16K fp32 (an SM: 228 KB smem)
MAX_MID = 2  # middle layers the kernels keep resident (depth <= 4)
BLOCK_B = 16  # batch rows per block
NUM_WARPS = 8  # (sm_90 compile, C3 d4: 171/170 registers, no spills; 4 warps spill)
MAX_BN = 32  # columns per tile at most: wider tiles spill (sm_90 compile, 8 warps)


def _p2(n: int) -> int:
    """n padded to a power of two, at least 16 (``tl.dot``'s smallest side)."""
    p = 16
    while p < n:
        p *= 2
    return p


class Layout(NamedTuple):
    """How the resident kernels split a cell's matrices: grid (groups, nsplit)."""
    nsplit: int  # programs per batch block, each owning one column tile of every matrix
    hp: int  # H, F, G padded to powers of two: the resident tiles' K
    fp: int
    gp: int
    bn_h: int  # columns per tile of the matrices with H, F, G outputs
    bn_f: int
    bn_g: int
    elements: int  # resident weight elements per program (the larger direction)


def tile_width(n: int, nsplit: int) -> int:
    """Columns per tile of a matrix with n outputs split over nsplit programs."""
    return max(16, _p2(n) // nsplit)


def fit(fwd: List[Tuple[int, int]], bwd: List[Tuple[int, int]],
        itemsize: int) -> Optional[Tuple[int, int]]:
    """(nsplit, elements): the fewest programs per batch block (a power of two) whose
    tiles of the (K, N) matrices of each direction fit :data:`RESIDENT_BYTES`, at most
    :data:`MAX_BN` columns each, and the resident elements per program; None when even
    16-column tiles do not fit."""
    nsplit = 1
    while True:
        widest = max(tile_width(n, nsplit) for _, n in fwd + bwd)
        elements = max(sum(_p2(k) * tile_width(n, nsplit) for k, n in mats)
                       for mats in (fwd, bwd))
        if elements * itemsize <= RESIDENT_BYTES and widest <= MAX_BN:
            return nsplit, elements
        if widest == 16:
            return None
        nsplit *= 2


def layout(H: int, F: int, G: int, depth: int, itemsize: int) -> Optional[Layout]:
    """The DT-RNN's :class:`Layout` (:func:`fit` of its step's matrices), or None."""
    nmid, deep = max(depth - 2, 0), depth > 1
    fwd = [(H, G)] + [(F, F)] * nmid + ([(F, H)] if deep else [])
    bwd = ([(H, F)] if deep else []) + [(F, F)] * nmid + [(G, H)]
    found = fit(fwd, bwd, itemsize)
    if found is None:
        return None
    nsplit, elements = found
    return Layout(nsplit, _p2(H), _p2(F), _p2(G), tile_width(H, nsplit),
                  tile_width(F, nsplit), tile_width(G, nsplit), elements)


def cell_sizes(cell) -> Tuple[int, int, int, int]:
    """(H, F, G, depth) of a DTRNNCell: G = F [+ H with the shortcut]."""
    H, depth = cell.hidden_size, cell.depth
    F = cell.width if depth > 1 else H
    return H, F, F + (H if cell.shortcut else 0), depth


def unfit_reason(cell, dtype: torch.dtype) -> Optional[str]:
    """Why the resident kernels cannot hold this cell's weights, or None when they can."""
    H, F, G, depth = cell_sizes(cell)
    if depth - 2 > MAX_MID:
        return (f"depth {depth} > {MAX_MID + 2}: the resident kernels keep at most "
                f"{MAX_MID} middle layers on chip")
    itemsize = torch.empty((), dtype=dtype).element_size()
    if layout(H, F, G, depth, itemsize) is None:
        return (f"the weights do not fit on chip: hidden_size={H}, width={F}, depth={depth} "
                f"in {dtype} need more than {RESIDENT_BYTES // 1024} KB per program even "
                f"in 16-column tiles")
    return None


def grid(nsplit: int, B: int, x: Tensor) -> Tuple[int, bool]:
    """(groups, emulate): the grid is (groups, nsplit); ``emulate``: the interpreter's
    one launch per (step, phase) in place of the barrier."""
    nb = triton.cdiv(B, BLOCK_B)
    groups = nb
    if x.is_cuda:  # every program resident at once: at most one per SM
        sms = torch.cuda.get_device_properties(x.device).multi_processor_count
        groups = max(1, min(nb, sms // nsplit))
    return groups, nsplit > 1 and not x.is_cuda


def uses_counter(nsplit: int, x: Tensor, emulate: bool) -> bool:
    """The programs meet at the counter barrier: on CUDA where a block has several; in
    the interpreter where it has one (so that the tests run the counter's code)."""
    return nsplit > 1 if x.is_cuda else not emulate


def _plan(H: int, F: int, G: int, depth: int, B: int, x: Tensor):
    """(layout, groups, emulate) for a DT-RNN layer."""
    lay = layout(H, F, G, depth, x.element_size())
    if lay is None or depth - 2 > MAX_MID:
        raise ConfigError(f"triton-resident: DT-RNN H={H}, F={F}, depth={depth} does not fit on "
                          f"chip ({RESIDENT_BYTES // 1024} KB per program); use triton-split")
    return (lay,) + grid(lay.nsplit, B, x)


def launch(kernel, shape, args, steps: int, phases: int, emulate: bool, meta: dict) -> None:
    """One launch of ``kernel`` on grid ``shape`` for all steps and phases, or, to
    emulate the barrier, one per (step, phase)."""
    if not emulate:
        kernel[shape](*args, 0, steps, -1, **meta)
        return
    for t in range(steps):
        for ph in range(phases):
            kernel[shape](*args, t, t + 1, ph, **meta)


def forward(act: str, xpb: Tensor, h0: Tensor, mask: Optional[Tensor], w_first: Tensor,
            layers: List[Tuple[Tensor, Optional[Tensor]]], shortcut: bool):
    """:func:`.dt_triton.forward` with resident weights: (hs, new, A, Z), same layout."""
    from .dt_resident_kernels import _fwd_kernel

    T, B, G = xpb.shape
    H = h0.shape[1]
    depth = len(layers) + 1
    nmid, F1, F = sizes(G, H, depth, shortcut)
    lay, groups, emulate = _plan(H, F, G, depth, B, xpb)
    xpb, hs, new, A, Z = forward_buffers(xpb, h0, mask, depth, F)
    # the kernel reads every bias: zeros where the layer has none
    wmid, bmid, w_last, b_last = forward_weights(layers, xpb, H, F, shortcut)
    sync = torch.zeros(groups, dtype=torch.int32, device=xpb.device)
    meta = dict(DEPTH=depth, NMID=nmid, SHORTCUT=shortcut, HAS_MASK=mask is not None,
                ACT=0 if act == "tanh" else 1, PREC=precision(xpb),
                SPLIT=uses_counter(lay.nsplit, xpb, emulate), BLOCK_B=BLOCK_B, HP=lay.hp,
                FP=lay.fp, BN_G=lay.bn_g, BN_F=lay.bn_f, BN_H=lay.bn_h, num_warps=NUM_WARPS)
    args = (xpb, hs, A, Z if nmid else xpb, new, mask_bytes(mask, xpb), w_first.contiguous(),
            wmid, bmid, w_last, b_last, sync, T, B, H, G, F1, F)
    launch(_fwd_kernel, (groups, lay.nsplit), args, T, nmid + 2, emulate, meta)
    return hs, new, A, Z


def backward(act: str, dout: Tensor, dh_T: Tensor, new: Tensor, A: Tensor, Z: Tensor,
             mask: Optional[Tensor], w_first: Tensor, weights: List[Tensor], shortcut: bool):
    """:func:`.dt_triton.backward` with resident weights: (dxp, dmid, dpL, dh0)."""
    from .dt_resident_kernels import _bwd_kernel

    T, B, H = new.shape
    G = A.shape[-1]
    depth = len(weights) + 1
    nmid, F1, F = sizes(G, H, depth, shortcut)
    lay, groups, emulate = _plan(H, F, G, depth, B, new)
    dxp, dmid, g, (dpL, dpL_rs, dpL_off) = backward_buffers(new, dh_T, G, depth, F1, F,
                                                            shortcut)
    wmid, w_last = backward_weights(weights, new)
    sync = torch.zeros(groups, dtype=torch.int32, device=new.device)
    meta = dict(DEPTH=depth, NMID=nmid, HAS_MASK=mask is not None,
                ACT=0 if act == "tanh" else 1, PREC=precision(new),
                SPLIT=uses_counter(lay.nsplit, new, emulate), BLOCK_B=BLOCK_B, HP=lay.hp,
                FP=lay.fp, GP=lay.gp, BN_F=lay.bn_f, BN_H=lay.bn_h, num_warps=NUM_WARPS)
    args = (dout.contiguous(), g, new, A, Z if nmid else new, mask_bytes(mask, new), dxp,
            dmid if nmid else new, dpL, dpL_rs, dpL_off, w_first.contiguous(), wmid, w_last,
            sync, T, B, H, G, F1, F)
    launch(_bwd_kernel, (groups, lay.nsplit), args, T, depth + 1, emulate, meta)
    dpL_view = dpL if depth == 1 or not shortcut else dxp[..., F1:]
    return dxp, dmid, dpL_view, g
