"""What a Keras / Lightning user expects of a fit (session 22): Ctrl-C keeps the best
model and the history, a history file that opens in a spreadsheet, the epoch kept."""

import os
import signal
import sys

import pytest
import torch
from torch import nn

from rnnlab.train import TensorTask, TrainConfig, TrainingInterrupted, fit


def _task():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(96, 4, generator=g, dtype=torch.float64)
    y = x.sum(1, keepdim=True)
    return TensorTask(x[:64], y[:64], batch_size=16, val=(x[64:], y[64:]))


def _ctrl_c_after(epoch_n, kept):
    def on_epoch(epoch, record):
        if epoch == epoch_n:  # (noticed after the next step: the weights move on)
            kept.update({k: v.clone() for k, v in model_of[0].state_dict().items()})
            os.kill(os.getpid(), signal.SIGINT)
    return on_epoch


model_of = []


@pytest.mark.parametrize("checkpoints", [False, True])
def test_ctrl_c_leaves_the_best_weights_in_the_model_and_the_history_on_the_stop(
        tmp_path, checkpoints):
    """Was: the model held the last step's weights (one step past the best epoch's, or
    many), and the epochs done were lost with the stop: a fit without checkpoints kept
    nothing of its best model."""
    torch.manual_seed(0)
    model = nn.Linear(4, 1).double()
    model_of[:] = [model]
    kept = {}
    with pytest.raises(TrainingInterrupted, match="stopped by a signal at epoch 4, step 1") as stop:
        fit(model, _task(), TrainConfig(epochs=20, lr=0.05, progress=False),
            checkpoint_dir=tmp_path / "ck" if checkpoints else None,
            on_epoch=_ctrl_c_after(3, kept))
    history = stop.value.history
    assert [r["epoch"] for r in history.epochs] == [1, 2, 3]
    assert history.best_epoch == 3 and history.stop_reason == "interrupted"
    for name, v in model.state_dict().items():
        assert torch.equal(v, kept[name]), name
    if sys.version_info >= (3, 11):
        assert any("holds the weights of epoch 3" in n for n in stop.value.__notes__)
    assert "holds the weights" not in str(stop.value)  # (the commands print str: theirs)


def test_history_to_csv_reads_back_every_epoch_and_the_fields_on_epoch_added(tmp_path):
    """Was: the history was a list of dicts (and JSON inside checkpoints), nothing a
    spreadsheet opens; Keras' CSVLogger and Lightning's metrics.csv give one."""
    import pandas as pd

    torch.manual_seed(0)
    model = nn.Linear(4, 1).double()

    def on_epoch(epoch, record):
        record["val_mae"] = torch.tensor(0.5 * epoch)
        record["per_class"] = [epoch, 2 * epoch]

    history = fit(model, _task(), TrainConfig(epochs=3, lr=0.05, progress=False),
                  on_epoch=on_epoch)
    history.epochs[1]["val_loss"] = float("nan")  # (a missing loss: an empty cell)
    path = history.to_csv(tmp_path / "history.csv")
    table = pd.read_csv(path)
    assert list(table.columns) == ["epoch", "train_loss", "val_loss", "lr", "seconds",
                                   "cpu_seconds", "grad_norm_mean", "grad_norm_max",
                                   "clipped_steps", "val_mae", "per_class"]
    assert table["epoch"].tolist() == [1, 2, 3]
    assert table["train_loss"].tolist() == [r["train_loss"] for r in history.epochs]
    assert table["val_loss"].isna().tolist() == [False, True, False]
    assert table["val_mae"].tolist() == [0.5, 1.0, 1.5]
    assert table["per_class"].tolist() == ["[1, 2]", "[2, 4]", "[3, 6]"]
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]  # (no temporary left)


