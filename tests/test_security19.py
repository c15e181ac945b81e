"""Security review (session 19): what the loader fuzzing (tests/test_loader_fuzz*.py)
does not reach. Crafted files must be refused with rnnlab's errors, never run code,
never read without bound, and what rnnlab writes keeps the user's usual permissions."""

from __future__ import annotations

import json
import os
import stat
import struct
from pathlib import Path

import pytest

from rnnlab.io.errors import CheckpointError, RunDirError


def _cap_address_space(more: int):
    """Cap this process' address space at what it holds now plus ``more`` bytes (so reading
    a huge file whole fails fast); returns the limits to restore. Was a fixed 4 or 6 GiB:
    a CUDA build of torch (and torch.compile's workers) holds more than that before the
    test starts, so every allocation failed (MemoryError reading a file of 15 bytes)."""
    import resource

    with open("/proc/self/status") as f:
        held = next(int(line.split()[1]) << 10 for line in f if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = held + more if hard == resource.RLIM_INFINITY else min(hard, held + more)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return soft, hard


def _safetensors(path: Path, header: bytes, data: bytes = b"") -> Path:
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    return path


# -- a safetensors header nested too deeply, or with an integer Python refuses to parse --

DEEP = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
HUGE_INT = b'{"a":{"dtype":"F32","shape":[' + b"9" * 5000 + b'],"data_offsets":[0,0]}}'


@pytest.mark.parametrize("header", [DEEP, HUGE_INT], ids=["nested", "long-integer"])
@pytest.mark.parametrize("reader", ["load_weights", "header_shapes", "load_tree"])
def test_safetensors_header_that_json_cannot_hold_is_refused(tmp_path, header, reader):
    from rnnlab.io import tree_file, weights

    fn = getattr(tree_file if reader == "load_tree" else weights, reader)
    path = _safetensors(tmp_path / "model.safetensors", header)
    with pytest.raises(CheckpointError, match="model.safetensors"):
        fn(path)


def test_forecaster_weights_nested_too_deeply_are_refused(tmp_path):
    """Through a loader entry point: the hash recorded again, so only the header is wrong."""
    import hashlib

    from fuzz_files import saved_tiny_forecaster, write_json
    from rnnlab.forecast import Forecaster

    folder, _ = saved_tiny_forecaster(tmp_path / "m")
    w = _safetensors(folder / "model.safetensors", DEEP)
    doc = json.loads((folder / "model.json").read_bytes())
    doc["weights_sha256"] = hashlib.sha256(w.read_bytes()).hexdigest()
    write_json(folder / "model.json", doc, True)
    with pytest.raises(CheckpointError, match="model.safetensors"):
        Forecaster.load(folder)


# -- a run directory's lock file: read with a bound, its link not followed ------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("overwrite", [False, True])
def test_lock_linked_to_dev_zero_is_not_read_forever(tmp_path, overwrite):
    """``.lock -> /dev/zero`` in a run directory (a crafted one): reading the holder's PID
    read /dev/zero until memory ran out (MemoryError, or the machine swapping)."""
    import resource

    from rnnlab.io.rundir import prepare_run_dir

    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("x\n")
    (run / "notes.txt").write_text("results\n")
    os.symlink("/dev/zero", run / ".lock")
    soft, hard = _cap_address_space(2 << 30)
    try:
        if overwrite:
            prepare_run_dir(run, overwrite=True)
        else:
            with pytest.raises(RunDirError, match="already exists"):
                prepare_run_dir(run)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert os.path.exists("/dev/zero")  # (the link itself, never its target)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_lock_that_is_a_fifo_does_not_block(tmp_path):
    """A FIFO named ``.lock``: opening it to read the PID waited for a writer forever."""
    from rnnlab.io.rundir import prepare_run_dir

    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("x\n")
    os.mkfifo(run / ".lock")
    assert prepare_run_dir(run, overwrite=True) == run


def test_lock_of_a_live_process_is_still_honoured(tmp_path):
    from rnnlab.io.runlock import RunLock

    run = tmp_path / "run"
    run.mkdir()
    (run / ".lock").write_text(f"{os.getppid()}")
    with pytest.raises(RunDirError, match=f"PID {os.getppid()}"):
        RunLock(run).check_free()


def test_lock_linked_to_a_lock_elsewhere_is_not_followed(tmp_path):
    """A ``.lock`` that is a link names no holder of this folder (the file it points to
    may be any process's): the lock is taken, the link replaced, its target untouched."""
    from rnnlab.io.runlock import RunLock

    other = tmp_path / "other.lock"
    other.write_text(f"{os.getppid()}")
    run = tmp_path / "run"
    run.mkdir()
    os.symlink(other, run / ".lock")
    with RunLock(run) as lock:
        assert lock.held and not (run / ".lock").is_symlink()
    assert other.read_text() == f"{os.getppid()}"


# -- permissions: a folder rnnlab makes has the umask's mode, as a plain mkdir gives ------

@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_lm_prepare_overwrite_keeps_the_folders_usual_mode(tmp_path, umask_022):
    """``lm prepare --overwrite`` built the new corpus in a mkdtemp folder (mode 0700) and
    renamed it into place: the corpus became unreadable by the user's group, unlike the
    same command without --overwrite (0755)."""
    from rnnlab.cli import main

    src = tmp_path / "c.txt"
    src.write_text("the quick brown fox jumps over the lazy dog.\n" * 20, encoding="utf-8")
    out = tmp_path / "prep"
    assert main(["lm", "prepare", str(src), "--out", str(out)]) == 0
    first = stat.S_IMODE(out.stat().st_mode)
    assert first == 0o755
    assert main(["lm", "prepare", str(src), "--out", str(out), "--overwrite"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == first


# -- a gzip-compressed panel: checked as the CSV it decompresses to, read with a bound -----

def _gz(path: Path, text_parts, times: int) -> Path:
    import gzip

    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(text_parts[0])
        for _ in range(times):
            f.write(text_parts[1])
    return path


@pytest.mark.parametrize("case", ["rows", "one-line"])
def test_panel_gzip_decompressing_past_the_csv_limit_is_refused(tmp_path, monkeypatch, case):
    """A panel ``.csv.gz`` went to pandas unchecked: a small file decompressing to more
    than a CSV may hold (a plain CSV of that size is refused), or to one line of any
    length, was read whole into memory. (The limits made small here, as a file of
    256 MiB would be slow to write.)"""
    from rnnlab.data import csv_file
    from rnnlab.io.errors import DataError
    from rnnlab.panel.frame import read_panel

    import pandas as pd

    if case == "rows":  # a sound panel, only larger than a CSV may be
        dates = pd.date_range("2000-01-01", periods=40_000, freq="h").strftime("%Y-%m-%d %H:%M")
        body = "".join(f"{u},{d},1.0\n" for u in "ab" for d in dates).encode()
        parts, times, why = [b"unique_id,ds,y\n" + body, b""], 0, "decompresses to more than"
        monkeypatch.setattr(csv_file, "MAX_CSV_BYTES", 1 << 20)
    else:
        parts, times, why = [b"unique_id,ds,y\na,2020-01-01,", b"1" * 1000], 1500, "longer than"
    path = _gz(tmp_path / "panel.csv.gz", parts, times)
    assert path.stat().st_size < 1 << 20  # (small on disk)
    with pytest.raises(DataError, match=f"panel.csv.gz.*{why}"):
        read_panel(str(path))


def test_panel_gzip_within_the_limits_still_loads(tmp_path):
    from rnnlab.panel.frame import read_panel

    rows = "".join(f"{u},2020-01-{d:02d},{d}.0\n" for u in "ab" for d in range(1, 29))
    path = _gz(tmp_path / "panel.csv.gz", [b"unique_id,ds,y\n" + rows.encode(), b""], 0)
    frame = read_panel(str(path))
    assert len(frame.df) == 56


def test_choosing_the_panel_reader_reads_one_line_at_most(tmp_path, monkeypatch):
    """``rnnlab forecast --data FILE`` looked for a unique_id column with pandas, which
    read the whole first line: a file of one endless line was read whole before any
    check. Now the header alone, up to the CSV line limit."""
    import argparse

    import pandas as pd

    from rnnlab.panel import wants_panel

    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.write(b"unique_id,ds,y" + b"x" * (4 << 20))
    calls = []
    real = pd.read_csv
    monkeypatch.setattr(wants_panel.pd, "read_csv",
                        lambda src, *a, **k: calls.append(src) or real(src, *a, **k))
    args = argparse.Namespace(data=str(big), given_options=frozenset(), model="lstm")
    assert wants_panel._wants_panel(args) is False  # (the reader then names the long line)
    assert all(not isinstance(c, (str, Path)) for c in calls)


# -- JSON nested just under what json.loads takes -----------------------------------------

@pytest.mark.parametrize("depth", [150, 900])
def test_json_nested_deep_is_refused_when_read(tmp_path, depth):
    """read_json took arrays nested ~900 deep (json.loads refuses only past ~990), and the
    next recursive walk raised RecursionError: a resumed run rewriting its config.json."""
    from rnnlab.io.json_file import read_json

    path = tmp_path / "config.json"
    path.write_text('{"config": {"notes": ' + "[" * depth + "]" * depth + "}}")
    with pytest.raises(RunDirError, match="config.json.*nested"):
        read_json(path, RunDirError)


def test_resume_of_a_config_nested_deep_is_refused(tmp_path):
    from rnnlab.io.rundir import record_resume

    (tmp_path / "config.json").write_text('{"config": {}, "x": ' + "[" * 900 + "]" * 900 + "}")
    with pytest.raises(RunDirError, match="nested"):
        record_resume(tmp_path, {"epochs": 2})


def test_json_as_rnnlab_nests_it_still_reads(tmp_path):
    from rnnlab.io.json_file import read_json

    path = tmp_path / "config.json"
    doc = {"a": [{"b": [[1.0, 2.0]] * 3}] * 2, "c": list(range(1000))}
    path.write_text(json.dumps(doc))
    assert read_json(path) == doc


# -- every model loader, its weights replaced by a pickle that would run code ---------------

class _Payload:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _saved(kind: str, folder: Path) -> Path:
    import torch

    torch.manual_seed(0)
    if kind == "forecaster":
        from fuzz_files import saved_tiny_forecaster

        return saved_tiny_forecaster(folder)[0]
    if kind == "charlm":
        from rnnlab.lm import CharLM

        CharLM(model="gru", hidden_size=4, num_layers=1, embedding=2, dropout=0.0).fit(
            "abcab " * 20, seq_len=4, batch_size=2, epochs=1, progress=False).save(folder)
        return folder
    from test_loader_fuzz_models import _panel
    from rnnlab.panel.model import GlobalForecaster

    GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, hidden_size=2,
                     ensemble=1).fit(_panel()).save(folder)
    return folder


def _loader(kind: str):
    if kind == "forecaster":
        from rnnlab.forecast import Forecaster
        return Forecaster.load
    if kind == "charlm":
        from rnnlab.lm import CharLM
        return CharLM.load
    from rnnlab.panel.model import GlobalForecaster
    return GlobalForecaster.load


@pytest.mark.parametrize("form", ["pickle", "torch-zip"])
@pytest.mark.parametrize("kind", ["forecaster", "charlm", "panel"])
def test_model_weights_that_are_a_code_running_pickle_are_refused(tmp_path, kind, form):
    """The hash in model.json recorded again (an attacker rewrites both files): refused as
    a pickle, naming the file; the payload never runs, and torch.load is never called."""
    import hashlib
    import pickle
    from unittest import mock

    import torch

    from fuzz_files import write_json

    folder = _saved(kind, tmp_path / "m")
    marker = tmp_path / "ran"
    w = folder / "model.safetensors"
    if form == "pickle":
        w.write_bytes(pickle.dumps({"w": _Payload(marker)}, protocol=2))
    else:
        torch.save({"w": _Payload(marker)}, w)
    doc = json.loads((folder / "model.json").read_bytes())
    doc["weights_sha256"] = hashlib.sha256(w.read_bytes()).hexdigest()
    write_json(folder / "model.json", doc, True)
    with mock.patch.object(torch, "load", side_effect=AssertionError("torch.load called")):
        with pytest.raises(CheckpointError, match="model.safetensors.*never unpickles"):
            _loader(kind)(folder)
    assert not marker.exists()


def test_replacing_record_linked_to_a_huge_file_is_not_read_whole(tmp_path):
    """``.rnnlab-replacing`` (a line naming the folder set aside) linked to a large file:
    --overwrite read all of it to compare with one name."""
    import resource

    from rnnlab.io.rundir import prepare_run_dir

    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(8 << 30)  # (sparse: no disk used)
    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("x\n")
    (run / ".rnnlab-written").write_text('["result.txt"]\n')
    (run / "result.txt").write_text("1\n")
    os.symlink(big, run / ".rnnlab-replacing")
    aside = tmp_path / ".run.previous"
    aside.mkdir()
    (aside / ".rnnlab-run").write_text("x\n")
    (aside / "result.txt").write_text("0\n")
    soft, hard = _cap_address_space(2 << 30)
    try:
        prepare_run_dir(run, overwrite=True)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert big.stat().st_size == 8 << 30
    assert (aside / "result.txt").read_text() == "0\n"  # (the kept run stays)


# -- a config counting more layers than the weights hold: refused before it is built --------

@pytest.mark.parametrize("kind,key", [("charlm", "num_layers"), ("forecaster", "num_layers"),
                                      ("panel", "num_layers")])
def test_layer_count_past_the_weights_is_refused_unbuilt(tmp_path, monkeypatch, kind, key):
    """``"num_layers": 20000`` in a small model.json (its checksum recorded again): the
    model was built layer by layer on the meta device before the shapes were compared,
    minutes of CPU (a million layers: hours). Refused from the header's tensor count; the
    model is never built (500 here: the build it replaces takes a second)."""
    from fuzz_files import write_json
    from rnnlab.io import model_dir

    folder = _saved(kind, tmp_path / "m")
    doc = json.loads((folder / "model.json").read_bytes())
    doc["config"][key] = 500
    write_json(folder / "model.json", doc, True)
    monkeypatch.setattr(model_dir, "check_built_shapes",
                        lambda *a, **k: pytest.fail("built before the count was checked"))
    with pytest.raises(CheckpointError, match=f"model.json.*{key}=500, more than the \\d+ tensors"):
        _loader(kind)(folder)


def test_resume_with_a_layer_count_past_the_checkpoint_is_refused_unbuilt(tmp_path):
    """The resumed run's settings (its cli.json, edited) counting more layers than the
    checkpoint holds tensors: refused before the meta-device build, which for a count
    of a million did not end."""
    import torch

    from rnnlab.nn.registry import ModelSpec
    from rnnlab.train.checkpoint import CheckpointManager, check_resume_shapes

    CheckpointManager(tmp_path / "ck").save(1, torch.nn.GRU(2, 3).state_dict(), {}, {})

    def build():
        raise AssertionError("built before the count was checked")
    with pytest.raises(CheckpointError, match=r"cannot resume with model gru.*num_layers=500"):
        check_resume_shapes(build, tmp_path / "ck", "model gru, num_layers 500",
                            counts=ModelSpec("gru", input_size=2, hidden_size=3, num_layers=500))


def test_charlm_resume_with_many_more_layers_is_refused(tmp_path):
    from rnnlab.lm import CharLM

    text = "abcab " * 20
    kw = dict(seq_len=4, batch_size=2, progress=False, checkpoint_dir=tmp_path / "ck")
    CharLM(model="gru", hidden_size=4, num_layers=1, embedding=2, dropout=0.0).fit(
        text, epochs=1, **kw)
    with pytest.raises(CheckpointError, match="num_layers=500"):
        CharLM(model="gru", hidden_size=4, num_layers=500, embedding=2, dropout=0.0).fit(
            text, epochs=2, resume=True, **kw)


# -- a download read with a bound ---------------------------------------------------------

def test_stooq_download_is_read_with_a_bound(tmp_path, monkeypatch):
    """A response of any size (a proxy streaming forever) was read whole: ``r.read()``."""
    import urllib.request

    from rnnlab.data import stooq
    from rnnlab.io.errors import DataError

    class Endless:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n=-1):
            if n is None or n < 0:
                raise AssertionError("read without a bound")
            return b"x" * n

    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    monkeypatch.setattr(stooq, "MAX_DOWNLOAD_BYTES", 1000)
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: Endless())
    with pytest.raises(DataError, match="larger than 1,000 bytes"):
        stooq.fetch_stooq("AAPL.US", refresh=True)
    assert not list(tmp_path.rglob("*.csv"))  # (nothing cached)


