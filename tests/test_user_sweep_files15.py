"""Session 15 sweep: what happens to users' files (outputs, model folders, inputs)."""

from __future__ import annotations

import errno

import pytest

from build_devices import record_build_devices
from cli_run import run


# --- a folder of the user's given as --out ------------------------------------------------

def test_out_folder_of_the_users_is_refused_without_advising_overwrite(tmp_path):
    """Was: "pass --overwrite to replace it", and --overwrite then refused the folder."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import prepare_run_dir

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(RunDirError) as e:
        prepare_run_dir(tmp_path)
    assert "holds files rnnlab did not write (notes.txt)" in str(e.value)
    assert "pass --overwrite" not in str(e.value)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# --- lm prepare --overwrite ---------------------------------------------------------------

def _prepare(tmp_path, capsys, text="hello world, hello again\n" * 20, *extra):
    src = tmp_path / "t.txt"
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text)
    return run(["lm", "prepare", str(src), "--out", str(tmp_path / "prep"), *extra], capsys)


def test_lm_prepare_overwrite_keeps_the_old_corpus_when_the_new_text_is_bad(tmp_path, capsys):
    """Was: the prepared corpus was deleted before the new text was read; a latin-1 file
    (or a typo in its path) left nothing."""
    assert _prepare(tmp_path, capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()}
    code, err = _prepare(tmp_path, capsys, "caf\xe9\n".encode("latin-1"), "--overwrite")
    assert code == 1 and "not valid UTF-8" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]  # no temporary


def test_lm_prepare_overwrite_keeps_the_old_corpus_on_a_full_disk(tmp_path, capsys, monkeypatch):
    import rnnlab.data.corpus_mmap as cm

    assert _prepare(tmp_path, capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()}

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cm, "_encode", full)
    code, err = _prepare(tmp_path, capsys, "other text entirely\n" * 5, "--overwrite")
    assert code != 0 and "no space left" in err.lower()
    assert {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]


def test_lm_prepare_overwrite_replaces_a_corpus(tmp_path, capsys):
    import json

    assert _prepare(tmp_path, capsys)[0] == 0
    code, err = _prepare(tmp_path, capsys, "xyz " * 50, "--overwrite")
    assert code == 0, err
    meta = json.loads((tmp_path / "prep" / "corpus.json").read_text())
    assert meta["tokens"] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]


@pytest.mark.parametrize("typed", ["prep/", "prep/../prep"])
def test_lm_prepare_overwrite_of_a_path_with_dots(tmp_path, capsys, monkeypatch, typed):
    """`--out prep/../prep`: the swap renamed prep away, and then its temporary folder
    (named through prep/..) could not be found; the old corpus was left aside, hidden,
    and the new one in a hidden temporary folder. The swap now uses the absolute path."""
    import json

    assert _prepare(tmp_path, capsys)[0] == 0
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.txt").write_text("xyz " * 50)
    code, err = run(["lm", "prepare", "t.txt", "--out", typed, "--overwrite"], capsys)
    assert code == 0, err
    assert json.loads((tmp_path / "prep" / "corpus.json").read_text())["tokens"] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]
    assert sorted(p.name for p in (tmp_path / "prep").iterdir()) == [
        "corpus.json", "tokens.bin", "vocab.json"]


def test_lm_prepare_overwrite_of_the_working_folder_is_refused(tmp_path, capsys, monkeypatch):
    """`--out .` from inside a prepared corpus: the temporary folder was made inside the
    corpus (the parent of '.' is '.') and the swap failed, 'cannot use .: Device or
    resource busy' (before today's swap the corpus was deleted first, then the same
    failure). Replacing the working folder would leave the shell in a deleted folder:
    refused, saying where to run it from; the corpus is kept."""
    assert _prepare(tmp_path, capsys)[0] == 0
    before = (tmp_path / "prep" / "tokens.bin").read_bytes()
    monkeypatch.chdir(tmp_path / "prep")
    code, err = run(["lm", "prepare", str(tmp_path / "t.txt"), "--out", ".", "--overwrite"],
                    capsys)
    assert code == 1 and "is the working folder" in err and "--out prep" in err, err
    assert (tmp_path / "prep" / "tokens.bin").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "prep").iterdir()) == [
        "corpus.json", "tokens.bin", "vocab.json"]


def test_lm_prepare_says_what_overwrite_does(tmp_path, capsys):
    """Was: "use --overwrite" to a folder of the user's, and the same words again when
    --overwrite was given."""
    (tmp_path / "prep").mkdir()
    (tmp_path / "prep" / "notes.txt").write_text("mine")
    code, err = _prepare(tmp_path, capsys, "abc " * 10, "--overwrite")
    assert code == 1 and "not a prepared corpus" in err and "choose another --out" in err
    assert (tmp_path / "prep" / "notes.txt").read_text() == "mine"


# --- a compressed CSV, a spreadsheet named .csv -------------------------------------------

@pytest.mark.parametrize("pack, word, todo", [
    ("gzip", "gzip-compressed", "gunzip -k"), ("bz2", "bzip2-compressed", "bunzip2 -k"),
    ("lzma", "xz-compressed", "unxz -k")])
def test_a_compressed_csv_is_named_with_what_to_do(tmp_path, pack, word, todo):
    """Was: "contains NUL bytes; this looks like a binary file" (gzip) or "not valid UTF-8
    ... is latin-1: iconv" (a packed file without a NUL byte early on)."""
    import importlib

    from rnnlab.data.csv_file import check_csv_file
    from rnnlab.io.errors import DataError

    text = "t,v\n" + "".join(f"{i},{i % 7}\n" for i in range(50))
    path = tmp_path / "series.csv.packed"
    path.write_bytes(importlib.import_module(pack).compress(text.encode()))
    with pytest.raises(DataError) as e:
        check_csv_file(path)
    assert word in str(e.value) and todo in str(e.value)


