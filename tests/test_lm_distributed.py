"""Data-parallel language-model training (gloo, spawned processes) equals one process."""

import json
from pathlib import Path

import pytest
import torch

from rnnlab.data.text import Vocab, split_text
from rnnlab.io.weights import load_weights
from rnnlab.lm import CharLM, LMConfig, LMNet, LMTrainConfig, token_nll
from rnnlab.lm.api import FitJob, fit_worker
from rnnlab.train import CheckpointManager
from rnnlab.train.distributed import DeviceConfig, launch

import lm_dist_helpers

TEXT = ("the quick brown fox jumps over the lazy dog. " * 12
        + "a stitch in time saves nine. " * 6)
MODEL = LMConfig(model="lstm", hidden_size=12, num_layers=1, embedding=6, dropout=0.0)
TRAIN = dict(seq_len=8, epochs=2, lr=1e-2, lr_schedule="none", patience=None,
             progress=False, eval_streams=2)


def _job(tmp_path, name, sampling, batch_size, epochs=2, resume=False, ckpt=None):
    vocab = Vocab.build(split_text(TEXT, 0.1)[0])
    torch.manual_seed(0)
    net = LMNet(MODEL, len(vocab)).double()
    result = tmp_path / name
    result.mkdir(exist_ok=True)
    tc = LMTrainConfig(**dict(TRAIN, epochs=epochs), sampling=sampling, batch_size=batch_size)
    return FitJob(net, MODEL, vocab.to_json(), TEXT, tc, ckpt and str(ckpt), resume,
                  str(result), dtype="float64", threads=1)


def _run(job, devices):
    launch(fit_worker, (job,), DeviceConfig(accelerator="cpu", devices=devices))
    hist = json.loads((Path(job.result_dir) / "history.json").read_text())
    return load_weights(Path(job.result_dir) / "model.safetensors"), hist


@pytest.fixture(scope="module")
def sequential_two(tmp_path_factory):
    """2 processes, sequential sampling, 2 epochs (shared by two tests: spawning is slow)."""
    return _run(_job(tmp_path_factory.mktemp("seq2"), "two", "sequential", 4), 2)


@pytest.mark.parametrize("sampling,batch_size", [("sequential", 4), ("random", 5)])
def test_two_processes_equal_one_in_float64(tmp_path, sampling, batch_size, sequential_two):
    """k optimizer steps on 2 processes == the same global batches on 1 (random: 3+2 rows)."""
    one, h1 = _run(_job(tmp_path, "one", sampling, batch_size), 1)
    if sampling == "sequential":
        two, h2 = sequential_two
    else:
        two, h2 = _run(_job(tmp_path, "two", sampling, batch_size), 2)
    assert h1["steps"] == h2["steps"] >= 10
    for k in one:
        assert one[k].dtype == torch.float64
        torch.testing.assert_close(two[k], one[k], rtol=1e-10, atol=1e-12)
    for a, b in zip(h1["epochs"], h2["epochs"]):  # reduced train loss and validation agree
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=1e-10)
        assert a["val_loss"] == pytest.approx(b["val_loss"], rel=1e-10)
    fresh = _job(tmp_path, "fresh", sampling, batch_size).net.state_dict()
    assert any(not torch.allclose(fresh[k], one[k]) for k in one)  # it trained
    assert h1["epochs"][-1]["train_loss"] < h1["epochs"][0]["train_loss"]


def test_rank_zero_alone_writes_and_one_process_resumes_it(tmp_path, sequential_two):
    """A 2-process run for 1 epoch (every rnnlab file write recorded per rank), then its
    checkpoint resumed in 1 process for the 2nd epoch == 2 processes for both epochs."""
    ck, logs = tmp_path / "ck", tmp_path / "logs"
    logs.mkdir()
    launch(lm_dist_helpers.recording_worker,
           (_job(tmp_path, "part", "sequential", 4, epochs=1, ckpt=ck), str(logs)),
           DeviceConfig(accelerator="cpu", devices=2))
    log0 = json.loads((logs / "rank0.json").read_text())
    log1 = json.loads((logs / "rank1.json").read_text())
    rank0, rank1 = log0["calls"], log1["calls"]
    assert rank1 == []  # rank 1 wrote nothing
    assert log1["paths"] == [] and log0["paths"]  # by any route: no file opened or renamed
    assert rank0.count("save") == 1 and "save_weights" in rank0  # the checkpoint + the result
    names = sorted(p.name for p in ck.iterdir())  # the checkpoint and the best weights so far
    assert len(names) == 3 and names[0] == "best.safetensors"
    assert names[1].startswith("ckpt-") and names[2] == "latest.json"
    assert CheckpointManager(ck).load()[2]["world_size"] == 2

    resumed, h = _run(_job(tmp_path, "res", "sequential", 4, epochs=2, ckpt=ck, resume=True), 1)
    assert [r["epoch"] for r in h["epochs"]] == [1, 2]
    full, _ = sequential_two
    for k in full:
        torch.testing.assert_close(resumed[k], full[k], rtol=1e-10, atol=1e-12)


