"""Names for the types of public arguments (rnnlab ships py.typed: mypy and pyright read
these annotations in users' code)."""

from os import PathLike
from typing import Hashable, Optional, Union

# a file or folder: text, pathlib.Path, or any os.PathLike of text
StrPath = Union[str, PathLike[str]]
# a column of a table, as pandas labels it (a name, or a number for a table without a header)
Column = Optional[Hashable]

__all__ = ["StrPath", "Column"]
