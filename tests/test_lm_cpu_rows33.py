"""``rnnlab lm train``'s epochs_detail (metrics.json) and metrics.csv carried each epoch's
wall seconds and no CPU time, which forecast's and compare's records have (cputime32). Each
epoch's record now holds ``cpu_seconds`` (the run's CPU seconds at its end, as ``seconds``
is its wall seconds), None where unknown (a run resumed from an earlier rnnlab's
checkpoint); ``rnnlab runs`` reads the run's ``train_cpu_seconds``."""

import csv
import io
import json

import pytest
import torch

from rnnlab.cli import main
from rnnlab.lm.metrics_rows import KEYS, EpochRows
from rnnlab.train import TrainConfig, fit
from rnnlab.train.state_timings import merge_timings, split_timings
from test_lm_metrics_rows23 import TEXT, TINY
from tiny_task import TinyTask, tiny_model


@pytest.mark.slow  # (about 11 s: lm train, its baselines, then rnnlab runs)
def test_each_epoch_of_lm_train_has_its_cpu_seconds(tmp_path, capsys):
    (tmp_path / "c.txt").write_text(TEXT)
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(tmp_path / "c.txt"), *TINY,
                 "--out", str(run)]) == 0
    detail = json.loads((run / "metrics.json").read_text())["epochs_detail"]
    cpu = [e["cpu_seconds"] for e in detail]
    assert len(cpu) == 3 and 0 < cpu[0] <= cpu[1] <= cpu[2]  # (the run's, so far)
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert "cpu_seconds" in KEYS and [float(r["cpu_seconds"]) for r in rows] == \
        [float(f"{c:.6g}") for c in cpu]
    capsys.readouterr()
    assert main(["runs", str(tmp_path)]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert float(table[0]["train_cpu_seconds"]) >= cpu[-1]


def test_a_checkpoint_keeps_each_epochs_cpu_seconds_out_of_its_state(tmp_path):
    def run(ck):
        torch.manual_seed(0)
        return fit(tiny_model("gru", 4), TinyTask(16),
                   TrainConfig(epochs=2, lr=1e-2, seed=3, progress=False), checkpoint_dir=ck)
    hist = run(tmp_path / "a")
    assert all(e["cpu_seconds"] > 0 for e in hist.epochs)
    st = {"history": hist.to_dict()}
    bare, timings = split_timings(st)  # (the same bytes for the same seed: no times in it)
    assert [e["cpu_seconds"] for e in bare["history"]["epochs"]] == [0.0, 0.0]
    assert merge_timings(bare, timings, "meta.json") == st


def test_an_earlier_checkpoints_epochs_have_none():
    st = {"history": {"epochs": [{"epoch": 1, "seconds": 0.0, "cpu_seconds": 0.0}],
                      "seconds": 0.0}}
    back = merge_timings(st, {"seconds": 2.0, "epochs": [2.0]}, "meta.json")
    assert back["history"]["epochs"][0]["cpu_seconds"] is None


@pytest.mark.parametrize("cells", [7, 10])  # (before the gradient norms; before CPU time)
def test_an_earlier_metrics_csv_keeps_its_rows_on_a_resume(tmp_path, cells):
    old = ",".join(KEYS[:cells]) + "\n1,2,3,4,5,0.1,9" + ",1" * (cells - 7) + "\n"
    (tmp_path / "metrics.csv").write_text(old)
    EpochRows(str(tmp_path))(2, {"epoch": 2, "train_loss": 1.0, "seconds": 10.0,
                                 "cpu_seconds": None})
    with open(tmp_path / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["1", "2"] and list(rows[0]) == list(KEYS)
    assert rows[0]["seconds"] == "9" and rows[0]["cpu_seconds"] == "" == rows[1]["cpu_seconds"]


def test_the_readme_names_each_epochs_cpu_seconds():
    from pathlib import Path

    from printed_words import words

    readme = words((Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8"))
    assert "each epoch's `seconds` and `cpu_seconds` in `lm train`'s `metrics.json` " \
           "(`epochs_detail`) and `metrics.csv`" in readme
