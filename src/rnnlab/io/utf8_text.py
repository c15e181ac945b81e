"""Text rnnlab writes as data is UTF-8, whatever the locale: files and standard output.

A path Python could not decode (a ``café.csv`` named in Latin-1, or any non-ASCII name
under ``LC_ALL=C PYTHONUTF8=0``) holds lone surrogates, which UTF-8 cannot encode:
``compare``'s report.md and ``forecast --output prévision.csv`` ended in "'utf-8' codec
can't encode characters ... surrogates not allowed". Such a name is written as the bytes
it stands for when they are UTF-8, else with backslash escapes (:func:`utf8_bytes`).

Data sent to standard output (``rnnlab runs > runs.csv``, ``forecast --run DIR >
out.csv``, ``lm generate > sample.txt``) was written in the console's encoding: ASCII
(``Caf\\xe9`` in the CSV) or Windows' cp1252 when redirected, a file rnnlab itself then
refused as not UTF-8. Redirected, it is UTF-8 now (:func:`data_stdout`); a terminal
still gets its own encoding, which it can show.
"""

from __future__ import annotations

import re
import sys


def utf8_bytes(text: str) -> bytes:
    """``text`` in UTF-8; each run of surrogates of undecodable bytes as those bytes when
    they make UTF-8, else as backslash escapes (the file stays valid UTF-8)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _ESCAPED.sub(_as_bytes, text).encode("utf-8", "backslashreplace")


_ESCAPED = re.compile("[\udc80-\udcff]+")  # (what surrogateescape makes of bytes 0x80-0xff)


def _as_bytes(match) -> str:
    try:
        return match.group().encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:  # (Latin-1 bytes: escaped by the caller)
        return match.group()


class _Utf8Writer:
    """``write`` and ``flush`` of a text stream, sending UTF-8 to ``stream``'s bytes (what
    was printed through ``stream`` before goes out first)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.flush()
        self.stream.buffer.write(utf8_bytes(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()
        self.stream.buffer.flush()


def data_stdout():
    """Where a command writes its data on standard output: ``sys.stdout`` when it is a
    terminal (its encoding is what it shows; characters it lacks are escaped) or has no
    bytes beneath it, else a writer of UTF-8."""
    out = sys.stdout
    try:
        terminal = out.isatty()
    except (AttributeError, ValueError):  # (closed, or an object of the caller's own)
        terminal = False
    if terminal or getattr(out, "buffer", None) is None:
        return out
    return _Utf8Writer(out)
