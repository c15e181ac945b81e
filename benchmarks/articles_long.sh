#!/usr/bin/env bash
# The two article runs too long for benchmarks/articles.sh: E3's full corrected recipe (LSTM
# and GRU, at most 160 epochs, patience 5) and E4 as written at the article's 5,000
# full-batch iterations. Each writes its run record (config.json: the command, seed,
# versions, CPU model and kernels; results.json: the figures) into
# benchmarks/results/articles-amd-epyc/NAME: the records there ran on an AMD EPYC (their
# versions.cpu) with torch's one thread (rnnlab's default), while other work shared its
# 2 cores.
# Usage: benchmarks/articles_long.sh [OUTDIR]   (about two and a half hours on that shared CPU: the
# records' runs took 1,759 s for E3's seed 0, its GRU 1,618 s of them, 2,699 s for its
# seed 1, its GRU 1,916 s of them, and 4,107 s for E4).
# tests/test_article_long_runs31.py checks the page's figures against these records.
set -euo pipefail
out=${1:-benchmarks/results/articles-amd-epyc}
. "$(dirname "$0")/articles_runs.sh"  # run NAME ARGS...
uptime
# E3: the corrected recipe in full (no as-written run: the lyrics corpus is not shipped),
# seed 0 as the recipe gives it, then seed 1 (`recipe run` takes no seeds; `compare
# --recipe` runs the same recipe with its seeds replaced)
run e3-char-lm recipe run e3-char-lm
run e3-char-lm-seed1 compare --recipe e3-char-lm --seeds 1
# E4: the article's procedure as written, all 5,000 iterations (one seed)
run e4-as-written recipe run e4-sine --as-written
uptime
