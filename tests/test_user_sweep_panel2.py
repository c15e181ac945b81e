"""A second practitioner's sweep of rnnlab's panel API and CLI (GlobalForecaster, the
backtest, ``rnnlab forecast``/``backtest`` on panels): each test pins a problem found."""

import io

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=2, batches_per_epoch=5, batch_size=32)


def _panel(n_series=3, n=40, seed=0, freq="D"):
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2020-01-01", periods=n, freq=freq),
        "y": 10 + 3 * i + np.sin(np.arange(n) / 3) + 0.3 * rng.standard_normal(n)})
        for i in range(n_series)], ignore_index=True)


def _future(ids=("s0", "s1", "s2"), start="2020-02-10", h=4):
    return pd.DataFrame({"unique_id": np.repeat(list(ids), h),
                         "ds": np.tile(pd.date_range(start, periods=h), len(ids)),
                         "temp": 1.0})


@pytest.fixture(scope="module")
def paris_model():
    df = _panel().assign(temp=lambda d: np.arange(len(d)) % 7.0)
    df["ds"] = df["ds"].dt.tz_localize("Europe/Paris")
    return GlobalForecaster("lstm", lookback=8, horizon=4, future_covariates=("temp",),
                            **TINY).fit(df)


def test_future_dates_without_the_datas_time_zone_are_refused_saying_so(paris_model):
    # was: "future covariates are missing for series 's0' on 4 of the 4 forecast dates"
    # for a table whose dates were all there, only without the data's time zone
    fut = _future()
    with pytest.raises(DataError, match=r"without a time zone, the data's are in "
                                        r"Europe/Paris.*tz_localize\('Europe/Paris'\)"):
        paris_model.predict(future=fut)
    local = paris_model.predict(future=fut.assign(ds=fut.ds.dt.tz_localize("Europe/Paris")))
    utc = paris_model.predict(future=fut.assign(
        ds=fut.ds.dt.tz_localize("Europe/Paris").dt.tz_convert("UTC")))  # the same instants
    pd.testing.assert_frame_equal(local, utc)
    assert str(local["ds"].dt.tz) == "Europe/Paris"


def test_future_dates_with_a_zone_for_data_without_one_are_refused_saying_so():
    df = _panel().assign(temp=lambda d: np.arange(len(d)) % 7.0)
    f = GlobalForecaster("lstm", lookback=8, horizon=4, future_covariates=("temp",),
                         **TINY).fit(df)
    fut = _future()
    with pytest.raises(DataError, match=r"dates are in UTC, the data's are without a time"):
        f.predict(future=fut.assign(ds=fut.ds.dt.tz_localize("UTC")))
    assert len(f.predict(future=fut)) == 12


@pytest.mark.parametrize("option, value", [("stride", 2.5), ("first_origin", 8.5),
                                           ("horizon", 4.5), ("stride", True),
                                           ("min_length", 2.5)])
def test_backtest_refuses_a_count_of_steps_that_is_not_whole(option, value):
    # was: stride=2.5 a bare TypeError from range(); first_origin=8.5 cut to 8 silently
    opts = dict(horizon=4, first_origin=8, stride=4, min_length=2)
    opts[option] = value
    with pytest.raises(ValueError, match=rf"{option} must be a whole number of steps, "
                                         rf"got {value!r}"):
        backtest(None, read_panel(_panel()), baselines=("naive",), **opts)
    opts[option] = float(int(value)) if option != "stride" or value is not True else 4.0
    assert backtest(None, read_panel(_panel()), baselines=("naive",), **opts).forecasts.size
    with pytest.raises(ValueError, match=r"min_length must be at least 1 .*; got 0"):
        backtest(None, read_panel(_panel()), horizon=4, baselines=("naive",), min_length=0)


def test_backtest_reads_neuralforecasts_refit_booleans_and_a_string_of_baselines():
    # was: refit=False refused; baselines="naive,seasonal_naive" read letter by letter
    # ("unknown baseline 'n'")
    p = read_panel(_panel())
    res = backtest(None, p, horizon=4, first_origin=8, stride=4, refit=False,
                   baselines="naive, seasonal_naive")
    assert res.refit == "never"
    assert sorted(res.forecasts["model"].unique()) == ["naive", "seasonal_naive"]
    assert backtest(None, p, horizon=4, first_origin=8, stride=4, refit=True,
                    baselines="naive").refit == 1


