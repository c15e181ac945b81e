"""PanelConfig's whole-number settings (:mod:`.config`): their least and most values, and
the check that turns ``2.0`` into ``2`` and refuses ``2.5``, ``"6"`` and ``True`` naming
the field."""

from __future__ import annotations

from ..number_kinds import is_whole_valued
from ..season_length import fraction_hint
from ..seed_ranges import NUMPY as SEEDS, seed_problem

# whole-number settings and their least values (num_layers, val_size, period, patience: or None)
WHOLE = {"hidden_size": 1, "num_layers": 1, "head_size": 1, "embed_size": 1, "lookback": 1,
         "horizon": 1, "samples": 2, "period": 1, "val_size": 0, "epochs": 1,
         "batches_per_epoch": 1, "batch_size": 1, "patience": 1, "ensemble": 1, "seed": 0}
# ... and their most: int64's, what torch and numpy count and seed with (2**64 was a raw
# TypeError from numpy's isfinite; seeds 0 to this train and reproduce, seed + k included)
MOST = 2 ** 63 - 1


def check_counts(cfg, need) -> None:
    """PanelConfig's whole-number fields (:data:`WHOLE`: 2.0 -> 2; 2.5, "6", True refused
    with the field) and its seed (:mod:`rnnlab.seed_ranges`)."""
    for name, low in WHOLE.items():
        v = getattr(cfg, name)
        if v is None and name in ("num_layers", "val_size", "period", "patience"):
            continue
        # (is_whole_valued: np.isfinite raised a TypeError on an int past 64 bits)
        need(is_whole_valued(v) and low <= v <= MOST, f"{name} must be a whole number "
             f"from {low} to {MOST} (2**63 - 1), got {v!r}"
             f"{fraction_hint(v) if name == 'period' else ''}")
        object.__setattr__(cfg, name, int(v))
    bad_seed = seed_problem(cfg.seed, SEEDS, "2**63 - 1 at most: member k trains with "
                            "seed + k, and numpy's seed sequences take no negative number")
    need(bad_seed is None, bad_seed)


__all__ = ["MOST", "WHOLE", "check_counts"]
