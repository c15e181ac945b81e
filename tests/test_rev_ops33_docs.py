"""Review of ops33: what README says goes to stdout and to stderr is what the commands do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _streams_sentence() -> str:
    """README's sentence on the output streams (from "Results go to stdout" to the next
    sentence that ends with "stderr."), its words on one line."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    start = text.index("Results go to stdout")
    return text[start:text.index("to stderr.", start)]


@pytest.mark.slow  # (a forecast trained: about 15 s on a shared machine)
def test_the_report_lines_forecast_prints_on_stdout_are_named_where_readme_says_so(
        tmp_path, capsys):
    # README said "Results go to stdout, progress, notes and warnings to stderr", and
    # `rnnlab forecast` prints the lines that explain its table ("run directory:",
    # "seasonal period:", "weights kept:") on stdout, as tests pin: a pipeline that read
    # "notes" as those lines looked for them on stderr
    from rnnlab.cli import main

    assert main(["forecast", "--data", "airline", "--hidden-size", "4", "--epochs", "1",
                 "--ensemble", "1", "--no-progress", "--out", str(tmp_path / "r")]) == 0
    heads = {m.group(1) for m in re.finditer(r"^([a-z][a-z ]+):", capsys.readouterr().out,
                                             re.M)}
    assert {"run directory", "seasonal period", "weights kept"} <= heads
    said = _streams_sentence()
    missing = sorted(h for h in heads if f"`{h}:`" not in said)
    assert not missing, (missing, said)


def _results_table() -> dict:
    """README's table of results files: {command: (file cell, what-it-holds cell)}."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| command | file | what a pipeline reads there |")
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        command, file, holds = (c.strip() for c in line.strip("|").split("|"))
        rows[command] = (file, holds)
    return rows


def _keys(value) -> set:
    """Every key of a JSON value, at any depth (a list's objects too)."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _named(holds: str) -> set:
    """The keys a cell names: its backquoted names split at dots, placeholders (METHOD,
    METRIC) aside."""
    return {w for name in re.findall(r"`([^`]+)`", holds) for w in name.split(".")
            if not w.isupper()}


def test_readme_names_each_results_file_rnnlab_runs_reads():
    # a pipeline (Airflow, a cron job) reads a command's results file: README said "a run's
    # metrics.json and lm eval --json are the machine-readable results", and backtest
    # writes summary.json, compare results.json, a --seeds forecast summary.json
    from rnnlab.runs_cli import RESULT_FILES

    files = " ".join(file for file, _ in _results_table().values())
    assert all(f"`{name}`" in files for name in RESULT_FILES), files


def _check_row(command: str, folder: Path) -> None:
    """The file README's row names for ``command`` is in ``folder`` with the keys it names."""
    import json

    file, holds = _results_table()[f"`{command}`"]
    name = re.match(r"`([^`]+)`", file).group(1)
    found = _keys(json.loads((folder / name).read_text()))
    assert _named(holds) <= found, (command, _named(holds) - found)


def test_the_keys_readme_names_are_in_backtests_summary(tmp_path, capsys):
    from cli_run import run

    out = tmp_path / "bt"
    assert run(["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
                "--plot-series", "0", "--horizon", "4", "--out", str(out)], capsys)[0] == 0
    _check_row("backtest", out)


def test_the_keys_readme_names_are_in_lm_trains_metrics(tmp_path, capsys):
    from cli_run import run

    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    out = tmp_path / "lm"
    assert run(["lm", "train", "--corpus", str(corpus), "--hidden-size", "4",
                "--num-layers", "1", "--embedding", "0", "--seq-len", "8", "--batch-size",
                "4", "--epochs", "1", "--no-progress", "--threads", "1", "--sample-every",
                "0", "--out", str(out)], capsys)[0] == 0
    _check_row("lm train", out)
