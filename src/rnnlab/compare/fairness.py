"""What a comparison's numbers do and do not show, said beside them: how the seeds were
averaged, whether the parameter counts were matched (and how closely), and whether the
seeds separate the models at all (no 'better' is claimed where the spreads overlap)."""

from __future__ import annotations

import math
from typing import List, Optional

from .config import CompareConfig


def averaging_note(cfg: CompareConfig) -> str:
    """Which mean the table shows: of the per-seed metrics, not of the pooled errors."""
    if cfg.task == "lm":
        return ("Averaging: each seed's bits per character are scored on the test text, then "
                "averaged over seeds; test_ppl is the mean of the per-seed perplexities (not "
                "2 ** mean bpc, which is smaller or equal).")
    return ("Averaging: each seed's errors are scored on the test part, then averaged over "
            "seeds: the rmse column is the mean of per-seed RMSEs (not the square root of "
            "the mean of per-seed MSEs, which is larger or equal); std is the sample std "
            "(ddof 1) of the per-seed values.")


def params_note(cfg: CompareConfig, rows: List[dict], target: Optional[int]) -> Optional[str]:
    """Matched: the largest distance of a model's count from the target (the tolerance
    is a bound, not the distance). Not matched: that the counts differ, and by how much."""
    counts = {r["name"]: r["params"] for r in rows
              if r["kind"] == "model" and r.get("params") is not None}
    if not counts:
        return None
    if target:
        name, n = max(counts.items(), key=lambda kv: abs(kv[1] - target))
        return (f"Parameter counts as matched: {min(counts.values()):,} to "
                f"{max(counts.values()):,}; the farthest from the target {target:,} is "
                f"{name} ({n:,}, {(n - target) / target:+.1%}).")
    low, high = min(counts.values()), max(counts.values())
    if low == high:
        return None
    small = min(counts, key=counts.get)
    large = max(counts, key=counts.get)
    return (f"Parameter counts are NOT matched: every model has hidden size {cfg.hidden_size}, "
            f"so the counts run from {low:,} ({small}) to {high:,} ({large}, "
            f"{high / low:.2f}x); a difference may come from size alone. --match-params "
            f"(match_params=True) gives every model the same count.")


def _interval(st: dict) -> tuple:
    return st["mean"] - st["std"], st["mean"] + st["std"]


def ranking_note(cfg: CompareConfig, rows: List[dict]) -> Optional[str]:
    """The models in order of their mean main metric (lower is better), and whether the
    seeds back the order of the first two: with one finite seed there is no spread, and
    where mean ± std overlap the seeds do not separate them. Equal means are a tie, named
    as such (the config's order decided nothing). The best baseline is set beside them."""
    main = cfg.main_metric
    models = [(r["name"], r["metrics"][main]) for r in rows if r["kind"] == "model"
              and main in r.get("metrics", {}) and math.isfinite(r["metrics"][main]["mean"])]
    base = [(r["name"], r["metrics"][main]["mean"]) for r in rows if r["kind"] == "baseline"
            and main in r["metrics"] and math.isfinite(r["metrics"][main]["mean"])]
    if not models:
        return None
    models.sort(key=lambda m: m[1]["mean"])
    d = 4 if cfg.task == "lm" else 3
    text = (f"Order by mean {main} (lower is better): "
            + ", ".join(f"{n} {s['mean']:.{d}f}" for n, s in models) + ".")
    if len(models) > 1:
        (n1, s1), (n2, s2) = models[0], models[1]
        if s1["mean"] == s2["mean"]:
            text += f" {n1} and {n2} tie."
        elif min(s1["finite"], s2["finite"]) < 2:
            few = " and ".join(n for n, s in ((n1, s1), (n2, s2)) if s["finite"] < 2)
            text += (f" One finite seed for {few}: no spread, so these runs do not show "
                     f"{n1} better than {n2}.")
        elif _interval(s1)[1] >= _interval(s2)[0]:
            text += (f" {n1} and {n2} overlap (mean ± std over {s1['finite']} and "
                     f"{s2['finite']} seeds): these seeds do not show {n1} better than {n2}.")
        else:
            text += (f" {n1}'s mean ± std lies below {n2}'s over {s1['finite']} and "
                     f"{s2['finite']} seeds (a separation of the spreads, not a significance "
                     f"test).")
    if base:
        bname, bval = min(base, key=lambda b: b[1])
        beaten = [n for n, s in models if s["mean"] < bval]
        text += (f" Best baseline: {bname} {bval:.{d}f}; "
                 + (f"below it: {', '.join(beaten)}." if beaten else
                    "no model's mean is below it."))
    return text


def fairness_notes(cfg: CompareConfig, rows: List[dict], target: Optional[int]) -> List[str]:
    """The three notes, those that apply, in the order the report shows them."""
    notes = [ranking_note(cfg, rows), params_note(cfg, rows, target), averaging_note(cfg)]
    return [n for n in notes if n]
