"""Review of robust29: records that are no regular file (a folder, a named pipe, a link
that loops) are named by what stands there, with a way out that loses nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from rnnlab.io.errors import DataError

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_damaged_model_json29 import lm_run  # noqa: E402,F401 (a fixture: a tiny lm run)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_read_json_of_no_file_asks_for_nothing_to_be_deleted(tmp_path, kind):
    """It said "restore it or remove the run directory": removing the run throws away its
    checkpoints and model, which are good."""
    from rnnlab.io.json_file import read_json

    p = tmp_path / "config.json"
    (os.mkfifo if kind == "fifo" else os.mkdir)(p)
    with pytest.raises(DataError) as got:
        read_json(p, error=DataError)
    said = str(got.value)
    assert "remove the run directory" not in said, said
    assert f"move it aside (mv {p} {p}.bad) and put the file back from a copy" in said, said


def _odd(p, kind: str) -> None:
    if kind == "folder":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    else:
        p.symlink_to(p.name)  # (a link that loops)


SAID = {"folder": "is a folder, not a JSON file", "fifo": "is a device, pipe or socket",
        "loop": "a symbolic link that loops"}


def _sweep(tmp_path, broken: str):
    """Two finished forecast runs under tmp_path/sweep; ``broken`` of run a taken away."""
    from rnnlab.io.json_file import checksummed_text

    for name in "ab":
        run = tmp_path / "sweep" / name
        run.mkdir(parents=True)
        (run / "config.json").write_text(checksummed_text(
            {"config": {"hidden_size": 4}, "seed": 0,
             "command": ["rnnlab", "forecast", "--out", str(run)]}))
        (run / "metrics.json").write_text('{"forecast": {"model": {"rmse": 1.5}}}')
    (tmp_path / "sweep" / "a" / broken).unlink()
    return tmp_path / "sweep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["metrics.json", "config.json"])
@pytest.mark.parametrize("kind", sorted(SAID))
def test_runs_names_a_record_that_is_no_file(tmp_path, capsys, name, kind):
    """A metrics.json that is a folder, pipe or loop was passed over (the row without its
    metrics, said nowhere) while an empty one is refused; a config.json such left the run
    out of the table, or said "holds no run directory" of the run itself."""
    from fuzz_files import time_limit
    from rnnlab.cli import main

    sweep = _sweep(tmp_path, name)
    _odd(sweep / "a" / name, kind)
    for given in (sweep, sweep / "a"):
        with time_limit(30):
            code = main(["runs", str(given)])
        out, err = capsys.readouterr()
        # (the sweep: the other runs listed, exit status 1 as `ls` and `grep -r` give; the
        # run alone: no table)
        listed = [line.split(",")[0] for line in out.splitlines()[1:]]
        assert code == 1 and listed == ([str(sweep / "b")] if given == sweep else []), \
            (code, out, err)
        assert f"{sweep / 'a' / name}: {SAID[kind]}" in err, err
        assert "holds no run directory" not in err, err
    assert os.path.lexists(sweep / "a" / name)


def _checkpoint(tmp_path, legacy: bool = False):
    """A checkpoint folder CheckpointManager wrote; ``legacy``: its meta.json names an
    earlier rnnlab's train_state.pt instead (the file itself is then made by the test)."""
    import json

    import torch

    from rnnlab.io.json_file import checksummed_text
    from rnnlab.train.checkpoint import CheckpointManager

    folder = CheckpointManager(tmp_path / "checkpoints").save(
        1, {"w": torch.zeros(2)}, {"epoch": 1}, {})
    if legacy:
        meta = json.loads((folder / "meta.json").read_text())
        meta["files"] = {"model.safetensors": meta["files"]["model.safetensors"],
                         "train_state.pt": "0" * 64}
        (folder / "meta.json").write_text(checksummed_text(meta))
        (folder / "train_state.safetensors").unlink()
    return folder


