r"""The Cho-form GRU loop (``GRUCell(reset_after=False)``) in Triton with the recurrent
weights resident on chip (``impl="triton-resident"``).

The equations, phases and buffers of :mod:`.gru_cho_triton` (forward: [r, z] then n and
h_t; backward: dn and dz, then d(RH) and dr, then dh_{t-1}; its jit epilogues and buffer
helpers serve both), laid out as
:mod:`.dt_resident` lays out the DT-RNN: program (g, n) owns column tile n of W_{h,rz}
and W_{hn} (as each direction reads them) and loads it once before the time loop;
phases meet at the barrier; the interpreter runs one launch per (step, phase) when a
block has several programs. Resident weight elements per program, for HP = H and
RP = 2H padded:

.. math::
    \text{forward: } HP \cdot BN_{2H} + HP \cdot BN_H, \qquad
    \text{backward: } HP \cdot BN_H + RP \cdot BN_H
"""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor

from .dt_resident import (BLOCK_B, NUM_WARPS, RESIDENT_BYTES, _p2, fit, grid, launch, tile_width,
                          uses_counter)
from .gru_cho_triton import backward_buffers, forward_buffers
from .triton_common import mask_bytes, precision, triton
from ...io.errors import ConfigError

if triton is not None:
    import triton.language as tl

    from .dt_resident_kernels import _block, _on, _rmm, _tile
    from .gru_cho_triton import _dn_dz_out, _dr_out, _h_out, _rz_out
    from .triton_common import _sync

    @triton.jit
    def _gru_fwd_kernel(xpb, hs, RZ, N, RH, new, mask, w, sync, T, B, H, t0, t1, ph,
                        HAS_MASK: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                        BLOCK_B: tl.constexpr, HP: tl.constexpr, BN_R: tl.constexpr,
                        BN_H: tl.constexpr):
        pid_g, groups, pid_n = tl.program_id(0), tl.num_programs(0), tl.program_id(1)
        ctr, nb = sync + pid_g, tl.cdiv(B, BLOCK_B)
        # resident: W_rz^T's columns (HP, BN_R), W_n^T's (HP, BN_H)
        wrz, cr, cmr = _tile(w, H, 1, pid_n * BN_R, 2 * H, H, HP, BN_R)
        wn, ch, cmh = _tile(w + 2 * H * H, H, 1, pid_n * BN_H, H, H, HP, BN_H)
        for t in range(t0, t1):
            h_prev = hs + t * B * H
            x_t = xpb + t * B * 3 * H
            # r, z = σ(xpb_rz + h W_rz^T); r·h for the r columns
            if _on(ph, 0):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, _ = _block(rb, B, cr, cmr, H, BLOCK_B)
                    # (offsets as written: rows * 3H as one product costs 25 registers)
                    acc = tl.load(x_t + rows[:, None] * 3 * H + cr[None, :], mask=tile,
                                  other=0.0)
                    acc = _rmm(acc, h_prev, H, rows, rmask, H, wrz, PREC, HP)
                    _rz_out(acc, RZ + t * B * 2 * H, RH + t * B * H, h_prev, rows, cr, tile, H)
                _sync(ctr, t * 2 + 1, SPLIT)
            # n = tanh(xpb_n + (r h) W_n^T); h_t = n + z (h - n); the mask
            if _on(ph, 1):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    acc = tl.load(x_t + rows[:, None] * 3 * H + 2 * H + ch[None, :], mask=tile,
                                  other=0.0)
                    acc = _rmm(acc, RH + t * B * H, H, rows, rmask, H, wn, PREC, HP)
                    _h_out(acc, hs, N, RZ, new, mask, t, rows, rmask, ch, hoff, tile, B, H,
                           HAS_MASK)
                _sync(ctr, t * 2 + 2, SPLIT)

    @triton.jit
    def _gru_bwd_kernel(dout, g, gpart, hs, RZ, N, mask, dxp, w, sync, T, B, H, t0, t1, ph,
                        HAS_MASK: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                        BLOCK_B: tl.constexpr, HP: tl.constexpr, RP: tl.constexpr,
                        BN_H: tl.constexpr):
        pid_g, groups, pid_n = tl.program_id(0), tl.num_programs(0), tl.program_id(1)
        ctr, nb = sync + pid_g, tl.cdiv(B, BLOCK_B)
        # resident: W_n's columns (HP, BN_H), W_rz's (RP, BN_H)
        wn, ch, cmh = _tile(w + 2 * H * H, 1, H, pid_n * BN_H, H, H, HP, BN_H)
        wrz, ch, cmh = _tile(w, 1, H, pid_n * BN_H, H, 2 * H, RP, BN_H)
        for s in range(t0, t1):
            t = T - 1 - s
            d_t = dxp + t * B * 3 * H
            rz_t = RZ + t * B * 2 * H
            # dn and dz (pre-activation), and the direct part of dh_{t-1}
            if _on(ph, 0):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    _dn_dz_out(g, dout + t * B * H, mask + t * B, hs + t * B * H,
                               N + t * B * H, rz_t, d_t, gpart, rows, rmask, ch, hoff, tile, H,
                               HAS_MASK)
                _sync(ctr, s * 3 + 1, SPLIT)
            # d(RH) = dn W_n: dr (pre-activation), and d(RH) r into dh_{t-1}
            if _on(ph, 1):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    drh = tl.zeros((BLOCK_B, BN_H), dtype=hs.dtype.element_ty)
                    drh = _rmm(drh, d_t + 2 * H, 3 * H, rows, rmask, H, wn, PREC, HP)
                    _dr_out(drh, hs + t * B * H, rz_t, d_t, gpart, rows, ch, hoff, tile, H)
                _sync(ctr, s * 3 + 2, SPLIT)
            # dh_{t-1} = direct part + [dr, dz] W_rz
            if _on(ph, 2):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    acc = tl.load(gpart + hoff, mask=tile, other=0.0, cache_modifier=".cg")
                    acc = _rmm(acc, d_t, 3 * H, rows, rmask, 2 * H, wrz, PREC, RP)
                    tl.store(g + hoff, acc, mask=tile)
                _sync(ctr, s * 3 + 3, SPLIT)


