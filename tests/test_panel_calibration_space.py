"""The space a panel calibration was fitted in (``"space": "log"``, rnnlab.panel.calibration)
is checked on load as the rest of it is."""

import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.panel.calibration import check_calibration

LEVELS = (0.1, 0.5, 0.9)


def _cal(**extra):
    return {"pairs": [[0.1, 0.9]], "offsets": [[0.5, 0.7]], "scores": 40, "per_step": False,
            **extra}


@pytest.mark.parametrize("space", [None, "log"])
def test_a_calibration_on_values_or_on_logs_loads(space):
    cal = _cal() if space is None else _cal(space=space)
    assert check_calibration(cal, LEVELS, 2, "m").get("space") == space


@pytest.mark.parametrize("space", ["logs", "LOG", 1, None])
def test_an_edited_space_is_refused_not_applied_on_the_values(space):
    """An unknown space was kept and the offsets applied additively, as on the values: a
    calibration fitted on logs applied so is silently wrong (by the series' scale)."""
    with pytest.raises(CheckpointError, match="interval calibration is damaged"):
        check_calibration(_cal(space=space), LEVELS, 2, "m")
