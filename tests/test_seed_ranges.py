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

from rnnlab.io.errors import ConfigError, DataError
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
    assert main(["forecast", "--seeds", "1", "99999999999", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "argument --seeds: expected a seed: a whole number" in err and "99999999999" in err
    assert not out.exists()


def _configs():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.panel.config import PanelConfig
    from rnnlab import seed_ranges as R

    return [(TrainConfig, "seed", R.TORCH), (LMTrainConfig, "seed", R.NUMPY),
            (PanelConfig, "seed", R.NUMPY), (ForecastConfig, "seed", R.FORECAST),
            (CompareConfig, "seeds", R.CLI)]


@pytest.mark.parametrize("cls, field, span", _configs())
def test_each_config_takes_the_seeds_of_its_range_and_no_others(cls, field, span):
    """One table of ranges (rnnlab.seed_ranges) and each config holds to its own: both ends
    taken, one past either refused with a ConfigError that says which seeds are taken, a
    float, a text and a bool refused by the same error type in every config (PanelConfig
    raised numpy's TypeError for 2**64, CompareConfig took seeds=(1.5,) as seed 1;
    ForecastConfig and PanelConfig raised a DataError, LMTrainConfig a TypeError for 1.5,
    the others a ConfigError, and this test took any of them)."""
    def make(seed):
        return cls(**{field: (seed,) if field == "seeds" else seed})

    low, high = span
    for seed in (low, high):
        make(seed)
    for seed in (low - 1, high + 1, 1.5, "3", True):
        with pytest.raises(ConfigError, match=r"seeds? .*must .*got"):
            make(seed)


@pytest.mark.parametrize("settings", [{"seed": 1.5}, {"horizon": 0}])
def test_forecast_config_refusals_are_config_errors_and_still_data_errors(settings):
    """ForecastConfig's (and PanelConfig's) refusals: ConfigErrors as every config's, and
    the DataError they were, named so in messages that quote them."""
    from rnnlab import Forecaster
    from rnnlab.io.errors import SettingError, shown_name
    from rnnlab.panel import GlobalForecaster

    for cls in (Forecaster, GlobalForecaster):
        with pytest.raises(ConfigError) as e:
            cls(**settings)
        assert isinstance(e.value, DataError) and isinstance(e.value, SettingError)
        assert shown_name(e.value) == "DataError"


def test_compare_seeds_are_read_as_every_seed_flag_is(capsys):
    """``rnnlab compare --seeds -1 --print-config`` printed seeds [-1] (exit 0) and a run
    refused it only once the config was built; ``--seeds 1.5`` was "invalid int value"."""
    from rnnlab.cli import main

    for bad in ("-1", "1.5", "99999999999"):
        assert main(["compare", "--data", "airline", "--seeds", "0", bad,
                     "--print-config"]) == 2
        err = capsys.readouterr().err
        assert "argument --seeds: expected a seed: a whole number >= 0" in err and bad in err


def test_the_cli_seed_flags_take_the_cli_range():
    import argparse

    from rnnlab.seed_ranges import CLI
    from rnnlab.train.cli_args import seed_number

    assert seed_number(str(CLI[0])) == CLI[0] and seed_number(str(CLI[1])) == CLI[1]
    for text in (str(CLI[0] - 1), str(CLI[1] + 1)):
        with pytest.raises(argparse.ArgumentTypeError, match="expected a seed"):
            seed_number(text)


def test_the_readme_states_the_ranges_of_the_table():
    """README's sentence on the configs' seeds says what rnnlab.seed_ranges holds."""
    from rnnlab import seed_ranges as R

    text = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    said = {"LMTrainConfig` and `PanelConfig` 0 to 2**63 - 1": R.NUMPY == (0, 2 ** 63 - 1),
            "`ForecastConfig` -(2**32 - 1) to 2**32 - 1": R.FORECAST == (-(2**32 - 1), 2**32 - 1),
            "`--seed` / `--seeds` take whole numbers from 0 to 2**32 - 1": R.CLI == (0, 2**32 - 1),
            "`TrainConfig` any 64-bit seed": R.TORCH == (-2 ** 63, 2 ** 63 - 1)}
    for sentence, true in said.items():
        assert sentence in text and true, sentence


@pytest.mark.parametrize("seed", [1.5, "3", True, 2 ** 63])
def test_tensor_task_refuses_a_seed_its_batch_order_cannot_take(seed):
    """TensorTask(seed=1.5) was taken, and fit failed at the first batch inside torch's
    generator; the forecaster's member seeds (1000 * seed + k) stay in the range."""
    from rnnlab import seed_ranges as R
    from rnnlab.train import TensorTask

    x = torch.randn(8, 2)
    with pytest.raises(ValueError, match=r"TensorTask: seed must be a whole number .*got"):
        TensorTask(x, x, seed=seed)
    for ok in (R.BATCH_ORDER[0], R.BATCH_ORDER[1], 1000 * R.FORECAST[1] + 99):
        task = TensorTask(x, x, batch_size=4, seed=ok)
        assert len(task.get_batch(0, 0)[0]) == 4