def test_a_forecast_run_writes_history_csv_and_says_which_epoch_each_member_kept(
        tmp_path, capsys):
    """Was: a forecast run's per-epoch losses were only inside model/model.json's extra,
    and neither its output nor metrics.json said which epoch's weights were kept."""
    import json

    import numpy as np
    import pandas as pd

    from rnnlab.cli import main

    t = np.arange(48)
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 1, 48)
    csv = tmp_path / "s.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=48, freq="MS"),
                  "y": values}).to_csv(csv, index=False)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(csv), "--column", "y", "--hidden-size", "4",
                 "--epochs", "3", "--lookback", "6", "--horizon", "3", "--ensemble", "2",
                 "--no-progress", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    from rnnlab.data.csv_floats import EXACT_FLOATS  # (pandas 2 reads 17 digits 1 ulp off)

    table = pd.read_csv(out / "history.csv", **EXACT_FLOATS)
    saved = json.loads((out / "model" / "model.json").read_text())["extra"]["histories"]
    assert table["member"].tolist() == [0, 0, 0, 1, 1, 1]
    assert table["val_loss"].tolist() == [r["val_loss"] for h in saved for r in h["epochs"]]
    best = json.loads((out / "metrics.json").read_text())["training"]["best_epoch"]
    assert best == [h["best_epoch"] for h in saved] and None not in best
    words = " ".join(said.split())  # (the lines after the table wrap at 80 columns since session 30)
    assert f"epoch of lowest validation loss: {best[0]} of 3, {best[1]} of 3" in words


def test_plateau_schedule_under_a_patience_that_stops_first_is_said():
    """Was silent: the plateau schedule halves at the 3rd epoch without a better loss, and
    patience=3 stopped the run at that epoch: the halved rate never trained (Keras users
    pair a ReduceLROnPlateau patience below EarlyStopping's, and expect it to act)."""
    import warnings

    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(96, 4, generator=g), torch.randn(96, 1, generator=g)  # noise: it stalls
    task = TensorTask(x[:64], y[:64], batch_size=16, val=(x[64:], y[64:]))
    rates = {}
    for patience in (3, 4):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1))
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            h = fit(model, task, TrainConfig(epochs=40, lr=0.05, lr_schedule="plateau",
                                             patience=patience, progress=False))
        assert h.stop_reason == "early stopping"
        rates[patience] = {r["lr"] for r in h.epochs}
        told = [str(w.message) for w in said if "halved rate never trains" in str(w.message)]
        assert len(told) == (1 if patience == 3 else 0)
    assert rates[3] == {0.05} and 0.025 in rates[4]  # (what the warning says, measured)


def test_a_charlm_fit_stopped_by_ctrl_c_keeps_its_epochs_beside_the_best_weights():
    """Was: lm.history stayed [] (or the previous fit's) after Ctrl-C, beside a net that
    had trained: a notebook saw a model without the epochs that made it."""
    from rnnlab.lm import CharLM

    text = "the quick brown fox jumps over the lazy dog. " * 30

    def ctrl_c(epoch, record):
        if epoch == 2:
            os.kill(os.getpid(), signal.SIGINT)

    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0)
    with pytest.raises(TrainingInterrupted) as stop:
        lm.fit(text, seq_len=8, batch_size=4, epochs=5, lr=1e-2, progress=False,
               lr_schedule="none", on_epoch=ctrl_c)
    assert [r["epoch"] for r in lm.history] == [1, 2]
    assert lm.history == stop.value.history.epochs


def test_summary_lists_layers_counts_and_the_shapes_an_example_gives():
    """Was missing: print(model) named the layers, without parameter counts or shapes
    (Keras' model.summary(); `rnnlab models` counts only the registry's architectures)."""
    import warnings

    from rnnlab.nn import LSTMCell, Recurrent, summary

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = Recurrent(LSTMCell(3, 8), batch_first=True)
            self.head = nn.Linear(8, 2)

        def forward(self, x, lengths=None):
            out, (h, c) = self.rnn(x, lengths=lengths)
            return self.head(h)

    net = Net().train()
    net.head.bias.requires_grad_(False)
    x = torch.zeros(5, 7, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (a hook on the cell warns: none is put there)
        s = summary(net, x, lengths=torch.tensor([7, 6, 5, 4, 3]))
    rows = {r.name: r for r in s.rows}
    assert list(rows) == ["", "rnn", "rnn.cell", "head"]
    assert rows["rnn"].params == 4 * 8 * (3 + 8 + 2) and rows["head"].params == 18
    assert s.total == rows[""].params == rows["rnn"].params + 18 and s.trainable == s.total - 2
    assert rows["rnn"].shape == "[(5, 7, 8), [(5, 8), (5, 8)]]" and rows["head"].shape == "(5, 2)"
    assert rows["rnn.cell"].shape is None  # (the layer runs its equation, not the cell)
    assert net.training and not any(m._forward_hooks for m in net.modules())
    assert net(x).shape == (5, 2)  # (the hooks gave the outputs back unchanged)
    text = str(s)
    assert "output shape" in text and "total parameters: 434 (trainable 432, frozen 2)" in text
    assert "output shape" not in str(summary(net))  # (no example: counts alone)
    from rnnlab.io.errors import ConfigError

    parts = nn.ModuleList([nn.Linear(3, 2)])  # (as a Forecaster's f.net: no forward)
    assert summary(parts).total == 8
    with pytest.raises(ConfigError, match="ModuleList has no forward .*members\\[0\\]"):
        summary(parts, x)


def test_summary_gives_each_part_its_own_mode_back_and_drops_hooks_on_failure():
    """A part kept in eval inside a training model (a frozen encoder's dropout) came back
    in training mode: summary restored the top module's mode onto every part."""
    from rnnlab.nn import summary

    net = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 2)).train()
    net[1].eval()
    summary(net, torch.zeros(2, 3))
    assert [m.training for m in net] == [True, False, True] and net.training
    with pytest.raises(RuntimeError):  # (an example of the wrong width)
        summary(net, torch.zeros(2, 5))
    assert [m.training for m in net] == [True, False, True]
    assert not any(m._forward_hooks for m in net.modules())


