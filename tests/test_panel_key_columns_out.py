"""The outputs of a panel read by several key columns carry them (State, Zone) beside
``unique_id`` ('NSW/Metro'), of the types given; where outputs are read back (accuracy(),
``--run``) the keys are read too. Outputs of one-id panels are as before."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from fuzz_files import write_json
from rnnlab.cli import main
from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.panel import GlobalForecaster, accuracy, join_keys, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.key_columns import with_key_columns
from test_panel_key_columns import tourism as _tourism

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=8,
            lookback=4, horizon=2, patience=None)
KW = dict(id_column=["State", "Zone"], date_column="Quarter", target="Nights")


def tourism(n: int = 16) -> pd.DataFrame:
    """State, Zone, Quarter, Nights: three series named by two keys (16 quarters)."""
    return _tourism(n)


def test_predict_gives_the_key_columns_beside_the_id_of_their_given_types(tmp_path):
    """Forecasts carried only 'NSW/Metro': a fable user split it back to merge on."""
    df = tourism().assign(Store=lambda t: t["State"].map({"NSW": 7, "VIC": 12}))
    p = read_panel(df.drop(columns="State"), id_column=["Store", "Zone"],
                   date_column="Quarter", target="Nights", covariates=())
    assert "Store" not in p.df.columns  # (the keys come from the ids, not the table)
    m = GlobalForecaster(**TINY).fit(p)
    fc = m.predict()
    assert list(fc.columns[:4]) == ["unique_id", "Store", "Zone", "ds"]
    assert fc["Store"].dtype == np.int64 and set(fc["Store"]) == {7, 12}
    row = fc[fc["unique_id"] == "12/Metro"].iloc[0]
    assert (row["Store"], row["Zone"]) == (12, "Metro")
    assert list(m.make_future_dataframe().columns[:3]) == ["unique_id", "Store", "Zone"]
    m.save(tmp_path / "m")
    back = GlobalForecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(back.predict(), fc)


def test_a_history_table_without_its_keys_gets_the_fits_where_its_ids_are_of_them():
    """predict(history=panel.df): the table read again has one id column; its forecasts
    carry the fit's keys. A history of series not named by two keys: none (was no case)."""
    p = read_panel(tourism(), **KW)
    m = GlobalForecaster(**TINY).fit(p)
    fc = m.predict(history=p.df)
    assert list(fc.columns[:3]) == ["unique_id", "State", "Zone"]
    assert fc["State"].tolist()[-1] == "VIC"
    other = p.df.drop(columns=["State", "Zone"]).assign(
        unique_id=lambda t: t["unique_id"].str.replace("/", "-"))
    with pytest.warns(UserWarning, match="not in the training panel"):
        assert list(m.predict(history=other).columns[:2]) == ["unique_id", "ds"]


def test_keys_held_as_index_levels_are_given_back_as_columns():
    df = tourism().set_index(["State", "Zone", "Quarter"])
    p = read_panel(df, id_column=["State", "Zone"], date_column="Quarter", target="Nights")
    assert p.keys == (("State", "str"), ("Zone", "str"))
    fc = backtest(None, p, horizon=2, baselines=["naive"]).forecasts
    assert list(fc.columns[1:4]) == ["unique_id", "State", "Zone"]


def test_a_saved_models_damaged_keys_are_refused(tmp_path):
    m = GlobalForecaster(**TINY).fit(read_panel(tourism(), **KW))
    m.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["keys"] == [["State", "str"], ["Zone", "str"]]
    for bad, said in (([["State", "float64"], ["Zone", "str"]], "float64"),
                      ([["State"], ["Zone"]], r"expected \[\[name, kind\]")):
        meta["extra"]["keys"] = bad
        write_json(tmp_path / "m" / "model.json", meta, checked=True)
        with pytest.raises(CheckpointError, match=said):
            GlobalForecaster.load(tmp_path / "m")


def test_one_id_panels_outputs_and_saved_models_are_as_before(tmp_path):
    df = tourism().assign(unique_id=lambda t: t["State"] + "-" + t["Zone"])
    p = read_panel(df.drop(columns=["State", "Zone"]), id_column="unique_id",
                   date_column="Quarter", target="Nights")
    assert p.keys == ()
    m = GlobalForecaster(**TINY).fit(p)
    assert list(m.predict().columns[:3]) == ["unique_id", "ds", "step"]
    m.save(tmp_path / "m")
    assert "keys" not in json.loads((tmp_path / "m" / "model.json").read_text())["extra"]
    res = backtest(None, p, horizon=2, baselines=["naive"])
    assert list(res.per_series().columns[:3]) == ["model", "unique_id", "mase"]


