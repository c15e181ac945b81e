r"""Triton kernels for the DT-RNN time loop: one launch runs all T steps, forward or backward.

:mod:`rnnlab.nn.fast.dt` runs the DT-RNN loop as torch ops: per step one matrix
product and one activation per transition layer, each a separate kernel launch. On a
GPU, at the sizes recurrent nets use, those launches cost more than their arithmetic.
The kernels here loop over time *inside* the kernel instead:

* the grid is one program per block of ``BLOCK_B`` batch rows (rows are independent,
  so programs never wait for one another); with ``split`` ("triton-split"), each
  block's output tiles are shared among several programs that wait for one another
  after every phase (:func:`~.triton_common._sync`), for small batches;
* each program runs every step of every layer for its rows: tiled products
  (``tl.dot``), bias, activation and the length mask fused into each tile's epilogue;
* the recurrent weights are re-read every step through the cache (L1 for small
  layers, L2 otherwise; not pinned in registers or shared memory), and the state
  passes between steps through the block's rows of the state buffer.

They compute exactly the buffers :func:`rnnlab.nn.fast.dt.dt_forward` and the backward
loop of :class:`~rnnlab.nn.fast.dt.DTFunction` compute, in the same layout, so the
weight gradients (one large product per layer over all T·B rows) stay torch's.

Equations (per step, φ = tanh or relu, G = F1 [+ H with shortcut]):

.. math::
    A_t &= h_{t-1} W_{first}^\top + xpb_t, \quad z^{(1)}_t = \phi(A_{t,:F1}) \\
    z^{(l)}_t &= \phi(z^{(l-1)}_t W_l^\top + b_l), \quad l = 2..L-1 \\
    h_t &= \phi(z^{(L-1)}_t W_L^\top + (A_{t,F1:} \text{ or } b_L))

and backward, with g = dL/dh_t carried from step t+1:

.. math::
    dp_L = (g + dout_t) \odot \phi'(h_t), \quad
    dp_{l-1} = (dp_l W_l) \odot \phi'(z^{(l-1)}_t), \quad
    g \leftarrow [dp_1, dp_L^{(s)}] W_{first} \;(+\text{ the carried part past a sequence's end})

The programs compile with Triton on CUDA. Under ``TRITON_INTERPRET=1`` the same
code runs on CPU tensors through Triton's interpreter, which is how the CPU test
suite proves these kernels equal to the torch loop in float64.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import torch
from torch import Tensor

from .triton_common import mask_bytes, plan, precision, triton

if triton is not None:
    import triton.language as tl

    from .triton_common import (_bias_rows, _cols, _dphi, _masked_state, _phi, _program,
                                _split_grad, _sync, _tile_mm)

    @triton.jit
    def _dt_fwd_kernel(xpb, hs, A, Z, new, mask, w_first, wmid, bmid, w_last, b_last, sync,
                       T, B, H, G, F1, F,
                       DEPTH: tl.constexpr, NMID: tl.constexpr, SHORTCUT: tl.constexpr,
                       HAS_MASK: tl.constexpr, HAS_BIAS: tl.constexpr, ACT: tl.constexpr,
                       PREC: tl.constexpr, SPLIT: tl.constexpr, BLOCK_B: tl.constexpr,
                       BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
        pid_n, nsplit, rows, rmask, ctr = _program(sync, B, BLOCK_B)
        for t in range(T):
            h_prev = hs + t * B * H
            # layer 1 (and the shortcut's pre-activation): A_t = h_{t-1} W_first^T + xpb_t
            for n0 in range(pid_n * BLOCK_N, G, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, G, rmask, BLOCK_N)
                off = t * B * G + rows[:, None] * G + cols[None, :]
                acc = tl.load(xpb + off, mask=tile, other=0.0)
                acc = _tile_mm(acc, h_prev, H, w_first, H, 1, rows, rmask, cols, cm, H,
                               PREC, BLOCK_K)
                if DEPTH == 1:
                    tl.store(new + t * B * H + rows[:, None] * H + cols[None, :],
                             _phi(acc, ACT), mask=tile)
                else:
                    acc = tl.where(cols[None, :] < F1, _phi(acc, ACT), acc)
                    tl.store(A + off, acc, mask=tile)
            _sync(ctr, t * (NMID + 2) + 1, SPLIT)
            # layers 2 .. L-1
            for l in tl.static_range(NMID):
                for n0 in range(pid_n * BLOCK_N, F, nsplit * BLOCK_N):
                    cols, cm, tile = _cols(n0, F, rmask, BLOCK_N)
                    acc = _bias_rows(bmid + l * F, cols, cm, xpb, HAS_BIAS, BLOCK_B, BLOCK_N)
                    if l == 0:
                        acc = _tile_mm(acc, A + t * B * G, G, wmid, F, 1, rows, rmask, cols,
                                       cm, F1, PREC, BLOCK_K)
                    else:
                        acc = _tile_mm(acc, Z + ((l - 1) * T + t) * B * F, F, wmid + l * F * F,
                                       F, 1, rows, rmask, cols, cm, F, PREC, BLOCK_K)
                    tl.store(Z + (l * T + t) * B * F + rows[:, None] * F + cols[None, :],
                             _phi(acc, ACT), mask=tile)
                _sync(ctr, t * (NMID + 2) + 2 + l, SPLIT)
            # layer L: h_t = φ(z W_L^T + (shortcut pre-activation or b_L)), then the mask
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                if DEPTH == 1:
                    y = tl.load(new + t * B * H + hoff, mask=tile, other=0.0, cache_modifier=".cg")
                else:
                    if SHORTCUT:
                        acc = tl.load(A + t * B * G + rows[:, None] * G + F1 + cols[None, :],
                                      mask=tile, other=0.0, cache_modifier=".cg")
                    else:
                        acc = _bias_rows(b_last, cols, cm, xpb, HAS_BIAS, BLOCK_B, BLOCK_N)
                    if NMID == 0:
                        acc = _tile_mm(acc, A + t * B * G, G, w_last, F, 1, rows, rmask, cols,
                                       cm, F1, PREC, BLOCK_K)
                    else:
                        acc = _tile_mm(acc, Z + ((NMID - 1) * T + t) * B * F, F, w_last, F, 1,
                                       rows, rmask, cols, cm, F, PREC, BLOCK_K)
                    y = _phi(acc, ACT)
                    tl.store(new + t * B * H + hoff, y, mask=tile)
                _masked_state(hs + (t + 1) * B * H, h_prev, mask + t * B, y, rows, rmask, hoff,
                              tile, HAS_MASK)
            _sync(ctr, t * (NMID + 2) + NMID + 2, SPLIT)

    @triton.jit
    def _dt_bwd_kernel(dout, g, new, A, Z, mask, dxp, dmid, dpL, dpL_rs, dpL_off,
                       w_first, wmid, w_last, sync,
                       T, B, H, G, F1, F,
                       DEPTH: tl.constexpr, NMID: tl.constexpr, HAS_MASK: tl.constexpr,
                       ACT: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                       BLOCK_B: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
        pid_n, nsplit, rows, rmask, ctr = _program(sync, B, BLOCK_B)
        for s in range(T):
            t = T - 1 - s
            # dL/dh_t: the carried g plus this step's output gradient; split by the mask
            # into the cell's part (dp_L) and the part that skips the cell (kept in g)
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                gn, carry = _split_grad(g, dout + t * B * H, mask + t * B, rows, rmask, hoff,
                                        tile, HAS_MASK)
                y = tl.load(new + t * B * H + hoff, mask=tile, other=0.0)
                tl.store(dpL + t * B * dpL_rs + rows[:, None] * dpL_rs + dpL_off + cols[None, :],
                         _dphi(gn, y, ACT), mask=tile)
                tl.store(g + hoff, carry, mask=tile)
            _sync(ctr, s * (DEPTH + 1) + 1, SPLIT)
            # down the transition: dp_{l-1} = (dp_l W_l) φ'(z_{l-1}), l = L .. 2
            for i in tl.static_range(DEPTH - 1):
                l = DEPTH - 1 - i  # weights[l-1] = W_{l+1}; dst is layer l's pre-activation
                for n0 in range(pid_n * BLOCK_N, F, nsplit * BLOCK_N):
                    cols, cm, tile = _cols(n0, F, rmask, BLOCK_N)
                    acc = tl.zeros((BLOCK_B, BLOCK_N), dtype=new.dtype.element_ty)
                    if l == DEPTH - 1:  # from dp_L, through W_L (H, F)
                        acc = _tile_mm(acc, dpL + t * B * dpL_rs + dpL_off, dpL_rs, w_last, 1, F,
                                       rows, rmask, cols, cm, H, PREC, BLOCK_K)
                    else:  # from a middle layer, through its (F, F) weight
                        acc = _tile_mm(acc, dmid + ((l - 1) * T + t) * B * F, F,
                                       wmid + (l - 1) * F * F, 1, F, rows, rmask, cols, cm, F,
                                       PREC, BLOCK_K)
                    if l == 1:  # layer 1: z1 lives in A[..., :F1], dp1 in dxp[..., :F1]
                        z = tl.load(A + t * B * G + rows[:, None] * G + cols[None, :], mask=tile,
                                    other=0.0)
                        tl.store(dxp + t * B * G + rows[:, None] * G + cols[None, :],
                                 _dphi(acc, z, ACT), mask=tile)
                    else:
                        zoff = ((l - 2) * T + t) * B * F + rows[:, None] * F + cols[None, :]
                        z = tl.load(Z + zoff, mask=tile, other=0.0)
                        tl.store(dmid + zoff, _dphi(acc, z, ACT), mask=tile)
                _sync(ctr, s * (DEPTH + 1) + 2 + i, SPLIT)
            # dL/dh_{t-1} = dxp_t W_first (+ the carried part)
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                acc = tl.load(g + hoff, mask=tile, other=0.0, cache_modifier=".cg")
                acc = _tile_mm(acc, dxp + t * B * G, G, w_first, 1, H, rows, rmask, cols, cm, G,
                               PREC, BLOCK_K)
                tl.store(g + hoff, acc, mask=tile)
            _sync(ctr, s * (DEPTH + 1) + DEPTH + 1, SPLIT)


def sizes(G: int, H: int, depth: int, shortcut: bool) -> Tuple[int, int, int]:
    """(NMID, F1, F) of a layer whose first transition layer has G outputs."""
    F1 = G - H if shortcut else G
    return max(depth - 2, 0), F1, F1 if depth > 1 else H


def forward_buffers(xpb: Tensor, h0: Tensor, mask: Optional[Tensor], depth: int, F: int):
    """What a forward kernel fills (shared with :mod:`.dt_resident`): (xpb made
    contiguous, hs (T+1, B, H) with hs[0] = h0, new, A, Z) as :func:`forward` returns them."""
    T, B, G = xpb.shape
    H = h0.shape[1]
    xpb = xpb.contiguous()
    hs = xpb.new_empty(T + 1, B, H)
    hs[0] = h0
    new = hs[1:] if mask is None else xpb.new_empty(T, B, H)
    A = new if depth == 1 else xpb.new_empty(T, B, G)
    return xpb, hs, new, A, xpb.new_empty(max(depth - 2, 0), T, B, F)


def forward_weights(layers: List[Tuple[Tensor, Optional[Tensor]]], like: Tensor, H: int,
                    F: int, shortcut: bool):
    """(wmid (NMID, F, F), bmid (NMID, F), w_last (H, F), b_last (H,)): zeros for a bias
    the layer lacks (b_L: also with the shortcut, whose b_L rides in xpb), and a
    placeholder for a matrix it lacks (never read)."""
    mids = layers[:-1]
    wmid, bmid = like.new_zeros(1, 1, 1), like.new_zeros(1, 1)
    if mids:
        wmid = torch.stack([w for w, _ in mids]).contiguous()
        biases = [b for _, b in mids if b is not None]  # (all or none: dt.mixed_biases)
        bmid = (torch.stack(biases).contiguous() if mids[0][1] is not None
                else like.new_zeros(len(mids), F))
    if len(layers) == 0:
        return wmid, bmid, like.new_zeros(1, 1), like.new_zeros(1)
    w_last, b = layers[-1][0].contiguous(), layers[-1][1]
    return wmid, bmid, w_last, like.new_zeros(H) if shortcut or b is None else b.contiguous()


def backward_buffers(new: Tensor, dh_T: Tensor, G: int, depth: int, F1: int, F: int,
                     shortcut: bool):
    """What a backward kernel fills (shared with :mod:`.dt_resident`): (dxp (T, B, G),
    dmid (NMID, T, B, F), g (B, H) starting at dh_T, (dpL, its row stride, its column
    offset)): dp_L lives in dxp with one layer or with the shortcut."""
    T, B, H = new.shape
    dxp = new.new_empty(T, B, G)
    dmid = new.new_empty(max(depth - 2, 0), T, B, F)
    if depth == 1:
        dpL = (dxp, G, 0)
    elif shortcut:
        dpL = (dxp, G, F1)
    else:
        dpL = (new.new_empty(T, B, H), H, 0)
    return dxp, dmid, dh_T.clone().contiguous(), dpL


def backward_weights(weights: List[Tensor], like: Tensor):
    """(wmid (NMID, F, F), w_last (H, F)), placeholders for those the layer lacks."""
    wmid = torch.stack(weights[:-1]).contiguous() if len(weights) > 1 else like.new_zeros(1, 1, 1)
    return wmid, weights[-1].contiguous() if weights else like.new_zeros(1, 1)


def forward(act: str, xpb: Tensor, h0: Tensor, mask: Optional[Tensor], w_first: Tensor,
            layers: List[Tuple[Tensor, Optional[Tensor]]], shortcut: bool,
            has_bias: bool, split: bool = False):
    """The forward loop. ``xpb`` already holds the first layer's (and shortcut's) bias.
    ``split``: spread each batch block over several programs (see :func:`plan`).

    Returns (hs (T+1, B, H), new (T, B, H), A (T, B, G), Z (NMID, T, B, F)) in
    :func:`rnnlab.nn.fast.dt.dt_forward`'s layout; ``new`` is ``hs[1:]`` without mask.
    """
    T, B, G = xpb.shape
    H = h0.shape[1]
    depth = len(layers) + 1
    nmid, F1, F = sizes(G, H, depth, shortcut)
    xpb, hs, new, A, Z = forward_buffers(xpb, h0, mask, depth, F)
    wmid, bmid, w_last, b_last = forward_weights(layers, xpb, H, F, shortcut)
    p = plan(B, max(G, H, F), xpb, split)
    sync = torch.zeros(triton.cdiv(B, p.block_b), dtype=torch.int32, device=xpb.device)
    _dt_fwd_kernel[(triton.cdiv(B, p.block_b), p.nsplit)](
        xpb, hs, A, Z if nmid else xpb, new, mask_bytes(mask, xpb), w_first.contiguous(),
        wmid, bmid, w_last, b_last, sync, T, B, H, G, F1, F,
        DEPTH=depth, NMID=nmid, SHORTCUT=shortcut, HAS_MASK=mask is not None,
        HAS_BIAS=has_bias, ACT=0 if act == "tanh" else 1, PREC=precision(xpb),
        SPLIT=p.split, BLOCK_B=p.block_b, BLOCK_N=p.block_n, BLOCK_K=p.block_k, num_warps=4)
    return hs, new, A, Z


def backward(act: str, dout: Tensor, dh_T: Tensor, new: Tensor, A: Tensor, Z: Tensor,
             mask: Optional[Tensor], w_first: Tensor, weights: List[Tensor], shortcut: bool,
             split: bool = False):
    """The backward loop: returns (dxp (T, B, G), dmid (NMID, T, B, F), dpL (T, B, H), dh0)."""
    T, B, H = new.shape
    G = A.shape[-1]
    depth = len(weights) + 1
    nmid, F1, F = sizes(G, H, depth, shortcut)
    dxp, dmid, g, (dpL, dpL_rs, dpL_off) = backward_buffers(new, dh_T, G, depth, F1, F,
                                                            shortcut)
    wmid, w_last = backward_weights(weights, new)
    p = plan(B, max(G, H, F), new, split)
    sync = torch.zeros(triton.cdiv(B, p.block_b), dtype=torch.int32, device=new.device)
    _dt_bwd_kernel[(triton.cdiv(B, p.block_b), p.nsplit)](
        dout.contiguous(), g, new, A, Z if nmid else new, mask_bytes(mask, new), dxp,
        dmid if nmid else new, dpL, dpL_rs, dpL_off, w_first.contiguous(), wmid, w_last, sync,
        T, B, H, G, F1, F,
        DEPTH=depth, NMID=nmid, HAS_MASK=mask is not None, ACT=0 if act == "tanh" else 1,
        PREC=precision(new), SPLIT=p.split, BLOCK_B=p.block_b, BLOCK_N=p.block_n,
        BLOCK_K=p.block_k, num_warps=4)
    dpL_view = dpL if depth == 1 or not shortcut else dxp[..., F1:]
    return dxp, dmid, dpL_view, g
