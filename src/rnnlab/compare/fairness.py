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
    small = min(counts, key=lambda m: counts[m])
    large = max(counts, key=lambda m: counts[m])
    return (f"Parameter counts are NOT matched: every model has hidden size {cfg.hidden_size}, "
            f"so the counts run from {low:,} ({small}) to {high:,} ({large}, "
            f"{high / low:.2f}x); a difference may come from size alone. --match-params "
            f"(match_params=True) gives every model the same count.")


def _interval(st: dict) -> tuple:
    return st["mean"] - st["std"], st["mean"] + st["std"]


def _versus(s1: dict, s2: dict) -> str:
    """How the seeds set the first model (``s1``, the lower mean) against another: 'tie'
    (equal means), 'few' (one finite seed on a side: no spread), 'overlap' (mean ± std
    overlap) or 'apart'."""
    if s1["mean"] == s2["mean"]:
        return "tie"
    if min(s1["finite"], s2["finite"]) < 2:
        return "few"
    return "overlap" if _interval(s1)[1] >= _interval(s2)[0] else "apart"


def _counted(name: str, st: dict, digits: int) -> str:
    """'gru 20.020', or 'gru 20.020 (2 of 3 seeds)' where the mean leaves seeds out (they
    diverged: the survivors' mean, which the order must not pass off as every seed's)."""
    n, k = st.get("of", len(st["values"])), st.get("finite", len(st["values"]))
    return f"{name} {st['mean']:.{digits}f}" + (f" ({k} of {n} seeds)" if k < n else "")


def _first_pair(n1: str, s1: dict, n2: str, s2: dict) -> str:
    """What the seeds say of the first model against the second."""
    kind = _versus(s1, s2)
    if kind == "tie":
        return f" {n1} and {n2} tie."
    if kind == "few":
        few = " and ".join(n for n, s in ((n1, s1), (n2, s2)) if s["finite"] < 2)
        return (f" One finite seed for {few}: no spread, so these runs do not show "
                f"{n1} better than {n2}.")
    if kind == "overlap":
        return (f" {n1} and {n2} overlap (mean ± std over {s1['finite']} and "
                f"{s2['finite']} seeds): these seeds do not show {n1} better than {n2}.")
    return (f" {n1}'s mean ± std lies below {n2}'s over {s1['finite']} and "
            f"{s2['finite']} seeds (a separation of the spreads, not a significance test).")


def _the_rest(n1: str, s1: dict, rest: list) -> str:
    """After a first model set apart from the second: the later models the seeds do not
    set it apart from (a wide spread, one finite seed), so that no overall winner is
    read into 'below the second' (it was said of the second alone)."""
    why = {"overlap": "mean ± std overlap", "few": "one finite seed, no spread",
           "tie": "equal means"}
    open_ = [(n, _versus(s1, s)) for n, s in rest]
    open_ = [(n, k) for n, k in open_ if k != "apart"]
    if not open_:
        return " It lies below every other model's too." if rest else ""
    return (f" But these seeds do not show {n1} better than "
            + ", ".join(f"{n} ({why[k]})" for n, k in open_) + ".")


def ranking_note(cfg: CompareConfig, rows: List[dict]) -> Optional[str]:
    """The models in order of their mean main metric (lower is better), and whether the
    seeds back the first model's place: with one finite seed there is no spread, and
    where mean ± std overlap the seeds do not separate two models. Equal means are a tie,
    named as such (the config's order decided nothing). A mean over fewer seeds than ran
    says so, and a model without a finite mean is named as left out of the order. The
    best baseline is set beside them."""
    main = cfg.main_metric
    models = [(r["name"], r["metrics"][main]) for r in rows if r["kind"] == "model"
              and main in r.get("metrics", {}) and math.isfinite(r["metrics"][main]["mean"])]
    base = [(r["name"], r["metrics"][main]["mean"]) for r in rows if r["kind"] == "baseline"
            and main in r["metrics"] and math.isfinite(r["metrics"][main]["mean"])]
    unranked = [m for m in cfg.models if m not in {n for n, _ in models}]
    out = (f" Not in the order: {', '.join(unranked)} (no seed with a finite {main}: "
           f"diverged)." if unranked else "")
    if not models:
        return out.strip() or None
    models.sort(key=lambda m: m[1]["mean"])
    d = 4 if cfg.task == "lm" else 3
    text = (f"Order by mean {main} (lower is better): "
            + ", ".join(_counted(n, s, d) for n, s in models) + ".")
    if len(models) > 1:
        (n1, s1), (n2, s2) = models[0], models[1]
        text += _first_pair(n1, s1, n2, s2)
        if _versus(s1, s2) == "apart":
            text += _the_rest(n1, s1, models[2:])
    text += out
    if base:
        bname, bval = min(base, key=lambda b: b[1])
        beaten = [(n, s) for n, s in models if s["mean"] < bval]
        # (a mean below it with mean + std above it, or one seed: the seeds do not show it)
        unsure = [n for n, s in beaten if s["finite"] < 2 or _interval(s)[1] >= bval]
        text += (f" Best baseline: {bname} {bval:.{d}f}; "
                 + (f"below it: {', '.join(n for n, _ in beaten)}." if beaten else
                    "no model's mean is below it.")
                 + (f" ({', '.join(unsure)}: mean ± std, or a single seed, reaches "
                    f"{bname}; these seeds do not show {'it' if len(unsure) == 1 else 'them'}"
                    f" better than {bname}.)" if unsure else ""))
    return text


def precision_note(rows: List[dict]) -> Optional[str]:
    """The precision the models trained in, where it is not plain fp32 for all: under
    bf16-mixed on a CPU without a bf16 LSTM kernel the LSTM layers train in fp32 and the
    others in bf16, so the models were not trained on identical terms (the report did not
    say, nor even that the comparison ran in bf16)."""
    said = {r["name"]: r["precision"] for r in rows if r["kind"] == "model" and r.get("precision")}
    if not said or set(said.values()) == {"32"}:
        return None
    if len(set(said.values())) == 1:
        return f"Precision: every model trained in {next(iter(said.values()))}."
    return ("Precision is NOT the same for every model: "
            + "; ".join(f"{n} [{p}]" for n, p in said.items())
            + ". A difference may come from the precision, not the architecture; "
              "--precision 32 trains every model alike.")


def fairness_notes(cfg: CompareConfig, rows: List[dict], target: Optional[int]) -> List[str]:
    """The notes that apply, in the order the report shows them."""
    from .seed_tests import seed_tests_note

    notes = [ranking_note(cfg, rows), seed_tests_note(cfg, rows), params_note(cfg, rows, target),
             precision_note(rows), averaging_note(cfg)]
    return [n for n in notes if n]
