"""A backtest's paired tests: Diebold-Mariano over one series' origins, the signed-rank
test over a panel's series; printed by rnnlab backtest and kept in summary.json, beside
(not in place of) the table's means."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_tests import lags, origin_losses
from rnnlab.panel.baselines import Naive

pytest.importorskip("scipy")


def seasonal_panel(n_series: int, length: int = 60, seed: int = 0) -> pd.DataFrame:
    """Monthly series of a strong yearly pattern and little noise: the seasonal naive
    forecast is clearly better than the naive one."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    rows = []
    for i in range(n_series):
        y = 10 + 5 * np.sin(2 * np.pi * t / 12 + i) + rng.normal(0, 0.3, length)
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "y": y,
                                  "ds": pd.date_range("2000-01-01", periods=length, freq="MS")}))
    return pd.concat(rows, ignore_index=True)


def test_one_series_identical_model_is_not_significant_and_seasonal_is():
    res = backtest(Naive, seasonal_panel(1), horizon=3, first_origin=36, stride=3,
                   baselines=["naive", "seasonal_naive"], name="model")
    t = res.paired_tests()
    assert list(t["b"]) == ["naive", "seasonal_naive"] and (t["unit"] == "origins").all()
    same, seas = t.iloc[0], t.iloc[1]
    assert same["p_value"] == 1.0 and "equal on every one of the 12 origins" in same["note"]
    assert seas["test"] == "Diebold-Mariano (HLN)" and seas["n"] == 12
    assert seas["p_value"] < 0.01 and seas["mean_difference"] > 0  # (seasonal lower)
    assert seas["p_holm"] == pytest.approx(min(1.0, 2 * seas["p_value"]))  # (family of 2)


def test_one_series_losses_are_each_origins_mean_in_time_order():
    res = backtest(None, seasonal_panel(1), horizon=3, first_origin=9, stride=3,
                   baselines=["naive", "seasonal_naive"])
    table = origin_losses(res._common(), "absolute")
    fc = res.forecasts
    first = fc[(fc["model"] == "naive") & (fc["origin"] == table.index[0])]
    assert table["naive"].iloc[0] == pytest.approx(np.abs(first["y"] - first["mean"]).mean())
    assert list(table.index) == sorted(table.index)
    assert lags([9, 6, 3], 3) == 1 and lags([9, 7, 5, 3], 3) == 2 and lags([6, 5, 4], 3) == 3


def test_panel_signed_rank_and_too_few_series():
    res = backtest(None, seasonal_panel(8), horizon=3, first_origin=12, stride=3,
                   baselines=["seasonal_naive", "naive"])
    t = res.paired_tests().iloc[0]
    assert (t["test"], t["n"], t["unit"]) == ("Wilcoxon signed-rank", 8, "series")
    assert t["p_value"] == pytest.approx(2 / 2 ** 8) and t["mean_difference"] < 0
    few = backtest(None, seasonal_panel(4), horizon=3, first_origin=12, stride=3,
                   baselines=["seasonal_naive", "naive"]).paired_tests().iloc[0]
    assert few["p_value"] is None or np.isnan(few["p_value"])
    assert "4 series differ; the signed-rank test needs at least 6" in few["note"]


def test_cli_prints_the_tests_and_writes_them(tmp_path, capsys):
    from rnnlab.cli import main

    data = tmp_path / "p.csv"
    seasonal_panel(6).to_csv(data, index=False)
    out = tmp_path / "run"
    main(["backtest", "--data", str(data), "--model", "seasonal_naive", "--baselines",
          "naive", "--horizon", "3", "--first-origin", "6", "--out", str(out),
          "--no-progress", "--plot-series", "0"])
    printed = " ".join(capsys.readouterr().out.split())  # (wrapped at 80 columns: session 31)
    assert "Paired tests (not in the table's means): each series' mase" in printed
    assert "seasonal_naive vs naive: Wilcoxon signed-rank over 6 series" in printed
    assert "one comparison, so no adjustment here; nothing adjusts for other models" in printed
    said = json.loads((out / "summary.json").read_text())["paired_tests"]
    assert said["tests"][0]["n"] == 6 and said["tests"][0]["p_value"] == pytest.approx(2 / 64)


def test_without_scipy_the_tests_say_so_and_the_table_stands(monkeypatch):
    import sys

    from rnnlab.panel.backtest_tests import tests_said

    res = backtest(None, seasonal_panel(6), horizon=3, first_origin=6, stride=3,
                   baselines=["seasonal_naive", "naive"])
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    lines, said = tests_said(res)
    assert lines[0].startswith("Paired tests: not run (the signed-rank test needs scipy")
    assert "pip install 'rnnlab[panel]'" in said["note"] and said["tests"] == []
    assert len(res.summary()) == 2


@pytest.mark.slow  # (trains a Forecaster: 18 s on 2 shared cores)
def test_forecaster_backtest_of_a_series_without_dates_tests_over_its_origins():
    from rnnlab.forecast import ForecastConfig, Forecaster

    y = seasonal_panel(1, length=72)["y"].to_numpy()  # (no dates: the origins are labels)
    cfg = ForecastConfig(epochs=1, hidden_size=2, lookback=12, horizon=3, period=12)
    res = Forecaster(config=cfg).backtest(y, first_origin=24, stride=3,
                                          baselines=("naive", "seasonal_naive"), quantiles=())
    t = res.paired_tests()
    assert list(t["a"]) == ["model", "model"] and list(t["b"]) == ["naive", "seasonal_naive"]
    assert (t["n"] == 8).all() and (t["test"] == "Diebold-Mariano (HLN)").all()
    assert t["p_value"].between(0, 1).all()


def test_the_tests_from_the_written_per_series_table_are_the_same():
    from rnnlab.panel.backtest_tests import paired_tests

    res = backtest(None, seasonal_panel(7), horizon=3, first_origin=12, stride=3,
                   baselines=["seasonal_naive", "naive"], quantiles=(0.1, 0.5, 0.9))
    assert paired_tests(res, per_series=res.tables()[1]) == paired_tests(res)
