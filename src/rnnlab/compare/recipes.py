"""The articles' experiments as named, versioned recipes (data, not code).

Each recipe reproduces its article's setup where the article was right, and says in its
description what it fixes (SPEC §4) and how. ``rnnlab recipes`` lists them; ``rnnlab
recipe run NAME`` runs one; ``--quick`` runs the same comparison at a tiny size (CI).
A recipe's version goes up whenever a change would change its results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Tuple

from .config import CompareConfig


@dataclass(frozen=True)
class Recipe:
    name: str  # what `rnnlab recipe run NAME` takes
    version: int  # bumped whenever a change would change the results
    article: str  # which experiment of SPEC §2 it reproduces (E1..E5, or "Pascanu 2014")
    summary: str  # one line for `rnnlab recipes`
    description: str  # what it reproduces, what it fixes (SPEC §4) and how
    parts: Tuple[Tuple[str, CompareConfig], ...]  # (part name, comparison), run in order
    quick: Tuple[Tuple[str, Any], ...] = ()  # CompareConfig overrides for --quick (every part)

    def configs(self, quick: bool = False) -> Dict[str, CompareConfig]:
        return {name: cfg.replace(**dict(self.quick)) if quick else cfg for name, cfg in self.parts}


DEEP_MODELS = ("rnn", "drnn", "dt-rnn", "dts-rnn", "dot-rnn", "lstm", "gru")

_quick_forecast = (("seeds", (0,)), ("epochs", 3), ("max_seconds", None), ("patience", None))

RECIPES: Dict[str, Recipe] = {r.name: r for r in [
    Recipe(
        "e1-dji-compare", 1, "E1",
        "DRNN, BRNN, LSTM and GRU on the Dow Jones close, next-day forecast, 3 seeds",
        "Reproduces E1: DJI daily close 2018-02-13 to 2023-02-10 (the shipped stooq snapshot, "
        "offline), z-scored, window 16, batch 16, DRNN (stacked RNN) / BRNN / LSTM / GRU with "
        "input 1, hidden 64, 2 layers and a linear head, Adam lr 1e-3, MSE, 20 epochs.\n\n"
        "Fixes: (1) each model gets its own Adam optimizer (the article stepped all four with "
        "the first model's, so three never learned); (2) validation (the best epoch) is a held-out "
        "tail of the training part (its last 10%, scored one step ahead like the test) and the "
        "reported metrics come "
        "from the last 20% of the series, never seen in training (the article validated on "
        "training data); the z-score is fitted on the training part only; (3) errors are RMSE, "
        "MAE, MAPE and MASE in index points, not a sum of signed normalised errors; (4) the "
        "task is seq-to-one: from 16 past closes predict the next day's close, an honest task "
        "a bidirectional encoder may do too (in the article's shifted-by-one seq-to-seq task "
        "the BRNN reads x_(t+1) and copies the answer). The main metric is the one-step "
        "(next-day) RMSE over the test part with the true history, beside naive (yesterday's "
        "close), which is very hard to beat on a daily index.",
        (("dji", CompareConfig(
            task="forecast", data="dji", models=("drnn", "brnn", "lstm", "gru"), seeds=(0, 1, 2),
            hidden_size=64, num_layers=2, epochs=20, batch_size=16, lr=1e-3, clip_norm=1.0,
            patience=None, lookback=16, horizon=1, strategy="direct", transform="none",
            difference="none", scaler="standard", test_size=0.2, val_size=0.1,
            evaluation="one_step", metric="rmse")),),
        quick=_quick_forecast + (("hidden_size", 16), ("test_size", 40), ("batch_size", 64))),
    Recipe(
        "e2-lookback2-lstm", 1, "E2",
        "LSTM (hidden 4, 2 layers) with a look-back of 2 on airline passengers, 70/30 split",
        "Reproduces E2: one numeric column (airline passengers), look-back 2, chronological "
        "70/30 split, LSTM hidden 4 with 2 layers, Adam lr 1e-2, 1,000 epochs, one-step "
        "forecast.\n\nFixes: min-max scaling subtracts the minimum and is fitted on the "
        "training part only (the article divided by max - min of the whole series, test "
        "included); the look-back window is fed as a sequence of 2 time steps (not 2 features "
        "of one step); current PyTorch APIs only. Scored on the held-out 30% beside naive and "
        "linear AR baselines.",
        (("airline", CompareConfig(
            task="forecast", data="airline", models=("lstm",), seeds=(0, 1, 2), hidden_size=4,
            num_layers=2, epochs=1000, batch_size=16, lr=1e-2, patience=None, lookback=2,
            horizon=1, strategy="recursive", transform="none", difference="none",
            scaler="minmax", test_size=0.3, val_size=0.1, evaluation="one_step")),),
        quick=_quick_forecast),
    Recipe(
        "e3-char-lm", 1, "E3",
        "character LMs (2-layer LSTM and GRU, hidden 256) on The Time Machine",
        "Reproduces E3 on a public-domain corpus (H. G. Wells, The Time Machine, 1895, "
        "shipped): one-hot characters, hidden 256, 35 steps, batch 32, Adam lr 1e-2, 2-layer "
        "LSTM, sequential sampling with the state carried and detached, 160 epochs at most.\n\n"
        "Fixes: gradient clipping at norm 1.0 (0.01 with Adam is far too low); perplexity and "
        "bits per character are reported on a held-out test part (the last 10% of the text), "
        "with the best epoch chosen on a separate validation part (the article reported "
        "training perplexity). The article's bidirectional GRU is replaced by a unidirectional "
        "GRU: a bidirectional language model reads the character it must predict.",
        (("time-machine", CompareConfig(
            task="lm", data="time-machine", models=("lstm", "gru"), seeds=(0,), hidden_size=256,
            num_layers=2, embedding=0, seq_len=35, batch_size=32, lr=1e-2, clip_norm=1.0,
            epochs=160, patience=5)),),
        quick=(("epochs", 3), ("hidden_size", 16), ("max_chars", 20000), ("seq_len", 32),
               ("batch_size", 16), ("patience", None))),
    Recipe(
        "e4-sine", 1, "E4",
        "LSTM (hidden 200, 2 layers) on y = 3 sin t + cos 5t + 6 + noise, 50-step rollout",
        "Reproduces E4: the noisy function y = 3 sin t + cos 5t + 6 + N(0,1) (500 points, "
        "generated once with a fixed seed), window 10, 2-layer LSTM hidden 200, dropout 0.1, "
        "Adam lr 1e-2, a 50-step autoregressive rollout from the window before the test "
        "part.\n\nFixes: the test part is the end of the same generated series (the article "
        "regenerated the data with fresh noise for its test); scaling is fitted on the "
        "training part (instead of BatchNorm over the window); models are saved by "
        "`rnnlab forecast` as safetensors + JSON, never pickled. Mini-batches of 64 with early "
        "stopping replace 5,000 full-batch iterations.",
        (("sine", CompareConfig(
            task="forecast", data="sine", models=("lstm",), seeds=(0, 1, 2), hidden_size=200,
            num_layers=2, dropout=0.1, epochs=300, batch_size=64, lr=1e-2, patience=30,
            lookback=10, horizon=50, strategy="recursive", transform="none",
            difference="none", test_size=50, val_size=50, evaluation="forecast")),),
        quick=_quick_forecast + (("hidden_size", 16),)),
    Recipe(
        "e5-airline-gru", 1, "E5",
        "GRU (hidden 100) on airline passengers, last 12 months held out, recursive forecast",
        "Reproduces E5: airline passengers 1949-1960, min-max to [-1, 1] fitted on the "
        "training part only, last 12 months held out, window 12, GRU hidden 100 + linear, "
        "Adam lr 1e-3, 300 epochs, batch 1, a 12-month recursive forecast inverse-scaled to "
        "passengers.\n\nFixes: no hidden state is kept on the module between calls (the "
        "article's `model.hidden_cell`, reset through a misspelt attribute); every forward "
        "starts from a zero state. Scored beside seasonal naive (RMSE 50.7), the floor.",
        (("airline", CompareConfig(
            task="forecast", data="airline", models=("gru",), seeds=(0, 1, 2), hidden_size=100,
            num_layers=1, epochs=300, batch_size=1, lr=1e-3, patience=None, lookback=12,
            horizon=12, strategy="recursive", transform="none", difference="none",
            scaler="minmax", test_size=12, val_size=0.1, evaluation="forecast")),),
        quick=_quick_forecast + (("hidden_size", 16), ("batch_size", 16))),
    Recipe(
        "deep-rnn-compare", 1, "Pascanu 2014 (seed 000)",
        "rnn, drnn, dt-rnn, dts-rnn, dot-rnn, lstm, gru at matched parameter counts on "
        "airline and on The Time Machine",
        "The deep RNNs of Pascanu, Gulcehre, Cho & Bengio (ICLR 2014), which seed 000 "
        "describes but never trains, against the plain and gated RNNs, fairly: each model's "
        "hidden size is chosen so its whole network has the same parameter count (within 5%) "
        "as the reference LSTM, and every model gets the same data, split, preparation, "
        "optimizer and budget. Airline: rnnlab's forecasting defaults (log, seasonal "
        "difference, standard scaler, look-back 12, direct 12-month forecast, early stopping "
        "on a 12-month validation tail), RMSE on the last 12 months, 3 seeds. The Time "
        "Machine: character LMs with the same wall-clock budget per model (60 s), "
        "held-out test bits per character, 2 seeds, beside n-gram baselines.",
        (("airline", CompareConfig(
            task="forecast", data="airline", models=DEEP_MODELS, seeds=(0, 1, 2),
            hidden_size=32, match_params=True, match_to="lstm", epochs=300, patience=40,
            batch_size=16, lr=5e-3, lookback=12, horizon=12, strategy="direct",
            evaluation="forecast")),
         ("time-machine", CompareConfig(
             task="lm", data="time-machine", models=DEEP_MODELS, seeds=(0, 1), hidden_size=128,
             match_params=True, match_to="lstm", embedding=32, seq_len=64, batch_size=32,
             lr=3e-3, epochs=100, max_seconds=60, patience=5))),
        quick=(("seeds", (0,)), ("epochs", 3), ("max_seconds", None), ("patience", None),
               ("hidden_size", 16), ("max_chars", 20000), ("seq_len", 32))),
]}


def get_recipe(name: str) -> Recipe:
    try:
        return RECIPES[name]
    except KeyError:
        raise ValueError(f"unknown recipe {name!r}; known recipes: {', '.join(RECIPES)} "
                         f"(`rnnlab recipes` describes them)") from None
