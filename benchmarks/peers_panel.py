"""Peers on the same backtests: NeuralForecast's LSTM and Darts' BlockRNNModel (LSTM),
each wrapped in rnnlab's panel protocol and run by ``rnnlab.panel.backtest`` over exactly
the origins of ``panel_us_employment.py`` (last 36 months of each series, ``align="end"``
as there, horizon 12, stride 12, refit never: fitted once before the first origin, then predicting from the history up to each
later origin), with quantiles 0.1/0.5/0.9 and the seasonal naive anchor.

Not for CI: it needs a separate environment with those libraries, e.g.

    /work/peers-venv/bin/python benchmarks/peers_panel.py --dataset us_employment
    /work/peers-venv/bin/python benchmarks/peers_panel.py --dataset visnights --quick

(rnnlab itself is imported from ``src/``; CRPS is NaN where properscoring is missing.)
Also runs rnnlab's global model (``--rnnlab``) when it is installed, so all ratios come
from one process on one machine.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from panel_common import (DATA, Timer, env, global_model_class, load, peak_rss_mib, report,
                          table, write)

DATASETS = {  # file, id, date, target, horizon, first origin, stride, lookback
    "us_employment": ("us_employment.csv", "Series_ID", "Month", "Employed", 12, 36, 12, 36),
    "visnights": ("visnights.csv", "Region", "Quarter", "Nights", 4, 12, 4, 12),
}
Q = (0.1, 0.5, 0.9)


def _long(fc: pd.DataFrame, ids_col: str = "unique_id") -> pd.DataFrame:
    fc = fc.sort_values([ids_col, "ds"]).reset_index(drop=True)
    fc["step"] = fc.groupby(ids_col).cumcount() + 1
    return fc


class NFLSTM:
    """NeuralForecast's LSTM (MQLoss over the quantiles, robust scaling per window)."""

    name = "neuralforecast_lstm"

    def __init__(self, horizon, lookback, max_steps, seed):
        self.horizon, self.lookback, self.max_steps, self.seed = horizon, lookback, max_steps, seed

    def fit(self, panel, static=None):
        from neuralforecast import NeuralForecast
        from neuralforecast.losses.pytorch import MQLoss
        from neuralforecast.models import LSTM

        model = LSTM(h=self.horizon, input_size=self.lookback, loss=MQLoss(quantiles=list(Q)),
                     max_steps=self.max_steps, scaler_type="robust", random_seed=self.seed,
                     enable_progress_bar=False, logger=False, enable_checkpointing=False,
                     accelerator="cpu")
        self.nf = NeuralForecast(models=[model], freq=panel.freq)
        self.nf.fit(df=panel.df[["unique_id", "ds", "y"]])
        self.panel = panel
        return self

    def predict(self, horizon, future=None, history=None):
        panel = history if history is not None else self.panel
        out = self.nf.predict(df=panel.df[["unique_id", "ds", "y"]])
        if "unique_id" not in out.columns:
            out = out.reset_index()
        cols = {}
        for c in out.columns:
            if not str(c).startswith("LSTM"):
                continue
            tail = str(c)[len("LSTM"):].lstrip("-")
            if tail in ("median", "ql0.5"):
                cols[c] = "q0.5"
            elif tail.startswith("lo-"):
                cols[c] = f"q{(1 - float(tail[3:]) / 100) / 2:g}"
            elif tail.startswith("hi-"):
                cols[c] = f"q{1 - (1 - float(tail[3:]) / 100) / 2:g}"
            elif tail.startswith("ql"):
                cols[c] = f"q{float(tail[2:]):g}"
        out = out.rename(columns=cols)
        out["mean"] = out["q0.5"]
        return _long(out[["unique_id", "ds", "mean"] + sorted(set(cols.values()))])


