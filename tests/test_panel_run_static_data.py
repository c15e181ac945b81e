"""``rnnlab forecast --run DIR --data new.csv --static-data static.csv``: a model that
reads static covariates forecasts a store it was not trained on, its region from the
file. --static-data was ignored with a warning under --run, and the new store was then
refused for want of the values the file gave."""

import numpy as np
import pandas as pd
import pytest

from printed_words import words
from rnnlab.cli import main


def _panel(path, extra=0, new=False):
    rng = np.random.default_rng(3)
    rows = []
    for i, store in enumerate(["st0", "st1", "st2"] + (["st9"] if new else [])):
        ds = pd.date_range("2021-03-01", periods=40 + extra, freq="D")
        rows.append(pd.DataFrame({"store": store, "day": ds.strftime("%Y-%m-%d"),
                                  "sales": 20 + i + np.sin(np.arange(len(ds)) / 3.0)
                                  + rng.normal(0, .2, len(ds))}))
    pd.concat(rows).to_csv(path, index=False)
    return str(path)


def _static(path, regions):
    pd.DataFrame({"store": list(regions), "region": list(regions.values())}).to_csv(
        path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("static_run")
    static = _static(tmp / "static.csv", {"st0": "south", "st1": "north", "st2": "north"})
    assert main(["forecast", "--data", _panel(tmp / "p.csv"), "--id-column", "store",
                 "--date-column", "day", "--column", "sales", "--static-covariates", "region",
                 "--static-data", static, "--horizon", "4", "--lookback", "8", "--epochs", "1",
                 "--batches-per-epoch", "2", "--baselines", "naive", "--seed", "0",
                 "--out", str(tmp / "run")]) == 0
    return tmp


def test_a_new_store_is_forecast_with_its_region_from_static_data(run, capsys):
    new = _panel(run / "new.csv", extra=3, new=True)
    static = _static(run / "static_new.csv", {"st0": "south", "st1": "north", "st2": "north",
                                              "st9": "south"})
    capsys.readouterr()
    with pytest.warns(UserWarning, match=r"\['st9'\] were not in the training panel"):
        assert main(["forecast", "--run", str(run / "run"), "--data", new, "--static-data",
                     static, "--output", str(run / "out.csv")]) == 0
    assert "ignored --static-data" not in words(capsys.readouterr().err)  # (a warning wraps)
    fc = pd.read_csv(run / "out.csv")
    assert sorted(fc["unique_id"].unique()) == ["st0", "st1", "st2", "st9"]
    assert fc["mean"].notna().all()


def test_a_new_store_without_its_region_is_refused_saying_where_to_give_it(run, capsys):
    new = _panel(run / "new2.csv", extra=3, new=True)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run / "run"), "--data", new,
                 "--output", str(run / "out2.csv")]) == 1
    assert "give their values ('region': one value per series) as predict(static=...) rows " \
           "(--static-data FILE.csv on the command line)" in capsys.readouterr().err
    static = _static(run / "static_changed.csv", {"st0": "north", "st9": "south"})
    assert main(["forecast", "--run", str(run / "run"), "--data", new, "--static-data",
                 static, "--output", str(run / "out3.csv")]) == 1  # st0's region is south
    assert "st0" in capsys.readouterr().err and not (run / "out3.csv").exists()
