"""Forecaster.fit(..., resume=True) on other data than its checkpoints' says so once
(ResumeDataWarning), as ``rnnlab forecast --resume`` warns; the same data, or a checkpoint
written before the data's SHA-256 was recorded, resumes without a word."""

import warnings

import numpy as np
import pytest

from rnnlab import Forecaster
from rnnlab.forecast.resume_data import ResumeDataWarning
from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.json_file import read_json

KW = dict(lookback=6, horizon=3, epochs=1, ensemble=2, hidden_size=4, progress=False,
          device="cpu")


def _series():
    return np.array([(i * 7) % 23 + i / 10 for i in range(80)], dtype=float)


def _resume(y, ck):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Forecaster(**dict(KW, epochs=2)).fit(y, checkpoint_dir=ck, resume=True)
    return [w for w in caught if issubclass(w.category, ResumeDataWarning)]


@pytest.fixture()
def started(tmp_path):
    ck = tmp_path / "ck"
    Forecaster(**KW).fit(_series(), checkpoint_dir=ck)
    return ck


def test_resume_on_other_data_warns_once(started):
    y = _series()
    y[10] += 1.0
    found = _resume(y, started)
    assert len(found) == 1, found  # (two members: one warning)
    text = str(found[0].message)
    assert "the data differs from the checkpoints'" in text and "SHA-256" in text, text
    assert found[0].filename == __file__  # (at the caller's line)


def test_resume_on_the_same_data_is_silent(started):
    assert _resume(_series(), started) == []


def test_an_older_checkpoint_without_the_hash_resumes_silently(started):
    metas = list(started.glob("member*/ckpt-*/meta.json"))
    assert len(metas) == 2
    for meta in metas:
        record = read_json(meta)
        assert "data_sha256" in record
        del record["data_sha256"]
        atomic_write_json(meta, record, checksum=True)  # (as an older rnnlab wrote it)
    y = _series()
    y[10] += 1.0
    assert _resume(y, started) == []
