"""Arbitrary bytes given as a checkpoint: only CheckpointError ever escapes, nothing runs."""

import json
import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlab.io import CheckpointError, load_weights
from rnnlab.io.model_dir import read_model_json
from rnnlab.train.checkpoint import CheckpointManager

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expect_checkpoint_error(fn):
    try:
        fn()
    except CheckpointError as e:
        assert str(e)  # a message that names the problem
    # success is allowed: some random bytes are a valid (empty) safetensors file


@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes_as_weights(tmp_path, data):
    p = tmp_path / "w.safetensors"
    p.write_bytes(data)
    _expect_checkpoint_error(lambda: load_weights(p))


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), st.one_of(
    st.none(), st.integers(), st.text(max_size=8),
    st.fixed_dictionaries({"dtype": st.sampled_from(["F32", "F64", "I64", "XX"]),
                           "shape": st.lists(st.integers(-2, 2**40), max_size=3),
                           "data_offsets": st.lists(st.integers(-5, 2**62), max_size=3)})),
    max_size=4), st.binary(max_size=64))
def test_lying_safetensors_headers(tmp_path, header, payload):
    h = json.dumps(header).encode()
    p = tmp_path / "w.safetensors"
    p.write_bytes(struct.pack("<Q", len(h)) + h + payload)
    _expect_checkpoint_error(lambda: load_weights(p))


@SETTINGS
@given(st.binary(max_size=512), st.binary(max_size=512))
def test_random_checkpoint_folder(tmp_path, pointer, meta):
    d = tmp_path / "ck"
    (d / "ckpt-00000001").mkdir(parents=True, exist_ok=True)
    (d / "latest.json").write_bytes(pointer)
    (d / "ckpt-00000001" / "meta.json").write_bytes(meta)
    _expect_checkpoint_error(lambda: CheckpointManager(d).load())


@SETTINGS
@given(st.one_of(st.binary(max_size=512), st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=6)),
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=6), c, max_size=3)),
    max_leaves=10).map(lambda o: json.dumps(o).encode())))
def test_random_model_json(tmp_path, data):
    d = tmp_path / "model"
    d.mkdir(exist_ok=True)
    (d / "model.json").write_bytes(data)
    _expect_checkpoint_error(lambda: read_model_json(d, "forecaster"))


def test_pointer_cannot_escape_the_checkpoint_folder(tmp_path):
    d = tmp_path / "ck"
    d.mkdir()
    (d / "latest.json").write_text(json.dumps({"name": "../../etc"}))
    try:
        CheckpointManager(d).load()
    except CheckpointError as e:
        assert "invalid checkpoint name" in str(e)
    else:
        raise AssertionError("a pointer outside the folder was followed")
    assert os.path.exists(d)