@pytest.mark.parametrize("header", ["BZh,value", "BZh9,value", "BZh91AY,value"])
def test_a_csv_whose_header_starts_like_bzip2_is_read(tmp_path, header):
    """bzip2's signature is 'BZh', a block size 1-9 and the block magic 1AY&SY; 'BZh' alone
    is text, and a CSV whose first column is named so (read before the check) was refused
    as bzip2-compressed."""
    from rnnlab.data.csv_file import read_csv_checked

    path = tmp_path / "s.csv"
    path.write_text(header + "\n" + "".join(f"{i},{i % 7}\n" for i in range(20)))
    df = read_csv_checked(path)
    assert df.shape == (20, 2) and list(df.columns) == header.split(",")


def test_an_xlsx_saved_under_a_csv_name_is_called_a_spreadsheet(tmp_path):
    import zipfile

    from rnnlab.data.csv_file import check_csv_file
    from rnnlab.io.errors import DataError

    path = tmp_path / "sales.csv"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DataError, match=r"zip archive \(an Excel .xlsx file is one\).*save it "
                                        r"as CSV"):
        check_csv_file(path)


# --- a saved model whose model.json was edited by hand ------------------------------------

def _saved_forecaster(tmp_path, hidden=4):
    import numpy as np
    import pandas as pd

    from rnnlab.forecast import Forecaster

    y = pd.Series(10 + np.sin(np.arange(60) / 3.0))
    f = Forecaster(lookback=6, horizon=2, hidden_size=hidden, epochs=1, ensemble=1,
                   select="network", progress=False).fit(y)
    return f.save(tmp_path / "model")


def _hand_edit(folder, edit):
    """model.json edited by hand: its checksum dropped (read as an older rnnlab's file)."""
    import json

    meta = json.loads((folder / "model.json").read_text())
    meta.pop("_sha256", None)
    edit(meta)
    (folder / "model.json").write_text(json.dumps(meta, indent=2))
    return folder


def test_an_edited_hidden_size_is_refused_before_memory_is_taken(tmp_path, monkeypatch):
    """Was: the network was built at the edited size on the CPU (hidden_size 10**5: 160 GB
    asked for) and only then compared with the weights."""

    import rnnlab.forecast.persist as persist
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    d = _hand_edit(_saved_forecaster(tmp_path), lambda m: m["config"].update(hidden_size=600))
    devices = record_build_devices(monkeypatch, persist, "build_net")
    with pytest.raises(CheckpointError, match=r"shape mismatch .*file \(16, 1\) vs model "
                                              r"\(2400, 1\)"):
        Forecaster.load(d)
    assert devices == ["meta"]  # never built for real at the edited size


