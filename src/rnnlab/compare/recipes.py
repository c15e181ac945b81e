"""The articles' experiments as named, versioned recipes (data, not code).

Each recipe reproduces one experiment of the five tutorial articles (``docs/articles.md``
names them and tells their experiments as written) where the article was right, says in
its description what it corrects and how, and lists every setting that differs from the
article, with the reason (:mod:`.article_deviations`). ``rnnlab recipes`` lists them;
``rnnlab recipe run NAME`` runs one; ``--quick`` runs the same comparison at a tiny size
(CI); ``--as-written`` runs the article's own procedure, defects included, where
:mod:`.as_written` has it. A recipe's version goes up whenever a change would change its
results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from .article_deviations import deviations_table
from .config import CompareConfig
from ..io.errors import ConfigError


@dataclass(frozen=True)
class Recipe:
    """One article's experiment as comparisons to run (``rnnlab recipe run NAME``)."""

    name: str  # what `rnnlab recipe run NAME` takes
    version: int  # bumped whenever a change would change the results
    article: str  # which article and experiment it reproduces (E1..E5, or the deep RNNs)
    summary: str  # one line for `rnnlab recipes`
    description: str  # what it reproduces, what it corrects and how (self-contained)
    parts: Tuple[Tuple[str, CompareConfig], ...]  # (part name, comparison), run in order
    quick: Tuple[Tuple[str, Any], ...] = ()  # CompareConfig overrides for --quick (every part)
    as_written: Optional[str] = None  # the article's procedure in rnnlab.compare.as_written

    def configs(self, quick: bool = False) -> Dict[str, CompareConfig]:
        """``{part name: CompareConfig}``, with the ``--quick`` overrides when ``quick``."""
        return {name: cfg.replace(**dict(self.quick)) if quick else cfg for name, cfg in self.parts}

    def report_text(self) -> str:
        """The description and the table of every setting that differs from the article."""
        table = deviations_table(self.name)
        return self.description + ("\n\n" + table if table else "")


DEEP_MODELS = ("rnn", "drnn", "dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn", "lstm", "gru")

_quick_forecast = (("seeds", (0,)), ("epochs", 3), ("max_seconds", None), ("patience", None))

