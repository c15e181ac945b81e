"""Review of user29c (session 29): panel frictions for NeuralForecast users, mended."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError, DataError


def test_the_panel_model_is_back_under_the_house_limit():
    """model.py was 303 lines after user29c (predict's static=): sample_paths lives in
    model_paths.py, still the method itself (no frame of its own: its warnings' stacklevels
    reach the caller's line, as _forecast's)."""
    from rnnlab.panel import model, model_paths

    assert model.GlobalForecaster.sample_paths is model_paths.sample_paths
    assert len(Path(model.__file__).read_text().splitlines()) < 300


@pytest.fixture(scope="module")
def likelihood_static():
    """A gaussian model reading static covariates, and a new series' history (a copy of
    s0's values under a new id) without them: their table is given apart."""
    from test_panel_new_series_static import TINY, _table

    from rnnlab.panel import GlobalForecaster, read_panel

    df = _table()
    f = GlobalForecaster(static_covariates=("kind", "size"), likelihood="gaussian",
                         samples=8, **TINY).fit(read_panel(df))
    new = df[df["unique_id"] == "s0"].assign(unique_id="new")
    table = pd.DataFrame({"unique_id": ["new"], "kind": ["a"], "size": [0.0]})
    return f, new, table


def test_sample_paths_takes_predicts_static_table(likelihood_static):
    """predict(history=new, static=table) forecast a new series; sample_paths (its
    sibling, 'horizon, future, history as predict's') had no static=: a TypeError, and
    without it the new series was refused for want of its values."""
    f, new, table = likelihood_static
    bare = new.drop(columns=["kind", "size"])
    with pytest.warns(UserWarning, match="not in the training panel"):
        got = f.sample_paths(history=bare, static=table)
    with pytest.warns(UserWarning, match="not in the training panel"):
        merged = f.sample_paths(history=new)
    assert list(got) == ["new"] and got["new"].shape == merged["new"].shape == (8, 4)
    np.testing.assert_allclose(got["new"], merged["new"])  # (the draws are seeded)
    with pytest.raises(DataError, match=r"predict\(static=\.\.\.\) rows"):
        f.sample_paths(history=bare)
    with pytest.raises(ConfigTypeError, match=r"GlobalForecaster.sample_paths\(static=\.\.\.\) "
                                              r"gives the static covariates of the series in "
                                              r"history="):
        f.sample_paths(static=table)


def test_plot_takes_predicts_static_table(likelihood_static):
    """plot draws predict's forecast; it passed no static=, so a new series' plot could
    not be drawn from the table predict takes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f, new, table = likelihood_static
    bare = new.drop(columns=["kind", "size"])
    with pytest.warns(UserWarning, match="not in the training panel"):
        want = f.predict(history=bare, static=table)
    with pytest.warns(UserWarning, match="not in the training panel"):
        fig = f.plot(history=bare, static=table)
    [ax] = fig.axes
    line = {ln.get_label(): ln for ln in ax.lines}["forecast (mean)"]
    np.testing.assert_allclose(line.get_ydata(), want["mean"])
    plt.close(fig)


@pytest.mark.parametrize("kind, cls", [("panel-forecaster", "GlobalForecaster"),
                                       ("forecaster", "Forecaster")])
def test_loading_a_backtest_folder_says_it_saves_no_model(tmp_path, kind, cls):
    """GlobalForecaster.load("bt1"): a backtest's folder (summary.json, forecasts.csv, and
    since bt29 checkpoints/ of its folds) was "holds training checkpoints ... continue it
    with --resume", or "no model.json": neither says that a backtest keeps no model."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.model_dir import read_model_json

    bt = tmp_path / "bt1"
    (bt / "checkpoints" / "folds").mkdir(parents=True)
    for name in ("summary.json", "forecasts.csv", "config.json"):
        (bt / name).write_text("{}")
    with pytest.raises(CheckpointError) as e:
        read_model_json(bt, kind)
    said = str(e.value)
    assert "a backtest's run directory (summary.json, forecasts.csv), which saves no model" \
        in said and "--resume" not in said
    assert f"{cls}(config=" in said and "config.model_config" in said
    assert "`rnnlab forecast --data DATA --out DIR`" in said


def _ragged_csv(path, lengths) -> str:
    rows = [(u, d, 10.0 + (i % 5) + k) for k, (u, n) in enumerate(lengths.items())
            for i, d in enumerate(pd.date_range("2020-01-01", periods=n, freq="MS"))]
    pd.DataFrame(rows, columns=["unique_id", "ds", "y"]).to_csv(path, index=False)
    return str(path)


