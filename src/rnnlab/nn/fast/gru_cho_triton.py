r"""Triton kernels for the Cho-form GRU loop (``GRUCell(reset_after=False)``): all T steps
in one launch each way.

The same layout as :mod:`rnnlab.nn.fast.dt_triton` (one program per block of batch rows,
optionally split over several programs per block) and the same buffers as the torch-ops
kernel :mod:`rnnlab.nn.fast.gru_cho`, so its weight gradients stay one product over all
T·B rows. Per step, with xpb_t = x_t W_ih^T + b_ih + b_hh hoisted:

.. math::
    [r_t, z_t] &= \sigma(xpb_{t,rz} + h_{t-1} W_{h,rz}^\top), \quad
    RH_t = r_t \odot h_{t-1} \\
    n_t &= \tanh(xpb_{t,n} + RH_t W_{hn}^\top), \quad h_t = n_t + z_t (h_{t-1} - n_t)

two phases (r·h is formed in the first one's epilogue). Backward, with g = dL/dh_t:

.. math::
    dn &= g (1 - z_t)(1 - n_t^2), \quad dz = g (h_{t-1} - n_t) z_t (1 - z_t) \\
    d(RH) &= dn\, W_{hn}, \quad dr = d(RH) \odot h_{t-1} \odot r_t (1 - r_t) \\
    dh_{t-1} &= g z_t + d(RH) \odot r_t + [dr, dz] W_{h,rz}

three phases. Tested against the reference loop in float64 through Triton's CPU
interpreter (``tests/test_triton_paths.py``) and compiled for sm_90 without a GPU
(``tests/test_triton_compile.py``).
"""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor

from .triton_common import mask_bytes, plan, precision, triton