# -- an older checkpoint's train_state.pt: a zip whose members are compressed --------------

def test_legacy_train_state_with_compressed_members_is_refused_unread(tmp_path, monkeypatch):
    """torch.save stores a zip's members uncompressed; one deflated was decompressed whole
    by torch.load (weights-only too): 400 KB of file gave 400 MB of memory. (A tensor of
    4 MB here.)"""
    import hashlib
    import zipfile

    import torch

    from fuzz_files import write_json
    from rnnlab.train.checkpoint import CheckpointManager

    mgr = CheckpointManager(tmp_path / "ck")
    folder = mgr.save(1, {"w": torch.ones(2)}, {"epoch": 1}, {})
    (folder / "train_state.safetensors").unlink()
    plain = tmp_path / "plain.pt"
    torch.save({"big": torch.zeros(1_000_000)}, plain)
    ts = folder / "train_state.pt"
    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(ts, "w") as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, zi.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    assert ts.stat().st_size < 100_000
    doc = json.loads((folder / "meta.json").read_bytes())
    doc["files"] = {"model.safetensors": doc["files"]["model.safetensors"],
                    "train_state.pt": hashlib.sha256(ts.read_bytes()).hexdigest()}
    write_json(folder / "meta.json", doc, True)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load reached"))
    with pytest.raises(CheckpointError, match="train_state.pt.*compressed"):
        mgr.load()


def test_legacy_train_state_as_torch_saves_it_still_loads(tmp_path):
    import hashlib

    import torch

    from fuzz_files import write_json
    from rnnlab.train.checkpoint import CheckpointManager

    mgr = CheckpointManager(tmp_path / "ck")
    folder = mgr.save(1, {"w": torch.ones(2)}, {"epoch": 1}, {})
    (folder / "train_state.safetensors").unlink()
    ts = folder / "train_state.pt"
    torch.save({"epoch": 1, "rng": torch.arange(4)}, ts)
    doc = json.loads((folder / "meta.json").read_bytes())
    doc["files"] = {"model.safetensors": doc["files"]["model.safetensors"],
                    "train_state.pt": hashlib.sha256(ts.read_bytes()).hexdigest()}
    write_json(folder / "meta.json", doc, True)
    _, state, _ = mgr.load()
    assert state["epoch"] == 1 and state["rng"].tolist() == [0, 1, 2, 3]