def _nsplit(H: int, itemsize: int) -> Optional[int]:
    found = fit([(H, 2 * H), (H, H)], [(H, H), (2 * H, H)], itemsize)
    return None if found is None else found[0]


def unfit_reason(cell, dtype: torch.dtype) -> Optional[str]:
    """Why the resident kernels cannot hold this GRU's weights, or None when they can."""
    if _nsplit(cell.hidden_size, torch.empty((), dtype=dtype).element_size()) is None:
        return (f"the weights do not fit on chip: hidden_size={cell.hidden_size} in {dtype} "
                f"needs more than {RESIDENT_BYTES // 1024} KB per program even in 16-column "
                f"tiles")
    return None


def _plan(H: int, B: int, x: Tensor):
    nsplit = _nsplit(H, x.element_size())
    if nsplit is None:
        raise ConfigError(f"triton-resident: GRU H={H} does not fit on chip "
                          f"({RESIDENT_BYTES // 1024} KB per program); use triton-split")
    return (nsplit,) + grid(nsplit, B, x)


def forward(xpb: Tensor, h0: Tensor, w: Tensor, mask: Optional[Tensor]):
    """:func:`.gru_cho_triton.forward` with resident weights: (hs, RZ, N, RH, new)."""
    T, B, G = xpb.shape
    H = G // 3
    nsplit, groups, emulate = _plan(H, B, xpb)
    xpb, hs, RZ, N, RH, new = forward_buffers(xpb, h0, mask)
    sync = torch.zeros(groups, dtype=torch.int32, device=xpb.device)
    meta = dict(HAS_MASK=mask is not None, PREC=precision(xpb),
                SPLIT=uses_counter(nsplit, xpb, emulate), BLOCK_B=BLOCK_B, HP=_p2(H),
                BN_R=tile_width(2 * H, nsplit), BN_H=tile_width(H, nsplit), num_warps=NUM_WARPS)
    args = (xpb, hs, RZ, N, RH, new, mask_bytes(mask, xpb), w.contiguous(), sync, T, B, H)
    launch(_gru_fwd_kernel, (groups, nsplit), args, T, 2, emulate, meta)
    return hs, RZ, N, RH, new


def backward(dout: Tensor, dh_T: Tensor, hs: Tensor, RZ: Tensor, N: Tensor,
             mask: Optional[Tensor], w: Tensor):
    """:func:`.gru_cho_triton.backward` with resident weights: (dxp (T, B, 3H), dh0)."""
    T, B, H = N.shape
    nsplit, groups, emulate = _plan(H, B, hs)
    dxp, g, gpart = backward_buffers(hs, dh_T, N.shape)
    sync = torch.zeros(groups, dtype=torch.int32, device=hs.device)
    meta = dict(HAS_MASK=mask is not None, PREC=precision(hs),
                SPLIT=uses_counter(nsplit, hs, emulate), BLOCK_B=BLOCK_B, HP=_p2(H),
                RP=_p2(2 * H), BN_H=tile_width(H, nsplit), num_warps=NUM_WARPS)
    args = (dout.contiguous(), g, gpart, hs, RZ, N, mask_bytes(mask, hs), dxp, w.contiguous(),
            sync, T, B, H)
    launch(_gru_bwd_kernel, (groups, nsplit), args, T, 3, emulate, meta)
    return dxp, g
