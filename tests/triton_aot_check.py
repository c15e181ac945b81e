"""Compile the Triton DT-RNN kernels for an H100 (sm_90) without a GPU: run by
tests/test_triton_compile.py in a subprocess, because the test session's kernels are
interpreted (TRITON_INTERPRET=1) and only compiled kernels go through Triton's compiler.

Prints one line per compiled variant; exits non-zero on the first failure.
"""

import os
import sys

os.environ.pop("TRITON_INTERPRET", None)

import triton  # noqa: E402
from triton.backends.compiler import GPUTarget  # noqa: E402
from triton.compiler import ASTSource  # noqa: E402

from rnnlab.nn.fast import dt_triton, gru_cho_triton, triton_common  # noqa: E402

INTS = {"T", "B", "H", "G", "F1", "F", "dpL_rs", "dpL_off"}


def signature(kernel, dtype: str, constexprs: dict) -> dict:
    sig = {}
    for name in kernel.arg_names:
        if name in constexprs:
            sig[name] = "constexpr"
        elif name in INTS:
            sig[name] = "i32"
        elif name == "mask":
            sig[name] = "*i8"
        elif name == "sync":
            sig[name] = "*i32"
        else:
            sig[name] = f"*{dtype}"
    return sig


def compile_one(kernel, dtype: str, constexprs: dict):
    src = ASTSource(kernel, signature(kernel, dtype, constexprs), constexprs=constexprs)
    return triton.compile(src, target=GPUTarget("cuda", 90, 32), options={"num_warps": 4})


def main() -> int:
    assert not triton_common.interpreting()
    cases = [  # (dtype, PREC, depth, shortcut, mask, split)
        ("fp32", "ieee", 1, False, True, False),
        ("fp32", "ieee", 4, True, True, True),
        ("fp32", "tf32", 3, False, False, False),
        ("fp64", "fp64", 2, True, True, True),
    ]
    gru_cases = [("fp32", "ieee", True, True), ("fp64", "fp64", False, False)]
    if "--quick" in sys.argv:  # one variant of each kernel (the default suite's check)
        cases, gru_cases = cases[1:2], gru_cases[:1]
    for dtype, prec, depth, shortcut, mask, split in cases:
        block_n = 64 if dtype == "fp32" and not split else 32
        common = dict(DEPTH=depth, NMID=max(depth - 2, 0), HAS_MASK=mask, ACT=0, PREC=prec,
                      SPLIT=split, BLOCK_B=16, BLOCK_N=block_n,
                      BLOCK_K=32 if dtype == "fp32" else 16)
        compile_one(dt_triton._dt_fwd_kernel, dtype,
                    dict(common, SHORTCUT=shortcut, HAS_BIAS=True))
        compile_one(dt_triton._dt_bwd_kernel, dtype, common)
        print("compiled", dtype, prec, depth, shortcut, mask, split, flush=True)
    for dtype, prec, mask, split in gru_cases:
        common = dict(HAS_MASK=mask, PREC=prec, SPLIT=split, BLOCK_B=16, BLOCK_N=32,
                      BLOCK_K=32 if dtype == "fp32" else 16)
        compile_one(gru_cho_triton._gru_fwd_kernel, dtype, common)
        compile_one(gru_cho_triton._gru_bwd_kernel, dtype, common)
        print("compiled gru-cho", dtype, prec, mask, split, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