if triton is not None:
    import triton.language as tl

    from .triton_common import (_cols, _program, _sigmoid, _split_grad, _sync, _tanh,
                                _tile_mm)

    # The steps' epilogues, shared with :mod:`.gru_cho_resident`: per tile of batch rows
    # ``rows`` by columns ``cols`` (``hoff``: their offsets in a (B, H) buffer), given the
    # phase's product ``acc``; ``*_t`` point at step t's slice of a buffer.

    @triton.jit
    def _rz_out(acc, RZ_t, RH_t, h_prev, rows, cols, tile, H):
        """[r, z] = σ(acc) into RZ_t; r·h_{t-1} into RH_t for the r columns."""
        rz = _sigmoid(acc)
        tl.store(RZ_t + rows[:, None] * 2 * H + cols[None, :], rz, mask=tile)
        rtile = tile & (cols < H)[None, :]
        hv = tl.load(h_prev + rows[:, None] * H + cols[None, :], mask=rtile, other=0.0,
                     cache_modifier=".cg")
        tl.store(RH_t + rows[:, None] * H + cols[None, :], rz * hv, mask=rtile)

    @triton.jit
    def _h_out(acc, hs, N, RZ, new, mask, t, rows, rmask, cols, hoff, tile, B, H,
               HAS_MASK: tl.constexpr):
        """n = tanh(acc) into N; h_t = n + z (h_{t-1} - n) into new (and, past a
        sequence's end with a mask, h_{t-1} into hs[t + 1])."""
        n = _tanh(acc)
        tl.store(N + t * B * H + hoff, n, mask=tile)
        hv = tl.load(hs + t * B * H + hoff, mask=tile, other=0.0, cache_modifier=".cg")
        z = tl.load(RZ + t * B * 2 * H + rows[:, None] * 2 * H + H + cols[None, :],
                    mask=tile, other=0.0, cache_modifier=".cg")
        hn = n + z * (hv - n)
        tl.store(new + t * B * H + hoff, hn, mask=tile)
        if HAS_MASK:
            m = tl.load(mask + t * B + rows, mask=rmask, other=0) != 0
            tl.store(hs + (t + 1) * B * H + hoff, tl.where(m[:, None], hn, hv), mask=tile)

    @triton.jit
    def _dn_dz_out(g, dout_t, mask_t, hs_t, N_t, rz_t, d_t, gpart, rows, rmask, cols, hoff,
                   tile, H, HAS_MASK: tl.constexpr):
        """Backward phase 1 (no product): dn, dz (pre-activation) into d_t; the direct
        part of dh_{t-1}, g z + the carried part, into gpart."""
        gn, carry = _split_grad(g, dout_t, mask_t, rows, rmask, hoff, tile, HAS_MASK)
        hv = tl.load(hs_t + hoff, mask=tile, other=0.0)
        n = tl.load(N_t + hoff, mask=tile, other=0.0)
        z = tl.load(rz_t + rows[:, None] * 2 * H + H + cols[None, :], mask=tile, other=0.0)
        drow = d_t + rows[:, None] * 3 * H + cols[None, :]
        tl.store(drow + 2 * H, gn * (1.0 - z) * (1.0 - n * n), mask=tile)
        tl.store(drow + H, gn * (hv - n) * z * (1.0 - z), mask=tile)
        tl.store(gpart + hoff, gn * z + carry, mask=tile)

    @triton.jit
    def _dr_out(drh, hs_t, rz_t, d_t, gpart, rows, cols, hoff, tile, H):
        """Given d(RH) = dn W_n: dr (pre-activation) into d_t; d(RH) r added to gpart."""
        r = tl.load(rz_t + rows[:, None] * 2 * H + cols[None, :], mask=tile, other=0.0)
        hv = tl.load(hs_t + hoff, mask=tile, other=0.0)
        tl.store(d_t + rows[:, None] * 3 * H + cols[None, :], drh * hv * r * (1.0 - r),
                 mask=tile)
        gp = tl.load(gpart + hoff, mask=tile, other=0.0, cache_modifier=".cg")
        tl.store(gpart + hoff, gp + drh * r, mask=tile)

    @triton.jit
    def _gru_fwd_kernel(xpb, hs, RZ, N, RH, new, mask, w, sync, T, B, H,
                        HAS_MASK: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                        BLOCK_B: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
        pid_n, nsplit, rows, rmask, ctr = _program(sync, B, BLOCK_B)
        for t in range(T):
            h_prev = hs + t * B * H
            x_t = xpb + t * B * 3 * H
            # r, z = σ(xpb_rz + h W_rz^T); r·h for the r columns
            for n0 in range(pid_n * BLOCK_N, 2 * H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, 2 * H, rmask, BLOCK_N)
                acc = tl.load(x_t + rows[:, None] * 3 * H + cols[None, :], mask=tile, other=0.0)
                acc = _tile_mm(acc, h_prev, H, w, H, 1, rows, rmask, cols, cm, H, PREC, BLOCK_K)
                _rz_out(acc, RZ + t * B * 2 * H, RH + t * B * H, h_prev, rows, cols, tile, H)
            _sync(ctr, t * 2 + 1, SPLIT)
            # n = tanh(xpb_n + (r h) W_n^T); h_t = n + z (h - n); the mask
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                acc = tl.load(x_t + rows[:, None] * 3 * H + 2 * H + cols[None, :], mask=tile,
                              other=0.0)
                acc = _tile_mm(acc, RH + t * B * H, H, w + 2 * H * H, H, 1, rows, rmask, cols,
                               cm, H, PREC, BLOCK_K)
                _h_out(acc, hs, N, RZ, new, mask, t, rows, rmask, cols, hoff, tile, B, H,
                       HAS_MASK)
            _sync(ctr, t * 2 + 2, SPLIT)

    @triton.jit
    def _gru_bwd_kernel(dout, g, gpart, hs, RZ, N, mask, dxp, w, sync, T, B, H,
                        HAS_MASK: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                        BLOCK_B: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
        pid_n, nsplit, rows, rmask, ctr = _program(sync, B, BLOCK_B)
        for s in range(T):
            t = T - 1 - s
            d_t = dxp + t * B * 3 * H
            rz_t = RZ + t * B * 2 * H
            # dn and dz (pre-activation), and the direct part of dh_{t-1}
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                _dn_dz_out(g, dout + t * B * H, mask + t * B, hs + t * B * H, N + t * B * H,
                           rz_t, d_t, gpart, rows, rmask, cols, hoff, tile, H, HAS_MASK)
            _sync(ctr, s * 3 + 1, SPLIT)
            # d(RH) = dn W_n: dr (pre-activation), and d(RH) r into dh_{t-1}
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                drh = tl.zeros((BLOCK_B, BLOCK_N), dtype=hs.dtype.element_ty)
                drh = _tile_mm(drh, d_t + 2 * H, 3 * H, w + 2 * H * H, 1, H, rows, rmask, cols,
                               cm, H, PREC, BLOCK_K)
                _dr_out(drh, hs + t * B * H, rz_t, d_t, gpart, rows, cols, hoff, tile, H)
            _sync(ctr, s * 3 + 2, SPLIT)
            # dh_{t-1} = direct part + [dr, dz] W_rz
            for n0 in range(pid_n * BLOCK_N, H, nsplit * BLOCK_N):
                cols, cm, tile = _cols(n0, H, rmask, BLOCK_N)
                hoff = rows[:, None] * H + cols[None, :]
                acc = tl.load(gpart + hoff, mask=tile, other=0.0, cache_modifier=".cg")
                acc = _tile_mm(acc, d_t, 3 * H, w, 1, H, rows, rmask, cols, cm, 2 * H, PREC,
                               BLOCK_K)
                tl.store(g + hoff, acc, mask=tile)
            _sync(ctr, s * 3 + 3, SPLIT)


def forward_buffers(xpb: Tensor, h0: Tensor, mask: Optional[Tensor]):
    """What a forward kernel fills (shared with :mod:`.gru_cho_resident`): (xpb made
    contiguous, hs (T+1, B, H) with hs[0] = h0, RZ (T, B, 2H), N, RH, new (T, B, H))."""
    T, B, G = xpb.shape
    H = G // 3
    xpb = xpb.contiguous()
    hs = xpb.new_empty(T + 1, B, H)
    hs[0] = h0
    RZ, N, RH = xpb.new_empty(T, B, 2 * H), xpb.new_empty(T, B, H), xpb.new_empty(T, B, H)
    new = hs[1:] if mask is None else xpb.new_empty(T, B, H)
    return xpb, hs, RZ, N, RH, new


def backward_buffers(hs: Tensor, dh_T: Tensor, shape):
    """What a backward kernel fills, for N's ``shape`` (T, B, H): (dxp (T, B, 3H), g
    (B, H) starting at dh_T, gpart (B, H))."""
    T, B, H = shape
    g = dh_T.clone().contiguous()
    return hs.new_empty(T, B, 3 * H), g, torch.empty_like(g)


def forward(xpb: Tensor, h0: Tensor, w: Tensor, mask: Optional[Tensor], split: bool = False):
    """The forward loop; ``xpb`` holds both biases. Returns (hs, RZ, N, RH, new) in
    :func:`rnnlab.nn.fast.gru_cho.gru_cho_forward`'s layout (``new`` is ``hs[1:]``
    without mask)."""
    T, B, G = xpb.shape
    H = G // 3
    xpb, hs, RZ, N, RH, new = forward_buffers(xpb, h0, mask)
    p = plan(B, 2 * H, xpb, split)
    sync = torch.zeros(triton.cdiv(B, p.block_b), dtype=torch.int32, device=xpb.device)
    _gru_fwd_kernel[(triton.cdiv(B, p.block_b), p.nsplit)](
        xpb, hs, RZ, N, RH, new, mask_bytes(mask, xpb), w.contiguous(), sync, T, B, H,
        HAS_MASK=mask is not None, PREC=precision(xpb), SPLIT=p.split, BLOCK_B=p.block_b,
        BLOCK_N=p.block_n, BLOCK_K=p.block_k, num_warps=4)
    return hs, RZ, N, RH, new


def backward(dout: Tensor, dh_T: Tensor, hs: Tensor, RZ: Tensor, N: Tensor,
             mask: Optional[Tensor], w: Tensor, split: bool = False):
    """The backward loop: returns (dxp (T, B, 3H), dh0)."""
    T, B, H = N.shape
    dxp, g, gpart = backward_buffers(hs, dh_T, N.shape)
    p = plan(B, 2 * H, hs, split)
    sync = torch.zeros(triton.cdiv(B, p.block_b), dtype=torch.int32, device=hs.device)
    _gru_bwd_kernel[(triton.cdiv(B, p.block_b), p.nsplit)](
        dout.contiguous(), g, gpart, hs, RZ, N, mask_bytes(mask, hs), dxp, w.contiguous(),
        sync, T, B, H,
        HAS_MASK=mask is not None, PREC=precision(hs), SPLIT=p.split, BLOCK_B=p.block_b,
        BLOCK_N=p.block_n, BLOCK_K=p.block_k, num_warps=4)
    return dxp, g
