"""One reader of a safetensors header (rnnlab.io.weights.read_header) serves every loader:
load_weights, header_shapes and load_tree refuse a damaged file with the same message."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
import torch

from rnnlab.io.errors import CheckpointError
from rnnlab.io.tree_file import load_tree
from rnnlab.io.weights import header_shapes, load_weights, read_header, save_weights


def _raw(path: Path, header: bytes, data: bytes = b"") -> Path:
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    return path


def test_read_header_returns_the_checked_header_with_its_metadata(tmp_path):
    path = tmp_path / "w.safetensors"
    save_weights(path, {"a": torch.zeros(2, 3, dtype=torch.float64)}, metadata={"k": "v"})
    header = read_header(path)
    assert header["__metadata__"] == {"k": "v"}
    assert header["a"]["shape"] == [2, 3] and header["a"]["dtype"] == "F64"
    assert header["a"]["data_offsets"] == [0, 48]


def _pickle_shaped(path: Path) -> Path:
    # b"\x80\x02" reads as a header of 640 bytes, which the file holds: not JSON, a pickle
    path.write_bytes(b"\x80\x02" + b"\x00" * 6 + b"x" * 640)
    return path


def _overlapping(path: Path) -> Path:
    header = json.dumps({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                         "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 8]}})
    return _raw(path, header.encode(), b"\x00" * 8)


@pytest.mark.parametrize("make, match", [
    (_pickle_shaped, "pickle/zip file"),
    (lambda p: p.write_bytes(b"\x01\x02") and p, "only 2 bytes"),
    (lambda p: p.write_bytes(b"\xff" * 8 + b"{}") and p, "header claims"),
    (lambda p: _raw(p, b"[1, 2]"), "not a JSON object"),
    (_overlapping, "overlap"),
    (lambda p: p.mkdir() or p, "found a directory"),
], ids=["pickle-shaped", "short", "huge-length", "not-object", "overlap", "directory"])
def test_every_loader_refuses_a_damaged_file_alike(tmp_path, make, match):
    path = make(tmp_path / "model.safetensors")
    messages = []
    for reader in (read_header, load_weights, header_shapes, load_tree):
        with pytest.raises(CheckpointError, match=re.escape(match)) as err:
            reader(path)
        messages.append(str(err.value))
    assert len(set(messages)) == 1, messages
