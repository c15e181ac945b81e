"""Standard output and error that never fail on a character their encoding lacks.

A console that cannot write every character (Windows' cp1252 when output is redirected,
``PYTHONIOENCODING=ascii``, an old terminal) made ``print`` raise UnicodeEncodeError on
the first ``±``, ``§`` or non-ASCII path: ``rnnlab forecast --help`` ended in a traceback
and a run on ``données.csv`` stopped as "error: 'ascii' codec can't encode...". Such a
character is written as a backslash escape instead (``\\xe9``): the text goes on.
So is a UTF stream's lone surrogate, the escape of a byte of a path Python could not
decode (a ``café.csv`` named in Latin-1): in a UTF-8 locale a run on it trained, wrote its
run directory, then stopped as "error: 'utf-8' codec can't encode character '\\udce9'".
"""

from __future__ import annotations

import codecs
import contextlib
import sys


def writes_any_text(stream) -> bool:
    """Whether ``stream``'s encoding can write every character (a UTF one)."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
    except LookupError:
        return False


def tolerant_output() -> list:
    """Characters stdout's or stderr's encoding lacks are written as backslash escapes (a
    UTF stream's surrogates too; its other errors setting is kept). Returns the (stream,
    errors before) changed."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and (
                not writes_any_text(stream) or getattr(stream, "errors", None) == "strict"):
            try:
                before = stream.errors
                stream.reconfigure(errors="backslashreplace")
                changed.append((stream, before))
            except (ValueError, OSError):  # (a closed or detached stream: nothing to write)
                pass
    return changed


@contextlib.contextmanager
def tolerant_output_while():
    """:func:`tolerant_output` for the block, the streams' own setting back after it: a
    command run in-process (``rnnlab.cli.main([...])``) left the caller's ASCII stdout
    escaping, where the caller's own code had it raise."""
    changed = tolerant_output()
    try:
        yield
    finally:
        for stream, before in changed:
            try:
                stream.reconfigure(errors=before)
            except (ValueError, OSError):
                pass
