"""The seeds each part of rnnlab takes, and why they differ, in one place (each range is
a (lowest, highest) pair; tests/test_seed_ranges.py pins them).

* :data:`CLI`: every ``--seed`` / ``--seeds`` flag, and CompareConfig's seeds: what every
  seeding API takes (``np.random.seed`` at most 2**32 - 1; the forecaster's
  ``1000 * seed + k``, which torch takes).
* :data:`FORECAST`: ForecastConfig, ``|seed| <= 2**32 - 1``: member k trains with
  ``1000 * seed + k`` and its batch order with that times 100_003 plus the epoch, within
  torch's 64 bits; negative seeds train (torch takes them).
* :data:`NUMPY`: LMTrainConfig and PanelConfig: they also seed numpy's seed sequences,
  which take no negative number, and torch's generator with the seed plus a member's,
  rank's or sample's offset (it takes up to 2**64 - 1).
* :data:`TORCH`: TrainConfig: ``fit`` seeds torch alone (``seed + 7919 * rank``), which
  takes negative seeds too.
* :data:`BATCH_ORDER`: TensorTask (and the forecaster's WindowTask, given
  ``1000 * seed + k``): its batch order is seeded with ``seed * 100_003 + epoch``, which
  torch's 64-bit generator must take.
"""

from __future__ import annotations

from typing import Optional, Tuple

from .number_kinds import is_whole

CLI: Tuple[int, int] = (0, 2 ** 32 - 1)
FORECAST: Tuple[int, int] = (-(2 ** 32 - 1), 2 ** 32 - 1)
NUMPY: Tuple[int, int] = (0, 2 ** 63 - 1)
TORCH: Tuple[int, int] = (-2 ** 63, 2 ** 63 - 1)
BATCH_ORDER: Tuple[int, int] = (-(2 ** 63 // 100_003) + 1, 2 ** 63 // 100_003 - 1)


def in_range(seed, span: Tuple[int, int]) -> bool:
    """``seed`` is a whole number (not a bool) from ``span[0]`` to ``span[1]``."""
    return is_whole(seed) and span[0] <= seed <= span[1]


def seed_problem(seed, span: Tuple[int, int], why: str) -> Optional[str]:
    """None for a seed in ``span``, else the sentence a config raises: what it takes
    (``why``: the reason for that range), what it got, and a seed it takes."""
    if in_range(seed, span):
        return None
    return (f"seed must be a whole number from {span[0]} to {span[1]} ({why}), got "
            f"{seed!r}; e.g. seed=0")
