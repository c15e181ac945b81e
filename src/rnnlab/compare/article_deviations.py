"""Every setting in which a recipe differs from the experiment its article ran, and why.

A recipe's report (and ``rnnlab recipes -v``) ends with this table, so a reader sees at
once what was kept, what was corrected (a defect of the article) and what was changed for
another reason. Settings not listed are the article's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple


@dataclass(frozen=True)
class Deviation:
    setting: str
    article: str  # what the article's code did
    recipe: str  # what the recipe does
    why: str  # "defect: ..." when the article was wrong, else the reason for the change


D = Deviation
FORECAST_LOSS = D("loss reduction", "sum of squared errors", "mean squared error",
                  "rnnlab's trainer; with Adam the scale only changes the effective epsilon")
SEEDS = D("seeds", "one unseeded run", "3 seeds (mean ± std)", "a single run cannot show spread")
# the forecasting network (ForecastConfig.linear_skip, on for every compared model)
LINEAR_SKIP = D("output layer", "a linear layer on the recurrent output", "the same plus a "
                "linear map of the input window (starts at zero)", "rnnlab's forecasting "
                "network: the recurrent part learns what a linear autoregression misses")

DEVIATIONS: Dict[str, Tuple[Deviation, ...]] = {
    "e1-dji-compare": (
        D("optimizer in the 4-model loop", "5.2's `trainer` (another model's weights)",
          "each model its own Adam", "defect: none of the four models learned"),
        D("time order", "newest first (the data reader's order)", "oldest first",
          "defect: the article trained on reversed time"),
        D("task", "seq-to-seq, 16 outputs shifted by one step", "seq-to-one: next close "
          "from 16 past closes", "defect: the BRNN reads x_(t+1) and copies the answer"),
        D("validation", "the training loader", "last 10% of the training part, best epoch "
          "restored", "defect: 'validation' on training data"),
        D("test", "none (every window scored, all seen in training)", "last 20% held out",
          "defect: no held-out data"),
        D("z-score fitted on", "the whole series", "the training part", "defect: the test "
          "part leaked into the scaling"),
        D("error reported", "'bias': 1242 x signed error sum (broadcast), normalised units",
          "RMSE, MAE, MAPE, MASE in index points beside naive", "defect: signed errors "
          "cancel, and the broadcast multiplies by 1242"),
        LINEAR_SKIP, FORECAST_LOSS, SEEDS,
    ),
    "e2-lookback2-lstm": (
        D("data", "an unnamed `data.csv`, second column", "airline passengers",
          "assumption: the article does not name its data"),
        D("scaling", "x / (max - min) of the whole series", "min-max to [-1, 1] fitted on "
          "the training part", "defect: no minimum subtracted; the test part leaked in"),
        D("input layout", "(N, 1, 2) into a sequence-first LSTM: one N-step sequence, batch "
          "1, 2 features, state carried across windows", "each window a 2-step sequence "
          "from a zero state, all windows in one batch", "defect: the windows were meant "
          "as sequences; rnnlab forecasts from windows"),
        D("evaluation", "a plot of all predictions, drawn 2 steps early (the prediction "
          "for t+2 at t)", "one-step RMSE, MAE, MAPE, MASE on the held-out 30% beside "
          "naive and linear AR", "defect: no number, misaligned plot"),
        D("APIs", "`Variable`, `loss.data[0]` (fails on PyTorch >= 0.5)", "current APIs",
          "defect: the code no longer runs"),
        LINEAR_SKIP, SEEDS,
    ),
    "e3-char-lm": (
        D("corpus", "a Chinese lyrics corpus (prefixes 分开, 不分开); d2l's loader, whose "
          "outputs the notes use, keeps its first 10,000 characters: 8 batches an epoch",
          "The Time Machine (shipped), 178,979 characters, 81% of them trained on: 129 "
          "batches an epoch",
          "the lyrics are not shipped (copyright); the book is public domain. The same 160 "
          "epochs train on about 16 times as many characters"),
        D("stream start", "character 0 every epoch (d2l's `data_iter_consecutive`)",
          "a random offset in [0, 35) each epoch, drawn from the seed", "rnnlab's sequential "
          "sampler: each epoch cuts the text at other places"),
        D("gradient clipping", "asked for at norm 0.01 (`clipping_theta`), never applied: "
          "the notes hand d2l's `grad_clipping` the generator `model.parameters()`, which its "
          "norm loop uses up, so its scaling loop runs over nothing", "global norm clipped at "
          "0.01 after every backward", "defect: the clipping the article set did not run; "
          "the recipe runs it"),
        D("second model", "bidirectional GRU, 1 layer", "unidirectional GRU, 2 layers (as "
          "the LSTM)", "defect: a bidirectional LM reads the character it must predict; "
          "the recipe's one layer count (2) serves both models"),
        D("split", "the whole text trains", "81% train / 9% validation / 10% test",
          "defect: only training perplexity was reported"),
        D("reported", "training perplexity every 40 epochs; 50 chars from each of 2 prefixes, "
          "the likeliest character at every step (`predict_rnn_pytorch`)", "held-out bits per "
          "char and perplexity; one 80-char sample per model after 'the time ', each character "
          "drawn at temperature 0.8 from the 10 likeliest", "defect: training perplexity says "
          "nothing of generalisation; the sample is drawn as every rnnlab language-model "
          "comparison draws it"),
        D("stopping", "160 epochs", "at most 160 epochs, stop after 5 without a better "
          "validation loss, best epoch restored", "saves time; the reported model is the "
          "best on validation either way"),
    ),
    "e4-sine": (
        D("function", "text: 3 sin x + 5 cos 5x + 6; code: 3 sin t + cos 5t + 6 + N(0,1)",
          "the code's", "the code is what ran"),
        D("data", "500 points, unseeded noise", "500 points, seeded (seed 0)",
          "defect: no run can be reproduced"),
        D("test", "a fresh 2,000-point series; rollout from t = 1600..1609 predicting "
          "t = 1610..1659", "the last 50 points (t = 450..499) of the same series, rolled "
          "out from the 10 before", "defect: regenerated, unseeded test data"),
        D("training windows", "first 80% of the 490 windows (392)", "the windows before "
          "the validation and test tails (390)", "the test part is the series' end"),
        D("optimisation", "5,000 full-batch iterations, no validation", "batches of 64, at "
          "most 300 epochs, early stopping (patience 30) on a 50-point validation tail, best "
          "epoch restored", "at least 16x less compute: 5,000 full-batch iterations took 68 "
          "minutes for one seed on one shared CPU core (the e4-as-written record)"),
        D("normalisation", "BatchNorm1d over the 10 window positions", "standard scaler "
          "fitted on the training part", "rnnlab scales the series, not each position"),
        D("dropout 0.1", "on the last step's output, before the linear head", "between "
          "the two LSTM layers", "rnnlab's forecaster has dropout only between layers"),
        D("checkpoint", "`torch.save(model)` (pickle) every 1,000 iterations", "none in "
          "the comparison; `rnnlab forecast` saves safetensors + JSON", "defect: pickles "
          "run code when loaded and break on any code change"),
        D("printed loss", "MSE / 392 (divided again by the number of windows)", "MSE",
          "defect: the printed losses are 392 times too small"),
        LINEAR_SKIP, SEEDS,
    ),
    "e5-airline-gru": (
        D("data", "`flights.csv` (second column `passengers`)", "airline passengers "
          "(shipped)", "the same 144 months, 1949-1960"),
        D("state at prediction", "carried from the previous call (`model.hidden` reset "
          "instead of `model.hidden_cell`)", "zero at every forecast step, as in "
          "training", "defect: the forecast depended on the previous call"),
        D("window order", "chronological, the same every epoch", "reshuffled every epoch",
          "rnnlab's trainer always shuffles the windows"),
        D("evaluation", "a plot", "RMSE, MAE, MAPE, MASE on the 12 held-out months beside "
          "naive and seasonal naive", "the article reports no number"),
        LINEAR_SKIP, SEEDS,
    ),
}


def deviations_table(name: str) -> str:
    """The recipe's deviations as a markdown table ('' when it reproduces no article)."""
    rows = DEVIATIONS.get(name, ())
    if not rows:
        return ""
    lines = ["Differences from the article (every other setting is the article's):", "",
             "| setting | article | recipe | why |", "|---|---|---|---|"]
    lines += [f"| {d.setting} | {d.article} | {d.recipe} | {d.why} |" for d in rows]
    return "\n".join(lines)
