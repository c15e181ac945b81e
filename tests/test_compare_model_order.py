"""The order of the models in a comparison changes no number: each model and seed trains
from its own seed, whatever trained before it in the process (a guard: a fit that drew
from a shared random state, or a cache one model leaves for the next, would break it)."""

import pytest

from rnnlab.compare import CompareConfig, run_models


def _by_model(res):
    return {(r["model"], r["seed"]): (r["metrics"], r["params"], r["hidden_size"])
            for r in res["records"]}


@pytest.mark.parametrize("task", ["forecast", "lm"])
def test_reversing_the_models_changes_no_result(task):
    extra = dict(task="lm", data="time-machine", max_chars=3000, seq_len=8, batch_size=4) \
        if task == "lm" else {}
    cfg = CompareConfig(models=("rnn", "lstm", "gru"), seeds=(0, 1), epochs=1, hidden_size=3,
                        match_params=True, tolerance=0.2, **extra)
    a = run_models(cfg, log=lambda s: None)
    b = run_models(cfg.replace(models=tuple(reversed(cfg.models))), log=lambda s: None)
    assert _by_model(a) == _by_model(b)  # exact: the same float64 metrics
    assert a["baselines"] == b["baselines"] and a["param_target"] == b["param_target"]
    rows = {r["name"]: r["metrics"] for r in a["rows"]}
    assert rows == {r["name"]: r["metrics"] for r in b["rows"]}
