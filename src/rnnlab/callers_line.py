"""Where a warning of rnnlab's points: the user's line that called into it, the first frame
in neither rnnlab nor torch, whatever the depth of the calls between (a fixed stacklevel
pointed into rnnlab's own files, or torch's no_grad wrapper, where that depth varies)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Optional

_HERE = Path(__file__).parent  # (as imported, a link's path maybe: the frames' names)
_RNNLAB = [_HERE, _HERE.resolve()]


def callers_level(given: int) -> int:
    """The stacklevel (from the function that warns) of the first frame in neither rnnlab
    nor torch: the user's line that called predict or fit. Counted frames pointed into
    torch's no_grad wrapper of predict (a new series' statics) or into rnnlab (future
    values, a panel's fit with ``local=True``), so the command line printed torch's path and
    the line `return func(*args, **kwargs)`; ``given`` where every frame is theirs."""
    torch = sys.modules.get("torch")
    roots = _RNNLAB + (_both(Path(torch.__file__).parent) if torch and torch.__file__
                       else [])
    frame: Optional[FrameType] = sys._getframe(2)  # (its caller: level 2; the one that
    level = 2  # warns is 1)
    while frame is not None:
        if not _internal(frame, roots):
            return level
        frame, level = frame.f_back, level + 1
    return given


def _both(folder: Path) -> list:
    """``folder`` as its module was imported (the name its frames carry, through a link
    maybe) and resolved: compared with the resolved one alone, rnnlab imported through a
    link read as the user's code, and its warnings pointed into its training loop."""
    return [folder, folder.resolve()]


def _internal(frame: FrameType, roots) -> bool:
    """Whether ``frame`` is rnnlab's or torch's (or Python's import machinery's, runpy's).
    A file name that is no path is the user's code typed at a prompt (``<stdin>``,
    ``python -c``'s ``<string>``, IPython's ``<ipython-input-…>``) unless its module is
    rnnlab's or torch's (a dataclass's generated ``__init__``): skipped as rnnlab's, the
    warning pointed at IPython's ``exec`` line, or with no frame above, back into rnnlab."""
    where = frame.f_code.co_filename
    if where.startswith("<frozen") or frame.f_globals.get("__name__") == "runpy":
        return True  # (runpy, of ``python -m rnnlab``: a file of its own on Python 3.10)
    if not Path(where).is_absolute():
        module = str(frame.f_globals.get("__name__") or "")
        return module.split(".")[0] in ("rnnlab", "torch")
    return any(Path(where).is_relative_to(r) for r in roots)
