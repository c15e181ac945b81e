"""rnnlab in shell pipelines (session 20): ``-`` as standard input where a command only reads
(``forecast --run DIR --data -``, ``lm eval --text -``; where it writes a run directory:
tests/test_cli_pipes23.py); ``--output -`` is standard output; stdout carries data only."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import rnnlab
from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from cli_run import run  # noqa: E402

AIRLINE = Path(rnnlab.__file__).parent / "data" / "builtin" / "airline_passengers.csv"
TINY = ["--epochs", "1", "--ensemble", "1", "--hidden-size", "4", "--threads", "1",
        "--no-progress"]
TINY_LM = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
           "--seq-len", "5", "--batch-size", "2", "--epochs", "1", "--sample-every", "0",
           "--no-progress", "--threads", "1"]


class _Pipe(io.TextIOWrapper):
    """Standard input fed by a pipe (not a terminal)."""

    def isatty(self) -> bool:
        return False


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def _stdin(monkeypatch, data: bytes, kind=_Pipe) -> None:
    monkeypatch.setattr(sys, "stdin", kind(io.BytesIO(data), encoding="utf-8"))


@pytest.fixture(scope="module")
def series_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("series") / "run"
    assert main(["forecast", "--data", str(AIRLINE), "--out", str(run_dir), *TINY]) == 0
    return run_dir


def test_output_dash_prints_the_forecast_and_writes_no_file_named_dash(
        series_run, tmp_path, monkeypatch, capsys):
    # was: `--output -` wrote a file named "-" in the working folder, "wrote 3 forecasts to -"
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["forecast", "--run", str(series_run), "--horizon", "3"]) == 0
    printed = capsys.readouterr().out
    assert main(["forecast", "--run", str(series_run), "--horizon", "3", "--output", "-"]) == 0
    assert capsys.readouterr().out == printed
    assert printed.splitlines()[0] == "time,forecast" and len(printed.splitlines()) == 4
    assert not (tmp_path / "-").exists()


def test_output_file_says_so_on_stderr_and_leaves_stdout_empty(series_run, tmp_path, capsys):
    # was: "wrote 3 forecasts to FILE" on stdout (a panel's run said it on stderr)
    out = tmp_path / "f.csv"
    assert main(["forecast", "--run", str(series_run), "--horizon", "3",
                 "--output", str(out)]) == 0
    said = capsys.readouterr()
    assert said.out == "" and f"wrote 3 forecasts to {out}" in said.err
    assert out.read_text().startswith("time,forecast\n")


def test_run_forecasts_from_newer_data_read_on_stdin(series_run, tmp_path, monkeypatch,
                                                     capsys):
    # was: "'-' is neither a built-in dataset (airline, sine, dji), stooq:SYMBOL, nor an
    # existing CSV file" (exit 1): `cat new.csv | rnnlab forecast --run DIR --data -`
    data = AIRLINE.read_bytes()
    cut = b"\n".join(data.splitlines()[:-12]) + b"\n"  # a year shorter: forecasts 1960
    capsys.readouterr()
    again = ["forecast", "--run", str(series_run), "--horizon", "2"]
    _stdin(monkeypatch, cut)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # (where the copy goes)
    assert main([*again, "--data", "-"]) == 0
    piped = capsys.readouterr().out
    assert not list(tmp_path.iterdir())  # the copy of standard input is removed
    short = Path(series_run).parent / "short.csv"
    short.write_bytes(cut)
    assert main([*again, "--data", str(short)]) == 0
    assert piped == capsys.readouterr().out and piped.splitlines()[1].startswith("1960-01,")


@pytest.mark.parametrize("data, said", [(b"", "standard input is empty"),
                                        (b"month,y\n", None)])
def test_stdin_that_is_empty_or_a_terminal_is_refused(series_run, monkeypatch, capsys,
                                                       data, said):
    # a terminal: the command would wait for typing with no word of why
    kind = _Pipe if said else _Terminal
    _stdin(monkeypatch, data, kind)
    code, err = run(["forecast", "--run", str(series_run), "--data", "-"], capsys)
    # (a terminal: the pipe was forgotten, a usage error; empty: the data's, 1)
    assert code == (1 if said else 2) and (said or "standard input is a terminal") in err


def test_two_options_read_from_stdin_are_refused(series_run, monkeypatch, capsys):
    _stdin(monkeypatch, AIRLINE.read_bytes())
    code, err = run(["forecast", "--run", str(series_run), "--data", "-", "--future", "-"],
                    capsys)
    assert code == 2 and "--data and --future-data are all '-'" in err


def test_lm_eval_scores_a_text_read_on_stdin_as_its_file(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    lm_run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(corpus), *TINY_LM, "--out", str(lm_run)]) == 0
    text = tmp_path / "t.txt"
    text.write_text("a dog sat on a cat.", encoding="utf-8")
    capsys.readouterr()
    assert main(["lm", "eval", "--run", str(lm_run), "--text", str(text), "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    _stdin(monkeypatch, text.read_bytes())
    assert main(["lm", "eval", "--run", str(lm_run), "--text", "-", "--json"]) == 0
    piped = json.loads(capsys.readouterr().out)
    assert piped.pop("text") == "-" and from_file.pop("text") == str(text)
    assert piped == from_file and piped["tokens"] == 18 and piped["bpc"] > 0


def test_bench_json_dash_prints_the_json_alone_on_stdout(tmp_path, monkeypatch, capsys):
    # was: `--json -` wrote a file named "-" (and the table filled stdout); `| jq` needs the
    # JSON alone there
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "--configs", "C0", "--models", "gru", "--repeats", "1",
                 "--warmup", "0", "--no-reference", "--threads", "1", "--json", "-"]) == 0
    said = capsys.readouterr()
    doc = json.loads(said.out)  # (the whole of stdout is one JSON document)
    assert doc["rows"] and doc["rows"][0]["config"] == "C0" and doc.get("interrupted") is False
    assert "| C0 | torch.nn.GRU |" in said.err  # the table, on stderr
    assert not (tmp_path / "-").exists()


def test_a_defect_exits_70_with_its_traceback_not_the_1_of_a_data_error(monkeypatch, capsys):
    # was: an unhandled exception ended with Python's status 1, the status of a data error,
    # so a CI script could not tell "fix your CSV" from "report a bug"
    import rnnlab.cli
    from rnnlab import console

    def broken(argv=None):
        raise AttributeError("'NoneType' object has no attribute 'shape'")

    monkeypatch.setattr(rnnlab.cli, "main", broken)
    assert console.main() == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "AttributeError" in err
    assert err.strip().splitlines()[-1].startswith("rnnlab: internal error")


def test_seeds_that_score_the_same_have_a_spread_of_zero():
    # was: `rnnlab forecast --seeds 0 1 2` printed "linear_ar 28.73 ± 4e-15" (the mean's
    # rounding) beside "seasonal_naive 50.71 ± 0.00", for a baseline no seed changes
    from rnnlab.forecast.report import format_summary
    from rnnlab.seed_stats import seed_std

    same = [28.727036080718086] * 3
    assert seed_std(same) == 0.0 and seed_std([1.0, float("nan")]) != 0.0
    summary = {"forecast": {"linear_ar": {k: {"mean": same[0], "std": seed_std(same)}
                                          for k in ("rmse", "mae")}}}
    assert "28.73 ± 0.00" in format_summary(summary, [0, 1, 2])


def test_an_error_in_data_read_on_stdin_names_it_as_typed(series_run, monkeypatch, capsys):
    # was: "/tmp/rnnlab-stdin-k4x2/stdin.csv: series 'passengers' has 1 NaN values", a
    # file the user never named, removed by the time they read it
    lines = AIRLINE.read_text().splitlines()
    lines[30] = lines[30].split(",")[0] + ","  # one value missing
    _stdin(monkeypatch, ("\n".join(lines) + "\n").encode())
    code, err = run(["forecast", "--run", str(series_run), "--data", "-"], capsys)
    assert code == 1 and "error: -: series 'passengers' has 1 NaN" in err, err
    assert "rnnlab-stdin" not in err


def test_a_bare_dash_says_which_option_reads_stdin(capsys):
    # was: "unrecognized arguments: - (`rnnlab forecast --help` lists its options)"
    code, err = run(["forecast", "-"], capsys)
    assert code == 2 and "`--data -` (forecast, backtest, compare)" in err


def test_run_of_a_run_still_being_trained_says_so_not_resume_it(series_run, tmp_path,
                                                                 capsys):
    # `rnnlab forecast --out R &` then `rnnlab forecast --run R` from another job: was "this
    # run did not finish (it was stopped before its model was saved); continue it with:
    # rnnlab forecast --resume R" while the training was alive and holding the lock
    import os
    import shutil

    from rnnlab.io.rundir import WRITTEN_NAME
    from rnnlab.io.runlock import LOCK_NAME

    busy = tmp_path / "busy"
    shutil.copytree(series_run, busy)
    shutil.rmtree(busy / "model")
    (busy / WRITTEN_NAME).unlink()
    (busy / LOCK_NAME).write_text(str(os.getppid()))  # a live process other than this one
    code, err = run(["forecast", "--run", str(busy)], capsys)
    assert code == 1 and f"in use by another rnnlab process (PID {os.getppid()})" in err, err
    assert "--resume" not in err


@pytest.mark.parametrize("command", [["generate", "--prefix", "a"], ["eval", "--text", "x"]])
def test_lm_run_of_a_run_still_being_trained_says_so(tmp_path, capsys, command):
    # was: "R: no such saved model" while `lm train --out R` was alive and writing it
    import os

    from rnnlab.io.runlock import LOCK_NAME

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / LOCK_NAME).write_text(str(os.getppid()))  # a live process other than this one
    code, err = run(["lm", command[0], "--run", str(busy), *command[1:]], capsys)
    assert code == 1 and "in use by another rnnlab process" in err, err


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_run_reads_a_named_pipe_as_process_substitution_gives(series_run, tmp_path, capsys):
    # `rnnlab forecast --run DIR --data <(zcat new.csv.gz)`: was "/dev/fd/63: not a regular
    # file (a device, pipe or socket); expected a CSV file: copy the data into one"
    import os
    import threading

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    lines = AIRLINE.read_text().splitlines()
    lines[30] = lines[30].split(",")[0] + ","  # one value missing: the error names the pipe

    def feed(text: str) -> threading.Thread:
        def write():
            with open(fifo, "w") as f:
                f.write(text)
        t = threading.Thread(target=write, daemon=True)
        t.start()
        return t

    t = feed(AIRLINE.read_text())
    assert main(["forecast", "--run", str(series_run), "--horizon", "2", "--data", str(fifo)]) == 0
    t.join(10)
    assert capsys.readouterr().out.splitlines()[1].startswith("1961-01,")
    t = feed("\n".join(lines) + "\n")
    code, err = run(["forecast", "--run", str(series_run), "--data", str(fifo)], capsys)
    t.join(10)
    assert code == 1 and f"error: {fifo}: series 'passengers' has 1 NaN" in err, err


def test_run_whose_model_is_a_link_out_of_it_is_read_with_a_note(series_run, tmp_path, capsys):
    # a run folder from elsewhere with `model` linked to another folder: read silently
    import shutil

    run = tmp_path / "run"
    shutil.copytree(series_run, run)
    shutil.move(str(run / "model"), str(tmp_path / "kept"))
    (run / "model").symlink_to(tmp_path / "kept")
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--horizon", "2"]) == 0
    err = capsys.readouterr().err
    assert "lead out of it" in err and f"model -> {(tmp_path / 'kept').resolve()}" in err, err
