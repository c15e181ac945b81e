"""The articles' settings, transcribed from the articles (the section cited beside each),
against what rnnlab runs: the as-written reproductions build exactly these (their models'
sizes, their optimizer's learning rate, their splits) and record them in the run's
config.json; a corrected recipe keeps each of them or lists it, with its reason, in
``article_deviations``."""

import json

import pytest

from rnnlab.cli import main as rnnlab_main
from rnnlab.compare import get_recipe
from rnnlab.compare.article_deviations import DEVIATIONS
from rnnlab.compare.as_written import airline_gru, airline_lstm, dji, dji_setup, sine_lstm

# Article 1 ("deep RNN, Bi-RNN, LSTM, GRU"), section 5.2's hyper-parameter block (repeated
# in 5.3): seq_len = 16, batch_size = 16, input_size = 1, num_hiddens = 64, n_layers = 2,
# lr = 0.001, num_epochs = 20, Adam, MSELoss(reduction='none') summed for the backward.
E1 = {"window": 16, "batch_size": 16, "input_size": 1, "hidden_size": 64, "num_layers": 2,
      "lr": 1e-3, "epochs": 20}
# Article 2 ("RNN principle, improvements and code"), section 4: create_dataset(look_back=2),
# int(len(data_X) * 0.7) to train, lstm_reg(2, 4) with num_layers=2, Adam lr=1e-2,
# range(1000) full-batch steps, nn.MSELoss().
E2 = {"look_back": 2, "hidden_size": 4, "num_layers": 2, "lr": 1e-2, "epochs": 1000,
      "train_fraction": 0.7}
# Article 3 ("Task 03"), section 3 (deep RNNs): num_hiddens=256, num_epochs 160,
# num_steps 35, batch_size 32, clipping_theta 1e-2, lr = 1e-2 (after 1e2), nn.LSTM with
# num_layers=2, one-hot inputs (to_onehot), Adam (train_and_predict_rnn_pytorch).
E3 = {"hidden_size": 256, "epochs": 160, "seq_len": 35, "batch_size": 32, "clip_norm": 1e-2,
      "lr": 1e-2, "num_layers": 2, "embedding": 0}
# Article 4 ("LSTM part 2"), section 1's example: datainterval=10, load(500) and
# create_dataset(500, 0.8, 10), lstm(1, 200, 1, 2) (hidden 200, 2 layers, dropout 0.1 on
# the last step), Adam lr=1e-2, iternum=5000 full-batch, test(2000) rolling out 50 steps.
E4 = {"points": 500, "window": 10, "train_fraction": 0.8, "hidden_size": 200, "num_layers": 2,
      "dropout": 0.1, "lr": 1e-2, "iterations": 5000, "test_points": 2000, "rollout": 50}
# Article 5 ("the GRU for undergraduates"), section 4: test_data_size = 12, train_window =
# 12, GRU(input_size=1, hidden_layer_size=100) (nn.GRU: 1 layer), Adam lr=0.001,
# epochs = 300, one window per step, MinMaxScaler(feature_range=(-1, 1)), fut_pred = 12.
E5 = {"window": 12, "hidden_size": 100, "num_layers": 1, "lr": 1e-3, "epochs": 300,
      "batch_size": 1, "held_out": 12}


@pytest.mark.parametrize("module, article", [(dji, E1), (airline_lstm, E2),
                                             (sine_lstm, E4), (airline_gru, E5)])
def test_as_written_settings_are_the_articles(module, article):
    settings = module.SETTINGS
    assert {k: settings[k] for k in article} == article
    assert settings["optimizer"] == "Adam"


def test_as_written_models_are_built_at_the_articles_sizes():
    for kind in dji_setup.MODEL_NAMES:
        rnn = dji_setup.ArticleNet(kind).rnn
        assert (rnn.input_size, rnn.hidden_size, rnn.num_layers) == (1, 64, 2), kind
        assert rnn.bidirectional == (kind == "BRNN") and rnn.batch_first
    lstm = airline_lstm.LookBackLSTM().rnn
    assert (lstm.input_size, lstm.hidden_size, lstm.num_layers, lstm.batch_first) == (
        2, 4, 2, False)
    w = sine_lstm.WindowLSTM()
    assert (w.lstm.hidden_size, w.lstm.num_layers, w.lstm.dropout, w.drop.p) == (200, 2, 0, 0.1)
    assert w.bn.num_features == 10
    g = airline_gru.StatefulGRU().gru
    assert (g.input_size, g.hidden_size, g.num_layers) == (1, 100, 1)


