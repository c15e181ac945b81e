"""``rnnlab bench``: forward and forward+backward timings of every architecture and path.

* :mod:`.configs`: the workloads (C1, C1-256, C2, C3, C4) as frozen dataclasses;
* :mod:`.timing`: median-after-warm-up timing (synchronising CUDA when it runs there);
* :mod:`.names`: the models, paths and lengths it takes (torch-free, for the parser);
* :mod:`.suite`: which models run on a workload, their anchors, one result row each;
* :mod:`.cli`: the subcommand.

Numbers are recorded in ``BENCHMARKS.md``; tests check that the harness runs, never
the numbers.
"""

from typing import TYPE_CHECKING

from .configs import CONFIGS, BenchConfig
from .names import MODELS

_LAZY = {"Result": ".suite", "run_suite": ".suite"}  # import torch: on first use (rnnlab.lazy)


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .suite import Result, run_suite
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["CONFIGS", "BenchConfig", "MODELS", "Result", "run_suite"]
