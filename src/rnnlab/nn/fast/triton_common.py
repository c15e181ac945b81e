"""What the Triton loops share: availability, the jit helpers (activations, a tiled
product, the phase barrier) and how a launch is laid out.

The kernels (:mod:`.dt_triton`, :mod:`.gru_cho_triton`) run all T steps of a layer in
one launch: each program owns a block of batch rows and walks the time loop, with the
state passing between steps through its rows of a buffer; phases of a step are
separated by :func:`_sync`.
"""

from __future__ import annotations

import os
from typing import NamedTuple, Optional

import torch
from torch import Tensor

try:  # Triton is optional: without it the torch-ops kernels run
    import triton
    import triton.language as tl
except ImportError:  # pragma: no cover - depends on the install
    triton = None

SUPPORTED_DTYPES = (torch.float32, torch.float64)


def _interpret_env() -> bool:
    return os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")


# Triton reads TRITON_INTERPRET when it decorates a kernel: what counts is its value when
# this module was imported, not now.
_INTERPRETED = _interpret_env()


def interpreting() -> bool:
    """True when these kernels run in Triton's CPU interpreter (``TRITON_INTERPRET=1`` at import)."""
    return _INTERPRETED


def unavailable_reason(xp: Tensor) -> Optional[str]:
    """Why these kernels cannot run on ``xp``, or None when they can."""
    if triton is None:
        return "Triton is not installed (pip install 'rnnlab[triton]'; CUDA builds of torch bring it)"
    if xp.dtype not in SUPPORTED_DTYPES:
        return f"dtype {xp.dtype} is not supported (float32 or float64)"
    if xp.device.type == "cuda":
        return None if not interpreting() else "TRITON_INTERPRET=1 runs CPU tensors only"
    if xp.device.type == "cpu" and interpreting():
        return None
    return f"Triton kernels need a CUDA device (got {xp.device.type}; " \
           f"TRITON_INTERPRET=1 runs them on CPU, slowly, for testing)"


INDEX_LIMIT = 2**31 - 1  # the kernels' offsets (t * B * G + ...) are 32-bit integers


def index_reason(x: Tensor, per_row: int) -> Optional[str]:
    """Why the kernels' 32-bit offsets cannot reach every element of their buffers for an
    input ``x`` (T, B, I) whose layer keeps ``per_row`` elements per step and batch row in
    its largest buffer, or None. (Past 2**31 - 1 an offset wraps: reads and writes land
    outside the buffer, a crash or wrong numbers.)"""
    rows = 1
    for n in x.shape[:-1]:
        rows *= int(n)
    states = int(x.shape[1]) if x.dim() == 3 else 0  # the states buffer's one step more
    elements = (rows + states) * per_row
    if elements <= INDEX_LIMIT:
        return None
    return (f"an input of shape {tuple(x.shape)} needs buffers of {elements:,} elements "
            f"({per_row} per step and sequence), past the 2**31 - 1 the kernels' 32-bit "
            f"offsets reach; use impl='fast' (torch ops), or fewer steps or sequences a call")


