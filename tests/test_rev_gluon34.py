"""Review of gluon34 (the printed tables' wql and msis, by_step's msis and below_q).

* The ``msis`` column a table shows was chosen by counting the *rows* that had a value:
  ``rnnlab score --by cutoff`` of a file where one model (q0.025/q0.975) has more cutoffs
  than two others (q0.1/q0.9) showed ``msis80`` in the summary and ``msis95`` in the
  by-cutoff table, under one note that said what ``msis80`` is. It counts the models that
  hold each interval now, as the docs say ("the widest interval the most models hold"):
  every table of one output shows the same column.
* A panel of mixed levels (one model of q0.025/q0.975, others of q0.1/q0.9) showed one
  model's ``msis95`` nowhere, its cell under ``msis80`` a "-" said to be "a model without
  those quantiles": the note now names the msis left out and where it is (``--json``,
  summary.csv, a panel forecast's metrics.csv).
"""

import numpy as np
import pandas as pd

from printed_words import words
from rnnlab.cli import main
from rnnlab.panel.printed_scores import score_columns


def _scores(models, rows_of):
    """A summary-like table: each model's rows (``rows_of``), its levels' columns."""
    out = []
    for m, p in models.items():
        for _ in range(rows_of[m]):
            row = {"model": m, "pinball": 0.3, "wql": 0.05}
            for q in ("80", "95"):
                held = q == p
                row.update({f"coverage{q}": 0.8 if held else np.nan,
                            f"width{q}": 2.0 if held else np.nan,
                            f"msis{q}": 4.0 if held else np.nan})
            out.append(row)
    return pd.DataFrame(out)


def test_the_shown_msis_counts_models_not_rows():
    models = {"A": "95", "B": "80", "C": "80"}
    summary = _scores(models, {"A": 1, "B": 1, "C": 1})
    by_cutoff = _scores(models, {"A": 3, "B": 1, "C": 1})  # (A at more cutoffs)
    assert score_columns(summary)[-1] == "msis80"  # (two models of three)
    assert score_columns(by_cutoff)[-1] == "msis80"  # (it was msis95: 3 rows to 2)
    # a model whose msis has no value (no scale) still holds the interval
    unscaled = summary.assign(msis80=np.nan)
    assert score_columns(unscaled)[-1] == "msis80"


def _cutoff_files(tmp_path):
    t = np.arange(36, dtype=np.float64)
    a = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2001-01-01", periods=36,
                                                            freq="MS"),
                      "y": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})
    a.to_csv(tmp_path / "a.csv", index=False)
    rows = []
    for m, cuts, (lo, hi) in [("A", [24, 27, 30], ("q0.025", "q0.975")),
                              ("B", [24], ("q0.1", "q0.9")), ("C", [24], ("q0.1", "q0.9"))]:
        for cut in cuts:
            for h in range(1, 4):
                mu = a["y"][cut + h - 1] + (3.0 if h % 2 else -2.0)
                rows.append({"unique_id": "s", "cutoff": a["ds"][cut - 1].strftime("%Y-%m-%d"),
                             "ds": a["ds"][cut + h - 1].strftime("%Y-%m-%d"), "model": m,
                             "mean": mu, lo: mu - 5, hi: mu + 5})
    pd.DataFrame(rows).to_csv(tmp_path / "f.csv", index=False)
    return [str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "a.csv")]


def test_every_table_of_a_score_shows_the_msis_its_note_says(tmp_path, capsys):
    assert main(["score", *_cutoff_files(tmp_path), "--by", "cutoff", "--per-series"]) == 0
    printed = capsys.readouterr().out
    tables = printed.split("\n\n")
    heads = [t.splitlines()[0].split() for t in tables]
    shown = [[c for c in h if c.startswith("msis")] for h in heads]
    assert shown == [["msis80"]] * 3, shown
    assert "msis80: the 80% interval's width" in words(printed)


def test_a_mixed_panels_note_names_the_msis_it_leaves_out(tmp_path, capsys):
    assert main(["score", *_cutoff_files(tmp_path)]) == 0
    said = words(capsys.readouterr().out)
    assert "msis95 (of a model that reads - under msis80): in --json" in said
    from rnnlab.panel.forecast_run import _print_scores

    _print_scores(_scores({"A": "95", "B": "80", "C": "80"}, {"A": 1, "B": 1, "C": 1}).assign(
        mase=1.0, n_series=2), 3, {}, "", tmp_path, {})
    said = words(capsys.readouterr().out)
    assert "msis95 (of a model that reads - under msis80): in metrics.csv" in said


def test_a_panel_of_one_interval_says_no_more(tmp_path, capsys):
    from rnnlab.panel.forecast_run import _print_scores

    # (every model holds both: the table's msis95 leaves out msis80, which none lacks)
    both = _scores({"A": "95"}, {"A": 1}).assign(coverage80=0.7, width80=1.0, msis80=3.0,
                                                 mase=1.0, n_series=2)
    _print_scores(both, 3, {}, "", tmp_path, {})
    said = words(capsys.readouterr().out)
    assert "msis95: the 95% interval" in said and "reads -" not in said


