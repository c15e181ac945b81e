"""One "am I the process that writes" rule (rnnlab.train.launch_checks.is_main_process),
used by compare, forecast and lm alike: RANK read as torch reads it."""

from __future__ import annotations

import pytest

from rnnlab.train.launch_checks import is_main_process


@pytest.mark.parametrize("rank, main", [
    (None, True), ("0", True), ("00", True), (" 0\n", True),
    ("1", False), ("10", False), ("", False), ("x", False), ("-0", False),
])
def test_rank_zero_or_no_rank_is_the_main_process(monkeypatch, rank, main):
    if rank is None:
        monkeypatch.delenv("RANK", raising=False)
    else:
        monkeypatch.setenv("RANK", rank)
    assert is_main_process() is main


def test_every_command_asks_the_one_rule():
    import rnnlab.compare.parts as parts
    import rnnlab.compare.runner as runner
    import rnnlab.forecast.cli as forecast_cli
    import rnnlab.forecast.run_one as run_one

    for module in (runner, parts, forecast_cli, run_one):
        assert module.is_main_process is is_main_process, module.__name__
    assert not hasattr(run_one, "_is_main")
