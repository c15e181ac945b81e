"""docs/panels.md lists the columns of per_series.csv: every column a real backtest writes
there is named on the page, in the paragraph that lists them (so the list cannot drift
when a metric is added)."""

from pathlib import Path

import pandas as pd

from rnnlab.panel.backtest import backtest

from test_backtest_paired_tests import seasonal_panel

PAGE = Path(__file__).resolve().parents[1] / "docs" / "panels.md"


def listed_columns() -> str:
    """The page's sentence that lists per_series.csv's columns (up to its closing words)."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("`per_series.csv` (one row per model and series:")
    return text[start:text.index("the columns\nof the metrics table above", start)]


def test_every_per_series_column_is_named_on_the_page(tmp_path):
    res = backtest(None, seasonal_panel(3), horizon=3, first_origin=6,
                   baselines=["seasonal_naive", "naive"])
    res.save(tmp_path / "bt")
    columns = list(pd.read_csv(tmp_path / "bt" / "per_series.csv", nrows=0).columns)
    assert {"mase", "coverage80", "below_q0.9", "msis80", "n"} <= set(columns)
    listed = listed_columns()
    missing = [c for c in columns if f"`{c}`" not in listed]
    assert not missing, f"per_series.csv columns not named in docs/panels.md: {missing}"
