#!/usr/bin/env bash
# The second GPU call of issue 6 (after run_gpu.sh): standard cells with variable lengths
# and bidirectional, where rnnlab packs for cuDNN (and a composed stack makes one call).
#   bash benchmarks/run_gpu_lengths.sh [OUT_DIR]      (through the device tool: OUT_DIR=$OUT)
# torch.nn is the anchor, packed as its users run it; TF32 off; no CUDA-graph rows
# (packing reads the lengths on the host).
set -uo pipefail
PY=${PYTHON:-python3}
export PYTHONPATH=${PYTHONPATH:-src} PYTHONUNBUFFERED=1
out=${1:-benchmarks/results}
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%MZ)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
timeout 250 $PY -m rnnlab.bench --device cuda --configs C0,C1,C3 --models rnn,gru,lstm,bilstm \
    --repeats 15 --warmup 3 --no-graphs --json "$out/gpu-full-bi-$stamp.json" \
    | tee "$out/gpu-full-bi-$stamp.md"
timeout 250 $PY -m rnnlab.bench --device cuda --configs C0,C1,C3 --models rnn,gru,lstm,bilstm \
    --repeats 15 --warmup 3 --no-graphs --lengths variable \
    --json "$out/gpu-variable-$stamp.json" | tee "$out/gpu-variable-$stamp.md"
