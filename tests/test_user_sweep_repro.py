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
