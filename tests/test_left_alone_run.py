"""Problems on the forecasting / training side that were left alone until now: the device
a spawned forecast worker trains on, ddp with one device, the API's look-back beside the
command's, MAPE over zero actuals, PeriodIndex dates, calibrated intervals of positive
series, options of a newer rnnlab on resume."""

import argparse
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.forecast import Forecaster
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.metrics import MapeSkipWarning, metrics
from printed_words import words
from rnnlab.forecast.period_defaults import PeriodSizesNote, period_defaults
from rnnlab.train.distributed import DeviceConfig
from rnnlab.train.launch_checks import OneProcessNote, check_launchable

TINY = dict(epochs=1, hidden_size=4, ensemble=1, progress=False, threads=1)


class Stop(Exception):
    """Raised by a stand-in for the training, once what it was given is recorded."""


def _monthly(n=72, index=None):
    t = np.arange(n)
    v = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12)
    return pd.Series(v, index=index if index is not None else
                     pd.date_range("2000-01-01", periods=n, freq="MS"), name="y")


def _daily(n=200):
    t = np.arange(n)
    return pd.Series(50 + 5 * np.sin(2 * np.pi * t / 7) + 0.1 * t,
                     index=pd.date_range("2020-01-01", periods=n, freq="D"), name="d")


@pytest.fixture
def cuda_here(monkeypatch):
    """A machine where torch says CUDA is there (two GPUs); the training is a stand-in
    that records the DeviceConfig and device it was given, and stops."""
    import rnnlab.forecast.training as T
    import rnnlab.train.distributed as D

    seen = {}

    def fake_launch(fn, args, cfg):
        seen.update(cfg=cfg, device=args[0]["device"])
        raise Stop

    def fake_members(ctx, payload):
        seen.update(ctx_device=ctx.device, device=payload["device"])
        raise Stop

    for k in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(D, "launch", fake_launch)
    monkeypatch.setattr(T, "train_members", fake_members)
    return seen


# 1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("accelerator", ["auto", None])
@pytest.mark.parametrize("devices", [1, 2])
def test_device_cpu_keeps_the_workers_on_the_cpu_where_cuda_is_there(cuda_here, accelerator,
                                                                      devices):
    """accelerator='auto' with config device='cpu' spawned workers that took CUDA (the
    DeviceConfig stayed 'auto'), and one process trained on CUDA too."""
    f = Forecaster(config=ForecastConfig(device="cpu", **TINY))
    with pytest.raises(Stop):
        f.fit(_monthly(), accelerator=accelerator, devices=devices)
    assert cuda_here["device"] == "cpu"
    if devices == 2:
        assert cuda_here["cfg"].accelerator == "cpu"
    else:
        assert cuda_here["ctx_device"] == torch.device("cpu")


def test_the_command_tells_its_workers_cpu_too(cuda_here, tmp_path):
    from rnnlab.cli import main

    with pytest.raises(Stop):
        main(["forecast", "--data", "airline", "--device", "cpu", "--accelerator", "auto",
              "--devices", "2", "--epochs", "1", "--hidden-size", "4", "--no-progress",
              "--out", str(tmp_path / "run")])
    assert cuda_here["cfg"].accelerator == "cpu" and cuda_here["device"] == "cpu"


def test_auto_without_a_device_still_takes_cuda(cuda_here):
    f = Forecaster(config=ForecastConfig(**TINY))  # device auto: CUDA where available
    with pytest.raises(Stop):
        f.fit(_monthly(), devices=2)
    assert cuda_here["cfg"].accelerator in ("auto", "cuda")


# 2 -------------------------------------------------------------------------------------
def test_ddp_with_one_device_says_no_group_is_formed(monkeypatch):
    for k in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(k, raising=False)
    with pytest.warns(OneProcessNote, match="no DDP group is formed.*--devices N"):
        check_launchable(DeviceConfig(accelerator="cpu", strategy="ddp"))
    for cfg in (DeviceConfig(accelerator="cpu"), DeviceConfig(accelerator="cpu", devices=2,
                                                              strategy="ddp")):
        with warnings.catch_warnings():
            warnings.simplefilter("error", OneProcessNote)
            check_launchable(cfg)  # no note: auto, or a group of two


