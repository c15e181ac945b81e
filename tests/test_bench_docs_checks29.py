"""Session 29: README's bench section says which cap fails a run. A row over
``--row-seconds`` is left out (exit 0), while a process that ``--process-seconds``
stopped has its rows failed (``isolate``: "failed: over the process time cap"), and the
run exits 1; the README said only the first."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _exit_paragraph() -> str:
    text = re.sub(r"\s+", " ", README.read_text(encoding="utf-8"))
    start = text.index("`rnnlab bench` exits 0 when every row was measured")
    return text[start:text.index("130 on Ctrl-C", start)]


def test_readme_says_a_row_over_the_row_cap_is_left_out():
    assert "a row over `--row-seconds` is one left out" in _exit_paragraph()


def test_readme_says_a_process_over_its_cap_fails_the_run():
    said = _exit_paragraph()
    assert "`--process-seconds`" in said
    assert re.search(r"`--process-seconds` has its rows counted as failed: exit 1", said)


def test_the_process_cap_fails_its_rows_as_the_readme_says():
    """What the sentence says, run: a process over ``--process-seconds`` gives a failed
    row, and a run with a failed row beside a measured one exits 1 (one over
    ``--row-seconds`` alone exits 0)."""
    import sys

    from rnnlab.bench.isolate import run_isolated
    from rnnlab.bench.outcome import CAPPED, FAILED, summary
    from rnnlab.bench.result import Result

    def sleeper(config, model, path):
        return [sys.executable, "-c", "import time; time.sleep(30)"]

    rows = run_isolated([("T=10", "lstm")], sleeper, 0.5, lambda r: None)
    assert len(rows) == 1 and "--process-seconds" in rows[0].error
    measured = Result("T=10", "gru", "-", 1, "-", "-", 1.0, 1.0, 1.0, "-", None)
    capped = Result("T=10", "rnn", "-", 1, "-", "-", None, None, None, "-", None,
                    error=f"{CAPPED} of 1 s (--row-seconds)")
    assert summary([measured, *rows])[1] == FAILED == 1
    assert summary([measured, capped])[1] == 0
