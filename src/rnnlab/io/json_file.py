"""Reading rnnlab's JSON files: bounded, type-checked, and verified by their own checksum.

Every JSON file rnnlab reads goes through :func:`read_json`, which

* refuses what is not a regular file (a link to ``/dev/zero`` or a FIFO would be read
  forever) and anything larger than ``max_bytes`` (read no further than that), checking
  the path before opening it and the file it opened;
* refuses text that is not UTF-8 JSON, and a value of the wrong kind (a list where an
  object is expected), naming the file;
* checks the file's checksum: the JSON files a loader trusts (``model.json``, a
  checkpoint's ``meta.json``, ``latest.json``, a run's ``cli.json`` and ``config.json``,
  a prepared corpus's JSON) end with ``"_sha256"``, the SHA-256 of the file's bytes as
  they would be without that last entry (:func:`checksummed_text`), so one flipped
  digit in a scaler or a vocabulary is refused, not used (hashing bytes costs little
  beside parsing them). A file without it was written by an older rnnlab: it is read
  unverified, with a note when ``note_unverified`` is set.

:func:`peek_json` reads side records by the same rules (the same functions), None where
:func:`read_json` would refuse.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, Optional, Type

from .errors import CheckpointError, RnnlabError
from .unreadable import read_failure

MAX_JSON_BYTES = 64 * 1024 * 1024  # options, configs, checkpoint metadata, vocabularies
MODEL_JSON_MAX_BYTES = 1024**3  # a saved forecaster's model.json holds its whole series
CHECKSUM_KEY = "_sha256"
MAX_JSON_DEPTH = 100  # lists and objects nested deeper are refused (rnnlab's nest < 10)


# the last entry of a checksummed file: what precedes it, closed with "\n}", is what it hashes
_TAIL = re.compile(rb'(,?)\n  "_sha256": "([0-9a-f]{64})"\n\}\s*\Z')


def is_sha256(value) -> bool:
    """A SHA-256 as rnnlab records it: 64 lowercase hexadecimal digits."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef"
                                                               for c in value)


def checksummed_text(obj: dict, default=None, allow_nan: bool = True) -> str:
    """``obj`` as indented JSON ending with its checksum: the SHA-256 of the same text
    without that entry."""
    body = json.dumps({k: v for k, v in obj.items() if k != CHECKSUM_KEY}, indent=2,
                      default=default, allow_nan=allow_nan)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    head = body[:-2] + "," if body != "{}" else "{"  # (body ends "\n}" when not empty)
    return f'{head}\n  "{CHECKSUM_KEY}": "{digest}"\n}}\n'


