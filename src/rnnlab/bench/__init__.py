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

from ..lazy import lazy_attr
from .configs import CONFIGS, BenchConfig
from .names import MODELS

_LAZY = {"Result": ".suite", "run_suite": ".suite"}  # import torch: on first use (rnnlab.lazy)


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .suite import Result, run_suite
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    def __getattr__(name):
        return lazy_attr(__name__, name)


def __dir__():  # dir() (tab completion, help()) lists the lazy names, none imported
    from ..lazy import lazy_dir

    return lazy_dir(__name__)


__all__ = ["CONFIGS", "BenchConfig", "MODELS", "Result", "run_suite"]
