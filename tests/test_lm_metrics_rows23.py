"""``lm train``'s metrics.csv grows as the epochs end (it was written only when the run
finished: a user tailing it saw nothing, and a killed run kept no row)."""

import csv

from rnnlab.cli import main
from rnnlab.io.rundir import is_unstarted
from rnnlab.lm.metrics_rows import KEYS, EpochRows, metrics_csv

TEXT = "the quick brown fox jumps over the lazy dog. " * 12
TINY = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
        "--seq-len", "8", "--batch-size", "4", "--epochs", "3", "--sample-every", "0",
        "--patience", "0", "--no-progress", "--threads", "1"]


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_metrics_csv_holds_each_epoch_as_it_ends(tmp_path, monkeypatch):
    from rnnlab.train import loop

    run, seen = tmp_path / "run", []
    end_epoch = loop._Run._end_epoch

    def tailing(self, epoch, tot, cnt):  # (what `tail -f run/metrics.csv` shows then)
        end_epoch(self, epoch, tot, cnt)
        path = run / "metrics.csv"
        seen.append([r["epoch"] for r in _rows(path)] if path.exists() else None)

    monkeypatch.setattr(loop._Run, "_end_epoch", tailing)
    (tmp_path / "c.txt").write_text(TEXT)
    assert main(["lm", "train", "--corpus", str(tmp_path / "c.txt"), *TINY,
                 "--out", str(run)]) == 0
    assert seen == [["1"], ["1", "2"], ["1", "2", "3"]]
    rows = _rows(run / "metrics.csv")  # (the end's file: the same rows, every column)
    assert list(rows[0]) == list(KEYS) and rows[2]["val_bpc"] != ""


def test_a_resumed_epoch_replaces_the_rows_from_it_on(tmp_path):
    recs = [{"epoch": e, "train_loss": 1.0 / e, "val_loss": 2.0, "lr": 0.1, "seconds": e}
            for e in (1, 2, 3)]
    (tmp_path / "metrics.csv").write_text(metrics_csv(recs))  # (killed after epoch 3's row)
    EpochRows(str(tmp_path))(2, {**recs[1], "train_loss": 0.25})  # (resumed from epoch 1's)
    rows = _rows(tmp_path / "metrics.csv")
    assert [r["epoch"] for r in rows] == ["1", "2"] and rows[1]["train_loss"] == "0.25"


def test_rows_without_a_checkpoint_leave_the_run_unstarted(tmp_path):
    # killed between an epoch's row and its checkpoint: the same command takes it over
    (tmp_path / "checkpoints").mkdir()
    names = ["config.json", "cli.json", "metrics.csv", "checkpoints"]
    assert is_unstarted(names, tmp_path)
    (tmp_path / "checkpoints" / "latest.json").write_text("{}")
    assert not is_unstarted(names, tmp_path)
