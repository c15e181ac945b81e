"""Series ids come back as the user gave them: int64 stays int64 (forecasts, backtests,
evaluation tables, the CLI's CSVs, a saved then loaded model), text stays text, other
types come back as text with a warning (rnnlab/panel/ids.py)."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.cli import main
from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.errors import CheckpointError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import SeasonalNaive
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster
from rnnlab.panel import plots

TINY = dict(lookback=8, horizon=4, hidden_size=8, head_size=8, batch_size=16,
            batches_per_epoch=2, epochs=1, seed=0)


def _frame(ids=(1, 2, 10), n=40, dtype=None):
    rng = np.random.default_rng(0)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range("2000-01-01", periods=n),
                                  "y": 10.0 + k + rng.standard_normal(n)})
                    for k, u in enumerate(ids)], ignore_index=True)
    if dtype is not None:
        df["unique_id"] = df["unique_id"].astype(dtype)
    return df


def _merges(df, fc):
    """``fc`` merges with the input frame on unique_id: every forecast finds its series."""
    m = df.merge(fc[["unique_id", "step", "mean"]], on="unique_id")
    assert len(m) == len(fc) * (len(df) // df["unique_id"].nunique())
    assert set(fc["unique_id"]) == set(df["unique_id"])


def test_int_ids_round_trip_predict_sample_paths_and_merge():
    torch.set_num_threads(1)
    df = _frame()
    panel = read_panel(df)
    f = GlobalForecaster("lstm", quantiles=(0.1, 0.5, 0.9), **TINY).fit(panel)
    fc = f.predict()
    _merges(df, fc)
    assert fc["unique_id"].dtype == np.int64
    assert fc["unique_id"].tolist()[:4] == [1, 1, 1, 1]
    assert panel.id_kind == "int64" and panel.ids == ("1", "10", "2")  # text inside
    again = f.predict(history=df)  # a DataFrame as history: its ids' type
    assert again["unique_id"].dtype == np.int64
    np.testing.assert_allclose(again["mean"], fc["mean"])
    g = GlobalForecaster("gru", likelihood="gaussian", samples=20, **TINY).fit(panel)
    paths = g.sample_paths()
    assert set(paths) == {1, 2, 10} and paths[10].shape == (20, 4)


def test_other_id_types():
    df = _frame(ids=("a", "b", "c"))
    assert read_panel(df).id_kind == "str"
    p32 = read_panel(_frame(dtype="int32"))
    assert p32.id_kind == "int32"
    assert SeasonalNaive().fit(p32).predict(3)["unique_id"].dtype == np.int32
    wide = _frame().pivot(index="ds", columns="unique_id", values="y")  # int column names
    assert read_panel(wide).id_kind == "int64"
    d = {7: wide[1], 8: wide[2]}
    fc = SeasonalNaive().fit(read_panel(d)).predict(2)
    assert fc["unique_id"].tolist() == [7, 7, 8, 8]
    obj = _frame(dtype=object)  # Python ints in an object column
    assert read_panel(obj).id_kind == "int64"
    with pytest.warns(UserWarning, match="ids of type floating .* kept as text"):
        p = read_panel(_frame(ids=(1.5, 2.5)))
    assert p.id_kind == "str"
    assert SeasonalNaive().fit(p).predict(1)["unique_id"].tolist() == ["1.5", "2.5"]
    with pytest.warns(UserWarning, match="ids of type mixed-integer"):
        assert read_panel(_frame(ids=(1, "b"))).id_kind == "str"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # text and int ids: no warning
        read_panel(_frame())
        read_panel(_frame(ids=("a", "b")))


def test_backtest_gives_ids_back_and_merges_with_the_input():
    torch.set_num_threads(1)
    df = _frame()
    panel = read_panel(df)
    r = backtest(lambda: GlobalForecaster("lstm", **TINY), panel, horizon=4, first_origin=8,
                 stride=4, baselines=("naive", "seasonal_naive"))
    fc = r.forecasts
    assert fc["unique_id"].dtype == np.int64
    assert set(fc["model"]) == {"model", "naive", "seasonal_naive"}
    assert len(fc) == 3 * 3 * 2 * 4  # models x series x origins x horizon
    truth = df.merge(fc, on=["unique_id", "ds"], suffixes=("", "_bt"))
    assert len(truth) == len(fc)
    np.testing.assert_allclose(truth["y"], truth["y_bt"])
    assert r.per_series()["unique_id"].dtype == np.int64
    assert set(r.summary()["n_series"]) == {3}
    # the same backtest on the ids as text: the same numbers
    s = backtest(lambda: GlobalForecaster("lstm", **TINY), read_panel(_frame(dtype=str)),
                 horizon=4, first_origin=8, stride=4, baselines=("naive",))
    assert s.forecasts["unique_id"].dtype != np.int64
    a = fc[fc.model != "seasonal_naive"].reset_index(drop=True)
    np.testing.assert_allclose(a["mean"], s.forecasts["mean"])
    assert (a["unique_id"].astype(str) == s.forecasts["unique_id"]).all()


def _rewrite(path, **extra):
    """model.json with ``extra`` changed, its checksum written anew (a hand-edited file)."""
    meta = json.loads((path / "model.json").read_text())
    meta.pop("_sha256", None)
    for k, v in extra.items():
        if v is None:
            meta["extra"].pop(k)
        else:
            meta["extra"][k] = v
    atomic_write_json(path / "model.json", meta, checksum=True)


@pytest.mark.parametrize("local", [False, True])
def test_saved_model_keeps_the_ids_type(tmp_path, local):
    torch.set_num_threads(1)
    df = _frame(ids=(3, 1) if local else (1, 2, 10))
    f = GlobalForecaster("gru", local=local, **TINY).fit(read_panel(df))
    fc = f.predict()
    f.save(tmp_path / "m")
    assert json.loads((tmp_path / "m" / "model.json").read_text())["extra"]["id_kind"] == "int64"
    back = GlobalForecaster.load(tmp_path / "m").predict()
    assert back["unique_id"].dtype == np.int64
    pd.testing.assert_frame_equal(back, fc)
    _merges(df, back)
    for bad in ("float64", 3, "int65"):
        _rewrite(tmp_path / "m", id_kind=bad)
        with pytest.raises(CheckpointError, match=f"ids' type is {bad!r}; expected one of str, "
                                                  f"int8.*damaged"):
            GlobalForecaster.load(tmp_path / "m")
    _rewrite(tmp_path / "m", id_kind=None)  # saved before ids kept their type: text
    assert GlobalForecaster.load(tmp_path / "m").predict()["unique_id"].tolist()[0] == str(
        fc["unique_id"].iloc[0])


def test_saved_ids_that_do_not_match_their_type_are_refused(tmp_path):
    torch.set_num_threads(1)
    f = GlobalForecaster("gru", **TINY).fit(read_panel(_frame(ids=("a", "b"))))
    f.save(tmp_path / "m")
    _rewrite(tmp_path / "m", id_kind="int64")
    with pytest.raises(CheckpointError, match=r"series ids \['a', 'b'\] are not of the recorded "
                                              r"type 'int64'"):
        GlobalForecaster.load(tmp_path / "m")


def test_cli_backtest_csvs_merge_with_the_input(tmp_path):
    df = _frame(n=30)
    df.to_csv(tmp_path / "p.csv", index=False)
    out = tmp_path / "run"
    assert main(["backtest", "--data", str(tmp_path / "p.csv"), "--model", "seasonal_naive",
                 "--baselines", "naive", "--horizon", "4", "--first-origin", "8", "--stride",
                 "4", "--plot-series", "2", "--out", str(out)]) == 0
    raw = pd.read_csv(tmp_path / "p.csv")
    for name in ("forecasts.csv", "per_series.csv"):
        got = pd.read_csv(out / name)
        assert got["unique_id"].dtype == raw["unique_id"].dtype == np.int64
        assert set(got["unique_id"]) == {1, 2, 10}
    fc = pd.read_csv(out / "forecasts.csv")
    assert len(raw.merge(fc, on=["unique_id", "ds"])) == len(fc)


def test_plot_grid_finds_the_history_of_typed_ids(tmp_path, monkeypatch):
    panel = read_panel(_frame())
    r = backtest(None, panel, horizon=4, first_origin=8, stride=4, baselines=("naive",))
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: figs.append(fig))
    plots.plot_forecast_grid(tmp_path / "g.png", r.forecasts, panel.df, n=3)  # int vs text ids
    lines = {ln.get_label(): len(ln.get_xdata()) for ax in figs[0].axes for ln in ax.lines}
    assert lines["history"] > 0 and lines["truth"] == 8
