"""`rnnlab backtest` printed its paired tests as lines of 150 to 270 characters (the
heading one sentence chain, each test a line), under a table and above notes kept to a
terminal's width elsewhere (`rnnlab forecast` breaks its lines at 80 columns). Each is
now wrapped at 80 columns between words, a number never parted from its "=", each test's
lines indented under its first; the words are the same."""

import json

import pytest

from test_backtest_paired_tests import seasonal_panel

pytest.importorskip("scipy")


def test_the_paired_tests_print_within_80_columns(tmp_path, capsys):
    from rnnlab.cli import main

    data = tmp_path / "p.csv"
    seasonal_panel(8).to_csv(data, index=False)
    out = tmp_path / "run"
    assert main(["backtest", "--data", str(data), "--model", "seasonal_naive", "--baselines",
                 "naive,croston", "--horizon", "3", "--first-origin", "6", "--out", str(out),
                 "--no-progress", "--plot-series", "0"]) == 0
    printed = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(printed) if line.startswith("Paired tests"))
    block = printed[start:]
    block = block[:next((i for i, line in enumerate(block) if line.startswith(
        ("note:", "rnnlab backtest:"))), len(block))]
    assert len(block) > 3 and max(len(line) for line in block) <= 80
    assert not any(line.rstrip().endswith("=") for line in block)
    said = json.loads((out / "summary.json").read_text())["paired_tests"]
    words = " ".join(" ".join(block).split())
    assert " ".join(said["note"].split()) in words  # the heading's words, as recorded
    assert "seasonal_naive vs naive: Wilcoxon signed-rank over 8 series" in words
    tests = [line for line in block if " vs " in line]
    assert len(tests) == 2 and all(line.startswith("  ") for line in tests)
