"""Frictions a NeuralForecast user met with panels (session 29, user29c)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.json_file import checksummed_text


def _runs_table(path, capsys):
    assert main(["runs", str(path)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_runs_lists_a_panel_forecasts_metrics_per_model(tmp_path, capsys):
    # a panel `rnnlab forecast` writes metrics.json as a list of models (as backtest's
    # summary.json); `rnnlab runs` read it as nested numbers and gave the run no metric
    from rnnlab.panel.forecast_run import _write_metrics_json

    run = tmp_path / "panel_run"
    run.mkdir()
    (run / "config.json").write_text(checksummed_text({
        "config": {"panel": True, "model": {"lookback": 12},
                   "options": {"command": "forecast", "horizon": 6}},
        "seed": 0, "command": ["rnnlab", "forecast", "--out", str(run)]}))
    summary = pd.DataFrame({"model": ["lstm", "naive"], "mase": [0.57, 2.79],
                            "n_series": [3, 3]})
    _write_metrics_json(run, summary, 6, {})
    [row] = _runs_table(tmp_path, capsys)
    assert (row["lstm.mase"], row["naive.mase"], row["lstm.n_series"]) == ("0.57", "2.79", "3")
    assert row["test_size"] == "6" and row["finished"] == "True"


def _future(ids, start, steps):
    return pd.DataFrame([{"unique_id": u, "ds": d, "price": 1.0} for u in ids
                         for d in pd.date_range(start, periods=steps, freq="MS")])


def test_a_future_table_for_fewer_steps_names_the_horizon_it_gives():
    from rnnlab.io.errors import DataError
    from rnnlab.panel.future_table import future_block

    last = {"a": pd.Timestamp("2022-12-01"), "b": pd.Timestamp("2022-12-01")}
    short = _future(["a", "b"], "2023-01-01", 3)  # laid out for predict(h=3)
    with pytest.raises(DataError) as e:
        future_block(short, ["a", "b"], last, 6, "MS", ["price"])
    assert "first 3 steps: forecast 3 (predict(3, future=...); --horizon 3" in str(e.value)
    # one series shorter still: the horizon every series' rows give
    shorter = short[~((short.unique_id == "b") & (short.ds > "2023-01-01"))]
    with pytest.raises(DataError) as e:
        future_block(shorter, ["a", "b"], last, 6, "MS", ["price"])
    assert "first 1 step: forecast 1 (predict(1, " in str(e.value)
    # a series with no row at all: no horizon helps
    with pytest.raises(DataError) as e:
        future_block(short[short.unique_id == "a"], ["a", "b"], last, 6, "MS", ["price"])
    assert "forecast 3" not in str(e.value) and "series 'a'" in str(e.value)


def test_a_builtin_panels_static_column_names_its_static_table(tmp_path, capsys):
    # `rnnlab datasets` says us_employment has a static covariate; --static-covariates
    # Title without --static-data said only "--static-data FILE.csv"
    from rnnlab.panel import us_employment_titles
    from rnnlab.panel.data_args import BUILTIN_STATIC

    assert main(["backtest", "--data", "us_employment", "--static-covariates", "Title",
                 "--model", "lstm", "--epochs", "1", "--out", str(tmp_path / "r")]) != 0
    err = capsys.readouterr().err
    assert "us_employment's Title is in its built-in static table: --static-data " \
           "us_employment_titles" in err
    name, columns = BUILTIN_STATIC["us_employment"]
    assert set(columns) <= set(us_employment_titles().columns) and name == "us_employment_titles"


@pytest.mark.parametrize("name, fix", [
    # (index=False since rev_user29c: the row numbers were written as a column of their own)
    ("fc.parquet", "pandas.read_csv('fc.csv').to_parquet('fc.parquet', index=False)"),
    ("fc.csv.gz", "pandas.read_csv('fc.csv').to_csv('fc.csv.gz', index=False)"),
    ("fc.XLSX", "pandas.read_csv('fc.csv').to_excel('fc.XLSX', index=False)")])
def test_an_output_name_of_another_format_is_refused_naming_the_csv(tmp_path, name, fix):
    # `--output fc.parquet` wrote CSV text under that name: pandas.read_parquet failed on it
    from rnnlab.io.errors import OptionError
    from rnnlab.io.output_file import check_output_file

    for option in ("--output", "--insample"):
        with pytest.raises(OptionError) as e:
            check_output_file(str(tmp_path / name), False, option=option)
        assert f"{option} writes CSV text" in str(e.value) and fix in str(e.value)
        assert f"({option} {tmp_path / 'fc.csv'})" in str(e.value)
    assert check_output_file(str(tmp_path / "fc.txt"), False) == tmp_path / "fc.txt"


@pytest.mark.parametrize("flag, said", [
    # statsforecast's time_col= was "did you mean --time-zone?"; target_col= named nothing
    ("--time-col", "(--time-col: did you mean --date-column?)"),
    ("--target-col", "(--target-col: did you mean --column?)"),
    # NeuralForecast's input_size: "--lookback or --hidden-size?" (a spelling of "size")
    ("--input-size", "(--input-size: did you mean --lookback?)")])
def test_statsforecast_column_options_name_ours(flag, said, capsys):
    for command in ("backtest", "forecast"):
        assert main([command, "--data", "x.csv", flag, "ds"]) == 2
        assert said in capsys.readouterr().err


@pytest.mark.slow  # (a likelihood model's fit and draws)
def test_the_plots_legend_names_a_likelihoods_mean():
    # a quantile model's `mean` column is its median (the tables say so): its plot's
    # legend said "forecast (mean)"; a likelihood's is its draws' mean
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from notebook_fits import TINY_P, _panel

    from rnnlab import GlobalForecaster

    # (the quantile model's "forecast (median)": test_notebook19's band test)
    g = GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P, likelihood="gaussian",
                         samples=20).fit(_panel())
    fig = g.plot()
    labels = [ln.get_label() for ln in fig.axes[0].lines]
    assert "forecast (mean)" in labels and "forecast (median)" not in labels
    plt.close(fig)


def test_series_scored_at_no_origin_are_counted_with_the_alignment_that_scores_them():
    # series that end before the first common origin were named among those scored on
    # fewer values, with no word that none of them is scored or that align='end' would
    import warnings

    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import Naive

    ends = {"a": 40, "b": 40, "c": 30}  # c ends 10 steps before a and b
    df = pd.DataFrame([{"unique_id": u, "ds": d, "y": 1.0 + (i % 3)} for u, n in ends.items()
                       for i, d in enumerate(pd.date_range("2000-01-01", periods=n))])
    for first, gone in ((6, "1 of them is scored at no origin here: align='end'"),
                        (12, None)):  # (c is scored at the first origin, 12 before the end)
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            backtest(Naive, read_panel(df), horizon=3, first_origin=first, stride=3,
                     baselines=())
        text = " ".join(str(w.message) for w in said if "align='date'" in str(w.message))
        assert "): c (" in text
        assert (gone in text) if gone else "scored at no origin" not in text


@pytest.fixture(scope="module")
def static_fitted():
    from test_panel_new_series_static import TINY, _table

    from rnnlab.panel import GlobalForecaster, read_panel

    df = _table()
    f = GlobalForecaster(static_covariates=("kind", "size"), **TINY).fit(
        read_panel(df.drop(columns=["kind", "size"])),
        static=df.groupby("unique_id", as_index=False)[["kind", "size"]].first())
    return f, df


def test_predict_takes_a_new_series_static_values_as_a_table(static_fitted):
    # NeuralForecast's predict(df=new_df, static_df=static_df): predict had no static=
    # (refused, pointing to a merge onto the history), where `rnnlab forecast --run DIR
    # --data new.csv --static-data FILE.csv` took the table
    f, df = static_fitted
    new = df[df["unique_id"] == "s0"].assign(unique_id="new")
    table = pd.DataFrame({"unique_id": ["new"], "kind": ["b"], "size": [3.0]})
    with pytest.warns(UserWarning, match="not in the training panel"):
        got = f.predict(history=new.drop(columns=["kind", "size"]), static=table)
    with pytest.warns(UserWarning, match="not in the training panel"):
        merged = f.predict(history=new.assign(kind="b", size=3.0))
    pd.testing.assert_frame_equal(got, merged)
    with pytest.warns(UserWarning, match="not in the training panel"):  # ids as the index
        by_index = f.predict(history=new.drop(columns=["kind", "size"]),
                             static=table.set_index("unique_id"))
    pd.testing.assert_frame_equal(by_index, merged)


def test_predicts_static_table_is_refused_where_it_cannot_be_read(static_fitted):
    from rnnlab.io.errors import ConfigTypeError, DataError

    f, df = static_fitted
    new = df[df["unique_id"] == "s0"].assign(unique_id="new")
    twice = pd.DataFrame({"unique_id": ["new", "new"], "kind": ["a", "b"], "size": [1., 1.]})
    with pytest.raises(DataError, match=r"static=: more than one row for series \['new'\]"):
        f.predict(history=new, static=twice)
    with pytest.raises(DataError, match=r"static covariate 'kind': static= and the "
                                        r"history's column differ for series \['new'\]"):
        f.predict(history=new, static=twice.head(1).assign(kind="b"))
    with pytest.raises(ConfigTypeError, match="without history= the fitted series"):
        f.predict(static=twice.head(1))


def test_the_baselines_import_from_rnnlab_panel():
    # statsforecast's `from statsforecast.models import SeasonalNaive` reads here
    # `from rnnlab.panel import SeasonalNaive`: it was an ImportError (the classes were in
    # rnnlab.panel.baselines, .ets and .croston only)
    import rnnlab.panel as rp
    from rnnlab.panel.baselines import BASELINES

    for name, cls in BASELINES.items():
        assert getattr(rp, cls.__name__) is cls and cls.__name__ in rp.__all__, name
    from rnnlab.panel import ETS, SeasonalNaive  # noqa: F401


def test_a_new_series_without_a_static_row_names_predicts_static_table(static_fitted):
    # the refusal named only the history's columns; a static table with no row for the new
    # series (`--static-data` of another run's series) said "a category the training series
    # have", not where a row goes
    from rnnlab.io.errors import DataError

    f, df = static_fitted
    new = df[df["unique_id"] == "s0"].assign(unique_id="new").drop(columns=["kind", "size"])
    others = pd.DataFrame({"unique_id": ["s1"], "kind": ["b"], "size": [1.0]})
    with pytest.raises(DataError, match=r"'kind' has no value.*a value for each column, as "
                                        r"predict\(static=\.\.\.\) rows \(--static-data"):
        f.predict(history=new, static=others)


def test_the_documented_wide_table_round_trips():
    # docs/panels.md: a forecast's wide table by pandas' pivot, read back by read_panel
    from rnnlab.panel import SeasonalNaive, read_panel

    ends = {"a": 30, "b": 27}
    df = pd.DataFrame([{"unique_id": u, "ds": d, "y": 1.0 + i % 7 + k} for k, (u, n) in
                       enumerate(ends.items())
                       for i, d in enumerate(pd.date_range("2000-01-01", periods=n))])
    fc = SeasonalNaive().fit(read_panel(df)).predict(3)
    wide = fc.pivot(index="ds", columns="unique_id", values="mean")
    assert list(wide.columns) == ["a", "b"] and wide["b"].isna().sum() == 3
    back = read_panel(wide)
    assert back.ids == ("a", "b")
    long = wide.reset_index().melt(id_vars="ds", var_name="unique_id", value_name="mean")
    merged = long.dropna().merge(fc, on=["unique_id", "ds"], suffixes=("", "_fc"))
    assert len(merged) == len(fc) and (merged["mean"] == merged["mean_fc"]).all()


@pytest.mark.parametrize("setting, said", [
    # NeuralForecast's RNN(decoder_hidden_size=): was "did you mean hidden_size?"
    ("decoder_hidden_size", "'decoder_hidden_size' (here: head_size=)"),
    ("inference_input_size", "'inference_input_size' (here: lookback=)"),
    # was "did you mean num_layers?"
    ("num_lr_decays", "'num_lr_decays' (here: lr_schedule=)"),
    # was "did you mean head_size, embed_size, batch_size?"
    ("step_size", "'step_size' (here: each batch draws its windows from every position"),
    ("valid_loss", "'valid_loss' (here: the validation loss is the training loss"),
    ("val_check_steps", "'val_check_steps' (here: validation runs at each epoch's end")])
def test_neuralforecasts_model_settings_name_ours(setting, said):
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(**{setting: 1})
    assert said in str(e.value)
