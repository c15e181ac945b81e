"""Standard output and error that never fail on a character their encoding lacks.

A console that cannot write every character (Windows' cp1252 when output is redirected,
``PYTHONIOENCODING=ascii``, an old terminal) made ``print`` raise UnicodeEncodeError on
the first ``±``, ``§`` or non-ASCII path: ``rnnlab forecast --help`` ended in a traceback
and a run on ``données.csv`` stopped as "error: 'ascii' codec can't encode...". Such a
character is written as a backslash escape instead (``\\xe9``): the text goes on.
"""

from __future__ import annotations

import codecs
import sys


def writes_any_text(stream) -> bool:
    """Whether ``stream``'s encoding can write every character (a UTF one)."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
    except LookupError:
        return False


def tolerant_output() -> None:
    """Characters stdout's or stderr's encoding lacks are written as backslash escapes
    (a UTF stream is left as it is)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not writes_any_text(stream) \
                and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # (a closed or detached stream: nothing to write)
                pass
