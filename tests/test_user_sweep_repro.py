"""The reproducibility and data-safety sweep: every command that writes records its run
(config, seed, versions) beside its outputs, a seed gives the same bytes, every write is
atomic, and a loader refuses a file that was edited after rnnlab wrote it."""

import json

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from rnnlab.cli import main  # noqa: E402
from tiny_task import TinyTask, tiny_model  # noqa: E402


def _broken_savefig(self, fname, *args, **kwargs):
    """A save stopped half-way (a full disk, a kill): some bytes, then an error."""
    if hasattr(fname, "write"):
        fname.write(b"\x89PNG half")
    else:
        with open(fname, "wb") as f:
            f.write(b"\x89PNG half")
    raise OSError(28, "No space left on device")


def _write_forecast_plot(path):
    from rnnlab.forecast.plots import _save

    fig = plt.figure()
    return _save(fig, path)


def _write_compare_plot(path):
    from rnnlab.compare.plots import _save

    return _save(plt.figure(), path)


def _write_lm_plot(path):
    from rnnlab.lm.run_report import plot_history

    history = [{"epoch": 1, "train_loss": 1.0, "val_bpc": 1.2, "val_ppl": 2.0}]
    plot_history(history, {"unigram": 1.5}, path)


@pytest.mark.parametrize("write", [_write_forecast_plot, _write_compare_plot, _write_lm_plot],
                         ids=["forecast", "compare", "lm"])
def test_a_plot_stopped_half_way_leaves_the_previous_image(tmp_path, monkeypatch, write):
    # before: forecast's, compare's and lm train's plots were saved straight into their
    # final path: a save stopped half-way left a damaged image in the run directory
    path = tmp_path / "loss.png"
    path.write_bytes(b"the previous image")
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _broken_savefig)
    with pytest.raises(OSError):
        write(path)
    assert path.read_bytes() == b"the previous image"
    assert [p.name for p in tmp_path.iterdir()] == ["loss.png"]  # no temporary left
    plt.close("all")


BPTT = ["bptt-demo", "--seq-len", "4", "--seeds", "2", "--batch", "2", "--hidden-size", "4",
        "--input-size", "2", "--configs", "rnn_tanh", "lstm"]


def test_bptt_demo_records_its_run_in_the_image(tmp_path, capsys):
    # before: the image held no record of the options, seeds or versions that made it
    from PIL import Image

    out = tmp_path / "g.png"
    assert main(BPTT + ["--out", str(out)]) == 0
    record = json.loads(Image.open(out).text["Description"])
    assert record["command"] == "bptt-demo"
    assert record["seeds"] == [0, 1]
    assert record["config"]["seq_len"] == 4 and record["config"]["configs"] == ["rnn_tanh", "lstm"]
    assert {"rnnlab", "torch", "numpy", "pandas", "python"} <= set(record["versions"])


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
def test_bptt_demo_same_options_give_the_same_bytes(tmp_path, capsys, suffix):
    # before: an SVG held its creation time and random element ids, a PDF its creation
    # time: two runs with the same seeds never gave the same file
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert main(BPTT + ["--out", str(a)]) == 0
    assert main(BPTT + ["--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert b'"versions"' in a.read_bytes().replace(b"&quot;", b'"')


def test_bptt_demo_still_runs_without_torch(tmp_path):
    # rnnlab.reference is numpy-only; its run record must not import torch for the versions
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[1] / "src")
    code = ("import sys; from rnnlab.reference.demo import main; "
            f"assert main({BPTT[1:] + ['--out', str(tmp_path / 'g.png')]!r}) == 0; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _small_panel(path):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    rows = [pd.DataFrame({"store": f"s{i}", "day": pd.date_range("2021-01-01", periods=24,
                                                                 freq="D").strftime("%Y-%m-%d"),
                          "sales": 10 + i + rng.normal(0, 1, 24)}) for i in range(2)]
    pd.concat(rows).to_csv(path, index=False)
    return path


