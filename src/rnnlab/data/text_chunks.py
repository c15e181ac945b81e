"""A UTF-8 text file read chunk by chunk, decoded and normalised as
:func:`rnnlab.data.text.load_corpus` reads it whole (leading BOM dropped, ``\\r\\n`` ->
``\\n``): an incremental decoder joins multi-byte characters split across chunk
boundaries, and a ``\\r\\n`` split across two chunks is joined too. Memory is bounded by
the chunk size, never by the file's (what :mod:`rnnlab.data.corpus_mmap` prepares from)."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterator

from ..io.errors import DataError
from .text_encoding import not_utf8_error, utf16_error

CHUNK_BYTES = 8 * 1024 * 1024


def _open_bytes(path: Path):
    """``(file, kind)``: the file opened to read its bytes, a compressed one's text
    (:mod:`.packed_files`: gzip, bzip2, xz, a zip of one file; ``kind`` None for a
    plain one)."""
    from .packed_files import open_packed, packing_of

    kind = packing_of(path)
    return (open(path, "rb") if kind is None else open_packed(path, kind)), kind


def _read(f, n: int, path: Path, kind) -> bytes:
    """The next ``n`` bytes of ``f``; a damaged stream (cut short, a flipped bit: its CRC,
    an invalid block) is a DataError naming the file, as :func:`load_corpus` says."""
    from .packed_files import read_packed

    return f.read(n) if kind is None else read_packed(f, n, path, kind)


def iter_text_chunks(path, chunk_bytes: int = CHUNK_BYTES, on_bytes=None) -> Iterator[str]:
    """Decoded, normalised text of a UTF-8 file, chunk by chunk (as ``load_corpus`` reads it).
    ``on_bytes(raw)`` sees every raw chunk too (to hash the file in the same pass)."""
    path = Path(path)
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    first, pending_cr, consumed, prev = True, False, 0, b""
    f, kind = _open_bytes(path)
    with f:
        while True:
            data = _read(f, chunk_bytes, path, kind)
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