def test_summary_of_a_model_with_a_torchscript_part_leaves_no_hook():
    """A TorchScript part takes no hook: summary failed there ("register_forward_hook is not
    supported on ScriptModules") and left the hooks put on before it on the model (each
    later call of the model ran them); a scripted model failed at its forward's lookup."""
    import warnings

    from rnnlab.nn import summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch.jit's deprecation notes)
        scripted = torch.jit.script(nn.Linear(4, 2))
        whole = torch.jit.script(nn.Sequential(nn.Linear(3, 4)))
    net = nn.Sequential(nn.Linear(3, 4), scripted)
    rows = {r.name: r for r in summary(net, torch.zeros(2, 3)).rows}
    assert (rows[""].shape, rows["0"].shape, rows["1"].shape) == ("(2, 2)", "(2, 4)", None)
    assert rows["1"].params == 10
    assert not any(getattr(m, "_forward_hooks", None) for m in net.modules())
    assert summary(whole, torch.zeros(2, 3)).total == 16


def test_best_weights_reads_the_best_epoch_of_a_crashed_run_from_its_checkpoints(tmp_path):
    """Was: the best epoch's weights of a run that crashed (or was killed) were in its
    checkpoint's training state, with no way to them but resuming the run."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.train import best_weights

    def crash_at_4(epoch, record):
        if epoch == 4:
            raise RuntimeError("the machine went away")

    torch.manual_seed(0)
    ref = nn.Linear(4, 1).double()
    history = fit(ref, _task(), TrainConfig(epochs=3, lr=0.05, progress=False))
    torch.manual_seed(0)
    crashed = nn.Linear(4, 1).double()
    with pytest.raises(RuntimeError, match="went away"):
        fit(crashed, _task(), TrainConfig(epochs=9, lr=0.05, progress=False),
            checkpoint_dir=tmp_path / "ck", on_epoch=crash_at_4)
    weights, epoch = best_weights(tmp_path / "ck")
    assert epoch == history.best_epoch
    for name, v in ref.state_dict().items():
        assert torch.equal(weights[name], v), name
    x = torch.zeros(8, 4, dtype=torch.float64)
    task = TensorTask(x, x[:, :1], batch_size=8)  # (no validation: no best weights)
    fit(nn.Linear(4, 1).double(), task, TrainConfig(epochs=1, progress=False),
        checkpoint_dir=tmp_path / "noval")
    with pytest.raises(CheckpointError, match="holds no best weights"):
        best_weights(tmp_path / "noval")
    with pytest.raises(CheckpointError, match="no checkpoint in"):
        best_weights(tmp_path / "nothing")


def test_the_progress_lines_say_the_epoch_of_the_best_validation_loss():
    """Was: "best val 1.082" alone at the end of a log, the epoch whose weights the fit
    kept left to guess."""
    import io

    from rnnlab.train.progress import ProgressLines

    out = io.StringIO()
    bar = ProgressLines(3, 3, out, lambda: 0.0)
    for epoch, val in ((1, "1.5"), (2, "1.2"), (3, "1.3")):
        bar.update(1)
        bar.set_postfix(epoch=epoch, loss="1", val=val)
    bar.close()
    assert out.getvalue().rstrip().endswith("best val 1.2 (epoch 2)")


@pytest.mark.slow
def test_a_panel_forecast_keeps_each_members_epochs_and_writes_history_csv(tmp_path, capsys):
    """Was: GlobalForecaster.histories dropped the epochs (the learning curve was nowhere:
    not in the model, not in the run directory)."""
    import json

    import pandas as pd

    from rnnlab.cli import main
    from tests.test_panel_forecast_cli import DATA_OPTIONS, write_panel

    data, run = write_panel(tmp_path / "panel.csv"), tmp_path / "run"
    assert main(["forecast", "--data", str(data), *DATA_OPTIONS, "--horizon", "4",
                 "--lookback", "8", "--epochs", "2", "--batch-size", "16", "--ensemble", "2",
                 "--no-progress", "--out", str(run)]) == 0
    capsys.readouterr()
    saved = json.loads((run / "model" / "model.json").read_text())["extra"]["histories"]
    assert [len(h["epochs"]) for h in saved] == [2, 2]
    table = pd.read_csv(run / "history.csv")
    assert table["member"].tolist() == [0, 0, 1, 1] and table["epoch"].tolist() == [1, 2, 1, 2]
    assert table["train_loss"].tolist() == [r["train_loss"] for h in saved for r in h["epochs"]]


@pytest.mark.parametrize("typed, named", [
    (["--test-size", "4"], "--test-size: an option of the one-series forecaster"),
    (["--refit", "yes", "--seeds", "0", "1"], "--refit, --seeds: options of the one-series"),
    (["--model", "dt-rnn", "--depth", "3"], "--depth: an option"),
])
def test_a_panel_forecast_refuses_the_one_series_options_it_would_ignore(
        tmp_path, capsys, typed, named):
    """Was: `rnnlab forecast` on a panel took --refit, --seeds, --test-size, --depth, ...
    and trained without them: one seed, the default depth, and config.json recorded the
    options as given. (--clip-norm, once among them, is the panel model's own now:
    tests/test_panel_train_options22.py.)"""
    from rnnlab.cli import main
    from tests.test_panel_forecast_cli import DATA_OPTIONS, write_panel

    data, run = write_panel(tmp_path / "panel.csv"), tmp_path / "run"
    assert main(["forecast", "--data", str(data), *DATA_OPTIONS, "--horizon", "4",
                 "--epochs", "1", *typed, "--no-progress", "--out", str(run)]) == 2
    assert named in capsys.readouterr().err and not run.exists()


@pytest.mark.parametrize("owner", ["Forecaster", "GlobalForecaster"])
def test_fit_given_keras_training_settings_names_where_they_go(owner):
    """Keras' habit `model.fit(x, epochs=10, verbose=0)` was "got unexpected keyword
    arguments 'epochs'; 'verbose'", without saying they are settings of the model."""
    import numpy as np
    import pandas as pd

    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import GlobalForecaster

    data = pd.Series(np.sin(np.arange(60) / 3.0))
    model = {"Forecaster": Forecaster, "GlobalForecaster": GlobalForecaster}[owner]()
    with pytest.raises(ConfigTypeError) as e:
        model.fit(data, epochs=3, verbose=0, colum="y")
    said = str(e.value)
    assert f"'epochs' (a setting of the model, given when it is created: {owner}(epochs=...)" \
           f", not to fit)" in said
    assert f"'verbose' (a setting of the model, given when it is created: {owner}(progress=" \
           in said
    assert said.endswith("; 'colum'")  # (no setting of that name: named alone, as before)


def test_best_weights_stays_the_function_once_its_module_is_imported():
    """``rnnlab.train.best_weights`` is a function in ``rnnlab/train/best_weights.py``: a
    test (or user) importing the module first made the package's name the module, and
    ``best_weights(dir)`` then said "'module' object is not callable"."""
    import subprocess
    import sys

    code = ("import rnnlab.train.best_weights, rnnlab.train as t; "
            "from rnnlab.train import best_weights; "
            "print(callable(t.best_weights), callable(best_weights))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "True"]
