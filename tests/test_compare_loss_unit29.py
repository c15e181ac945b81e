"""rnnlab compare names the unit of the training loss it prints: a language model's in bits
per character (the fit's progress line, just above it, shows the loss in nats, so a bare
"train loss 5.3" beside "loss 3.67" read as two different losses)."""

import json

import pytest

from rnnlab.cli import main as rnnlab_main
from rnnlab.compare import CompareConfig
from rnnlab.compare.summary import table_rows


def test_loss_unit_follows_the_task():
    assert CompareConfig(task="lm", data="time-machine").loss_unit == "bits per char"
    assert CompareConfig().loss_unit == "MSE (model space)"
    lm_header = table_rows(CompareConfig(task="lm", data="time-machine"), [])[0]
    assert "train loss first → last (bits per char)" in lm_header
    assert "train loss first → last (MSE (model space))" in table_rows(CompareConfig(), [])[0]


@pytest.mark.slow

def test_lm_comparison_says_its_train_loss_is_in_bits(tmp_path, capsys):
    text = tmp_path / "small.txt"
    text.write_text("the quick brown fox jumps over the lazy dog. " * 120, encoding="utf-8")
    out = tmp_path / "cmp"
    args = ["compare", "--task", "lm", "--data", str(text), "--models", "rnn", "--seeds", "0",
            "--epochs", "2", "--hidden-size", "4", "--out", str(out)]
    assert rnnlab_main(args) == 0
    printed = capsys.readouterr().out
    line = next(ln for ln in printed.splitlines() if ln.startswith("rnn ") and "seed 0" in ln)
    assert "train loss (bits per char) " in line
    rec = json.loads((out / "results.json").read_text())["records"][0]
    # the number printed is the recorded one, in bits: the fit's nats over ln 2
    assert f"{rec['first_train_loss']:.4g} -> " in line
    assert "train loss first → last (bits per char)" in (out / "report.md").read_text()