PANEL = ["--id-column", "store", "--date-column", "day", "--column", "sales"]


def test_forecast_run_refuses_an_edited_panel_json(tmp_path, capsys):
    # before: panel.json (what `forecast --run DIR` reads back: columns, horizon, model)
    # had no checksum, so an edited or damaged one was used as it stood
    data = _small_panel(tmp_path / "p.csv")
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(data), *PANEL, "--model", "naive", "--horizon", "3",
                 "--out", str(run)]) == 0
    text = (run / "panel.json").read_text()
    assert '"_sha256"' in text
    (run / "panel.json").write_text(text.replace('"horizon": 3', '"horizon": 30'))
    capsys.readouterr()
    assert main(["forecast", "--run", str(run)]) != 0
    err = capsys.readouterr().err
    assert "panel.json" in err and "checksum mismatch" in err


def _sum_model():
    return tiny_model("gru", 4)


def test_fit_checkpoints_record_config_seed_and_versions(tmp_path):
    # before: a checkpoint of rnnlab.train.fit (the Python API) held the step and the
    # caller's meta only: nothing said which config, seed or versions made it
    from rnnlab.train import CheckpointManager, TrainConfig, fit

    fit(_sum_model(), TinyTask(16), TrainConfig(epochs=1, seed=5, lr=1e-2, progress=False),
        checkpoint_dir=tmp_path / "ck", meta={"kind": "mine"})
    meta = CheckpointManager(tmp_path / "ck").load()[2]
    assert meta["kind"] == "mine" and meta["seed"] == 5
    assert meta["train_config"]["lr"] == 1e-2 and meta["train_config"]["epochs"] == 1
    assert {"rnnlab", "torch", "numpy", "pandas", "python"} <= set(meta["versions"])


def _rewrite_checkpoint(ck, edit_state=None, edit_meta=None):
    """Change a checkpoint and record the hashes again (as another rnnlab would have
    written it: every file consistent, the content different)."""
    from rnnlab.io.json_file import checksummed_text
    from rnnlab.io.tree_file import load_tree, save_tree

    folder = ck / json.loads((ck / "latest.json").read_text())["name"]
    meta = json.loads((folder / "meta.json").read_text())
    meta.pop("_sha256")
    if edit_state is not None:
        st = load_tree(folder / "train_state.safetensors")
        edit_state(st)
        meta["files"]["train_state.safetensors"] = save_tree(folder / "train_state.safetensors", st)
    if edit_meta is not None:
        edit_meta(meta)
    (folder / "meta.json").write_text(checksummed_text(meta))


def _fit_sum(ck, epochs, resume=False):
    from rnnlab.train import TrainConfig, fit

    return fit(_sum_model(), TinyTask(16), TrainConfig(epochs=epochs, lr=1e-2, progress=False),
               checkpoint_dir=ck, resume=resume)


def test_resume_refuses_a_training_state_it_cannot_read(tmp_path):
    # before: a train_state.pt without a field the resume reads (another rnnlab's layout)
    # failed with a bare KeyError: 'bad_epochs' from inside the loop
    from rnnlab.io.errors import CheckpointError

    ck = tmp_path / "ck"
    _fit_sum(ck, 1)
    _rewrite_checkpoint(ck, edit_state=lambda st: st.pop("bad_epochs"))
    with pytest.raises(CheckpointError, match="lacks bad_epochs.*start it again"):
        _fit_sum(ck, 2, resume=True)


def test_resume_says_when_the_checkpoint_came_from_another_torch(tmp_path, capsys):
    ck = tmp_path / "ck"
    _fit_sum(ck, 1)
    _rewrite_checkpoint(ck, edit_meta=lambda m: m["versions"].update(torch="1.13.1"))
    capsys.readouterr()
    _fit_sum(ck, 2, resume=True)
    err = capsys.readouterr().err
    assert "written by torch 1.13.1 (now " in err and "bit for bit" in err


