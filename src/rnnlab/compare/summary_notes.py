"""What a comparison's numbers leave out, as notes under its tables (the terminal's and
the report's): seeds that diverged, runs the time budget stopped, what a baseline's name
does not say, and the fairness and seed-test notes gathered for the terminal."""

from __future__ import annotations

import math
from typing import List

from .config import CompareConfig


def diverged_notes(diverged) -> List[str]:
    """One line per model and seed whose training stopped on a non-finite loss: left out
    of the table (a model none of whose seeds finished has no row)."""
    return [f"{d['model']} seed {d['seed']}: training diverged and is left out of the "
            f"table ({d['error'].split(';')[0]})" for d in diverged or ()]


def run_notes(cfg: CompareConfig, rows: List[dict]) -> List[str]:
    """What the numbers leave out, for the terminal: seeds whose main metric diverged (left
    out of the mean) and runs the time budget stopped (:func:`budget_notes`)."""
    from .fairness import params_note, precision_note, ranking_note
    from .seed_tests import seed_tests_note

    said = [ranking_note(cfg, rows), seed_tests_note(cfg, rows)]
    said += [] if cfg.match_params else [params_note(cfg, rows, None)]
    said.append(precision_note(rows))
    return (nonfinite_notes(rows, cfg.main_metric) + budget_notes(cfg, rows)
            + baseline_notes(rows) + [n for n in said if n])


def nonfinite_notes(rows: List[dict], main: str, name=str) -> List[str]:
    """For each model some of whose seeds ended with a non-finite ``main`` metric (they
    diverged): how many, which, and what its mean is over; the terminal's and the
    report's note ("rnn: 1 of 2 seeds ended with a non-finite forecast.rmse ...", the
    model's name as ``name`` writes it: the report's in bold)."""
    notes = []
    for r in rows:
        st = r.get("metrics", {}).get(main) if r["kind"] == "model" else None
        n = len(st["values"]) if st else 0
        k = st.get("finite", n) if st else 0
        if st and k < n:  # (k < n: st given)
            bad = [s for s, v in zip(r.get("seeds", []), st["values"])
                   if v is None or not math.isfinite(v)]  # (none named: a row without seeds)
            which = f": seed {', '.join(map(str, bad))}" if bad else ""
            notes.append(f"{name(r['name'])}: {n - k} of {n} seeds ended with a non-finite {main} "
                         f"(diverged{which}); "
                         + (f"the mean is over the other {k}." if k else
                            "no seed has a finite value."))
    return notes


def baseline_notes(rows: List[dict]) -> List[str]:
    """What a baseline's name does not say about it in this run (drift without
    differencing is the mean level)."""
    return [f"{r['name']} (baseline): {r['note']}." for r in rows
            if r["kind"] == "baseline" and r.get("note")]


def budget_notes(cfg: CompareConfig, rows: List[dict]) -> List[str]:
    """One line per model that the time budget (--max-seconds) stopped before its epochs
    on some seed: those models did not get the same training as the others."""
    notes = []
    for r in rows:
        if r["kind"] != "model":
            continue
        cut = [(s, e) for s, e, why in zip(r.get("seeds", []), r.get("epochs_run", []),
                                           r.get("stop_reasons", []))
               if (why or "").startswith("time budget")]
        if cut:
            notes.append(f"{r['name']}: the time budget ({cfg.max_seconds or 0:g} s per model and "
                         f"seed) stopped {len(cut)} of {len(r['epochs_run'])} seeds before "
                         f"{cfg.epochs} epochs (epochs run: "
                         f"{', '.join(f'seed {s}: {e}' for s, e in cut)}).")
    return notes


__all__ = ["diverged_notes", "run_notes", "nonfinite_notes", "baseline_notes",
           "budget_notes"]
