"""Mutations of files rnnlab wrote, for the loader fuzz tests (tests/test_loader_fuzz*.py).

Each mutation is ``(name, edit, apply)``: ``apply(path)`` changes the file in place;
``edit`` is True when the result is a deliberate, well-formed edit (a value of the right
type changed, checksums recomputed), which a loader may accept with other behaviour; any
other mutation must be refused with an :class:`~rnnlab.io.errors.RnnlabError` or load
to a model that behaves as the original did. :func:`check_case` runs one.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import shutil
import signal
import struct
from pathlib import Path

from rnnlab.io.errors import RnnlabError
from rnnlab.io.json_file import CHECKSUM_KEY, checksummed_text

CASE_SECONDS = 20  # a loader that takes longer hangs


def byte_mutations(data: bytes, seed: int, flips: int = 6):
    """Truncations at several points, single-bit flips (seeded), an empty file, bytes that
    are not UTF-8, trailing junk: ``(name, bytes)``."""
    rng = random.Random(seed)
    cuts = sorted({0, 1, 7, 8, 9, len(data) // 3, len(data) // 2, len(data) - 1})
    out = [(f"cut{c}", data[:c]) for c in cuts if c < len(data)]
    for _ in range(flips):
        b = bytearray(data)
        k = rng.randrange(len(b))
        b[k] ^= 1 << rng.randrange(8)
        out.append((f"flip@{k}", bytes(b)))
    out.append(("not-utf8", b"\xff\xfe\x80" + data[3:]))
    out.append(("junk-after", data + b"\x00junk"))
    return out


def file_mutations(path: Path, seed: int):
    """Every byte mutation of ``path``, and the file replaced by a folder, by a link to
    /dev/zero, by a dangling link, removed, and a link to a copy of itself (benign)."""
    data = path.read_bytes()
    out = [(name, False, _writer(b)) for name, b in byte_mutations(data, seed)]
    out += [("folder", False, _as_folder), ("link-devzero", False, _link("/dev/zero")),
            ("link-dangling", False, _link("/nonexistent/rnnlab-fuzz")),
            ("missing", False, lambda p: p.unlink()), ("link-copy", False, _link_to_copy)]
    return out


def _writer(b: bytes):
    return lambda p: p.write_bytes(b)


def _as_folder(p: Path) -> None:
    p.unlink()
    p.mkdir()


def _link(target: str):
    def apply(p: Path) -> None:
        p.unlink()
        p.symlink_to(target)
    return apply


def _link_to_copy(p: Path) -> None:
    copy = p.with_name(p.name + ".fuzzcopy")
    shutil.copyfile(p, copy)
    p.unlink()
    p.symlink_to(copy)


# ---------------------------------------------------------------------------- JSON fields
WRONG = [("null", None), ("text", "x"), ("list", []), ("object", {}), ("bool", True)]
EDITS = [("huge", 10 ** 9), ("negative", -1), ("nan", math.nan), ("inf", math.inf)]


def key_paths(doc, depth: int = 2, prefix=()):
    """The key paths of a JSON object down to ``depth`` levels (no list elements)."""
    out = []
    for k, v in doc.items():
        if k == CHECKSUM_KEY:
            continue
        out.append(prefix + (k,))
        if isinstance(v, dict) and depth > 1:
            out += key_paths(v, depth - 1, prefix + (k,))
    return out


def json_mutations(path: Path, seed: int, limit: int, depth: int = 2):
    """Fields removed, given values of another type, numbers made huge/negative/NaN, and an
    unknown key added, each written back with a correct checksum (an edit a checksum does
    not catch; a file without one is written without): at most ``limit``, seeded."""
    doc = json.loads(path.read_bytes())
    checked = CHECKSUM_KEY in doc
    cases = []
    for kp in key_paths(doc, depth):
        old = _get(doc, kp)
        cases.append(("del:" + ".".join(kp), True, kp, DELETE))
        for name, v in WRONG:
            if type(v) is not type(old) and not (v is None and old is None):
                cases.append((f"{name}:" + ".".join(kp), False, kp, v))
        if isinstance(old, (int, float)) and not isinstance(old, bool):
            cases += [(f"{name}:" + ".".join(kp), True, kp, v) for name, v in EDITS]
    rng = random.Random(seed)
    rng.shuffle(cases)
    cases = cases[:limit] + [("extra-key", False, ("fuzz_extra",), 1)]
    return [(name, edit, _json_writer(doc, kp, v, checked)) for name, edit, kp, v in cases]


DELETE = "delete"  # (set_at's value that removes the field)


def _get(doc, kp):
    for k in kp:
        doc = doc[k]
    return doc


def set_at(doc, kp, value) -> None:
    """``doc`` (nested dicts/lists) with the field at the key path ``kp`` set to ``value``,
    or removed where ``value`` is :data:`DELETE`."""
    where = _get(doc, kp[:-1])
    if isinstance(value, str) and value == DELETE:
        del where[kp[-1]]
    else:
        where[kp[-1]] = value


def _json_writer(doc, kp, value, checked: bool):
    def apply(p: Path) -> None:
        new = json.loads(json.dumps(doc))
        set_at(new, kp, value)
        write_json(p, new, checked)
    return apply


def write_json(p: Path, doc: dict, checked: bool) -> None:
    """``doc`` as rnnlab writes it: with its checksum when ``checked``."""
    doc = {k: v for k, v in doc.items() if k != CHECKSUM_KEY}
    p.write_text(checksummed_text(doc) if checked else json.dumps(doc, indent=2))


# ---------------------------------------------------------------------------- safetensors
def header_of(path: Path):
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]), data[8 + n:]


def with_header(header: dict, body: bytes) -> bytes:
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + body


# ---------------------------------------------------------------------------- running
@contextlib.contextmanager
def time_limit(seconds: int = CASE_SECONDS):
    def fail(*_):
        raise TimeoutError(f"took more than {seconds} s (a hang)")
    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_case(name: str, edit: bool, load, behave, expected, same):
    """None when the case is handled: refused with an RnnlabError, or loaded to behaviour
    ``same(got, expected)`` (``edit``: or behaviour that ``same(got, None)`` accepts, e.g.
    finite). Else a line saying what went wrong."""
    try:
        with time_limit():
            got = behave(load())
    except RnnlabError as e:
        return None if str(e).strip() else f"{name}: RnnlabError without a message"
    except BaseException as e:  # noqa: B036 (MemoryError, a hang, a bare KeyError: all fail)
        if isinstance(e, KeyboardInterrupt):
            raise
        return f"{name}: {type(e).__name__}: {str(e)[:200]}"
    if same(got, expected) or (edit and same(got, None)):
        return None
    return f"{name}: loaded, but behaves differently ({str(got)[:120]})"


def run_cases(base: Path, rel: str, mutations, load, behave, expected, same, work: Path):
    """Each mutation applied to ``rel`` in a fresh copy of the folder ``base`` (in
    ``work``): the failures' lines."""
    failures = []
    for i, (name, edit, apply) in enumerate(mutations):
        case = work / f"case{i}"
        shutil.copytree(base, case, symlinks=True)
        apply(case / rel)
        line = check_case(f"{rel} {name}", edit, lambda: load(case), behave, expected, same)
        if line:
            failures.append(line)
        shutil.rmtree(case, ignore_errors=True)
    return failures


def saved_tiny_forecaster(folder: Path):
    """A one-epoch GRU Forecaster of a sine, saved in ``folder``/model (the file every
    Forecaster fuzz case starts from); returns (its folder, its 3-step forecast)."""
    import numpy as np
    import torch

    from rnnlab.forecast import Forecaster

    torch.manual_seed(0)
    f = Forecaster(model="gru", hidden_size=4, epochs=1, ensemble=1, progress=False,
                   lookback=6, horizon=3, select="network").fit(np.sin(np.arange(80) / 3) + 5)
    f.save(folder / "model")
    return folder / "model", f.predict(3).to_numpy()
