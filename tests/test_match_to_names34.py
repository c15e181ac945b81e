"""``--match-to`` (CompareConfig.match_to) takes a compared name with its own shape options
(``dt-rnn:depth=3``), read by the parser ``--models`` uses and counted as that exact
network: it took plain architectures only, and a name was an unknown model."""

import pytest
import torch

from rnnlab.cli import main
from rnnlab.compare import CompareConfig, plan_sizes
from rnnlab.io.errors import ConfigError


def n(module) -> int:
    return sum(p.numel() for p in module.parameters())


def dt_rnn_by_hand(h: int, depth: int, horizon: int = 12) -> int:
    """A deep-transition RNN forecaster on one input: W_ih (no bias), W_hh and its two
    biases, then depth - 1 layers of h x h with a bias; the linear head on the last step
    and the linear skip over the lookback (lookback 12, no bias)."""
    return (h + h * h + 2 * h + (depth - 1) * (h * h + h) + (h * horizon + horizon)
            + 12 * horizon)


def lstm_by_hand(h: int) -> int:
    return n(torch.nn.LSTM(1, h)) + n(torch.nn.Linear(h, 12)) + 12 * 12


def test_match_to_a_name_with_its_own_depth_counts_that_network():
    # --match-to took plain architectures only: dt-rnn:depth=3 was an unknown model
    cfg = CompareConfig(models=("lstm",), match_params=True, match_to="dt-rnn:depth=3",
                        hidden_size=16, lookback=12, horizon=12, strategy="direct")
    plan = plan_sizes(cfg)
    target = dt_rnn_by_hand(16, 3)
    assert plan["_target"] == target != dt_rnn_by_hand(16, cfg.depth)  # (its own depth)
    best = min(range(1, 200), key=lambda h: (abs(lstm_by_hand(h) - target), h))
    assert plan["lstm"] == {"hidden_size": best, "num_layers": 1,
                            "params": lstm_by_hand(best)}


def test_match_to_a_compared_name_sizes_it_at_the_reference_hidden_size():
    cfg = CompareConfig(models=("dt-rnn:depth=3", "lstm"), match_params=True,
                        match_to="dt-rnn:depth=3", hidden_size=16)
    plan = plan_sizes(cfg)
    assert plan["dt-rnn:depth=3"]["hidden_size"] == 16
    assert plan["dt-rnn:depth=3"]["params"] == plan["_target"] == dt_rnn_by_hand(16, 3)


@pytest.mark.parametrize("spec,said", [
    ("dt-rnn:depht=3", r"'depht' is not a shape option; a name sets depth"),
    ("dt-rnn:depth=x", r"depth must be a whole number >= 1, got 'x'"),
    ("lstm:depth=2", r"'lstm' has no depth; depth shapes dt-rnn.*leave it out of the name"),
    ("dt-rnn:", r"expected NAME:OPTION=VALUE.*give the architecture and at least one"),
    ("dt-rnn:depth=2,depth=3", r"depth given twice; give it once"),
])
def test_a_bad_match_to_name_is_the_parsers_typed_error_naming_the_flag(spec, said):
    with pytest.raises(ConfigError, match=r"^CompareConfig: match_to \(--match-to\): model "
                                          + f"'{spec}': " + said):
        CompareConfig(models=("lstm",), match_params=True, match_to=spec)


def test_a_match_to_that_is_no_string_is_a_typed_error():
    with pytest.raises(ConfigError, match=r"match_to \(--match-to\) must be a model's name, "
                                          r"NAME:OPTION=VALUE.*got None"):
        CompareConfig(models=("lstm",), match_params=True, match_to=None)


def test_a_match_to_names_width_that_shapes_nothing_names_match_to():
    from rnnlab.compare.matching import check_networks

    cfg = CompareConfig(models=("lstm",), match_params=True, match_to="dt-rnn:depth=1,width=8")
    with pytest.raises(ConfigError, match=r"^CompareConfig: match_to \(--match-to\): model "
                                          r"'dt-rnn:depth=1,width=8': width=8 shapes no layer"):
        check_networks(cfg)


def test_compare_cli_takes_a_match_to_name_and_refuses_a_bad_one_before_any_folder(
        tmp_path, capsys):
    out = tmp_path / "bad"
    assert main(["compare", "--models", "lstm", "--seeds", "0", "--epochs", "1",
                 "--match-params", "--match-to", "dt-rnn:depth=3,widht=8",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "match_to (--match-to)" in err and "'widht' is not a shape option" in err
    assert not out.exists()
    from rnnlab.cli import build_parser

    args = build_parser().parse_args(["compare", "--match-to", "dt-rnn:depth=3"])
    assert args.match_to == "dt-rnn:depth=3"

