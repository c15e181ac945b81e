"""Names for the types of public arguments (rnnlab ships py.typed: mypy and pyright read
these annotations in users' code)."""

import sys
from os import PathLike
from typing import Hashable, Optional, Union

# a file or folder: text, pathlib.Path, or any os.PathLike of text
StrPath = Union[str, PathLike[str]]
# a column of a table, as pandas labels it (a name, or a number for a table without a header)
Column = Optional[Hashable]

# ``**settings: Unpack[ForecastSettings]``: imported (not under TYPE_CHECKING) so that
# typing.get_type_hints(Forecaster.__init__) resolves, as help() and doc tools call it
if sys.version_info >= (3, 11):
    from typing import Unpack
else:  # (declared in pyproject.toml for Python 3.10)
    from typing_extensions import Unpack

__all__ = ["StrPath", "Column", "Unpack"]