def test_by_step_averages_the_rows_with_a_scale_where_summary_blanks_the_series():
    """A series flat before its first origin and varying before the second has no
    scaled metrics in the summary (one of its rows has no scale), while ``by_step``,
    pooling rows, averages its rows that have one, as its ``mase`` did: the docs say
    so, where they said nothing of it."""
    from pathlib import Path

    from rnnlab.panel import metrics as M

    y = np.array([10.0, 12.0, 9.0, 15.0])
    lo, hi = y - 1.0, y + np.array([1.0, -1.0, 1.0, 3.0])
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "origin": [0, 0, 1, 1],
                       "step": [1, 2, 1, 2], "y": y, "mean": (lo + hi) / 2, "q0.1": lo,
                       "q0.5": (lo + hi) / 2, "q0.9": hi, "scale": [np.nan, np.nan, 2.0, 2.0]})
    assert np.isnan(M.summarize(fc)["msis80"].iloc[0])
    steps = M.by_step(fc).set_index("step")
    score = (hi - lo) + 10 * (lo - y) * (y < lo) + 10 * (y - hi) * (y > hi)
    np.testing.assert_allclose(steps["msis80"], score[2:] / 2.0)
    docs = " ".join((Path(__file__).parents[1] / "docs" / "panels.md").read_text().split())
    assert ("`by_step()` pools each step's rows over series and origins: its `mase` and "
            "`msis` average the rows that have a scale") in docs


def test_the_intervals_over_seeds_fit_80_columns_with_their_msis():
    """Each interval's line over ``--seeds`` gained its msis, ``mean ± std``: 82 to 105
    columns where the lines after a one-series table keep to 80 (its describe_intervals
    does). A line too long breaks after a comma, its words as they were."""
    from rnnlab.forecast.report import format_summary

    test = {"coverage99.5": 0.917, "width99.5": 12345.6, "msis99.5": 23456.7,
            "coverage95": 0.917, "width95": 91.23, "msis95": 12.34, "crps": 3.2,
            "wql": 0.0421}
    seeds = {"seeds": [0, 1, 2], "levels": [0.0025, 0.025, 0.975, 0.9975], "test": {
        k: {"mean": v, "std": v / 7, "values": [v] * 3} for k, v in test.items()}}
    text = format_summary({"forecast": {"model": {
        k: {"mean": 1.0, "std": 0.0} for k in ("rmse", "mae")}}, "intervals": seeds}, [0, 1, 2])
    assert max(len(line) for line in text.splitlines()) <= 80, text
    said = words(text)
    assert ("95% interval: coverage 0.917 ± 0.131, mean width 91.23 ± 13, "
            "msis95 12.34 ± 1.8") in said
    assert "99.5% interval: coverage 0.917 ± 0.131, mean width 1.235e+04 ± 1.8e+03, " \
           "msis99.5 2.346e+04 ± 3.4e+03" in said


def test_a_one_series_runs_intervals_block_fits_80_columns_with_its_msis():
    """The block under a one-series table said each interval's msis on its coverage's
    line: 90 columns for a 99.5% interval of a series in the thousands, where its
    docstring (and the lines after the table) keep to 80."""
    from rnnlab.forecast.run_intervals import describe_intervals

    test = {"coverage99.5": 1.0, "width99.5": 12345.6, "msis99.5": 23456.7,
            "coverage80": 0.8, "width80": 9.2, "msis80": 1.3, "wql": 0.01234}
    text = describe_intervals({"levels": [0.0025, 0.1, 0.9, 0.9975], "test_points": 120,
                               "test": test})
    assert max(len(line) for line in text.splitlines()) <= 80, text
    said = words(text)
    assert ("99.5% interval covers 120 of 120 test points (mean width 1.235e+04), "
            "msis99.5 2.346e+04; 80% interval covers 96 of 120 test points (mean width "
            "9.2), msis80 1.3; wql 0.01234") in said


def test_score_help_names_the_columns_its_table_prints(capsys):
    """`rnnlab score --help` listed pinball loss, CRPS and coverage as what it prints
    with quantiles: its table shows wql and an msis too now."""
    assert main(["score", "--help"]) == 0
    said = words(capsys.readouterr().out)
    assert "the weighted quantile loss (wql) and an MSIS (msis95, else the widest " \
           "interval's;" in said


def test_the_plots_test_band_reads_only_the_quantile_columns(monkeypatch):
    """The plot's test-part band sorted every column of ``future`` starting with "q" by
    the number after it: a forecast frame with a ``quarter`` or ``qty`` column beside
    q0.1/q0.9 (``f.plot(future=...)``) stopped with a bare ValueError, where the band past
    the data (:func:`rnnlab.panel.fan_bands.fan_bands`) passes such a column by."""
    from band_fakes import FittedStandIn, record_levels

    from rnnlab.forecast import plots

    asked = record_levels(monkeypatch)
    future = pd.DataFrame({"mean": 1.0, "qty": 5.0, "q0.9": 2.0, "quarter": 1.0,
                           "q0.1": 0.5, 7: 0.0}, index=range(3))
    band = plots._test_band(FittedStandIn(), {"predictions": {"model": np.zeros(12)}}, future)
    assert asked == [(0.1, 0.9)]
    assert list(band.columns) == ["q0.1", "q0.9"]


def test_the_forecast_figure_passes_other_columns_of_the_future_by():
    """A future frame with a column named by a number (or ``qty``) beside its levels:
    the figure draws the 80% band past the data and on the test part."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.collections import PolyCollection

    from rnnlab.data.series import load_series
    from rnnlab.forecast.plots import forecast_figure

    idx = pd.date_range("2010-01-01", periods=48, freq="MS")
    series = load_series(pd.Series(100 + np.arange(48.0), index=idx, name="y"))
    future = pd.DataFrame({"mean": 150.0, "q0.1": 140.0, "q0.9": 160.0, "qty": 3.0, 7: 0.0},
                          index=pd.date_range("2014-01-01", periods=3, freq="MS"))
    band = pd.DataFrame({"q0.1": np.arange(12.0) + 130, "q0.9": np.arange(12.0) + 150})
    _, ax = forecast_figure(series, 36, future=future, test_band=band)
    labels = [str(c.get_label()) for c in ax.collections if isinstance(c, PolyCollection)]
    assert labels == ["model's 80% interval (test part)", "80% interval"]
