"""A saved model whose model.json is there but is no file (a folder, a named pipe, a link
that loops or leads nowhere): the loader names model.json and what stands there. It was
taken for a model never saved: ``rnnlab lm generate --run`` said "an unfinished run (no
model/ yet)" and generated from the checkpoints' best weights (exit 0), and
``Forecaster.load(run)`` said "not a saved rnnlab model (no model.json)"."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main
from rnnlab.io.errors import CheckpointError

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from cli_run import tiny_lm_run  # noqa: E402
from fuzz_files import saved_tiny_forecaster  # noqa: E402

SAID = {"folder": "model.json: is a folder, not a JSON file",
        "fifo": "model.json: is a device, pipe or socket, not a JSON file",
        "loop": "model.json: a symbolic link that loops",
        "dangling": "model.json: a symbolic link to gone.json, which does not exist"}


def _damage(p: Path, kind: str) -> None:
    p.unlink()
    if kind == "folder":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "loop":
        p.symlink_to(p.name)
    else:
        p.symlink_to("gone.json")


@pytest.fixture(scope="module")
def lm_run(tmp_path_factory):
    run = tiny_lm_run(tmp_path_factory.mktemp("lm"))
    assert (run / "checkpoints").is_dir()  # (what the wrong path read)
    return run


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", sorted(SAID))
def test_lm_generate_names_the_damaged_model_json(lm_run, tmp_path, capsys, kind):
    run = tmp_path / "run"
    shutil.copytree(lm_run, run)
    _damage(run / "model" / "model.json", kind)
    capsys.readouterr()
    code = main(["lm", "generate", "--run", str(run), "--prefix", "a ", "-n", "5"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "", (code, out, err)
    assert SAID[kind] in err and "unfinished" not in err, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", sorted(SAID))
def test_forecaster_load_names_the_damaged_model_json(tmp_path, kind):
    from rnnlab.forecast import Forecaster

    model, _ = saved_tiny_forecaster(tmp_path)  # (tmp_path/model: a run's model folder)
    _damage(model / "model.json", kind)
    for given in (tmp_path, model):  # the run directory, and its model folder
        with pytest.raises(CheckpointError) as got:
            Forecaster.load(given)
        assert SAID[kind] in str(got.value), str(got.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind, said", [("fifo", "is a device, pipe or socket, where"),
                                        ("folder", "is a folder, where")])
def test_lm_metrics_csv_that_is_no_file_is_refused_not_waited_on(tmp_path, kind, said):
    """``lm train --resume`` read metrics.csv at its first epoch's end: a named pipe there
    waited for a writer forever (a hang), a folder said "[Errno 21] Is a directory"."""
    from fuzz_files import time_limit
    from rnnlab.io.errors import RunDirError
    from rnnlab.lm.metrics_rows import EpochRows

    (os.mkfifo if kind == "fifo" else os.mkdir)(tmp_path / "metrics.csv")
    with time_limit(20), pytest.raises(RunDirError) as got:
        EpochRows(str(tmp_path))(2, {"epoch": 2})
    assert f"metrics.csv: {said} rnnlab keeps the run's metrics" in str(got.value)
    assert os.path.lexists(tmp_path / "metrics.csv")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_lm_resume_with_a_pipe_for_metrics_csv_ends(lm_run, tmp_path, capsys):
    from fuzz_files import time_limit

    run = tmp_path / "run"
    shutil.copytree(lm_run, run)
    (run / "metrics.csv").unlink()
    os.mkfifo(run / "metrics.csv")
    capsys.readouterr()
    with time_limit(120):
        code = main(["lm", "train", "--resume", str(run), "--epochs", "2"])
    err = capsys.readouterr().err
    assert code == 1 and "metrics.csv: is a device, pipe or socket, where" in err, err