RECIPES: Dict[str, Recipe] = {r.name: r for r in [
    Recipe(
        "e1-dji-compare", 2, "E1, deep-RNN article §5",
        "DRNN, BRNN, LSTM and GRU on the Dow Jones close, next-day forecast, 3 seeds",
        "Reproduces E1, the deep-RNN article's comparison (its section 5): DJI daily close "
        "2018-02-13 to 2023-02-10 (the shipped stooq snapshot, offline), z-scored, window 16, "
        "batch 16, DRNN (stacked RNN) / BRNN / LSTM / GRU with input 1, hidden 64, 2 layers "
        "and a linear head, Adam lr 1e-3, MSE, 20 epochs, no gradient clipping.\n\n"
        "Fixes: (1) each model is trained by its own Adam optimizer (the article's loop "
        "zeroed and stepped the optimizer of the separate DRNN trained just before, so none "
        "of the four models learned: their weights were unchanged, and its 'bias' values are "
        "those of untrained models); (2) time runs forward: the article's data reader "
        "returned the rows newest first and it trained on that order (reversed time); "
        "(3) validation (the best epoch) is a held-out tail of the training part (its last "
        "10%, scored one step ahead like the test) and the reported metrics come from the "
        "last 20% of the series, never seen in training (the article's 'validation' loop ran "
        "over the training loader); the z-score is fitted on the training part only; (4) "
        "errors are RMSE, MAE, MAPE and MASE in index points (the article's 'bias' "
        "broadcast a (1242,) tensor against a (1242, 1) array: each value is 1242 times a "
        "sum of signed errors in normalised units); (5) the task is seq-to-one: from 16 past "
        "closes predict the next day's close, an honest task a bidirectional encoder may do "
        "too (in the article's shifted-by-one seq-to-seq task the BRNN reads x_(t+1) and "
        "copies the answer). The main metric is the one-step (next-day) RMSE over the test "
        "part with the true history, beside naive (yesterday's close), which is very hard to "
        "beat on a daily index. `--as-written` runs the article's sections 5.2 and 5.3 as its "
        "code ran them (its DRNN loss 0.0180 -> 0.0076 is reproduced beside the article's).",
        (("dji", CompareConfig(
            task="forecast", data="dji", models=("drnn", "brnn", "lstm", "gru"), seeds=(0, 1, 2),
            hidden_size=64, num_layers=2, epochs=20, batch_size=16, lr=1e-3, clip_norm=None,
            patience=None, lookback=16, horizon=1, strategy="direct", transform="none",
            difference="none", scaler="standard", test_size=0.2, val_size=0.1,
            evaluation="one_step", metric="rmse")),),
        quick=_quick_forecast + (("hidden_size", 16), ("test_size", 40), ("batch_size", 64)),
        as_written="dji"),
    Recipe(
        "e2-lookback2-lstm", 2, "E2, RNN/LSTM/GRU overview article",
        "LSTM (hidden 4, 2 layers) with a look-back of 2 on airline passengers, 70/30 split",
        "Reproduces E2: one numeric column, look-back 2, chronological 70/30 split, LSTM "
        "hidden 4 with 2 layers, Adam lr 1e-2, 1,000 full-batch epochs, no validation, no "
        "gradient clipping, one-step forecast. The article reads an unnamed `data.csv` "
        "(its second column); the airline passengers series is an assumption.\n\nFixes: "
        "min-max scaling subtracts the minimum and is fitted on the training part only (the "
        "article divided by max - min of the whole series, test included); each look-back "
        "window is a sequence of 2 time steps started from a zero state (the article's "
        "(N, 1, 2) array, read by a sequence-first LSTM, made the whole training set one "
        "sequence of N steps with the 2 values as features); current PyTorch APIs only "
        "(`Variable` and `loss.data[0]` are gone). Scored on the held-out 30% beside naive "
        "and linear AR baselines (the article reports no number, only a plot).",
        (("airline", CompareConfig(
            task="forecast", data="airline", models=("lstm",), seeds=(0, 1, 2), hidden_size=4,
            num_layers=2, epochs=1000, batch_size=1024, lr=1e-2, clip_norm=None,
            patience=None, lookback=2, horizon=1, strategy="recursive", transform="none",
            difference="none", scaler="minmax", test_size=0.3, val_size=0,
            evaluation="one_step")),),
        quick=_quick_forecast, as_written="airline_lstm"),
    Recipe(
        "e3-char-lm", 2, "E3, d2l-style advanced-RNN article",
        "character LMs (2-layer LSTM and GRU, hidden 256) on The Time Machine",
        "Reproduces E3 on a public-domain corpus (H. G. Wells, The Time Machine, 1895, "
        "shipped; the article's lyrics corpus is not shipped): one-hot characters, hidden "
        "256, 35 steps, batch 32, Adam lr 1e-2, gradient clipping at norm 0.01 (the "
        "article's threshold), 2-layer LSTM, sequential sampling with the state carried and "
        "detached, 160 epochs at most.\n\nFixes: perplexity and bits per character are "
        "reported on a held-out test part (the last 10% of the text), with the best epoch "
        "chosen on a separate validation part (the article reported training perplexity); "
        "the gradient norm is clipped at 0.01, as the article set it (its code passed a "
        "generator to d2l's clipping helper, which used it up computing the norm and scaled "
        "nothing). The article's bidirectional GRU (one layer) is replaced by a "
        "unidirectional GRU with the LSTM's 2 layers: a bidirectional language model reads "
        "the character it must predict.",
        (("time-machine", CompareConfig(
            task="lm", data="time-machine", models=("lstm", "gru"), seeds=(0,), hidden_size=256,
            num_layers=2, embedding=0, seq_len=35, batch_size=32, lr=1e-2, clip_norm=0.01,
            epochs=160, patience=5)),),
        quick=(("epochs", 3), ("hidden_size", 16), ("max_chars", 20000), ("seq_len", 32),
               ("batch_size", 16), ("patience", None))),
    Recipe(
        "e4-sine", 2, "E4, LSTM article (part 2)",
        "LSTM (hidden 200, 2 layers) on y = 3 sin t + cos 5t + 6 + noise, 50-step rollout",
        "Reproduces E4: the noisy function its code generates, y = 3 sin t + cos 5t + 6 + "
        "N(0,1) (its text says 3 sin x + 5 cos 5x + 6; the code's cos 5t is used), 500 "
        "points generated once with a fixed seed, window 10, 2-layer LSTM hidden 200, "
        "dropout 0.1, Adam lr 1e-2, no gradient clipping, a 50-step autoregressive rollout "
        "from 10 points. Mini-batches of 64 for at most 300 epochs, with early stopping on a "
        "50-point validation tail, replace the article's 5,000 full-batch iterations (at "
        "least 16 times less compute; those took 68 minutes for one seed on one shared CPU "
        "core).\n\n"
        "Fixes: the data "
        "are seeded, and the test part is the last 50 points of the same series, rolled out "
        "from the 10 before them (the article trained on unseeded noise and tested on a "
        "freshly generated 2,000-point series, rolling out from t = 1600..1609 to predict "
        "t = 1610..1659: no run can be reproduced); scaling is fitted on the training part "
        "(instead of BatchNorm over the window); models are saved by `rnnlab forecast` as "
        "safetensors + JSON, never pickled.",
        (("sine", CompareConfig(
            task="forecast", data="sine", models=("lstm",), seeds=(0, 1, 2), hidden_size=200,
            num_layers=2, dropout=0.1, epochs=300, batch_size=64, lr=1e-2, clip_norm=None,
            patience=30, lookback=10, horizon=50, strategy="recursive", transform="none",
            difference="none", test_size=50, val_size=50, evaluation="forecast")),),
        quick=_quick_forecast + (("hidden_size", 16),), as_written="sine_lstm"),
    Recipe(
        "e5-airline-gru", 2, "E5, GRU article",
        "GRU (hidden 100) on airline passengers, last 12 months held out, recursive forecast",
        "Reproduces E5: airline passengers 1949-1960, min-max to [-1, 1] fitted on the "
        "training part only, last 12 months held out, window 12, GRU hidden 100 + linear, "
        "Adam lr 1e-3, 300 epochs, batch 1, no validation, no gradient clipping, a 12-month "
        "recursive forecast inverse-scaled to passengers.\n\nFixes: no hidden state is "
        "kept on the module between calls (the article stored it in `model.hidden_cell`, "
        "reset it before every training sample, but at prediction time reset a misspelt "
        "`model.hidden`, so each forecast step started from the state the previous call "
        "left); every forward starts from a zero state. Scored beside seasonal naive "
        "(RMSE 50.7), the floor.",
        (("airline", CompareConfig(
            task="forecast", data="airline", models=("gru",), seeds=(0, 1, 2), hidden_size=100,
            num_layers=1, epochs=300, batch_size=1, lr=1e-3, clip_norm=None, patience=None,
            lookback=12, horizon=12, strategy="recursive", transform="none",
            difference="none", scaler="minmax", test_size=12, val_size=0,
            evaluation="forecast")),),
        quick=_quick_forecast + (("hidden_size", 16), ("batch_size", 16)),
        as_written="airline_gru"),
    Recipe(
        "deep-rnn-compare", 2, "Pascanu et al. 2014, deep-RNN article §1",
        "rnn, drnn, dt-rnn, dts-rnn, dot-rnn, stacked-dt-rnn, lstm, gru at matched parameter "
        "counts on airline and on The Time Machine",
        "The deep RNNs of Pascanu, Gulcehre, Cho & Bengio (ICLR 2014), which the deep-RNN "
        "article describes (deep transition, deep transition with shortcut, deep output, "
        "stacked, and stacked deep transitions, which its remark on stacking is about) but "
        "never trains, against the plain and gated RNNs, fairly: each model's hidden size is "
        "chosen so its whole network has the same parameter count (within 5%) as the "
        "reference LSTM, and every model gets the same data, split, preparation, optimizer "
        "and budget. Airline: rnnlab's forecasting defaults (log, seasonal difference, "
        "standard scaler, look-back 12, direct 12-month forecast, gradient clipping at norm "
        "1.0, early stopping on a 12-month validation tail), RMSE on the last 12 months, 3 "
        "seeds. The Time Machine: character LMs with the same wall-clock budget per model "
        "(60 s), held-out test bits per character, 2 seeds, beside n-gram baselines.",
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
    """The recipe of :data:`RECIPES` named ``name`` (``rnnlab recipes`` lists them); an
    unknown name is refused, listing the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise ConfigError(f"unknown recipe {name!r}; known recipes: {', '.join(RECIPES)} "
                          f"(`rnnlab recipes` describes them)") from None


def override_note(recipe_parts: dict, run_parts: dict) -> str:
    """A paragraph naming the recipe's fields the command line changed ('' when none):
    the recipe's text describes its own settings (300 epochs, 3 seeds), and the report
    said so beside the numbers of a run with others."""
    changes = []
    for name, before in recipe_parts.items():
        after = run_parts[name].to_dict()
        for key, was in before.to_dict().items():
            if key != "device" and after[key] != was:
                where = f"{name}: " if len(recipe_parts) > 1 else ""
                change = f"{where}{key} {_shown(was)} → {_shown(after[key])}"
                if change not in changes:
                    changes.append(change)
    if not changes:
        return ""
    return ("**Changed from the recipe** on the command line: " + "; ".join(changes)
            + ". The text below describes the recipe's own settings; the numbers are this "
              "run's.\n\n")


def _shown(v) -> str:
    return " ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
