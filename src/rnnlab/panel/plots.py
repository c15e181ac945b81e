"""Backtest plots (matplotlib, Agg): a grid of series with their forecasts and interval
bands, 80% coverage by horizon step, and the error distribution across series."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np
import pandas as pd

STYLES = {"seasonal_naive": ("tab:green", "--"), "naive": ("tab:gray", ":"),
          "ets": ("tab:blue", "-.")}


def _plt():
    from ..figure_files import pyplot

    return pyplot()


def _save(fig, path):
    """The file written (:func:`rnnlab.figure_files.save_figure`), or with ``path`` None
    the figure itself, closed (``BacktestResult.plot()`` in a notebook)."""
    from ..figure_files import save_figure

    return save_figure(fig, path, dpi=100)


def _models(fc: pd.DataFrame) -> List[str]:
    return list(dict.fromkeys(fc["model"]))


def pick_series(per_series: pd.DataFrame, model: str, n: int) -> List[str]:
    """``n`` series spread over the model's MASE ranking (best, quartiles..., worst), so
    the grid shows typical and hard cases, not only the first ids."""
    ps = per_series[per_series["model"] == model].sort_values("mase", na_position="last")
    ids = ps["unique_id"].tolist()
    if len(ids) <= n:
        return ids
    return [ids[int(round(i))] for i in np.linspace(0, len(ids) - 1, n)]


def plot_forecast_grid(path, fc: pd.DataFrame, history: pd.DataFrame,
                       series: Optional[Sequence[str]] = None, n: int = 6,
                       model: Optional[str] = None, baseline: Optional[str] = "seasonal_naive",
                       zoom: Optional[int] = None) -> Path:
    """One panel per series: the recent past (the last ``zoom`` values before the first
    origin; default four horizons), the truth, the model's forecast from each origin with
    a band for each central interval its levels hold (a fan, the widest lightest:
    :mod:`.fan_bands`), and the baseline's forecast. An inset shows the whole series."""
    from ..figure_files import quarter_ticks
    from .fan_bands import draw_fan
    from .metrics import per_series

    plt = _plt()
    # ids compared as text: forecasts give them back typed, a PanelFrame holds them as text
    fc = fc.assign(unique_id=fc["unique_id"].astype(str))
    models = _models(fc)
    model = model or models[0]
    baseline = baseline if baseline in models and baseline != model else None
    horizon = int(fc["step"].max())
    zoom = zoom or 4 * horizon
    if series is None:  # (the model's rows alone: its metrics are its own, per series)
        series = pick_series(per_series(fc[fc["model"] == model]), model, n)
    ids = [str(u) for u in series]
    fc = fc[fc["unique_id"].isin(ids)]  # (the series drawn: each panel's rows found in them)
    text = history["unique_id"].astype(str)
    history = history[text.isin(ids)].assign(unique_id=text[text.isin(ids)])
    cols = 2 if len(ids) > 1 else 1
    rows = int(np.ceil(len(ids) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(6.5 * cols, 2.9 * rows), squeeze=False)
    for ax, uid in zip(axes.ravel(), ids):
        h = history[history["unique_id"] == uid]
        f = fc[(fc["unique_id"] == uid) & (fc["model"] == model)]
        start = f["origin"].min()
        past = h[h["ds"] <= start].tail(zoom)
        later = h[h["ds"] > start]
        ax.plot(past["ds"], past["y"], color="0.35", lw=1.1, label="history")
        ax.plot(later["ds"], later["y"], color="black", lw=1.5, label="truth")
        for k, (origin, g) in enumerate(f.groupby("origin")):
            first = k == 0
            ax.plot(g["ds"], g["mean"], color="tab:red", lw=1.6,
                    label=model if first else None)
            draw_fan(ax, g["ds"], g, labelled=first, widest_alpha=0.18)  # (each interval)
            ax.axvline(origin, color="0.6", lw=0.6, ls=":")
            if baseline:
                b = fc[(fc["unique_id"] == uid) & (fc["model"] == baseline)
                       & (fc["origin"] == origin)]
                c, ls = STYLES.get(baseline, ("tab:purple", "--"))
                ax.plot(b["ds"], b["mean"], color=c, ls=ls, lw=1.1,
                        label=baseline if first else None)
        ax.set_title(str(uid), fontsize=9)
        ax.tick_params(labelsize=7)
        quarter_ticks(ax, pd.concat([past["ds"], later["ds"], f["ds"]]))  # (2014Q1)
        ax.grid(alpha=0.3)
        if len(h) > len(past) + len(later):  # the zoom hides older values: show them small
            ins = ax.inset_axes([0.01, 0.68, 0.22, 0.3])
            ins.plot(h["ds"], h["y"], color="0.4", lw=0.6)
            ins.axvspan(past["ds"].iloc[0], h["ds"].iloc[-1], color="tab:red", alpha=0.15)
            ins.set_xticks([])
            ins.set_yticks([])
    for ax in axes.ravel()[len(ids):]:
        ax.set_visible(False)
    axes.ravel()[0].legend(fontsize=7, loc="lower left")
    several = fc.loc[fc["model"] == model, "origin"].nunique() > 1  # (rnnlab forecast: one)
    fig.suptitle(f"backtest forecasts: {model} (red) from each origin (dotted lines)"
                 if several else f"forecasts: {model} (red) from one cut (dotted line)",
                 fontsize=10)
    from ..io.figure_glyphs import glyphs_said_when_saved

    with glyphs_said_when_saved():  # (CJK ids: said once, when saved)
        fig.tight_layout()
    return _save(fig, path)


def coverage_share(by_step: pd.DataFrame) -> Optional[str]:
    """The nominal share (text, as the columns: "80", "95") of the interval a coverage plot
    draws: the 80% one when a model has it, else the first of the table's (by share) that
    a model has; None when none. Levels (0.025, 0.5, 0.975) drew no plot at all."""
    shares = sorted((c[len("coverage"):] for c in by_step.columns
                     if isinstance(c, str) and c.startswith("coverage")
                     and by_step[c].notna().any()), key=float)
    return "80" if "80" in shares else (shares[0] if shares else None)


def plot_coverage_by_step(path, by_step: pd.DataFrame, share: Optional[str] = None) -> Path:
    """Empirical coverage of a central interval (``share``, default
    :func:`coverage_share`'s) at each horizon step, per model, against its nominal share."""
    share = share or coverage_share(by_step) or "80"
    col, nominal = f"coverage{share}", float(share) / 100
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for k, (model, g) in enumerate(by_step.groupby("model", sort=False)):
        if col in g and g[col].notna().any():
            c, ls = STYLES.get(str(model), (f"C{k}" if k else "tab:red", "-"))
            ax.plot(g["step"], g[col], marker="o", ms=3, color=c, ls=ls, label=model)
    ax.axhline(nominal, color="black", lw=0.8, ls="--", label=f"nominal {share}%")
    ax.set_xlabel("horizon step")
    ax.set_ylabel(f"coverage of the {share}% interval")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, path)


