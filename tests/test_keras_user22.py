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

