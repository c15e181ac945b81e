"""An environment in which oneDNN uses AVX2 at most (ONEDNN_MAX_CPU_ISA=AVX2: an AVX2-only
CPU, which has no bf16 LSTM kernel), for tests that run rnnlab in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def avx2_env_or_skip(src) -> dict:
    """``os.environ`` with oneDNN limited to AVX2 and ``src`` on PYTHONPATH; the test is
    skipped where this torch ignores the limit (the scenario cannot be reproduced)."""
    env = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2", PYTHONPATH=str(src))
    probe = subprocess.run([sys.executable, "-c", "from rnnlab.train.precision import "
                            "cpu_bf16_lstm_supported as s; print(s())"],
                           env=env, capture_output=True, text=True, timeout=120)
    if probe.stdout.strip() != "False":
        pytest.skip("this torch's oneDNN ignores ONEDNN_MAX_CPU_ISA (or has a bf16 LSTM on "
                    "AVX2): the scenario cannot be reproduced here")
    return env
