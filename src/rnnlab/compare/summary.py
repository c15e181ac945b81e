"""Mean ± std over seeds, per model, with the baselines beside them; as data and as text."""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional

import numpy as np

from ..seed_stats import seed_std
from .config import CompareConfig
from .model_names import named_options
# (what the numbers leave out: summary_notes; its names were this module's)
from .summary_notes import (baseline_notes, budget_notes, diverged_notes,  # noqa: F401
                            nonfinite_notes, run_notes)


def _get(metrics: dict, key: str) -> float:
    v: Any = metrics  # (a dict at each level of ``key``, a number at its end)
    for part in key.split("."):
        v = v[part]
    return float(v)


def secondary_metrics(cfg: CompareConfig) -> List[str]:
    if cfg.task == "lm":
        return ["test_bpc", "test_ppl"]
    ev = cfg.evaluation
    return [f"{ev}.{m}" for m in ("rmse", "mae", "mape", "smape", "mase")]


def _stats(vals: List[Optional[float]], lost: int = 0) -> dict:
    """Mean and sample std over the finite values; ``finite`` says how many of ``values``
    those are (a diverged seed's inf or NaN is left out, and the report says so).
    ``lost``: seeds whose training diverged, so they have no value at all; ``of`` then
    counts every seed run, so that '(2 of 3)' shows beside the mean (it printed
    'mean ± std' over 2 seeds under a 'summary over 3 seeds')."""
    a = np.asarray([v for v in vals if v is not None and math.isfinite(v)], dtype=np.float64)
    of = {"of": len(vals) + lost} if lost else {}
    if not len(a):
        return {"mean": float("nan"), "std": float("nan"), "values": list(vals), "finite": 0,
                **of}
    return {"mean": float(a.mean()), "std": seed_std(a),
            "values": [None if v is None else float(v) for v in vals], "finite": len(a), **of}


def summarize(cfg: CompareConfig, records: List[dict], baselines: Dict[str, dict],
              diverged=()) -> List[dict]:
    """One row per model (in the config's order), then one per baseline. ``diverged``
    ({model, seed, error}: trainings stopped by a NaN loss) are counted in each metric's
    '(k of n)' and named in the row's ``diverged_seeds``."""
    rows = []
    keys = secondary_metrics(cfg)
    for m in cfg.models:
        rs = [r for r in records if r["model"] == m]
        if not rs:
            continue
        lost = [d["seed"] for d in diverged if d["model"] == m]
        rows.append({
            "name": m, "kind": "model", "params": rs[0]["params"],
            "hidden_size": rs[0]["hidden_size"], "num_layers": rs[0]["num_layers"],
            "shape": cfg.shape_for(m),  # depth, width, ... as this model read them
            # which implementation ran: speeds of different paths are not an architecture's
            "path": ", ".join(sorted({r.get("path") or "?" for r in rs})),
            "precision": "; ".join(sorted({precision_text(r.get("precision")) for r in rs})),
            "metrics": {k: _stats([_get(r["metrics"], k) for r in rs], len(lost)) for k in keys},
            "train_seconds": _stats([r["train_seconds"] for r in rs]),
            # the same span's CPU seconds (None in records an earlier rnnlab wrote)
            "train_cpu_seconds": _stats([r.get("train_cpu_seconds") for r in rs]),
            "steps_per_second": _stats([r["steps_per_second"] for r in rs]),
            "steps_per_cpu_second": _stats([r.get("steps_per_cpu_second") for r in rs]),
            "best_epoch": [r["best_epoch"] for r in rs],
            "epochs_run": [r["epochs_run"] for r in rs],
            "first_train_loss": _stats([r["first_train_loss"] for r in rs]),
            "last_train_loss": _stats([r["last_train_loss"] for r in rs]),
            # each seed's largest total gradient norm (before clipping) and clipped steps
            "grad_norm_max": _stats([r.get("grad_norm_max") for r in rs]),
            "clipped_steps": [r.get("clipped_steps") for r in rs],
            # every seed's loss fell; None when some seed ran too few epochs to tell
            "loss_fell": (None if any(r["loss_fell"] is None for r in rs)
                          else all(r["loss_fell"] for r in rs)),
            "seeds": [r["seed"] for r in rs],
            "diverged_seeds": lost,  # trained, diverged, and so without any value
            # why each seed's training ended: epochs done | early stopping | time budget
            "stop_reasons": [r.get("stop_reason") for r in rs]})
    for name, b in baselines.items():
        rows.append({"name": name, "kind": "baseline",
                     "metrics": {k: _stats([_get(b["metrics"], k)]) for k in keys
                                 if _has(b["metrics"], k)},
                     **({"note": b["note"]} if b.get("note") else {})})
    return rows


