"""The comparison's figures (PNG, matplotlib Agg): loss curves of every model on one figure,
the test-part forecasts of every model, error by horizon step, and the main metric as bars
with error bars (standard deviation over seeds), baselines drawn beside the models."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np

from .config import CompareConfig

BASELINE_STYLE = {"naive": ":", "seasonal_naive": "--", "linear_ar": "-.", "drift": (0, (5, 1)),
                  "unigram": ":",
                  "bigram": "--", "trigram": "-."}


def _plt():
    from ..pyplot_agg import pyplot

    return pyplot()


def _save(fig, path: Path) -> str:
    from ..io.atomic import atomic_write_figure

    try:
        atomic_write_figure(path, fig, dpi=100, bbox_inches="tight")
    finally:
        _plt().close(fig)
    return path.name


def write_plots(cfg: CompareConfig, res: dict, out: Path) -> Dict[str, str]:
    """{caption: file name} of the figures written into ``out``."""
    plots = {"Training and validation loss of every model (each seed)": plot_losses(cfg, res, out)}
    if cfg.task == "forecast":
        plots[f"Forecasts over the test part ({cfg.evaluation}, mean over seeds)"] = \
            plot_forecasts(cfg, res, out)
        plots["Error by horizon step (rolling origins over the test part)"] = plot_by_step(cfg, res, out)
    plots[f"{res['main_metric']}: mean ± std over seeds (lines: baselines)"] = plot_bars(cfg, res, out)
    return plots


def plot_losses(cfg: CompareConfig, res: dict, out: Path) -> str:
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    unit = cfg.loss_unit
    for i, m in enumerate(cfg.models):
        for j, r in enumerate(x for x in res["records"] if x["model"] == m):
            c = r["curve"]
            lab = m if j == 0 else None
            axes[0].plot(c["epoch"], [np.nan if v is None else v for v in c["train"]],
                         color=f"C{i}", lw=1.2, alpha=0.9 if j == 0 else 0.45, label=lab)
            axes[1].plot(c["epoch"], [np.nan if v is None else v for v in c["val"]],
                         color=f"C{i}", lw=1.2, alpha=0.9 if j == 0 else 0.45, label=lab)
            if r.get("best_epoch"):
                axes[1].axvline(r["best_epoch"], color=f"C{i}", lw=0.5, alpha=0.3)
    for ax, name in zip(axes, ("training", "validation")):
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{name} loss, {unit}")
        ax.set_title(f"{name} loss")
        ax.grid(alpha=0.3)
        if cfg.task == "forecast":
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    return _save(fig, out / "loss_curves.png")


def _mean_predictions(res: dict, model: str, kind: str) -> np.ndarray:
    """The mean over the seeds the table averages: those whose main metric is finite (one
    NaN seed made the whole line NaN, and the model's line was missing)."""
    from .summary import _get

    preds = [r["predictions"][kind] for r in res["records"] if r["model"] == model
             and np.isfinite(_get(r["metrics"], res.get("main_metric", f"{kind}.rmse")))]
    if not preds:  # no finite seed: no line (as the table has no mean)
        return np.full(len(res["series"]["actual"]) - res["series"]["n_train"], np.nan)
    return np.mean(preds, axis=0)


def _diverged_entry(ax, i: int, model: str, res: dict) -> None:
    """A legend entry, without a line, for a model every seed of which diverged (it was
    left out of the figure without a word)."""
    if any(d["model"] == model for d in res.get("diverged") or ()):
        ax.plot([], [], color=f"C{i}", lw=1.3, label=f"{model}: diverged, no forecast")


def plot_forecasts(cfg: CompareConfig, res: dict, out: Path) -> str:
    plt = _plt()
    s = res["series"]
    y, nt = np.asarray(s["actual"]), s["n_train"]
    x = np.arange(len(y)) if s["dates"] is None else np.asarray(s["dates"], dtype="datetime64[D]")
    k = len(y) - nt
    start = max(0, nt - max(3 * k, 36))
    fig, ax = plt.subplots(figsize=(12, 4.5))
    ax.plot(x[start:nt], y[start:nt], color="0.45", lw=1.2, label="history (training part)")
    ax.plot(x[nt:], y[nt:], color="black", lw=2, label="test (actual)")
    for i, m in enumerate(cfg.models):
        if not any(r["model"] == m for r in res["records"]):  # every seed diverged
            _diverged_entry(ax, i, m, res)
            continue
        ax.plot(x[nt:], _mean_predictions(res, m, cfg.evaluation), color=f"C{i}", lw=1.3, label=m)
    for name, b in res["baselines"].items():
        ax.plot(x[nt:], b["predictions"][cfg.evaluation], color="0.3",
                ls=BASELINE_STYLE.get(name, ":"), lw=1, label=f"{name} (baseline)")
    what = ("one-step forecasts (each from the true history)" if cfg.evaluation == "one_step"
            else "one multi-step forecast from the end of the training part")
    ax.set_title(f"{s['name']}: {what}, last {k} points")
    ax.legend(fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _save(fig, out / "forecasts.png")


def plot_by_step(cfg: CompareConfig, res: dict, out: Path) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    models = list(dict.fromkeys(r["model"] for r in res["records"]))
    for i, m in enumerate(cfg.models):  # diverged on every seed: named, without a line
        if m not in models:
            _diverged_entry(ax, i, m, res)
    for m in models:  # each model's colour as in the other figures (by its place in models)
        v = np.nanmean([r["by_step_rmse"] for r in res["records"] if r["model"] == m], axis=0)
        ax.plot(np.arange(1, len(v) + 1), v, marker="o", ms=3,
                color=f"C{cfg.models.index(m)}", label=m)
    for name, b in res["baselines"].items():
        v = b["by_step_rmse"]
        ax.plot(np.arange(1, len(v) + 1), v, marker=".", color="0.3",
                ls=BASELINE_STYLE.get(name, ":"), label=f"{name} (baseline)")
    ax.set_xlabel("horizon step")
    ax.set_ylabel("RMSE (original scale)")
    ax.set_title("error by horizon step")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, out / "error_by_horizon.png")


def bar_labels(cfg: CompareConfig, res: dict) -> list:
    """(model, tick label) of the bars, in the config's order: each model with its count,
    and a model every seed of which diverged (no row, so no bar) named as such: it was
    left out of the figure without a trace, which then read as if it had not been run."""
    named = {r["name"]: r for r in res["rows"] if r["kind"] == "model"}
    lost = {d["model"] for d in res.get("diverged") or ()}
    return [(m, f"{m}\n{named[m]['params']:,} p" if m in named else f"{m}\ndiverged")
            for m in cfg.models if m in named or m in lost]


def plot_bars(cfg: CompareConfig, res: dict, out: Path) -> str:
    plt = _plt()
    main = res["main_metric"]
    labels = bar_labels(cfg, res)
    named = {r["name"]: r for r in res["rows"] if r["kind"] == "model"}
    rows = [named.get(m) for m, _ in labels]  # None: every seed diverged
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(rows) + 3), 4.2))
    drawn = {i: r for i, r in enumerate(rows) if r is not None}  # {bar: row}
    at = list(drawn)
    ax.bar(at, [drawn[i]["metrics"][main]["mean"] for i in at],
           yerr=[drawn[i]["metrics"][main]["std"] for i in at], capsize=5,
           color=[f"C{cfg.models.index(drawn[i]['name'])}" for i in at])
    for i in at:  # each seed as a dot
        values = drawn[i]["metrics"][main]["values"]
        ax.plot([i] * len(values), values, "k.", ms=4)
    for r in res["rows"]:
        if r["kind"] == "baseline" and main in r["metrics"]:
            v = r["metrics"][main]["mean"]
            ax.axhline(v, color="0.3", ls=BASELINE_STYLE.get(r["name"], ":"), lw=1)
            ax.text(len(rows) - 0.5, v, f" {r['name']}", va="bottom", ha="right", fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([label for _, label in labels], fontsize=8)
    ax.set_ylabel(main)
    counts = sorted({r["metrics"][main].get("finite", len(r["metrics"][main]["values"]))
                     for r in drawn.values()})  # (a diverged seed is not behind its model's bar)
    n = "–".join(map(str, [counts[0], counts[-1]] if len(counts) > 1 else counts)) or "0"
    ax.set_title(f"{main} on the held-out part (error bars: std over {n} "
                 f"seed{'' if n == '1' else 's'})")
    ax.grid(alpha=0.3, axis="y")
    return _save(fig, out / "metric_bars.png")
