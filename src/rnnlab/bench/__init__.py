"""``rnnlab bench``: forward and forward+backward timings of every architecture and path.

* :mod:`.configs`: the workloads (C1, C1-256, C2, C3, C4) as frozen dataclasses;
* :mod:`.timing`: median-after-warm-up timing (synchronising CUDA when it runs there);
* :mod:`.suite`: which models run on a workload, their anchors, one result row each;
* :mod:`.cli`: the subcommand.

Numbers are recorded in ``BENCHMARKS.md``; tests check that the harness runs, never
the numbers.
"""

from .configs import CONFIGS, BenchConfig
from .suite import MODELS, Result, run_suite

__all__ = ["CONFIGS", "BenchConfig", "MODELS", "Result", "run_suite"]
