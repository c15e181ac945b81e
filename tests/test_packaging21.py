"""The declared floors of ``pyproject.toml`` hold. At the floors as they were (numpy
1.24.0, pandas 2.0.0, safetensors 0.4.0): a checkpoint's train state of no tensors did
not load back (safetensors wrote its header as invalid JSON); a panel forecast's plot
raised a TypeError after training (numpy 1.24.0's ``np.ma.masked_invalid`` refuses
datetime64, which matplotlib's fill_between passes it); and a series dated by years
(1970, 1971, ...) failed after training with ``Invalid frequency: Y-DEC`` (pandas < 2.2
names a year's period 'A-DEC'). A model saved under either pandas, with its dates'
period frequency, loads under the other."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.freq_names import this_pandas_period_freq
from rnnlab.data.series import load_series
from rnnlab.io.errors import CheckpointError
from rnnlab.panel.date_kind import check_period_freq
from pyproject_data import pyproject

ROOT = Path(__file__).parents[1]
YEARS = pd.Period("2000", freq="Y").freqstr  # 'Y-DEC' (pandas >= 2.2) or 'A-DEC'


def _floor(name: str) -> tuple:
    deps = pyproject()["project"]["dependencies"]
    floor = next(d for d in deps if d.startswith(name + ">=")).split(">=")[1]
    return tuple(int(x) for x in floor.split("."))


def test_declared_safetensors_floor_writes_a_file_of_no_tensors_as_json():
    """safetensors 0.4.0-0.4.3 wrote ``{},"__metadata__":{...}}`` for a dict of no
    tensors with metadata, so a checkpoint whose train state holds no tensor did not load
    (tests/test_io.py::test_checkpoint_failure_keeps_previous_checkpoint under 0.4.0)."""
    import json
    import struct

    from safetensors.torch import save

    assert _floor("safetensors") >= (0, 4, 4)
    raw = save({}, metadata={"step": "1"})
    n = struct.unpack("<Q", raw[:8])[0]
    assert json.loads(raw[8:8 + n]) == {"__metadata__": {"step": "1"}}


def test_declared_numpy_floor_masks_dates_as_matplotlib_needs():
    """numpy 1.24.0 raised ``ufunc 'isfinite' not supported`` on datetime64 in
    ``np.ma.masked_invalid``; 1.24.1 fixed it, and the floor says so."""
    assert _floor("numpy") >= (1, 24, 1)
    dates = pd.date_range("2020-01-01", periods=3, freq="D").to_numpy()
    assert not np.ma.masked_invalid(dates).mask.any()


@pytest.mark.parametrize("saved", ["Y-DEC", "A-DEC", "Y"])
def test_a_years_period_freq_of_either_pandas_reads_as_this_pandas_names_it(saved):
    assert this_pandas_period_freq(saved) == YEARS
    assert check_period_freq(saved, "model.json") == YEARS  # before: 'A-DEC' "damaged"


def test_other_period_freqs_are_kept_and_a_wrong_one_still_refused():
    for name in ("M", "Q-DEC", "D", "W-SUN"):
        assert this_pandas_period_freq(name) == pd.Period("2000-01-01", freq=name).freqstr
    with pytest.raises(CheckpointError, match="not one pandas knows"):
        check_period_freq("Z-NOPE", "model.json")


def test_a_column_of_years_gets_this_pandas_years_freq(tmp_path):
    """Before: 'Y-DEC' whatever pandas was installed; pandas 2.0/2.1 then failed the
    forecast's dates (``rnnlab forecast --data years.csv``: an error after training)."""
    frame = pd.DataFrame({"year": range(1970, 2010), "gdp": np.sin(np.arange(40.0)) + 5})
    s = load_series(frame)
    assert s.period_freq == YEARS
    assert list(s.future_index(2).astype(str)) == ["2010", "2011"]