def test_backtest_forecasts_and_per_series_carry_the_keys():
    res = backtest(None, read_panel(tourism(), **KW), horizon=2, baselines=["naive"])
    assert list(res.forecasts.columns[:4]) == ["model", "unique_id", "State", "Zone"]
    for table in (res.per_series(), res.tables()[1]):
        assert list(table.columns[:4]) == ["model", "unique_id", "State", "Zone"]
        vic = table[table["unique_id"] == "VIC/Metro"].iloc[0]
        assert (vic["State"], vic["Zone"]) == ("VIC", "Metro")


def test_accuracy_reads_forecasts_by_their_keys_and_gives_them_back(tmp_path):
    """A forecasts.csv read back is scored with its keys beside each id; a frame naming
    its series by the keys alone (no unique_id) was 'forecasts lack columns'."""
    full = read_panel(tourism(), **KW)
    res = backtest(None, full, horizon=2, baselines=["naive"])
    res.forecasts.to_csv(tmp_path / "fc.csv", index=False)
    fc = pd.read_csv(tmp_path / "fc.csv")
    got = accuracy(fc, full)
    assert list(got.columns[:4]) == ["model", "unique_id", "State", "Zone"]
    pd.testing.assert_frame_equal(got[["unique_id", "mase"]],
                                  res.per_series()[["unique_id", "mase"]])
    by_keys = accuracy(fc.drop(columns="unique_id"), full)
    pd.testing.assert_frame_equal(by_keys, got)


def test_accuracy_by_a_key_column_and_a_by_the_forecasts_lack_is_refused():
    """by=("model", "State") on forecasts holding the ids alone gave the means per model
    (the column left out of the grouping without a word), as did a misspelt column."""
    p = read_panel(tourism(), **KW)
    fc = backtest(None, p, horizon=2, baselines=["naive"]).forecasts
    by_state = accuracy(fc.drop(columns=["State", "Zone"]), p, by=("model", "State"))
    assert by_state["State"].tolist() == ["NSW", "VIC"]
    pd.testing.assert_frame_equal(by_state, accuracy(fc, p, by=("model", "State")))
    with pytest.raises(DataError, match=r"names \['state'\], not columns of the forecasts"):
        accuracy(fc, p, by=("model", "state"))
    assert accuracy(fc, p, by="model")["model"].tolist() == ["naive"]


def test_paired_tests_on_a_keyed_per_series_take_metrics_not_keys():
    """The run's per_series (now with State, Zone) listed the keys as metrics, and
    metric='State' reached the pivot of text."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.panel.backtest_tests import paired_tests

    res = backtest(None, read_panel(tourism(), **KW), horizon=2,
                   baselines=["naive", "seasonal_naive"])
    with pytest.raises(ConfigError, match=r"\(mase, .*wql, msis80\), got 'State'"):
        paired_tests(res, metric="State", per_series=res.per_series())
    assert len(paired_tests(res, per_series=res.per_series())) == 1


def test_a_key_named_as_an_output_column_is_said_and_left_out_of_the_outputs():
    """Keys brand and model: backtest forecasts (which have a model column) carried none,
    and predict's would have put the car's model where accuracy() reads the model's."""
    df = tourism().rename(columns={"State": "brand", "Zone": "model"})
    with pytest.warns(UserWarning, match=r"key column 'model' has the name.*'model_name'"):
        p = read_panel(df, id_column=["brand", "model"], date_column="Quarter",
                       target="Nights")
    assert p.keys == () and "NSW/Metro" in p.ids
    fc = backtest(None, p, horizon=2, baselines=["naive"]).forecasts
    assert set(fc["model"]) == {"naive"} and "brand" not in fc.columns


def test_the_future_template_with_its_keys_is_read_back_by_them(tmp_path):
    """make_future_dataframe() (now with State, Zone) written and read as ``--future`` by
    ``--id-column State,Zone`` was "has a 'unique_id' column and id_column names the keys";
    an id column that is not the keys joined still is."""
    from rnnlab.panel.future_file import read_future

    df = tourism().assign(Promo=lambda t: np.arange(len(t)) % 3)
    p = read_panel(df, **KW)
    m = GlobalForecaster(**TINY, future_covariates=("Promo",)).fit(p)
    m.make_future_dataframe().assign(Promo=1).to_csv(tmp_path / "f.csv", index=False)
    fut = read_future(tmp_path / "f.csv", ["Promo"], "State,Zone", "Quarter")
    assert sorted(set(fut["unique_id"])) == list(p.ids) and len(fut) == 6
    # predict(future=) of the template by its keys alone (was 'no unique_id column')
    f = m.make_future_dataframe().assign(Promo=1)
    pd.testing.assert_frame_equal(m.predict(future=f.drop(columns="unique_id")),
                                  m.predict(future=f))
    keys = ["State", "Zone"]
    again = read_panel(p.given(), id_column=keys)  # (unique_id, State, Zone, ds, y, ...)
    assert again.ids == p.ids and again.keys == p.keys
    with pytest.raises(DataError, match="would make another"):
        read_panel(p.given().assign(unique_id="x"), id_column=keys)


