"""The two plot methods of a one-series user take their arguments in another order:
``Forecaster.plot(path, kind)`` and ``BacktestResult.plot(kind, ..., path=)``. The name of
a kind typed where a file goes (``f.plot("loss")``) wrote the *forecast* plot to
``loss.png``, with no word; a file typed where a kind goes (``res.plot("bt.png")``) was
"unknown plot kind 'bt.png'". Each is refused here, saying which argument takes what."""

from __future__ import annotations

from pathlib import PurePath
from typing import Sequence

from .io.errors import ConfigError

ALL_KINDS = ("forecast", "loss", "horizon", "forecasts", "coverage", "errors")
IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff",
                  ".webp")


def refuse_kind_as_path(path, owner: str, kinds: Sequence[str]) -> None:
    """ConfigError when ``path`` (a file to write) is a bare plot kind's name, such as
    ``"loss"``, with no folder and no suffix: what was meant is ``kind=``."""
    if not isinstance(path, str) or path not in ALL_KINDS:
        return
    if path in kinds:
        raise ConfigError(f"{owner}({path!r}): the first argument is the file to write, and "
                          f"{path!r} names a plot kind: {owner}(kind={path!r}) returns the "
                          f"figure, {owner}('{path}.png', kind={path!r}) writes it")
    raise ConfigError(f"{owner}({path!r}): the first argument is the file to write, and "
                      f"{path!r} names a plot kind of another object's plot; this one's "
                      f"kinds are {', '.join(kinds)}: {owner}(kind={kinds[0]!r})")


def path_as_kind_hint(kind, owner: str) -> str:
    """``"; ... pass path=..."`` when ``kind`` looks like a file to write (an image
    suffix, or a folder in it), else ""."""
    if not isinstance(kind, str):
        return ""
    p = PurePath(kind)
    if p.suffix.lower() in IMAGE_SUFFIXES or len(p.parts) > 1:
        return (f"; {kind!r} looks like a file to write, and the first argument is the kind: "
                f"{owner}(path={kind!r}) writes the first kind's plot there")
    return ""