def test_integer_time_steps_are_read_as_steps_and_bad_dates_say_what_to_do():
    # was: NeuralForecast's integer ds refused (to be given as dates one day apart); they
    # are steps now (tests/test_panel_integer_steps.py), and text that is no date still
    # gets the whole reason and what to do
    df = _panel().assign(ds=lambda d: d.groupby("unique_id").cumcount())
    p = read_panel(df)
    assert p.lengths().tolist() == [40, 40, 40] and p.ds_period == "int" and p.period is None
    bad = _panel().assign(ds="not a date")
    with pytest.raises(DataError, match=r"not dates .*ISO dates .*integer time steps"):
        read_panel(bad)


def test_day_first_future_dates_of_the_first_days_of_a_month_are_read_by_the_datas_step():
    # was: 01/03/2020 .. 07/03/2020 also read as the 1st of seven months, so a week of a
    # daily model's future covariates was refused as ambiguous (in an error wrapped twice)
    df = _panel(n=60).assign(temp=lambda d: np.arange(len(d)) % 7.0)  # to 2020-02-29
    f = GlobalForecaster("lstm", lookback=8, horizon=7, future_covariates=("temp",),
                         **TINY).fit(df)
    fut = _future(start="2020-03-01", h=7).assign(temp=lambda d: np.arange(len(d)) % 3.0)
    text = fut.assign(ds=fut.ds.dt.strftime("%d/%m/%Y"))
    pd.testing.assert_frame_equal(f.predict(future=text), f.predict(future=fut))


def test_future_file_dates_read_by_the_datas_step_and_refused_once_without_it(tmp_path):
    from rnnlab.panel.future_file import read_future

    path = tmp_path / "f.csv"
    pd.DataFrame({"Date": pd.date_range("2015-01-01", periods=7).strftime("%d/%m/%Y"),
                  "temp": 1.0}).to_csv(path, index=False)
    fut = read_future(path, ["temp"], None, "Date", "D")
    assert fut["ds"].tolist() == list(pd.date_range("2015-01-01", periods=7))
    monthly = read_future(path, ["temp"], None, "Date", "MS")
    assert monthly["ds"].dt.month.tolist() == list(range(1, 8))
    with pytest.raises(DataError) as e:
        read_future(path, ["temp"], None, "Date")
    assert str(e.value).count("date column 'Date'") == 1, str(e.value)


def test_cli_static_data_without_static_covariates_is_refused_before_any_run(tmp_path, capsys):
    # was: trained and scored without it, under a Python warning ("create the model with
    # static_covariates=('region',)") that named no command-line option
    from rnnlab.cli import main

    _panel().rename(columns={"unique_id": "store"}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"store": ["s0", "s1", "s2"], "region": ["a", "b", "a"]}).to_csv(
        tmp_path / "static.csv", index=False)
    args = ["backtest", "--data", str(tmp_path / "p.csv"), "--id-column", "store",
            "--model", "naive", "--baselines", "none", "--horizon", "4", "--plot-series", "0",
            "--static-data", str(tmp_path / "static.csv"), "--out", str(tmp_path / "run")]
    assert main(args) != 0
    assert "pass --static-covariates region" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
    assert main(args + ["--static-covariates", "region"]) == 0


