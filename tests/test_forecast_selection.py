"""Choosing between the network and its baselines (rnnlab.forecast.selection)."""

import json

import numpy as np
import pytest
import torch
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.forecast import forecaster as F
from rnnlab.forecast.baselines import seasonal_naive
from rnnlab.forecast.selection import choose, origin_offsets, rolling_scores, validation_span

TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, lookback=6, horizon=6)


_seasonal = seasonal


def test_rolling_origins_cover_the_validation_tail_and_read_nothing_after_it():
    assert validation_span(24, 4) == 24 + 3 * 6 and validation_span(12, 1) == 12
    assert origin_offsets(42, 24, 4) == [0, 6, 12, 18]  # the last forecast ends at the tail's end
    assert origin_offsets(10, 12, 4) == [0]  # shorter than the horizon: one forecast of it all
    seen = []

    def spy(h, s):
        seen.append(len(h) + s)
        return np.zeros(s)

    values = np.arange(100.0)
    rolling_scores(values, 60, 80, 6, 3, {"spy": spy}, 1.0)
    assert max(seen) == 80  # values[80:] is never compared with
    assert choose({"network": 0.5, "drift": 0.5, "seasonal_naive": 0.7}) == "drift"  # tie: simpler
    assert choose({"network": 0.4, "drift": 0.5}) == "drift"  # the network alone: not auto's
    assert choose({"network": 0.3, "combined": 0.2, "weighted": 0.4, "drift": 0.5}) == "weighted"
    # the model gives way to a baseline only when the baseline is more than 30% better
    assert choose({"weighted": 0.5, "drift": 0.36, "linear_ar": 0.4}) == "weighted"
    assert choose({"weighted": 0.5, "drift": 0.34, "linear_ar": 0.4}) == "drift"
    assert choose({"weighted": 0.5, "linear_ar0": 0.3}) == "linear_ar0"
    # a network more than twice as bad as the best baseline leaves the choice to the baselines
    assert choose({"network": 1.0, "weighted": 0.3, "drift": 0.55, "linear_ar": 0.5}) == "weighted"
    assert choose({"network": 1.0, "weighted": 0.3, "drift": 0.55, "linear_ar": 0.49}) == "linear_ar"
    assert choose({"network": float("nan"), "weighted": 0.3, "drift": 0.5}) == "drift"
    assert choose({"network": 0.4}, select="drift") == "drift"


def test_a_useless_network_loses_to_its_baseline():
    """No transform, difference or scaling, and a learning rate too small to move the
    weights: the network forecasts ~0 for a series near 100, and the choice is a baseline."""
    s = _seasonal()
    f = Forecaster(**{**TINY, "lr": 1e-12}, transform="none", difference="none",
                   scaler="none").fit(s)
    method = f.choice["method"]
    assert method in ("seasonal_naive", "drift", "linear_ar")  # a baseline
    assert f.choice["scores"]["network"] > 10 * f.choice["scores"]["seasonal_naive"]
    if method == "seasonal_naive":
        np.testing.assert_array_equal(f.predict(6).values, seasonal_naive(s.values, 6, 12))
    ev = f.evaluate()
    assert ev["choice"]["method"] == method
    assert ev["forecast"]["model"] == ev["forecast"][method]
    assert ev["forecast"]["network"]["mase"] > 10 * ev["forecast"]["model"]["mase"]
    g = Forecaster(**{**TINY, "lr": 1e-12}, transform="none", difference="none",
                   scaler="none", period=12).fit(s.values)  # no dates: the period given
    assert g.choice["method"] == method


def test_validation_never_reads_the_test_part():
    clean = _seasonal()
    poisoned = clean.copy()
    poisoned.iloc[-6:] = 1e9  # the test part (test_size = horizon = 6)
    a = Forecaster(**TINY).fit(clean)
    b = Forecaster(**TINY).fit(poisoned)
    assert a.choice == b.choice and a.n_train == b.n_train == 90
    for k, v in a.net.state_dict().items():
        assert torch.equal(v, b.net.state_dict()[k]), k
    train = clean.values[:90]
    np.testing.assert_array_equal(a.forecast_from(train, 6), b.forecast_from(train, 6))