def test_an_overflowing_hidden_size_is_a_clear_error(tmp_path):
    """Was: RuntimeError 'Storage size calculation overflowed' (Forecaster(hidden_size=
    10**12), or a model.json edited to it)."""
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    with pytest.raises(ValueError, match="hidden_size=1000000000000 .*too large"):
        Forecaster(hidden_size=10**12)
    d = _hand_edit(_saved_forecaster(tmp_path), lambda m: m["config"].update(hidden_size=10**12))
    with pytest.raises(CheckpointError, match="model.json: .*too large"):
        Forecaster.load(d)


@pytest.mark.parametrize("sha", [5, "abc", ["x"], "G" * 64])
def test_an_edited_weights_checksum_is_named(tmp_path, sha):
    """Was: TypeError "'int' object is not subscriptable" (a number there)."""
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    d = _hand_edit(_saved_forecaster(tmp_path), lambda m: m.update(weights_sha256=sha))
    with pytest.raises(CheckpointError, match="'weights_sha256' should be 64 hexadecimal"):
        Forecaster.load(d)


def test_an_edited_charlm_size_is_refused_before_building(tmp_path, monkeypatch):

    import rnnlab.lm.persist as api  # (CharLM.load builds its network there)
    from rnnlab.io.errors import CheckpointError
    from rnnlab.lm import CharLM

    CharLM(model="gru", hidden_size=6, num_layers=1, embedding=4, dropout=0.0).fit(
        "abcab cabba " * 20, seq_len=8, batch_size=4, epochs=1, progress=False).save(
        tmp_path / "lm")
    d = _hand_edit(tmp_path / "lm", lambda m: m["config"].update(hidden_size=500))
    devices = record_build_devices(monkeypatch, api, "LMNet")
    with pytest.raises(CheckpointError, match="shape mismatch"):
        CharLM.load(d)
    assert devices == ["meta"]


def test_a_full_disk_during_save_overwrite_keeps_the_old_model_noted_once(tmp_path, monkeypatch,
                                                                          capsys):
    """save(overwrite=True) stopped by a full disk at model.json: the model saved before
    loads (its kept weights), with one note (the meta-device check must not say it twice)."""
    import rnnlab.io.atomic as atomic
    from rnnlab.forecast import Forecaster

    d = _saved_forecaster(tmp_path)
    old = Forecaster.load(d).predict()
    other = Forecaster.load(_saved_forecaster(tmp_path / "b", hidden=5))
    real = atomic.atomic_write_text

    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "atomic_write_text", full)
    with pytest.raises(OSError, match="No space left"):
        other.save(d, overwrite=True)
    monkeypatch.setattr(atomic, "atomic_write_text", real)
    capsys.readouterr()
    assert (Forecaster.load(d).predict() == old).all()
    assert capsys.readouterr().err.count("stopped before it finished") == 1


# --- "~" in a path option -----------------------------------------------------------------