def test_forecast_command_says_it_once_and_the_api_warns(monkeypatch, capsys, tmp_path):
    import rnnlab.forecast.training as T
    from rnnlab.cli import main

    def stop(ctx, payload):
        raise Stop

    monkeypatch.setattr(T, "train_members", stop)
    with pytest.raises(Stop):
        main(["forecast", "--data", "airline", "--strategy", "ddp", "--devices", "1",
              "--epochs", "1", "--hidden-size", "4", "--no-progress",
              "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert err.count("no DDP group is formed") == 1 and "rnnlab forecast: note:" in err
    with pytest.warns(OneProcessNote), pytest.raises(Stop):
        Forecaster(**TINY).fit(_monthly(), strategy="ddp", devices=1)


# 3 -------------------------------------------------------------------------------------
def test_the_api_says_where_the_command_would_round_to_whole_periods(monkeypatch):
    """The command rounds its default look-back / test size to whole periods (daily: 14);
    the API kept 12 without a word. It keeps them (given in Python), and says so with the
    command's values, which come from the same function."""
    import rnnlab.forecast.forecaster as F

    def stop(payload, dev_cfg):
        raise Stop

    monkeypatch.setattr(F, "run_training", stop)
    with pytest.warns(PeriodSizesNote, match=r"lookback=14, test_size=14"), \
            pytest.raises(Stop):
        Forecaster(**TINY).fit(_daily())
    rounded, _ = period_defaults(ForecastConfig(), 7, 200)
    assert (rounded.lookback, rounded.test_size) == (14, 14)
    for quiet in (dict(lookback=14, test_size=14), dict(lookback=10, test_size=12)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", PeriodSizesNote)
            with pytest.raises(Stop):
                Forecaster(**TINY, **quiet).fit(_daily())
    with warnings.catch_warnings():  # monthly: 12 is a whole period already
        warnings.simplefilter("error", PeriodSizesNote)
        with pytest.raises(Stop):
            Forecaster(**TINY).fit(_monthly())


# 4 -------------------------------------------------------------------------------------
def test_mape_says_how_many_zero_actuals_it_left_out():
    with pytest.warns(MapeSkipWarning, match=r"1 of the 4 actual values are 0.*other 3"):
        m = metrics([0.0, 2.0, 4.0, 5.0], [1.0, 1.0, 5.0, 5.0])
    assert m["mape"] == pytest.approx(100 * (0.5 + 0.25 + 0.0) / 3)
    with pytest.warns(MapeSkipWarning, match=r"3 of the 3.*MAPE is NaN"):
        assert np.isnan(metrics([0.0, 0.0, 0.0], [1.0, 2.0, 3.0])["mape"])
    a, p = np.array([2.0, 4.0, 8.0]), np.array([1.0, 5.0, 8.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", MapeSkipWarning)
        assert metrics(a, p)["mape"] == pytest.approx(100 * np.mean(np.abs((p - a) / a)))


# 5 -------------------------------------------------------------------------------------
def test_a_period_index_comes_back_as_periods(tmp_path):
    y = _monthly(index=pd.period_range("2000-01", periods=72, freq="M"))
    f = Forecaster(**TINY).fit(y)
    p = f.predict(3)
    assert isinstance(p.index, pd.PeriodIndex) and p.index.freqstr == "M"
    assert list(p.index.astype(str)) == ["2006-01", "2006-02", "2006-03"]
    assert isinstance(f.evaluate().forecasts.index, pd.PeriodIndex)
    g = Forecaster.load(f.save(tmp_path / "m"))
    pd.testing.assert_index_equal(g.predict(3).index, p.index)
    bt = f.backtest(horizon=3, first_origin=6, stride=3, baselines=("naive",))
    assert isinstance(bt.forecasts["ds"].dtype, pd.PeriodDtype)
    assert isinstance(bt.forecasts["origin"].dtype, pd.PeriodDtype)
    # dates as timestamps stay timestamps
    assert isinstance(Forecaster(**TINY).fit(_monthly()).predict(2).index, pd.DatetimeIndex)


# 6 -------------------------------------------------------------------------------------
def _wild_tail(transform="auto"):
    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    rng = np.random.default_rng(0)
    n = 60
    y = 2.0 + 0.3 * np.sin(np.arange(n)) + 0.05 * rng.standard_normal(n)
    y[-6:] = [1.0, 9.0, 0.8, 12.0, 1.0, 10.0]  # a validation tail far off: a large offset
    df = pd.DataFrame({"unique_id": "a", "y": y,
                       "ds": pd.date_range("2001-01-01", periods=n, freq="D")})
    f = GlobalForecaster("lstm", lookback=8, horizon=3, hidden_size=8, head_size=16,
                         batch_size=32, batches_per_epoch=4, epochs=2, val_size=6,
                         calibrate="conformal", quantiles=(0.1, 0.5, 0.9),
                         difference="none", transform=transform, seed=0)
    return f.fit(read_panel(df))


def test_calibrated_intervals_of_a_positive_log_series_stay_positive(tmp_path):
    """The offset was added on the values: q0.1 = -252 for a series between 0.8 and 12."""
    from rnnlab.panel.model import GlobalForecaster

    f = _wild_tail()
    assert f.calibration["space"] == "log" and f.calibration["offsets"][0][0] > 1
    p = f.predict()
    assert (p["q0.1"] > 0).all() and (p["q0.1"] <= p["q0.5"]).all()
    assert (p["q0.9"] > p["q0.5"]).all()
    q = GlobalForecaster.load(f.save(tmp_path / "m")).predict()
    np.testing.assert_allclose(q["q0.1"], p["q0.1"], rtol=1e-6)


def test_a_series_not_on_logs_and_an_older_calibration_stay_additive():
    from rnnlab.panel.calibration import apply_offsets

    f = _wild_tail(transform="none")
    assert "space" not in f.calibration
    table = pd.DataFrame({"unique_id": ["a"], "step": [1], "mean": [2.0], "q0.1": [1.0],
                          "q0.5": [2.0], "q0.9": [3.0]})
    old = {"pairs": [[0.1, 0.9]], "offsets": [[2.0]]}  # saved before: no "space"
    out = apply_offsets(table, old, {"a": 1.0}, logs=frozenset({"a"}))
    assert (out["q0.1"].iloc[0], out["q0.9"].iloc[0]) == (-1.0, 5.0)
    out = apply_offsets(table, dict(old, space="log"), {"a": 1.0}, logs=frozenset({"a"}))
    np.testing.assert_allclose([out["q0.1"].iloc[0], out["q0.9"].iloc[0]],
                               [np.exp(-2.0), 3.0 * np.exp(2.0)])


# 7 -------------------------------------------------------------------------------------
def test_resume_names_the_options_of_a_newer_rnnlab(tmp_path, capsys):
    from rnnlab.forecast.cli import RUNTIME_OPTIONS, _parser_defaults
    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.io.cli_options import CLI_FILE, apply_saved_options, save_options

    run = tmp_path / "run"
    run.mkdir()
    args = _parser_defaults()
    save_options(run, argparse.Namespace(**vars(args), command="forecast"))
    again = argparse.Namespace(**vars(_parser_defaults()), given_options=frozenset())
    apply_saved_options(again, run, _parser_defaults(), RUNTIME_OPTIONS, "rnnlab forecast")
    assert "does not know" not in capsys.readouterr().err  # this version's own: quiet
    record = json.loads((run / CLI_FILE).read_text())
    record.pop("_sha256")
    record["options"].update(future_knob=3, quantile_loss="crps")  # as a newer rnnlab saves
    atomic_write_json(run / CLI_FILE, record, checksum=True)
    apply_saved_options(again, run, _parser_defaults(), RUNTIME_OPTIONS, "rnnlab forecast")
    err = words(capsys.readouterr().err)  # (a warning wraps at 80 columns)
    assert "does not know: --future-knob, --quantile-loss" in err and "newer" in err
    assert not hasattr(again, "future_knob")


def test_a_panel_given_periods_gets_periods_back(tmp_path):
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import SeasonalNaive
    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    idx = pd.period_range("2000-01", periods=48, freq="M")
    y = _monthly(48).to_numpy()
    long = pd.DataFrame({"unique_id": "a", "ds": idx, "y": y})
    wide = pd.DataFrame({"a": y, "b": y + 1.0}, index=idx)
    f = GlobalForecaster("lstm", lookback=12, horizon=3, hidden_size=8, head_size=8, epochs=1,
                         batches_per_epoch=2, calibrate="none")
    for data in (long, wide):
        p = f.fit(data).predict()
        assert isinstance(p["ds"].dtype, pd.PeriodDtype) and p["ds"].iloc[0] == pd.Period(
            "2004-01", "M")
    g = GlobalForecaster.load(f.save(tmp_path / "m"))
    pd.testing.assert_frame_equal(g.predict(), p)
    panel = read_panel(long)
    assert isinstance(SeasonalNaive().fit(panel).predict(3)["ds"].dtype, pd.PeriodDtype)
    bt = backtest(SeasonalNaive, panel, horizon=3, first_origin=6, stride=3, baselines=())
    assert isinstance(bt.forecasts["ds"].dtype, pd.PeriodDtype)
    dated = long.assign(ds=idx.to_timestamp())  # timestamps in: timestamps out
    assert pd.api.types.is_datetime64_any_dtype(f.fit(dated).predict()["ds"])


def test_lm_train_says_it_once(tmp_path, monkeypatch):
    """lm train checks its settings before its run directory and again in fit: the note
    came twice."""
    from rnnlab.cli import main

    for k in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(k, raising=False)
    corpus = tmp_path / "c.txt"
    corpus.write_text("hello world, a tiny corpus for a quick test. " * 40)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")  # (not the once-per-place default: counted here)
        assert main(["lm", "train", "--corpus", str(corpus), "--epochs", "1",
                     "--hidden-size", "8", "--seq-len", "20", "--batch-size", "8",
                     "--no-progress", "--strategy", "ddp", "--devices", "1",
                     "--out", str(tmp_path / "run")]) == 0
    notes = [w for w in said if issubclass(w.category, OneProcessNote)]
    assert len(notes) == 1 and "no DDP group is formed" in str(notes[0].message)


def test_evaluate_says_the_zero_actuals_once(tmp_path, capsys):
    """Each method's forecast and one-step metrics warned again (16 lines in a run)."""
    from rnnlab.cli import main

    y = _monthly(72)
    y.iloc[-12:-6] = 0.0  # zeros in the test part
    # (transform said: 'auto' no longer lets the test part's zeros turn the log off)
    f = Forecaster(**TINY, transform="none").fit(y)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        f.evaluate()
    notes = [w for w in said if issubclass(w.category, MapeSkipWarning)]
    assert len(notes) == 1 and "6 of the 12 actual values are 0" in str(notes[0].message)
    csv = tmp_path / "z.csv"
    y.rename_axis("date").reset_index().to_csv(csv, index=False)
    assert main(["forecast", "--data", str(csv), "--epochs", "1", "--hidden-size", "4",
                 "--ensemble", "1", "--no-progress", "--transform", "none",
                 "--out", str(tmp_path / "run")]) == 0
    out, err = capsys.readouterr()
    assert (out + err).count("6 of the 12 actual values are 0") == 1