if triton is not None:

    @triton.jit
    def _tanh(x):
        # tanh from exp, stable for any x: sign(x) (1 - e) / (1 + e), e = exp(-2|x|); a
        # short series near 0 where 1 - e would cancel
        ax = tl.abs(x)
        e = tl.exp(-2.0 * ax)
        big = (1.0 - e) / (1.0 + e)
        x2 = ax * ax
        small = ax * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0)))
        y = tl.where(ax < 1e-2, small, big)
        return tl.where(x < 0, -y, y)

    @triton.jit
    def _phi(x, ACT: tl.constexpr):
        if ACT == 0:
            return _tanh(x)
        else:
            return tl.maximum(x, 0.0)

    @triton.jit
    def _dphi(d, y, ACT: tl.constexpr):
        """d * φ'(pre), from y = φ(pre)."""
        if ACT == 0:
            return d * (1.0 - y * y)
        else:
            return tl.where(y > 0, d, 0.0)

    @triton.jit
    def _tile_mm(acc, a_ptr, a_rs, w_ptr, w_sn, w_sk, rows, rmask, cols, cmask, K,
                 PREC: tl.constexpr, BLOCK_K: tl.constexpr):
        """acc[r, n] += sum_k a[r, k] w[n, k], a at a_ptr + r*a_rs + k, w at w_ptr + n*w_sn + k*w_sk.

        PREC: as :func:`_mac`."""
        for k0 in range(0, K, BLOCK_K):
            ks = k0 + tl.arange(0, BLOCK_K)
            km = ks < K
            a = tl.load(a_ptr + rows[:, None] * a_rs + ks[None, :],
                        mask=rmask[:, None] & km[None, :], other=0.0, cache_modifier=".cg")
            wt = tl.load(w_ptr + ks[:, None] * w_sk + cols[None, :] * w_sn,
                         mask=km[:, None] & cmask[None, :], other=0.0)
            acc = _mac(acc, a, wt, PREC)
        return acc

    @triton.jit
    def _mac(acc, a, wt, PREC: tl.constexpr):
        """acc + a @ wt for tiles a (BB, K), wt (K, BN): ``tl.dot``, or for "fp64"
        multiply and sum (FMA), since not every Triton version lowers ``tl.dot`` on float64."""
        if PREC == "fp64":
            acc += tl.sum(a[:, :, None] * wt[None, :, :], axis=1)
        else:
            acc = tl.dot(a, wt, acc, input_precision=PREC)
        return acc

    @triton.jit
    def _masked_state(hs_next, h_prev, mask_t, y, rows, rmask, hoff, tile,
                      HAS_MASK: tl.constexpr):
        """With a length mask, h_t in ``hs_next``: y where the sequence runs at step t,
        h_{t-1} (from ``h_prev``) past its end. (Without one, y was written there.)"""
        if HAS_MASK:
            m = tl.load(mask_t + rows, mask=rmask, other=0) != 0
            old = tl.load(h_prev + hoff, mask=tile, other=0.0, cache_modifier=".cg")
            tl.store(hs_next + hoff, tl.where(m[:, None], y, old), mask=tile)

    @triton.jit
    def _sync(ctr, target, SPLIT: tl.constexpr):
        """Wait until every program of this batch block has finished the phase.

        Without SPLIT one program owns the block: a barrier among its own threads
        suffices. With SPLIT, the block's programs (axis 1) count phases in ``ctr``:
        each adds one on arrival (release) and spins until all have (acquire), the
        pattern of a cooperative grid sync; the launcher keeps all programs resident.
        """
        tl.debug_barrier()
        if SPLIT:
            tl.atomic_add(ctr, 1, sem="release", scope="gpu")
            seen = tl.atomic_add(ctr, 0, sem="acquire", scope="gpu")
            while seen < target * tl.num_programs(1):
                seen = tl.atomic_add(ctr, 0, sem="acquire", scope="gpu")
            tl.debug_barrier()

    @triton.jit
    def _program(sync, B, BLOCK_B: tl.constexpr):
        """This program's place: (pid_n, nsplit, its batch rows, their mask, its block's
        phase counter). Axis 0 picks the batch block, axis 1 the share of its tiles."""
        pid_b = tl.program_id(0)
        rows = pid_b * BLOCK_B + tl.arange(0, BLOCK_B)
        return tl.program_id(1), tl.num_programs(1), rows, rows < B, sync + pid_b

    @triton.jit
    def _cols(n0, N, rmask, BLOCK_N: tl.constexpr):
        """A tile's columns n0 .. n0 + BLOCK_N, which of them exist, and the tile's mask."""
        cols = n0 + tl.arange(0, BLOCK_N)
        cm = cols < N
        return cols, cm, rmask[:, None] & cm[None, :]

    @triton.jit
    def _bias_rows(b_ptr, cols, cm, like, HAS_BIAS: tl.constexpr, BLOCK_B: tl.constexpr,
                   BLOCK_N: tl.constexpr):
        """An accumulator tile (in ``like``'s element type) holding b[cols] in every row,
        or zeros without bias."""
        acc = tl.zeros((BLOCK_B, BLOCK_N), dtype=like.dtype.element_ty)
        if HAS_BIAS:
            acc += tl.load(b_ptr + cols, mask=cm, other=0.0)[None, :]
        return acc

    @triton.jit
    def _split_grad(g, dout_t, mask_t, rows, rmask, hoff, tile, HAS_MASK: tl.constexpr):
        """dL/dh_t = the carried g + this step's output gradient, split by the length mask
        into (the part through the cell, the part carried past a finished sequence)."""
        gv = tl.load(g + hoff, mask=tile, other=0.0, cache_modifier=".cg")
        gn = gv + tl.load(dout_t + hoff, mask=tile, other=0.0)
        if HAS_MASK:
            m = (tl.load(mask_t + rows, mask=rmask, other=0) != 0)[:, None]
            return tl.where(m, gn, 0.0), tl.where(m, 0.0, gv)
        else:
            return gn, gv * 0.0

    @triton.jit
    def _sigmoid(x):
        # 1 / (1 + exp(-x)) without overflow: exp of a non-positive number only
        e = tl.exp(-tl.abs(x))
        return tl.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def pow2(n: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, triton.next_power_of_2(max(int(n), 1))))


class Plan(NamedTuple):
    """How a loop is laid out: the grid is (ceil(B / block_b), nsplit) programs."""
    block_b: int  # batch rows per program
    block_n: int  # output columns per tile
    block_k: int  # reduction width per tile
    nsplit: int  # programs sharing a batch block, each owning every nsplit-th tile
    split: bool  # the block's programs synchronise through a counter (else nsplit == 1)


def plan(B: int, widest: int, x: Tensor, split: bool) -> Plan:
    """Small batch blocks keep more programs busy. With ``split``, each batch block's
    tiles are spread over several programs, as many as keep every program resident at
    once (at most one per SM), which the counter-based synchronisation needs."""
    block_b = 16 if B <= 256 else 32
    cap = 64 if x.dtype == torch.float32 and not split else 32
    block_n = pow2(widest, 16, cap)
    block_k = pow2(widest, 16, 32 if x.dtype == torch.float32 else 16)  # fp64: a 3-D product
    nsplit = 1
    if split and x.is_cuda:
        sms = torch.cuda.get_device_properties(x.device).multi_processor_count
        tiles = triton.cdiv(widest, block_n)
        nsplit = max(1, min(tiles, sms // triton.cdiv(B, block_b)))
    return Plan(block_b, block_n, block_k, nsplit, split)


def precision(xp: Tensor) -> str:
    """fp32 products as torch would do them: TF32 only where torch allows it."""
    if xp.dtype == torch.float64:
        return "fp64"
    if xp.is_cuda and torch.backends.cuda.matmul.allow_tf32:
        return "tf32"
    return "ieee"


def mask_bytes(mask: Optional[Tensor], like: Tensor) -> Tensor:
    if mask is None:
        return like.new_zeros(1, dtype=torch.int8)
    return mask.reshape(mask.shape[0], -1).to(torch.int8).contiguous()