STATE = {"folder": "expected a {} file, found a folder; move it aside",
         "fifo": "expected a {} file, found a device, pipe or socket; move it aside"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize("kind", sorted(STATE))
def test_a_training_state_that_is_no_file_is_named(tmp_path, kind, legacy):
    """It said "train_state.safetensors: missing; the checkpoint is incomplete" of a folder
    or a pipe standing there."""
    from fuzz_files import time_limit
    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import load_checkpoint_dir

    folder = _checkpoint(tmp_path, legacy)
    name = "train_state.pt" if legacy else "train_state.safetensors"
    (folder / name).unlink(missing_ok=True)
    _odd(folder / name, kind)
    with time_limit(20), pytest.raises(CheckpointError) as got:
        load_checkpoint_dir(folder)
    said = str(got.value)
    assert "missing" not in said, said
    expected = STATE[kind].format("training state" if legacy else "weights")
    if not legacy:  # (read_header's word)
        expected = expected.replace("a folder", "a directory")
    assert f"{folder / name}: {expected}" in said, said


@pytest.mark.parametrize("legacy", [False, True])
def test_a_training_state_absent_is_still_missing(tmp_path, legacy):
    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import load_checkpoint_dir

    folder = _checkpoint(tmp_path, legacy)
    name = "train_state.pt" if legacy else "train_state.safetensors"
    (folder / name).unlink(missing_ok=True)
    with pytest.raises(CheckpointError, match="missing; the checkpoint is incomplete"):
        load_checkpoint_dir(folder)


def test_a_meta_json_that_loops_is_named(tmp_path):
    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import load_checkpoint_dir

    folder = _checkpoint(tmp_path)
    (folder / "meta.json").unlink()
    _odd(folder / "meta.json", "loop")
    with pytest.raises(CheckpointError, match=r"meta\.json: a symbolic link that loops"):
        load_checkpoint_dir(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_lm_resume_refuses_an_odd_metrics_csv_before_it_trains(lm_run, tmp_path, capsys,
                                                               monkeypatch, kind):
    """metrics.csv was read at the first epoch's end: an epoch trained before the
    refusal (its work thrown away)."""
    import shutil

    from fuzz_files import time_limit
    from rnnlab.cli import main
    from rnnlab.lm.api import CharLM

    def trained(*a, **k):
        raise AssertionError("lm train --resume trained before refusing metrics.csv")

    monkeypatch.setattr(CharLM, "fit", trained)

    run = tmp_path / "run"
    shutil.copytree(lm_run, run)
    (run / "metrics.csv").unlink()
    _odd(run / "metrics.csv", kind)
    before = {p.relative_to(run): p.read_bytes() for p in (run / "checkpoints").rglob("*")
              if p.is_file()}
    capsys.readouterr()
    with time_limit(120):
        code = main(["lm", "train", "--resume", str(run), "--epochs", "4"])
    err = capsys.readouterr().err
    assert code == 1 and "where rnnlab keeps the run's metrics" in err, err
    after = {p.relative_to(run): p.read_bytes() for p in (run / "checkpoints").rglob("*")
             if p.is_file()}
    assert after == before
    assert os.path.lexists(run / "metrics.csv")


@pytest.mark.parametrize("command", [["forecast", "--data", "airline"],
                                     ["lm", "train", "--corpus", "time-machine"]])
@pytest.mark.parametrize("given", ["option", "yaml"])
def test_epochs_past_int64_is_refused_before_training(tmp_path, capsys, command, given):
    """``epochs: 99999999999999999999999`` (or --epochs so) was taken, and the run trained
    until killed; the same bound on the command line and in a --config file."""
    from fuzz_files import time_limit
    from rnnlab.cli import main

    huge = "9" * 23
    (tmp_path / "c.yaml").write_text(f"epochs: {huge}\n")
    how = ["--epochs", huge] if given == "option" else ["--config", str(tmp_path / "c.yaml")]
    with time_limit(60):
        code = main([*command, *how, "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert f"epochs must be at most 2**63 - 1 (int64's largest, as for seeds), got {huge}" \
        in err, err


def test_epochs_bound_is_int64_and_huge_values_are_cut_short():
    from rnnlab.io.errors import ConfigError
    from rnnlab.train.config import TrainConfig

    assert TrainConfig(epochs=2 ** 63 - 1).epochs == 2 ** 63 - 1
    with pytest.raises(ConfigError, match=r"got 9223372036854775808: no run"):
        TrainConfig(epochs=2 ** 63)
    with pytest.raises(ConfigError, match=r"got 10000000000000000000\.\.\. \(4001 digits\)"):
        TrainConfig(epochs=10 ** 4000)


def test_a_cut_date_in_a_long_panel_is_found_without_parsing_each_row(tmp_path, monkeypatch):
    """The row of a date cut short was found by parsing the column's values one at a
    time: 28 s for 40,000 rows before the error was said. Now the distinct values are
    parsed in one call; the row named is the same."""
    import pandas as pd

    from rnnlab.panel.long_table import column_dates

    dates = [f"{2000 + i // 12}-{i % 12 + 1:02d}-01" for i in range(40)]
    col = pd.Series(dates * 50 + ["2002-0"] + dates)
    calls = []
    real = pd.to_datetime
    monkeypatch.setattr(pd, "to_datetime", lambda *a, **k: calls.append(1) or real(*a, **k))
    with pytest.raises(DataError) as got:
        column_dates(col, "p.csv", "ds")
    said = str(got.value)
    assert "date column 'ds' has values that are not dates" in said, said
    assert "row 2000: '2002-0'); write them as ISO dates" in said, said
    assert len(calls) <= 5, len(calls)  # (it was one per row: 2,000 and more)


def test_the_readme_says_what_a_path_that_is_no_file_gets(tmp_path):
    """The README said nothing of these refusals; what it says matches the messages."""
    from rnnlab.io.unreadable import absent, read_failure

    text = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(
        encoding="utf-8").split())
    assert "A path that names no file rnnlab can read is refused" in text
    link = tmp_path / "d.csv"
    link.symlink_to(link.name)
    assert "ln -sfn FILE" in absent(link, "") and "`ln -sfn FILE LINK` mends it" in text
    import errno
    assert "chmod u+r" in read_failure(link, PermissionError(errno.EACCES, "")) and \
        "(`chmod u+r`)" in text
    assert "`rnnlab runs` leaves such a run out of its table, naming it" in text
    assert "`lm train --resume` refuses it before it trains" in text


def test_a_link_whose_target_may_not_be_reached_is_not_called_missing(tmp_path,
                                                                       monkeypatch):
    """A link into a folder the user may not enter: stat says permission denied, and the
    message said the target "does not exist" (run as root, the test stands in for it)."""
    import errno
    import types

    from rnnlab.io import unreadable

    link = tmp_path / "d.csv"
    link.symlink_to("private/d.csv")

    def denied(path, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(unreadable, "os", types.SimpleNamespace(readlink=os.readlink,
                                                                 stat=denied))
    said = unreadable.absent(link, "give a CSV")
    assert "does not exist" not in said, said
    assert f"{link}: a symbolic link to private/d.csv, which you may not reach (permission " \
           f"denied)" in said, said


EDGE = 2 ** 1024 - 1  # (past the largest double by more than half its step: float() fails)


def test_a_whole_number_just_under_2_to_the_1024_reads_as_infinite():
    """Those from 2**1024 - 2**970 to 2**1024 were not caught: OverflowError again."""
    import math

    import pandas as pd

    from rnnlab.data.csv_floats import exact_to_numeric

    got = exact_to_numeric(pd.Series([1, EDGE, -EDGE], dtype=object), errors="coerce")
    assert got.tolist() == [1.0, math.inf, -math.inf]
    largest = int(1.7976931348623157e308)  # (the largest double: read as itself)
    assert exact_to_numeric(pd.Series([1, largest], dtype=object)).tolist()[1] == largest


@pytest.mark.parametrize("column", [None, "value"])
def test_a_csv_with_such_a_number_is_refused_naming_its_row(tmp_path, column):
    """It said "cannot be used as a series (OverflowError: int too large to convert to
    float)", naming no row."""
    from rnnlab.data.series import load_series

    rows = ["date,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d}-01,"
                             f"{EDGE if i == 30 else 100 + i % 12}" for i in range(48)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as got:
        load_series(tmp_path / "d.csv", column=column)
    said = str(got.value)
    assert "OverflowError" not in said, said
    assert ("(row 30: 179769313486... of 309 digits)" if column is None else
            "has infinite values (rows 2002-07-01)") in said, said


def test_a_long_number_within_a_double_is_not_called_past_it(tmp_path):
    """A text column's number of 301 to 308 digits (10**305) was said to be "past a
    double's range of about 1.8e308"."""
    from rnnlab.data.series import load_series

    big = "1" + "0" * 305
    rows = ["date,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d}-01,"
                             f"{big if i == 30 else 'n.a.' if i == 5 else 100 + i % 12}"
                             for i in range(48)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as got:
        load_series(tmp_path / "d.csv")
    said = str(got.value)
    assert "past a double's range" not in said, said
    assert "row 5: 'n.a.'" in said, said


def test_a_column_with_a_number_past_64_bits_says_why_and_how(tmp_path):
    """A 31-digit whole number (within a double) made pandas keep the column as Python
    ints: "no numeric column among ['value']; pass column=NAME", no reason given."""
    from rnnlab.data.series import load_series

    rows = ["date,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d}-01,"
                             f"{10 ** 30 if i == 30 else 100 + i % 12}" for i in range(48)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as got:
        load_series(tmp_path / "d.csv")
    said = str(got.value)
    assert "column 'value' holds whole numbers too long for 64 bits (row 30: 1" + "0" * 30 \
        + "), which pandas keeps as text: pass column='value'" in said, said
    assert load_series(tmp_path / "d.csv", column="value").values[30] == 1e30  # (as said)