def test_cli_two_devices_writes_the_same_run_as_one(tmp_path, capsys):
    """`lm train --devices 2` (CharLM.fit spawning 2 workers): the run directory holds the
    same files as a 1-process run's and the models agree (float32: to rounding)."""
    from rnnlab.cli import main as rnnlab_main

    def main(argv):
        return rnnlab_main(["lm"] + argv)

    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    common = ["train", "--corpus", str(corpus), "--hidden-size", "12", "--num-layers", "1",
              "--embedding", "6", "--dropout", "0", "--seq-len", "8", "--batch-size", "4",
              "--epochs", "1", "--no-progress", "--threads", "1", "--sample-every", "1",
              "--lr-schedule", "none"]
    assert main(common + ["--out", str(tmp_path / "r1")]) == 0
    assert main(common + ["--out", str(tmp_path / "r2"), "--devices", "2", "--strategy", "ddp",
                          "--accelerator", "cpu"]) == 0
    assert "2 process(es)" in capsys.readouterr().out

    def listing(run):
        return sorted(str(p.relative_to(run)) for p in run.rglob("*"))
    assert listing(tmp_path / "r2") == listing(tmp_path / "r1")
    w1 = load_weights(tmp_path / "r1" / "model" / "model.safetensors")
    w2 = load_weights(tmp_path / "r2" / "model" / "model.safetensors")
    fresh = LMNet(MODEL, len(Vocab.build(split_text(TEXT, 0.1)[0]))).state_dict()
    for k, v in w1.items():
        torch.testing.assert_close(w2[k], v, rtol=1e-4, atol=1e-5)
        assert w2[k].dtype == torch.float32
    assert any(not torch.allclose(fresh[k], w2[k], atol=1e-3) for k in w2)
    m1 = json.loads((tmp_path / "r1" / "metrics.json").read_text())
    m2 = json.loads((tmp_path / "r2" / "metrics.json").read_text())
    assert m2["val_bpc"] == pytest.approx(m1["val_bpc"], rel=1e-4)
    assert m2["world_size"] == 2 and "1" in m2["samples_during_training"]  # rank 0's hook ran


def test_bf16_mixed_trains_an_lm_on_cpu_and_reloads_in_fp32(tmp_path):
    lm = CharLM(MODEL).fit(TEXT, **dict(TRAIN, epochs=4, batch_size=4, lr=3e-2),
                           precision="bf16-mixed", checkpoint_dir=tmp_path / "ck")
    losses = [r["train_loss"] for r in lm.history]
    assert losses[-1] < 0.8 * losses[0]
    assert all(p.dtype == torch.float32 for p in lm.net.parameters())
    weights, _, _ = CheckpointManager(tmp_path / "ck").load()
    assert all(w.dtype == torch.float32 for w in weights.values())
    fresh = LMNet(MODEL, len(lm.vocab))
    fresh.load_state_dict(weights)
    ids = torch.tensor(lm.vocab.encode(split_text(TEXT, 0.1)[1]))
    total, n = token_nll(fresh, ids, streams=2)
    assert total / n == pytest.approx(lm.history[-1]["val_loss"], rel=1e-6)  # fp32 eval = fit's
    with pytest.raises(ValueError, match="16-mixed"):
        LMTrainConfig(precision="fp8")


def test_batch_smaller_than_the_process_count_is_refused_before_starting():
    from rnnlab.lm import CharLM, LMConfig, LMTrainConfig

    lm = CharLM(LMConfig(model="gru", hidden_size=4, embedding=4))
    with pytest.raises(ValueError, match=r"batch_size 2 is smaller than the 3 processes"):
        lm.fit("abcabc abcab " * 30, LMTrainConfig(batch_size=2, seq_len=4, epochs=1,
                                                   devices=3, accelerator="cpu"))
