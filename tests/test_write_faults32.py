"""Failures of the machine, not of the input (session 32): a write that fails (a full disk,
no permission) at one step of saving a checkpoint or setting a run aside names the file the
user knows, not a temporary deleted by then, and loses nothing the user had."""

import builtins
import errno
import io
import os

import pytest
import torch
from finished_runs import finished_run

from rnnlab.train.checkpoint import CheckpointManager

WEIGHTS = {"w": torch.arange(6.0).reshape(2, 3)}
STATE = {"epoch": 1}


def _failing(monkeypatch, name: str, which: str, code=errno.ENOSPC):
    """``os.<which>`` (``open``: the builtin) raises ``code`` the first time it is called on
    a path holding ``name`` (as the system does: the error names the path given)."""
    where = builtins if which == "open" else os
    real = getattr(where, which)

    def call(path, *args, **kwargs):
        if name in os.fspath(path) and not call.fired:
            call.fired = True
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real(path, *args, **kwargs)
    call.fired = False
    monkeypatch.setattr(where, which, call)
    return call


@pytest.mark.parametrize("which, name", [("open", "model.safetensors"),  # a file in it
                                         ("open", "meta.json"),
                                         ("mkdir", ".ckpt-"),            # its folder
                                         ("replace", ".ckpt-")])         # its rename
