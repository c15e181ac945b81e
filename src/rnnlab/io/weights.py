"""Weights as data: safetensors files, written atomically, verified when read.

Loading never unpickles: safetensors holds only a JSON header and raw tensor bytes.
A SHA-256 of each file can be recorded next to it and is checked on load.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path
from typing import Dict, Optional

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from .atomic import atomic_write_bytes
from .errors import CheckpointError
from .json_file import is_sha256
from .unreadable import absent, read_failure
from ..type_aliases import StrPath

MAX_HEADER_BYTES = 100 * 1024 * 1024  # a header larger than this is refused


def save_weights(path: StrPath, tensors: Dict[str, torch.Tensor],
                 metadata: Optional[Dict[str, str]] = None) -> str:
    """Write ``tensors`` (a state_dict) to the safetensors file ``path`` atomically, with
    ``metadata`` (text to text) in its header; returns its SHA-256."""
    data = weights_bytes(tensors, metadata)
    atomic_write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def weights_bytes(tensors: Dict[str, torch.Tensor],
                  metadata: Optional[Dict[str, str]] = None) -> bytes:
    """The bytes of the safetensors file :func:`save_weights` writes: the same for the same
    tensors and metadata, in any process."""
    data = st_save({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, metadata=metadata)
    return _sorted_metadata(data) if metadata and len(metadata) > 1 else data


def _sorted_metadata(data: bytes) -> bytes:
    """``data`` with its header's metadata keys in sorted order. safetensors writes them from
    a Rust HashMap, whose order changes from one save to the next (within one process too),
    so two saves of the same training state differed in their bytes and SHA-256. The
    tensors' entries keep their order and the tensor bytes are untouched (their offsets
    count from the end of the header)."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)  # (safetensors pads its header to 8 bytes with spaces)
    return struct.pack("<Q", len(text)) + text + data[8 + n:]


