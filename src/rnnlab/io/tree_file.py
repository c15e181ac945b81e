"""A training state as data: nested dicts, lists, tuples, numbers, text and tensors, saved
in one safetensors file (the tensors) whose metadata holds the nesting as JSON.

Reading it parses JSON and raw tensor bytes, nothing else: no pickle, so no code runs,
whatever the file holds. Each JSON node is one of

- ``null``, ``true``/``false``, a number, a string, a list;
- ``{"$tensor": name}``, a tensor of the file;
- ``{"$tuple": [...]}``; ``{"$dict": [[key, value], ...]}`` (keys keep their type: an
  optimizer's state is keyed by parameter number);
- ``{"$namedtuple": [name, [field, ...], [value, ...]]}``, read back as a namedtuple of that
  name and those fields built anew (``carry.state`` reads as before; the class is not the
  one saved, which the file cannot name without choosing code). Only names
  ``collections.namedtuple`` takes as they are (identifiers Python reads as written, no
  leading ``_``, at most ``_NAME_LIMIT`` characters and ``_FIELD_LIMIT`` fields) are
  read; save writes any other namedtuple (``rename=True``'s ``_1``, a subclass named at
  run time) as a ``$tuple``, as it wrote every namedtuple before, and a tree holding one
  in format ``rnnlab-tree-2`` (an earlier rnnlab then names it a later one's);
- ``{"$float": "nan" | "inf" | "-inf"}`` (JSON has no such numbers).

Anything else is refused on load, and a value of another type on save (a bug of the caller).
"""

from __future__ import annotations

import collections
import functools
import json
import math
import numbers
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterator, Protocol, Tuple, TypeGuard

import numpy as np
import torch

from .errors import CheckpointError, ConfigTypeError
from .weights import load_weights, read_header, save_weights, weights_bytes

FORMAT = "rnnlab-tree-1"
# a tree holding a $namedtuple node: an rnnlab that reads only rnnlab-tree-1 (before
# session 25) says "a later rnnlab's format" there, not "damaged"; both are read
FORMAT_NAMEDTUPLE = "rnnlab-tree-2"
_READS = (FORMAT, FORMAT_NAMEDTUPLE)
_NAME_LIMIT = 100  # characters of a namedtuple's name or of one field
_FIELD_LIMIT = 255  # fields of one namedtuple
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _encode(value, tensors: Dict[str, torch.Tensor]):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):  # (not a numbers.Integral)
        return bool(value)
    if isinstance(value, torch.Tensor):
        name = f"t{len(tensors):06d}"
        tensors[name] = value.detach().cpu().clone()  # (its own storage: none shared)
        return {"$tensor": name}
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, list):
        return [_encode(v, tensors) for v in value]
    if _is_namedtuple(value) and _rebuilds(value):
        return {"$namedtuple": [type(value).__name__, list(value._fields),
                                [_encode(v, tensors) for v in value]]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v, tensors) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[_encode_key(k), _encode(v, tensors)] for k, v in value.items()]}
    raise ConfigTypeError(f"cannot save a {type(value).__name__} in a training state (only dicts, "
                          f"lists, tuples, numbers, text, None and tensors)")


class _Named(Protocol):
    """A namedtuple: a tuple whose class names its fields."""

    _fields: Tuple[str, ...]

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


def _is_namedtuple(value: object) -> TypeGuard[_Named]:
    """Whether ``value`` is a tuple whose class names its fields (texts): a namedtuple."""
    fields = getattr(type(value), "_fields", None)
    return isinstance(value, tuple) and isinstance(fields, tuple) and \
        all(isinstance(f, str) for f in fields)


def _rebuilds(value: _Named) -> bool:
    """Whether load rebuilds ``value``'s class from its name and fields: a file save
    writes is one load reads (``rename=True``'s field ``_1`` was saved, then refused)."""
    fields = type(value)._fields
    try:
        _namedtuple_class(type(value).__name__, fields)
    except _Bad:
        return False
    return len(fields) == len(value)


def _namedtuple_class(name: str, fields: Tuple[str, ...]):
    """The class of a ``$namedtuple`` node; _Bad for names a file may not bring: over the
    limits (a class of 10**5 fields took seconds to build), or not as Python reads them
    (NFKC folds ``'\ufb01'`` into ``'fi'``: two such fields died in a SyntaxError)."""
    if len(fields) > _FIELD_LIMIT:
        raise _Bad(f"a namedtuple of {len(fields)} fields (at most {_FIELD_LIMIT} are read)")
    for text in (name, *fields):
        if len(text) > _NAME_LIMIT or unicodedata.normalize("NFKC", text) != text:
            raise _Bad(f"a namedtuple name {text[:40]!r} (expected an identifier of at most "
                       f"{_NAME_LIMIT} characters, as Python reads it)")
    try:
        return _cached_class(name, tuple(fields))
    except (ValueError, SyntaxError) as e:  # (not an identifier, a keyword, a leading '_')
        raise _Bad(f"a namedtuple that cannot be rebuilt: {e}") from None


@functools.lru_cache(maxsize=64)
def _cached_class(name: str, fields: Tuple[str, ...]):
    """One class for each name and fields read, so two loads' carries are of one type."""
    return collections.namedtuple(name, fields)