def precision_text(layers) -> str:
    """A training's precision as its history records it ({"all layers": "32"}, or the LSTM
    layers' fp32 fallback under bf16-mixed beside "other layers"), as one phrase."""
    if not layers:
        return "32"
    if set(layers) == {"all layers"}:
        return str(layers["all layers"])
    return ", ".join(f"{k or 'the network'}: {v}" for k, v in layers.items())


def _has(metrics: dict, key: str) -> bool:
    try:
        _get(metrics, key)
        return True
    except (KeyError, TypeError):
        return False


def percent(fraction: float) -> str:
    """A tolerance as a percentage, as given: 0.05 -> '5%', 0.001 -> '0.1%' (':.0%'
    showed '0%')."""
    return f"{fraction * 100:.3g}%"


def _pm(s: Optional[dict], digits: int) -> str:
    """'mean ± std' over the finite values; a std only where two or more are finite (one
    finite seed of two printed '± 0.000', as if two seeds had agreed), and '(k of n)'
    where some seed's value was not finite (diverged)."""
    if s is None or not math.isfinite(s["mean"]):
        return "–"
    n, k = s.get("of", len(s["values"])), s.get("finite", len(s["values"]))
    text = (f"{s['mean']:.{digits}f} ± {s['std']:.{digits}f}" if k > 1
            else f"{s['mean']:.{digits}f}")
    return text + (f" ({k} of {n})" if k < n else "")


def table_rows(cfg: CompareConfig, rows: List[dict]) -> tuple:
    """(header, list of row cells) for the markdown and HTML tables."""
    main = cfg.main_metric
    others = [k for k in secondary_metrics(cfg) if k != main]
    d = 3 if cfg.task == "lm" else 2
    header = ["model", "params", "hidden × layers", f"{main} (mean ± std)", f"{main} per seed"]
    header += others + ["path", "train s", "train CPU s", "time steps/s", "best / run epochs",
                        f"train loss first → last ({cfg.loss_unit})", "fell (every seed)",
                        "grad norm max, clipped steps (mean)"]
    cells = []
    for r in rows:
        ms = r["metrics"]
        line = [_model_label(r)]
        if r["kind"] == "model":
            line += [f"{r['params']:,}", f"{r['hidden_size']} × {r['num_layers']}",
                     _pm(ms[main], d + 1),
                     _per_seed(cfg, r, ms[main]["values"], d + 1)]
            line += [_pm(ms[k], d) for k in others]
            line += [r.get("path", "?"), _pm(r["train_seconds"], 1),
                     _pm(r.get("train_cpu_seconds"), 1),  # (–: a row without it)
                     f"{r['steps_per_second']['mean']:,.0f}",
                     ", ".join(_epochs(r)),
                     f"{r['first_train_loss']['mean']:.4g} → {r['last_train_loss']['mean']:.4g}",
                     "n/a" if r["loss_fell"] is None else "yes" if r["loss_fell"] else "NO",
                     _norms(r)]
        else:
            line += ["–", "(baseline)", _pm(ms.get(main), d + 1), "–"]
            line += [_pm(ms.get(k), d) for k in others]
            line += ["–"] * 8
        cells.append(line)
    return header, cells