def test_bench_json_records_options_and_versions(tmp_path, capsys):
    # before: the results file named torch's version only: not rnnlab's, numpy's or
    # python's, nor the workloads, models, repeats and warm-up that were asked for
    out = tmp_path / "bench.json"
    assert main(["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1",
                 "--warmup", "1", "--no-reference", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert {"rnnlab", "torch", "numpy", "pandas", "python"} <= set(doc["versions"])
    opts = doc["options"]
    assert opts["configs"] == ["C0"] and opts["models"] == ["rnn"]
    assert opts["repeats"] == 1 and opts["warmup"] == 1
    assert doc["rows"]  # (the rows as before)


TEXT = "the cat sat on the mat and the dog sat on the log. " * 12


def test_charlm_save_records_the_text_it_trained_on(tmp_path):
    # before: a CharLM saved from Python recorded its config, seed and versions but not
    # which text it was trained on (the CLI's config.json did, the model folder did not)
    import hashlib

    from rnnlab.lm import CharLM

    lm = CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        TEXT, epochs=1, seq_len=8, batch_size=4, progress=False)
    lm.save(tmp_path / "m")
    want = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["data_sha256"] == want
    CharLM.load(tmp_path / "m").save(tmp_path / "again")  # kept by a load and a save
    assert json.loads((tmp_path / "again" / "model.json").read_text())["extra"][
        "data_sha256"] == want


def test_global_forecaster_save_records_the_panel_it_trained_on(tmp_path):
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.backtest_save import panel_sha256
    from rnnlab.panel.frame import read_panel

    panel = read_panel(_small_panel(tmp_path / "p.csv"), id_column="store", date_column="day",
                       target="sales")
    f = GlobalForecaster(model="gru", lookback=4, horizon=2, hidden_size=4, epochs=1,
                         batches_per_epoch=2, progress=False, calibrate="none").fit(panel)
    f.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["data_sha256"] == panel_sha256(panel)
    assert GlobalForecaster.load(tmp_path / "m").data_sha256 == panel_sha256(panel)


def test_an_overwrite_stopped_before_its_json_keeps_the_saved_model(tmp_path, monkeypatch,
                                                                    capsys):
    # before: save(overwrite=True) replaced the weights, then model.json; stopped between
    # the two (a kill, a full disk while writing a large model.json), the folder held new
    # weights beside the old JSON: neither model loaded ("SHA-256 mismatch")
    import torch
    from torch import nn

    import rnnlab.io.model_dir as md

    def load():
        m = nn.Linear(3, 2)
        md.load_weights_into(m, md.read_model_json(tmp_path / "m", "test"))
        return m.weight.detach().clone()

    first, second, third = (nn.Linear(3, 2) for _ in range(3))
    md.save_model_dir(tmp_path / "m", first, "test", {}, {})

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    for _ in range(2):  # (a second stopped save keeps the same last good model)
        with monkeypatch.context() as mp:
            mp.setattr(md, "atomic_write_json", full_disk)
            with pytest.raises(OSError):
                md.save_model_dir(tmp_path / "m", second, "test", {}, {}, overwrite=True)
        assert torch.equal(load(), first.weight)
        assert "stopped before it finished" in capsys.readouterr().err
    md.save_model_dir(tmp_path / "m", third, "test", {}, {}, overwrite=True)
    assert torch.equal(load(), third.weight)
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["model.json",
                                                                    "model.safetensors"]


def test_bench_keeps_an_earlier_results_file_unless_overwrite(tmp_path, capsys):
    # before: a second `rnnlab bench --json FILE` replaced the first run's measurements
    # unasked (hostile_list's "bench --json its own results" pinned that; it now needs
    # --overwrite)
    out = tmp_path / "bench.json"
    bench = ["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1", "--warmup", "1",
             "--no-reference", "--json", str(out)]
    out.write_text('{"rows": [], "mine": "a GPU run"}')
    assert main(bench) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert json.loads(out.read_text())["mine"] == "a GPU run"
    assert main(bench + ["--overwrite"]) == 0
    assert json.loads(out.read_text())["rows"]


def test_a_panel_model_without_its_series_scaling_is_refused_at_load(tmp_path):
    # before: a model.json without a series' scaling (edited, or an older file without a
    # checksum) loaded, and the first predict failed with KeyError: 's0'
    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.frame import read_panel

    panel = read_panel(_small_panel(tmp_path / "p.csv"), id_column="store", date_column="day",
                       target="sales")
    GlobalForecaster(model="gru", lookback=4, horizon=2, hidden_size=4, epochs=1,
                     batches_per_epoch=2, progress=False, calibrate="none").fit(panel).save(
        tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    meta.pop("_sha256")  # (as an older rnnlab wrote it: read unverified)
    meta["extra"]["features"]["transforms"].pop("s0")
    path.write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match=r"\['s0'\] have no saved scaling"):
        GlobalForecaster.load(tmp_path / "m")


def test_saving_a_step_again_keeps_the_checkpoint_until_the_new_one_is_in_place(
        tmp_path, monkeypatch):
    # before: a checkpoint saved again at the same step (a run resumed at an epoch's end
    # validates and saves the step it resumed from) first deleted the folder latest.json
    # named; stopped there, the run had no checkpoint left to resume from
    import os

    import torch

    from rnnlab.train import CheckpointManager
    from rnnlab.train import checkpoint as ck

    m = CheckpointManager(tmp_path / "ck")
    m.save(5, {"w": torch.zeros(2)}, {"x": 1}, {})
    real = os.replace

    def stopped(src, dst, *a, **k):  # the new checkpoint folder never lands
        if os.path.isdir(src) and os.path.basename(src).startswith("."):
            raise OSError(28, "No space left on device")
        return real(src, dst, *a, **k)

    with monkeypatch.context() as mp:
        mp.setattr(ck.os, "replace", stopped)
        with pytest.raises(OSError):
            m.save(5, {"w": torch.ones(2)}, {"x": 2}, {})
    weights, state, meta = m.load()  # (the one set aside, with a note)
    assert torch.equal(weights["w"], torch.zeros(2)) and state["x"] == 1
    m.save(5, {"w": torch.ones(2)}, {"x": 2}, {})
    weights, state, meta = m.load()
    assert torch.equal(weights["w"], torch.ones(2)) and meta["step"] == 5
    assert sorted(p.name for p in (tmp_path / "ck").iterdir()) == ["ckpt-00000005",
                                                                   "latest.json"]


def test_a_prepared_corpus_with_an_edited_token_file_is_refused(tmp_path):
    # before: tokens.bin was checked for its size only; an edited id past the vocabulary
    # trained until an IndexError deep in the sampler or the embedding
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.io.errors import DataError

    (tmp_path / "t.txt").write_text(TEXT)
    prepare_corpus(tmp_path / "t.txt", tmp_path / "c")
    assert len(load_prepared(tmp_path / "c").ids) == len(TEXT)
    # (and corpus.json records the versions that wrote it, as a run's config.json)
    assert {"rnnlab", "numpy", "python"} <= set(
        json.loads((tmp_path / "c" / "corpus.json").read_text())["versions"])
    data = bytearray((tmp_path / "c" / "tokens.bin").read_bytes())
    data[10] = 250
    (tmp_path / "c" / "tokens.bin").write_bytes(bytes(data))
    with pytest.raises(DataError, match="tokens.bin: its SHA-256 is not the one corpus.json"):
        load_prepared(tmp_path / "c")


def _rewrite_json(path, edit):
    """Edit a checksummed JSON file of rnnlab's and record its checksum again (a file
    another rnnlab wrote: consistent, but not what this one reads)."""
    from rnnlab.io.json_file import checksummed_text

    d = json.loads(path.read_text())
    d.pop("_sha256", None)
    edit(d)
    path.write_text(checksummed_text(d))


def test_a_model_of_another_format_says_who_wrote_it_and_what_to_do(tmp_path):
    # before: "format 2; this rnnlab reads format 1", with nothing to do about it
    from torch import nn

    import rnnlab.io.model_dir as md
    from rnnlab.io.errors import CheckpointError

    md.save_model_dir(tmp_path / "m", nn.Linear(2, 2), "test", {}, {})
    _rewrite_json(tmp_path / "m" / "model.json",
                  lambda d: d.update(format=2, versions={"rnnlab": "9.9.0"}))
    with pytest.raises(CheckpointError, match=r"format 2 \(written by rnnlab 9\.9\.0\); this "
                                              r"rnnlab .* reads format 1: load it with the "
                                              r"rnnlab that saved it, or train"):
        md.read_model_json(tmp_path / "m", "test")


def test_a_prepared_corpus_of_another_format_says_what_to_do(tmp_path):
    # before: "unknown format 'rnnlab-corpus-2'"
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.io.errors import DataError

    (tmp_path / "t.txt").write_text(TEXT)
    prepare_corpus(tmp_path / "t.txt", tmp_path / "c")
    _rewrite_json(tmp_path / "c" / "corpus.json", lambda d: d.update(format="rnnlab-corpus-2"))
    with pytest.raises(DataError, match="'rnnlab-corpus-2'.*reads 'rnnlab-corpus-1'.*prepare "
                                        "the corpus again"):
        load_prepared(tmp_path / "c")


class _DropoutSumTask(TinyTask):
    def train_loss(self, model, batch, carry):
        import torch.nn.functional as F

        out, _ = model.rnn(batch[0])
        out = F.dropout(out[:, -1], 0.5, training=True)  # (torch's global generator)
        return F.mse_loss(model.head(out), batch[1]), carry


def test_fit_seed_fixes_dropout_whatever_ran_before():
    # before: rnnlab.train.fit seeded torch only when distributed; one process trained
    # with whatever state torch's generator was left in, so TrainConfig(seed=...) did not
    # fix the dropout masks: the same model, task and seed gave different weights
    import copy

    import torch

    from rnnlab.train import TrainConfig, fit

    start = _sum_model()
    weights = []
    for before in (1, 2):
        torch.manual_seed(before)  # (the caller's own use of torch's generator)
        m = copy.deepcopy(start)
        fit(m, _DropoutSumTask(), TrainConfig(epochs=2, seed=7, lr=1e-2, progress=False))
        weights.append(m.state_dict())
    for k in weights[0]:
        assert torch.equal(weights[0][k], weights[1][k]), k


def test_a_step_set_aside_is_older_than_the_same_steps_own_checkpoint(tmp_path):
    # before: with latest.json unusable, the newest folder was taken by name, and
    # "ckpt-00000004-replaced" (the older save of step 4, set aside) sorts after
    # "ckpt-00000004": a resume went back to it instead of the newer save
    import shutil

    import torch

    from rnnlab.train import CheckpointManager

    old, new = CheckpointManager(tmp_path / "old"), CheckpointManager(tmp_path / "new")
    old.save(4, {"w": torch.zeros(2)}, {"x": 1}, {})
    new.save(4, {"w": torch.ones(2)}, {"x": 2}, {})
    shutil.copytree(tmp_path / "old" / "ckpt-00000004",
                    tmp_path / "new" / "ckpt-00000004-replaced")
    (tmp_path / "new" / "latest.json").unlink()
    weights, state, _ = new.load()
    assert torch.equal(weights["w"], torch.ones(2)) and state["x"] == 2
    new.save(6, {"w": torch.ones(2)}, {"x": 3}, {})  # a later save clears the set-aside copy
    assert not (tmp_path / "new" / "ckpt-00000004-replaced").exists()
