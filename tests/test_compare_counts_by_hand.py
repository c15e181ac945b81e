"""The parameter counts compare matches are the networks' real counts: each checked
against torch.nn's own modules of the same sizes (and the deep transition by its
formula), not against rnnlab's counting of itself."""

import pytest
import torch

from rnnlab.compare import CompareConfig, plan_sizes

TORCH = {"rnn": (torch.nn.RNN, 1, False), "drnn": (torch.nn.RNN, 2, False),
         "brnn": (torch.nn.RNN, 1, True), "gru": (torch.nn.GRU, 1, False),
         "bigru": (torch.nn.GRU, 1, True), "lstm": (torch.nn.LSTM, 1, False),
         "bilstm": (torch.nn.LSTM, 1, True)}


def n(module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_forecast_counts_equal_torch_modules_of_the_matched_sizes():
    cfg = CompareConfig(models=tuple(TORCH) + ("dt-rnn",), hidden_size=16, match_params=True,
                        tolerance=0.1, lookback=12, horizon=12, strategy="direct")
    plan = plan_sizes(cfg)
    target = plan.pop("_target")
    assert target == n(torch.nn.LSTM(1, 16)) + n(torch.nn.Linear(16, 12)) + 12 * 12
    for m, (kind, layers, bi) in TORCH.items():
        h = plan[m]["hidden_size"]
        # the recurrent body, the linear head on the last step, the linear skip (no bias)
        hand = (n(kind(1, h, layers, bidirectional=bi)) + n(torch.nn.Linear(h * (1 + bi), 12))
                + 12 * 12)
        assert plan[m]["params"] == hand, m
        assert plan[m]["num_layers"] == layers and abs(hand - target) <= 0.1 * target
    h = plan["dt-rnn"]["hidden_size"]  # depth 2: W_ih, W_hh, two biases, one h x h layer
    assert plan["dt-rnn"]["params"] == h + h * h + 2 * h + (h * h + h) + (h * 12 + 12) + 144


@pytest.mark.parametrize("model", ["rnn", "gru", "lstm"])
def test_lm_counts_equal_torch_modules_of_the_matched_sizes(model):
    from rnnlab.compare.lm_run import vocab_size

    cfg = CompareConfig(task="lm", data="time-machine", max_chars=4000, models=(model,),
                        hidden_size=16, embedding=8, match_params=True, tolerance=0.1)
    v = vocab_size(cfg)
    plan = plan_sizes(cfg, v)
    plan.pop("_target")
    kind, _, _ = TORCH[model]
    h = plan[model]["hidden_size"]
    hand = n(torch.nn.Embedding(v, 8)) + n(kind(8, h)) + n(torch.nn.Linear(h, v))
    assert plan[model]["params"] == hand
