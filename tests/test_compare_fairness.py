"""What rnnlab compare's tables and notes say about the fairness of their numbers: a
diverged seed counted beside the mean, how seeds are averaged, whether the parameter
counts were matched, and no 'better' where the seeds do not separate two models."""

from rnnlab.compare import CompareConfig
from rnnlab.compare.fairness import averaging_note, params_note, ranking_note
from rnnlab.compare.report import _notes
from rnnlab.compare.summary import markdown_table, summarize, terminal_table

KEYS = ("rmse", "mae", "mape", "smape", "mase")


def record(model, seed, rmse, params=100):
    """One seed's record as rnnlab.compare.forecast_run makes it (the fields read)."""
    return {"model": model, "seed": seed, "params": params, "hidden_size": 4, "num_layers": 1,
            "path": "fused", "metrics": {"forecast": {k: rmse for k in KEYS}},
            "train_seconds": 1.0, "steps_per_second": 10.0, "best_epoch": 1, "epochs_run": 3,
            "first_train_loss": 1.0, "last_train_loss": 0.5, "loss_fell": True,
            "stop_reason": "epochs done"}


def base(value):
    return {"naive": {"metrics": {"forecast": {k: value for k in KEYS}}}}


def test_a_diverged_seed_is_counted_beside_the_mean():
    # the cell read "2.000 ± 1.414" over 2 seeds under 'summary over 3 seeds'
    cfg = CompareConfig(models=("gru",), seeds=(0, 1, 2))
    recs = [record("gru", 0, 1.0), record("gru", 2, 3.0)]
    rows = summarize(cfg, recs, {}, [{"model": "gru", "seed": 1, "error": "nan loss"}])
    assert rows[0]["diverged_seeds"] == [1]
    md = markdown_table(cfg, rows)
    assert "| 2.000 ± 1.414 (2 of 3) | 1.000, diverged, 3.000 |" in md
    assert "2.000 ± 1.414 (2 of 3)" in terminal_table(cfg, rows)
    assert "(2 of 3)" not in markdown_table(cfg, summarize(cfg, recs, {}))  # none diverged


def test_no_better_is_claimed_where_the_spreads_overlap():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1))
    rows = summarize(cfg, [record("rnn", 0, 2.0), record("rnn", 1, 4.0),
                           record("gru", 0, 2.5), record("gru", 1, 2.7)], base(5.0))
    text = ranking_note(cfg, rows)
    assert "gru 2.600, rnn 3.000" in text  # ordered by mean, not by the config
    assert "these seeds do not show gru better than rnn" in text
    assert "Best baseline: naive 5.000; below it: gru, rnn." in text
    assert text in " ".join(terminal_table(cfg, rows).split())  # (its notes wrapped at 80 columns)


def test_separated_tied_and_single_seed_orders():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1))
    apart = summarize(cfg, [record("rnn", 0, 2.0), record("rnn", 1, 2.1),
                            record("gru", 0, 3.0), record("gru", 1, 3.1)], base(1.0))
    text = ranking_note(cfg, apart)
    assert "rnn's mean ± std lies below gru's" in text and "not a significance test" in text
    assert "no model's mean is below it" in text
    tie = summarize(cfg, [record("gru", 0, 2.0), record("rnn", 0, 2.0)], {})
    assert "rnn and gru tie" in ranking_note(cfg, tie)  # the config's order, not a winner
    one = CompareConfig(models=("rnn", "gru"), seeds=(0,))
    single = summarize(one, [record("rnn", 0, 2.0), record("gru", 0, 3.0)], {})
    assert ("One finite seed for rnn and gru: no spread, so these runs do not show rnn better "
            "than gru") in ranking_note(one, single)


def test_parameter_counts_are_said_matched_or_not():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0,))
    rows = summarize(cfg, [record("rnn", 0, 1.0, 1660), record("gru", 0, 1.0, 3900)], {})
    text = params_note(cfg, rows, None)
    assert "NOT matched" in text and "1,660 (rnn) to 3,900 (gru, 2.35x)" in text
    assert text in " ".join(terminal_table(cfg, rows).split())  # (its notes wrapped at 80 columns)
    matched = CompareConfig(models=("rnn", "gru"), seeds=(0,), match_params=True)
    rows = summarize(matched, [record("rnn", 0, 1.0, 5070), record("gru", 0, 1.0, 5040)], {})
    assert "farthest from the target 5,020 is rnn (5,070, +1.0%)" in params_note(matched, rows,
                                                                                  5020)
    assert "NOT matched" not in terminal_table(matched, rows)
    same = summarize(cfg, [record("rnn", 0, 1.0, 100), record("gru", 0, 1.0, 100)], {})
    assert params_note(cfg, same, None) is None


def test_report_says_how_seeds_are_averaged():
    for task, said in (("forecast", "mean of per-seed RMSEs"),
                       ("lm", "mean of the per-seed perplexities")):
        cfg = CompareConfig(task=task, models=("rnn",), seeds=(0, 1))
        assert said in averaging_note(cfg)
    cfg = CompareConfig(models=("rnn",), seeds=(0, 1))
    rows = summarize(cfg, [record("rnn", 0, 1.0), record("rnn", 1, 2.0)], {})
    notes = _notes({"results": {"main_metric": "forecast.rmse", "rows": rows, "seconds": 1.0},
                    "config": cfg})
    assert any("mean of per-seed RMSEs" in n for n in notes)


def test_settings_that_would_choose_on_nothing_are_refused():
    import pytest

    # --patience with no validation part was ignored: every model ran its epochs
    with pytest.raises(ValueError, match=r"patience \(--patience\) 5 stops on the validation"):
        CompareConfig(val_size=0, patience=5)
    CompareConfig(val_size=0)  # no early stopping asked for: fine
    # a language model's val_fraction 0 failed in the first fit, after the run dir was made
    with pytest.raises(ValueError, match=r"val_fraction \(--val-fraction\) must be in \(0, 1\)"):
        CompareConfig(task="lm", data="time-machine", val_fraction=0)


def test_lm_baselines_include_the_uniform_floor():
    import math

    from rnnlab.compare.lm_run import corpus_parts, lm_baselines
    from rnnlab.data.text import Vocab

    cfg = CompareConfig(task="lm", data="time-machine", models=("lstm",), max_chars=4000)
    base = lm_baselines(cfg)
    v = len(Vocab.build(corpus_parts(cfg)[0], "char"))
    assert base["uniform"]["metrics"]["test_bpc"] == math.log2(v)
    assert base["unigram"]["metrics"]["test_bpc"] < base["uniform"]["metrics"]["test_bpc"]
