"""config.json of rnnlab compare records every seed run (``seeds``), not only the first
(its top-level ``seed`` held 0 for --seeds 0 1 2; kept, as the first seed, for readers of it)."""

import json

from rnnlab.cli import main


def test_compare_config_records_every_seed(tmp_path):
    out = tmp_path / "c"
    assert main(["compare", "--data", "airline", "--models", "rnn", "--seeds", "3", "5",
                 "--epochs", "1", "--hidden-size", "4", "--out", str(out)]) == 0
    info = json.loads((out / "config.json").read_text())
    assert info["seeds"] == [3, 5] and info["seed"] == 3
    assert info["config"]["compare"]["seeds"] == [3, 5]


def test_run_info_without_seeds_is_as_before(tmp_path):
    from rnnlab.io.rundir import write_run_info

    write_run_info(tmp_path, {"x": 1}, 7)
    info = json.loads((tmp_path / "config.json").read_text())
    assert info["seed"] == 7 and "seeds" not in info
    write_run_info(tmp_path, {"x": 1}, 2, seeds=(2, 4, 6))
    assert json.loads((tmp_path / "config.json").read_text())["seeds"] == [2, 4, 6]
