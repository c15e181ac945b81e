"""A spot-instance user's stops: a diverged fit keeps the best epoch's weights (as Ctrl-C
and a finished fit do), and says so."""

import pytest
import torch
from torch import nn

from rnnlab.train import TensorTask, TrainConfig, TrainingDiverged, best_weights, fit


def _task(blow_up_after, val=True):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(96, 6, 2, generator=g, dtype=torch.float64)
    y = x.sum((1, 2)).unsqueeze(1)
    calls = {"train": 0}

    def loss_fn(out, y):
        loss = nn.functional.mse_loss(out, y)
        if torch.is_grad_enabled():  # (training steps only; validation runs without)
            calls["train"] += 1
            if calls["train"] > blow_up_after:
                return loss * float("inf")
        return loss
    return TensorTask(x[:64], y[:64], batch_size=16, loss_fn=loss_fn,
                      val=(x[64:], y[64:]) if val else None)


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 1)).double()


def test_a_diverged_fit_leaves_the_best_epochs_weights_in_the_model(tmp_path):
    model = _model()
    with pytest.raises(TrainingDiverged) as caught:  # 4 steps an epoch: epoch 4 diverges
        fit(model, _task(blow_up_after=13), TrainConfig(epochs=10, lr=1e-2, progress=False),
            checkpoint_dir=tmp_path / "ck")
    e = caught.value
    assert e.history is not None and e.history.stop_reason == "diverged"
    assert len(e.history.epochs) == 3
    best, epoch = best_weights(tmp_path / "ck")
    assert epoch == e.history.best_epoch
    state = model.state_dict()
    assert all(torch.equal(best[k], state[k]) for k in state)  # (it held the last step's)
    notes = " ".join(getattr(e, "__notes__", []))
    if hasattr(e, "add_note"):
        assert f"weights of epoch {epoch}, the best validation loss before it diverged" in notes


def test_a_fit_without_validation_says_it_keeps_the_last_steps_weights():
    model = _model()
    with pytest.raises(TrainingDiverged) as caught:
        fit(model, _task(blow_up_after=5, val=False),
            TrainConfig(epochs=10, lr=1e-2, progress=False, patience=None))
    e = caught.value
    assert e.history.stop_reason == "diverged" and len(e.history.epochs) == 1
    if hasattr(e, "add_note"):
        assert "holds the last step's weights" in " ".join(e.__notes__)


class _Crash(Exception):
    pass


def test_the_best_weights_so_far_are_a_plain_file_while_the_run_goes_on(tmp_path):
    from safetensors.torch import load_file

    from rnnlab.train.best_file import BEST_NAME, best_metadata

    model, seen = _model(), {}

    def crash_at_4(epoch, rec):  # (a crash, or a kill, in the fourth epoch's validation)
        if (tmp_path / "ck" / BEST_NAME).exists():
            seen[epoch] = best_metadata(tmp_path / "ck")["epoch"]
        if epoch == 4:
            raise _Crash
    with pytest.raises(_Crash):
        fit(model, _task(blow_up_after=10 ** 9), TrainConfig(epochs=10, lr=1e-2, progress=False),
            checkpoint_dir=tmp_path / "ck", on_epoch=crash_at_4)
    assert seen == {2: 1, 3: 2, 4: 3}  # (this task's loss falls each epoch)
    best, epoch = best_weights(tmp_path / "ck")  # (the checkpoint's, read by rnnlab)
    on_disk = load_file(str(tmp_path / "ck" / BEST_NAME))  # (by safetensors alone)
    assert epoch == 3 and on_disk.keys() == best.keys()
    assert all(torch.equal(on_disk[k], best[k]) for k in best)


def test_a_finished_fit_leaves_its_best_epoch_in_the_file(tmp_path):
    from rnnlab.io.weights import load_weights
    from rnnlab.train.best_file import BEST_NAME, best_metadata

    model = _model()
    hist = fit(model, _task(blow_up_after=10 ** 9),
               TrainConfig(epochs=4, lr=1e-2, progress=False), checkpoint_dir=tmp_path / "ck")
    meta = best_metadata(tmp_path / "ck")
    assert meta["epoch"] == hist.best_epoch and meta["val_loss"] == hist.best_val_loss
    on_disk = load_weights(tmp_path / "ck" / BEST_NAME)
    assert all(torch.equal(on_disk[k], v) for k, v in model.state_dict().items())
    fit(_model(), _task(blow_up_after=10 ** 9), TrainConfig(epochs=4, lr=1e-2, progress=False),
        checkpoint_dir=tmp_path / "again")  # the same seed: the same file, byte for byte
    again = (tmp_path / "again" / BEST_NAME).read_bytes()
    assert again == (tmp_path / "ck" / BEST_NAME).read_bytes()
