"""rnnlab in shell pipelines and called from Python (session 23): ``rnnlab.cli.main([...])``
returns an exit status for every outcome (argparse's refusals, ``--help`` and ``--version``
raised SystemExit out of it)."""

from __future__ import annotations

import pytest

from rnnlab import __version__
from rnnlab.cli import main


@pytest.mark.parametrize("argv, code, said", [
    (["forecast", "--hidden-size", "x"], 2, "argument --hidden-size: invalid int value"),
    (["forecast", "--no-such-option"], 2, "--no-such-option"),
    (["lm", "train", "--corpus"], 2, "expected one argument"),
    (["no-such-command"], 2, "invalid choice"),
])
def test_main_returns_2_for_what_argparse_refuses(argv, code, said, capsys):
    # was: SystemExit(2) raised out of main(), where its other errors returned 1 or 2
    assert main(argv) == code
    assert said in capsys.readouterr().err


def test_main_returns_0_after_help_and_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"rnnlab {__version__}"
    assert main(["forecast", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: rnnlab forecast")


def test_exit_status_of_a_message_is_1_and_the_message_is_printed(capsys):
    from rnnlab.cli import _exit_status

    assert _exit_status(SystemExit("stopped: reason")) == 1
    assert capsys.readouterr().err == "stopped: reason\n"
    assert _exit_status(SystemExit(None)) == 0 and _exit_status(SystemExit(3)) == 3


# --- `-` where a command writes a run directory: standard input kept, named by its content

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from cli_run import run  # noqa: E402
from test_cli_pipes20 import AIRLINE, TINY, TINY_LM, _stdin  # noqa: E402


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("RNNLAB_CACHE", str(folder))
    return folder / "inputs"


def _kept(cache: Path) -> Path:
    (kept,) = cache.iterdir()
    return kept


@pytest.mark.slow
def test_forecast_trains_on_stdin_and_the_run_records_the_kept_copy(tmp_path, cache,
                                                                    monkeypatch, capsys):
    # was: "--data -: standard input is read by `rnnlab forecast --run DIR --data -` ...
    # only; ... save it to a file first" (exit 2): `curl URL | rnnlab forecast --data -`
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, AIRLINE.read_bytes())
    assert main(["forecast", "--data", "-", *TINY]) == 0
    kept = _kept(cache)
    assert kept.read_bytes() == AIRLINE.read_bytes() and kept.suffix == ".csv"
    assert f"--data -: standard input is kept as {kept}" in capsys.readouterr().err
    run_dir = tmp_path / "runs" / "forecast-stdin"  # (named as typed, not by the hash)
    options = json.loads((run_dir / "cli.json").read_text())["options"]
    assert options["data"] == str(kept)
    # the run repeats from its record, standard input long gone
    assert main(["forecast", "--config", str(run_dir), "--out", str(tmp_path / "again")]) == 0
    again = json.loads((tmp_path / "again" / "cli.json").read_text())["options"]
    assert again["data"] == str(kept) and len(list(cache.iterdir())) == 1


@pytest.mark.slow
def test_lm_train_reads_corpus_and_validation_text_from_stdin(tmp_path, cache, monkeypatch,
                                                              capsys):
    # --val-text - was "corpus '-': neither a built-in corpus ... nor an existing file"
    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    _stdin(monkeypatch, corpus.read_bytes())
    assert main(["lm", "train", "--corpus", "-", *TINY_LM, "--out", str(tmp_path / "r")]) == 0
    assert _kept(cache).read_bytes() == corpus.read_bytes()
    _stdin(monkeypatch, b"a dog sat on a cat. " * 10)
    assert main(["lm", "train", "--corpus", str(corpus), "--val-text", "-", *TINY_LM,
                 "--out", str(tmp_path / "v")]) == 0
    options = json.loads((tmp_path / "v" / "cli.json").read_text())["options"]
    assert Path(options["val_text"]).read_bytes() == b"a dog sat on a cat. " * 10


@pytest.mark.slow
def test_backtest_reads_stdin_and_names_its_run_for_it(tmp_path, cache, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, AIRLINE.read_bytes())
    assert main(["backtest", "--data", "-", "--model", "naive", "--horizon", "3",
                 "--no-progress"]) == 0
    assert (tmp_path / "runs" / "backtest-stdin" / "summary.json").is_file()
    assert _kept(cache).read_bytes() == AIRLINE.read_bytes()


def test_lm_prepare_reads_stdin(tmp_path, cache, monkeypatch, capsys):
    text = "a cat sat. a dog ran. " * 30
    _stdin(monkeypatch, text.encode())
    assert main(["lm", "prepare", "-", "--out", str(tmp_path / "p")]) == 0
    assert _kept(cache).read_text(encoding="utf-8") == text
    assert "prepared 660 characters" in capsys.readouterr().out


def test_stdin_is_kept_where_the_command_writes_a_run_and_copied_where_it_reads(
        tmp_path, cache, monkeypatch, capsys):
    from argparse import Namespace

    from rnnlab.io.stdin_input import as_typed, input_name, stdin_inputs

    trains = Namespace(command="forecast", run=None, data="-")
    _stdin(monkeypatch, b"t,y\n1,2\n")
    with stdin_inputs(trains):
        kept = Path(trains.data)
        assert kept.parent == cache and kept.read_bytes() == b"t,y\n1,2\n"
        assert input_name(trains, trains.data) == "stdin"
        assert as_typed(f"{kept}: 1 NaN", trains) == "-: 1 NaN"
    assert trains.data == "-" and kept.is_file()  # (kept: the run's record names it)
    reads = Namespace(command="forecast", run="R", data="-")
    _stdin(monkeypatch, b"t,y\n1,3\n")
    with stdin_inputs(reads):
        copy = Path(reads.data)
        assert copy.parent != cache and copy.read_bytes() == b"t,y\n1,3\n"
    assert not copy.exists() and len(list(cache.iterdir())) == 1


def test_an_unwritable_cache_says_what_to_do(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("RNNLAB_CACHE", str(blocker))  # (a file: no folder under it)
    _stdin(monkeypatch, AIRLINE.read_bytes())
    code, err = run(["backtest", "--data", "-", "--model", "naive", "--horizon", "3",
                     "--out", str(tmp_path / "bt")], capsys)
    assert code == 1 and "--data -: cannot keep standard input as" in err, err
    assert "set RNNLAB_CACHE to a writable folder" in err and not (tmp_path / "bt").exists()


@pytest.mark.slow
def test_piped_into_the_command_from_a_shell(tmp_path):
    # the real thing: a pipe, not a stand-in for sys.stdin; `-` twice is still refused;
    # -q: nothing on stderr (the note on the input kept, "wrote DIR") but the errors
    env = {**os.environ, "RNNLAB_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    argv = [sys.executable, "-m", "rnnlab", "backtest", "--data", "-", "--model", "naive",
            "--horizon", "3", "-q", "--out", str(tmp_path / "bt")]
    done = subprocess.run(argv, input=AIRLINE.read_bytes(), capture_output=True, env=env,
                          timeout=120)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode()  # (-q)
    assert (tmp_path / "bt" / "summary.json").is_file() and b"naive" in done.stdout
    done = subprocess.run(argv + ["--static-data", "-"], input=b"x", capture_output=True,
                          env=env, timeout=120)
    assert done.returncode == 2 and b"are all '-'" in done.stderr
    done = subprocess.run(argv[:6] + ["-q", "--out", str(tmp_path / "e")], input=b"",
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 1 and b"standard input is empty" in done.stderr


# --- -q / --quiet: nothing on stderr but an error; held back, shown when the command fails

def test_quiet_holds_notes_back_and_shows_them_before_an_error(tmp_path, cache, monkeypatch,
                                                              capsys):
    # was: no --quiet; `2>/dev/null` dropped the errors with the notes
    text = b"a cat sat. a dog ran. " * 30
    _stdin(monkeypatch, text)
    assert main(["lm", "prepare", "-", "--out", str(tmp_path / "p")]) == 0
    assert "standard input is kept as" in capsys.readouterr().err
    _stdin(monkeypatch, text)
    assert main(["lm", "prepare", "-", "--out", str(tmp_path / "q"), "-q"]) == 0
    said = capsys.readouterr()
    assert said.err == "" and "prepared 660 characters" in said.out  # (results: stdout)
    _stdin(monkeypatch, text)  # (q exists: refused; the note held back comes first)
    code, err = run(["lm", "prepare", "-", "--out", str(tmp_path / "q"), "--quiet"], capsys)
    lines = err.splitlines()
    assert code == 1 and "standard input is kept as" in lines[0], err
    assert lines[-1].startswith("rnnlab lm prepare: error:") and len(lines) == 2


def test_quiet_shows_what_was_held_when_a_command_returns_a_failure(capsys):
    import argparse

    from rnnlab.cli import _run_command

    def command(status):
        def run_it(args):
            print("note: why", file=sys.stderr)
            return status
        return argparse.Namespace(command="x", func=run_it)

    assert _run_command(command(0), [], quiet=True) == 0
    assert capsys.readouterr().err == ""
    assert _run_command(command(3), [], quiet=True) == 3
    assert capsys.readouterr().err == "note: why\n"
    assert _run_command(command(0), [], quiet=False) == 0
    assert capsys.readouterr().err == "note: why\n"


def test_held_stderr_keeps_the_last_lines_and_their_unfinished_end():
    import io

    from rnnlab.quiet import HeldStderr

    real = io.StringIO()
    held = HeldStderr(real, limit=2)
    held.write("one\ntwo\nthr")
    held.write("ee\nfour")
    assert not held.isatty() and real.getvalue() == ""
    held.release()
    held.release()  # (once)
    assert real.getvalue() == "two\nthree\nfour\n"  # (the last 2 whole lines, the end)


def test_every_command_takes_quiet_and_no_record_or_file_holds_it(tmp_path, capsys):
    import argparse

    from rnnlab.cli import build_parser

    leaves, pending = [], [build_parser()]
    while pending:
        p = pending.pop()
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        for a in subs:
            pending.extend(a.choices.values())
        if not subs:
            leaves.append(p)
    assert len(leaves) > 12 and all("-q" in p._option_string_actions for p in leaves), \
        [p.prog for p in leaves if "-q" not in p._option_string_actions]
    f = tmp_path / "q.json"
    f.write_text('{"quiet": true}')
    code, err = run(["backtest", "--config", str(f)], capsys)
    assert code == 2 and "key 'quiet': it is given on the command line only" in err
    assert main(["forecast", "--data", "airline", "-q", "--print-config"]) == 0
    assert "quiet" not in json.loads(capsys.readouterr().out)


def test_main_takes_paths_and_says_what_it_takes_otherwise(tmp_path, capsys):
    # was: TypeError "'PosixPath' object is not subscriptable" from inside argparse
    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    assert main(["lm", "prepare", corpus, "--out", tmp_path / "p"]) == 0
    assert (tmp_path / "p" / "vocab.json").is_file()
    with pytest.raises(TypeError, match=r"pass str\(3\)"):
        main(["forecast", "--epochs", 3])
    with pytest.raises(TypeError, match=r"a list of strings, got str 'forecast --data x'"):
        main("forecast --data x")


def test_a_compressed_input_on_stdin(tmp_path, cache, monkeypatch, capsys):
    # a gzip text on stdin was "-: looks like a binary file (contains NUL bytes ...)" where
    # the same file was read (.txt.gz); a compressed CSV's advice was "`gunzip -k -`"
    import gzip

    text = "a cat sat. a dog ran. " * 30
    _stdin(monkeypatch, gzip.compress(text.encode()))
    assert main(["lm", "prepare", "-", "--out", str(tmp_path / "p")]) == 0
    assert _kept(cache).name.endswith(".txt.gz")
    assert "prepared 660 characters" in capsys.readouterr().out
    # a compressed CSV on stdin is read as the same file named .csv.gz is (it was refused,
    # "unpack it in the pipe"), and kept under a name that says so (it was kept as .csv)
    for packed in (gzip.compress(AIRLINE.read_bytes()), AIRLINE.read_bytes()):
        _stdin(monkeypatch, packed)
        out = tmp_path / f"bt{len(packed)}"
        code, err = run(["backtest", "--data", "-", "--model", "naive", "--horizon", "3",
                         "--baselines", "naive", "--out", str(out)], capsys)
        assert code == 0, err
    kept = sorted(p.name[16:] for p in cache.iterdir() if ".csv" in p.name)
    assert kept == [".csv", ".csv.gz"], kept
    packed, plain = (tmp_path / f"bt{len(gzip.compress(AIRLINE.read_bytes()))}",
                     tmp_path / f"bt{len(AIRLINE.read_bytes())}")
    assert (packed / "forecasts.csv").read_text() == (plain / "forecasts.csv").read_text()


def test_print_config_reads_no_stdin(cache, monkeypatch, capsys):
    # was: it read standard input, kept it and printed the copy's path, running nothing
    _stdin(monkeypatch, AIRLINE.read_bytes())
    assert main(["forecast", "--data", "-", "--print-config"]) == 0
    said = capsys.readouterr()
    assert json.loads(said.out)["options"]["data"] == "-" and said.err == ""
    assert not cache.exists()


@pytest.mark.slow
def test_a_named_pipe_nobody_writes_to_is_refused_after_a_wait(tmp_path, cache, monkeypatch,
                                                               capsys):
    # a mkfifo pipe with no writer: reading it blocked forever (the hostile sweep's
    # `lm train --corpus fifo` hung); a writer that comes within the wait is read
    import threading

    from rnnlab.io import stdin_input

    monkeypatch.setattr(stdin_input, "PIPE_WAIT_SECONDS", 0.5)
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    code = main(["lm", "train", "--corpus", str(fifo), *TINY_LM, "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 1 and "a named pipe no program wrote to in 0.5 s" in err
    assert not (tmp_path / "r").exists()
    monkeypatch.setattr(stdin_input, "PIPE_WAIT_SECONDS", 30)
    text = b"a cat sat. a dog ran. " * 30

    def write():
        with open(fifo, "wb") as f:
            f.write(text)

    writer = threading.Timer(0.3, write)
    writer.start()
    try:
        assert main(["lm", "train", "--corpus", str(fifo), *TINY_LM,
                     "--out", str(tmp_path / "w")]) == 0
    finally:
        writer.join(30)
    assert _kept(cache).read_bytes() == text
