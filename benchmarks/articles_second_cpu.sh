#!/usr/bin/env bash
# The runs whose figures docs/articles.md quotes for its second CPU, an AMD EPYC (Zen 4),
# beside the Intel Xeon's of benchmarks/articles.sh: the same seeds give other last bits
# there, which hundreds of training steps grow (see the page's note on CPUs). Each writes
# its run record (config.json: the command, seed, versions, CPU model and kernels;
# results.json: the figures) into benchmarks/results/articles-amd-epyc/NAME.
# Usage: benchmarks/articles_second_cpu.sh [OUTDIR]   (about 10 minutes on an idle 2-core
# CPU). tests/test_article_records30.py checks the page's figures against these records.
set -euo pipefail
out=${1:-benchmarks/results/articles-amd-epyc}
run_options="--threads 1"
. "$(dirname "$0")/articles_runs.sh"  # run NAME ARGS..., e3_clip_checks
uptime
# E2 as written: torch's AVX-512 kernels, its AVX2 kernels, oneDNN held to AVX2; corrected
run e2-as-written recipe run e2-lookback2-lstm --as-written
ATEN_CPU_CAPABILITY=avx2 run e2-as-written-avx2-kernels recipe run e2-lookback2-lstm \
    --as-written
ONEDNN_MAX_CPU_ISA=AVX2 run e2-as-written-onednn-avx2 recipe run e2-lookback2-lstm \
    --as-written
run e2 recipe run e2-lookback2-lstm
e3_clip_checks
# E4 corrected (3 seeds; the Xeon has no record of it)
run e4 recipe run e4-sine
# E5 as written (the state carried into the forecast)
run e5-as-written recipe run e5-airline-gru --as-written
uptime