def _encode_key(key):
    """A dict key as load reads it back: None, a bool, number or text (an optimizer's
    state is keyed by parameter number); any other (a tuple, a tensor) is refused here,
    where it was written and then refused by every load as a damaged file."""
    if key is None or isinstance(key, (bool, str, np.bool_, numbers.Real)):
        return _encode(key, {})
    raise ConfigTypeError(f"cannot save a dictionary key of type {type(key).__name__} ({key!r:.60}) "
                          f"in a training state (only None, bools, numbers and text)")


def save_tree(path, tree: Any) -> str:
    """Write ``tree`` atomically as one safetensors file; returns its SHA-256."""
    return save_weights(path, *_flat(tree))


def tree_bytes(tree: Any) -> bytes:
    """The bytes of the file :func:`save_tree` writes."""
    return weights_bytes(*_flat(tree))


def _flat(tree: Any):
    """(the tensors of ``tree``, the metadata holding its nesting)."""
    tensors: Dict[str, torch.Tensor] = {}
    skeleton = _encode(tree, tensors)
    fmt = FORMAT_NAMEDTUPLE if _holds_namedtuple(skeleton) else FORMAT
    return tensors, {"format": fmt,
                     "tree": json.dumps(skeleton, allow_nan=False, separators=(",", ":"))}


def _holds_namedtuple(node) -> bool:
    """Whether the encoded tree ``node`` holds a ``$namedtuple`` node."""
    if isinstance(node, list):
        return any(_holds_namedtuple(v) for v in node)
    if not isinstance(node, dict):
        return False
    (tag, body), = node.items()
    return tag == "$namedtuple" or (tag != "$tensor" and _holds_namedtuple(body))


def _metadata(path: Path) -> dict:
    meta = read_header(path).get("__metadata__")  # (read again: the file may have changed)
    return meta if isinstance(meta, dict) else {}


def load_tree(path, expected_sha256=None, map_location=None) -> Any:
    """Read what :func:`save_tree` wrote, checking every node; CheckpointError saying what
    is wrong otherwise."""
    path = Path(path)
    tensors = load_weights(path, expected_sha256=expected_sha256)
    meta = _metadata(path)
    fmt = meta.get("format")
    if isinstance(fmt, str) and fmt.startswith("rnnlab-tree-") and fmt not in _READS:
        from .. import __version__  # (a later rnnlab's layout: said so, not "not rnnlab's")

        raise CheckpointError(f"{path}: a training state in format {fmt!r}, which this rnnlab "
                              f"{__version__} does not read (it reads {' and '.join(_READS)}); "
                              f"resume it with the rnnlab that wrote it (the checkpoint's "
                              f"meta.json names its version under 'versions'), or start a new run")
    if fmt not in _READS:
        raise CheckpointError(f"{path}: not an rnnlab training state (its metadata names format "
                              f"{fmt!r}, expected {FORMAT!r})")
    try:
        skeleton = json.loads(meta.get("tree", ""))
        return _decode(skeleton, tensors, map_location)
    except (ValueError, RecursionError) as e:  # (not JSON; an integer of > 4300 digits)
        raise CheckpointError(f"{path}: its training state is damaged ({type(e).__name__})") from None
    except _Bad as e:
        raise CheckpointError(f"{path}: its training state is damaged: {e}") from None


class _Bad(Exception):
    pass


def _decode(node, tensors, map_location):
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode(v, tensors, map_location) for v in node]
    if not isinstance(node, dict) or len(node) != 1:
        raise _Bad(f"unexpected node {str(node)[:60]}")
    (tag, body), = node.items()
    if tag == "$tensor":
        if not isinstance(body, str) or body not in tensors:
            raise _Bad(f"names tensor {str(body)[:40]!r}, which the file lacks")
        t = tensors[body]
        return t if map_location in (None, "cpu") else t.to(map_location)
    if tag == "$float" and body in _NONFINITE:
        return _NONFINITE[body]
    if tag == "$tuple" and isinstance(body, list):
        return tuple(_decode(v, tensors, map_location) for v in body)
    if tag == "$namedtuple":
        return _decode_namedtuple(body, tensors, map_location)
    if tag == "$dict" and isinstance(body, list):
        out = {}
        for pair in body:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise _Bad("a dictionary entry is not a [key, value] pair")
            key = _decode(pair[0], tensors, map_location)
            if not isinstance(key, (str, int, float, bool, type(None))):
                raise _Bad(f"a dictionary key of type {type(key).__name__}")
            out[key] = _decode(pair[1], tensors, map_location)
        return out
    raise _Bad(f"unexpected node {str(node)[:60]}")


def _decode_namedtuple(body, tensors, map_location):
    if not (isinstance(body, list) and len(body) == 3 and isinstance(body[0], str)
            and isinstance(body[1], list) and all(isinstance(f, str) for f in body[1])
            and isinstance(body[2], list) and len(body[2]) == len(body[1])):
        raise _Bad("a namedtuple node is not [name, [fields], [values]] of one length")
    cls = _namedtuple_class(body[0], tuple(body[1]))
    return cls(*(_decode(v, tensors, map_location) for v in body[2]))
