"""Forecasting data-parallel: N processes (gloo, CPU, spawned here) follow one process."""

import json

import pytest
import torch

import forecast_dist_helpers as H
from rnnlab.forecast.forecaster import Forecaster, run_training, train_members
from rnnlab.train.distributed import DeviceConfig, DistContext, launch

CPU2 = DeviceConfig(accelerator="cpu", devices=2)


def _close(a, b):
    assert len(a) == len(b)
    for sa, sb in zip(a, b):
        assert sa.keys() == sb.keys()
        for k in sa:
            assert sa[k].dtype == torch.float64
            torch.testing.assert_close(sa[k], sb[k], rtol=1e-10, atol=1e-12)


def test_two_processes_equal_one_in_float64_and_rank0_alone_writes(tmp_path):
    p = H.payload(epochs=2, checkpoint_dir=str(tmp_path / "ck2"))
    one, hist1 = train_members(DistContext(), H.payload(epochs=2))
    two, hist2 = run_training(p, CPU2)  # spawns 2 workers; rank 0 hands the result back
    _close(two, one)
    # k = 2 epochs x 4 steps (the 4th global batch has 1 row: rank 1's share is empty)
    assert [h["steps"] for h in hist2] == [8, 8]
    for h1, h2 in zip(hist1, hist2):
        for e1, e2 in zip(h1["epochs"], h2["epochs"]):
            assert e2["val_loss"] == pytest.approx(e1["val_loss"], rel=1e-9)
            assert e2["train_loss"] == pytest.approx(e1["train_loss"], rel=1e-9)
    # the weights really moved (so the comparison could fail)
    from rnnlab.forecast.net import build_net

    fresh = build_net(H.payload()["config"]).double().state_dict()
    assert all(not torch.allclose(fresh[k], one[0][k]) for k in fresh if k.endswith("weight"))
    # rank 0 alone wrote: one checkpoint per member and its best weights (best.safetensors,
    # written as epochs improve), no temporaries, nothing else
    ck = tmp_path / "ck2"
    assert sorted(x.name for x in ck.iterdir()) == ["member0", "member1"]
    for m in ("member0", "member1"):
        assert sorted(x.name for x in (ck / m).iterdir()) == [
            "best.safetensors", "ckpt-00000008", "latest.json"]


def test_windows_are_sharded_without_overlap(tmp_path):
    out = tmp_path / "rows.json"
    launch(H.record_shards, (str(out),), CPU2)
    d = json.loads(out.read_text())
    r0, r1 = d["ranks"]
    assert len(r0) == len(r1) == len(d["global"]) == 4
    for a, b, g in zip(r0, r1, d["global"]):
        assert a + b == g  # contiguous rows, in order: together exactly the global batch
        assert not set(a) & set(b)
    assert len(r1[-1]) == 0 and len(r0[-1]) == 1  # the 1-row last batch
    everything = [v for g in d["global"] for v in g]
    assert len(everything) == len(set(everything)) == 16  # an epoch sees each window once


@pytest.mark.slow  # 9 s; in the default suite: test_distributed's
# test_two_process_checkpoint_resumes_in_one_process (the same loop) and test_lm_distributed's
def test_checkpoint_of_two_processes_resumes_in_one(tmp_path):
    full, _ = train_members(DistContext(), H.payload(epochs=4))
    ck = str(tmp_path / "ck")
    run_training(H.payload(epochs=2, checkpoint_dir=ck), CPU2)
    resumed, hist = train_members(DistContext(), H.payload(epochs=4, checkpoint_dir=ck, resume=True))
    _close(resumed, full)
    assert [h["steps"] for h in hist] == [16, 16]
    assert [len(h["epochs"]) for h in hist] == [4, 4]


def test_forecaster_fit_with_two_devices(tmp_path):
    from rnnlab.data.datasets import sine

    kw = dict(lookback=8, horizon=4, epochs=2, ensemble=1, hidden_size=6, batch_size=9,
              progress=False, device="cpu")
    a = Forecaster(**kw).fit(sine(80))
    b = Forecaster(**kw).fit(sine(80), devices=2, accelerator="cpu",
                             checkpoint_dir=tmp_path / "ck")
    for k, v in a.net.state_dict().items():
        torch.testing.assert_close(b.net.state_dict()[k], v, rtol=1e-4, atol=1e-5)
    assert b.is_main and b.histories[0]["steps"] == a.histories[0]["steps"]
    assert b.predict(4).shape == (4,)
    with pytest.raises(Exception, match="devices"):
        Forecaster(**kw).fit(sine(80), devices=0)


@pytest.mark.slow  # 6 s; in the default suite, rank 0 alone writing is asserted by
# test_two_processes_equal_one_in_float64_and_rank0_alone_writes
def test_only_rank0_writes_files(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    job = H.payload(epochs=1, checkpoint_dir=str(tmp_path / "ck"), checkpoint_every=1,
                    result_dir=str(tmp_path / "result"))
    (tmp_path / "result").mkdir()
    launch(H.recording_train, (job, str(logs)), CPU2)
    r0 = json.loads((logs / "rank0.json").read_text())
    r1 = json.loads((logs / "rank1.json").read_text())
    assert r1["calls"] == [] and not r1["cwd_changed"]
    assert r1["paths"] == [] and r0["paths"]  # by any route: no file opened or renamed
    assert r0["calls"].count("save") == 2 * (4 + 1)  # 2 members x (4 steps + epoch end)
    assert "save_weights" in r0["calls"]  # the result handed to the parent
    assert sorted(x.name for x in (tmp_path / "result").iterdir()) == [
        "histories.json", "members.safetensors"]


def test_resume_does_not_train_a_finished_member_again(tmp_path):
    """A member stopped by its time budget (or done) is taken as it was on --resume; fit()
    alone would give a budget-stopped run one more epoch."""
    from rnnlab.data.datasets import sine

    kw = dict(lookback=6, horizon=3, epochs=3, ensemble=2, hidden_size=4, batch_size=16,
              progress=False, device="cpu", max_seconds=1e-9)  # every member stops after epoch 1
    a = Forecaster(**kw).fit(sine(60), checkpoint_dir=tmp_path / "ck")
    assert [len(h["epochs"]) for h in a.histories] == [1, 1]
    assert {h["stop_reason"] for h in a.histories} == {"time budget"}
    b = Forecaster(**kw).fit(sine(60), checkpoint_dir=tmp_path / "ck", resume=True)
    assert [len(h["epochs"]) for h in b.histories] == [1, 1]
    for k, v in a.net.state_dict().items():
        assert torch.equal(b.net.state_dict()[k], v), k


def test_windows_of_another_strategy_are_refused_not_broadcast():
    """Direct windows (two targets) under a recursive config (one output) would make
    mse_loss broadcast into a wrong loss; the task refuses them instead."""
    p = H.payload(epochs=1, ensemble=1)
    p["config"] = p["config"].replace(strategy="recursive")
    with pytest.raises(ValueError, match=r"outputs \(5, 1\) per batch but its targets are \(5, 2\)"):
        train_members(DistContext(), p)
