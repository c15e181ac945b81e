"""panel/peer_arguments.py (304 lines) is split by idea: read_panel's peer arguments and a
backtest's live in their own modules, each under the house limit of ~300 lines, and the
refusals say what they said (the existing tests of each pin the words)."""

from pathlib import Path

import pytest

import rnnlab.panel as panel
from rnnlab.io.errors import ConfigTypeError

HOME = Path(panel.__file__).parent


@pytest.mark.parametrize("name", ["peer_arguments", "peer_read_arguments",
                                  "peer_backtest_arguments"])
def test_each_module_is_under_300_lines(name):
    assert len((HOME / f"{name}.py").read_text(encoding="utf-8").splitlines()) < 300


def test_the_refusals_come_from_their_own_modules():
    from rnnlab.panel.peer_backtest_arguments import refuse_backtest_arguments
    from rnnlab.panel.peer_read_arguments import refuse_read_arguments

    with pytest.raises(ConfigTypeError, match=r"'time_col' \(here: date_column=\)"):
        refuse_read_arguments({"time_col": "ds"})
    with pytest.raises(ConfigTypeError, match=r"first_origin=16 \(horizon 4 \+ \(n_windows"):
        refuse_backtest_arguments("backtest", {"n_windows": 4}, horizon=4)
