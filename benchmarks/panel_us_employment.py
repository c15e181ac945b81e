"""us_employment (148 monthly series, 225-969 months): one global model against seasonal
naive and per-series ETS, rolling backtest over the last 36 months (horizon 12, stride 12:
origins 36, 24 and 12 months before each series' end: ``align="end"``, as the recorded
results were measured; the backtest's default, ``align="date"``, cuts every series at the
same dates), refit never.

Reports mean MASE (and its ratio to seasonal naive and to ETS), 80% coverage, wall time
per model and peak memory (ru_maxrss). Runs the baselines now; the global model too once
``rnnlab.panel.model.GlobalForecaster`` is installed (``--models`` picks).

    python benchmarks/panel_us_employment.py --models baselines      # about 3-5 min, 2 cores
    python benchmarks/panel_us_employment.py --models global --epochs 30
"""

from __future__ import annotations


from panel_common import (DATA, Timer, env, global_model_class, load, peak_rss_mib, report,
                          table, write)


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DATA / "us_employment.csv"))
    p.add_argument("--models", default="all", choices=["all", "baselines", "global"])
    p.add_argument("--arch", default="lstm", help="global model architecture")
    p.add_argument("--lookback", type=int, default=36)
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--max-seconds", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--calibrate", default=None, help="the global model's intervals: auto "
                   "(default) | conformal | none")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=None, help="results JSON (default benchmarks/results/)")
    p.add_argument("--forecasts", default=None, help="also write the forecasts CSV here")
    a = p.parse_args(argv)

    import torch

    from rnnlab.panel.backtest import backtest

    torch.set_num_threads(a.threads)
    panel = load(a.data, "Series_ID", "Month", "Employed")
    q = (0.1, 0.5, 0.9)
    make, notes = None, []
    if a.models in ("all", "global"):
        Global = global_model_class()
        if Global is None:
            notes.append("global model not installed (rnnlab.panel.model): baselines only")
        else:
            kw = dict(model=a.arch, lookback=a.lookback, horizon=12, quantiles=q, seed=a.seed)
            kw.update({k: v for k, v in (("epochs", a.epochs), ("max_seconds", a.max_seconds),
                                         ("calibrate", a.calibrate)) if v is not None})
            make = lambda: Global(**kw)  # noqa: E731
            notes.append(f"global model: {kw}")
    baselines = () if a.models == "global" else ("seasonal_naive", "ets", "naive")
    with Timer() as t:
        res = backtest(make, panel, horizon=12, first_origin=36, stride=12, refit="never",
                       baselines=baselines, quantiles=q, name=a.arch, align="end")
    rows = report(res.summary())
    payload = {"benchmark": "panel_us_employment", "data": a.data,
               "series": len(panel.ids), "horizon": 12, "origins_before_end": res.offsets,
               "refit": "never", "models": rows, "wall_seconds": t.seconds,
               "peak_rss_mib": peak_rss_mib(), "threads": a.threads, "notes": notes,
               "env": env()}
    path = write("panel_us_employment", payload, a.out)
    if a.forecasts:
        res.forecasts.to_csv(a.forecasts, index=False)
    print(table(rows))
    print(f"wall {t.seconds:.1f} s, peak RSS {payload['peak_rss_mib']:.0f} MiB; "
          f"{'; '.join(notes)}\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