def test_cli_warnings_read_as_the_commands_not_as_python_source_lines(tmp_path):
    # was: "/.../rnnlab/panel/cli.py:246: UserWarning: 1 series ... left out there: s3"
    # followed by the library's source line "  result = backtest(factory, panel, ..."
    import os
    import subprocess
    import sys
    from pathlib import Path

    import rnnlab

    df = pd.concat([_panel(), _panel(1, n=5).assign(unique_id="s3")], ignore_index=True)
    df.to_csv(tmp_path / "p.csv", index=False)
    src = str(Path(rnnlab.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    def run(*align):
        done = subprocess.run([sys.executable, "-m", "rnnlab", "backtest", "--data",
                               str(tmp_path / "p.csv"), "--model", "naive", "--baselines",
                               "none", "--horizon", "4", "--first-origin", "8", "--stride", "4",
                               "--plot-series", "0", "--out", str(tmp_path / "run"),
                               "--overwrite", *align],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "UserWarning" not in done.stderr and "result = backtest(" not in done.stderr
        return " ".join(done.stderr.split())  # (its words: warnings wrap at 80 columns)

    # s3 is short and ends early: origins from each end leave it out at the first one
    assert ("rnnlab backtest: warning: 1 series with fewer than 2 values before the origin 4 "
            "steps before their end are left out there: s3") in run("--align", "end")
    # the default (common dates) says it ends before an origin, as a command's warning too
    assert "rnnlab backtest: warning: align='date': 1 series ends before" in run()


def test_count_quantiles_are_counts_before_any_calibration():
    # was: q0.9 of negbin draws read between two counts (21.1), as a continuous quantile
    rng = np.random.default_rng(0)
    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "y": rng.poisson(8, 50).astype(float),
                                  "ds": pd.date_range("2020-01-01", periods=50)})
                    for i in range(3)], ignore_index=True)
    f = GlobalForecaster("lstm", lookback=8, horizon=4, likelihood="negbin", calibrate="none",
                         quantiles=(0.1, 0.5, 0.9), samples=100, **TINY).fit(df)
    t = f.predict()
    paths = f.sample_paths()
    for uid, p in paths.items():
        rows = t[t.unique_id == uid]
        for level in (0.1, 0.5, 0.9):  # the least draw with at least `level` of draws <= it
            want = [np.sort(p[:, h])[int(np.ceil(level * len(p))) - 1] for h in range(4)]
            np.testing.assert_array_equal(rows[f"q{level:g}"], want)


def test_cut_refuses_counts_that_are_not_steps_and_names_series_it_empties():
    # was: cut(2.5) held out 3 points, cut(-1) none, cut(1000) gave an empty panel and a
    # series shorter than the cut vanished without a word
    p = read_panel(pd.concat([_panel(2, n=20), _panel(1, n=5).assign(unique_id="short")],
                             ignore_index=True))
    for bad in (2.5, -1, True, "3"):
        with pytest.raises(DataError, match=r"cut: steps must be a whole number >= 0"):
            p.cut(bad)
    with pytest.raises(DataError, match=r"cut\(1000\) leaves nothing.*the longest 20"):
        p.cut(1000)
    with pytest.warns(UserWarning, match=r"cut\(6\): 1 series have at most 6 points.*'short'"):
        six = p.cut(6)
    assert six.lengths().to_dict() == {"s0": 14, "s1": 14}
    assert p.cut(2.0).lengths().to_dict() == {"s0": 18, "s1": 18, "short": 3}


def test_quantile_levels_that_would_share_a_column_are_refused():
    # was: 0.9 and 0.9000001 both became 'q0.9', the second written over the first
    with pytest.raises(DataError, match=r"0\.9 and 0\.9000001 would share the column 'q0\.9'"):
        GlobalForecaster(quantiles=(0.1, 0.5, 0.9, 0.9000001))
    with pytest.raises(ValueError, match=r"would share the column 'q0\.9'"):
        backtest(None, read_panel(_panel()), horizon=4, baselines=("naive",),
                 quantiles=(0.5, 0.9, 0.9000001))


def test_a_quantile_models_point_forecast_is_its_median_not_the_levels_mean():
    # was: without 0.5 the point ('mean', scored by MASE) was the mean of the quantiles:
    # quantiles=(0.9,) forecast the 90th percentile as the point, (0.2, 0.3, 0.9) a value
    # pulled towards the low levels
    import torch

    from rnnlab.panel.heads import QuantileHead

    with pytest.raises(DataError, match=r"point forecast of a quantile model is its median.*"
                                        r"add 0\.5 \(e\.g\. \(0\.5, 0\.9\)\)"):
        GlobalForecaster(quantiles=(0.9,))
    with pytest.raises(DataError, match=r"add 0\.5"):
        GlobalForecaster(quantiles=(0.6, 0.9))
    GlobalForecaster(quantiles=(0.9,), likelihood="gaussian")  # a sampled mean: any levels
    head = QuantileHead((0.2, 0.3, 0.9))
    out = torch.randn(4, 3, 3, dtype=torch.float64)
    q = head.quantiles(out)
    want = q[..., 1] + (0.5 - 0.3) / (0.9 - 0.3) * (q[..., 2] - q[..., 1])
    torch.testing.assert_close(head.point(out, None), want)
    sym = QuantileHead((0.1, 0.9))  # symmetric levels: the midpoint, as before
    torch.testing.assert_close(sym.point(out[..., :2], None), sym.quantiles(out[..., :2]).mean(-1))


