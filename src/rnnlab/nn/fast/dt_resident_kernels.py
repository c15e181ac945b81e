"""The Triton kernels of :mod:`.dt_resident` (the layout, the launchers and the why are
there), and the helpers :mod:`.gru_cho_resident` shares.

Forward and backward of the DT-RNN loop, one program per (group of batch blocks, column
tile): the program's tiles of every transition matrix are loaded before the time loop
and stay on chip (compiled for sm_90, Triton keeps them in shared memory, as ``tl.dot``
operands, and reads them from there each step); ``t0, t1, ph`` select the steps and the
phase (``ph < 0``: all) a launch runs, for the interpreter's emulation of the barrier.
Activations other programs wrote are loaded with ``.cg``; the pipeliner may turn those
loads into L1-cached async copies, which the barrier's acquire keeps coherent.
"""

from __future__ import annotations

from .triton_common import triton

if triton is not None:
    import triton.language as tl

    from .triton_common import _dphi, _mac, _masked_state, _phi, _split_grad, _sync

    @triton.jit
    def _tile(w, sn, sk, n0, N, K, KP: tl.constexpr, BN: tl.constexpr):
        """A resident tile t[k, j] = w[(n0 + j) sn + k sk] (KP x BN, zero past K and N),
        its columns and which of them exist."""
        cols = n0 + tl.arange(0, BN)
        cm = cols < N
        ks = tl.arange(0, KP)
        t = tl.load(w + ks[:, None] * sk + cols[None, :] * sn,
                    mask=(ks[:, None] < K) & cm[None, :], other=0.0)
        return t, cols, cm

    @triton.jit
    def _rmm(acc, a_ptr, a_rs, rows, rmask, K, wt, PREC: tl.constexpr, KP: tl.constexpr):
        """acc += a[rows, :K] @ wt, wt a resident (KP, BN) tile; ``a`` (other programs
        wrote it in the phase before) is read with .cg."""
        ks = tl.arange(0, KP)
        a = tl.load(a_ptr + rows[:, None] * a_rs + ks[None, :],
                    mask=rmask[:, None] & (ks[None, :] < K), other=0.0, cache_modifier=".cg")
        return _mac(acc, a, wt, PREC)

    @triton.jit
    def _on(ph, k):
        """Phase k runs in this launch: every phase (ph < 0) or only phase ph."""
        return (ph < 0) | (ph == k)

    @triton.jit
    def _pick(l: tl.constexpr, a, b):
        if l == 0:
            return a
        else:
            return b

    @triton.jit
    def _rows(rb, B, BLOCK_B: tl.constexpr):
        rows = rb * BLOCK_B + tl.arange(0, BLOCK_B)
        return rows, rows < B

    @triton.jit
    def _block(rb, B, cols, cm, N, BLOCK_B: tl.constexpr):
        """Batch block rb against a tile's columns: (rows, which exist, the tile's mask,
        the offsets rows * N + cols of a row-major (., N) buffer)."""
        rows, rmask = _rows(rb, B, BLOCK_B)
        return rows, rmask, rmask[:, None] & cm[None, :], rows[:, None] * N + cols[None, :]

    @triton.jit
    def _fwd_kernel(xpb, hs, A, Z, new, mask, w_first, wmid, bmid, w_last, b_last, sync,
                    T, B, H, G, F1, F, t0, t1, ph,
                    DEPTH: tl.constexpr, NMID: tl.constexpr, SHORTCUT: tl.constexpr,
                    HAS_MASK: tl.constexpr, ACT: tl.constexpr, PREC: tl.constexpr,
                    SPLIT: tl.constexpr, BLOCK_B: tl.constexpr, HP: tl.constexpr,
                    FP: tl.constexpr, BN_G: tl.constexpr, BN_F: tl.constexpr,
                    BN_H: tl.constexpr):
        pid_g, groups, pid_n = tl.program_id(0), tl.num_programs(0), tl.program_id(1)
        ctr, nb = sync + pid_g, tl.cdiv(B, BLOCK_B)
        # the resident tiles, loaded once: W^T's columns for this program
        w1, cg, cmg = _tile(w_first, H, 1, pid_n * BN_G, G, H, HP, BN_G)  # (HP, BN_G)
        ch = pid_n * BN_H + tl.arange(0, BN_H)
        cmh = ch < H
        if NMID > 0:
            wm0, cf, cmf = _tile(wmid, F, 1, pid_n * BN_F, F, F, FP, BN_F)  # (FP, BN_F)
            bm0 = tl.load(bmid + cf, mask=cmf, other=0.0)
            wm1, bm1 = wm0, bm0
            if NMID > 1:
                wm1, cf, cmf = _tile(wmid + F * F, F, 1, pid_n * BN_F, F, F, FP, BN_F)
                bm1 = tl.load(bmid + F + cf, mask=cmf, other=0.0)
        if DEPTH > 1:
            wL, ch, cmh = _tile(w_last, F, 1, pid_n * BN_H, H, F, FP, BN_H)  # (FP, BN_H)
            bL = tl.load(b_last + ch, mask=cmh, other=0.0)  # zeros with shortcut / no bias
        for t in range(t0, t1):
            h_prev = hs + t * B * H
            base = t * (NMID + 2)
            # layer 1 (and the shortcut's pre-activation): A_t = h_{t-1} W_first^T + xpb_t
            if _on(ph, 0):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, off = _block(rb, B, cg, cmg, G, BLOCK_B)
                    off += t * B * G
                    acc = tl.load(xpb + off, mask=tile, other=0.0)
                    acc = _rmm(acc, h_prev, H, rows, rmask, H, w1, PREC, HP)
                    if DEPTH == 1:
                        tl.store(new + t * B * H + rows[:, None] * H + cg[None, :],
                                 _phi(acc, ACT), mask=tile)
                    else:
                        tl.store(A + off, tl.where(cg[None, :] < F1, _phi(acc, ACT), acc),
                                 mask=tile)
                _sync(ctr, base + 1, SPLIT)
            # layers 2 .. L-1
            for l in tl.static_range(NMID):
                if _on(ph, 1 + l):
                    wm, bm = _pick(l, wm0, wm1), _pick(l, bm0, bm1)
                    for rb in range(pid_g, nb, groups):
                        rows, rmask = _rows(rb, B, BLOCK_B)
                        acc = tl.zeros((BLOCK_B, BN_F), dtype=bm.dtype) + bm[None, :]
                        if l == 0:
                            acc = _rmm(acc, A + t * B * G, G, rows, rmask, F1, wm, PREC, FP)
                        else:
                            acc = _rmm(acc, Z + ((l - 1) * T + t) * B * F, F, rows, rmask, F,
                                       wm, PREC, FP)
                        tl.store(Z + (l * T + t) * B * F + rows[:, None] * F + cf[None, :],
                                 _phi(acc, ACT), mask=rmask[:, None] & cmf[None, :])
                    _sync(ctr, base + 2 + l, SPLIT)
            # layer L: h_t = φ(z W_L^T + (shortcut pre-activation or b_L)), then the mask
            if _on(ph, NMID + 1):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    if DEPTH == 1:
                        y = tl.load(new + t * B * H + hoff, mask=tile, other=0.0,
                                    cache_modifier=".cg")
                    else:
                        if SHORTCUT:
                            acc = tl.load(A + t * B * G + rows[:, None] * G + F1 + ch[None, :],
                                          mask=tile, other=0.0, cache_modifier=".cg")
                        else:
                            acc = tl.zeros((BLOCK_B, BN_H), dtype=bL.dtype) + bL[None, :]
                        if NMID == 0:
                            acc = _rmm(acc, A + t * B * G, G, rows, rmask, F1, wL, PREC, FP)
                        else:
                            acc = _rmm(acc, Z + ((NMID - 1) * T + t) * B * F, F, rows, rmask,
                                       F, wL, PREC, FP)
                        y = _phi(acc, ACT)
                        tl.store(new + t * B * H + hoff, y, mask=tile)
                    _masked_state(hs + (t + 1) * B * H, h_prev, mask + t * B, y, rows, rmask,
                                  hoff, tile, HAS_MASK)
                _sync(ctr, base + NMID + 2, SPLIT)

    @triton.jit
    def _bwd_kernel(dout, g, new, A, Z, mask, dxp, dmid, dpL, dpL_rs, dpL_off,
                    w_first, wmid, w_last, sync, T, B, H, G, F1, F, t0, t1, ph,
                    DEPTH: tl.constexpr, NMID: tl.constexpr, HAS_MASK: tl.constexpr,
                    ACT: tl.constexpr, PREC: tl.constexpr, SPLIT: tl.constexpr,
                    BLOCK_B: tl.constexpr, HP: tl.constexpr, FP: tl.constexpr,
                    GP: tl.constexpr, BN_F: tl.constexpr, BN_H: tl.constexpr):
        pid_g, groups, pid_n = tl.program_id(0), tl.num_programs(0), tl.program_id(1)
        ctr, nb = sync + pid_g, tl.cdiv(B, BLOCK_B)
        # resident: W_first (G, H) as (GP, BN_H); W_L (H, F) as (HP, BN_F); mids (FP, BN_F)
        w1, ch, cmh = _tile(w_first, 1, H, pid_n * BN_H, H, G, GP, BN_H)
        if DEPTH > 1:
            wL, cf, cmf = _tile(w_last, 1, F, pid_n * BN_F, F, H, HP, BN_F)
        if NMID > 0:
            wm0, cf, cmf = _tile(wmid, 1, F, pid_n * BN_F, F, F, FP, BN_F)
            wm1 = wm0
            if NMID > 1:
                wm1, cf, cmf = _tile(wmid + F * F, 1, F, pid_n * BN_F, F, F, FP, BN_F)
        for s in range(t0, t1):
            t = T - 1 - s
            base = s * (DEPTH + 1)
            # dL/dh_t = carried g + dout_t, split by the mask into dp_L and the carried part
            if _on(ph, 0):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    gn, carry = _split_grad(g, dout + t * B * H, mask + t * B, rows, rmask,
                                            hoff, tile, HAS_MASK)
                    y = tl.load(new + t * B * H + hoff, mask=tile, other=0.0)
                    tl.store(dpL + t * B * dpL_rs + rows[:, None] * dpL_rs + dpL_off + ch[None, :],
                             _dphi(gn, y, ACT), mask=tile)
                    tl.store(g + hoff, carry, mask=tile)
                _sync(ctr, base + 1, SPLIT)
            # down the transition: dp_{l-1} = (dp_l W_l) φ'(z_{l-1}), l = L .. 2
            for l in tl.static_range(DEPTH - 1, 0, -1):  # weights[l-1] = W_{l+1}; dst: layer l
                if _on(ph, DEPTH - l):
                    if l == DEPTH - 1:
                        wt = wL
                    else:  # (picked outside the row loop: the tile stays hoisted)
                        wt = _pick(l - 1, wm0, wm1)
                    for rb in range(pid_g, nb, groups):
                        rows, rmask = _rows(rb, B, BLOCK_B)
                        tile = rmask[:, None] & cmf[None, :]
                        acc = tl.zeros((BLOCK_B, BN_F), dtype=new.dtype.element_ty)
                        if l == DEPTH - 1:  # from dp_L, through W_L
                            acc = _rmm(acc, dpL + t * B * dpL_rs + dpL_off, dpL_rs, rows, rmask,
                                       H, wt, PREC, HP)
                        else:  # from a middle layer, through its (F, F) weight
                            acc = _rmm(acc, dmid + ((l - 1) * T + t) * B * F, F, rows, rmask, F,
                                       wt, PREC, FP)
                        if l == 1:  # z1 lives in A[..., :F1], dp1 in dxp[..., :F1]
                            zoff = t * B * G + rows[:, None] * G + cf[None, :]
                            z = tl.load(A + zoff, mask=tile, other=0.0)
                            tl.store(dxp + zoff, _dphi(acc, z, ACT), mask=tile)
                        else:
                            zoff = ((l - 2) * T + t) * B * F + rows[:, None] * F + cf[None, :]
                            z = tl.load(Z + zoff, mask=tile, other=0.0)
                            tl.store(dmid + zoff, _dphi(acc, z, ACT), mask=tile)
                    _sync(ctr, base + 1 + DEPTH - l, SPLIT)
            # dL/dh_{t-1} = dxp_t W_first (+ the carried part)
            if _on(ph, DEPTH):
                for rb in range(pid_g, nb, groups):
                    rows, rmask, tile, hoff = _block(rb, B, ch, cmh, H, BLOCK_B)
                    acc = tl.load(g + hoff, mask=tile, other=0.0, cache_modifier=".cg")
                    acc = _rmm(acc, dxp + t * B * G, G, rows, rmask, G, w1, PREC, GP)
                    tl.store(g + hoff, acc, mask=tile)
                _sync(ctr, base + DEPTH + 1, SPLIT)
