"""rnnlab compare's paired t-tests across seeds: beside the mean ± std rule (which stays
as it was), the first model against each other one, paired by seed, with n, t and p; a
message instead of a number where the seeds are too few."""

import sys

import pytest

from rnnlab.compare import CompareConfig
from rnnlab.compare.fairness import ranking_note
from rnnlab.compare.report import _notes
from rnnlab.compare.seed_tests import seed_tests, seed_tests_said
from rnnlab.compare.summary import summarize, terminal_table

from test_compare_fairness import record

pytest.importorskip("scipy")


def rows_of(cfg, values):
    return summarize(cfg, [record(m, s, v) for m, vs in values.items()
                           for s, v in zip(cfg.seeds, vs) if v is not None], {})


def test_identical_models_are_not_significant_a_clearly_better_one_is():
    cfg = CompareConfig(models=("rnn", "gru", "lstm"), seeds=(0, 1, 2, 3, 4))
    rows = rows_of(cfg, {"rnn": [1.0, 1.2, 0.9, 1.1, 1.3], "gru": [1.0, 1.2, 0.9, 1.1, 1.3],
                         "lstm": [2.0, 2.3, 1.8, 2.2, 2.4]})
    same, better = seed_tests(cfg, rows)
    assert (same.a, same.b, same.n, same.p_value) == ("rnn", "gru", 5, 1.0)
    assert better.b == "lstm" and better.n == 5 and better.p_value < 1e-3
    assert better.mean_difference == pytest.approx(-1.04)
    # t of the differences 1.0, 1.1, 0.9, 1.1, 1.1 by hand: mean 1.04, sd 0.0894427
    assert better.statistic == pytest.approx(-1.04 / (0.0894427191 / 5 ** 0.5), rel=1e-6)
    assert better.p_holm == pytest.approx(min(1.0, 2 * better.p_value))


def test_too_few_seeds_give_a_message_and_the_old_rule_is_unchanged():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1))
    rows = rows_of(cfg, {"rnn": [1.0, 1.1], "gru": [2.0, 2.1]})
    note, said = seed_tests_said(cfg, rows)
    assert "rnn vs gru: paired t over 2 seeds: no test (2 seeds; the test needs at least 3)" \
        in note
    assert said["tests"][0]["p_value"] is None
    assert "rnn's mean ± std lies below gru's over 2 and 2 seeds" in ranking_note(cfg, rows)
    assert note in " ".join(terminal_table(cfg, rows).split())  # (its notes wrapped at 80 columns)


def test_a_lost_seed_leaves_its_pair_out():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1, 2, 3))
    rows = summarize(cfg, [record("rnn", s, v) for s, v in ((0, 1.0), (1, 1.2), (3, 1.1))]
                     + [record("gru", s, 2.0 + s / 10) for s in range(4)], {},
                     [{"model": "rnn", "seed": 2, "error": "nan loss"}])
    (t,) = seed_tests(cfg, rows)
    assert t.n == 3 and t.p_value is not None


def test_the_report_shows_them_and_without_scipy_says_so(monkeypatch):
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1, 2))
    rows = rows_of(cfg, {"rnn": [1.0, 1.2, 0.9], "gru": [2.0, 2.1, 2.2]})
    sec = {"config": cfg, "results": {"rows": rows, "main_metric": cfg.main_metric,
                                      "seconds": 1.0}}
    assert any(n.startswith("Paired t-tests across seeds of forecast.rmse") for n in _notes(sec))
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    note, said = seed_tests_said(cfg, rows)
    assert note.startswith("Paired t-tests across seeds: not run (the paired t-test needs "
                           "scipy") and said["tests"] == []