class DartsBlockRNN:
    """Darts' BlockRNNModel (LSTM, quantile regression), series scaled on their training
    part (min-max per series, fitted once with the model)."""

    name = "darts_blockrnn"

    def __init__(self, horizon, lookback, epochs, samples_per_series, seed):
        self.horizon, self.lookback, self.epochs = horizon, lookback, epochs
        self.samples_per_series, self.seed = samples_per_series, seed

    @staticmethod
    def _series(panel):
        from darts import TimeSeries

        out = {}
        for uid, g in panel.df.groupby("unique_id", sort=False):
            out[uid] = TimeSeries.from_times_and_values(
                pd.DatetimeIndex(g["ds"]), g["y"].to_numpy(np.float32), freq=panel.freq)
        return out

    def fit(self, panel, static=None):
        from darts.dataprocessing.transformers import Scaler
        from darts.models import BlockRNNModel
        from darts.utils.likelihood_models import QuantileRegression

        series = self._series(panel)
        self.ids = list(series)
        self.scaler = Scaler()
        scaled = self.scaler.fit_transform([series[i] for i in self.ids])
        self.model = BlockRNNModel(
            input_chunk_length=self.lookback, output_chunk_length=self.horizon, model="LSTM",
            hidden_dim=64, n_rnn_layers=2, likelihood=QuantileRegression(quantiles=list(Q)),
            n_epochs=self.epochs, random_state=self.seed, use_static_covariates=False,
            pl_trainer_kwargs={"accelerator": "cpu", "enable_progress_bar": False,
                               "logger": False, "enable_checkpointing": False})
        self.model.fit(scaled, max_samples_per_ts=self.samples_per_series, verbose=False)
        self.panel = panel
        return self

    def predict(self, horizon, future=None, history=None):
        panel = history if history is not None else self.panel
        series = self._series(panel)
        ids = [i for i in self.ids if i in series]
        scaled = self.scaler.transform([series[i] for i in ids])
        pred = self.model.predict(n=horizon, series=scaled, num_samples=200, verbose=False)
        pred = self.scaler.inverse_transform(pred)
        frames = []
        for uid, ts in zip(ids, pred):
            v = ts.all_values()[:, 0, :]  # (horizon, samples)
            qs = np.quantile(v, Q, axis=1)  # (K, horizon)
            f = pd.DataFrame({"unique_id": uid, "ds": ts.time_index, "mean": qs[1]})
            for k, t in enumerate(Q):
                f[f"q{t:g}"] = qs[k]
            frames.append(f)
        return _long(pd.concat(frames, ignore_index=True))


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="us_employment", choices=sorted(DATASETS))
    p.add_argument("--models", default="neuralforecast,darts,seasonal_naive",
                   help="comma-separated: neuralforecast, darts, seasonal_naive, ets, rnnlab")
    p.add_argument("--nf-max-steps", type=int, default=500)
    p.add_argument("--darts-epochs", type=int, default=10)
    p.add_argument("--darts-samples-per-series", type=int, default=64)
    p.add_argument("--quick", action="store_true", help="a smoke run: 20 steps / 1 epoch")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=None)
    a = p.parse_args(argv)
    if a.quick:
        a.nf_max_steps, a.darts_epochs = 20, 1

    import torch

    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.metrics import summarize

    torch.set_num_threads(a.threads)
    os.environ.setdefault("PL_DISABLE_FORK", "1")
    warnings.filterwarnings("ignore")
    fname, idc, dc, yc, h, first, stride, lookback = DATASETS[a.dataset]
    panel = load(str(DATA / fname), idc, dc, yc)
    want = [m.strip() for m in a.models.split(",") if m.strip()]
    makers = {
        "neuralforecast": lambda: NFLSTM(h, lookback, a.nf_max_steps, a.seed),
        "darts": lambda: DartsBlockRNN(h, lookback, a.darts_epochs,
                                       a.darts_samples_per_series, a.seed),
    }
    Global = global_model_class()
    if "rnnlab" in want and Global is not None:
        makers["rnnlab"] = lambda: Global(model="lstm", lookback=lookback, horizon=h,
                                          quantiles=Q, seed=a.seed)
    frames, notes = [], []
    for m in want:
        if m in ("seasonal_naive", "ets", "naive"):
            res = backtest(None, panel, horizon=h, first_origin=first, stride=stride,
                           baselines=(m,), quantiles=Q, align="end")
        elif m in makers:
            with Timer() as t:
                res = backtest(makers[m], panel, horizon=h, first_origin=first, stride=stride,
                               refit="never", name=m, align="end")
            notes.append(f"{m}: {t.seconds:.1f} s")
        else:
            notes.append(f"{m}: not available here, skipped")
            continue
        frames.append((res.forecasts, res.seconds))
    fc = pd.concat([f for f, _ in frames], ignore_index=True)
    summary = summarize(fc)
    summary["seconds"] = summary["model"].map({k: v for _, s in frames for k, v in s.items()})
    rows = report(summary)
    payload = {"benchmark": "peers_panel", "dataset": a.dataset, "horizon": h,
               "first_origin": first, "stride": stride, "lookback": lookback,
               "settings": {"nf_max_steps": a.nf_max_steps, "darts_epochs": a.darts_epochs,
                            "darts_samples_per_series": a.darts_samples_per_series,
                            "seed": a.seed, "threads": a.threads},
               "models": rows, "peak_rss_mib": peak_rss_mib(), "notes": notes, "env": env()}
    path = write(f"peers_panel_{a.dataset}", payload, a.out)
    print(table(rows))
    print("; ".join(notes))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
