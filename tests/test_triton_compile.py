"""The Triton kernels compile for the H100 (sm_90) with Triton's own compiler, no GPU needed.

The interpreter tests (test_triton_paths.py) check what the kernels compute; this
checks that the GPU compiler accepts them (types, layouts, the atomics of the split
kernels), so a CUDA machine's first run does not start with a compile error.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

if os.environ.get("RNNLAB_REQUIRE_TRITON_TESTS") != "1":  # CI: must run, not skip
    pytest.importorskip("triton")
    pytest.importorskip("triton.compiler")


# every variant: slow (17 s on 2 cores); the default suite compiles one variant of each
# kernel (the split DT kernels with mask and shortcut, the split GRU kernels)
@pytest.mark.skipif(torch.cuda.is_available(), reason="on a GPU the kernels run for real")
@pytest.mark.parametrize("variants", [pytest.param(6, marks=pytest.mark.slow), 2])
def test_kernels_compile_for_sm90(variants):
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["TRITON_DEFAULT_FP_FUSION"] = "1"  # keep the default; silences Triton's notice
    script = Path(__file__).with_name("triton_aot_check.py")
    quick = ["--quick"] if variants == 2 else []
    done = subprocess.run([sys.executable, str(script), *quick], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("compiled") == variants, done.stdout
