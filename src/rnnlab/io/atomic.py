"""Write files so that a reader only ever sees the old content or the complete new one.

The bytes go to a temporary file in the same directory, are flushed and fsynced,
then renamed over the target (``os.replace`` is atomic on POSIX and Windows), and the
folder is fsynced (the rename itself survives a power cut). A large file is written in
pieces the same way (:func:`atomic_write_stream`).
If anything fails the temporary file is removed and the old file is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional, Tuple, Union

from .errors import ConfigTypeError, FileInTheWayError, FolderInTheWayError
from .utf8_text import utf8_bytes

PathLike = Union[str, os.PathLike]


@contextlib.contextmanager
def atomic_write_stream(path: PathLike) -> Iterator[BinaryIO]:
    """A binary file written in pieces (one too large to hold as bytes: a prepared
    corpus's ids), made durably as every file here: into a temporary in the same folder,
    flushed and fsynced, renamed over ``path``, the folder fsynced. If the block raises,
    the temporary is removed and an old ``path`` is untouched."""
    path = Path(path)
    make_parents(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(path.name)}.", suffix=".tmp",
                                   dir=path.parent)
    except OSError as e:  # (a read-only or full file system): name the file, not the temporary
        raise OSError(e.errno, e.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:  # (first: closed whatever fails after)
            os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; give the file the usual mode
            yield f
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError) and e.errno is not None and not e.filename:
            raise OSError(e.errno, e.strerror, str(path)) from None  # (ENOSPC on write)
        raise
    _fsync_dir(path.parent)


def make_parents(path: Path) -> None:
    """The folders above ``path``, made where missing; one that stands as a file (or a
    link to nothing) raises :class:`~rnnlab.io.errors.FileInTheWayError` naming it, the
    file left as it is (it was Python's "[Errno 17] File exists: 'results'")."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocked = blocked_above(path)
        above = blocked[0] if blocked else path.parent
        what = "a link to nothing" if above.is_symlink() and not above.exists() else "a file"
        raise FileInTheWayError(f"{above}: is {what}, where rnnlab makes a folder to write "
                                f"{path} in; move it away (or give another path) and run "
                                f"again") from None


_NAME_MAX = 255  # bytes in one file name (Linux, macOS; NTFS: 255 UTF-16 units)


def _short(name: str) -> str:
    """``name`` cut so that its temporary (``.NAME.`` + 8 + ``.tmp``, 14 more) is a legal
    file name: a target of 242 to 255 bytes could be written, its temporary not ("File
    name too long" for the file named)."""
    room = _NAME_MAX - 14
    data = name.encode("utf-8", "surrogatepass")  # (an undecodable name's escapes: 3 each)
    return name if len(data) <= room else data[:room].decode("utf-8", "ignore")


def _replace(tmp: str, path: Path) -> None:
    """``os.replace``, its failure naming ``path`` (it named the temporary, deleted by the
    time it is read); a folder standing at ``path`` is said to be one, with what to do
    (:class:`~rnnlab.io.errors.FolderInTheWayError`), and left as it is.
    On Windows a file open in another program (Excel holds every file it has open) cannot
    be replaced: the message says so."""
    try:
        os.replace(tmp, path)
    except IsADirectoryError:  # (was "[Errno 21] Is a directory: 'run/history.csv'")
        raise FolderInTheWayError(f"{path}: is a folder, where rnnlab writes a file; move "
                                  f"the folder away (or remove it) and run again") from None
    except OSError as e:
        why = e.strerror or str(e)
        if sys.platform == "win32" and e.errno == errno.EACCES:
            why += " (is it open in another program, e.g. Excel? close it there)"
        raise type(e)(e.errno, why, str(path)) from None


# mkstemp's names for atomic_write_stream's temporaries: ".NAME." + 8 random characters + ".tmp"
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def is_temporary(name: str) -> bool:
    """Whether the file name ``name`` is one of the temporaries written here: what a
    process killed mid-write leaves behind (its target is the old file or none)."""
    return _TEMPORARY.fullmatch(name) is not None


def atomic_write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed over it (a crash leaves
    the old file or the new one, never half of it); returns the path."""
    with atomic_write_stream(path) as f:
        f.write(data)
    return Path(path)


def atomic_write_text(path: PathLike, text: str) -> Path:
    """``text`` as UTF-8 (a path of undecodable bytes in it too: :func:`utf8_bytes`)."""
    return atomic_write_bytes(path, utf8_bytes(text))


def atomic_write_json(path: PathLike, obj: Any, checksum: bool = False,
                      strict: bool = True) -> Path:
    """Write ``obj`` as JSON to ``path`` atomically; returns the path.

    ``checksum``: end with the file's own SHA-256 (a dict; for the files a loader
    trusts: :func:`rnnlab.io.json_file.checksummed_text`; ``read_json`` checks it).

    ``strict``: NaN and ±inf are written as ``null`` (:func:`finite_json`): bare ``NaN`` /
    ``Infinity`` is Python's extension of JSON, refused by jq, JavaScript's ``JSON.parse``
    and most other tools; a reader of a field that may hold them reads null back as NaN
    (and still reads the NaN of files written before). False keeps them as they are: for
    a file one rnnlab process hands another, deleted once read."""
    return atomic_write_text(path, json_text(obj, checksum, strict))


def json_text(obj: Any, checksum: bool = False, strict: bool = True) -> str:
    """The text :func:`atomic_write_json` writes for ``obj`` (the same arguments)."""
    default = _strict_jsonable if strict else _jsonable
    try:
        obj = finite_json(obj) if strict else obj
        if checksum:
            from .json_file import checksummed_text

            return checksummed_text(obj, default=default, allow_nan=not strict)
        return json.dumps(obj, indent=2, sort_keys=False, default=default,
                          allow_nan=not strict) + "\n"
    except ConfigTypeError:
        raise  # (an object JSON has no form for: said already)
    except (TypeError, ValueError, RecursionError) as e:  # (a key of a tuple; a dict in itself)
        circular = isinstance(e, RecursionError) or "ircular" in str(e)
        why = "a dict or list that holds itself" if circular else str(e)
        raise ConfigTypeError(f"cannot write this value as JSON: {why}; write one of text "
                              f"keys and of numbers, text, lists and dicts") from None


def write_new_file(path: PathLike, data: bytes) -> None:
    """``data`` into ``path``, a file that must not exist yet, flushed and fsynced, with no
    temporary of its own: for the files of a folder made by :func:`temporary_folder` and
    renamed into place once complete (no reader sees them before), whose entries one
    :func:`_fsync_dir` of that folder then makes durable. A checkpoint wrote each of its
    three files through :func:`atomic_write_bytes`: a temporary, a rename and a folder
    fsync per file, 9 fsyncs a checkpoint where 7 hold the same guarantee (one a training
    epoch on the command line: most of a small model's epoch)."""
    try:
        with open(path, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:  # (ENOSPC on write: name the file, as atomic_write_stream does)
        if e.errno is not None and not e.filename:
            raise OSError(e.errno, e.strerror, str(path)) from None
        raise


def atomic_write_figure(path: PathLike, fig, **savefig_kwargs) -> Path:
    """Render a matplotlib figure in memory, then write it as :func:`atomic_write_bytes`
    does: a stopped run leaves the old image or none, never half of one. The format is
    the suffix's (``.png`` when there is none); SVG and PDF carry no creation date and
    SVG fixed element ids, so that the same figure gives the same bytes (a seeded run is
    compared byte for byte)."""
    import io

    import matplotlib

    from .figure_glyphs import missing_glyphs_said_once

    fmt = Path(path).suffix[1:].lower() or "png"
    meta = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt, {})
    meta.update(savefig_kwargs.pop("metadata", None) or {})
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "rnnlab"}), \
            missing_glyphs_said_once(Path(path).name):  # (else random SVG ids; CJK labels)
        fig.savefig(buf, format=fmt, metadata=meta or None, **savefig_kwargs)
    return atomic_write_bytes(path, buf.getvalue())


