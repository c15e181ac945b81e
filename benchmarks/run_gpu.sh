#!/usr/bin/env bash
# Everything issue 6 needs from a CUDA machine, in one command (the device tool gives
# 10 minutes a call): the GPU correctness tests, then the benchmark table.
#   bash benchmarks/run_gpu.sh [OUT_DIR]
# On CUDA, each custom architecture is timed on the reference loop, the kernel as torch
# ops, the Triton loop (when Triton is installed), and each fast path captured into a
# CUDA graph; torch.nn (cuDNN) is the anchor. Timings synchronise CUDA around each run.
set -uo pipefail
export PYTHONPATH=${PYTHONPATH:-src}  # or pip install -e .; `rnnlab bench` takes the same options
out=${1:-benchmarks/results}
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%MZ)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python -c "import torch, triton; print('torch', torch.__version__, 'triton', triton.__version__)"
# 1. correctness on the GPU: every fast path against the reference loop (float64 and float32)
python -m pytest -q -p no:cacheprovider tests/test_triton_paths.py tests/test_fast_paths.py \
    2>&1 | tail -15 | tee "$out/gpu-tests-$stamp.txt"
# 2. the table: C1, C2 (long), C3 (time series, 2 layers), C4 (char LM); fp32, TF32 off
python -m rnnlab.bench --device cuda --configs C0,C1,C3,C4 --repeats 15 --warmup 3 \
    --json "$out/gpu-$stamp.json" | tee "$out/gpu-$stamp.md"
# C2 (T=1024): the reference loop alone takes seconds a run; fewer repeats
python -m rnnlab.bench --device cuda --configs C2 --repeats 5 --warmup 1 \
    --json "$out/gpu-C2-$stamp.json" | tee "$out/gpu-C2-$stamp.md"