@pytest.mark.slow  # (a whole rnnlab forecast run: ~10 s; the parts run fast below)
def test_a_series_too_short_to_train_on_is_said_in_the_points_given(tmp_path):
    """rnnlab forecast holds out each series' last horizon: c, 15 rows, was 'c' (9) at
    fit (the points before the test part, not the rows given), and the forecast past the
    data, from all 15, then called it 'not in the training panel', as if fit had lost it."""
    import warnings

    from rnnlab.cli import main

    data = _ragged_csv(tmp_path / "p.csv", {"a": 40, "b": 40, "c": 15})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert main(["forecast", "--data", data, "--horizon", "6", "--lookback", "6",
                     "--difference", "none", "--epochs", "1", "--batches-per-epoch", "2",
                     "--baselines", "naive", "--out", str(tmp_path / "run"),
                     "--no-progress"]) == 0
    text = " ".join(str(w.message) for w in said)
    assert "shorter than lookback + horizon = 12 points: 'c' (9 of its 15) (the points " \
           "before the test part, each series' last 6, held out to score); skipped (not " \
           "trained on, not scored; the forecast past the data reads all its points" in text
    assert "series ['c'] were not trained on (skipped by fit as too short for its windows: " \
           "'c' had 9 points there): forecast by the global network" in text
    assert "not in the training panel" not in text
    fc = pd.read_csv(tmp_path / "run" / "forecasts.csv")
    assert (fc["unique_id"] == "c").sum() == 6  # (forecast past the data, as said)


def test_python_fit_says_the_points_it_was_given_and_names_the_series_skipped():
    """Outside rnnlab forecast the count is the points fit was given (nothing held out),
    and predict(history=...) names a skipped series so; a series never given is new."""
    from test_panel_new_series_static import TINY

    from rnnlab.panel import GlobalForecaster, read_panel

    lengths = {"a": 40, "b": 40, "c": 10}
    df = pd.concat([pd.DataFrame({"unique_id": u, "y": 10.0 + np.arange(n) % 5 + k,
                                  "ds": pd.date_range("2020-01-01", periods=n, freq="D")})
                    for k, (u, n) in enumerate(lengths.items())], ignore_index=True)
    with pytest.warns(UserWarning, match=r"'c' \(10\); skipped \(not trained on, not "
                                         r"forecast\)"):
        f = GlobalForecaster(**{**TINY, "difference": "none"}).fit(read_panel(df))
    assert f.features.skipped == {"c": 10}
    longer = pd.concat([df, pd.DataFrame({"unique_id": "c", "y": 12.0, "ds": pd.date_range(
        "2020-01-11", periods=5, freq="D")}), df[df.unique_id == "a"].assign(unique_id="d")])
    with pytest.warns(UserWarning, match=r"series \['c', 'd'\] were not trained on \(new, "
                                         r"or skipped by fit as too short for its windows: "
                                         r"'c' had 10 points there\)"):
        f.predict(history=read_panel(longer))


def test_the_fit_warning_counts_the_test_part_only_within_it():
    """check_lengths inside test_part_held(6) (rnnlab forecast's fit) counts the points
    given too; outside it, as before, the points fit was given."""
    from rnnlab.panel import read_panel
    from rnnlab.panel.short_series import check_lengths, test_part_held

    df = pd.DataFrame({"unique_id": ["a"] * 20 + ["c"] * 9, "y": 1.0,
                       "ds": list(pd.date_range("2020-01-01", periods=20, freq="D"))
                       + list(pd.date_range("2020-01-01", periods=9, freq="D"))})
    with test_part_held(6), pytest.warns(UserWarning, match=r"'c' \(9 of its 15\) \(the "
                                                         r"points before the test part, each "
                                                         r"series' last 6"):
        assert read_panel(df).ids != check_lengths(read_panel(df), 12).ids
    with pytest.warns(UserWarning, match=r"'c' \(9\); skipped \(not trained on, not "
                                         r"forecast\)$"):
        check_lengths(read_panel(df), 12)


@pytest.mark.parametrize("name, read", [
    ("fc.csv.gz", lambda p: pd.read_csv(p)), ("fc.zip", lambda p: pd.read_csv(p)),
    ("fc.jsonl", lambda p: pd.read_json(p, lines=True)),
    ("fc.json", lambda p: pd.read_json(p)), ("fc.pkl", lambda p: pd.read_pickle(p))])