def _norms(row: dict) -> str:
    """'4.21, 13': the seeds' mean of their largest gradient norm and of their clipped
    steps ('–' for what the row lacks: no clipping, or results an earlier rnnlab wrote)."""
    top = (row.get("grad_norm_max") or {}).get("mean", float("nan"))
    clipped = row.get("clipped_steps") or [None]
    return (("–" if not math.isfinite(top) else f"{top:.3g}") + ", "
            + ("–" if None in clipped else f"{sum(clipped) / len(clipped):.3g}"))


def _per_seed(cfg: CompareConfig, row: dict, values: list, digits: int) -> str:
    """Each seed's value in the order of ``cfg.seeds``; 'diverged' for a seed whose
    training diverged (it was left out without a trace: two values under three seeds)."""
    by_seed = dict(zip(row.get("seeds", []), values))
    lost = row.get("diverged_seeds", [])
    cells = []
    for s in dict.fromkeys([*cfg.seeds, *by_seed, *lost]):  # (the config's seeds first)
        if s in lost:
            cells.append("diverged")
        elif s in by_seed:
            v = by_seed[s]
            cells.append("–" if v is None else f"{v:.{digits}f}")
    return ", ".join(cells)


def _model_label(row: dict) -> str:
    """A model row's name and the shape options it read that its name does not say
    ('dt-rnn (depth 3)', 'dt-rnn:depth=3', not 'dt-rnn:depth=3 (depth 3)')."""
    own = named_options(row["name"])
    return row["name"] + _shape_note({k: v for k, v in (row.get("shape") or {}).items()
                                      if k not in own})


def _shape_note(shape: dict) -> str:
    """' (depth 3, width 8)': the shape options a model read away from their defaults
    ('' when none), so that a table of deep models says which depth each ran."""
    from .config import CompareConfig

    fields = CompareConfig.__dataclass_fields__
    moved = [f"{k.replace('_', ' ')} {v}" for k, v in shape.items() if v != fields[k].default]
    return f" ({', '.join(moved)})" if moved else ""


def _epochs(row: dict) -> List[str]:
    """'best/run' per seed; '–' for the best epoch where there was no validation part
    (it printed 'None/300')."""
    return [f"{'–' if b is None else b}/{n}" for b, n in zip(row["best_epoch"], row["epochs_run"])]


def markdown_table(cfg: CompareConfig, rows: List[dict]) -> str:
    header, cells = table_rows(cfg, rows)
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(c) + " |" for c in cells]
    return "\n".join(out)


def terminal_table(cfg: CompareConfig, rows: List[dict], diverged=()) -> str:
    """The summary ``rnnlab compare`` ends with: each model (mean ± std over the seeds) and
    each baseline, by the main metric, with the other metrics, parameters and time."""
    main = cfg.main_metric
    others = [k for k in secondary_metrics(cfg) if k != main]
    d = 3 if cfg.task == "lm" else 2
    header = ["model", "params", f"{main} (mean ± std)"] + [k.split(".")[-1] for k in others]
    header += ["train s", "epochs (best/run)"]
    cells = []
    for r in rows:
        ms = r["metrics"]
        if r["kind"] == "model":
            line = [_model_label(r), f"{r['params']:,}",
                    _pm(ms[main], d + 1)]
            line += [_pm(ms[k], d) for k in others]
            line += [_pm(r["train_seconds"], 1),
                     " ".join(_epochs(r))]
        else:
            line = [r["name"] + " (baseline)", "–", _pm(ms.get(main), d + 1)]
            line += [_pm(ms.get(k), d) for k in others] + ["–", "–"]
        cells.append(line)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *cells)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    seeds = len(cfg.seeds)
    lines = [f"summary over {seeds} seed{'s' if seeds != 1 else ''} "
             f"({'test part' if cfg.task == 'forecast' else 'held-out text'}):",
             fmt.format(*header)]
    lines += [fmt.format(*c) for c in cells]
    from ..forecast.choice_lines import clause_lines  # (notes at 80 columns, as forecast's)

    return "\n".join(lines + [clause_lines(n) for n in diverged_notes(diverged)
                              + run_notes(cfg, rows)])
