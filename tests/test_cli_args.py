"""Bad numbers on the command line: every command answers with a one-line error that says
what it expected and what it got (argparse's exit status 2), never a traceback."""

from __future__ import annotations

import pytest
import torch

from rnnlab.cli import main


def run(argv, capsys, stream="err"):
    """(exit status, stderr or stdout) of ``rnnlab ARGV``."""
    try:
        code = main(argv)
    except SystemExit as e:  # argparse refuses the value before the command runs
        code = e.code
    return code, getattr(capsys.readouterr(), stream)


THREADS = "expected a number of CPU threads >= 0 (0: torch's default), got "


@pytest.mark.parametrize("command", [
    ["bench", "--configs", "C0"],
    ["compare", "--data", "airline"],
    ["forecast", "--data", "airline"],
    ["lm", "train"],
    ["lm", "generate", "runs/none"],
])
@pytest.mark.parametrize("value", ["-1", "two"])
def test_threads_must_be_a_count(command, value, capsys):
    before = torch.get_num_threads()
    code, err = run([*command, "--threads", value], capsys)
    assert code == 2
    assert f"argument --threads: {THREADS}'{value}'" in err
    assert torch.get_num_threads() == before


@pytest.mark.parametrize("argv,expected", [
    (["bench", "--repeats", "0"], "argument --repeats: expected a whole number >= 1, got '0'"),
    (["bench", "--warmup", "-1"], "argument --warmup: expected a whole number >= 0, got '-1'"),
    (["bench", "--depth", "0"], "argument --depth: expected a whole number >= 1, got '0'"),
    (["models", "--num-layers", "0"],
     "argument --num-layers: expected a whole number >= 1, got '0'"),
    (["models", "--hidden-size", "-4"],
     "argument --hidden-size: expected a whole number >= 1, got '-4'"),
])
def test_counts_are_checked_before_anything_runs(argv, expected, capsys):
    code, err = run(argv, capsys)
    assert code == 2 and expected in err


@pytest.mark.parametrize("argv,expected", [
    (["bench", "--configs", ",", "--models", "lstm"], "no config in ','; give one or more of C0"),
    (["bench", "--configs", "C0", "--models", " "], "no model in ' '; give one or more of"),
    (["bench", "--configs", "C0", "--device", "tpu"], "unknown --device 'tpu'; use cpu or cuda"),
    (["bench", "--configs", "C0", "--device", "meta"], "--device 'meta' is not timed here"),
])
def test_bench_names_what_it_cannot_time(argv, expected, capsys):
    code, err = run(argv, capsys)
    assert code == 1
    assert err.startswith("rnnlab bench: error: ") and expected in err


def test_models_raises_layers_to_an_architectures_minimum(capsys):
    code, out = run(["models", "--num-layers", "1"], capsys, "out")
    assert code == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[2:]}
    assert rows["lstm"] == "1" and rows["drnn"] == "2"  # drnn is stacked: 2 layers at least


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_asked_for_without_cuda_names_the_flags(tmp_path, capsys):
    code, err = run(["compare", "--data", "airline", "--models", "lstm", "--seeds", "0",
                     "--epochs", "1", "--accelerator", "cuda", "--out", str(tmp_path / "r")],
                    capsys)
    assert code == 1
    assert "CUDA is not available here" in err and "--accelerator cpu" in err
