"""A saved model whose weights file is damaged in its header (a tensor's name changed by
one flipped byte) is named as damaged by its recorded SHA-256, as before the meta-device
shape check (built_for_weights): that check read the header first and called the file
"written by another model ... load them with the options they were saved with"."""

import pytest
import torch

from rnnlab.io.errors import CheckpointError
from rnnlab.io.model_dir import built_for_weights, read_model_json, save_model_dir


def _saved(tmp_path):
    torch.manual_seed(0)
    save_model_dir(tmp_path / "m", torch.nn.Linear(3, 2), "probe", {"n": 3}, {})
    return tmp_path / "m"


def test_a_flipped_byte_in_the_header_is_named_by_the_hash(tmp_path):
    path = _saved(tmp_path) / "model.safetensors"
    data = bytearray(path.read_bytes())
    at = data.index(b"weight")
    data[at] ^= 1  # 'weight' -> 'veight': still a header that parses
    path.write_bytes(bytes(data))
    meta = read_model_json(tmp_path / "m", "probe")
    with pytest.raises(CheckpointError, match="SHA-256 mismatch") as e:
        built_for_weights(lambda: torch.nn.Linear(3, 2), meta)
    assert "another model" not in str(e.value)
    assert "restore it from a copy, or train again" in str(e.value)  # (what to do)


def test_weights_that_do_not_read_say_what_to_do(tmp_path, monkeypatch):
    from rnnlab.io import weights

    path = _saved(tmp_path) / "model.safetensors"

    def broken(data):
        raise RuntimeError("bad tensor")
    monkeypatch.setattr(weights, "st_load", broken)
    with pytest.raises(CheckpointError, match=r"cannot read weights \(bad tensor\); expected a "
                       r"safetensors file .* restore it from a copy, or train again"):
        weights.load_weights(path)


def test_sizes_edited_in_the_config_are_still_named_as_such(tmp_path):
    meta = read_model_json(_saved(tmp_path), "probe")
    with pytest.raises(CheckpointError, match=r"file \(2, 3\) vs model \(2, 5\)"):
        built_for_weights(lambda: torch.nn.Linear(5, 2), meta)
    assert isinstance(built_for_weights(lambda: torch.nn.Linear(3, 2), meta), torch.nn.Linear)
