"""``Forecaster.fit(devices=2.5)`` is refused before training, as ``devices=0`` is (was:
``int()`` made it two processes, and ``True`` one, without a word); numpy's whole numbers
(a grid over np.arange) are taken."""

import numpy as np
import pytest

from rnnlab import Forecaster
from rnnlab.io.errors import DataError
from rnnlab.forecast.training import fit_devices


@pytest.mark.parametrize("name, value", [("devices", 2.5), ("devices", True),
                                         ("num_nodes", 1.5), ("devices", "2")])
def test_a_count_of_processes_that_is_not_whole_is_refused(name, value):
    f = Forecaster(epochs=1, ensemble=1, progress=False)
    with pytest.raises(DataError, match=f"{name} .*must be a whole number"):
        f.fit("airline", **{name: value})
    assert f.net is None


def test_numpy_whole_numbers_are_taken():
    dev, _ = fit_devices(Forecaster().config, None, np.int64(1), np.int32(1), "auto", "32",
                         0, "stop")
    assert (dev.devices, dev.num_nodes) == (1, 1) and type(dev.devices) is int