def test_a_quoted_tilde_in_cli_paths_is_the_home_folder(tmp_path, monkeypatch, capsys):
    """Was: `--out '~/r'` (quoted, or from a script) made ./~/r for some files of the run
    while others (the model, the figures: the Python API expands ~) went to $HOME/r."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (home / "t.txt").write_text("hello world, hello again\n" * 20)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    code, err = run(["lm", "prepare", "~/t.txt", "--out", "~/prep"], capsys)
    assert code == 0, err
    assert (home / "prep" / "corpus.json").is_file() and not (work / "~").exists()


def test_every_path_option_is_expanded(monkeypatch):
    import argparse

    from rnnlab.cli_paths import PATH_OPTIONS, expand_home as _expand_home

    monkeypatch.setenv("HOME", "/home/u")
    args = argparse.Namespace(**{n: "~/x" for n in PATH_OPTIONS}, prefix="~/not a path")
    _expand_home(args)
    assert all(getattr(args, n) == "/home/u/x" for n in PATH_OPTIONS)
    assert args.prefix == "~/not a path"  # (text, not a path)
    args = argparse.Namespace(resume=True, out=None)  # --resume with no folder
    _expand_home(args)
    assert args.resume is True and args.out is None


# --- a weights file grown, a recorded checksum edited -------------------------------------

def test_a_weights_file_grown_to_2gb_is_refused_from_its_header(tmp_path, monkeypatch):
    """Was: the whole file was hashed (2 GB read) before "SHA-256 mismatch"; without a
    recorded hash (an older model) it was read into memory whole."""
    import os

    import rnnlab.io.weights as W
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    d = _saved_forecaster(tmp_path)
    os.truncate(d / "model.safetensors", 2 * 1024**3)  # sparse: no disk used

    def no_hashing(path):
        raise AssertionError(f"{path} was read whole")

    monkeypatch.setattr(W, "sha256_file", no_hashing)
    with pytest.raises(CheckpointError, match=r"model.safetensors: holds \d+ bytes of tensor "
                                              r"data but its header accounts for \d+"):
        Forecaster.load(d)


def test_a_checkpoints_recorded_checksum_that_is_a_number_is_named(tmp_path):
    """Was: TypeError "'int' object is not subscriptable" on resume (meta.json edited)."""
    import json

    import torch

    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import CheckpointManager

    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(2)}, {"x": 1}, {})
    meta = json.loads((folder / "meta.json").read_text())
    meta.pop("_sha256")
    meta["files"]["model.safetensors"] = 5
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="recorded for it is '5', not 64 hexadecimal"):
        mgr.load()


def test_an_edited_panel_hidden_size_is_refused_before_building(tmp_path, monkeypatch):
    import numpy as np
    import pandas as pd
    from torch import nn

    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel import GlobalForecaster

    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2000-01-01",
                                                                            periods=40),
                                  "y": 5.0 + i + np.sin(np.arange(40) / 3)}) for i in range(2)])
    GlobalForecaster("gru", lookback=6, horizon=2, hidden_size=4, epochs=1,
                     batches_per_epoch=1).fit(df).save(tmp_path / "p")
    d = _hand_edit(tmp_path / "p", lambda m: m["config"].update(hidden_size=700))
    devices = record_build_devices(monkeypatch, nn.ModuleList, "__init__")
    with pytest.raises(CheckpointError, match="shape mismatch"):
        GlobalForecaster.load(d)
    assert devices and set(devices) == {"meta"}


def test_lm_prepare_overwrite_stopped_between_its_renames_puts_the_old_corpus_back(
        tmp_path, capsys, monkeypatch):
    import os

    assert _prepare(tmp_path, capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()}
    real = os.replace

    def replace(src, dst):
        if str(src).endswith(".preparing"):  # the new corpus into place: Ctrl-C first
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, err = _prepare(tmp_path, capsys, "xyz " * 50, "--overwrite")
    monkeypatch.setattr(os, "replace", real)
    assert code == 130, err
    assert {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]


# --- Excel's "sep=;" line -------------------------------------------------------------------

@pytest.mark.parametrize("sep, decimal", [(";", ","), (",", "."), ("\t", ".")])
def test_excels_sep_line_above_the_header_is_read(tmp_path, sep, decimal):
    """Was: "no numeric column among ['sep=', 'Unnamed: 1']" (Excel writes that line
    above the header of a CSV export, with a BOM and CRLF line ends)."""
    from rnnlab.data.csv_file import read_csv_checked

    rows = [f"2020-01-{d:02d}{sep}{d}{decimal}5" for d in range(1, 11)]
    text = "\r\n".join([f"sep={sep}", f"date{sep}sales", *rows]) + "\r\n"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8-sig")
    df = read_csv_checked(path)
    assert list(df.columns) == ["date", "sales"] and df["sales"].tolist()[:2] == [1.5, 2.5]


# --- --overwrite and a file the user put into a finished run -------------------------------

def test_overwrite_keeps_a_file_the_user_added_to_a_finished_run(tmp_path):
    """Was: `--overwrite` moved everything in the run directory aside and deleted it when
    the new run finished, the user's notes.md with it."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, previous_of

    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("{}")
    (run / "model").mkdir()
    finish_run_dir(run)
    (run / "notes.md").write_text("my analysis")
    (run / ".DS_Store").write_text("")  # (hidden files are not the user's work)
    with pytest.raises(RunDirError, match=r"holds files its run did not write \(notes.md\); "
                                          r"--overwrite replaces only what rnnlab wrote"):
        prepare_run_dir(run, overwrite=True)
    assert (run / "notes.md").read_text() == "my analysis" and (run / "metrics.json").exists()
    assert not previous_of(run).exists()
    (run / "notes.md").unlink()
    prepare_run_dir(run, overwrite=True)  # only the run's own files: replaced
    assert not (run / "metrics.json").exists() and (previous_of(run) / "metrics.json").exists()


