"""``rnnlab forecast --data X --insample FILE.csv`` on one series (and ``--run DIR --data X
--insample``): the Forecaster's in-sample forecasts written as a panel run writes its
network's. Was: refused, "--insample: options of the panel model", and "... is a
one-series run" with --run, pointing at a predict(h, history=series[:k]) loop."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast import Forecaster

TINY = ["--model", "gru", "--lookback", "12", "--horizon", "6", "--epochs", "1",
        "--hidden-size", "4", "--ensemble", "1", "-q"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A trained run of airline and the in-sample file its training wrote."""
    tmp = tmp_path_factory.mktemp("insample1")
    out, fitted = tmp / "run", tmp / "fitted.csv"
    assert main(["forecast", "--data", "airline", *TINY, "--out", str(out),
                 "--insample", str(fitted)]) == 0
    return out, fitted


def test_training_writes_the_saved_models_insample_forecasts(run):
    out, fitted = run
    got = pd.read_csv(fitted)
    assert list(got.columns) == ["unique_id", "ds", "cutoff", "step", "y", "mean"]
    f = Forecaster.load(out / "model")
    want = f.predict_insample()
    assert len(got) == len(want) == 705  # (120 cutoffs: 24 values read before the first)
    assert got["ds"].iloc[0] == "1951-01" and got["cutoff"].iloc[-1] == "1960-11"  # (as read)
    np.testing.assert_allclose(got["mean"], want["mean"], rtol=1e-12)
    np.testing.assert_array_equal(got["y"], want["y"])


def test_run_with_data_writes_them_every_step_cutoffs_with_quantiles(run, tmp_path, capsys):
    out, _ = run
    path = tmp_path / "again.csv"
    assert main(["forecast", "--run", str(out), "--data", "airline", "--insample", str(path),
                 "--insample-step", "12", "--quantiles", "0.1", "0.9"]) == 0
    assert "wrote 55 in-sample forecasts (1 series, 10 cutoffs)" in capsys.readouterr().err
    got = pd.read_csv(path)
    assert list(got.columns)[-3:] == ["mean", "q0.1", "q0.9"]
    assert (got["q0.1"] <= got["mean"]).all() and (got["mean"] <= got["q0.9"]).all()
    assert got["cutoff"].drop_duplicates().tolist()[-2:] == ["1959-11", "1960-11"]


def test_a_file_is_not_replaced_unasked_nor_the_data(run, tmp_path, capsys):
    out, _ = run
    path = tmp_path / "kept.csv"
    path.write_text("mine\n")
    assert main(["forecast", "--run", str(out), "--insample", str(path)]) != 0
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert path.read_text() == "mine\n"
    data = tmp_path / "a.csv"
    pd.read_csv(out / "forecast.csv").head(0).to_csv(data, index=False)
    assert main(["forecast", "--run", str(out), "--data", str(data), "--insample", str(data),
                 "--overwrite"]) != 0
    assert "this command reads" in capsys.readouterr().err
    assert main(["forecast", "--run", str(out), "--insample", str(path), "--overwrite"]) == 0
    assert path.read_text().startswith("unique_id,ds,cutoff,step,y,mean\n")


@pytest.mark.parametrize("extra, said", [
    (["--seeds", "1", "2", "--insample", "x.csv"], "--insample with --seeds"),
    (["--insample-step", "3"], "give --insample FILE.csv with it"),
    (["--insample", "-"], "give a CSV file name")])
def test_refused_before_any_folder(tmp_path, extra, said, capsys):
    extra = [str(tmp_path / e) if e == "x.csv" else e for e in extra]
    assert main(["forecast", "--data", "airline", *TINY, "--out", str(tmp_path / "r")]
                + extra) != 0
    assert said in capsys.readouterr().err and not (tmp_path / "r").exists()
    assert not (tmp_path / "x.csv").exists()


def test_the_file_output_writes_is_refused(run, tmp_path, capsys):
    out, _ = run
    same = tmp_path / "same.csv"
    assert main(["forecast", "--run", str(out), "--output", str(same), "--insample",
                 str(same)]) != 0
    assert "the file --output writes" in capsys.readouterr().err and not same.exists()


@pytest.mark.parametrize("inside", ["forecast.csv", "model/model.json", "."])
def test_a_file_inside_the_run_directory_is_refused_before_it(tmp_path, inside, capsys):
    # (was: written after the run, over its forecast.csv (or model.json: the saved model
    # broken), where a panel run refuses it before any work)
    out = tmp_path / "r"
    assert main(["forecast", "--data", "airline", *TINY, "--out", str(out), "--insample",
                 str(out / inside)]) != 0
    err = capsys.readouterr().err
    assert f"inside the run directory {out} this run writes (its forecast files" in err
    assert f"e.g. {tmp_path / 'r-insample.csv'}" in err and not out.exists()


@pytest.mark.parametrize("option, name", [("--output", "forecast.csv"),
                                          ("--insample", "insample.csv")])
@pytest.mark.parametrize("inside", [".", "model"])
def test_the_run_folder_given_names_a_file_beside_the_run(run, option, name, inside, capsys):
    # (was: "e.g. RUN/forecast.csv", a file of the run, which was refused next)
    out, _ = run
    assert main(["forecast", "--run", str(out), option, str(out / inside)]) != 0
    err = capsys.readouterr().err
    assert f"is a directory; {option} takes a CSV file name, e.g. {out}-{name}" in err
    assert main(["forecast", "--run", str(out), option, f"{out}-{name}", "--overwrite"]) == 0