def test_a_checkpoint_that_cannot_be_written_is_named_not_its_temporary(
        tmp_path, monkeypatch, which, name):
    """It named ``.ckpt-00000002.x1mljz2o/meta.json``: a folder that is gone when read."""
    mgr = CheckpointManager(tmp_path)
    mgr.save(1, WEIGHTS, STATE, {"epoch": 1})
    fault = _failing(monkeypatch, name, which)
    with pytest.raises(OSError) as got:
        mgr.save(2, WEIGHTS, STATE, {"epoch": 2})
    assert fault.fired
    assert got.value.errno == errno.ENOSPC
    in_it = "" if name == ".ckpt-" else f"/{name}"  # (the file that failed, in the folder)
    assert got.value.filename == str(tmp_path / "ckpt-00000002") + in_it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-00000001", "latest.json"]
    assert mgr.load()[2]["step"] == 1  # the last good one is the one loaded


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _writes_failing(monkeypatch, name: str, code: int) -> None:
    """Every way of writing a file whose path holds ``name`` raises ``code``: open and
    io.open for writing, os.open for writing (mkstemp's), os.replace onto it."""
    real_open, real_os_open, real_replace = io.open, os.open, os.replace

    def refuse(path):
        raise OSError(code, os.strerror(code), os.fspath(path))

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and name in os.fspath(file) \
                and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def os_open(path, flags, *args, **kwargs):
        if name in os.fspath(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def replace(src, dst, *args, **kwargs):
        if name in os.fspath(dst):
            refuse(src)
        return real_replace(src, dst, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_overwrite_that_cannot_record_what_it_set_aside_puts_the_run_back(
        tmp_path, monkeypatch, code):
    """--overwrite moved the finished run into .run.previous, then could not write the
    record naming it (.rnnlab-replacing): the run stayed hidden there, nothing put it back,
    and the message said "files already written are kept as they were"."""
    from rnnlab.io.rundir import prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "good")
    before = _files(run)
    _writes_failing(monkeypatch, "rnnlab-replacing", code)
    with pytest.raises(OSError) as got:
        prepare_run_dir(run, overwrite=True)
    assert got.value.errno == code and got.value.filename == str(run / ".rnnlab-replacing")
    assert _files(run) == before  # the finished run, where it was
    assert not os.path.lexists(previous_of(run))


def test_an_out_that_is_a_link_to_nothing_is_refused_saying_so(tmp_path):
    """It said "cannot use DIR: File exists; choose a path you can read and write": the
    link was not named as the cause."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import prepare_run_dir

    link = tmp_path / "run"
    link.symlink_to(tmp_path / "gone")
    for overwrite in (False, True):
        with pytest.raises(RunDirError, match="a link to nothing") as got:
            prepare_run_dir(link, overwrite=overwrite)
        assert str(tmp_path / "gone") in str(got.value) and "--out" in str(got.value)
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_an_output_file_that_is_a_link_to_nothing_is_not_replaced_unasked(tmp_path):
    """--output LINK, LINK leading nowhere (yet): the link was replaced by the forecasts'
    file without --overwrite, as no file stood there."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.output_file import check_output_file

    link = tmp_path / "latest.csv"
    link.symlink_to(tmp_path / "results" / "2026-12.csv")
    with pytest.raises(RunDirError, match="a link to nothing.*--overwrite"):
        check_output_file(str(link), overwrite=False)
    assert link.is_symlink()
    assert check_output_file(str(link), overwrite=True) == link


def test_a_model_saved_to_a_link_to_nothing_is_refused_saying_so(tmp_path):
    """save(LINK), LINK leading nowhere: Python's bare "[Errno 17] File exists"."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.model_dir import save_model_dir

    link = tmp_path / "model"
    link.symlink_to(tmp_path / "gone")
    for overwrite in (False, True):
        with pytest.raises(CheckpointError, match=r"model: is a link to nothing \(to .*gone\)"):
            save_model_dir(link, torch.nn.Linear(2, 1), "test", {}, {}, overwrite=overwrite)
    assert link.is_symlink() and not (tmp_path / "gone").exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_overwrite_of_an_unfinished_replacement_that_cannot_record_keeps_the_record(
        tmp_path, monkeypatch, code):
    """--overwrite of a replacement that never finished, the last finished run already in
    .run.previous: the replacement and its record (.rnnlab-replacing) were deleted before
    the new record was written, so a failure there left the kept run with no record: a
    later run here finished without putting it back, and an --overwrite after that kept
    the older run and deleted the newer one."""
    from rnnlab.io.rundir import REPLACING_NAME, prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "good")
    prepare_run_dir(run, overwrite=True)  # the finished run set aside...
    (run / "metrics.json").write_text("half")  # ...and its replacement stopped half-way
    aside = previous_of(run)
    before, kept = _files(run), _files(aside)
    assert (run / REPLACING_NAME).read_text().strip() == aside.name
    _writes_failing(monkeypatch, "rnnlab-replacing", code)
    with pytest.raises(OSError) as got:
        prepare_run_dir(run, overwrite=True)
    assert got.value.errno == code
    assert _files(run) == before  # the record naming the kept run still there
    assert _files(aside) == kept


@pytest.mark.parametrize("name", ["compare", "recipe run", "backtest"])
def test_a_write_failure_of_a_run_its_command_redoes_does_not_ask_for_overwrite(
        tmp_path, name):
    """compare (and a backtest) killed or failing while writing its results is run again
    from the start by the same command alone (README): a full disk at its plots said to
    run it again with --overwrite."""
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import prepare_run_dir
    from rnnlab.io.write_failure import describe_write_failure

    run = tmp_path / "cmp"
    with running([*name.split(), "--data", "x.csv", "--out", str(run)]):
        prepare_run_dir(run, resumable=False)
        (run / "summary.csv").write_text("model,rmse\n")  # results, then plots failed
        full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(run / "curves.png"))
        said = describe_write_failure(full, str(run), name)
        assert "run the same command again" in said and "--overwrite" not in said
        prepare_run_dir(run, resumable=False)  # the advice works: the same command alone
    assert not (run / "summary.csv").exists()
    with running([*name.split(), "--data", "y.csv", "--out", str(run)]):
        (run / "summary.csv").write_text("model,rmse\n")
        said = describe_write_failure(full, str(run), name)  # (another command: refused
    assert "--overwrite" in said  # without it)


def test_lm_prepare_into_a_link_to_nothing_is_refused_saying_so(tmp_path, capsys):
    """`lm prepare --out LINK`, LINK leading nowhere: "cannot use LINK: File exists; choose
    a path you can read and write", as --out of a run directory said before session 32."""
    from rnnlab.cli import main

    text = tmp_path / "t.txt"
    text.write_text("some text to prepare, long enough for a corpus.\n" * 40)
    link = tmp_path / "prep"
    link.symlink_to(tmp_path / "gone")
    assert main(["lm", "prepare", str(text), "--out", str(link)]) == 1
    err = capsys.readouterr().err
    assert f"{link}: is a link to nothing (to {tmp_path / 'gone'})" in err, err
    assert "--out" in err and "File exists" not in err
    assert link.is_symlink() and not (tmp_path / "gone").exists()
    (tmp_path / "gone").mkdir()  # the way it names works: the folder it leads to is made
    assert main(["lm", "prepare", str(text), "--out", str(link)]) == 0
    assert (tmp_path / "gone" / "corpus.json").is_file()
