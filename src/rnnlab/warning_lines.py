"""Warnings on the command line: rnnlab's own warnings print as ``rnnlab backtest:
warning: ...``, as its errors do, not as Python shows them (the library file's path, line
number, ``UserWarning`` and the source line that warned, none of which a command-line user
wrote). Other packages' warnings (torch, statsmodels) keep Python's form. A warning that
names the caller's line (:mod:`rnnlab.callers_line`) names, on the command line, the
program's own launcher (the ``rnnlab`` script pip installs): it is rnnlab's too.

Only the text Python prints changes (``warnings.formatwarning``); which warnings are shown,
and warnings recorded by ``warnings.catch_warnings(record=True)``, are as before. The
warnings a command prints itself (not through :mod:`warnings`) go through
:func:`print_warning`, wrapped as these are."""

from __future__ import annotations

import contextlib
import re
import sys
import warnings
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _ours(filename) -> bool:
    """Whether ``filename`` is a file of rnnlab's package (not of a package beside it
    whose name starts the same: rnnlab_plugins/)."""
    try:
        return Path(filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError, TypeError):
        return False


def _launcher(filename) -> bool:
    """Whether ``filename`` is the running program's main file: the ``rnnlab`` script pip
    installs (``sys.exit(main())``), where a warning that names the first line outside
    rnnlab points on the command line; it printed ``.../bin/rnnlab:8: UserWarning: ...``."""
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    try:
        return main is not None and Path(filename).resolve() == Path(main).resolve()
    except (OSError, ValueError, TypeError):
        return False


def _our_kind(category) -> bool:
    """Whether ``category`` is one of rnnlab's warning classes (FarCovariateWarning), which
    point at the caller's line: on the command line, a file outside rnnlab (runpy's)."""
    return str(getattr(category, "__module__", "")).split(".")[0] == _PACKAGE.name


def warning_text(said: str) -> str:
    """``said`` (a warning's line, or lines) as stderr shows it: each line wrapped at 80
    columns as the notes on stdout are (:func:`rnnlab.forecast.choice_lines.clause_lines`:
    after each clause, between words, never inside a command in backticks or a quoted
    path), its later lines indented; an align warning ran to 272 columns.

    The prefix (``rnnlab backtest: warning:``) and the word after it start one line: a
    warning that begins with a long path (a run folder's) printed the prefix alone on a
    line and the path on the next. The path is kept whole, so that first line may run past
    80 columns."""
    from .forecast.choice_lines import clause_lines

    return "".join(clause_lines(_prefix_held(line)).replace(_HOLD, " ") + "\n"
                   for line in str(said).split("\n"))


_PREFIX_ONLY = re.compile(r"^rnnlab(?: [\w-]+)*: warning: ")  # a warning's prefix
# ... and the word after it (a quoted path with its spaces: one word)
_PREFIX = re.compile(_PREFIX_ONLY.pattern + r"(?:'[^'\n]*'\S*|\S+)")
_HOLD = "\x01"  # (stands for a space of the prefix while the line wraps: no break there)


def _prefix_held(line: str) -> str:
    """``line`` with the spaces of its warning prefix and of the first word after it made
    :data:`_HOLD`, so that wrapping keeps them on the first line."""
    return _PREFIX.sub(lambda m: m.group().replace(" ", _HOLD), line, count=1)


def print_warning(said: str) -> None:
    """Print ``said`` (``rnnlab forecast: warning: ...``, a warning the command line says
    itself, not through :mod:`warnings`) on stderr as :func:`warning_text` wraps it: the
    command's Python warnings wrap at 80 columns, and these ran to 300 beside them."""
    if _made_error(said):  # (-W error: as warnings.warn, an exception the command line
        raise UserWarning(_PREFIX_ONLY.sub("", said, count=1))  # says in one line, status 1)
    print(warning_text(said), end="", file=sys.stderr)


def _made_error(said: str) -> bool:
    """Whether Python's warning filters (``-W error``, ``PYTHONWARNINGS=error::UserWarning``,
    ``warnings.simplefilter("error")``) make a UserWarning saying ``said`` in rnnlab an
    exception, as :func:`warnings.warn` reads them: a job that fails on warnings ran on
    past these, which the command prints itself."""
    text = _PREFIX_ONLY.sub("", said, count=1)
    for action, message, category, module, lineno in warnings.filters:
        if (issubclass(UserWarning, category) and (message is None or message.match(text))
                and (module is None or module.match(__name__)) and not lineno):
            return action == "error"
    return warnings.defaultaction == "error"  # type: ignore[attr-defined]  # (stubs lack it)


@contextlib.contextmanager
def command_warnings(command: str):
    """Within: rnnlab's warnings are printed ``rnnlab {command}: warning: {message}``,
    wrapped at 80 columns (:func:`warning_text`); other packages' (torch's) as Python
    prints them. Set by the command line alone: a Python user's warnings are Python's."""
    before = warnings.formatwarning

    def as_command(message, category, filename, lineno, line=None):
        if issubclass(category, UserWarning) and (_ours(filename) or _our_kind(category)
                                                or _launcher(filename)):
            return warning_text(f"rnnlab {command}: warning: {message}")
        return before(message, category, filename, lineno, line)

    warnings.formatwarning = as_command
    try:
        yield
    finally:
        warnings.formatwarning = before