def read_json(path, error: Type[RnnlabError] = CheckpointError, expect: Optional[type] = dict,
              note_unverified: bool = False, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The JSON value in ``path``; any problem raises ``error`` naming the file.

    ``expect``: the type the top-level value must have (None: any). A checksum in the
    object is checked and removed; ``note_unverified``: say so on stderr when a file
    has none (written by an older rnnlab)."""
    path = Path(path)
    data = _file_bytes(path, max_bytes, error)
    value = _parsed(path, data, error)
    if expect is not None and not isinstance(value, expect):
        raise error(f"{path}: expected a JSON {_kind(expect)}, found {_article(value)}; "
                    f"the file is damaged or not the one rnnlab wrote")
    if isinstance(value, dict):
        _verify(path, data, value, error, note_unverified)
    return value


def peek_json(path, max_bytes: Optional[int] = None) -> Any:
    """The JSON value in ``path``, or None where there is none to read: a side record
    (the versions behind a warning, a finished run's list of what it wrote) whose absence
    only leaves something unsaid, so no refusal. Read by :func:`read_json`'s rules (one
    copy of them): only from a regular file of at most ``max_bytes`` (default
    :data:`MAX_JSON_BYTES`), as UTF-8 JSON nested at most :data:`MAX_JSON_DEPTH` deep;
    anything else is None. No checksum is checked."""
    path = Path(path)
    limit = MAX_JSON_BYTES if max_bytes is None else max_bytes
    try:
        return _parsed(path, _file_bytes(path, limit, _Unread), _Unread)
    except _Unread:
        return None


class _Unread(Exception):
    """A side record :func:`peek_json` does not read (never raised past it)."""


# read only, not waiting for a FIFO's writer, not taking a terminal, bytes (Windows)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))


def _file_bytes(path: Path, max_bytes: int, error: Type[Exception]) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them; ``error``
    naming the file otherwise. The path is checked, so what is no regular file is refused
    unopened (opening a device can act on it: a tape drive rewinds, a serial line
    resets; a socket's open fails with words that named no socket), and then the open
    file is checked again (``os.fstat``): a file swapped in between the two (a FIFO or a
    link to ``/dev/zero`` put there, read forever) is refused too. It is opened without
    blocking, so a FIFO's open returns at once, to be refused."""
    try:
        _check_open(path, os.stat(path), max_bytes, error)
        fd = os.open(path, _OPEN_FLAGS)
    except error:  # (the check's refusal, as it is: a CheckpointError is a ValueError too)
        raise
    except FileNotFoundError as e:  # (a link to nothing: said to be one)
        raise error(read_failure(path, e) if path.is_symlink() else f"{path}: not found") \
            from None
    except IsADirectoryError:  # (where a folder cannot be opened: Windows)
        raise error(_not_regular(path, "a folder")) from None
    except OSError as e:
        raise error(read_failure(path, e)) from None
    except ValueError as e:  # (a NUL in the path)
        raise error(f"{str(path)!r}: not a path a file can have ({e}); give the file's "
                    f"path") from None
    try:
        _check_open(path, os.fstat(fd), max_bytes, error)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise error(read_failure(path, e)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # (it grew after the check)
        raise error(f"{path}: more than {max_bytes} bytes; refused")
    return data


def _check_open(path: Path, st: os.stat_result, max_bytes: int, error) -> None:
    """``error`` unless ``st`` (of the file opened at ``path``) is a regular file of at
    most ``max_bytes``."""
    if not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
        raise error(_not_regular(path, what))
    if st.st_size > max_bytes:
        raise error(f"{path}: {st.st_size} bytes, more than the {max_bytes} a JSON file of "
                    f"rnnlab's may hold; refused (not a file rnnlab wrote)")


def _not_regular(path: Path, what: str) -> str:
    return (f"{path}: is {what}, not a JSON file; rnnlab wrote a regular file here: move it "
            f"aside (mv {path} {path}.bad) and put the file back from a copy; the files "
            f"beside it are good, nothing else needs removing")


def _parsed(path: Path, data: bytes, error: Type[Exception]) -> Any:
    """The JSON value of ``data`` (the bytes of ``path``): UTF-8 JSON nested at most
    :data:`MAX_JSON_DEPTH` deep, else ``error`` naming the file."""
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text; the file is damaged or not rnnlab's") from None
    except json.JSONDecodeError as e:
        raise error(f"{path}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}); "
                    f"the file is damaged or truncated") from None
    except RecursionError:
        raise error(f"{path}: JSON nested too deeply; refused") from None
    except ValueError as e:  # (an integer of more than 4300 digits: Python's limit)
        raise error(f"{path}: not JSON rnnlab wrote ({str(e)[:80]}); the file is damaged or "
                    f"was edited") from None
    if depth_over(value, MAX_JSON_DEPTH):
        raise error(f"{path}: JSON nested more than {MAX_JSON_DEPTH} deep; rnnlab never writes "
                    f"that (refused: rewriting or checking it would fail deep in Python)")
    return value


def depth_over(value, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` deep, walked without
    recursion. json.loads takes up to about the interpreter's recursion limit (~990),
    and every recursive walk after it (a resumed run's config.json rewritten, a value
    checked) then raised RecursionError, a traceback instead of a refusal."""
    level = [value] if isinstance(value, (list, dict)) else []
    for _ in range(limit):
        if not level:
            return False
        below = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            if not _CONTAINERS.isdisjoint(set(map(type, items))):  # (C speed: long series)
                below += [v for v in items if type(v) in _CONTAINERS]
        level = below
    return bool(level)


_CONTAINERS = frozenset((list, dict))


def _verify(path: Path, data: bytes, value: dict, error, note_unverified: bool) -> None:
    recorded = value.pop(CHECKSUM_KEY, None)
    if recorded is None:
        if note_unverified:
            print(f"rnnlab: note: {path}: written by an older rnnlab, without a checksum; "
                  f"read unverified", file=sys.stderr)
        return
    cut = max(0, len(data) - 256)  # the entry is at the end: search only there
    tail = _TAIL.search(data, cut)
    if tail is None:  # the entry moved or the file was re-indented: not as rnnlab wrote it
        actual = "(another layout)"
    else:
        body = data[:tail.start()] + (b"\n}" if tail.group(1) else b"}")
        actual = hashlib.sha256(body).hexdigest()
    if recorded != actual:
        raise error(f"{path}: checksum mismatch (recorded {str(recorded)[:12]}…, content has "
                    f"{actual[:12]}…): the file was changed or damaged after rnnlab wrote it. "
                    f"Restore it from a copy, or train again")


def _kind(t: type) -> str:
    names: "dict[type, str]" = {dict: "object", list: "array", str: "string"}
    return names.get(t, t.__name__)


def _article(v) -> str:
    name = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(v))
    return name or f"a number ({v!r})"
