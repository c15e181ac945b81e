"""Session 29: ``rnnlab bench``'s exit status. ``--models dts-rnn --depth 1`` was timed:
its row failed while built and the run exited 0 for the anchor it had measured; now a
model its options can never build is refused before any row (exit status 2, as every
command that trains a network refuses it). A row that fails while timed makes the run's
status 1 (asv and pytest-benchmark fail a run with a failed benchmark); a row over
``--row-seconds`` is one the user left out, not a failure."""

from __future__ import annotations

import pytest

from rnnlab.bench.outcome import is_run_end, summary
from rnnlab.bench.result import Result
from rnnlab.cli import main


@pytest.mark.parametrize("extra", [[], ["--isolate"]])
@pytest.mark.parametrize("models,said", [("dts-rnn", "needs depth >= 2"),
                                         ("lstm,dots-rnn", "needs depth >= 2")])
def test_a_model_its_depth_cannot_build_is_refused_before_any_row(models, said, extra,
                                                                  tmp_path, capsys):
    out = tmp_path / "rows.json"
    code = main(["bench", "--models", models, "--depth", "1", "--configs", "C0",
                 "--repeats", "1", "--no-reference", "--json", str(out), *extra])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "error:" in captured.err and said in captured.err and "--depth" in captured.err
    assert "| config |" not in captured.out  # no table: nothing was timed
    assert not out.exists()


def test_a_depth_past_the_layer_limit_is_refused_before_any_row(capsys):
    code = main(["bench", "--models", "dt-rnn", "--depth", "5000", "--configs", "C0",
                 "--repeats", "1", "--no-reference"])
    captured = capsys.readouterr()
    assert code == 2 and "5000" in captured.err and "| config |" not in captured.out


def _row(error=None):
    timed = None if error else 1.0
    return Result("C0", "m", "fast", 1, "float32", "cpu", timed, timed, timed, "a", None,
                  error=error)


def test_a_failed_row_fails_the_run_and_the_measured_are_counted():
    line, status = summary([_row(), _row("failed: RuntimeError: CUDA error"), _row()])
    assert status == 1
    assert "1 of 3 rows failed" in line and "the other 2 were measured" in line
    assert is_run_end(line)  # (an --isolate parent does not pass a process's own on)


def test_rows_over_the_time_cap_alone_leave_the_status_0():
    capped = _row("over the time cap: one run took 9.0 s (--row-seconds 1)")
    line, status = summary([_row(), capped])
    assert status == 0 and "1 of 2 rows have no times" in line and "--row-seconds" in line
    line, status = summary([_row(), capped, _row("failed: ValueError: x")])
    assert status == 1 and "1 of 3 rows failed" in line and "1 over the" in line


def test_every_row_over_the_cap_still_fails_the_run():
    line, status = summary([_row("over the time cap: one run took 9.0 s")])
    assert status == 1 and "nothing was measured" in line


def test_python_m_rnnlab_bench_exits_2_for_a_usage_error_as_rnnlab_bench(capsys):
    """``python -m rnnlab.bench`` (what ``--isolate`` runs) exited 1 for the options
    ``rnnlab bench`` refuses with 2."""
    from rnnlab.bench.cli import main as bench_main

    assert bench_main(["--models", "dts-rnn", "--depth", "1", "--configs", "C0"]) == 2
    assert bench_main(["--models", "lstm", "--depth", "3", "--configs", "C0"]) == 2
    assert "python -m rnnlab.bench: error:" in capsys.readouterr().err
