"""Bad numbers on the command line: every command answers with a one-line error that says
what it expected and what it got (argparse's exit status 2), never a traceback."""

from __future__ import annotations

import json

import pytest
import torch

from rnnlab.cli import main
from rnnlab.io.errors import DataError


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
    assert code == 2  # (a usage error: exit status 2, session 18)
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


def test_horizon_zero_is_refused_not_replaced(capsys):
    for argv in (["forecast", "--horizon", "0"], ["forecast", "--run", "x", "--horizon", "0"]):
        code, err = run(argv, capsys)
        assert code == 2 and "argument --horizon: expected a whole number >= 1, got '0'" in err


def test_ctrl_c_outside_the_loop_is_a_message_not_a_traceback(monkeypatch, capsys):
    import rnnlab.nn.cli as models_cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(models_cli, "run", interrupted)
    code, err = run(["models"], capsys)
    assert code == 130 and "rnnlab models: interrupted; files already written are kept" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_resume_wants_a_run_directory(command, tmp_path, capsys):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    code, err = run([*command, "--resume", str(folder)], capsys)
    assert code == 1 and "not a run directory of rnnlab" in err and "nothing to resume" in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_overwrite_keeps_a_users_folder_and_data(tmp_path, capsys, monkeypatch):
    """`--out . --overwrite` in a folder of the user's: refused, every file kept."""
    (tmp_path / "series.csv").write_text("t,v\n" + "".join(f"{i},{i % 7}\n" for i in range(60)))
    (tmp_path / "notes.md").write_text("mine")
    monkeypatch.chdir(tmp_path)
    code, err = run(["forecast", "--data", "series.csv", "--out", ".", "--overwrite",
                     "--epochs", "1", "--ensemble", "1", "--no-progress"], capsys)
    assert code == 1 and "holds files rnnlab did not write (notes.md, series.csv)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md", "series.csv"]


def test_a_runtime_option_typed_anew_counts_even_at_its_default(tmp_path):
    """--devices 1 on resuming a 2-process run means 1 process (1 is the default)."""
    import argparse

    from rnnlab.cli import given_options
    from rnnlab.io.cli_options import apply_saved_options, save_options

    saved = argparse.Namespace(devices=2, lr=0.5, threads=3)
    save_options(tmp_path, saved)
    defaults = argparse.Namespace(devices=1, lr=0.1, threads=1)
    argv = ["lm", "train", "--resume", str(tmp_path), "--devices", "1", "--lr", "0.1"]
    assert {"devices", "lr", "resume"} <= given_options(argv)
    args = argparse.Namespace(devices=1, lr=0.1, threads=1, given_options=given_options(argv))
    apply_saved_options(args, tmp_path, defaults, ("devices", "threads"), "rnnlab lm train")
    assert (args.devices, args.threads, args.lr) == (1, 3, 0.5)  # typed, saved, the run's own
    untyped = argparse.Namespace(devices=1, lr=0.1, threads=1)  # no record: by value
    apply_saved_options(untyped, tmp_path, defaults, ("devices", "threads"), "rnnlab lm train")
    assert untyped.devices == 2


def test_resume_and_a_different_out_are_refused(tmp_path, capsys):
    code, err = run(["forecast", "--resume", str(tmp_path), "--out", str(tmp_path / "b")], capsys)
    assert code == 2 and "--resume" in err and "names another directory. Pass one of them" in err


def test_a_recipe_of_several_parts_keeps_a_users_folder(tmp_path, capsys):
    (tmp_path / "report.html").write_text("my own report")
    code, err = run(["recipe", "run", "deep-rnn-compare", "--quick", "--out", str(tmp_path),
                     "--overwrite"], capsys)
    assert code == 1 and "holds files rnnlab did not write (report.html)" in err
    assert (tmp_path / "report.html").read_text() == "my own report"


def test_bptt_demo_checks_the_input_size(capsys):
    code, err = run(["bptt-demo", "--input-size", "0"], capsys)
    assert code == 2 and "--input-size must be >= 1" in err


def test_a_failed_overwrite_leaves_the_last_good_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    small = ["forecast", "--data", "airline", "--hidden-size", "4", "--epochs", "1",
             "--ensemble", "1", "--no-progress", "--out", str(out)]
    assert run(small, capsys)[0] == 0
    good = (out / "metrics.json").read_text()
    aside = tmp_path / ".run.previous"
    # (session 29: data too short for --lookback is refused before the folder is touched)
    code, err = run(small + ["--overwrite", "--lookback", "200"], capsys)
    assert code == 1 and "too short" in err and "kept in" not in err
    assert (out / "metrics.json").read_text() == good and not aside.exists()
    from rnnlab.forecast.forecaster import Forecaster

    def fails(self, *a, **k):  # (a failure once the run has started: training's own)
        raise DataError("a failure in training, for this test")

    monkeypatch.setattr(Forecaster, "fit", fails)
    code, err = run(small + ["--overwrite"], capsys)  # fails after the start
    monkeypatch.undo()
    assert code == 1 and "kept in" in err and "for this test" in err
    # (session 16: it wrote no result, so the last good run is put back in place; it was
    # left in the hidden folder, to be renamed back by hand)
    assert "the previous run is back in place" in err and not aside.exists()
    assert (out / "metrics.json").read_text() == good
    assert run(small + ["--overwrite"], capsys)[0] == 0  # a finished run: the old one goes
    assert not aside.exists() and (out / "metrics.json").is_file()


def test_resume_works_from_another_working_directory(tmp_path, capsys, monkeypatch):
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir(), elsewhere.mkdir()
    (here / "s.csv").write_text("t,v\n" + "".join(f"{i},{i % 7 + i / 10}\n" for i in range(60)))
    monkeypatch.chdir(here)
    common = ["--hidden-size", "4", "--lookback", "6", "--horizon", "3", "--ensemble", "1",
              "--no-progress"]
    assert run(["forecast", "--data", "s.csv", "--epochs", "1", "--out", "r", *common],
               capsys)[0] == 0
    saved = json.loads((here / "r" / "cli.json").read_text())["options"]
    assert saved["data"] == str(here / "s.csv")  # absolute: the relative name was typed
    monkeypatch.chdir(elsewhere)
    code, err = run(["forecast", "--resume", str(here / "r"), "--epochs", "2"], capsys)
    assert code == 0, err


def test_sigterm_outside_the_loop_is_a_message_and_143(monkeypatch, capsys):
    import os
    import signal

    import rnnlab.nn.cli as models_cli

    def terminated(args):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM should have stopped the command")

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(models_cli, "run", terminated)
    code, err = run(["models"], capsys)
    assert code == 143 and "rnnlab models: terminated (SIGTERM)" in err
    assert signal.getsignal(signal.SIGTERM) is before  # restored for whoever called main()