def plot_error_distribution(path, per_series: pd.DataFrame, metric: str = "mase") -> Path:
    """Box plot (with the points) of a per-series metric across series, per model."""
    plt = _plt()
    models = _models(per_series)
    data = [per_series.loc[per_series["model"] == m, metric].dropna().to_numpy()
            for m in models]
    fig, ax = plt.subplots(figsize=(1.6 * len(models) + 2.5, 3.8))
    ax.boxplot(data, showfliers=False)
    ax.set_xticks(range(1, len(models) + 1), models)
    rng = np.random.default_rng(0)
    for i, d in enumerate(data, start=1):
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(d)), d, s=6, alpha=0.5, color="0.3")
        if len(d):
            ax.annotate(f"mean {d.mean():.3g}", (i, np.max(d)), fontsize=7, ha="center",
                        xytext=(0, 4), textcoords="offset points")
    if all(len(d) and (d > 0).all() for d in data):
        ax.set_yscale("log")
    ax.set_ylabel(f"{metric} per series")
    ax.grid(alpha=0.3, axis="y")
    return _save(fig, path)


def _drawable(fc: pd.DataFrame, history: Optional[pd.DataFrame]):
    """(forecasts, history) with dates matplotlib draws on one axis: periods at their first
    days, the panel's days as integer steps where the forecasts give steps. ``history``
    None: the truth the forecasts hold (each series after its first origin)."""
    if isinstance(fc["ds"].dtype, pd.PeriodDtype):  # periods: drawn at their first days
        fc = fc.assign(**{c: fc[c].dt.to_timestamp() for c in ("ds", "origin")
                          if c in fc and isinstance(fc[c].dtype, pd.PeriodDtype)})
    if history is None:
        return fc, fc[["unique_id", "ds", "y"]].drop_duplicates(["unique_id", "ds"]).sort_values(
            ["unique_id", "ds"], kind="stable")
    if pd.api.types.is_integer_dtype(fc["ds"]) \
            and pd.api.types.is_datetime64_any_dtype(history["ds"]):
        from .int_steps import dates_to_steps  # integer time steps: the panel's as steps

        history = history.assign(ds=dates_to_steps(history["ds"]))
    return fc, history


def plot_backtest(out_dir, result, history: pd.DataFrame, n: int = 6,
                  tables: Optional[tuple] = None, networks: Sequence[str] = ()) -> List[Path]:
    """The three plots of a backtest in ``out_dir``: forecasts.png, coverage_by_step.png
    (when the models have a central interval: :func:`coverage_share`) and errors.png. ``tables``: the result's
    ``(per_series(), by_step())`` where the caller has them (each is a pass over every
    forecast). ``networks``: the models of ``rnnlab backtest --model lstm gru``; the grid
    of each after the first (forecasts.png's) is forecasts-NAME.png."""
    out = Path(out_dir)
    fc, history = _drawable(result.forecasts, history)  # (dates of the kind given)
    paths = [plot_forecast_grid(out / "forecasts.png", fc, history, n=n)]
    paths += [plot_forecast_grid(out / f"forecasts-{m}.png", fc, history, n=n, model=m)
              for m in networks if m != _models(fc)[0]]
    per_series, steps = tables if tables is not None else (None, result.by_step())
    if coverage_share(steps):
        paths.append(plot_coverage_by_step(out / "coverage_by_step.png", steps))
    paths.append(plot_error_distribution(out / "errors.png", result.per_series()
                                         if per_series is None else per_series))
    return paths