def test_the_conversion_an_output_refusal_names_keeps_the_table(tmp_path, monkeypatch, name,
                                                                 read):
    """--output fc.csv.gz is refused naming the pandas call that makes it from the .csv:
    to_csv('fc.csv.gz') wrote the row numbers as a first column ('Unnamed: 0' read back),
    to_json('fc.jsonl') one JSON object, not lines. The call named, run, gives the table."""
    from rnnlab.io.errors import OptionError
    from rnnlab.io.output_file import check_output_file

    monkeypatch.chdir(tmp_path)
    table = pd.DataFrame({"unique_id": ["a", "a", "b"], "step": [1, 2, 1],
                          "mean": [1.5, 2.5, 3.0]})
    with pytest.raises(OptionError) as e:
        check_output_file(name, False)
    table.to_csv("fc.csv", index=False)  # (what --output fc.csv writes)
    call = str(e.value).split(" after: ", 1)[1]
    exec(call, {"pandas": pd})
    pd.testing.assert_frame_equal(read(name), table)


def test_an_xls_output_names_the_xlsx_pandas_writes(tmp_path):
    """pandas writes no .xls (its xlwt engine is gone): the call named wrote nothing."""
    from rnnlab.io.errors import OptionError
    from rnnlab.io.output_file import check_output_file

    with pytest.raises(OptionError, match=r"to_excel\('fc.xlsx', index=False\)"):
        check_output_file(str(tmp_path / "fc.xls"), False)


@pytest.mark.slow  # (a network fitted on a file: ~8 s)
def test_plot_reads_a_history_file_as_predict_does(tmp_path):
    """plot(history=path) of a model fitted with off_grid='snap': predict read the file
    with fit's policy, then the plot read it again with read_panel's default ('refuse')
    for the past it draws, and refused the Thursday predict had snapped."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from test_off_grid_kept_api29 import _panel_csv  # (two weekly series, a Thursday in one)

    from rnnlab.panel import GlobalForecaster

    path = _panel_csv(tmp_path / "p.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = GlobalForecaster(horizon=4, lookback=8, epochs=1, hidden_size=4,
                             batches_per_epoch=2, progress=False).fit(path, off_grid="snap")
        fig = g.plot(history=path, series="a")
    [ax] = fig.axes
    drawn = {ln.get_label(): ln for ln in ax.lines}
    assert "forecast (median)" in drawn and len(drawn) >= 2
    plt.close(fig)


def test_a_categorical_static_table_joins_onto_a_history_holding_values(likelihood_static):
    """static_df["kind"].astype("category") (a NeuralForecast user's habit) with a row for
    the new series only, beside a history whose columns hold every series' values: a bare
    TypeError ('Cannot setitem on a Categorical with a new category') from the join, where
    s0's own value was put into the table's categories."""
    f, new, table = likelihood_static
    history = pd.concat([new.assign(unique_id="s0"), new.assign(kind="b")], ignore_index=True)
    with pytest.warns(UserWarning, match="not in the training panel"):
        got = f.predict(history=history, static=table.assign(kind="b").astype(
            {"kind": "category"}))  # (categories ['b']: s0's 'a' is none of them)
    with pytest.warns(UserWarning, match="not in the training panel"):
        want = f.predict(history=history)
    pd.testing.assert_frame_equal(got, want)


def test_predicts_static_table_may_be_keyed_as_fits():
    """A panel keyed by State and Zone: fit(static=) takes its table by those columns
    (no unique_id); predict(static=) refused the same table ("no 'unique_id' column")."""
    from test_panel_new_series_static import TINY, _table

    from rnnlab.panel import GlobalForecaster, read_panel

    df = _table().assign(State=lambda d: d["unique_id"], Zone="z")
    static = df.groupby(["State", "Zone"], as_index=False)[["kind", "size"]].first()
    keyed = dict(id_column=["State", "Zone"], date_column="ds", target="y")
    series = df.drop(columns=["unique_id", "kind", "size"])
    f = GlobalForecaster(static_covariates=("kind", "size"), **TINY).fit(
        read_panel(series, **keyed), static=static)
    new = series[series["State"] == "s0"].assign(State="new")
    row = static[static["State"] == "s0"].assign(State="new")
    with pytest.warns(UserWarning, match="not in the training panel"):
        got = f.predict(history=read_panel(new, **keyed), static=row)
    with pytest.warns(UserWarning, match="not in the training panel"):
        want = f.predict(history=read_panel(new.assign(kind="a", size=0.0), **keyed))
    pd.testing.assert_frame_equal(got, want)
    assert list(got[["State", "Zone"]].drop_duplicates().itertuples(index=False, name=None)) \
        == [("new", "z")]
