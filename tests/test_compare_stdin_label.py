"""``rnnlab compare --data -``: the report names standard input as the user typed it (was
headed "## /root/.cache/rnnlab/inputs/HASH.csv"), while config.json keeps the kept copy's
path, which a repeat reads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_cli_pipes20 import AIRLINE, _stdin  # noqa: E402


@pytest.mark.slow
def test_compare_report_names_standard_input_and_config_keeps_the_copy(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))
    _stdin(monkeypatch, AIRLINE.read_bytes())
    out = tmp_path / "cmp"
    assert main(["compare", "--data", "-", "--models", "gru", "--seeds", "0", "--epochs", "1",
                 "--hidden-size", "4", "--threads", "1", "--no-progress", "-q",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    md = (out / "report.md").read_text()
    assert "## standard input (forecast)" in md.splitlines(), md[:300]
    assert "- Series: standard input, column" in md
    assert "<h2>standard input (forecast)</h2>" in (out / "report.html").read_text()
    kept = json.loads((out / "config.json").read_text())["config"]["compare"]["data"]
    assert Path(kept).parent == tmp_path / "cache" / "inputs" and Path(kept).is_file()
    assert f"## {kept}" not in md
