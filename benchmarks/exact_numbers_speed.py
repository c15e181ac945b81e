#!/usr/bin/env python
# Usage: python benchmarks/exact_numbers_speed.py [N]   (N text values, default 1,000,000)
"""What reading text as numbers exactly costs: ``exact_to_numeric`` (rnnlab.data.csv_floats)
beside ``pd.to_numeric`` on N values written as ``repr`` writes doubles (17 significant
digits: what the old pandas parser misreads), and with the second reading forced (as on
pandas 2 and 3.0, where :data:`PARSES_EXACTLY` is False). Prints this pandas' version,
whether its parser reads text as float() does, the medians of 5 rounds and the ratios to
``pd.to_numeric``, and how many values each misreads."""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from script_help import answer_help  # noqa: E402

answer_help(__doc__)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from rnnlab.data import csv_floats  # noqa: E402


def _median(fn, col, rounds=5):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(col)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(0)
    values = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 6, n)
    col = pd.Series([repr(float(v)) for v in values], dtype=object)
    exact = np.array([float(t) for t in col])
    print(f"pandas {pd.__version__}; its parser reads text as float() does: "
          f"{csv_floats.PARSES_EXACTLY}; {n:,} values")
    base = _median(pd.to_numeric, col)
    now = _median(csv_floats.exact_to_numeric, col)
    skip = csv_floats.PARSES_EXACTLY
    csv_floats.PARSES_EXACTLY = False  # (the second reading, as on pandas 2 and 3.0)
    try:
        twice = _median(csv_floats.exact_to_numeric, col)
        twice_off = int((csv_floats.exact_to_numeric(col).to_numpy() != exact).sum())
    finally:
        csv_floats.PARSES_EXACTLY = skip
    print(f"pd.to_numeric          {base:7.3f} s  1.00x  misread "
          f"{int((pd.to_numeric(col).to_numpy() != exact).sum()):,}")
    print(f"exact_to_numeric       {now:7.3f} s  {now / base:.2f}x  misread "
          f"{int((csv_floats.exact_to_numeric(col).to_numpy() != exact).sum()):,}")
    print(f"  read twice (forced)  {twice:7.3f} s  {twice / base:.2f}x  misread {twice_off:,}")


if __name__ == "__main__":
    main()
