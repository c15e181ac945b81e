"""The per-seed column of rnnlab compare's table: the config's seeds first, in its order,
then any other seed a record or a divergence names, in the order they come."""

from rnnlab.compare import CompareConfig
from rnnlab.compare.summary import _per_seed


def test_config_seeds_first_then_the_others_in_order():
    cfg = CompareConfig(models=("gru",), seeds=(2, 0))
    row = {"seeds": [0, 9, 2], "diverged_seeds": [7, 2]}
    assert _per_seed(cfg, row, [1.0, 5.0, None], 2) == "diverged, 1.00, 5.00, diverged"
    assert _per_seed(cfg, {"seeds": [0], "diverged_seeds": []}, [1.0], 1) == "1.0"
