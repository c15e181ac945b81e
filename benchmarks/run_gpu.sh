#!/usr/bin/env bash
# GPU measurements (not yet taken: no GPU in the session that wrote this).
# On CUDA the fast paths are the same whole-sequence kernels as on CPU (plain torch ops,
# one launch per op); torch.nn runs cuDNN. Timings synchronise CUDA around each run.
set -euo pipefail
export PYTHONPATH=${PYTHONPATH:-src}  # or pip install -e .; `rnnlab bench` takes the same options
out=${1:-benchmarks/results}
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%MZ)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python -m rnnlab.bench --device cuda --configs C1,C2,C3,C4 --repeats 20 --warmup 5 \
    --json "$out/gpu-$stamp.json"
