"""Compressed input files read as the text they hold, the same way by every reader that
takes a path (``load_series``, ``read_panel``, ``load_corpus``, ``lm prepare``, the
commands' ``--data``, ``--actuals``, ``--future``), with ``encoding=`` or without.

A file is known as gzip, bzip2, xz or a zip archive of one file by its first bytes (its
name need not say so). A file named ``.gz``, ``.bz2``, ``.xz``, ``.zip`` or ``.zst`` whose
bytes are not of that kind, a zstd file (pandas reads it only with the optional
``zstandard`` package, which rnnlab does not need), an archive of several files, and a
damaged or cut-short stream are each a :class:`~rnnlab.io.errors.DataError` saying what
was found and what to do (was: a zlib or EOFError traceback, or "a binary file, not a
CSV" for a ``.csv.gz`` that ``read_panel`` read). The text is decompressed a chunk at a
time and refused past the reader's limit: a small file of gigabytes is not read whole.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Dict, Iterator, Optional

from ..io.errors import DataError, RnnlabError
from ..io.unreadable import read_failure

_CHUNK = 1024 ** 2


@dataclass(frozen=True)
class Packing:
    """A kind of compressed file: its name in messages, its file suffix, its first bytes,
    the commands that unpack it, test it, and write its text to standard output."""

    name: str
    suffix: str
    magic: bytes
    unpack: str
    check: str
    cat: str


GZIP = Packing("gzip", ".gz", b"\x1f\x8b", "gunzip -k", "gzip -t", "gzip -dc")
BZIP2 = Packing("bzip2", ".bz2", b"BZh", "bunzip2 -k", "bzip2 -t", "bzip2 -dc")
XZ = Packing("xz", ".xz", b"\xfd7zXZ\x00", "unxz -k", "xz -t", "xz -dc")
ZIP = Packing("zip", ".zip", b"PK\x03\x04", "unzip", "unzip -t", "unzip -p")
ZSTD = Packing("zstd", ".zst", b"\x28\xb5\x2f\xfd", "unzstd -k", "zstd -t", "zstd -dc")
PACKINGS = (GZIP, BZIP2, XZ, ZIP, ZSTD)
# spreadsheets are zip archives too: the CSV readers name them (binary_given.refuse_packed)
_SPREADSHEETS = (".xlsx", ".xlsm", ".ods", ".docx", ".pptx")


def _bzip2_head(head: bytes) -> bool:
    """'BZh', a block size 1-9, then a block's magic or the end's (an empty stream): 'BZh'
    alone is text (a CSV whose first column is named so)."""
    return len(head) >= 10 and head[3:4] in b"123456789" and \
        head[4:10] in (b"1AY&SY", b"\x17rE8P\x90")


def packing_of_head(head: bytes) -> Optional[Packing]:
    """The kind of compressed data whose first bytes are ``head`` (16 will do); None for
    any other (text). A spreadsheet is a ZIP here: only :func:`packing_of` knows it by its
    name (:func:`_refuse_office` by its parts)."""
    for kind in PACKINGS:
        if head.startswith(kind.magic) and (kind is not BZIP2 or _bzip2_head(head)):
            return kind
    return None


def packing_of(path: Path) -> Optional[Packing]:
    """The kind of compressed file ``path`` is, from its first bytes; None for any other
    (a plain text file, a spreadsheet). A name that says compressed but bytes that do
    not: a DataError (a plain file renamed, or a download's error page)."""
    path = Path(path)
    if not path.is_file():  # (a pipe is not peeked at: its bytes would be gone)
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise DataError(read_failure(path, e)) from None
    kind = packing_of_head(head)
    if kind is not None:
        return None if kind is ZIP and path.suffix.lower() in _SPREADSHEETS else kind
    named = [k for k in PACKINGS if path.suffix.lower() == k.suffix]
    if named and head:
        kind = named[0]
        raise DataError(f"{path}: named {kind.suffix} but not {kind.name}-compressed (its "
                        f"first bytes are {head[:8]!r}); expected a {kind.name} file: if it "
                        f"is plain text, rename it without {kind.suffix}, else copy it again")
    return None


def plain_name(path: Path) -> str:
    """``path``'s name without its compression suffix (``sales.csv.gz`` -> ``sales.csv``)."""
    name = Path(path).name
    for kind in PACKINGS:
        if name.lower().endswith(kind.suffix) and len(name) > len(kind.suffix):
            return name[:-len(kind.suffix)]
    return name


def _damaged(path: Path, kind: Packing, e: BaseException) -> DataError:
    detail = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
    return DataError(f"{path}: cannot be read as {kind.name} ({detail}); the file is damaged "
                     f"or cut short (a download or copy that stopped early?): expected a whole "
                     f"{kind.name} file; copy it again (`{kind.check} {path}` checks it)")


def read_errors() -> tuple:
    """What a damaged stream raises: BadGzipFile and bz2's are OSErrors; a stream cut
    short an EOFError; a flipped bit zlib.error, LZMAError or BadZipFile (a CRC)."""
    import lzma
    import zipfile
    import zlib

    return (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)


def open_packed(path: Path, kind: Packing) -> IO[bytes]:
    """``path`` (of ``kind``) opened to read its decompressed bytes; a zip archive's one
    file, the ``__MACOSX/`` entries macOS adds aside (one of several, or zstd, refused: a
    DataError saying what to do)."""
    import bz2
    import gzip
    import lzma
    import zipfile

    if kind is ZSTD:
        raise DataError(f"{path}: is zstd-compressed, which rnnlab does not read (pandas "
                        f"needs the optional zstandard package); unpack it first (`{kind.unpack}"
                        f" {path}`) and pass that file, or compress it with gzip, bzip2 or xz")
    try:
        if kind is ZIP:
            archive = zipfile.ZipFile(path)
            names = [i for i in archive.infolist() if not i.is_dir()  # (macOS Finder's
                     and not i.filename.startswith("__MACOSX/")]  # twins of each file)
            _refuse_office(path, archive, {i.filename for i in names})
            if len(names) != 1:
                archive.close()
                shown = ", ".join(i.filename for i in names[:5]) + (", ..." if len(names) > 5
                                                                     else "")
                raise DataError(f"{path}: a zip archive of {len(names)} files ({shown or 'none'})"
                                f"; expected one file in it: unzip it (`unzip {path}`) and pass "
                                f"the file you mean")
            try:  # (closing it closes the archive's file too)
                return archive.open(names[0])
            except (RuntimeError, NotImplementedError) as e:  # (a password, deflate64, ...)
                archive.close()
                raise DataError(f"{path}: its file {names[0].filename} cannot be read ({e}): "
                                f"encrypted, or compressed by a method Python lacks; unzip "
                                f"it (`unzip {path}`) and pass that file") from None
        # (GzipFile, BZ2File, LZMAFile: binary files, which typeshed does not call IO[bytes])
        openers: Dict[Packing, Callable[..., Any]] = {
            GZIP: gzip.open, BZIP2: bz2.open, XZ: lzma.open}
        return openers[kind](path, "rb")
    except DataError:
        raise
    except read_errors() as e:
        raise _damaged(path, kind, e) from None


def _refuse_office(path: Path, archive, names: set) -> None:
    """A spreadsheet or Office document (a zip archive of XML parts: ``[Content_Types].xml``
    in an .xlsx, a ``mimetype`` in an .ods) under another name, or piped in (kept as
    .csv.zip), refused as one: it was told to unzip it and pass one of its XML parts."""
    if "[Content_Types].xml" in names or "mimetype" in names:
        archive.close()
        raise DataError(f"{path}: is a spreadsheet or Office document (an .xlsx, .ods: a zip "
                        f"archive of XML parts), not a compressed text file; save it as CSV "
                        f"(UTF-8; a corpus as plain text) and pass that file")


def read_packed(f: IO[bytes], n: int, path: Path, kind: Packing) -> bytes:
    """The next ``n`` decompressed bytes of ``f``; a damaged stream a DataError."""
    try:
        return f.read(n)
    except read_errors() as e:
        raise _damaged(path, kind, e) from None


def unpacked_bytes(path: Path, kind: Packing, limit: int, what: str = "bytes") -> bytes:
    """All the text of the compressed ``path``, refused (a DataError) past ``limit``
    bytes without decompressing more."""
    with open_packed(path, kind) as f:
        data = read_packed(f, limit + 1, path, kind)
    if len(data) > limit:
        raise DataError(f"{path}: decompresses to more than {limit:,} bytes; {what} larger "
                        f"than that are refused")
    return data


@contextmanager
def unpacked(path, limit: int, what: str = "files") -> Iterator[Path]:
    """``path`` itself when it is not compressed, else a temporary copy of its text (named
    as it without the compression suffix), removed at the end; refused past ``limit``
    bytes. An error raised within it names ``path``, not the copy."""
    path = Path(path)
    kind = packing_of(path)
    if kind is None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="rnnlab-unpacked-") as folder:
        copy = Path(folder) / plain_name(path)
        with open_packed(path, kind) as f, open(copy, "wb") as out:
            written = 0
            while True:
                chunk = read_packed(f, _CHUNK, path, kind)
                if not chunk:
                    break
                written += len(chunk)
                if written > limit:
                    raise DataError(f"{path}: decompresses to more than {limit:,} bytes; "
                                    f"{what} larger than that are refused")
                out.write(chunk)
        try:
            yield copy
        except RnnlabError as e:  # (the user's file named, not the copy)
            if e.args and isinstance(e.args[0], str):
                e.args = (_reworded(e.args[0], copy, path, kind),) + e.args[1:]
            raise


def _reworded(message: str, copy: Path, path: Path, kind: Packing) -> str:
    """``message`` about ``copy`` said of ``path``: a conversion it names (``iconv -f
    cp1252 -t utf-8 FILE``) reads the text ``kind``'s command writes (iconv of the
    compressed bytes would garble them)."""
    import re

    message = re.sub(r"`iconv (-f \S+ -t \S+) " + re.escape(str(copy)),
                     lambda m: f"`{kind.cat} {path} | iconv {m.group(1)}", message)
    return message.replace(str(copy), str(path))


__all__ = ["Packing", "packing_of", "plain_name", "open_packed", "read_packed",
           "read_errors", "unpacked", "unpacked_bytes"]
