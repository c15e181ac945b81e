"""Paired t-tests across seeds of a comparison: the model of the lowest mean main metric
against each other model, on the seeds both finished (the same seeds: the same data,
split and test part), beside the mean ± std rule of :func:`~.fairness.ranking_note`.

What it tests is narrow and said with it: whether a difference survives training again
from other seeds, on this one test part; not whether it would hold on other data (a
backtest's Diebold-Mariano test over origins speaks to that). With 3 seeds the test has
2 degrees of freedom, so a large p-value is weak evidence of no difference. Holm adjusts
for the comparisons it lists; nothing adjusts for other settings tried before."""

from __future__ import annotations

import math
from typing import List, Optional

from ..stats import PairedTest, paired_t, with_holm
from ..stats.paired import LEAST_T
from .config import CompareConfig


def _by_seed(row: dict, main: str) -> dict:
    return dict(zip(row.get("seeds", []), row["metrics"][main]["values"]))


def seed_tests(cfg: CompareConfig, rows: List[dict]) -> List[PairedTest]:
    """The first model by mean ``cfg.main_metric`` against each other model, paired by
    seed (a seed one of them lost is left out of that pair: ``n`` says how many are
    left). Needs scipy (:class:`~rnnlab.extras.MissingExtraError` without it)."""
    main = cfg.main_metric
    models = [r for r in rows if r["kind"] == "model" and main in r.get("metrics", {})
              and math.isfinite(r["metrics"][main]["mean"])]
    if len(models) < 2:
        return []
    models.sort(key=lambda r: r["metrics"][main]["mean"])
    first, seeds = models[0], list(cfg.seeds)
    a = _by_seed(first, main)
    tests = []
    for other in models[1:]:
        b = _by_seed(other, main)
        both = [s for s in seeds if s in a and s in b]
        nan = float("nan")
        tests.append(paired_t([nan if a[s] is None else a[s] for s in both],
                              [nan if b[s] is None else b[s] for s in both],
                              first["name"], other["name"], "seeds"))
    return with_holm(tests)


def seed_tests_said(cfg: CompareConfig, rows: List[dict]) -> tuple:
    """``(note, json)``: the sentence for the terminal and the report (None where fewer
    than two models have a mean) and what results.json records (``paired_tests``)."""
    from ..extras import MissingExtraError

    try:
        tests = seed_tests(cfg, rows)
    except MissingExtraError as e:
        return f"Paired t-tests across seeds: not run ({e}).", {"note": f"not run ({e})",
                                                                 "tests": []}
    if not tests:
        return None, {}
    doc = {"tests": [t.to_dict() for t in tests]}
    most = max(t.n for t in tests)
    if most < LEAST_T and len(tests) > 1:  # (no pair can be tested: said once, not per model)
        note = (f"Paired t-tests across seeds of {cfg.main_metric}: none ({most} "
                f"{'seed' if most == 1 else 'seeds'}; the test needs at least {LEAST_T} "
                f"seeds that both models of a pair finished).")
        return note, {"note": note, **doc}
    # Holm adjusts over the tests that gave a p-value (with_holm): say that many
    tested = sum(t.p_value is not None for t in tests)
    holm = f"; Holm over the {tested} comparisons with a p-value" if tested > 1 else ""
    note = (f"Paired t-tests across seeds of {cfg.main_metric} (whether the difference "
            f"survives retraining from other seeds on this one test part, not whether it "
            f"holds on other data; two-sided, n - 1 degrees of freedom: with few seeds a "
            f"large p is weak evidence of no difference{holm}): "
            + "; ".join(t.text() for t in tests) + ".")
    return note, {"note": note, **doc}


def seed_tests_note(cfg: CompareConfig, rows: List[dict]) -> Optional[str]:
    return seed_tests_said(cfg, rows)[0]
