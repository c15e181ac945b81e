"""Compile the resident-weights kernels (rnnlab.nn.fast.dt_resident, gru_cho_resident)
for an H100/H200 (sm_90) without a GPU, at C3's size (H = 128; DT-RNN depth 4; fp32),
and check in the compiled TTGIR that every weight tile is put on chip
(``ttg.local_alloc``) once, before the time loop, and never inside it. Run by
tests/test_triton_resident.py in a subprocess (the test session's kernels are
interpreted). Prints one line per kernel; exits non-zero on the first failure. With
cuobjdump (bundled with Triton) it also prints registers and stack (spill) bytes per
thread.
"""

import os
import re
import subprocess
import sys
import tempfile

os.environ.pop("TRITON_INTERPRET", None)

import triton  # noqa: E402
from triton.backends.compiler import GPUTarget  # noqa: E402
from triton.compiler import ASTSource  # noqa: E402

from rnnlab.nn.fast import (dt_resident, dt_resident_kernels, gru_cho_resident,  # noqa: E402
                            triton_common)

INTS = {"T", "B", "H", "G", "F1", "F", "dpL_rs", "dpL_off", "t0", "t1", "ph"}


def signature(kernel, constexprs: dict) -> dict:
    def kind(name):
        if name in constexprs:
            return "constexpr"
        if name in INTS:
            return "i32"
        return {"mask": "*i8", "sync": "*i32"}.get(name, "*fp32")
    return {name: kind(name) for name in kernel.arg_names}


def resources(compiled) -> str:
    tool = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin",
                        "cuobjdump")
    if not os.path.exists(tool):
        return "(no cuobjdump)"
    with tempfile.NamedTemporaryFile("wb", suffix=".cubin", delete=False) as f:
        f.write(compiled.asm["cubin"])
    out = subprocess.run([tool, "--dump-resource-usage", f.name], capture_output=True, text=True)
    os.unlink(f.name)
    found = {k: re.search(rf"{k}:(\d+)", out.stdout) for k in ("REG", "STACK")}
    return " ".join(f"{k.lower()} {m.group(1) if m else '?'}" for k, m in found.items())


def check(kernel, constexprs: dict, tiles: dict) -> None:
    """Compile; ``tiles``: {(K, N) shape: how many weight tiles of that shape}."""
    src = ASTSource(kernel, signature(kernel, constexprs), constexprs=constexprs)
    compiled = triton.compile(src, target=GPUTarget("cuda", 90, 32),
                              options={"num_warps": dt_resident.NUM_WARPS})
    ir = compiled.asm["ttgir"]
    loop = ir.index("scf.for")  # the time loop is the kernel's first loop
    for shape, count in tiles.items():
        alloc = re.compile(r"ttg\.local_alloc %\S+ : \(tensor<" + "x".join(map(str, shape))
                           + "xf32")
        before, inside = len(alloc.findall(ir[:loop])), len(alloc.findall(ir[loop:]))
        if before != count or inside:
            raise SystemExit(f"{kernel.fn.__name__}: {before} weight tiles {shape} on chip "
                             f"before the time loop (expected {count}), {inside} inside it")
    print("compiled", kernel.fn.__name__, f"{sum(tiles.values())} resident tiles",
          resources(compiled), flush=True)


def main() -> int:
    assert not triton_common.interpreting()
    H = F = G = 128
    depth, nmid = 4, 2
    lay = dt_resident.layout(H, F, G, depth, 4)
    common = dict(DEPTH=depth, NMID=nmid, HAS_MASK=True, ACT=0, PREC="ieee",
                  SPLIT=lay.nsplit > 1, BLOCK_B=dt_resident.BLOCK_B, HP=lay.hp, FP=lay.fp)
    check(dt_resident_kernels._fwd_kernel,
          dict(common, SHORTCUT=False, BN_G=lay.bn_g, BN_F=lay.bn_f, BN_H=lay.bn_h),
          {(lay.hp, lay.bn_f): nmid + 2})
    check(dt_resident_kernels._bwd_kernel, dict(common, GP=lay.gp, BN_F=lay.bn_f, BN_H=lay.bn_h),
          {(lay.hp, lay.bn_f): nmid + 2})
    # gru-cho at C3's H: W_rz and W_n, each direction
    nsplit = gru_cho_resident._nsplit(H, 4)
    bn_r, bn_h = dt_resident.tile_width(2 * H, nsplit), dt_resident.tile_width(H, nsplit)
    common = dict(HAS_MASK=True, PREC="ieee", SPLIT=nsplit > 1, BLOCK_B=dt_resident.BLOCK_B,
                  HP=H, BN_H=bn_h)
    check(gru_cho_resident._gru_fwd_kernel, dict(common, BN_R=bn_r), {(H, bn_r): 1, (H, bn_h): 1})
    check(gru_cho_resident._gru_bwd_kernel, dict(common, RP=2 * H),
          {(H, bn_h): 1, (2 * H, bn_h): 1})
    return 0


if __name__ == "__main__":
    sys.exit(main())