def test_backtest_refuses_two_models_of_one_name_rather_than_pooling_their_scores():
    # was: name="naive" beside the naive baseline (or "naive" listed twice) gave one
    # summary row over both models' forecasts (n_forecasts 48 for 24 forecasts each)
    from rnnlab.panel.baselines import Naive, SeasonalNaive

    p = read_panel(_panel())
    with pytest.raises(ValueError, match=r"\['naive'\] named twice among the model "
                                         r"\(name='naive'\) and the baselines"):
        backtest(Naive, p, horizon=4, baselines=("naive",), name="naive")
    with pytest.raises(ValueError, match=r"\['naive'\] named twice among the baselines"):
        backtest(None, p, horizon=4, baselines=("naive", "naive"))

    class Mine(SeasonalNaive):
        name = "naive"

    # (an instance's .name is read before any model trains now: said as the names are)
    with pytest.raises(ValueError, match=r"\['naive'\] named twice among the baselines"):
        backtest(None, p, horizon=4, baselines=("naive", Mine()))
    with pytest.raises(ValueError, match=r"nothing to backtest"):  # was: "No objects to
        backtest(None, p, horizon=4)  # concatenate" from pandas
    res = backtest(Naive, p, horizon=4, first_origin=8, stride=4, baselines=("naive",),
                   name="mine")
    assert res.summary().set_index("model")["n_forecasts"].to_dict() == {"mine": 24,
                                                                         "naive": 24}


def test_zero_padded_ids_in_a_csv_keep_their_text(tmp_path):
    # was: stores 000, 001, 002 read as the numbers 0, 1, 2 and forecast under those ids
    from rnnlab.panel.covariates import static_file
    from rnnlab.panel.future_file import read_future

    df = _panel().assign(store=lambda d: d.unique_id.str.replace("s", "00")).drop(
        columns="unique_id")
    df.to_csv(tmp_path / "p.csv", index=False)
    p = read_panel(tmp_path / "p.csv", id_column="store")
    assert p.ids == ("000", "001", "002") and p.id_kind == "str"
    pd.DataFrame({"store": ["000", "001", "002"], "region": ["a", "b", "a"]}).to_csv(
        tmp_path / "s.csv", index=False)
    assert static_file(str(tmp_path / "s.csv"), "store")["unique_id"].tolist() == list(p.ids)
    _future().assign(store=lambda d: d.unique_id.str.replace("s", "00")).drop(
        columns="unique_id").to_csv(tmp_path / "f.csv", index=False)
    fut = read_future(tmp_path / "f.csv", ["temp"], "store", None)
    assert sorted(set(fut["unique_id"])) == list(p.ids)
    plain = df.assign(store=lambda d: d.store.astype(int))  # 0, 1, 2 written as such
    plain.to_csv(tmp_path / "q.csv", index=False)
    q = read_panel(tmp_path / "q.csv", id_column="store")
    assert q.ids == ("0", "1", "2") and q.id_kind == "int64"  # as before


def test_local_models_refuse_static_covariates_they_would_drop():
    # was: local=True with static_covariates=('kind',) fitted without them, silently
    with pytest.raises(DataError, match=r"local=True fits one model per series.*\['kind'\]"):
        GlobalForecaster(local=True, static_covariates=("kind",))
    GlobalForecaster(local=True)
    GlobalForecaster(static_covariates=("kind",))


def test_forecast_run_with_a_longer_horizon_says_the_option_to_change(tmp_path, capsys):
    # was: "horizon must be between 1 and the trained horizon 4, got 6; train with horizon=6"
    from rnnlab.cli import main
    from rnnlab.io.atomic import atomic_write_json

    run = tmp_path / "run"  # a run directory as rnnlab forecast writes one (model, panel.json)
    _panel(2, n=30).to_csv(tmp_path / "p.csv", index=False)
    GlobalForecaster(lookback=6, horizon=4, **TINY).fit(_panel(2, n=30)).save(run / "model")
    atomic_write_json(run / "panel.json", {
        "data": str(tmp_path / "p.csv"), "id_column": None, "date_column": None,
        "column": None, "fill": None, "horizon": 4, "model": "lstm", "future_covariates": [],
        "freq": "D"}, checksum=True)
    assert main(["forecast", "--run", str(run), "--horizon", "6"]) == 1
    assert ("--horizon 6: the saved model forecasts at most 4 steps; pass --horizon 4 or "
            "less") in capsys.readouterr().err
    assert main(["forecast", "--run", str(run), "--horizon", "3"]) == 0
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 6