@pytest.mark.parametrize("select", ["auto", "drift", "linear_ar0", "weighted", "combined",
                                    "blend", "network"])
def test_the_reported_choice_is_what_predict_returns(select, tmp_path):
    s = _seasonal(seed=1)
    f = Forecaster(**TINY, select=select).fit(s)
    method = f.choice["method"]
    assert select == "auto" or method == select
    expect = f.forecast_with(method, s.values, 6)
    np.testing.assert_array_equal(f.predict(6).values, expect)
    ev = f.evaluate()
    assert ev["choice"]["method"] == method
    np.testing.assert_array_equal(ev["predictions"]["model"],
                                  f.forecast_with(method, s.values[:f.n_train], 6))
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    assert g.choice == f.choice
    np.testing.assert_array_equal(g.predict(6).values, expect)


def test_selection_is_reproducible_with_a_seed():
    s = _seasonal(seed=2)
    a = Forecaster(**TINY, seed=3).fit(s)
    b = Forecaster(**TINY, seed=3).fit(s)
    assert a.choice == b.choice and a.choice["origins"] == 4
    np.testing.assert_array_equal(a.predict(6).values, b.predict(6).values)


def test_fit_uses_the_threads_policy_and_restores_torch_setting(monkeypatch):
    seen = []
    real = F.run_training

    def spy(payload, dev_cfg):
        seen.append(torch.get_num_threads())
        return real(payload, dev_cfg)

    monkeypatch.setattr(F, "run_training", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        Forecaster(**TINY).fit(_seasonal())  # default threads=1, as the CLI's --threads
        Forecaster(**TINY, threads=0).fit(_seasonal())  # 0: torch's setting is left alone
        assert seen == [1, 2] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_cli_states_the_choice(tmp_path, capsys):
    from rnnlab.cli import main

    csv = tmp_path / "s.csv"
    _seasonal().rename_axis("month").reset_index().to_csv(csv, index=False)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(csv), "--column", "y", "--hidden-size", "4",
                 "--epochs", "2", "--lookback", "6", "--horizon", "6", "--ensemble", "1",
                 "--no-progress", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    m = json.loads((out / "metrics.json").read_text())
    from rnnlab.forecast.selection import describe

    flat = " ".join(text.split())  # (the line is printed in lines of 80 columns at most)
    assert describe(m["choice"]) in flat and " over 4 rolling origins" in flat
    said = text[text.index("\nchoice: ") + 1:text.index("\nrun directory:")]
    assert all(len(line) <= 80 for line in said.splitlines()), said
    assert {"model", "network", "seasonal_naive", "drift"} <= set(m["forecast"])
    assert "\nnetwork " in text


def test_linear_skip_is_a_linear_map_of_the_window_and_old_models_load_without_it(tmp_path):
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.forecast.net import build_net

    net = build_net(ForecastConfig(**{k: v for k, v in TINY.items() if k != "progress"},
                                   strategy="direct"))  # six outputs at once
    x = torch.randn(5, 6)
    assert not net.skip.weight.any()  # starts as the plain network
    with torch.no_grad():
        plain = net(x)
        net.skip.weight.fill_(0.5)
        np.testing.assert_allclose(net(x) - plain, 0.5 * x.sum(1, keepdim=True).expand(5, 6),
                                   rtol=1e-5, atol=1e-5)
    f = Forecaster(**TINY, linear_skip=False).fit(_seasonal())
    f.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    del meta["config"]["linear_skip"], meta["config"]["select"], meta["config"]["origins"]
    del meta["config"]["threads"], meta["extra"]["choice"], meta["extra"]["linear_ar"]
    meta.pop("_sha256", None)  # saved before the checksums too
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))  # as saved before them
    g = Forecaster.load(tmp_path / "m")
    assert g.choice == {"method": "network"} and g.config.linear_skip is False
    np.testing.assert_array_equal(g.predict(6).values, f.forecast_with("network", f.series.values, 6))


