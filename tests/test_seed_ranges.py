"""The seeds each config takes, and why they differ. TrainConfig seeds torch alone (fit:
``torch.manual_seed(seed + 7919 * rank)``), which takes negative numbers: a negative seed
trains, and reproduces (tests/test_user_sweep_torch.py takes seed=-3, and this pins that
it works, not only that it is accepted); past 64 bits it is refused
(tests/test_train_fit_user18.py). LMTrainConfig (0..2**63-1) also seeds numpy's seed
sequences, which take no negative number. ForecastConfig trains member k with seed
1000 * seed + k: it took 1.5, "3", True and 2**64 and failed (or trained on a string
repeated) later."""

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from rnnlab.io.errors import DataError
from rnnlab.train import TrainConfig, fit

sys.path.insert(0, str(Path(__file__).parent))
from tiny_task import TinyTask, tiny_model  # noqa: E402


def _trained(seed):
    model = tiny_model("rnn")
    fit(model, TinyTask(), TrainConfig(epochs=2, seed=seed, progress=False, max_seconds=None))
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def test_a_negative_train_seed_trains_and_reproduces():
    assert torch.equal(_trained(-3), _trained(-3))


@pytest.mark.parametrize("seed", [1.5, "3", True, 2 ** 64, -2 ** 40])
def test_a_forecast_seed_it_cannot_train_with_is_refused(seed):
    from rnnlab.forecast.config import ForecastConfig

    with pytest.raises(DataError, match=r"ForecastConfig: seed must be a whole number from "
                                        r"-4294967295 to 4294967295"):
        ForecastConfig(seed=seed)
    assert ForecastConfig(seed=np.int64(-7)).seed == -7  # (negative ones train: torch's)


def test_forecast_seeds_are_all_checked_before_any_run(tmp_path, capsys):
    """``--seeds 1 99999999999`` trained seed 1 into DIR/seed_1, then refused the second.
    Every --seeds value is read as every --seed is (0 .. 2**32 - 1, the CLI's one rule):
    argparse refuses it, a usage error (exit status 2), before any run."""
    from rnnlab.cli import main

    out = tmp_path / "run"
    with pytest.raises(SystemExit) as e:
        main(["forecast", "--seeds", "1", "99999999999", "--out", str(out)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "argument --seeds: expected a seed: a whole number" in err and "99999999999" in err
    assert not out.exists()
