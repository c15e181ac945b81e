#!/usr/bin/env bash
# The CPU measurements recorded in BENCHMARKS.md (2-core machine, fp32, torch's default threads).
# Usage: benchmarks/run_cpu.sh [OUTDIR]   (about 10 minutes on an idle 2-core CPU)
set -euo pipefail
export PYTHONPATH=${PYTHONPATH:-src}  # or pip install -e .; `rnnlab bench` takes the same options
out=${1:-benchmarks/results}
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%MZ)
bench() { "${PYTHON:-python}" -m rnnlab.bench "$@"; }  # PYTHON=.venv/bin/python to pick one
uptime
# The CPU targets: every architecture, fast path and reference loop.
bench --configs C0 --repeats 30 --warmup 3 --json "$out/cpu-$stamp-c0.json"
bench --configs C3 --repeats 15 --warmup 2 --json "$out/cpu-$stamp-c3.json"
bench --configs C1-256 --repeats 7 --warmup 1 --json "$out/cpu-$stamp-c1-256.json"
# The bigger workloads: standard cells and the fast paths only (reference loops take minutes).
bench --configs C1,C4 --models lstm,gru,gru-cho,dt-rnn --no-reference --repeats 3 \
    --json "$out/cpu-$stamp-c1-c4.json"
bench --configs C2 --models lstm,dt-rnn --no-reference --repeats 1 --json "$out/cpu-$stamp-c2.json"
# Standard cells with variable lengths (torch.nn packed) and bidirectional.
bench --configs C3,C1-256 --models lstm,gru,rnn,bilstm --lengths variable --repeats 7 \
    --warmup 2 --json "$out/cpu-$stamp-variable-lengths.json"
uptime