def test_overwrite_of_a_run_without_the_record_is_as_before(tmp_path):
    """A run that did not finish (or an older rnnlab's) has no record: replaced whole."""
    from rnnlab.io.rundir import prepare_run_dir

    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("{}")
    (run / "notes.md").write_text("x")
    prepare_run_dir(run, overwrite=True)
    assert not (run / "notes.md").exists()


# --- values of an edited model.json -------------------------------------------------------

@pytest.mark.parametrize("scaler", [{"mean": float("nan")}, {"std": 0.0}, {"std": -1.0},
                                    {"mean": float("inf")}])
def test_an_edited_scaler_is_refused_not_used(tmp_path, scaler):
    """Was: loaded, and every forecast NaN, inf or mirrored (a scale of 0 or -1)."""
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    d = _hand_edit(_saved_forecaster(tmp_path),
                   lambda m: m["extra"]["pipeline"]["scaler"].update(scaler))
    with pytest.raises(CheckpointError, match="not one rnnlab fits"):
        Forecaster.load(d)


def test_a_minmax_scaler_edited_upside_down_is_refused():
    from rnnlab.data.scalers import scaler_from_dict
    from rnnlab.io.errors import CheckpointError

    good = {"kind": "minmax", "feature_range": [-1.0, 1.0], "data_min": 1.0, "data_max": 5.0}
    assert scaler_from_dict(good).data_max == 5.0
    with pytest.raises(CheckpointError, match="not one rnnlab fits"):
        scaler_from_dict(dict(good, data_min=9.0))
    with pytest.raises(CheckpointError, match="not one rnnlab fits"):
        scaler_from_dict(dict(good, feature_range=[1.0, 1.0]))


def test_an_edited_log_flag_is_refused(tmp_path):
    """Was: "yes" (or "false": a non-empty string) read as true."""
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    d = _hand_edit(_saved_forecaster(tmp_path), lambda m: m["extra"]["pipeline"].update(
        log="false"))
    with pytest.raises(CheckpointError, match="'log' must be true or false"):
        Forecaster.load(d)


