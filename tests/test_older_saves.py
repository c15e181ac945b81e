"""What an earlier rnnlab saved keeps loading, with the forecasts it gave: saved
models and an interrupted run recorded under tests/fixtures/older_rnnlab (README.md there
says which commit wrote each and how)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cli_run import run

FIXTURES = Path(__file__).parent / "fixtures" / "older_rnnlab"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
# the networks compute in float32, whose last bits depend on the CPU kernels torch picks
# (oneDNN and MKL choose by the CPU's features: on one machine, oneDNN held to SSE4.1, or
# MKL in its place, moved these forecasts by 1e-9 to 3e-8: rtol=1e-9 failed on a CPU other
# than the one that recorded them); 1e-6, some 8 float32 epsilons, still tells a tensor
# read wrong (the LSTM's input and forget gates swapped moved the forecasts by 3e-4)
FLOAT32_RTOL = 1e-6


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))  # (the fixture untouched)


def test_forecaster_saved_before_the_linear_skip_forecasts_as_it_did(tmp_path):
    from rnnlab.forecast import Forecaster

    exp = EXPECTED["forecaster_0ca44ed"]
    f = Forecaster.load(_copy("forecaster_0ca44ed", tmp_path))
    np.testing.assert_allclose(f.predict().to_numpy(), exp["predict"], rtol=FLOAT32_RTOL)
    np.testing.assert_allclose(f.predict(6).to_numpy(), exp["predict6"], rtol=FLOAT32_RTOL)
    # its settings are those it went on with, as a resumed run's (forecast.older_runs):
    # it forecast with the network, and a fit again chooses so (its select was 'auto')
    from rnnlab.forecast.older_runs import BEFORE

    assert {k: getattr(f.config, k) for k in BEFORE} == BEFORE
    assert f.choice["method"] == "network"


def test_charlm_saved_by_the_first_rnnlab_scores_and_samples_as_it_did(tmp_path):
    from rnnlab.lm import CharLM

    exp = EXPECTED["charlm_0ca44ed"]
    lm = CharLM.load(_copy("charlm_0ca44ed", tmp_path))
    bpc = lm.bits_per_char(exp["text"][:300])
    assert bpc == pytest.approx(exp["bpc_first300"], rel=FLOAT32_RTOL)
    g = exp["generate"]
    assert lm.generate(g["prefix"], g["n"], temperature=g["temperature"],
                       seed=g["seed"]) == g["text"]


def test_global_forecaster_saved_by_its_first_save_forecasts_as_it_did(tmp_path):
    from rnnlab.panel import GlobalForecaster

    exp = EXPECTED["global_bcd3fce"]
    pred = GlobalForecaster.load(_copy("global_bcd3fce", tmp_path)).predict()
    assert [str(i) for i in pred["unique_id"]] == exp["unique_id"]
    np.testing.assert_allclose(pred["mean"].to_numpy(), exp["predict_mean"],
                               rtol=FLOAT32_RTOL)


def test_forecast_run_started_before_the_linear_skip_resumes(tmp_path, capsys):
    # it was refused: the resumed config added the linear skip (linear_skip's default), so
    # the checkpoint "did not match the model built from its config: missing
    # ['skip.weight']" and the message suggested an edited cli.json
    out = _copy("forecast_run_0ca44ed", tmp_path)
    code, err = run(["forecast", "--resume", str(out), "--no-progress"], capsys)
    assert code == 0, err
    assert "started by an earlier rnnlab" in err and "linear_skip=False" in err
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["linear_skip"] is False and config["select"] == "network"
    import csv

    rows = [r for r in csv.DictReader((out / "forecast.csv").open()) if r["part"] == "test"]
    # the network's forecast, trained on by this rnnlab's loop from the old checkpoint:
    # close to what the earlier rnnlab ended with (its batches and validation since changed)
    np.testing.assert_allclose([float(r["model"]) for r in rows],
                               EXPECTED["forecast_run_0ca44ed"]["test_model_by_the_old_rnnlab"],
                               rtol=0.05)


def test_checkpoint_records_its_format_and_another_is_refused_by_name(tmp_path):
    # checkpoints held no format: a later layout would have been misread, or refused as
    # "damaged"; now each records one, and one this rnnlab does not read is named
    import torch

    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.train.checkpoint import CHECKPOINT_FORMAT, CheckpointManager

    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(3, {"w": torch.ones(2)}, {"x": 1}, {"versions": {"rnnlab": "9.9"}})
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["format"] == CHECKPOINT_FORMAT == 1
    meta.pop("_sha256", None)
    atomic_write_json(folder / "meta.json", dict(meta, format=2), checksum=True)
    with pytest.raises(CheckpointError, match=r"checkpoint format 2 \(written by rnnlab 9\.9\); "
                                              r"this rnnlab .* reads format 1"):
        mgr.load()


def test_checkpoint_without_a_format_is_read_as_the_first(tmp_path):
    from rnnlab.train.checkpoint import load_checkpoint_dir

    run_dir = _copy("forecast_run_0ca44ed", tmp_path)
    weights, state, meta = load_checkpoint_dir(run_dir / "checkpoints" / "member0" /
                                               "ckpt-00000016")
    assert "format" not in meta and meta["step"] == 16 and "skip.weight" not in weights


def test_resume_of_a_panel_run_says_it_has_no_checkpoints(tmp_path, capsys):
    # it said "not a run directory of rnnlab forecast (no cli.json)" of a run that command
    # wrote; a panel run saves no options (session 27: its command again with --resume)
    run_dir = tmp_path / "panel_run"
    run_dir.mkdir()
    (run_dir / "panel.json").write_text("{}")
    code, err = run(["forecast", "--resume", str(run_dir)], capsys)
    assert code == 1 and "saves no options" in err and f"--run {run_dir}" in err
    assert f"--out {run_dir} --resume" in err