def test_selecting_series_of_a_large_panel_takes_linear_time():
    # was: backtest.with_df built the set of kept ids once per id (quadratic: 46 s of a
    # 2,000-series naive backtest's 47); 20,000 series took minutes, here milliseconds
    import time

    from rnnlab.panel.backtest import with_df
    from rnnlab.panel.frame import PanelFrame

    ids = [f"s{i}" for i in range(20_000)]
    df = pd.DataFrame({"unique_id": np.repeat(ids, 3), "y": 1.0,
                       "ds": np.tile(pd.date_range("2020-01-01", periods=3), len(ids))})
    panel = PanelFrame(df, "D", 7, tuple(ids))
    t0 = time.perf_counter()
    sub = with_df(panel, df[df["unique_id"] != "s5"])
    cut = panel.cut(1)
    assert time.perf_counter() - t0 < 10  # (quadratic: 4e8 set insertions)
    assert len(sub.ids) == 19_999 and "s5" not in sub.ids and len(cut.df) == 40_000


def test_neuralforecast_and_darts_fit_predict_arguments_point_to_ours():
    # was: Python's bare "unexpected keyword argument 'futr_df'"
    f = GlobalForecaster(lookback=8, horizon=4, **TINY)
    with pytest.raises(TypeError, match=r"fit\(\) got unexpected keyword argument "
                                        r"'static_df' \(here: static=\)"):
        f.fit(_panel(), static_df=None)
    with pytest.raises(TypeError, match=r"'future_covariates' \(here: columns of the panel"):
        f.fit(_panel(), future_covariates=None)
    f.fit(_panel())
    for kw, ours in (("futr_df", "future="), ("h", "horizon"), ("df", "history="),
                     ("level", "quantiles"), ("quantiles", "the levels, set when")):
        with pytest.raises(TypeError, match=rf"predict\(\) got unexpected keyword argument "
                                            rf"'{kw}' \(here: {ours}"):
            f.predict(**{kw: None})
    with pytest.raises(TypeError, match=r"'nope'$"):
        f.predict(nope=1)
    assert len(f.predict(future_covariates=None)) == 12  # our alias of future= still taken


@pytest.mark.parametrize("freq, tz", [("D", None), ("W-WED", None), ("h", "Europe/Paris"),
                                      ("2D", None)])
def test_complete_series_on_fixed_steps_skip_the_per_series_reindex_unchanged(
        freq, tz, monkeypatch):
    # reading 2,000 daily series took 4.4 s (2 ms a series to check and reindex each on its
    # calendar); series stepping by the frequency without a gap now skip it (0.27 s)
    from rnnlab.panel import frame

    df = pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2021-03-24", periods=30 + i, freq=freq,
                                                  tz=tz),
        "y": np.arange(30.0 + i), "temp": 1.0 * i, "kind": "ab"[i % 2]}) for i in range(3)])
    fast = frame.read_panel(df.sample(frac=1, random_state=0))  # (any row order)
    monkeypatch.setattr(frame, "_on_fixed_steps", lambda long, freq: False)
    slow = frame.read_panel(df)
    pd.testing.assert_frame_equal(fast.df, slow.df)
    assert (fast.freq, fast.period, fast.ids) == (slow.freq, slow.period, slow.ids)
    monkeypatch.undo()
    with pytest.raises(DataError, match="NaN values or missing dates"):  # a gap: checked
        frame.read_panel(df.drop(index=df.index[5]))


def test_saving_a_backtest_twice_names_the_python_argument(tmp_path):
    # was: "pass --overwrite to replace it, or choose another --out" to a Python caller
    from rnnlab.io.errors import RunDirError

    res = backtest(None, read_panel(_panel()), horizon=4, baselines=("naive",))
    res.save(tmp_path / "bt")
    with pytest.raises(RunDirError, match=r"pass overwrite=True to replace it, or choose "
                                          r"another path") as e:
        res.save(tmp_path / "bt")
    assert "--" not in str(e.value)
    res.save(tmp_path / "bt", overwrite=True)
