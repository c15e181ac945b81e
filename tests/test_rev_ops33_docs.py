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
