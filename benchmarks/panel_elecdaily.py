"""elecdaily (daily electricity demand, Victoria 2014): does the global model use its
future-known covariates? The same model with Temperature and WorkDay as future covariates
against without them, rolling backtest over the last 12 weeks (horizon 14, stride 14:
origins 84, 70, ..., 14 days before the end), beside seasonal naive (7 days) and ETS.

Goal (issue 17): RMSE at least 20% lower with the covariates. Writes the results JSON and a
plot of both forecasts over the backtest (``--plot``). Baselines run without the model.

    python benchmarks/panel_elecdaily.py --plot benchmarks/results/panel_elecdaily.png
"""

from __future__ import annotations


import pandas as pd

from panel_common import DATA, Timer, env, global_model_class, load, peak_rss_mib, write

COVARIATES = ("Temperature", "WorkDay")


def plot(path, fc: pd.DataFrame, history: pd.DataFrame, models) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start = fc["origin"].min()
    h = history[history["ds"] > start - pd.Timedelta(days=28)]
    fig, (ax, axt) = plt.subplots(2, 1, figsize=(11, 6), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    ax.plot(h["ds"], h["y"], color="black", lw=1.4, label="demand (truth)")
    colors = {"with covariates": "tab:red", "without covariates": "tab:blue",
              "seasonal_naive": "tab:green", "ets": "tab:purple"}
    for m in models:
        f = fc[fc["model"] == m]
        rmse = float(((f["mean"] - f["y"]) ** 2).mean() ** 0.5)
        for k, (_, g) in enumerate(f.groupby("origin")):
            ax.plot(g["ds"], g["mean"], color=colors.get(m, "0.5"), lw=1.2,
                    ls="-" if "covariates" in m else "--",
                    label=f"{m} (RMSE {rmse:.1f})" if k == 0 else None)
            if m == "with covariates" and "q0.1" in g:
                ax.fill_between(g["ds"], g["q0.1"], g["q0.9"], color="tab:red", alpha=0.15,
                                lw=0)
    for o in fc["origin"].unique():
        ax.axvline(o, color="0.7", lw=0.6, ls=":")
    ax.set_ylabel("demand (GW)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    axt.plot(h["ds"], h["Temperature"], color="tab:orange", lw=1)
    axt.set_ylabel("max temp (C)")
    axt.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DATA / "elecdaily.csv"))
    p.add_argument("--arch", default="lstm")
    p.add_argument("--lookback", type=int, default=28)
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--max-seconds", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--plot", default=None, help="write the forecast plot (PNG) here")
    p.add_argument("--out", default=None, help="results JSON (default benchmarks/results/)")
    a = p.parse_args(argv)

    import torch

    from rnnlab.panel.backtest import backtest

    torch.set_num_threads(a.threads)
    raw = pd.read_csv(a.data).assign(unique_id="victoria")
    panel = load(raw, "unique_id", "Date", "Demand")
    q = (0.1, 0.5, 0.9)
    runs = {"baselines": dict(make=None, baselines=("seasonal_naive", "ets"))}
    Global = global_model_class()
    if Global is not None:
        kw = dict(model=a.arch, lookback=a.lookback, horizon=14, quantiles=q, seed=a.seed,
                  calendar=("dayofweek",))
        kw.update({k: v for k, v in (("epochs", a.epochs), ("max_seconds", a.max_seconds))
                   if v is not None})
        runs["with covariates"] = dict(make=lambda: Global(future_covariates=COVARIATES, **kw),
                                       baselines=(), future_covariates=COVARIATES)
        runs["without covariates"] = dict(make=lambda: Global(**kw), baselines=())
    frames, seconds = [], {}
    for label, r in runs.items():
        with Timer() as t:
            res = backtest(r["make"], panel, horizon=14, first_origin=84, stride=14,
                           refit="never", baselines=r["baselines"], quantiles=q, name=label,
                           future_covariates=r.get("future_covariates"))
        frames.append(res.forecasts)
        seconds[label] = t.seconds
    fc = pd.concat(frames, ignore_index=True)
    from rnnlab.panel.metrics import summarize

    s = summarize(fc).set_index("model")
    rows = {m: {"rmse": float(s.loc[m, "rmse"]), "mase": float(s.loc[m, "mase"]),
                "coverage80": float(s.loc[m, "coverage80"])} for m in s.index}
    payload = {"benchmark": "panel_elecdaily", "horizon": 14, "origins_before_end":
               [84, 70, 56, 42, 28, 14], "models": rows, "seconds": seconds,
               "peak_rss_mib": peak_rss_mib(), "env": env(),
               "notes": [] if Global else ["global model not installed: baselines only"]}
    if Global is not None:
        payload["rmse_ratio_with_vs_without"] = (rows["with covariates"]["rmse"]
                                                 / rows["without covariates"]["rmse"])
    path = write("panel_elecdaily", payload, a.out)
    if a.plot:
        plot(a.plot, fc, panel.df, list(s.index))
    for m, r in rows.items():
        print(f"{m:>20}: RMSE {r['rmse']:.2f}  MASE {r['mase']:.3f}  "
              f"coverage80 {r['coverage80']:.2f}")
    if "rmse_ratio_with_vs_without" in payload:
        print(f"RMSE with / without covariates: {payload['rmse_ratio_with_vs_without']:.3f} "
              f"(goal <= 0.8)")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
