"""A practitioner's sweep of rnnlab's panel forecasting (GlobalForecaster, the backtest,
the CLIs) and its interval calibration: each test pins a problem the sweep found."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.calibration import apply_offsets, window_scales
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=2, batches_per_epoch=5, batch_size=32)


def _panel(n_series, n=40, seed=0, freq="D"):
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2020-01-01", periods=n, freq=freq),
        "y": 10 + 3 * i + np.sin(np.arange(n) / 3) + 0.3 * rng.standard_normal(n)})
        for i in range(n_series)], ignore_index=True)


def _quantiles(table):
    cols = sorted((c for c in table.columns if c.startswith("q")), key=lambda c: float(c[1:]))
    return table[cols].to_numpy(dtype=float)


def test_a_constant_series_keeps_a_narrow_calibrated_interval():
    # was: a window without change was scaled by its level, so a fixed price of 500 got the
    # pooled offset times 500 (80% interval [-168, 1174] around 503)
    rows = pd.DataFrame({"unique_id": ["a"] * 3 + ["z"] * 3, "y": [7.0] * 3 + [0.0] * 3})
    s = window_scales(rows, window=3, lag=1)
    assert s["a"] == pytest.approx(0.07) and s["z"] == pytest.approx(0.01)
    df = _panel(3)
    df.loc[df.unique_id == "s0", "y"] = 500.0
    f = GlobalForecaster("lstm", lookback=8, horizon=4, calibrate="conformal", **TINY)
    f.fit(read_panel(df))
    raw = f._forecast(4, None, None, calibrated=False)
    cal = f.predict()
    one = (cal.unique_id == "s0").to_numpy()
    c = np.abs(np.asarray(f.calibration["offsets"])).max()
    moved = np.abs(_quantiles(cal)[one] - _quantiles(raw)[one]).max()
    # (a positive series is calibrated on logs: each quantile by a factor exp(+-c 0.01))
    assert moved <= _quantiles(raw)[one].max() * np.expm1(c * 0.01) + 1e-6, (moved, c)


def _counts_panel(n_series=3, n=40, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        y = rng.poisson(2, n).astype(float)
        y[-4:] = rng.poisson(12, 4)  # a jump in the validation tail: the intervals widen
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "y": y,
                                  "ds": pd.date_range("2020-01-01", periods=n, freq="D")}))
    return read_panel(pd.concat(rows, ignore_index=True))


def test_count_sample_paths_are_whole_numbers():
    # was: draws of counts came back through float32 as 1.99999992 (and the median with them)
    for strategy in ("direct", "recursive"):
        f = GlobalForecaster("lstm", lookback=8, horizon=4, likelihood="negbin", calibrate="none",
                             strategy=strategy, **TINY).fit(_counts_panel())
        for p in f.sample_paths().values():
            assert (p == np.round(p)).all() and (p >= 0).all()


def test_calibrated_count_quantiles_stay_whole_numbers_at_least_zero():
    # was: q0.05 of Poisson(2) counts at -32.2, q0.95 at 39.2 after the calibration
    f = GlobalForecaster("lstm", lookback=8, horizon=4, likelihood="negbin", calibrate="conformal",
                         quantiles=(0.05, 0.5, 0.95), **TINY).fit(_counts_panel())
    assert max(max(c) for c in f.calibration["offsets"]) > 0  # widened
    t = f.predict()
    q = t[["q0.05", "q0.95"]].to_numpy()
    assert (q >= 0).all() and (q == np.round(q)).all(), q[:3]
    assert (np.diff(_quantiles(t), axis=1) >= 0).all()
    raw = f._forecast(4, None, None, calibrated=False)
    assert (t["q0.95"] >= raw["q0.95"]).all() and (t["q0.05"] <= raw["q0.05"]).all()


def test_narrowing_an_interval_does_not_move_the_median():
    # was: an 80% interval narrowed past the median was sorted back, so q0.5 took the
    # moved q0.1's value (the docs: "the median and mean do not move")
    table = pd.DataFrame({"unique_id": ["a", "a"], "ds": pd.date_range("2020-01-01", periods=2),
                          "step": [1, 2], "mean": [0.1, 0.1], "q0.05": [-1.0, -1.0],
                          "q0.1": [0.0, 0.0], "q0.25": [0.05, 0.05], "q0.5": [0.1, 0.1],
                          "q0.9": [10.0, 10.0], "q0.95": [11.0, 11.0]})
    cal = {"pairs": [[0.05, 0.95], [0.1, 0.9]], "offsets": [[-6.0, -6.0], [-5.0, -5.0]]}
    out = apply_offsets(table, cal, {"a": 1.0})
    for c in ("q0.25", "q0.5", "mean"):
        np.testing.assert_array_equal(out[c], table[c])
    q = _quantiles(out)
    assert (np.diff(q, axis=1) >= 0).all()
    np.testing.assert_array_equal(out["q0.9"], [5.0, 5.0])  # moved: 10 - 5
    np.testing.assert_array_equal(out["q0.1"], [0.05, 0.05])  # held at q0.25, not 5


def test_backtest_scores_the_baselines_on_the_models_quantile_levels():
    # was: the baselines kept (0.1, 0.5, 0.9) beside a model of (0.05, 0.5, 0.95), so every
    # row lacked some level and pinball and CRPS were NaN for every model
    from rnnlab.panel.backtest import backtest

    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, quantiles=(0.05, 0.5, 0.95),
                                    difference="none", **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = backtest(make, _panel(3, n=30), horizon=3, first_origin=6, stride=3,
                       baselines=("naive",))
    s = res.summary().set_index("model")
    assert s[["pinball", "crps", "coverage90"]].notna().all().all(), s
    assert "coverage80" not in s
    with pytest.raises(ValueError, match="quantile levels must lie in"):
        backtest(make, _panel(3, n=30), horizon=3, baselines=("naive",), quantiles=(5, 50))


def test_backtest_cli_refuses_network_options_with_a_baseline_model(tmp_path, capsys):
    # was: `rnnlab backtest --data visnights --local yes --hidden-size 8` ran the default
    # --model seasonal_naive and ignored both without a word
    from rnnlab.cli import main

    argv = ["backtest", "--data", "visnights", "--horizon", "4", "--baselines", "none",
            "--plot-series", "0", "--out", str(tmp_path / "bt")]
    assert main(argv + ["--local", "yes", "--hidden-size", "8"]) != 0
    err = capsys.readouterr().err
    assert "--hidden-size, --local: options of the global network" in err
    assert "--model seasonal_naive (the default)" in err and not (tmp_path / "bt").exists()
    assert main(argv + ["--period", "4", "--seed", "1", "--quantiles", "0.2", "0.5", "0.8"]) == 0
    # and panel `rnnlab forecast --model naive --local yes`
    assert main(["forecast", "--data", "visnights", "--model", "naive", "--local", "yes",
                 "--horizon", "4", "--out", str(tmp_path / "fc")]) != 0
    assert "--local: options of the global network, which --model naive, a baseline" in \
        capsys.readouterr().err


def test_covariate_names_as_one_comma_separated_string_are_split():
    # was: future_covariates="temp,promo" became one column named "temp,promo"
    f = GlobalForecaster("lstm", future_covariates="temp, promo", past_covariates="visits",
                         calendar="month,dayofweek")
    assert f.config.future_covariates == ("temp", "promo")
    assert f.config.past_covariates == ("visits",)
    assert f.config.calendar == ("month", "dayofweek")


def _with_temp(n_series=2, n=30):
    df = _panel(n_series, n=n, seed=3).assign(unique_id=lambda d: d.unique_id.str[1:].astype(int))
    return df.assign(temp=np.arange(len(df)) % 7 / 7.0)


def test_a_future_table_of_text_or_of_other_ids_is_refused_saying_so():
    df = _with_temp()
    f = GlobalForecaster("lstm", lookback=6, horizon=3, future_covariates=("temp",),
                         difference="none", **TINY).fit(df)
    fut = pd.DataFrame([(u, d, 0.5) for u in (0, 1)
                        for d in pd.date_range("2020-01-31", periods=3)],
                       columns=["unique_id", "ds", "temp"])
    assert f.predict(future=fut).shape == (6, 7)
    assert f.predict(future=fut.astype({"temp": object})).shape == (6, 7)  # numbers as objects
    # unique_id (and ds) as the index: was "the table lacks columns ['unique_id']"
    assert f.predict(future=fut.set_index("unique_id")).equals(f.predict(future=fut))
    assert f.predict(future=fut.set_index(["unique_id", "ds"])).equals(f.predict(future=fut))
    # was: pandas' "could not convert string to float: 'x'"
    with pytest.raises(DataError, match="column 'temp' is not numeric \\(e.g. 'x'\\)"):
        f.predict(future=fut.assign(temp=["x"] + [0.5] * 5))
    # was: "missing for series '0'" without a word of the table's ids 0.0, 1.0 (a CSV column
    # of ids with a blank reads as floats)
    with pytest.raises(DataError, match=r"the table's ids \['0.0', '1.0'\] are not the series' ids"):
        f.predict(future=fut.assign(unique_id=fut.unique_id.astype(float)))


def test_local_models_are_calibrated_on_the_tails_of_all_series(tmp_path):
    # was: each series' model calibrated on its own `horizon` scores, so calibrate='auto'
    # never calibrated a local model, whatever the number of series
    from rnnlab.panel.calibration import MIN_PER_STEP, model_logs

    panel = read_panel(_panel(MIN_PER_STEP, n=24))
    f = GlobalForecaster("lstm", lookback=6, horizon=3, local=True, difference="none",
                         **{**TINY, "epochs": 1, "batches_per_epoch": 2}).fit(panel)
    assert f.calibration is not None and f.calibration["per_step"]
    assert f.calibration["scores"] == 3 * MIN_PER_STEP
    raw = f._forecast(3, None, None, calibrated=False)
    cal = f.predict()
    assert not np.allclose(cal["q0.9"], raw["q0.9"])
    logs = model_logs(f, None)  # (the positive series are calibrated on logs)
    scales = window_scales(pd.concat([m.tail for m in f.local.values()]), 6, 1, logs)
    pd.testing.assert_frame_equal(cal, apply_offsets(raw, f.calibration, scales, logs=logs))
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    assert g.calibration == f.calibration
    pd.testing.assert_frame_equal(g.predict(), cal)
    hist = panel.cut(2)
    pd.testing.assert_frame_equal(g.predict(history=hist), f.predict(history=hist))


def test_neuralforecast_names_level_and_scaler_type_point_to_ours():
    # was: "unknown setting 'scaler_type' (did you mean calibrate?)"; level= named nothing
    with pytest.raises(TypeError, match=r"'scaler_type' \(here: scale=\)"):
        GlobalForecaster(scaler_type="robust")
    with pytest.raises(TypeError, match=r"'level' \(here: quantiles=\)"):
        GlobalForecaster(level=[80, 90])


def test_rows_without_an_id_or_a_date_are_refused_naming_them():
    df = _panel(2, n=10)
    extra = pd.DataFrame({"unique_id": [None], "ds": [pd.Timestamp("2021-01-01")], "y": [1.0]})
    # was: dropped without a word (or, inside a series, "the target has 1 NaN values")
    with pytest.raises(DataError, match=r"1 rows have no series id \(column 'unique_id': row 20\)"):
        read_panel(pd.concat([df, extra], ignore_index=True))
    # was: pandas' "Neither `start` nor `end` can be NaT"
    with pytest.raises(DataError, match=r"1 rows have no date \(column 'ds': row 3\)"):
        read_panel(df.assign(ds=df.ds.where(df.index != 3, pd.NaT)))


@pytest.mark.filterwarnings("ignore:1 series shorter than")
def test_a_local_backtest_goes_on_past_a_series_too_short_at_the_first_origin():
    # was: the backtest stopped at the second origin: "series ['3'] were not in the
    # training panel; a local model (local=True) has one model per training series"
    from rnnlab.panel.backtest import backtest

    df = _panel(3, n=40).assign(unique_id=lambda d: d.unique_id.str[1:].astype(int) + 1)
    df = df[(df.unique_id < 3) | (df.ds >= "2020-01-27")]  # series 3: 14 points, ends with them
    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, local=True, difference="none",
                                    **TINY)
    with pytest.warns(UserWarning, match=r"series \['3'\] were not in the training panel \(or too "
                      r"short to fit on\).*skipped \(not forecast\)"):
        res = backtest(make, df, horizon=3, first_origin=9, stride=3)
    assert set(res.forecasts.unique_id) == {1, 2} and res.forecasts.origin.nunique() == 3
    f = make().fit(df[df.unique_id < 3])
    with pytest.raises(DataError, match="fit again with them"):
        f.predict(history=df[df.unique_id == 3])


def _late_series_panel(n_late):
    """Series a, b of 40 days and c of its last ``n_late`` days, region a static column."""
    df = _panel(3, n=40).replace({"unique_id": {"s0": "a", "s1": "b", "s2": "c"}})
    df = df[(df.unique_id != "c") | (df.ds > df.ds.max() - pd.Timedelta(days=n_late))]
    return df.assign(region=df.unique_id.map({"a": "x", "b": "y", "c": "x"}))


def test_a_series_too_short_to_forecast_is_skipped_before_its_static_values_are_asked():
    # was: the backtest stopped: "series ['c'] were not in the training panel, and the model
    # reads static covariates ['region']", though c (8 points) was too short to forecast
    from rnnlab.panel.backtest import backtest

    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                                    static_covariates=("region",), **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = backtest(make, _late_series_panel(8), horizon=3, first_origin=9, stride=3)
    assert set(res.forecasts.unique_id) == {"a", "b"} and res.forecasts.origin.nunique() == 3


@pytest.mark.parametrize("as_table", [True, False])
def test_a_backtest_forecasts_a_series_that_starts_after_the_first_origin(as_table):
    # was: c (10 points: none before the first origin) stopped the backtest at the origin
    # where it is long enough: "the model reads static covariates ['region'] known only for
    # the series given to fit" (its region was in the static table or its own column)
    from rnnlab.panel.backtest import backtest

    df = _late_series_panel(10)
    static = df.groupby("unique_id")[["region"]].first().reset_index() if as_table else None
    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                                    static_covariates=("region",), **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = backtest(make, df.drop(columns="region") if as_table else df, horizon=3,
                       first_origin=9, stride=3, static=static)
    late = res.forecasts[res.forecasts.unique_id == "c"]
    assert len(late) == 3 and late.origin.nunique() == 1  # the last origin: 7 points


def test_predict_warnings_point_at_the_callers_line():
    # was: "torch/utils/_contextlib.py:124: UserWarning: series ['new'] were not in the
    # training panel" (predict's torch.no_grad wrapper took the caller's place)
    df = _panel(2, n=30)
    f = GlobalForecaster("lstm", lookback=6, horizon=3, difference="none", **TINY).fit(df)
    new = pd.concat([df, df[df.unique_id == "s0"].assign(unique_id="new")])
    g = GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                         likelihood="gaussian", **TINY).fit(df)
    with pytest.warns(UserWarning, match="not in the training panel") as seen:
        g.sample_paths(history=new)
    assert {w.filename for w in seen} == {__file__}
    with pytest.warns(UserWarning, match="not in the training panel") as seen:
        f.predict(history=new)
    assert {w.filename for w in seen} == {__file__}


def test_auto_differencing_does_not_drop_series_it_would_make_too_short():
    # was: weekly series of 60 points got a 52-week seasonal difference (difference='auto')
    # and were all refused as shorter than lookback + horizon + seasonal lag = 64; beside a
    # longer series, they were skipped and not forecast
    short = _panel(2, n=60, freq="W")
    make = lambda **kw: GlobalForecaster("lstm", lookback=8, horizon=4, **{**TINY, **kw})
    f = make().fit(short)
    assert f.features.lag == 0 and f.predict().unique_id.nunique() == 2
    mixed = pd.concat([short, _panel(1, n=200, freq="W").assign(unique_id="long")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no series skipped
        assert make().fit(mixed).predict().unique_id.nunique() == 3
    assert make().fit(_panel(2, n=200, freq="W")).features.lag == 52  # long enough: as before
    local = make(local=True, val_size=2).fit(mixed)
    assert {m.features.lag for m in local.local.values()} == {0}  # each as the panel


def test_a_history_at_another_frequency_is_refused():
    # was: a daily model given weekly history read its weeks as days and dated the forecasts
    # on the days after (2020-10-05, 2020-10-06, ...)
    f = GlobalForecaster("lstm", lookback=6, horizon=3, difference="none", **TINY)
    f.fit(_panel(2, n=30))
    with pytest.raises(DataError, match="history's dates are 'W-SUN' apart, but the model was "
                                        "fitted on 'D' data"):
        f.predict(history=_panel(2, n=30, freq="W"))
    assert len(f.predict(history=_panel(2, n=31))) == 6  # the same frequency: as before


def test_count_intervals_round_inwards_keeping_their_coverage():
    # a count y is <= 2.3 exactly when it is <= 2: a shift of 0.3 must not widen to 3
    table = pd.DataFrame({"unique_id": ["a"] * 2, "ds": pd.date_range("2020-01-01", periods=2),
                          "step": [1, 2], "mean": [1.0, 1.0], "q0.1": [1.0, 1.0],
                          "q0.5": [1.0, 1.0], "q0.9": [2.0, 2.0]})
    out = apply_offsets(table, {"pairs": [[0.1, 0.9]], "offsets": [[0.3, 1.2]]}, {"a": 1.0},
                        counts=True)
    np.testing.assert_array_equal(out["q0.9"], [2.0, 3.0])
    np.testing.assert_array_equal(out["q0.1"], [1.0, 0.0])


def test_ids_and_dates_in_the_index_are_read_as_columns():
    # was: unique_id as the index (statsforecast's frames) read as one series 'y' with
    # "60 rows repeat an (id, date) pair: ('y', 2020-01-01)"; ds as the index: "no date column"
    df = _panel(3, n=20)
    for frame in (df.set_index("unique_id"), df.set_index(["unique_id", "ds"]),
                  df.set_index("ds")):
        p = read_panel(frame)
        assert p.ids == ("s0", "s1", "s2") and len(p.df) == 60
        np.testing.assert_array_equal(p.df["y"], df["y"])
    wide = read_panel(df.pivot(index="ds", columns="unique_id", values="y"))  # as before
    assert wide.ids == ("s0", "s1", "s2") and len(wide.df) == 60


def test_a_static_table_indexed_by_unique_id_is_read():
    # was: "static covariates: the table needs a 'unique_id' column; found ['region']"
    df = _panel(3, n=30)
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "region": ["a", "b", "a"]})
    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                                    static_covariates=("region",), **TINY)
    pd.testing.assert_frame_equal(make().fit(df, static=static.set_index("unique_id")).predict(),
                                  make().fit(df, static=static).predict())


def test_backtest_cli_refuses_bad_origins_before_making_its_run_directory(tmp_path, capsys):
    # was: --refit 0 or --first-origin 2 (< horizon) were refused after the run directory was
    # made, so the corrected command failed on "run directory already exists"
    from rnnlab.cli import main

    argv = ["backtest", "--data", "visnights", "--horizon", "4", "--baselines", "none",
            "--plot-series", "0", "--out", str(tmp_path / "bt")]
    for bad in (["--refit", "0"], ["--first-origin", "2"]):
        assert main(argv + bad) != 0 and not (tmp_path / "bt").exists()
    assert "--first-origin 2 leaves less than one --horizon (4)" in capsys.readouterr().err


@pytest.mark.parametrize("settings, why", [
    (dict(val_size=0), "val_size=0 leaves no validation tail"),
    (dict(quantiles=(0.2, 0.7)), r"the quantile levels \[0.2, 0.7\] hold no central interval"),
    (dict(quantiles=None, likelihood="gaussian"), "quantiles=None gives no interval")])
def test_calibrate_conformal_says_when_it_cannot_calibrate(settings, why):
    # was: calibrate='conformal' left the intervals raw without a word
    f = GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                         calibrate="conformal", **{**TINY, **settings})
    with pytest.warns(UserWarning, match=f"calibrate='conformal': {why}"):
        f.fit(_panel(2, n=30))
    assert f.calibration is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # calibrate='auto': silent, as documented
        GlobalForecaster("lstm", lookback=6, horizon=3, difference="none",
                         **{**TINY, **settings}).fit(_panel(2, n=30))


def test_whole_number_settings_are_checked_when_the_model_is_made():
    # was: horizon=2.0 kept as a float and fit failed on "slice indices must be integers";
    # lookback='6' a raw TypeError; hidden_size=0 torch's ValueError at fit; lr=-1 at fit
    assert GlobalForecaster(horizon=2.0, lookback=np.int64(6)).config.horizon == 2
    assert type(GlobalForecaster(horizon=2.0).config.horizon) is int
    for bad, text in [(dict(lookback="6"), r"lookback must be a whole number from 1 .*, got '6'"),
                      (dict(horizon=2.5), r"horizon must be a whole number from 1 .*, got 2.5"),
                      (dict(hidden_size=0), r"hidden_size must be a whole number from 1 .*, got 0"),
                      (dict(epochs=True), r"epochs must be a whole number from 1 .*, got True"),
                      (dict(lr=-1), r"lr must be a number > 0 and finite .*, got -1")]:
        with pytest.raises(DataError, match=text):
            GlobalForecaster(**bad)


def test_huge_whole_numbers_are_refused_with_the_range():
    # was: seed=2**64 (and any whole-number setting past 64 bits) a raw TypeError from
    # numpy's isfinite; lr=2**64 too
    from rnnlab.panel.config import WHOLE

    for name, low in WHOLE.items():
        for big in (2**64, 10**400, 2**63):
            with pytest.raises(DataError, match=rf"{name} must be a whole number from {low} "
                               rf"to {2**63 - 1} \(2\*\*63 - 1\), got {big}"):
                GlobalForecaster(**{name: big})
    assert GlobalForecaster(seed=2**63 - 1).config.seed == 2**63 - 1
    for bad in (float("inf"), 1e39, 2**128, float("nan"), True, "0.01", 0):  # (1e39 was
        # taken, then refused by fit)
        with pytest.raises(DataError, match=rf"lr must be a number > 0 and finite \(at most "
                           rf"3.403e\+38, float32's largest\), got {re.escape(repr(bad))}"):
            GlobalForecaster(lr=bad)
    assert GlobalForecaster(lr=2**64).config.lr == 2**64


def test_predict_refuses_a_horizon_that_is_not_a_whole_number():
    # was: predict(2.5) forecast 2 steps, predict(True) one
    f = GlobalForecaster("lstm", lookback=6, horizon=3, difference="none", **TINY)
    f.fit(_panel(2, n=30))
    assert f.predict(2.0).step.max() == 2 and f.predict(np.int64(2)).step.max() == 2
    for bad in (2.5, True, "two"):
        with pytest.raises(DataError, match="horizon must be a whole number of steps"):
            f.predict(bad)


def test_backtest_takes_a_model_instance_as_statsforecast_users_pass_it():
    # was: TypeError: 'GlobalForecaster' object is not callable
    from rnnlab.panel.backtest import backtest

    make = lambda: GlobalForecaster("lstm", lookback=6, horizon=3, difference="none", **TINY)
    one = make()
    a = backtest(one, _panel(2, n=30), horizon=3, first_origin=6, stride=3).forecasts
    b = backtest(make, _panel(2, n=30), horizon=3, first_origin=6, stride=3).forecasts
    pd.testing.assert_frame_equal(a, b)
    assert one.members is None  # a copy was fitted, not the instance given