def blocked_above(path: PathLike) -> Optional[Tuple[Path, str]]:
    """Why a new file ``path`` could not be written, found before any work: the nearest
    existing path above it and ``"not a folder"`` or ``"not writable"``; None when it can
    be (missing folders are made by the writers above)."""
    above = next(p for p in Path(path).absolute().parents if os.path.lexists(p))
    if not above.is_dir():
        return above, "not a folder"
    if not os.access(above, os.W_OK):
        return above, "not writable"
    return None


def refuse_file_above(path: PathLike, out: str = "path") -> None:
    """A FileInTheWayError where a folder above the folder ``path`` (a run directory to
    make) stands as a file (``results`` of ``results/run``): it was Python's "[Errno 20]
    Not a directory" after every other check. ``out``: the option naming ``path``."""
    blocked = None if Path(path).is_dir() else blocked_above(path)
    if blocked is not None and blocked[1] == "not a folder":
        raise FileInTheWayError(f"{blocked[0]}: is a file, where the folder {path} goes "
                                f"in; move it away or choose another {out}")


def finite_json(d: Any) -> Any:
    """NaN and ±Inf floats (nested in dicts, lists, tuples) -> None, so the JSON is strict."""
    if isinstance(d, dict):
        return {k: finite_json(v) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [finite_json(v) for v in d]
    if isinstance(d, float) and not math.isfinite(d):
        return None
    return d


def _jsonable(o):
    if hasattr(o, "item"):
        try:
            return o.item()
        except (ValueError, RuntimeError):  # (an array of several values: NumPy's
            if hasattr(o, "tolist"):  # ValueError, torch's RuntimeError): as a list
                return o.tolist()
            raise
    if isinstance(o, Path):
        return str(o)
    raise ConfigTypeError(f"cannot write {type(o).__name__} to JSON")


def _strict_jsonable(o):
    """:func:`_jsonable`, a non-finite value (a numpy float32 NaN) as None."""
    return finite_json(_jsonable(o))


def temporary_folder(parent: PathLike, prefix: str, suffix: str = "") -> Path:
    """A new folder in ``parent`` with a random name (``mkdtemp``), to be renamed into
    place once complete, with the mode ``mkdir`` gives (0777 less the umask): mkdtemp
    makes 0700, and the folder renamed into place kept it (a corpus that ``lm prepare
    --overwrite`` replaced was no longer readable by the user's group)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777  # keep an existing file's mode
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as e:  # (a link that leads back to itself: replaced, as one to nothing)
        if e.errno != errno.ELOOP:
            raise
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask (read by setting it, then put back at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
