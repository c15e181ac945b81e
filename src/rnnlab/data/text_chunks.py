"""A UTF-8 text file read chunk by chunk, decoded and normalised as
:func:`rnnlab.data.text.load_corpus` reads it whole (leading BOM dropped, ``\\r\\n`` ->
``\\n``): an incremental decoder joins multi-byte characters split across chunk
boundaries, and a ``\\r\\n`` split across two chunks is joined too. Memory is bounded by
the chunk size, never by the file's (what :mod:`rnnlab.data.corpus_mmap` prepares from)."""

from __future__ import annotations

import codecs
import gzip
import zlib
from pathlib import Path
from typing import Iterator

from ..io.errors import DataError
from .text_encoding import not_utf8_error, utf16_error

CHUNK_BYTES = 8 * 1024 * 1024


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def _read(f, n: int, path: Path) -> bytes:
    """The next ``n`` bytes of ``f``; a damaged gzip stream (cut short, a flipped bit: its
    CRC, an invalid block) is a DataError naming the file, as :func:`load_corpus` says."""
    try:
        return f.read(n)
    except (OSError, EOFError, zlib.error) as e:  # (gzip.BadGzipFile is an OSError)
        gz = " as gzip" if path.suffix == ".gz" else ""
        raise DataError(f"{path}: cannot be read{gz} ({e}); the file is damaged or cut "
                        f"short: copy it again") from None


def iter_text_chunks(path, chunk_bytes: int = CHUNK_BYTES, on_bytes=None) -> Iterator[str]:
    """Decoded, normalised text of a UTF-8 file, chunk by chunk (as ``load_corpus`` reads it).
    ``on_bytes(raw)`` sees every raw chunk too (to hash the file in the same pass)."""
    path = Path(path)
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    first, pending_cr, consumed, prev = True, False, 0, b""
    with _open_bytes(path) as f:
        while True:
            data = _read(f, chunk_bytes, path)
            final = not data
            if on_bytes is not None:
                on_bytes(data)
            wide = utf16_error(data, path) if consumed == 0 else None
            if wide is not None:  # (as load_corpus)
                raise wide
            nul = data.find(b"\x00")
            if nul >= 0:  # as load_corpus: anywhere in the file
                raise DataError(f"{path}: looks like a binary file (contains NUL bytes, the first "
                                f"at byte {consumed + nul}); expected a UTF-8 text file")
            held = dec.getstate()[0]  # a character's first bytes, from the chunks before
            try:
                text = dec.decode(data, final=final)
            except UnicodeDecodeError as e:  # (e.start counts from the held bytes' first)
                # the message reads the text around the bad byte: the chunk before too
                before = prev if prev.endswith(held) else held
                raise not_utf8_error(before + data, len(before) - len(held) + e.start,
                                     consumed - len(held) + e.start, path) from None
            prev = data
            consumed += len(data)
            if first and text:
                text = text.lstrip("\ufeff")  # as str.lstrip in load_corpus
                first = not text  # a chunk of only BOMs: keep stripping
            if pending_cr:
                text = "\r" + text
            pending_cr = text.endswith("\r") and not final
            if pending_cr:
                text = text[:-1]
            text = text.replace("\r\n", "\n")
            if text:
                yield text
            if final:
                return