def test_fit_reads_a_static_table_keyed_by_the_panels_key_columns():
    """fit(static=) of State, Zone, area was 'the table needs a unique_id column'."""
    p = read_panel(tourism(), **KW)
    st = pd.DataFrame({"State": ["NSW", "NSW", "VIC"], "Zone": ["Metro", "Coast", "Metro"],
                       "area": [1.0, 2.0, 3.0]})
    cfg = dict(TINY, static_covariates=("area",), seed=3)
    by_keys = GlobalForecaster(**cfg).fit(p, static=st).predict()
    by_id = GlobalForecaster(**cfg).fit(p, static=join_keys(st, ["State", "Zone"])).predict()
    pd.testing.assert_frame_equal(by_keys, by_id)


def test_rnnlab_score_of_a_keyed_forecast_gives_the_keys_per_series(tmp_path, capsys):
    """score_forecast's per_series and rows, and ``rnnlab score --per-series / --json /
    --output``, gave the joined id alone (and --json read State as a number: 'could not
    convert string to float' once per_series held it)."""
    from rnnlab.forecast.scoring import score_forecast

    data = tourism(18)
    fc = backtest(None, read_panel(data, **KW), horizon=2, baselines=["naive"]).forecasts
    fc[fc["origin"] == fc["origin"].max()].drop(columns=["origin", "y", "model"]).to_csv(
        tmp_path / "fc.csv", index=False)
    data.to_csv(tmp_path / "actuals.csv", index=False)
    s = score_forecast(tmp_path / "fc.csv", tmp_path / "actuals.csv", id_column="State,Zone",
                       date_column="Quarter", column="Nights")
    assert s.keys == ("State", "Zone")
    assert list(s.per_series.columns[:4]) == ["model", "unique_id", "State", "Zone"]
    assert list(s.rows.columns[:3]) == ["unique_id", "State", "Zone"]
    args = ["score", str(tmp_path / "fc.csv"), "--actuals", str(tmp_path / "actuals.csv"),
            "--id-column", "State,Zone", "--date-column", "Quarter", "--column", "Nights"]
    assert main(args + ["--json"]) == 0
    each = json.loads(capsys.readouterr().out)["per_series"]
    assert (each[0]["unique_id"], each[0]["State"], each[0]["Zone"]) == ("NSW/Coast", "NSW",
                                                                          "Coast")
    assert main(args + ["--per-series", "--output", str(tmp_path / "rows.csv")]) == 0
    assert "unique_id State  Zone  n" in capsys.readouterr().out
    assert (tmp_path / "rows.csv").read_text().startswith("unique_id,State,Zone,ds")


def test_with_key_columns_leaves_a_frame_that_holds_them_or_no_ids():
    kinds = (("State", "str"), ("Zone", "str"))
    p = read_panel(tourism(), **KW)
    pd.testing.assert_frame_equal(p.given(), p.given().pipe(with_key_columns, kinds))
    assert list(p.given().columns).count("State") == 1
    df = pd.DataFrame({"model": ["a"], "mase": [1.0]})
    assert with_key_columns(df, kinds) is df


@pytest.mark.slow
def test_a_panel_runs_files_and_its_run_again_carry_the_keys(tmp_path):
    """forecasts.csv, per_series.csv and test_forecasts.csv of ``--id-column State,Zone``;
    ``--run`` forecasts again with them, from new data (a new series) too."""
    tourism().to_csv(tmp_path / "t.csv", index=False)
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(tmp_path / "t.csv"), "--id-column", "State,Zone",
                 "--date-column", "Quarter", "--column", "Nights", "--horizon", "2",
                 "--epochs", "1", "--hidden-size", "4", "--lookback", "4",
                 "--batches-per-epoch", "1", "--baselines", "naive", "--out", str(run),
                 "-q"]) == 0
    for name, first in (("forecasts.csv", "unique_id,State,Zone,ds"),
                        ("per_series.csv", "model,unique_id,State,Zone,"),
                        ("test_forecasts.csv", "model,unique_id,State,Zone,origin")):
        text = (run / name).read_text()
        assert text.startswith(first), (name, text[:80])
        assert "VIC/Metro,VIC,Metro," in text
    new = tourism().replace({"VIC": "TAS"})
    new.to_csv(tmp_path / "new.csv", index=False)
    args = ["forecast", "--run", str(run), "-q", "--output"]
    assert main(args + [str(tmp_path / "again.csv")]) == 0
    with pytest.warns(UserWarning, match="not in the training panel"):
        assert main(args + [str(tmp_path / "new_fc.csv"), "--data", str(tmp_path / "new.csv")]) == 0
    again = pd.read_csv(tmp_path / "again.csv")
    assert again.equals(pd.read_csv(run / "forecasts.csv"))
    assert "TAS/Metro,TAS,Metro," in (tmp_path / "new_fc.csv").read_text()