def sha256_file(path: StrPath) -> str:
    """The SHA-256 of the file at ``path``, in hex, read 1 MiB at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_weights(path: StrPath, expected_sha256: Optional[str] = None) -> Dict[str, torch.Tensor]:
    """The tensors of the safetensors file ``path``, its structure checked (and its hash
    against ``expected_sha256``, when given) before anything is trusted."""
    path = Path(path)
    if expected_sha256 is not None and not is_sha256(expected_sha256):
        raise CheckpointError(f"{path}: the SHA-256 recorded for it is "
                              f"{str(expected_sha256)[:40]!r}, not 64 hexadecimal digits; the "
                              f"file that records it was edited or damaged: restore it from a "
                              f"copy, or train again")
    read_header(path)
    if expected_sha256 is not None:
        actual = sha256_file(path)
        if actual != expected_sha256:
            raise CheckpointError(f"{path}: SHA-256 mismatch (recorded {expected_sha256[:12]}…, "
                                  f"file has {actual[:12]}…); the file was changed or damaged: "
                                  f"restore it from a copy, or train again")
    try:
        return st_load(path.read_bytes())
    except Exception as e:  # safetensors raises its own error types
        raise CheckpointError(f"{path}: cannot read weights ({e}); expected a safetensors "
                              f"file as rnnlab writes it: restore it from a copy, or train "
                              f"again") from None


def read_header(path) -> dict:
    """The JSON header of a safetensors file, checked against the file (its tensors' spans
    cover the bytes after it, none overlapping), reading no tensor bytes; the one reader of
    every loader. CheckpointError saying what is wrong: not a file, truncated, a pickle or
    zip, a header too large, not JSON, or spans that do not fit."""
    path = Path(path)
    if not path.is_file():
        # (a link to /dev/zero was called "a directory")
        found = "a directory" if path.is_dir() else "a device, pipe or socket"
        raise CheckpointError(
            f"{path}: expected a weights file, found {found}; move it aside and put the file "
            f"back from a copy, or train again" if path.exists() else
            absent(path, "restore it from a copy, or train again") if path.is_symlink()
            else f"{path}: weights file not found")
    try:  # (no read permission: said so, with what to do)
        f = open(path, "rb")
    except OSError as e:
        raise CheckpointError(read_failure(path, e)) from None
    size = os.fstat(f.fileno()).st_size
    with f:
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointError(f"{path}: not a safetensors file (only {size} bytes); "
                                  f"the file is truncated or of another format")
        (n,) = struct.unpack("<Q", head)
        # safetensors: a little-endian header length, then the JSON header. Its first two
        # bytes may read like a pickle's (a header of 640 bytes starts b"\x80\x02"), so
        # a file is called pickle or zip only when it is not shaped as safetensors.
        shaped = n <= MAX_HEADER_BYTES and n <= size - 8 and f.read(1) == b"{"
        f.seek(8)
        if not shaped and (head[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")
                           or head[:2] == b"PK"):
            raise CheckpointError(f"{path}: this is a pickle/zip file, not safetensors; rnnlab "
                                  f"never unpickles checkpoints (it could run code)")
        if n > MAX_HEADER_BYTES or n > size - 8:
            raise CheckpointError(f"{path}: safetensors header claims {n} bytes but the file "
                                  f"has {size}; the file is truncated or damaged")
        header = parse_header(path, f.read(n))
    _check_header(path, header, size - 8 - n)
    return header


_FLOAT_DTYPES = ("F", "BF")  # safetensors' dtype names: F16, F32, F64, BF16, F8_E4M3...
_DTYPE_NAMES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
                "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8",
                "BOOL": "bool"}


def header_shapes(path) -> Dict[str, tuple]:
    """Each tensor's (shape, is floating point, dtype name) as a safetensors file's header records
    them, reading the header only (no tensor bytes); CheckpointError as :func:`load_weights`
    when the file is not a sound safetensors file."""
    header = read_header(path)
    try:
        return {k: (tuple(int(d) for d in v["shape"]), str(v["dtype"]).startswith(_FLOAT_DTYPES),
                    _DTYPE_NAMES.get(str(v["dtype"]), str(v["dtype"])))
                for k, v in header.items() if k != "__metadata__"}
    except (KeyError, TypeError, ValueError):
        raise CheckpointError(f"{path}: a tensor's shape or dtype is missing from the "
                              f"safetensors header; the file is damaged") from None


def parse_header(path: Path, raw: bytes):
    """The JSON of a safetensors header; CheckpointError when it is not JSON Python can
    hold: arrays nested thousands deep (a RecursionError) or an integer of more than
    4300 digits (a ValueError) came out of every loader as Python's own traceback."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: safetensors header is not valid JSON ({e})") from None
    except RecursionError:
        raise CheckpointError(f"{path}: safetensors header is JSON nested too deeply; the "
                              f"file is damaged or not a weights file rnnlab wrote") from None
    except ValueError as e:  # (Python's limit on the digits of an integer)
        raise CheckpointError(f"{path}: safetensors header holds a value rnnlab never writes "
                              f"({str(e)[:80]}); the file is damaged or was edited") from None


def _check_header(path: Path, header, data_len: int) -> None:
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: safetensors header is not a JSON object")
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            start, end = (int(v) for v in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(f"{path}: tensor {name!r} has no valid data_offsets") from None
        if not 0 <= start <= end <= data_len:
            raise CheckpointError(f"{path}: tensor {name!r} spans bytes {start}-{end} but the "
                                  f"file holds {data_len}; the file is truncated or damaged")
        spans.append((start, end, name))
    spans.sort()
    for (s0, e0, n0), (s1, e1, n1) in zip(spans, spans[1:]):
        if s1 < e0:
            raise CheckpointError(f"{path}: tensors {n0!r} and {n1!r} overlap; the file is damaged")
    if max((e for _, e, _ in spans), default=0) != data_len:  # (safetensors has no padding
        # after its tensors: bytes past them, a file grown or swapped, are not read, hashed)
        raise CheckpointError(f"{path}: holds {data_len} bytes of tensor data but its header "
                              f"accounts for {max((e for _, e, _ in spans), default=0)}; the file "
                              f"was changed or damaged")


def file_size(path) -> int:
    return os.stat(path).st_size
