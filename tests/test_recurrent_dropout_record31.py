"""README's measured figures for --recurrent-dropout on E3's recipe come from their records:
benchmarks/results/recurrent_dropout/e3-lstm-rdrop0.25 (made by
benchmarks/recurrent_dropout_lm.sh) and articles-amd-epyc/e3-char-lm (without it)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WITH = ROOT / "benchmarks" / "results" / "recurrent_dropout" / "e3-lstm-rdrop0.25"
WITHOUT = ROOT / "benchmarks" / "results" / "articles-amd-epyc" / "e3-char-lm"

pytestmark = pytest.mark.skipif(not (WITH / "results.json").exists()
                                or not (WITHOUT / "results.json").exists(),
                                reason="the benchmark records are not shipped in an sdist")


def _lstm(folder: Path) -> dict:
    records = json.loads((folder / "results.json").read_text(encoding="utf-8"))["records"]
    (lstm,) = [r for r in records if r["model"] == "lstm"]
    return lstm


def _paragraph() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("Measured once (one seed, the shared 2-core AMD EPYC")
    return " ".join(text[start:text.index("\n\n", start)].split())


def test_the_record_is_the_recipe_with_recurrent_dropout_alone():
    config = json.loads((WITH / "config.json").read_text(encoding="utf-8"))
    script = (ROOT / "benchmarks" / "recurrent_dropout_lm.sh").read_text(encoding="utf-8")
    line = re.search(r"^run e3-lstm-rdrop0\.25 (.*)$", script, re.M).group(1).split()
    assert config["command"][1:1 + len(line)] == line
    assert config["config"]["compare"]["recurrent_dropout"] == 0.25
    assert config["config"]["compare"]["input_dropout"] == 0.0
    assert config["versions"]["cpu"] == "AMD EPYC" and config["versions"]["threads"] == 1
    assert _lstm(WITH)["path"] == "reference" and _lstm(WITHOUT)["path"] == "fused"


def test_readme_figures_are_the_records():
    said, on, off = _paragraph(), _lstm(WITH), _lstm(WITHOUT)
    assert f"scores {off['metrics']['test_bpc']:.4f} held-out bits" in said
    assert f"in {off['train_seconds']:.0f} s of training" in said
    assert f"after its {off['best_epoch']}th epoch" in said
    assert f"scores {on['metrics']['test_bpc']:.4f} with `--recurrent-dropout 0.25`" in said
    assert f"(best epoch {on['best_epoch']} of {on['epochs_run']}) in " \
           f"{on['train_seconds']:,.0f} s" in said
    ratio = on["train_seconds"] / off["train_seconds"]
    assert f"about {ratio:.0f} times the training time" in said
    gain = off["metrics"]["test_bpc"] - on["metrics"]["test_bpc"]
    assert f"for {gain:.2f} bits per character" in said
