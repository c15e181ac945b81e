#!/usr/bin/env bash
# The runs whose figures docs/articles.md and README.md quote for the five articles'
# experiments; each writes its run record (config.json: the command, seed, versions and
# CPU kernels; results.json: the figures) into benchmarks/results/articles/NAME.
# Usage: benchmarks/articles.sh [OUTDIR]   (about 15 minutes on an idle 2-core CPU;
# torch's threads: 1, rnnlab's default). tests/test_article_figures21.py checks the page's
# figures against these records.
set -euo pipefail
out=${1:-benchmarks/results/articles}
. "$(dirname "$0")/articles_runs.sh"  # run NAME ARGS..., e3_clip_checks
uptime
# E1: the article's sections 5.2 and 5.3 as written (seeds 0 and 1), then corrected
run e1-as-written recipe run e1-dji-compare --as-written
run e1-as-written-seed1 compare --recipe e1-dji-compare --as-written --seeds 1
run e1 recipe run e1-dji-compare
# E2: as written (with torch's AVX-512/AVX2 kernels, then with none), then corrected
run e2-as-written recipe run e2-lookback2-lstm --as-written
ATEN_CPU_CAPABILITY=default run e2-as-written-default-kernels recipe run e2-lookback2-lstm \
    --as-written
run e2 recipe run e2-lookback2-lstm
e3_clip_checks
# E4: the article's procedure at --quick (20 of its 5,000 iterations, which took
# 68 minutes a seed on the AMD EPYC, their only record: articles_long.sh runs them)
run e4-as-written-quick recipe run e4-sine --as-written --quick
# E5: the article's forecast as written (state carried), then corrected
run e5-as-written recipe run e5-airline-gru --as-written
run e5 recipe run e5-airline-gru
uptime