def test_the_dji_loader_batches_like_the_article():
    X, Y = dji_setup.windows(dji_setup.zscore(dji_setup.article_close()[0]))
    loader = dji_setup.train_loader(X, Y, seed=0)
    assert loader.batch_size == E1["batch_size"] and len(loader.dataset) == 1258 - E1["window"]


# a recipe field that differs from its article must be covered by this deviation row
COVERED = {
    "e1-dji-compare": {},
    "e2-lookback2-lstm": {},
    "e3-char-lm": {},
    "e4-sine": {"epochs": "optimisation", "batch_size": "optimisation"},
    "e5-airline-gru": {},
}
# the article's settings as CompareConfig fields (E4: 5,000 full-batch steps over 392
# windows are "epochs" of one batch)
RECIPE_FIELDS = {
    "e1-dji-compare": {"lookback": 16, "batch_size": 16, "hidden_size": 64, "num_layers": 2,
                       "lr": 1e-3, "epochs": 20, "clip_norm": None},
    "e2-lookback2-lstm": {"lookback": 2, "hidden_size": 4, "num_layers": 2, "lr": 1e-2,
                          "epochs": 1000, "test_size": 0.3, "clip_norm": None},
    "e3-char-lm": {k: E3[k] for k in E3},
    "e4-sine": {"lookback": 10, "hidden_size": 200, "num_layers": 2, "dropout": 0.1,
                "lr": 1e-2, "epochs": 5000, "batch_size": 392, "horizon": 50,
                "clip_norm": None},
    "e5-airline-gru": {"lookback": 12, "hidden_size": 100, "num_layers": 1, "lr": 1e-3,
                       "epochs": 300, "batch_size": 1, "test_size": 12, "horizon": 12,
                       "scaler": "minmax", "clip_norm": None},
}


@pytest.mark.parametrize("name", sorted(RECIPE_FIELDS))
def test_each_recipe_keeps_the_articles_settings_or_lists_why_not(name):
    [cfg] = get_recipe(name).configs().values()
    rows = {d.setting for d in DEVIATIONS[name]}
    for field, article in RECIPE_FIELDS[name].items():
        ours = getattr(cfg, field)
        if ours != article:
            row = COVERED[name].get(field)
            assert row in rows, f"{name}: {field} = {ours!r}, the article's is {article!r}, " \
                                f"and no deviation row says why"
    assert set(COVERED[name].values()) <= rows


def test_minmax_range_is_the_one_the_tables_state():
    # E5's MinMaxScaler(feature_range=(-1, 1)); both tables say "min-max to [-1, 1]"
    from rnnlab.compare.matching import forecast_config

    for name in ("e2-lookback2-lstm", "e5-airline-gru"):
        [cfg] = get_recipe(name).configs().values()
        fc = forecast_config(cfg, cfg.models[0], cfg.hidden_size, 0)
        assert fc.scaler == "minmax" and tuple(fc.feature_range) == (-1.0, 1.0), name
        [row] = [d for d in DEVIATIONS[name] if d.setting in ("scaling", "data")
                 and "min-max" in d.recipe] or [None]
        assert name == "e5-airline-gru" or "[-1, 1]" in row.recipe


def test_an_as_written_run_records_the_articles_settings_and_its_version(tmp_path,
                                                                         monkeypatch):
    # (it recorded the recipe's name and --quick alone); the training itself is stood in
    # for: what is checked is the record
    canned = {"data": "airline", "seconds": 0.0, "epochs": 50, "as_written": {
        "scale_divisor": 1.0, "scaled_range": [0.0, 1.0], "train_layout": "-",
        "printed_losses": [], "test_points": 0, "test_rmse": 0.0, "naive_rmse": 0.0,
        "rmse_as_plotted": 0.0}}
    monkeypatch.setattr(airline_lstm, "run", lambda quick, seed, log: canned)
    out = tmp_path / "e2"
    assert rnnlab_main(["compare", "--recipe", "e2-lookback2-lstm", "--as-written", "--quick",
                        "--seeds", "3", "--no-progress", "--out", str(out)]) == 0
    info = json.loads((out / "config.json").read_text())
    recipe = get_recipe("e2-lookback2-lstm")
    assert info["config"]["settings"] == airline_lstm.SETTINGS
    assert info["config"]["version"] == recipe.version and info["seed"] == 3
    assert {"torch", "numpy", "rnnlab"} <= set(info["versions"])
