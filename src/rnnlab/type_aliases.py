"""Names for the types of public arguments (rnnlab ships py.typed: mypy and pyright read
these annotations in users' code)."""

import sys
from os import PathLike
from typing import TYPE_CHECKING, Hashable, Optional, Union

# a file or folder: text, pathlib.Path, or any os.PathLike of text
StrPath = Union[str, PathLike[str]]
# a column of a table, as pandas labels it (a name, or a number for a table without a header)
Column = Optional[Hashable]

__all__ = ["StrPath", "Column"]

if TYPE_CHECKING:  # ``**settings: Unpack[ForecastSettings]``: read by checkers only
    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:  # (typeshed's typing_extensions: nothing imported at run time)
        from typing_extensions import Unpack
    __all__ += ["Unpack"]
