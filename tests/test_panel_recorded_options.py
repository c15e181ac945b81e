"""A panel run's config.json ``options``: what the run read, with the values it used (it
listed ``rnnlab forecast``'s one-series defaults, ``lookback 12``, ``lr 0.005``, beside a
model of 24 and 0.003, and one-series options the panel refuses), and ``--config RUN``
repeats the same run."""

import json

import pytest

from rnnlab.cli import build_parser, given_options, main
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.recorded_options import recorded_options


def _args(*argv):
    argv = ["forecast", "--data", "visnights", *argv]
    args = build_parser(argv, lazy=True).parse_args(argv)
    args.given_options = given_options(argv)
    return args


def test_the_options_not_typed_hold_the_panels_values_and_the_unread_are_left_out():
    args = _args("--model", "gru", "--hidden-size", "4", "--lr", "0.01")
    used = PanelConfig(model="gru", hidden_size=4, lr=0.01).to_dict()
    got = recorded_options(args, used)
    assert (args.lookback, args.patience, args.ensemble) == (12, 40, 3)  # (one series')
    assert (got["lookback"], got["patience"], got["ensemble"], got["strategy"]) == (
        24, 6, 1, "direct")  # (what the panel used)
    assert (got["hidden_size"], got["lr"], got["model"]) == (4, 0.01, "gru")  # (typed)
    assert got["horizon"] == 12 and got["quantiles"] == [0.1, 0.5, 0.9]
    for unread in ("depth", "refit", "scaler", "seeds", "device", "impl", "precision"):
        assert unread not in got, unread


def test_a_value_the_run_set_itself_is_kept_as_given():
    args = _args("--model", "gru", "--minutes", "2", "--horizon", "4")
    used = PanelConfig(model="gru", horizon=4, max_seconds=120).to_dict()
    got = recorded_options(args, used)
    assert (got["minutes"], got["max_seconds"], got["horizon"]) == (2, None, 4)


@pytest.mark.slow
def test_a_panel_run_records_what_it_used_and_its_config_repeats_it(tmp_path, capsys):
    tiny = ["--data", "visnights", "--model", "gru", "--hidden-size", "4", "--epochs", "1",
            "--batches-per-epoch", "2", "--baselines", "none", "--threads", "1"]
    assert main(["forecast", *tiny, "--out", str(tmp_path / "a")]) == 0
    config = json.loads((tmp_path / "a" / "config.json").read_text())["config"]
    options, model = config["options"], config["model"]
    assert {k: v for k, v in model.items() if k in options and options[k] != v} == {}
    assert "depth" not in options and options["lookback"] == 24
    capsys.readouterr()
    assert main(["forecast", "--config", str(tmp_path / "a"), "--out", str(tmp_path / "b")]) == 0
    again = json.loads((tmp_path / "b" / "config.json").read_text())["config"]
    assert again["model"] == model
    assert {k: v for k, v in again["options"].items() if k != "out"} == {
        k: v for k, v in options.items() if k not in ("out", "config")} | {
        "config": str(tmp_path / "a" / "config.json")}
