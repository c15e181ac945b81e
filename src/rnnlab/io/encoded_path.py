"""``encoding=`` of the Python readers that take a file (``load_series``, ``read_panel``,
``load_corpus``): a file written in another encoding than UTF-8 read through a UTF-8 copy,
converted by the code ``--encoding`` converts a command's input files with
(:func:`.encoded_input.utf8_bytes`: the same refusals, ``encoding=`` named in them).

    load_series("ventas.csv", encoding="cp1252")
    read_panel("sales.csv", encoding="latin1")
"""

from __future__ import annotations

import codecs
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from .errors import ConfigError, RnnlabError


def checked_encoding(encoding: Optional[str], where: str) -> Optional[str]:
    """``encoding`` (None: UTF-8) checked before any reading: a name Python knows."""
    from .encoded_input import encoding_problem

    if encoding is None:
        return None
    problem = encoding_problem(encoding)
    if problem.startswith("unknown"):
        raise ConfigError(f"{where}(encoding={encoding!r}): not an encoding Python knows; "
                          f"e.g. 'utf-8' (the default), 'cp1252', 'latin1', 'cp932', "
                          f"'utf-16'")
    if problem:
        raise ConfigError(f"{where}(encoding={encoding!r}): not a text encoding (a codec "
                          f"of bytes to bytes or text to text); e.g. 'utf-8' (the default), "
                          f"'cp1252', 'latin1', 'cp932', 'utf-16'")
    return encoding


@contextmanager
def utf8_file(path, encoding: Optional[str], where: str) -> Iterator[Path]:
    """``path`` itself (None, UTF-8, or ASCII that ``encoding`` reads as ASCII), else a
    temporary UTF-8 copy of it, removed at the end; an error raised within it names
    ``path``, not the copy."""
    from ..data.packed_files import plain_name
    from .encoded_input import UTF8, hinted, utf8_bytes

    encoding = checked_encoding(encoding, where)
    path = Path(path)
    if encoding is None or codecs.lookup(encoding).name in UTF8:
        try:
            yield path
        except RnnlabError as e:  # (not UTF-8: what to pass, as --encoding is hinted)
            # (its reader named; the call that read through it, Forecaster.fit(path), by
            # :func:`named_call`; was "pass encoding='latin1' (load_series converts ...)")
            _said(e, lambda m: hinted(m, lambda enc: f"encoding={enc!r} to {where}(), which "
                                                     f"converts it as it reads"))
            raise
        return
    text = utf8_bytes(path, encoding, option="encoding=")
    if text is None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="rnnlab-encoding-") as folder:
        copy = Path(folder) / plain_name(path)
        copy.write_bytes(text)
        try:
            yield copy
        except RnnlabError as e:  # (the user's file named, not the copy)
            _said(e, lambda m: m.replace(str(copy), str(path)))
            raise


@contextmanager
def named_call(where: str) -> Iterator[None]:
    """Within it, a refusal's hint to pass ``encoding=`` or ``off_grid=`` to the reader it
    went through (``load_series()``, ``read_panel()``) names ``where``, the call the user
    made, which takes them too (``Forecaster.fit(path)`` said "to load_series()" and
    "off_grid='snap' (load_series; --off-grid snap)")."""
    import re

    def reworded(m: str) -> str:
        m = re.sub(r"(encoding='[^']*') to (?:load_series|read_panel)\(\), which",
                   rf"\1 to {where}(), which", m)
        return re.sub(r"\((?:load_series|read_panel); --off-grid ", f"({where}; --off-grid ", m)

    try:
        yield
    except RnnlabError as e:
        _said(e, reworded)
        raise


def _said(e: Exception, reworded) -> None:
    """``e``'s message reworded in place (``reworded(message)``), where it has one."""
    if e.args and isinstance(e.args[0], str):
        e.args = (reworded(e.args[0]),) + e.args[1:]