def test_a_forced_seasonal_naive_without_a_period_is_refused_before_training():
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match="select='seasonal_naive' needs a period"):
        Forecaster(**TINY, select="seasonal_naive").fit(_seasonal().values)
    f = Forecaster(**TINY, select="naive").fit(_seasonal().values)
    np.testing.assert_array_equal(f.predict(3).values, np.full(3, _seasonal().values[-1]))


def test_the_choice_line_says_whether_it_was_chosen_or_set():
    from rnnlab.forecast.selection import describe

    scores = {"network": 0.5, "weighted": 0.55, "drift": 0.6}
    w = {"network": 0.7, "seasonal_naive": 0.3}
    assert describe({"method": "weighted", "scores": scores, "origins": 4, "select": "auto",
                     "weights": w}) == (
        "choice: weighted (lowest validation MASE over 4 rolling origins in the training part: "
        "weighted 0.550, drift 0.600; weights network 0.70, seasonal_naive 0.30; scored for "
        "the record, not chosen on it: network 0.500)")
    kept = describe({"method": "weighted", "scores": {"weighted": 0.5, "drift": 0.4},
                     "origins": 4, "select": "auto", "weights": w})
    assert kept.startswith("choice: weighted (kept unless a baseline's validation MASE is 30% "
                           "lower over 4 rolling origins in the training part: drift 0.400, "
                           "weighted 0.500")
    assert describe({"method": "drift", "scores": scores, "origins": 4,
                     "select": "drift"}).startswith("choice: drift (set by select='drift'")


def test_combined_is_the_mean_of_the_network_and_the_linear_ar_in_model_space():
    s = _seasonal(seed=4)
    f = Forecaster(**TINY, transform="none", difference="none", scaler="none").fit(s)
    h = s.values[:f.n_train]
    np.testing.assert_allclose(f.forecast_with("combined", h, 6),
                               0.5 * (f.forecast_with("network", h, 6)
                                      + f.forecast_with("linear_ar", h, 6)), rtol=1e-10)
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match="unknown forecast method 'arima'"):
        f.forecast_with("arima", h, 6)
    g = Forecaster(**TINY, select="naive").fit(s.values)  # no dates, no period
    with pytest.raises(DataError, match="seasonal_naive needs a period"):
        g.forecast_with("seasonal_naive", h, 6)


def test_the_choice_line_says_when_a_useless_network_left_it_to_the_baselines():
    from rnnlab.forecast.selection import describe

    line = describe({"method": "linear_ar", "scores": {"network": 9.0, "weighted": 0.3,
                                                       "linear_ar": 0.5, "drift": 0.6},
                     "origins": 4, "select": "auto"})
    assert line.startswith("choice: linear_ar (the network's validation MASE is more than 2 "
                           "times the best baseline's; lowest among the baselines over 4")


def test_predict_and_evaluate_run_on_the_fit_threads_too(monkeypatch):
    """They ran at torch's default threads: on a busy 2-core machine, evaluate() of dji took
    21 s at 2 threads against 0.7 s at one (each tiny LSTM call waits on the other thread)."""
    from rnnlab.forecast import methods

    seen = []
    real = methods.rollout

    def spy(*a, **k):
        seen.append(torch.get_num_threads())
        return real(*a, **k)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        f = Forecaster(**TINY).fit(_seasonal())  # threads=1
        monkeypatch.setattr(methods, "rollout", spy)
        f.predict(3)
        f.evaluate()
        assert seen and set(seen) == {1} and torch.get_num_threads() == 2
        seen.clear()
        g = Forecaster(**TINY, threads=0).fit(_seasonal())  # torch's setting left alone
        g.predict(3)
        assert seen and set(seen) == {2}
    finally:
        torch.set_num_threads(before)
