"""The heading above a backtest's paired tests names the test that ran. Both decide
"one series" from the same rows: those every model forecast. The heading looked at every
forecast, so a panel whose models share one series (a model that skipped the others)
printed "paired by series (Wilcoxon)" above a Diebold-Mariano test of that series'
origins."""

import dataclasses

import pytest

from rnnlab.panel import backtest_tests as bt


@pytest.fixture(scope="module")
def shared_one():
    """Two series; "naive" forecast only s0, so the models share one series."""
    pytest.importorskip("scipy")
    from rnnlab.panel.backtest import backtest

    from test_backtest_paired_tests import seasonal_panel

    res = backtest(None, seasonal_panel(2), horizon=3, first_origin=12, stride=3,
                   baselines=["seasonal_naive", "naive"])
    fc = res.forecasts
    kept = fc[(fc["model"] != "naive") | (fc["unique_id"] == "s0")].reset_index(drop=True)
    return dataclasses.replace(res, forecasts=kept)


def test_heading_names_the_origin_test_when_models_share_one_series(shared_one):
    assert shared_one.forecasts["unique_id"].nunique() == 2  # (two series forecast)
    tests = shared_one.paired_tests()
    assert list(tests["unit"]) == ["origins"]
    assert list(tests["test"]) == ["Diebold-Mariano (HLN)"]
    head = bt.what_is_paired(shared_one, k=len(tests))
    assert "paired by origin (Diebold-Mariano" in head
    assert "Wilcoxon" not in head


def test_printed_heading_and_rows_agree(shared_one):
    lines, said = bt.tests_said(dataclasses.replace(shared_one))
    assert "Diebold-Mariano" in lines[0] and "Wilcoxon" not in lines[0]
    assert said["tests"][0]["unit"] == "origins"


def test_one_rule_decides_both(shared_one):
    assert bt.pairs_origins(shared_one._common())
    assert not bt.pairs_origins(shared_one.forecasts)