def test_a_json_number_of_5000_digits_is_named(tmp_path):
    """Was: ValueError 'Exceeds the limit (4300 digits) for integer string conversion',
    naming no file."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.json_file import read_json

    (tmp_path / "model.json").write_text('{"lookback": ' + "9" * 5000 + "}")
    with pytest.raises(CheckpointError, match=r"model.json: not JSON rnnlab wrote"):
        read_json(tmp_path / "model.json")


# --- a prepared corpus edited by hand -----------------------------------------------------

def _prepared(tmp_path):
    from rnnlab.data.corpus_mmap import prepare_corpus

    (tmp_path / "t.txt").write_text("the quick brown fox jumps over the lazy dog\n" * 10)
    prepare_corpus(tmp_path / "t.txt", tmp_path / "prep")
    return tmp_path / "prep"


def _edit_json(path, edit):
    import json

    value = json.loads(path.read_text())
    value.pop("_sha256", None)
    edit(value)
    path.write_text(json.dumps(value))


def test_a_vocabulary_edited_shorter_is_refused_on_load(tmp_path):
    """Was: loaded; `lm train` then ended in IndexError 'tuple index out of range'
    decoding a sample."""
    from rnnlab.data.corpus_mmap import load_prepared
    from rnnlab.io.errors import DataError

    p = _prepared(tmp_path)
    _edit_json(p / "vocab.json", lambda v: v.update(tokens=v["tokens"][:5]))
    with pytest.raises(DataError, match="vocab.json holds 5 tokens and corpus.json records"):
        load_prepared(p)
    _edit_json(p / "corpus.json", lambda v: v.update(vocab_size=5))  # both edited alike
    with pytest.raises(DataError, match=r"tokens.bin: holds id \d+, past the 5 tokens"):
        load_prepared(p)


def test_a_training_part_longer_than_the_corpus_is_refused(tmp_path):
    from rnnlab.data.corpus_mmap import load_prepared
    from rnnlab.io.errors import DataError

    p = _prepared(tmp_path)
    _edit_json(p / "corpus.json", lambda v: v.update(train_tokens=v["tokens"] + 100))
    with pytest.raises(DataError, match="of 440 ids for training"):
        load_prepared(p)


# --- --overwrite and a panel run's other inputs ------------------------------------------

def test_panel_overwrite_never_deletes_the_static_data_it_reads(tmp_path, capsys):
    """Was: only --data was guarded; a --static-data file kept in the run directory moved
    aside with the old run and was deleted when the new one finished."""
    import numpy as np
    import pandas as pd

    from rnnlab.io.rundir import prepare_run_dir

    rows = [pd.DataFrame({"store": f"s{i}", "month": pd.date_range("2010-01", periods=30,
                                                                   freq="MS"),
                          "sales": 10.0 + i + np.sin(np.arange(30))}) for i in range(3)]
    pd.concat(rows).to_csv(tmp_path / "p.csv", index=False)
    rd = prepare_run_dir(tmp_path / "run")
    (rd / "metrics.json").write_text("{}")
    static = rd / "static.csv"
    pd.DataFrame({"store": ["s0", "s1", "s2"], "region": ["a", "b", "a"]}).to_csv(
        static, index=False)
    code, err = run(["backtest", "--data", str(tmp_path / "p.csv"), "--id-column", "store",
                     "--model", "naive", "--baselines", "none", "--horizon", "4",
                     "--plot-series", "0", "--static-data", str(static),
                     "--static-covariates", "region", "--out", str(rd), "--overwrite"], capsys)
    assert code == 1 and f"would delete {static.resolve()}, which this run reads" in err
    assert static.is_file() and (rd / "metrics.json").is_file()


@pytest.mark.parametrize("argv", [["forecast", "--data", "airline", "--out", ""],
                                  ["lm", "prepare", "t.txt", "--out", " "],
                                  ["forecast", "--data", ""]])
def test_an_empty_path_option_is_refused(tmp_path, monkeypatch, capsys, argv):
    """Was: `--out ""` (an unset shell variable) was the working folder: a run was
    written there (or refused naming every file in it)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.txt").write_text("some text to prepare\n" * 5)
    code, err = run(argv, capsys)
    assert code == 2 and "is empty (an unset shell variable?)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_lm_prepare_out_on_a_users_file_is_named(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "t.txt").write_text("some text\n" * 5)
    code, err = run(["lm", "prepare", str(tmp_path / "t.txt"), "--out",
                     str(tmp_path / "notes.txt")], capsys)
    assert code == 1 and "notes.txt: is a file; --out names the folder" in err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_full_disk_at_the_finished_runs_record_does_not_fail_the_run(tmp_path, monkeypatch):
    import rnnlab.io.rundir as rundir
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, previous_of

    run = prepare_run_dir(tmp_path / "run")
    (run / "metrics.json").write_text("{}")
    finish_run_dir(run)
    prepare_run_dir(run, overwrite=True)  # a second run replaces it

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rundir, "atomic_write_json", full)
    (run / "metrics.json").write_text("{}")
    finish_run_dir(run)  # no error: the results are written; the replaced run goes
    assert not previous_of(run).exists() and not (run / ".rnnlab-replacing").exists()
