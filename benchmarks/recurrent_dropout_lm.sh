#!/usr/bin/env bash
# Does variational recurrent dropout help a character LM that overfits? E3's corrected recipe
# (2-layer LSTM, hidden 256, The Time Machine, at most 160 epochs, patience 5, one seed) with
# --recurrent-dropout 0.25, beside the same recipe without it (its record:
# benchmarks/results/articles-amd-epyc/e3-char-lm, made by benchmarks/articles_long.sh).
# Measured once on the shared 2-core AMD EPYC (one torch thread): 1,772 s of training, on the
# step loop (the mask on h runs no kernel). Writes config.json, results.json, report.md into
# OUTDIR/e3-lstm-rdrop0.25. tests/test_recurrent_dropout_record31.py ties README's figures to it.
# Usage: benchmarks/recurrent_dropout_lm.sh [OUTDIR]
set -euo pipefail
out=${1:-benchmarks/results/recurrent_dropout}
. "$(dirname "$0")/articles_runs.sh"  # run NAME ARGS...
run e3-lstm-rdrop0.25 compare --recipe e3-char-lm --models lstm --recurrent-dropout 0.25
