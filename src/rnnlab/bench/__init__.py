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

from ..lazy import lazy_attr, lazy_dir
from .configs import CONFIGS, BenchConfig
from .names import MODELS

_LAZY = {"Result": ".suite", "run_suite": ".suite"}  # import torch: on first use (rnnlab.lazy)

if TYPE_CHECKING:  # for type checkers and IDEs, which never run __getattr__
    from .suite import Result, run_suite


def __getattr__(name):
    return lazy_attr(__name__, name)


def __dir__():
    return lazy_dir(__name__)


__all__ = ["CONFIGS", "BenchConfig", "MODELS", "Result", "run_suite"]
