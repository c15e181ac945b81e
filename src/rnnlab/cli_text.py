"""Names and text typed on the command line where Python reads the terminal as ASCII.

Under ``LC_ALL=C`` with ``PYTHONUTF8=0`` (a Docker image's settings) Python decodes each
byte beyond ASCII of the command line as a lone surrogate (``ñ`` typed as UTF-8 arrives
as ``'\\udcc3\\udcb1'``): ``--column "Ventas año"`` was "not found" among the columns of a
UTF-8 file that has it, and ``lm generate --prefix "El niño"`` fed the model two unknown
tokens. Such a value is read as the UTF-8 it is. Paths are left as they arrive: the file
system is reached through those same surrogates (``open()`` cannot encode ``ñ`` there),
and a path read from a ``--config`` file (real text, as its UTF-8 holds it) is turned into
them (:func:`as_file_name`): "données.csv" there was "no such file" in that locale.
"""

from __future__ import annotations

import os

from .cli_paths import PATH_OPTIONS

# the options that name files or folders besides PATH_OPTIONS (`rnnlab runs PATH ...`,
# `--config FILE`)
_PATHS = frozenset(PATH_OPTIONS) | {"paths", "config"}


def as_typed_text(value):
    """``value`` (a string, or a list of them) with the bytes a non-UTF-8 locale escaped
    read as UTF-8; as it is when it has none or they are not UTF-8."""
    if isinstance(value, list):
        return [as_typed_text(v) for v in value]
    if not isinstance(value, str) or not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    try:
        return os.fsencode(value).decode("utf-8")
    except (UnicodeError, ValueError):  # (bytes of another encoding: left as they came)
        return value


def as_file_name(value):
    """A path read as text (a settings file's; or a list of them) in the form this locale
    reaches the file system by: under an ASCII locale its characters beyond ASCII as their
    UTF-8 bytes escaped (as a typed path arrives); in a UTF-8 locale as it is."""
    if isinstance(value, list):
        return [as_file_name(v) for v in value]
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        return os.fsdecode(value.encode("utf-8", "surrogateescape"))
    except (UnicodeError, ValueError):
        return value


def is_path_option(name: str) -> bool:
    """Whether the option ``name`` (a dest) names a file or folder."""
    return name in _PATHS


def read_typed_text(args) -> None:
    """Every option of ``args`` but the paths, as :func:`as_typed_text` reads it."""
    for name, value in vars(args).items():
        if name not in _PATHS:
            fixed = as_typed_text(value)
            if fixed is not value:
                setattr(args, name, fixed)
