"""Data-parallel training on gloo equals one process on the same global batches."""


import pytest
import torch

from rnnlab.io.weights import load_weights
from rnnlab.train.distributed import DeviceConfig, join_states, launch, shard_rows, cut_state

import dist_tasks


def run(devices, task, out, ckpt=None, resume=False, stop_after=None, model="gru", epochs=2,
        crash_at=None):
    launch(dist_tasks.train_worker, (task, model, epochs, str(out), ckpt and str(ckpt), resume,
                                     stop_after, crash_at),
           DeviceConfig(accelerator="cpu", devices=devices))
    return load_weights(out)


@pytest.mark.parametrize("task", ["window", "stream"])
def test_two_processes_equal_one(tmp_path, task):
    one = run(1, task, tmp_path / "one.safetensors")
    two = run(2, task, tmp_path / "two.safetensors", ckpt=tmp_path / "ck")
    assert one.keys() == two.keys()
    for k in one:
        torch.testing.assert_close(two[k], one[k], rtol=1e-10, atol=1e-12)
    # the weights really moved (a test that could fail if nothing trained)
    fresh = dist_tasks.Regressor().double().state_dict()
    assert any(not torch.allclose(fresh[k], one[k]) for k in one if k in fresh)
    # rank 0 alone wrote: one checkpoint folder, nothing else
    assert sorted(p.name for p in (tmp_path / "ck").iterdir() if not p.name.startswith(".")) == [
        "ckpt-00000006" if task == "stream" else "ckpt-00000008", "latest.json"]


def test_two_process_checkpoint_resumes_in_one_process(tmp_path):
    """Stop a 2-process LM-like run mid-way, resume it with 1 process: same as 2 throughout."""
    full = run(2, "stream", tmp_path / "full.safetensors", epochs=3)
    ck = tmp_path / "ck"
    run(2, "stream", tmp_path / "part.safetensors", ckpt=ck, epochs=3, stop_after=1)
    resumed = run(1, "stream", tmp_path / "res.safetensors", ckpt=ck, resume=True, epochs=3)
    for k in full:
        torch.testing.assert_close(resumed[k], full[k], rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """An uninterrupted 2-process run and one that crashed mid-epoch (run once, for both
    resumes below: each resumes a copy of the crashed run's checkpoints)."""
    d = tmp_path_factory.mktemp("crash")
    full = run(2, "window", d / "full.safetensors", epochs=3)
    with pytest.raises(Exception):  # call 7: two steps into the second epoch (4 a epoch)
        run(2, "window", d / "part.safetensors", ckpt=d / "ck", epochs=3, crash_at=7)
    return d, full


@pytest.mark.parametrize("resume_devices", [1, 2])
def test_a_crash_mid_epoch_resumes_with_the_same_loss_record(tmp_path, crashed, resume_devices):
    """The epoch's loss so far is checkpointed as the ranks' mean: the interrupted epoch's
    train_loss after resuming (with 1 or 2 processes) is the uninterrupted one."""
    import json
    import shutil

    d, full = crashed
    ck = shutil.copytree(d / "ck", tmp_path / "ck")
    resumed = run(resume_devices, "window", tmp_path / "res.safetensors", ckpt=ck, resume=True,
                  epochs=3)
    for k in full:
        torch.testing.assert_close(resumed[k], full[k], rtol=1e-10, atol=1e-12)
    losses = [json.loads(p.read_text()) for p in (d / "full.safetensors.json",
                                                  tmp_path / "res.safetensors.json")]
    assert len(losses[0]) == len(losses[1]) == 3
    assert losses[1] == pytest.approx(losses[0], rel=1e-12)


def test_shard_rows_cover_the_batch_without_overlap():
    for n in (1, 5, 8, 13):
        for w in (1, 2, 3):
            rows = [shard_rows(n, r, w) for r in range(w)]
            covered = [i for s in rows for i in range(s.start, s.stop)]
            assert covered == list(range(n))


def test_state_cut_and_join_round_trip():
    torch_state = (torch.randn(2, 6, 3), torch.randn(2, 6, 3))  # (L, B, H) pair
    ours = [torch.randn(6, 3), (torch.randn(6, 3), torch.randn(6, 3))]
    for state in (torch_state, ours):
        parts = [cut_state(state, shard_rows(6, r, 2)) for r in range(2)]
        back = join_states(parts)
        flat_a = torch.cat([t.flatten() for t in _leaves(state)])
        flat_b = torch.cat([t.flatten() for t in _leaves(back)])
        assert torch.equal(flat_a, flat_b)


def _leaves(tree):
    if isinstance(tree, torch.Tensor):
        return [tree]
    return [x for t in tree for x in _leaves(t)]


def test_bf16_mixed_trains_on_cpu_and_reloads_in_fp32(tmp_path):
    from torch import nn

    from rnnlab.train import CheckpointManager, TrainConfig, fit, seed_everything

    class FloatWindows(dist_tasks.WindowTask):
        def __init__(self):
            super().__init__()
            self.x, self.y = self.x.float(), self.y.float()

    seed_everything(0)
    model = dist_tasks.Regressor("lstm")
    cfg = TrainConfig(epochs=6, lr=2e-2, progress=False, precision="bf16-mixed")
    hist = fit(model, FloatWindows(), cfg, checkpoint_dir=tmp_path)
    losses = [e["train_loss"] for e in hist.epochs]
    assert losses[-1] < 0.7 * losses[0]
    assert all(p.dtype == torch.float32 for p in model.parameters())  # fp32 master weights
    weights, _, _ = CheckpointManager(tmp_path).load()
    fresh = dist_tasks.Regressor("lstm")
    fresh.load_state_dict(weights)
    x = FloatWindows().x
    out, _ = fresh(x)
    assert out.dtype == torch.float32 and torch.isfinite(out).all()
    assert nn.functional.mse_loss(out[:, -1], FloatWindows().y) < losses[0]


@pytest.mark.slow
def test_two_processes_equal_one_on_a_tensor_task_of_padded_sequences_and_lengths(tmp_path):
    """Each rank's rows of the x and the lengths of ((x, lengths), y) (its lengths were
    not cut: every rank ran all rows of x with the lengths of all; shard_batch)."""
    got = {}
    for devices in (1, 2):
        out = tmp_path / f"{devices}.safetensors"
        launch(dist_tasks.lengths_worker, (str(out),),
               DeviceConfig(accelerator="cpu", devices=devices))
        got[devices] = load_weights(out)
    for k in got[1]:
        torch.testing.assert_close(got[2][k], got[1][k], rtol=1e-10, atol=1e-12)
